# Shared helpers for shell tests: a TAP producer and a scratch directory.
# Source it, call `plan N` (or nothing and `done_testing` at the end), use
# ok/is/like, and let the EXIT trap clean up.

: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
MAILORDER="$top_builddir/mailorder"
TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/mo-test.XXXXXX")
trap 'rm -rf "$TEST_TMP"' EXIT
_tap_n=0
_tap_failed=0

plan() { echo "1..$1"; _tap_planned=1; }

ok() {	# ok CONDITION-STATUS DESCRIPTION
	_tap_n=$((_tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $_tap_n - $2"
	else
		echo "not ok $_tap_n - $2"
		_tap_failed=$((_tap_failed + 1))
	fi
}

is() {	# is ACTUAL EXPECTED DESCRIPTION
	if [ "$1" = "$2" ]; then ok 0 "$3"; else
		ok 1 "$3"
		printf '#   got:      %s\n#   expected: %s\n' "$1" "$2"
	fi
}

like() { # like ACTUAL GLOB DESCRIPTION
	case "$1" in
	$2) ok 0 "$3" ;;
	*) ok 1 "$3"; printf '#   got:      %s\n#   expected: %s\n' "$1" "$2" ;;
	esac
}

done_testing() {
	[ -n "${_tap_planned:-}" ] || echo "1..$_tap_n"
	[ "$_tap_failed" -eq 0 ]
}

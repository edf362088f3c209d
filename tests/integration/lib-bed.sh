# For the integration tests that need the mail servers: sources
# tests/lib.sh, checks that the tools are installed, starts a private
# Dovecot and Postfix in the scratch directory (TB_* describes them) and
# stops them, and a daemon whose PID is in DPID, on exit.
#   . "$top_srcdir/tests/integration/lib-bed.sh" [TOOL...]
. "${top_srcdir:-.}/tests/lib.sh"

TB="$top_srcdir/tests/integration/testbed.sh"
BED="$TEST_TMP/bed"
chmod 0755 "$TEST_TMP"	# the servers' own users must reach BED
DPID=
bed_cleanup() {
	[ -n "$DPID" ] && kill -9 "$DPID" 2>/dev/null
	"$TB" down "$BED" >/dev/null 2>&1
	rm -rf "$TEST_TMP"
}
trap bed_cleanup EXIT

for tool in dovecot postfix "$@"; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		# CI installs them; a silent skip would hide that nothing
		# was tested.
		echo "1..1"
		echo "not ok 1 - $tool is installed (see setup.sh)"
		exit 1
	fi
done

"$TB" up "$BED" >/dev/null; is "$?" 0 "the test-bed comes up"
eval "$("$TB" env "$BED")"

# wait_for COND SECONDS: poll until the shell condition holds.
wait_for() {
	local i
	for i in $(seq 1 $(( $2 * 20 ))); do
		eval "$1" && return 0
		sleep 0.05
	done
	return 1
}

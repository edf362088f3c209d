#!/bin/sh
# The acceptance test of the parse engine: every realistic email in
# tests/fixtures/mail/NN-name.eml is run through `mailorder parse --json`
# against the example shop (examples/*.csv) and compared with what the shop
# owner reads in it, NN-name.json.  One TAP line per email.
#
# What is compared is in tests/lib-corpus.sh.
#
# Names listed in tests/fixtures/mail/KNOWN-FAILURES (one per line, '#'
# comments allowed) are known gaps: when they read the mail wrong they are
# reported as "not ok ... # TODO known failure" (an expected failure, which
# does not break the suite; "ok # TODO" would count as an unexpected pass),
# and when they pass as a plain "ok" with a note to take them off the
# list.  A crash or error exit is never excused.
#
# Standalone: top_srcdir=. top_builddir=build sh tests/corpus.sh
. "${top_srcdir:-.}/tests/lib.sh"

FIX="$top_srcdir/tests/fixtures/mail"
DB="$TEST_TMP/corpus.db"
. "$top_srcdir/tests/lib-corpus.sh"

known() {	# known NAME: is NAME listed in KNOWN-FAILURES?
	[ -f "$FIX/KNOWN-FAILURES" ] &&
	    sed 's/#.*//; s/[[:space:]]*$//' "$FIX/KNOWN-FAILURES" |
	    grep -qFx "$1"
}

total=0
passed=0
for eml in "$FIX"/*.eml; do
	name=$(basename "$eml" .eml)
	total=$((total + 1))
	corpus_compare "$name"

	if [ -z "$diff" ]; then
		passed=$((passed + 1))
		ok 0 "$name"
		known "$name" &&
		    echo "#   $name passes now: take it off KNOWN-FAILURES"
		continue
	fi
	if [ "$hard" -eq 0 ] && known "$name"; then
		_tap_n=$((_tap_n + 1))
		echo "not ok $_tap_n - $name # TODO known failure"
	else
		ok 1 "$name"
	fi
	printf '%s\n' "$diff" | sed 's/^/#   /'
done

ok "$([ "$total" -ge 65 ]; echo $?)" "the corpus has at least 65 emails ($total)"
echo "# corpus accuracy: $passed/$total"
done_testing

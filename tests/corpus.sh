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
corpus_shop "$EX"
. "$top_srcdir/tests/lib-sets.sh"

known() {	# known NAME: is NAME listed in KNOWN-FAILURES?
	[ -f "$FIX/KNOWN-FAILURES" ] &&
	    sed 's/#.*//; s/[[:space:]]*$//' "$FIX/KNOWN-FAILURES" |
	    grep -qFx "$1"
}

sets_excused() { known "$1"; }
sets_passes() {
	known "$1" && echo "#   $1 passes now: take it off KNOWN-FAILURES"
	return 0
}
sets_run corpus "$FIX"

ok "$([ "$total" -ge 65 ]; echo $?)" "the corpus has at least 65 emails ($total)"
corpus_gate corpus "$passed" "$total" "$wrongs" "$FIX/FLOOR"
done_testing

#!/bin/sh
# The acceptance test of the parse engine: every realistic email in
# tests/fixtures/mail/NN-name.eml is run through `mailorder parse --json`
# against the example shop (examples/*.csv) and compared with what the shop
# owner reads in it, NN-name.json.  One TAP line per email.
#
# Compared: status, customer, the lines as {sku, quantity} in order, the
# sorted flag codes, the candidate prefixes the expectation gives, the PO
# number and the requested date.  For ignored (automatic) mail only the
# status and the absence of lines count: what an autoreply "means" is
# nobody's business.
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
EX="$top_srcdir/examples"
RULES="$top_srcdir/rules/en.rules"
DB="$TEST_TMP/corpus.db"

JQ=${JQ:-jq}
if ! command -v "$JQ" >/dev/null 2>&1; then
	echo "1..0 # SKIP jq is not installed"
	exit 0
fi

# Import the example shop; without it nothing below means anything.
for kind in catalog customers history; do
	out=$("$MAILORDER" --db "$DB" import "$kind" "$EX/$kind.csv" 2>&1)
	rc=$?
	ok "$rc" "import examples/$kind.csv"
	if [ "$rc" -ne 0 ]; then
		printf '%s\n' "$out" | sed 's/^/#   /'
		echo "Bail out! cannot import the example $kind"
		exit 1
	fi
done

# The comparison: prints one line per difference, nothing when the result
# matches.  $e is the expectation, $a what mailorder printed.
CMP='
def norm: {
	status,
	customer,
	lines: [(.lines // [])[] | {sku, quantity}],
	codes: ([(.flags // [])[] | .code] | sort),
	po_number,
	requested_date
};
def differ($what; $x; $y):
	if $x == $y then empty
	else "\($what): expected \($x | tojson), got \($y | tojson)" end;
$e[0] as $E | $a[0] as $A | ($E | norm) as $en | ($A | norm) as $an |
if $A.error then "error: \($A.error)" else
	differ("status"; $en.status; $an.status),
	differ("lines"; $en.lines; $an.lines),
	(if $en.status == "ignored" then empty else
		differ("customer"; $en.customer; $an.customer),
		differ("flags"; $en.codes; $an.codes),
		differ("po_number"; $en.po_number; $an.po_number),
		differ("requested_date"; $en.requested_date;
		    $an.requested_date),
		($E.flags[] | select(.candidates) | . as $f |
		    [$A.flags[]? | select(.code == $f.code) |
		        .candidates // []] as $got |
		    if any($got[]; .[:($f.candidates | length)] ==
		        $f.candidates) then empty
		    else "\($f.code) candidates: expected to start with " +
		        "\($f.candidates | tojson), got \($got | tojson)" end)
	end)
end
'

known() {	# known NAME: is NAME listed in KNOWN-FAILURES?
	[ -f "$FIX/KNOWN-FAILURES" ] &&
	    sed 's/#.*//; s/[[:space:]]*$//' "$FIX/KNOWN-FAILURES" |
	    grep -qFx "$1"
}

total=0
passed=0
for eml in "$FIX"/*.eml; do
	name=$(basename "$eml" .eml)
	exp="$FIX/$name.json"
	total=$((total + 1))
	act="$TEST_TMP/$name.out"
	"$MAILORDER" --db "$DB" --rules "$RULES" parse --json "$eml" \
	    >"$act" 2>"$TEST_TMP/$name.err"
	rc=$?
	# A crash or an error exit is a failure even when some JSON came
	# out before it (a sanitizer report, say), and KNOWN-FAILURES never
	# excuses it.
	hard=1
	if [ ! -f "$exp" ]; then
		diff="no expectation: $name.json is missing"
	elif [ "$rc" -ne 0 ]; then
		diff="mailorder exited $rc: $(head -c 500 "$TEST_TMP/$name.err")"
	else
		hard=0
	fi
	if [ "$hard" -eq 1 ]; then
		:
	elif ! diff=$("$JQ" -rn --slurpfile e "$exp" --slurpfile a "$act" \
	    "$CMP" 2>&1); then
		diff="cannot compare: $diff
output: $(head -c 500 "$act")"
	fi

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

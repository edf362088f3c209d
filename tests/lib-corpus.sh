# Shared by tests/corpus.sh and tests/holdout.sh: the example shop, and
# the comparison of `mailorder parse --json` with what the shop owner
# reads in a mail (NAME.json).  Source after tests/lib.sh; set FIX (the
# fixture directory) and DB first.
#
# Compared: status, customer, the lines as {sku, quantity} in order, the
# sorted flag codes, the candidate prefixes the expectation gives, the PO
# number and the requested date.  For ignored (automatic) mail only the
# status and the absence of lines count.

EX="$top_srcdir/examples"
RULES=${RULES:-$top_srcdir/rules/en.rules}
JQ=${JQ:-jq}
# setup.sh installs jq; without it nothing below can be measured, and a
# suite that skips its accuracy gate has not passed it.
if ! command -v "$JQ" >/dev/null 2>&1; then
	echo "Bail out! jq is not installed (setup.sh installs it)"
	exit 1
fi

# corpus_shop DIR: a fresh $DB with DIR's catalog, customers and history.
corpus_shop() {
	rm -f "$DB" "$DB-wal" "$DB-shm"
	for kind in catalog customers history; do
		out=$("$MAILORDER" --db "$DB" import "$kind" "$1/$kind.csv" 2>&1)
		rc=$?
		ok "$rc" "import $1/$kind.csv"
		if [ "$rc" -ne 0 ]; then
			printf '%s\n' "$out" | sed 's/^/#   /'
			echo "Bail out! cannot import $1/$kind.csv"
			exit 1
		fi
	done
}

# One line per difference, nothing when the result matches.  $e is the
# expectation, $a what mailorder printed.
CORPUS_CMP='
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
differ("status"; $en.status; $an.status),
differ("lines"; $en.lines; $an.lines),
(if $en.status == "ignored" then empty else
	differ("customer"; $en.customer; $an.customer),
	differ("flags"; $en.codes; $an.codes),
	differ("po_number"; $en.po_number; $an.po_number),
	differ("requested_date"; $en.requested_date; $an.requested_date),
	($E.flags[] | select(.candidates) | . as $f |
	    [$A.flags[]? | select(.code == $f.code) |
	        .candidates // []] as $got |
	    if any($got[]; .[:($f.candidates | length)] ==
	        $f.candidates) then empty
	    else "\($f.code) candidates: expected to start with " +
	        "\($f.candidates | tojson), got \($got | tojson)" end)
end)
'

# A wrong accept: the engine accepted the order (a confirmation goes out,
# nobody looks) but the owner reads other lines in it, or would have had
# a person look at it.  The worst failure there is; never excused.
CORPUS_WRONG='
$e[0] as $E | $a[0] as $A |
($A.status == "accepted") and
(($E.status != "accepted") or
 ([($E.lines // [])[] | {sku, quantity}] !=
  [($A.lines // [])[] | {sku, quantity}]))
'

# corpus_compare NAME: run the engine on $FIX/NAME.eml and set $diff (empty
# when it reads the mail as expected), $wrong (1 for a wrong accept) and
# $hard (1 when it did not read the mail at all: a crash, an error exit,
# an error result, no expectation; such a failure is never excused as a
# known gap).
corpus_compare() {
	_exp="$FIX/$1.json"
	_act="$TEST_TMP/$1.out"
	"$MAILORDER" --db "$DB" --rules "$RULES" parse --json "$FIX/$1.eml" \
	    >"$_act" 2>"$TEST_TMP/$1.err"
	_rc=$?
	hard=1
	wrong=0
	if [ ! -f "$_exp" ]; then
		diff="no expectation: $1.json is missing"
	elif [ "$_rc" -ne 0 ]; then
		diff="mailorder exited $_rc: $(head -c 500 "$TEST_TMP/$1.err")"
	elif [ "$("$JQ" -r 'has("error")' "$_act" 2>/dev/null)" != false ]; then
		diff="no clean result: $(head -c 500 "$_act")"
	elif ! diff=$("$JQ" -rn --slurpfile e "$_exp" --slurpfile a "$_act" \
	    "$CORPUS_CMP" 2>&1); then
		diff="cannot compare: $diff
output: $(head -c 500 "$_act")"
	else
		hard=0
		[ "$("$JQ" -rn --slurpfile e "$_exp" --slurpfile a "$_act" \
		    "$CORPUS_WRONG")" = true ] && wrong=1
	fi
}

# corpus_gate LABEL PASSED TOTAL WRONG FLOORFILE: the set's accuracy, and
# the two checks that fail the suite: no wrong accept, and no fewer mails
# read right than the recorded floor (raise FLOORFILE as the engine gets
# better; never lower it to make a change pass).
corpus_gate() {
	_floor=$(sed 's/#.*//' "$5" 2>/dev/null | tr -cd '0-9')
	echo "# $1 accuracy: $2/$3, wrong accepts: $4"
	ok "$([ "$4" -eq 0 ]; echo $?)" "$1: no wrong accepts ($4)"
	ok "$([ -n "$_floor" ] && [ "$2" -ge "$_floor" ]; echo $?)" \
	    "$1: $2/$3 read right, floor ${_floor:-missing} ($5)"
}

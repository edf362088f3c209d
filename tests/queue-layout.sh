#!/bin/sh
# The order screen's layout in tmux at 80x24 and 120x35: the email wraps
# at blanks, never inside a word, and the recent-orders column shows
# every SKU whole (wrapped after a comma), however long the order was.
. "${top_srcdir:-.}/tests/lib.sh"

command -v tmux >/dev/null || { echo "1..1"; echo "not ok 1 - tmux is installed (setup.sh installs it)"; exit 1; }
DB="$TEST_TMP/shop.db"
E="$top_srcdir/examples"
mo() { "$MAILORDER" --db "$DB" --rules "$top_srcdir/rules/en.rules" "$@"; }
mo import catalog "$E/catalog.csv" >/dev/null
mo import customers "$E/customers.csv" >/dev/null
mo import history "$E/history.csv" >/dev/null
words="please make sure the delivery arrives before lunchtime because
reception closes unexpectedly early on Fridays and afterwards nobody
signs for parcels"
cat > "$TEST_TMP/mail.eml" <<EOF
From: Dana Whitfield <dana.whitfield@acme.example>
To: orders@beanleaf.example
Subject: Coffee
Date: $(date -R)
Message-ID: <layout-$$@acme.example>

Hi, same as last time please, and $(echo $words).

Dana
EOF
mo ingest "$TEST_TMP/mail.eml" >/dev/null
ref=$(mo list --json | jq -r 'select(.customer == "ACME" and .status == "flagged") | .ref')

SOCK="mo-layout-$$"
. "$top_srcdir/tests/lib-tmux.sh"
# whole_words FILE: every word of $words stands whole on some row of the
# screen's left part (the email), with a blank or the row's edge around it.
whole_words() {
	sed 's/│.*//' "$1" > "$1.left"
	for w in $words; do
		grep -q "\(^\| \)$w\( \|\.\|$\)" "$1.left" || {
			echo "# '$w' is cut"
			return 1
		}
	done
}

T -f /dev/null new-session -d -s t -x 80 -y 24 -e LANG=C.UTF-8 \
    -e ESCDELAY=25 "$MAILORDER --db '$DB' --rules '$top_srcdir/rules/en.rules' queue"
wait_for "*$ref*ACME*"; ok $? "the queue lists the order at 80x24"
T send-keys -t t Enter
wait_for "*Recent orders*"; ok $? "Enter opens it"
screen > "$TEST_TMP/80.txt"
whole_words "$TEST_TMP/80.txt"; ok $? "at 80 columns the email wraps at blanks only"
grep -q "lunchtime" "$TEST_TMP/80.txt"; ok $? "and its text is all there"
grep -q "│2026-11-04 3 HB-1KG, 1 CUP-12OZ," "$TEST_TMP/80.txt"
ok $? "the recent orders show whole SKUs"
grep -q "│  *1 LID-12OZ, 8 OAT-1L," "$TEST_TMP/80.txt"
ok $? "an order too long for the column goes on, indented, after a comma"

T resize-window -t t -x 120 -y 35
wait_for "*Recent orders*"; ok $? "it redraws at 120x35"
screen > "$TEST_TMP/120.txt"
grep -q "│2026-11-04 3 HB-1KG, 1 CUP-12OZ, 1 LID-12OZ," "$TEST_TMP/120.txt"
ok $? "at 120 columns the column is wider"
whole_words "$TEST_TMP/120.txt"; ok $? "and the email still wraps at blanks only"

# e and s start from the line's current value, to edit.
T send-keys -t t 1
wait_for "*line 1 added*"; ok $? "1 adds the first candidate"
T send-keys -t t e
wait_for "*quantity: 3*"; ok $? "e offers the line's quantity"
T send-keys -t t BSpace 5 Enter
wait_for "*  5 bag*HB-1KG*"; ok $? "which Backspace and a digit change"
is "$(mo show --json "$ref" | jq -r '.lines[0].quantity')" 5 "in the store too"
T send-keys -t t s
wait_for "*search the catalog for: House Blend*"
ok $? "s offers the line's product to search for"
T send-keys -t t C-u Escape
wait_for "*cancelled*"; ok $? "Escape cancels it"
T send-keys -t t e C-u Enter
wait_for "*cancelled*"; ok $? "an emptied answer is no answer"
is "$(mo show --json "$ref" | jq -r '.lines[0].quantity')" 5 "and changes nothing"
done_testing

#!/bin/sh
# "Same as last time" filled in one step, from the command line and from
# the queue: Dana's last order (ACME-1101) had five lines, and fill copies
# all five with their quantities; --usual copies her usual basket; undo
# takes a fill back whole; products the order has already keep their
# line; another customer's order or an accepted one is refused.
. "${top_srcdir:-.}/tests/lib.sh"

command -v tmux >/dev/null || { echo "1..1"; echo "not ok 1 - tmux is installed (setup.sh installs it)"; exit 1; }
DB="$TEST_TMP/shop.db"
E="$top_srcdir/examples"
mo() { "$MAILORDER" --db "$DB" --rules "$top_srcdir/rules/en.rules" "$@"; }
mo import catalog "$E/catalog.csv" >/dev/null
mo import customers "$E/customers.csv" >/dev/null
mo import history "$E/history.csv" >/dev/null
mo ingest "$E/mail/same-as-last-time.eml" >/dev/null
ref=$(mo list --json | jq -r 'select(.customer == "ACME") | .ref')
lines() { mo show --json "$1" | jq -r '.lines[] | "\(.quantity) \(.sku)"' | xargs; }
open_ref() { mo show --json "$1" | jq -r '[.flags[] | select(.code == "history_reference" and (.resolved | not))] | length'; }
last="3 HB-1KG 1 CUP-12OZ 1 LID-12OZ 8 OAT-1L 1 STIR-1000"

is "$(lines "$ref")" "" "the reference arrives with no lines"
out=$(mo fill "$ref" --dry-run); is "$?" 0 "fill --dry-run exits 0"
like "$out" "*+ 8 OAT-1L*" "it lists what it would copy"
like "$out" "*5 lines would be added*" "all five lines of the last order"
is "$(lines "$ref")" "" "and changes nothing"

out=$(mo fill "$ref"); is "$?" 0 "fill exits 0"
is "$(lines "$ref")" "$last" "the last order's five lines, with their quantities"
is "$(open_ref "$ref")" 0 "history_reference is resolved"
is "$(mo show --json "$ref" | jq -r .status)" flagged "the order waits for approval"
out=$(mo undo "$ref"); is "$?" 0 "undo exits 0"
is "$(lines "$ref")" "" "undo takes the whole fill back"
is "$(open_ref "$ref")" 1 "and reopens the reference"

out=$(mo fill "$ref" --usual); is "$?" 0 "fill --usual exits 0"
is "$(lines "$ref")" "3 HB-1KG 1 CUP-12OZ 1 LID-12OZ 6 OAT-1L" \
    "the usual basket: products in half of the last six orders, the usual quantity"
mo undo "$ref" >/dev/null

mo edit "$ref" --add --sku OAT-1L --quantity 12 >/dev/null
out=$(mo fill "$ref"); like "$out" "*= 8 OAT-1L*4 lines added*" \
    "a product the order has already is left as it is"
is "$(lines "$ref")" "12 OAT-1L 3 HB-1KG 1 CUP-12OZ 1 LID-12OZ 1 STIR-1000" \
    "the customer's own line keeps its quantity"
mo undo "$ref" >/dev/null; mo undo "$ref" >/dev/null

out=$(mo fill "$ref" --from NORTH-0714 2>&1); is "$?" 65 "another customer's order is refused"
like "$out" "mailorder: NORTH-0714 is not ACME's order" "and says whose it is"
out=$(mo fill "$ref" --from ACME-0601); is "$?" 0 "--from names an earlier order"
is "$(lines "$ref")" "3 HB-1KG 1 CUP-12OZ 1 LID-12OZ 6 OAT-1L" "and copies that one"
mo undo "$ref" >/dev/null
out=$(mo fill "$ref" --from ACME-0601 --usual 2>&1); is "$?" 64 "--from and --usual do not go together"
out=$(mo fill "$ref" --from NOPE-1 2>&1); is "$?" 65 "an unknown order is refused"
like "$out" "mailorder: no order 'NOPE-1'" "by name"

# The queue: F on the order does the same, u undoes it.
SOCK="mo-fill-$$"
. "$top_srcdir/tests/lib-tmux.sh"
T -f /dev/null new-session -d -s t -x 100 -y 30 -e LANG=C.UTF-8 \
    -e ESCDELAY=25 "$MAILORDER --db '$DB' --rules '$top_srcdir/rules/en.rules' queue"
wait_for "*$ref*history_reference*"; ok $? "the queue lists the reference"
T send-keys -t t Enter
wait_for "*F copies the last order*"; ok $? "its empty lines say what F does"
T send-keys -t t F
wait_for "*5 lines copied from the last order (u undoes)*"; ok $? "F copies the last order"
wait_for "*8 carton*OAT-1L*"; ok $? "the lines are on the screen"
is "$(lines "$ref")" "$last" "and in the store"
T send-keys -t t u
wait_for "*fill undone*"; ok $? "u undoes it"
is "$(lines "$ref")" "" "the lines are gone again"
T send-keys -t t U
wait_for "*4 lines copied from the usual basket*"; ok $? "U copies the usual basket"
done_testing

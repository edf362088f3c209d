#!/bin/sh
# mailorder replay through the real binary: mail read with one rule set
# is read again with another, and replay shows the lines and statuses
# that would change, filters by customer and date, says so in its exit
# status, and writes nothing.
. "${top_srcdir:-.}/tests/lib.sh"

DB="$TEST_TMP/shop.db"
E="$top_srcdir/examples"
R="$top_srcdir/rules/en.rules"
OLD="$TEST_TMP/old.rules"
mo() { "$MAILORDER" --db "$DB" --rules "$R" "$@"; }
dump() { sqlite3 "$DB" .dump | cksum; }

# The shop's old rules did not know the number word "two".
grep -v '^number two 2$' "$R" > "$OLD"
ok "$(cmp -s "$R" "$OLD"; [ $? -eq 1 ]; echo $?)" "the old rules lack 'two'"

mo import catalog "$E/catalog.csv" >/dev/null
mo import customers "$E/customers.csv" >/dev/null
mo import history "$E/history.csv" >/dev/null
mo --rules "$OLD" ingest "$E"/mail/*.eml >/dev/null
ref=$(mo list --json | jq -r 'select(.subject == "Order for next week") | .ref')
like "$ref" "MO-*" "the plain order was ingested ($ref)"
is "$(mo show --json "$ref" | jq -r .status)" flagged \
    "the old rules flagged it ('two cases' unread)"
n=$(sqlite3 "$DB" "SELECT count(*) FROM messages WHERE state = 'done'")

before=$(dump)
out=$(mo replay --rules "$OLD"); rc=$?
is "$rc" 0 "the same rules: exit 0"
is "$out" "replayed $n messages: 0 would change" "and nothing would change"

out=$(mo replay); rc=$?
is "$rc" 1 "the new rules: exit 1"
like "$out" "*$ref (message *, \"Order for next week\", ACME): flagged -> accepted*" \
    "the order's status would change"
like "$out" "*+ CUP-12OZ 2  Paper Cups 12oz*\"two cases of the 12oz cups*" \
    "the line it would add, with its words"
like "$out" "*replayed $n messages: 1 would change" "one message would change"
is "$(dump)" "$before" "replay wrote nothing to the store"
is "$(mo show --json "$ref" | jq -r .status)" flagged "the order is as it was"

js=$(mo replay --json); rc=$?
is "$rc" 1 "--json: exit 1"
line=$(printf '%s\n' "$js" | head -1)
is "$(printf '%s' "$line" | jq -r '.order')" "$ref" "--json names the order"
is "$(printf '%s' "$line" | jq -r '.old_status + " " + .new_status')" \
    "flagged accepted" "and both statuses"
is "$(printf '%s' "$line" | jq -c '.lines[] | select(.sku == "CUP-12OZ") | [.change, .old_quantity, .new_quantity]')" \
    '["added",null,2]' "and the added line"
is "$(printf '%s\n' "$js" | tail -1 | jq -c .)" \
    "{\"replayed\":$n,\"changed\":1,\"failed\":0}" "then a summary"

out=$(mo replay --customer BRIGHT); rc=$?
is "$rc" 0 "--customer: another customer's mail does not change"
like "$out" "replayed 1 message: 0 would change" "only that customer's mail"
out=$(mo replay --customer acme); rc=$?
is "$rc" 1 "--customer ACME (any case) shows the change"

sqlite3 "$DB" "UPDATE messages SET received_at = '2026-10-01T09:00:00Z'"
out=$(mo replay --since 2026-11-01); rc=$?
is "$rc" 0 "--since after the mail: exit 0"
is "$out" "replayed 0 messages: 0 would change" "and nothing replayed"
out=$(mo replay --since 2026-10-01); rc=$?
is "$rc" 1 "--since the day it came: the change shows"

out=$(mo replay --since yesterday 2>&1); rc=$?
is "$rc" 64 "--since that is no date is a usage error"
like "$out" "*--since 'yesterday' is not a date (YYYY-MM-DD)*" "saying so"
out=$(mo replay extra 2>&1); is "$?" 64 "an operand is a usage error"
out=$("$MAILORDER" --db "$TEST_TMP/none.db" replay 2>&1); rc=$?
ok "$([ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; echo $?)" \
    "a missing store is an error, not 'changed' ($rc)"
done_testing

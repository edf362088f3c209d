#!/bin/sh
# mailorder ingest, list and show through the real binary: orders are
# recorded once, listed with their flags, shown with their candidates.
. "${top_srcdir:-.}/tests/lib.sh"

DB="$TEST_TMP/shop.db"
E="$top_srcdir/examples"
mo() { "$MAILORDER" --db "$DB" --rules "$top_srcdir/rules/en.rules" "$@"; }

mo import catalog "$E/catalog.csv" >/dev/null
mo import customers "$E/customers.csv" >/dev/null
mo import history "$E/history.csv" >/dev/null

out=$(mo ingest "$E/mail/plain-order.eml" "$E/mail/same-as-last-time.eml" \
    "$E/mail/out-of-office.eml"); is "$?" 0 "ingest exits 0"
like "$out" "*plain-order.eml: MO-* accepted*" "an order is accepted"
like "$out" "*same-as-last-time.eml: MO-* flagged*" "a reference is flagged"
like "$out" "*out-of-office.eml: MO-* ignored*" "an autoreply is ignored"

out=$(mo ingest "$E/mail/plain-order.eml"); is "$?" 0 "ingesting again exits 0"
like "$out" "*already recorded*" "the same message is not recorded twice"
is "$(mo list --json | wc -l)" 3 "three orders, not four"

: > "$TEST_TMP/empty.eml"
out=$(mo ingest "$TEST_TMP/empty.eml" 2>&1); is "$?" 65 "an empty file is bad data"
is "$(mo list --flag unreadable --json | wc -l)" 1 "and it is flagged unreadable for a person"

flagged=$(mo list --status flagged --json | jq -r 'select(.flags | contains("history_reference")) | .ref')
like "$flagged" "MO-*" "list --status flagged finds the reference"
is "$(mo list --flag history_reference --json | jq -r .ref)" "$flagged" "list --flag finds it too"
is "$(mo list --customer NOBODY --json | wc -l)" 0 "list --customer filters"

# A year of orders is not listed by default: the newest 200, or --limit.
newest=$(mo list --all --json | tail -n 2 | jq -r .ref | xargs)
out=$(mo list --limit 2 --json 2>"$TEST_TMP/err")
is "$(printf '%s\n' "$out" | jq -r .ref | xargs)" "$newest" \
    "list --limit 2 shows the newest two, oldest first"
like "$(cat "$TEST_TMP/err")" "mailorder: the newest 2 orders shown; --limit N or --all for more" \
    "and says on standard error that there may be more"
mo list --json 2>"$TEST_TMP/err" >/dev/null
is "$(cat "$TEST_TMP/err")" "" "under the limit nothing is said"
err=$(mo list --limit 0 2>&1); is "$?" 64 "--limit 0 is a usage error"
like "$err" "mailorder: '0' is not a number of orders" "with a clear message"

js=$(mo show --json "$flagged"); is "$?" 0 "show --json exits 0"
is "$(printf "%s\n" "$js" | jq -r '.flags[0].code')" history_reference "show lists the flag"
is "$(printf "%s\n" "$js" | jq -r '.flags[0].candidates[0]')" HB-1KG "with the customer's last order as candidates"
is "$(printf "%s\n" "$js" | jq -r '.customer')" ACME "and the customer"
out=$(mo show "$flagged"); like "$out" "*House Blend Coffee Beans 1kg*" "the readable view names the products"
like "$out" "*same as last time*" "and shows the text the engine read"

out=$(mo show MO-9999 2>&1); is "$?" 65 "an unknown order is refused"
like "$out" "mailorder: no order MO-9999" "with a clear message"
out=$(mo show banana 2>&1); is "$?" 64 "a malformed order number is a usage error"

# --- as a person types -----------------------------------------------------
err=$(mo list --status bogus 2>&1); is "$?" 64 "list --status with an unknown status is a usage error"
like "$err" "mailorder: unknown status 'bogus' (accepted, flagged, ignored, imported, rejected, shipped)" \
    "naming the valid ones"
is "$(mo list --status FLAGGED --json | wc -l)" "$(mo list --status flagged --json | wc -l)" \
    "--status is case-insensitive"
is "$(mo list --customer acme --json | wc -l)" "$(mo list --customer ACME --json | wc -l)" \
    "--customer matches the customer ID whatever its case"
is "$(mo list --flag HISTORY_REFERENCE --json | jq -r .ref)" "$flagged" \
    "--flag too"
out=$(mo history acme); is "$?" 0 "history acme finds ACME"
like "$out" "*ACME-*" "and shows its orders"
out=$(mo assign someone@newshop.example acme); is "$?" 0 "assign ADDRESS acme"
like "$out" "someone@newshop.example is ACME now*" "gives the address to ACME"
is "$(sqlite3 "$DB" "SELECT count(*) FROM customers WHERE id = 'acme'")" 0 \
    "and makes no second customer 'acme'"

done_testing

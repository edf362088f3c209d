#!/bin/sh
# The operator's commands through the real binary: approve, edit, ask,
# reject, assign, ship, history, undo, and every refusal (unknown order,
# stale version, SKU not in the catalog, usage) with its exit status;
# the shop's [carriers] and the [operators] name that signs.
. "${top_srcdir:-.}/tests/lib.sh"

DB="$TEST_TMP/shop.db"
E="$top_srcdir/examples"
F="$top_srcdir/tests/fixtures/mail"
cat > "$TEST_TMP/mo.conf" <<CONF
[smtp]
host = 127.0.0.1
port = 2525
tls = none
from = orders@beanleaf.example
[reply]
templates = $top_srcdir/templates
[carriers]
evri = https://www.evri.com/track/parcel/{tracking}
[operators]
alice = Alice Baker
CONF
mo() { "$MAILORDER" --db "$DB" --config "$TEST_TMP/mo.conf" \
    --rules "$top_srcdir/rules/en.rules" "$@"; }
outbox() { sqlite3 "$DB" "SELECT kind || ' ' || state FROM outbox WHERE order_id = $1 ORDER BY id"; }
export LOGNAME=alice

mo import catalog "$E/catalog.csv" >/dev/null
mo import customers "$E/customers.csv" >/dev/null
mo import history "$E/history.csv" >/dev/null
mo ingest "$F/25-chocolate-thing-last-time.eml" "$E/mail/unusual-quantity.eml" \
    "$E/mail/same-as-last-time.eml" >/dev/null
choc=$(mo list --json | jq -r 'select(.customer == "NORTH") | .ref')
big=$(mo list --json | jq -r 'select(.subject == "Order" and .customer == "ACME") | .ref')
same=$(mo list --json | jq -r 'select(.subject == "Coffee") | .ref')
n=${choc#MO-}

# Refusals first: nothing may change.
out=$(mo approve MO-9999 2>&1); is "$?" 65 "approve: unknown order is 65"
like "$out" "*no order MO-9999*" "and says so"
out=$(mo approve banana 2>&1); is "$?" 64 "approve: a malformed number is 64"
out=$(mo approve 2>&1); is "$?" 64 "approve: no order is 64"
out=$(mo approve "$same" 2>&1); is "$?" 65 "approve: an order without lines is refused"
like "$out" "*no lines*" "and says why"
out=$(mo edit "$choc" --add --sku NOPE-1 2>&1); is "$?" 65 "edit: a SKU not in the catalog is 65"
like "$out" "*no product 'NOPE-1' in the catalog*" "and names it"
out=$(mo edit "$choc" --line 9 --quantity 2 2>&1); is "$?" 65 "edit: a missing line is 65"
out=$(mo edit "$choc" --line 1 2>&1); is "$?" 64 "edit: nothing to change is 64"
out=$(mo ship "$choc" --carrier ups --tracking 1Z999 2>&1); is "$?" 65 "ship: a flagged order cannot ship"
out=$(mo undo "$choc" 2>&1); is "$?" 65 "undo: nothing to undo is 65"
is "$(outbox "$n")" "" "no refusal queued a reply"

# The history_reference order: pick the candidate, approve.
out=$(mo edit "$choc" --add --sku HOTCHOC-1KG); is "$?" 0 "edit --add picks the candidate"
js=$(mo show --json "$choc")
is "$(printf '%s' "$js" | jq -r '.lines[1].sku')" HOTCHOC-1KG "the line is added"
is "$(printf '%s' "$js" | jq -r '.lines[1].quantity')" 2 "with the customer's last quantity"
is "$(printf '%s' "$js" | jq -r '.version')" 2 "the version went up"
out=$(LOGNAME=bob mo approve "$choc" --version 1 2>&1); is "$?" 75 "approve: a stale version is 75"
like "$out" "*changed by alice at * (edit)*" "naming who changed it and when"
out=$(mo approve "$choc" --version 2); is "$?" 0 "approve with the current version"
like "$out" "*confirmation queued*" "queues the confirmation"
is "$(mo show --json "$choc" | jq -r .status)" accepted "the order is accepted"
is "$(outbox "$n")" "confirmation queued" "the confirmation is in the outbox"
out=$(mo approve "$choc" 2>&1); is "$?" 65 "approving twice is refused"

# Undo while the reply waits; then again after it has left.
out=$(mo undo "$choc"); is "$?" 0 "undo the approval"
is "$(mo show --json "$choc" | jq -r .status)" flagged "the order waits again"
is "$(outbox "$n")" "confirmation cancelled" "its confirmation is cancelled"
mo approve "$choc" >/dev/null
sqlite3 "$DB" "UPDATE outbox SET state = 'sent' WHERE order_id = $n AND state = 'queued'"
out=$(mo undo "$choc" 2>&1); is "$?" 65 "no undo once the reply has left"
like "$out" "*no longer waiting*" "and says why"

# Ship with a built-in carrier's link.
out=$(mo ship "$choc" --carrier UPS --tracking 'bad number' 2>&1); is "$?" 65 "ship: a bad tracking number is 65"
n0=$(outbox "${choc#MO-}" | grep -c shipping)
out=$(mo ship "$choc" --carrier hermes --tracking H123 2>&1); is "$?" 64 "ship: an unknown carrier without --url is refused"
like "$out" "mailorder: unknown carrier 'hermes' (known: dhl, *ups, usps); give its tracking link with --url*" \
    "naming the known ones and what to do"
out=$(mo ship "$choc" --carrier hermes --tracking H123 --url 'javascript:alert({tracking})' 2>&1)
is "$?" 64 "ship: a --url that is no web link is refused"
like "$out" "mailorder: --url 'javascript:alert({tracking})': a tracking link starts with https:// or http://" \
    "saying why"
out=$(mo ship "$choc" --carrier hermes --tracking H123 --url 'https://evri.example/track' 2>&1)
is "$?" 64 "ship: a --url without {tracking} is refused"
like "$out" "*needs {tracking} where the number goes*" "saying why"
is "$(outbox "${choc#MO-}" | grep -c shipping)" "$n0" "and nothing is queued"
is "$(mo show --json "$choc" | jq -r .status)" accepted "nor shipped"
out=$(mo ship "$choc" --carrier ups --tracking 1Z999AA10123456784); is "$?" 0 "ship"
like "$out" "*https://www.ups.com/track?tracknum=1Z999AA10123456784*" "with the carrier's tracking link"
is "$(mo show --json "$choc" | jq -r .status)" shipped "the order is shipped"
is "$(mo show --json "$choc" | jq -r '.carrier + " " + .tracking')" "ups 1Z999AA10123456784" \
    "show --json has the carrier and tracking number"
like "$(mo show "$choc")" "*Shipped:  UPS, tracking 1Z999AA10123456784*" "and show, in the customer's words"
like "$(mo list --status shipped | grep "$choc")" "*shipped *UPS 1Z999AA10123456784*" \
    "list says how a shipped order went"
is "$(mo list --json | jq -r "select(.ref == \"$choc\") | .tracking")" 1Z999AA10123456784 \
    "list --json too"
is "$(outbox "$n" | tail -1)" "shipping queued" "the shipping notice is queued"
like "$(mo history NORTH)" "*$choc*shipped*HOTCHOC-1KG*" "history shows the shipped order"
out=$(mo history NOBODY 2>&1); is "$?" 65 "history: unknown customer is 65"

# Correct a SKU: learned for that customer, and parse says so.
m=${big#MO-}
out=$(mo edit "$big" --line 1 --quantity 2); is "$?" 0 "edit --quantity"
is "$(mo show --json "$big" | jq -r '.flags[] | select(.code == "unusual_quantity") | .resolved')" true \
    "a new quantity answers the unusual_quantity flag"
out=$(mo edit "$big" --line 2 --sku CUP-16OZ); is "$?" 0 "edit --sku"
like "$out" "*learned: '12oz cups' is CUP-16OZ*" "the customer's words are learned"
like "$(mo parse "$E/mail/unusual-quantity.eml")" "*CUP-16OZ*learned match*" \
    "parse resolves the same words by the learned alias"
out=$(mo edit "$big" --line 2 --delete); is "$?" 0 "edit --delete"
is "$(mo show --json "$big" | jq '.lines | length')" 1 "the line is gone"

# Ask and reject.
printf 'Did you mean 2 bags?\n' > "$TEST_TMP/q.txt"
out=$(mo ask "$big" 2>&1); is "$?" 64 "ask without --message is 64"
out=$(mo ask "$big" --message "$TEST_TMP/nope.txt" 2>&1); is "$?" 66 "ask: a missing file is 66"
out=$(mo ask "$big" --message "$TEST_TMP/q.txt"); is "$?" 0 "ask"
is "$(mo show --json "$big" | jq -r .status)" flagged "the order stays waiting"
is "$(outbox "$m")" "question queued" "the question is in the outbox"
like "$(sqlite3 "$DB" "SELECT body FROM outbox WHERE order_id = $m AND kind = 'question'" | tr -d '\r')" \
    "*Did you mean 2 bags?*Best regards,
Alice Baker
orders@beanleaf.example*" "the question is signed with the name [operators] gives alice"
out=$(mo reject "$same" 2>&1); is "$?" 64 "reject without a reason is 64"
out=$(mo reject "$same" --reason "not an order"); is "$?" 0 "reject"
is "$(mo show --json "$same" | jq -r .status)" rejected "the order is rejected"
is "$(outbox "${same#MO-}")" "" "no reply without --message"

# An unknown sender, assigned and remembered.
sed -e 's/anna.k@northwind.example/someone@newshop.example/' \
    -e 's/Message-ID: <CA/Message-ID: <XX/' "$F/25-chocolate-thing-last-time.eml" > "$TEST_TMP/new.eml"
mo ingest "$TEST_TMP/new.eml" >/dev/null
unk=$(mo list --flag unknown_sender --json | jq -r .ref)
out=$(mo assign someone@newshop.example NOBODY 2>&1); is "$?" 65 "assign: unknown customer is 65"
out=$(mo assign someone@newshop.example 2>&1); is "$?" 64 "assign: usage is 64"
out=$(mo assign someone@newshop.example NORTH); is "$?" 0 "assign"
like "$out" "*1 open order assigned*" "the waiting order gets the customer"
is "$(mo show --json "$unk" | jq -r .customer)" NORTH "the order is NORTH's"
like "$(mo parse "$TEST_TMP/new.eml")" "*NORTH*" "later mail from the address resolves"

# approve --note: the operator's line is in the confirmation's body, a
# line break in it cannot add a header, and the audit log says approved.
noted=$(mo list --json | jq -r 'select(.customer == "ACME" and .status == "flagged") | .ref' | head -1)
mo fill "$noted" >/dev/null
out=$(mo approve "$noted" --note "$(printf 'Thanks Dana, the new blend is in this week.\r\nBcc: evil@example.com')")
is "$?" 0 "approve --note exits 0"
sqlite3 "$DB" "SELECT body FROM outbox WHERE order_id = ${noted#MO-} AND kind = 'confirmation'" |
    tr -d '\r' > "$TEST_TMP/noted"
head=$(sed '/^$/q' "$TEST_TMP/noted"); body=$(sed '1,/^$/d' "$TEST_TMP/noted")
like "$body" "*fix it.

Thanks Dana, the new blend is in this week.
Bcc: evil@example.com

Best regards,
Alice Baker
*" "the note is a paragraph of the confirmation, before the sign-off by the [operators] name"
is "$(printf '%s\n' "$head" | grep -ci '^bcc:')" 0 "and adds no header"
is "$(sqlite3 "$DB" "SELECT action FROM audit_log WHERE order_id = ${noted#MO-} ORDER BY id DESC LIMIT 1")" \
    approve "the audit log has the approval"

# ship with a carrier of [carriers] and --note: the configured link and
# the note are in the notice, and a line break in the note adds no
# header.  The link is checked first: a bad --url queues nothing.
out=$(mo ship "$noted" --carrier hermes --tracking H123 --url 'https://x.example/a b/{tracking}' 2>&1)
is "$?" 64 "ship: a --url with a blank is refused"
like "$out" "*no blank or control character*" "and says why"
out=$(mo ship "$noted" --carrier hermes --tracking H123 2>&1)
like "$out" "*(known: dhl, dpd, evri, fedex, *)*[carriers]*" "the known carriers include the configured one"
is "$(outbox "${noted#MO-}" | grep -c shipping)" 0 "nothing is queued"
out=$(mo ship "$noted" --carrier EVRI --tracking H01ABC23 \
    --note "$(printf 'Thanks Dana, the cups are in this box.\r\nBcc: evil@example.com')")
is "$?" 0 "ship with a configured carrier and --note exits 0"
like "$out" "*link: https://www.evri.com/track/parcel/H01ABC23*" "ship prints the configured carrier's link"
sqlite3 "$DB" "SELECT body FROM outbox WHERE order_id = ${noted#MO-} AND kind = 'shipping'" |
    tr -d '\r' > "$TEST_TMP/shipped"
head=$(sed '/^$/q' "$TEST_TMP/shipped"); body=$(sed '1,/^$/d' "$TEST_TMP/shipped")
like "$body" "*Carrier: Evri
Tracking number: H01ABC23
Track it here: https://www.evri.com/track/parcel/H01ABC23

Thanks Dana, the cups are in this box.
Bcc: evil@example.com

Best regards,
Alice Baker
*" "the notice links to the configured carrier and carries the note, signed"
is "$(printf '%s\n' "$head" | grep -ci '^bcc:')" 0 "the note adds no header"
is "$(mo show --json "$noted" | jq -r '.carrier + " " + .tracking')" "evri H01ABC23" \
    "show --json has the carrier as [carriers] writes it"

# ask --substitute: house blend is out of stock; the line gets decaf and
# the customer is asked whether that will do.  Undo puts it back.
mo catalog set HB-1KG --status out_of_stock >/dev/null
cat > "$TEST_TMP/oos.eml" <<EOF
From: Dana Whitfield <dana.whitfield@acme.example>
To: orders@beanleaf.example
Subject: Beans
Date: $(date -R)
Message-ID: <oos-$$@acme.example>

Please send 3 bags of house blend.
EOF
mo ingest "$TEST_TMP/oos.eml" >/dev/null
oos=$(mo list --json | jq -r 'select(.subject == "Beans") | .ref')
like "$(mo show --json "$oos" | jq -r '[.flags[].code] | join(",")')" "*unavailable*" \
    "an order for an out-of-stock product is flagged unavailable"
err=$(mo ask "$oos" --substitute 1 2>&1); is "$?" 64 "--substitute without =SKU is a usage error"
like "$err" "*--substitute wants LINE=SKU*" "saying what it wants"
err=$(mo ask "$oos" --substitute 1=HB-1KG 2>&1); is "$?" 65 "an unavailable substitute is refused"
out=$(mo ask "$oos" --substitute 1=DECAF-1KG); is "$?" 0 "ask --substitute 1=DECAF-1KG exits 0"
is "$(mo show --json "$oos" | jq -r '.lines[0].sku')" DECAF-1KG "the line has the substitute"
is "$(mo show --json "$oos" | jq -r .status)" flagged "and the order waits for the answer"
is "$(mo show --json "$oos" | jq -r '[.flags[] | select(.code == "unavailable" and (.resolved | not))] | length')" \
    0 "unavailable is settled"
body=$(sqlite3 "$DB" "SELECT body FROM outbox WHERE order_id = ${oos#MO-} AND kind = 'question'" | tr -d '\r')
like "$body" "*House Blend Coffee Beans 1kg is not available at the moment. We could send*Decaf Coffee Beans 1kg instead*" \
    "the question names both products"
mo undo "$oos" >/dev/null
is "$(mo show --json "$oos" | jq -r '.lines[0].sku')" HB-1KG "undo puts the line back"
is "$(outbox "${oos#MO-}" | grep question)" "question cancelled" "and the question does not leave"

done_testing

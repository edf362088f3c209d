#!/bin/sh
# mailorder export: the CSV rows against the store (read back with
# Python's csv module), JSON Lines against `show --json`, UBL documents
# parsed by libxml2 (xmllint), and --new exporting each order version
# exactly once, also when a run stops half-way.
. "${top_srcdir:-.}/tests/lib.sh"

DB="$TEST_TMP/shop.db"
"$top_builddir/bench/gen_store" "$DB" 400 2026-11-30 60 5 >/dev/null 2>&1
ok $? "gen_store makes a history"
sq() { sqlite3 -separator '|' "$DB" "$1"; }
mo() { "$MAILORDER" --db "$DB" "$@"; }
# One order with everything the formats carry: a PO, a delivery date,
# a comma and a quote in the customer's name, a unit UBL has no code for.
X=$(sq "SELECT ref FROM orders WHERE status = 'accepted' ORDER BY id LIMIT 1")
XC=$(sq "SELECT customer_id FROM orders WHERE ref = '$X'")
sq "UPDATE orders SET po_number = 'PO-77', requested_date = '2026-12-04'
    WHERE ref = '$X'; UPDATE customers SET name = 'Acme, \"West\"'
    WHERE id = '$XC'; UPDATE order_lines SET unit = 'tray'
    WHERE line_no = 1 AND order_id = (SELECT id FROM orders WHERE ref = '$X')"

SOLD="o.message_id IS NOT NULL AND o.status IN ('accepted','shipped')"
mo export >"$TEST_TMP/all.csv"
is "$?" 0 "export (csv to standard output) runs"
is "$(head -1 "$TEST_TMP/all.csv")" \
    "$(printf 'order_ref,received_at,customer_id,customer_name,po_number,requested_date,line_no,sku,product_name,quantity,unit,status,carrier,tracking\r')" \
    "the documented columns, in order"
python3 - "$TEST_TMP/all.csv" >"$TEST_TMP/csv.out" <<'PY'
import csv, sys
with open(sys.argv[1], newline='', encoding='utf-8') as f:
    for r in list(csv.reader(f))[1:]:
        print('|'.join(r))
PY
sq "SELECT o.ref, m.received_at, o.customer_id, c.name, ifnull(o.po_number, ''),
    ifnull(o.requested_date, ''), l.line_no, l.sku, p.name, l.quantity,
    ifnull(l.unit, ''), o.status,
    CASE WHEN o.status = 'shipped' THEN (SELECT substr(n, 1, instr(n, ' ') - 1)
     FROM (SELECT json_extract(detail, '$.note') AS n FROM audit_log
     WHERE order_id = o.id AND action = 'ship' ORDER BY id DESC LIMIT 1)) ELSE '' END,
    CASE WHEN o.status = 'shipped' THEN (SELECT substr(n, instr(n, ' ') + 1)
     FROM (SELECT json_extract(detail, '$.note') AS n FROM audit_log
     WHERE order_id = o.id AND action = 'ship' ORDER BY id DESC LIMIT 1)) ELSE '' END
    FROM orders o JOIN messages m ON m.id = o.message_id
    JOIN customers c ON c.id = o.customer_id
    JOIN order_lines l ON l.order_id = o.id JOIN products p ON p.sku = l.sku
    WHERE $SOLD ORDER BY o.id, l.line_no" >"$TEST_TMP/csv.sql"
[ "$(wc -l <"$TEST_TMP/csv.sql")" -gt 500 ]
ok $? "the history has lines to export ($(wc -l <"$TEST_TMP/csv.sql"))"
cmp -s "$TEST_TMP/csv.sql" "$TEST_TMP/csv.out"
r=$?; ok $r "every line of every accepted or shipped order, field by field"
[ $r -eq 0 ] || diff "$TEST_TMP/csv.sql" "$TEST_TMP/csv.out" | head -5 | sed 's/^/# /'
grep -q "^$X,.*,\"Acme, \"\"West\"\"\",PO-77,2026-12-04,1," "$TEST_TMP/all.csv"
ok $? "a name with a comma and quotes is quoted as RFC 4180 says"

S=$(sq "SELECT min(order_date) FROM orders o WHERE $SOLD AND o.status = 'shipped'")
mo export --status shipped --since "$S" --until "$S" >"$TEST_TMP/s.csv"
is "$(tail -n +2 "$TEST_TMP/s.csv" | cut -d, -f1 | sort -u | tr '\n' ' ')" \
    "$(sq "SELECT ref FROM orders o WHERE $SOLD AND o.status = 'shipped'
    AND order_date = '$S' ORDER BY ref" | tr '\n' ' ')" \
    "--status and --since/--until select the orders"
mo export --status shipped,nonsense >/dev/null 2>"$TEST_TMP/err"
is "$?" 64 "an unknown status is a usage error"
like "$(cat "$TEST_TMP/err")" "*--status 'nonsense' is not a status*" "naming it"

# A flagged order with a line no product was found for yet.
F=$(sq "SELECT ref FROM orders WHERE status = 'flagged' ORDER BY id LIMIT 1")
sq "UPDATE order_lines SET sku = NULL, text = 'those choc things'
    WHERE line_no = 1 AND order_id = (SELECT id FROM orders WHERE ref = '$F')"
mo export --status flagged >"$TEST_TMP/f.csv"
tr -d '\r' <"$TEST_TMP/f.csv" | grep -q "^$F,.*,1,,,[0-9]*,[a-z]*,flagged,,\$"
ok $? "a line without a product has empty SKU and name columns"
mkdir "$TEST_TMP/fubl"
mo export --status flagged --format ubl --out "$TEST_TMP/fubl" >/dev/null
FU=$(ls "$TEST_TMP/fubl/$F"-v*.xml)
is "$(xmllint --xpath "string((//*[local-name()='Item'])[1]/*[local-name()='Name'])" "$FU")|$(xmllint --xpath "count((//*[local-name()='Item'])[1]/*[local-name()='SellersItemIdentification'])" "$FU")" \
    "those choc things|0" "ubl: such a line is named by the customer's words, with no SKU"

# JSON Lines: each line is what `show --json` prints for that order.
mo export --format json >"$TEST_TMP/all.jsonl"
is "$(wc -l <"$TEST_TMP/all.jsonl")" "$(sq "SELECT count(*) FROM orders o WHERE $SOLD")" \
    "json: one line per order"
# show --json adds the order's conversation (thread, offered lines),
# which an export for the books leaves out
jq -cS . "$TEST_TMP/all.jsonl" >"$TEST_TMP/all.sorted"
bad=0
for ref in $(jq -r .ref "$TEST_TMP/all.jsonl" | head -40); do
	mo show "$ref" --json | jq -cS 'del(.thread, .offered)' \
	    >"$TEST_TMP/show.json"
	grep -qxF -f "$TEST_TMP/show.json" "$TEST_TMP/all.sorted" || bad=$((bad + 1))
done
is "$bad" 0 "json: each line is the object show --json prints, less the conversation"

# UBL: one document per order; libxml2 parses each, and the fields land
# where the UBL 2.1 Order schema puts them.
mkdir "$TEST_TMP/ubl"
mo export --format ubl >/dev/null 2>"$TEST_TMP/err"
is "$?" 73 "ubl without --out is refused"
mo export --format ubl --out "$TEST_TMP/ubl" >"$TEST_TMP/out"
is "$?" 0 "export --format ubl --out DIR runs"
is "$(ls "$TEST_TMP/ubl" | wc -l)" "$(sq "SELECT count(*) FROM orders o WHERE $SOLD")" \
    "ubl: one file per order"
xmllint --noout "$TEST_TMP"/ubl/*.xml
ok $? "ubl: every document parses (libxml2)"
V=$(sq "SELECT version FROM orders WHERE ref = '$X'")
U="$TEST_TMP/ubl/$X-v$V.xml"
xp() { xmllint --xpath "$1" "$U" 2>/dev/null; }
NS="*[local-name()='Order']"
is "$(xp "string(/$NS/*[local-name()='ID'])") $(xp "string(/$NS/*[local-name()='SalesOrderID'])")" \
    "PO-77 $X" "ubl: cbc:ID is the customer's PO, cbc:SalesOrderID our reference"
is "$(xp "string(//*[local-name()='BuyerCustomerParty']/*[local-name()='SupplierAssignedAccountID'])")|$(xp "string(//*[local-name()='BuyerCustomerParty']//*[local-name()='PartyName']/*[local-name()='Name'])")" \
    "$XC|Acme, \"West\"" "ubl: the buyer's account ID and name"
is "$(xp "string(//*[local-name()='RequestedDeliveryPeriod']/*[local-name()='StartDate'])")" \
    "2026-12-04" "ubl: the requested delivery date"
is "$(xp "count(//*[local-name()='OrderLine'])") $(xp "string(/$NS/*[local-name()='LineCountNumeric'])")" \
    "$(sq "SELECT count(*) FROM order_lines l JOIN orders o ON o.id = l.order_id
    WHERE o.ref = '$X'") $(sq "SELECT count(*) FROM order_lines l JOIN orders o
    ON o.id = l.order_id WHERE o.ref = '$X'")" "ubl: one OrderLine per line, counted"
is "$(xp "string((//*[local-name()='LineItem'])[1]/*[local-name()='Note'])")|$(xp "string((//*[local-name()='LineItem'])[1]/*[local-name()='Quantity']/@unitCode)")" \
    "unit: tray|" "ubl: a unit without a UN/ECE code goes into the line's note"
is "$(xp "string((//*[local-name()='LineItem'])[2]/*[local-name()='Quantity']/@unitCode)")" \
    "$(sq "SELECT CASE unit WHEN 'bag' THEN 'BG' WHEN 'case' THEN 'CS'
    WHEN 'box' THEN 'BX' WHEN 'bottle' THEN 'BO' END FROM order_lines
    WHERE line_no = 2 AND order_id = (SELECT id FROM orders WHERE ref = '$X')")" \
    "ubl: a known unit gets its Recommendation 20 code"
# The schema's sequence, for the elements written: each must come after
# the ones before it.
xmllint --xpath "/$NS/*" "$U" | sed -n 's/^<\([a-zA-Z:]*\).*/\1/p' |
    uniq >"$TEST_TMP/order.seq"
printf '%s\n' cbc:UBLVersionID cbc:ID cbc:SalesOrderID cbc:IssueDate \
    cbc:IssueTime cbc:Note cbc:LineCountNumeric cac:BuyerCustomerParty \
    cac:SellerSupplierParty cac:Delivery cac:OrderLine >"$TEST_TMP/schema.seq"
cmp -s "$TEST_TMP/order.seq" "$TEST_TMP/schema.seq"
ok $? "ubl: the Order's elements come in the schema's order"

# --new: the cursor.  JSON carries each order's version, so the files
# show which version went out.
mkdir "$TEST_TMP/new"
N="$TEST_TMP/new"
mo export --new --format json >/dev/null 2>&1
is "$?" 73 "--new without --out is refused"
mo export --new --format json --out "$N" >"$TEST_TMP/out"
is "$(cat "$TEST_TMP/out")" \
    "exported $(sq "SELECT count(*) FROM orders o WHERE $SOLD") orders into $(cd "$N" && pwd -P)/mailorder-000001.jsonl" \
    "the first --new run exports every order"
mo export --new --format json --out "$N" >"$TEST_TMP/out"
is "$(cat "$TEST_TMP/out")" "nothing new to export" "a second run exports nothing"
is "$(ls "$N")" "mailorder-000001.jsonl" "and writes no file"
mo export --new --format csv --out "$N" >/dev/null
is "$(ls "$N" | wc -l)" 2 "each format has its own cursor"

A=$(sq "SELECT ref FROM orders WHERE status = 'accepted' ORDER BY id DESC LIMIT 1")
mo ship "$A" --carrier dhl --tracking JD42 >/dev/null 2>&1
mo export --new --format json --out "$N" >/dev/null
is "$(jq -r '"\(.ref) \(.version) \(.status)"' "$N/mailorder-000003.jsonl")" \
    "$A 2 shipped" "a change is exported again: only that order, its new version"

# A run that stops after its commit: a directory where its temporary
# file goes makes the write fail.  Nothing is lost, nothing doubled.
B=$(sq "SELECT ref FROM orders WHERE status = 'accepted' ORDER BY id DESC LIMIT 1")
mo ship "$B" --carrier dhl --tracking JD43 >/dev/null 2>&1
mkdir "$N/.mailorder-000004.jsonl.tmp"
mo export --new --format json --out "$N" >/dev/null 2>"$TEST_TMP/err"
is "$?" 73 "a run that cannot write its file fails"
like "$(cat "$TEST_TMP/err")" "mailorder: cannot write '*/.mailorder-000004.jsonl.tmp': Is a directory" \
    "naming the file"
test -e "$N/mailorder-000004.jsonl"; is "$?" 1 "and leaves no partial file"
rmdir "$N/.mailorder-000004.jsonl.tmp"
C=$(sq "SELECT ref FROM orders WHERE status = 'accepted' ORDER BY id DESC LIMIT 1")
mo ship "$C" --carrier dhl --tracking JD44 >/dev/null 2>&1
mo export --new --format json --out "$N" >"$TEST_TMP/out"
is "$(head -1 "$TEST_TMP/out")" "wrote 1 file of an unfinished earlier export" \
    "the next run finishes the stopped one first"
is "$(jq -r .ref "$N/mailorder-000004.jsonl") $(jq -r .ref "$N/mailorder-000005.jsonl")" \
    "$B $C" "from the bytes it committed, then its own"
cat "$N"/*.jsonl | jq -r '"\(.ref) \(.version)"' | sort >"$TEST_TMP/versions"
is "$(sort -u "$TEST_TMP/versions" | wc -l) $(wc -l <"$TEST_TMP/versions")" \
    "$(($(sq "SELECT count(*) FROM orders o WHERE $SOLD") + 3)) $(($(sq "SELECT count(*) FROM orders o WHERE $SOLD") + 3))" \
    "every order version went out exactly once"
is "$(ls -a "$N" | grep -c '\.tmp$')" 0 "no temporary file is left"
done_testing

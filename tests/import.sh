#!/bin/sh
# mailorder import: the summary on success, and on failure the exit status
# and the one "FILE:LINE: reason" line an operator reads, with nothing
# imported.
. "${top_srcdir:-.}/tests/lib.sh"

# Relative names, so messages show the file as the user typed it.
cd "$top_srcdir/tests/fixtures/csv" || exit 1
DB="$TEST_TMP/mo.db"

imp() {	# imp KIND FILE: sets out, err, rc
	"$MAILORDER" --db "$DB" import "$1" "$2" >"$TEST_TMP/out" \
	    2>"$TEST_TMP/err"
	rc=$?
	out=$(cat "$TEST_TMP/out")
	err=$(cat "$TEST_TMP/err")
}

imp catalog nope.csv
is "$rc" 66 "a missing file is EX_NOINPUT"
is "$err" "mailorder: cannot open 'nope.csv': No such file or directory" \
    "the missing file is named"
test -e "$DB"; is "$?" 1 "a missing file does not create the database"

imp catalog catalog.csv
is "$rc" 0 "catalog imports"
is "$out" "imported 3 products (3 new, 0 updated, 0 unchanged), 4 aliases" \
    "catalog summary counts products and aliases"
is "$err" "" "a good import is silent on stderr"

imp customers customers.csv
is "$rc" 0 "customers with BOM, CRLF and a quoted newline import"
is "$out" "imported 2 customers (2 new, 0 updated, 0 unchanged), 3 addresses" \
    "customers summary"

imp history history.csv
is "$rc" 0 "history imports"
is "$out" "imported 2 orders (2 new, 0 updated, 0 unchanged), 3 order lines" \
    "history summary counts orders and lines"

# Re-importing an unchanged file changes nothing: no order's version (the
# operators' optimistic lock) and no cache counter moves.
sq() { sqlite3 "$DB" "$1"; }
state() { sq "SELECT group_concat(ref || '=' || version || '/' || updated_at, ' ')
    FROM orders; SELECT group_concat(key || '=' || value, ' ') FROM store_meta"; }
before=$(state)
imp history history.csv
is "$out" "imported 2 orders (0 new, 0 updated, 2 unchanged), 3 order lines" \
    "re-importing unchanged history: 0 new, 0 updated, 2 unchanged"
imp catalog catalog.csv
is "$out" "imported 3 products (0 new, 0 updated, 3 unchanged), 4 aliases" \
    "re-importing an unchanged catalog: 3 unchanged"
imp customers customers.csv
is "$out" "imported 2 customers (0 new, 0 updated, 2 unchanged), 3 addresses" \
    "re-importing unchanged customers: 2 unchanged"
is "$(state)" "$before" "and no version, timestamp or cache counter changed"

# One changed line: only its order is updated, and only its version moves.
sed 's/^H1,C1,2024-01-05,CUP-12,2$/H1,C1,2024-01-05,CUP-12,5/' history.csv \
    > "$TEST_TMP/history-h1.csv"
imp history "$TEST_TMP/history-h1.csv"
is "$out" "imported 2 orders (0 new, 1 updated, 1 unchanged), 3 order lines" \
    "a changed quantity updates that order only"
is "$(sq "SELECT group_concat(ref || '=' || version, ' ') FROM orders")" "H1=2 H2=1" \
    "its version goes up by one, the other's stays"
is "$(sq "SELECT quantity FROM order_lines l JOIN orders o ON o.id = l.order_id
    WHERE o.ref = 'H1' AND l.sku = 'CUP-12'")" 5 "with the new quantity"
sed 's/^LID-12,.*$/LID-12,Lids for 12oz cups,case,lids,1/' catalog.csv > "$TEST_TMP/cat2.csv"
imp catalog "$TEST_TMP/cat2.csv"
is "$out" "imported 3 products (0 new, 1 updated, 2 unchanged), 5 aliases" \
    "a changed product (name, unit, an alias) is updated, the others not"
imp history history.csv
imp catalog catalog.csv

# Each bad file has a good new order (N1) or product before the bad row.
while IFS='|' read -r kind file msg; do
	imp "$kind" "$file"
	is "$rc" 65 "$file: bad data is EX_DATAERR"
	is "$err" "$msg" "$file: one line naming file, line and reason"
	is "$out" "" "$file: no summary"
done <<'EOF'
history|history-unknown-sku.csv|history-unknown-sku.csv:3: unknown sku 'XYZ-1'
history|history-unknown-customer.csv|history-unknown-customer.csv:3: unknown customer 'C9'
history|history-bad-date.csv|history-bad-date.csv:3: invalid date '2023-02-29' (expected YYYY-MM-DD)
history|history-zero-quantity.csv|history-zero-quantity.csv:3: invalid quantity '0' (expected a number above 0 and up to 1000000, at most 3 decimals)
history|history-decimal-quantity.csv|history-decimal-quantity.csv:3: invalid quantity '2.5555' (expected a number above 0 and up to 1000000, at most 3 decimals)
history|history-bad-utf8.csv|history-bad-utf8.csv:3: invalid UTF-8 in column 'sku'
history|history-empty-customer.csv|history-empty-customer.csv:3: missing value for 'customer_id'
history|catalog.csv|catalog.csv:1: missing column 'order_ref'
catalog|catalog-missing-column.csv|catalog-missing-column.csv:1: missing column 'name'
catalog|catalog-unterminated.csv|catalog-unterminated.csv:3: unterminated quoted field
customers|customers-bad-address.csv|customers-bad-address.csv:3: invalid address 'a, b' (expected user@domain or @domain)
EOF

# N1 was in every bad history file: had any of them committed it, this
# would not be new.
imp history history-n1.csv
is "$out" "imported 1 order (1 new, 0 updated, 0 unchanged), 1 order line" \
    "the failed imports left nothing behind"
imp catalog catalog.csv
is "$out" "imported 3 products (0 new, 0 updated, 3 unchanged), 4 aliases" \
    "no product from a failed catalog import was kept"

imp history /
is "$rc" 66 "a directory is EX_NOINPUT"
like "$err" "mailorder: cannot read '/': *" "an unreadable file is named"

# Customer IDs as a person types them.
printf 'order_ref,customer_id,date,sku,quantity\nH9,c1,2024-03-01,HB-1,1\n' > "$TEST_TMP/lower.csv"
imp history "$TEST_TMP/lower.csv"
is "$rc" 0 "a history row for customer 'c1' imports"
is "$(sqlite3 "$DB" "SELECT customer_id FROM orders WHERE ref = 'H9'")" C1 "as customer C1"

# A spreadsheet saved with semicolons between the columns.
printf 'sku;name;unit;aliases\nHB-1;House Blend 1kg;bag;hb\n' > "$TEST_TMP/semi.csv"
imp catalog "$TEST_TMP/semi.csv"
is "$rc" 65 "a semicolon-separated file is refused"
like "$err" "*semi.csv:1: *semicolon*" "and the message says it looks semicolon-separated"

# Availability: a status column when the file has one, else what
# `mailorder catalog set` said is kept.
av() { sqlite3 "$DB" "SELECT group_concat(sku || '=' || availability, ' ')
    FROM (SELECT * FROM products WHERE sku IN ('HB-1', 'CUP-12', 'LID-12') ORDER BY sku)"; }
"$MAILORDER" --db "$DB" catalog set LID-12 --status 'Out of stock' >/dev/null
is "$?" 0 "catalog set marks a product out of stock"
imp catalog catalog.csv
is "$(av)" "CUP-12=available HB-1=available LID-12=out_of_stock" \
    "a catalog without a status column keeps it"
printf 'sku,name,unit,aliases,status\nHB-1,House Blend 1kg,bag,house blend;hb,discontinued\nCUP-12,"Cups, 12oz",case,"12oz cups;twelve ounce cups",out-of-stock\nLID-12,"Lids for the ""12oz"" cups",,,\n' > "$TEST_TMP/status.csv"
imp catalog "$TEST_TMP/status.csv"
is "$out" "imported 3 products (0 new, 3 updated, 0 unchanged), 4 aliases" \
    "a status column counts as a change"
is "$(av)" "CUP-12=out_of_stock HB-1=discontinued LID-12=available" \
    "and sets each product's availability (empty: available)"
printf 'sku,name,availability\nHB-1,House Blend 1kg,sold out\n' > "$TEST_TMP/badstatus.csv"
imp catalog "$TEST_TMP/badstatus.csv"
is "$rc" 65 "an unknown status is refused"
like "$err" "*badstatus.csv:2: unknown status 'sold out'*" "naming FILE:LINE"
"$MAILORDER" --db "$DB" catalog set NOPE-1 --status available 2>/dev/null
is "$?" 65 "catalog set on an unknown SKU is EX_DATAERR"
"$MAILORDER" --db "$DB" catalog set HB-1 --status soon 2>/dev/null
is "$?" 64 "and an unknown status EX_USAGE"
is "$("$MAILORDER" --db "$DB" catalog unavailable | awk '{print $1 " " $2}' | xargs)" \
    "CUP-12 out_of_stock HB-1 discontinued" "catalog unavailable lists them"

imp frobs catalog.csv
is "$rc" 64 "an unknown kind is EX_USAGE"
like "$err" "mailorder: unknown import 'frobs'*" "the unknown kind is named"
"$MAILORDER" --db "$DB" import catalog >/dev/null 2>&1
is "$?" 64 "a missing FILE is EX_USAGE"
"$MAILORDER" --db "$DB" import catalog a b >/dev/null 2>&1
is "$?" 64 "an extra argument is EX_USAGE"

done_testing

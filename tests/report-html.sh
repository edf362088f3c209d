#!/bin/sh
# mailorder report --html: the page parses with libxml2, as HTML and as
# XML; its charts have one mark per figure; it fetches nothing; and a
# real browser (headless Chromium) draws the charts: the screenshot has
# the charts' colours where a page without them has none.
. "${top_srcdir:-.}/tests/lib.sh"

DB="$TEST_TMP/shop.db"
"$top_builddir/bench/gen_store" "$DB" 1500 2026-11-30 120 3 >/dev/null 2>&1
ok $? "gen_store makes a history"
mo() { "$MAILORDER" --db "$DB" "$@"; }
P="--since 2026-08-03 --until 2026-11-30"
C=$(sqlite3 "$DB" "SELECT customer_id FROM orders WHERE status IN
    ('accepted','shipped') GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
# A name with markup in it must stay text.
sqlite3 "$DB" "UPDATE customers SET name = 'Bean <&> \"Leaf\"' WHERE id = '$C'"
mo report $P --html "$TEST_TMP/shop.html" >"$TEST_TMP/out"
is "$(cat "$TEST_TMP/out")" "wrote $TEST_TMP/shop.html" "report --html FILE writes the page"
mo report $P --json >"$TEST_TMP/shop.json"
mo report customer "$C" --until 2026-11-30 --html "$TEST_TMP/customer.html" >/dev/null
mo report customer "$C" --until 2026-11-30 --json >"$TEST_TMP/customer.json"
mo report due --until 2026-11-30 --html "$TEST_TMP/due.html" >/dev/null
mo report due --until 2026-11-30 --json >"$TEST_TMP/due.json"

for page in shop customer due; do
	f="$TEST_TMP/$page.html"
	xmllint --noout "$f" 2>"$TEST_TMP/xml.err"
	ok $? "$page: the page is well-formed (libxml2's XML parser)"
	xmllint --html --noout "$f" 2>"$TEST_TMP/html.err"
	# libxml2 2.9's HTML parser knows no SVG element names and says so;
	# anything else it says is a real mistake.
	grep 'error :' "$TEST_TMP/html.err" | grep -v -E \
	    'Tag (svg|rect|line|polyline|circle|text) invalid' >"$TEST_TMP/html.bad"
	is "$(cat "$TEST_TMP/html.bad")" "" "$page: libxml2's HTML parser reads it without errors"
	grep -c -E '<script|src=|href=|url\(|@import' "$f" >"$TEST_TMP/refs"
	is "$(cat "$TEST_TMP/refs")" 0 "$page: no script and nothing fetched"
done

hx() { xmllint --html --xpath "$2" "$TEST_TMP/$1.html" 2>/dev/null; }
is "$(hx shop "count(//svg[@id='orders-per-week']/rect)")" \
    "$(jq '.weeks | length' "$TEST_TMP/shop.json")" "one bar per week"
is "$(hx shop "string(//svg[@id='orders-per-week']/rect[last()]/title)")" \
    "$(jq -r '.weeks[-1] | "week of \(.week): \(.orders) orders"' "$TEST_TMP/shop.json")" \
    "each bar says its week and its orders"
is "$(hx shop "count(//svg[@id='touchless-rate']/circle)")" \
    "$(jq '[.weeks[] | select(.orders > 0)] | length' "$TEST_TMP/shop.json")" \
    "one touchless point per week with orders"
is "$(hx shop "count(//svg[@id='actions-per-day']/rect)")" \
    "$(jq '.operator_actions.per_day | length' "$TEST_TMP/shop.json")" "one bar per day with actions"
is "$(hx shop "string(//table[@id='summary']//tr[1]/td[2])")" \
    "$(jq .orders "$TEST_TMP/shop.json")" "the summary table has the orders"
is "$(hx shop "count(//svg[@id='customer-mix']/rect[@class='seg'])")" \
    "$(jq '[.top_customers[] | (.mix.products | length) + (if .mix.other > 0 then 1 else 0 end)] | add' "$TEST_TMP/shop.json")" \
    "the shop page has each top customer's product mix, a segment per product"
is "$(hx customer "count(//svg[@id='product-mix']/rect)")" \
    "$(jq '.products | length' "$TEST_TMP/customer.json")" "the product mix has a bar per product"
is "$(hx customer "string(//svg[@id='product-mix']/rect[1]/title)")" \
    "$(jq -r '.products[0].share * 100 | round | "\(.)% of orders"' "$TEST_TMP/customer.json")" \
    "each saying its share of orders"
is "$(hx customer "string(//h1)")" "Bean <&> \"Leaf\" ($C)" \
    "a customer's name with markup in it is shown as text"
is "$(hx due "count(//table[@id='due']//tr) - 1")" "$(jq '.due | length' "$TEST_TMP/due.json")" \
    "the due page lists every overdue customer"

# The browser.  Half scale keeps the picture small for the counting.
shot() {	# shot PAGE PNG
	timeout 120 chromium --headless --no-sandbox --disable-gpu \
	    --hide-scrollbars --user-data-dir="$TEST_TMP/chromium" \
	    --force-device-scale-factor=0.5 --window-size=1000,1800 \
	    --screenshot="$2" "file://$1" >/dev/null 2>&1
}
count() { python3 "$top_srcdir/tests/pngcount.py" "$@" | tr '\n' ' '; }
shot "$TEST_TMP/shop.html" "$TEST_TMP/shop.png"
ok $? "headless Chromium takes a screenshot of the shop page"
set -- $(count "$TEST_TMP/shop.png" 3b6ea5 2f855a 805ad5 1a202c)
blue=$1 green=$2 purple=$3 ink=$4
[ "$blue" -gt 5000 ]; ok $? "the orders-per-week bars are drawn ($blue blue pixels)"
[ "$green" -gt 150 ]; ok $? "the touchless line is drawn ($green green pixels)"
[ "$purple" -gt 3000 ]; ok $? "the operator-action bars are drawn ($purple purple pixels)"
[ "$ink" -gt 500 ]; ok $? "and the text ($ink dark pixels)"
# The same page without its charts: the same count finds nothing, so the
# counts above come from the charts.
sed '/^<svg/,/^<\/svg>/d' "$TEST_TMP/shop.html" >"$TEST_TMP/bare.html"
shot "$TEST_TMP/bare.html" "$TEST_TMP/bare.png"
set -- $(count "$TEST_TMP/bare.png" 3b6ea5 2f855a 805ad5 1a202c)
[ "$1" -lt 50 ] && [ "$2" -lt 50 ] && [ "$3" -lt 50 ] && [ "$4" -gt 500 ]
ok $? "a page without the charts has text but none of their colours ($*)"
shot "$TEST_TMP/customer.html" "$TEST_TMP/customer.png"
set -- $(count "$TEST_TMP/customer.png" 3b6ea5 2f855a c05621)
[ "$1" -gt 300 ] && [ "$2" -gt 300 ] && [ "$3" -gt 300 ]
ok $? "the customer's product mix is drawn, a colour per product ($*)"
done_testing

#!/bin/sh
# mailorder report: every figure of the shop overview, recomputed here
# straight from the store with SQL of its own (sqlite3) for a generated
# history, must equal what `report --json` says.  The SQL below is
# written apart from store/report.c and insight/ on purpose: other
# formulas for the week, the times and the ranks.
. "${top_srcdir:-.}/tests/lib.sh"

DB="$TEST_TMP/shop.db"
GEN="$top_builddir/bench/gen_store"
today=$(date -u +%Y-%m-%d)
"$GEN" "$DB" 3000 "$today" 200 7 >/dev/null 2>&1
ok $? "gen_store makes a history"

sq() { sqlite3 -separator ' ' "$DB" "$1"; }
# The period of the checks: 26 weeks ending 3 days ago, so both ends cut
# through a week, and the oldest weeks hold imported history.
S=$(date -u -d "$today - 185 days" +%Y-%m-%d)
U=$(date -u -d "$today - 3 days" +%Y-%m-%d)
"$MAILORDER" --db "$DB" report --json --since "$S" --until "$U" \
    >"$TEST_TMP/r.json" 2>"$TEST_TMP/err"
is "$?" 0 "report --json runs"
j() { jq -r "$1" "$TEST_TMP/r.json"; }
is "$(j '.period.since + " " + .period.until')" "$S $U" "the period is as asked"

P="o.order_date BETWEEN '$S' AND '$U'"
MAIL="o.status IN ('accepted','flagged','rejected','shipped')"
TOUCHED="o.id IN (SELECT order_id FROM audit_log WHERE action != 'ship'
    AND order_id IS NOT NULL)"
n_mail=$(sq "SELECT count(*) FROM orders o WHERE $P AND $MAIL")
n_touchless=$(sq "SELECT count(*) FROM orders o WHERE $P
    AND o.status IN ('accepted','shipped') AND NOT ($TOUCHED)")
n_imported=$(sq "SELECT count(*) FROM orders o WHERE $P AND o.status = 'imported'")
n_sales=$(sq "SELECT count(*) FROM orders o WHERE $P
    AND o.status IN ('imported','accepted','shipped')")
[ "$n_mail" -gt 1000 ] && [ "$n_touchless" -gt 500 ] && [ "$n_imported" -gt 50 ]
ok $? "the period has orders to count ($n_mail from mail, $n_touchless touchless, $n_imported imported)"
is "$(j .orders)" "$n_mail" "orders from mail"
is "$(j .touchless)" "$n_touchless" "touchless orders"
is "$(j .touchless_rate)" "$(awk -v t="$n_touchless" -v o="$n_mail" \
    'BEGIN { printf "%.4f", t / o }')" "the touchless rate"
is "$(j .imported)" "$n_imported" "imported orders"
is "$(j .sales)" "$n_sales" "sales"

# Weeks: Monday is the day minus (weekday + 6) % 7 days.
WK="date(o.order_date, '-' || ((strftime('%w', o.order_date) + 6) % 7) || ' days')"
sq "SELECT $WK AS wk, sum($MAIL),
    sum(o.status IN ('accepted','shipped') AND NOT ($TOUCHED)),
    sum(o.status = 'imported') FROM orders o WHERE $P GROUP BY wk
    HAVING sum($MAIL) + sum(o.status = 'imported') > 0 ORDER BY wk" \
    >"$TEST_TMP/weeks.sql"
j '.weeks[] | select(.orders + .imported > 0) |
    "\(.week) \(.orders) \(.touchless) \(.imported)"' >"$TEST_TMP/weeks.json"
cmp -s "$TEST_TMP/weeks.sql" "$TEST_TMP/weeks.json"
r=$?; ok $r "orders, touchless and imported per week"
[ $r -eq 0 ] || diff "$TEST_TMP/weeks.sql" "$TEST_TMP/weeks.json" | head -5 | sed 's/^/# /'
first=$(sq "SELECT date('$S', '-' || ((strftime('%w', '$S') + 6) % 7) || ' days')")
last=$(sq "SELECT date('$U', '-' || ((strftime('%w', '$U') + 6) % 7) || ' days')")
nweeks=$(sq "SELECT CAST((julianday('$last') - julianday('$first')) / 7 AS INT) + 1")
is "$(j '.weeks[0].week + " " + (.weeks | length | tostring)')" "$first $nweeks" \
    "every week of the period is listed, from the Monday of its first day"
is "$(j '[.weeks[].orders] | add')" "$n_mail" "the weeks add up to the orders"

sq "SELECT f.code, count(*), count(DISTINCT f.order_id) FROM flags f
    JOIN orders o ON o.id = f.order_id WHERE $P AND $MAIL
    GROUP BY f.code ORDER BY 3 DESC, 2 DESC, 1" >"$TEST_TMP/flags.sql"
j '.flags[] | "\(.code) \(.flags) \(.orders)"' >"$TEST_TMP/flags.json"
cmp -s "$TEST_TMP/flags.sql" "$TEST_TMP/flags.json"
ok $? "flags by code: flags raised and orders flagged"
is "$(wc -l <"$TEST_TMP/flags.sql")" 5 "every code the history has is counted"

# Confirmation times: seconds from arrival to the first sent
# confirmation; the median of an even count is the mean of the middle
# two, p90 is the nearest rank ceil(0.9 n).
LAT="SELECT CAST(strftime('%s', (SELECT min(b.sent_at) FROM outbox b
    WHERE b.order_id = o.id AND b.kind = 'confirmation' AND b.state = 'sent'))
    AS INTEGER) - CAST(strftime('%s', m.received_at) AS INTEGER) AS v
    FROM orders o JOIN messages m ON m.id = o.message_id WHERE $P AND $MAIL
    AND EXISTS (SELECT 1 FROM outbox b WHERE b.order_id = o.id
    AND b.kind = 'confirmation' AND b.state = 'sent')"
n_lat=$(sq "SELECT count(*) FROM ($LAT)")
median=$(sq "SELECT avg(v) FROM (SELECT v FROM ($LAT) ORDER BY v
    LIMIT 2 - $n_lat % 2 OFFSET ($n_lat - 1) / 2)")
p90=$(sq "SELECT v FROM ($LAT) ORDER BY v LIMIT 1
    OFFSET (9 * $n_lat + 9) / 10 - 1")
median=$(awk -v m="$median" 'BEGIN { printf "%.3f", m }' | sed 's/\.\{0,1\}0*$//')
is "$(j .confirmation_seconds.orders)" "$n_lat" "orders with a sent confirmation"
is "$(j .confirmation_seconds.median)" "$median" "median time to confirmation"
is "$(j .confirmation_seconds.p90)" "$p90" "p90 time to confirmation"
[ "$p90" -gt "${median%.*}" ]; ok $? "p90 ($p90 s) is above the median ($median s)"

sq "SELECT date(at), count(*) FROM audit_log WHERE date(at) BETWEEN '$S' AND '$U'
    GROUP BY 1 ORDER BY 1" >"$TEST_TMP/days.sql"
j '.operator_actions.per_day[] | "\(.day) \(.total)"' >"$TEST_TMP/days.json"
cmp -s "$TEST_TMP/days.sql" "$TEST_TMP/days.json"
ok $? "operator actions per day"
is "$(j '[.operator_actions.per_day[].actions.approve] | add')" \
    "$(sq "SELECT count(*) FROM audit_log WHERE action = 'approve'
    AND date(at) BETWEEN '$S' AND '$U'")" "approvals in the period, by action"
is "$(j .operator_actions.total)" "$(sq "SELECT count(*) FROM audit_log
    WHERE date(at) BETWEEN '$S' AND '$U'")" "operator actions in all"

SALE="o.status IN ('imported','accepted','shipped')"
sq "SELECT l.sku, p.name, count(DISTINCT l.order_id), printf('%g', total(l.quantity))
    FROM order_lines l JOIN orders o ON o.id = l.order_id
    JOIN products p ON p.sku = l.sku WHERE $P AND $SALE
    GROUP BY l.sku ORDER BY 3 DESC, total(l.quantity) DESC, 1 LIMIT 10" \
    >"$TEST_TMP/products.sql"
j '.top_products[] | "\(.sku) \(.name) \(.orders) \(.quantity)"' \
    >"$TEST_TMP/products.json"
cmp -s "$TEST_TMP/products.sql" "$TEST_TMP/products.json"
r=$?; ok $r "the top 10 products: orders and quantity"
[ $r -eq 0 ] || diff "$TEST_TMP/products.sql" "$TEST_TMP/products.json" | head -5 | sed 's/^/# /'

sq "SELECT o.customer_id, c.name, count(*) FROM orders o
    JOIN customers c ON c.id = o.customer_id WHERE $P AND $SALE
    GROUP BY 1 ORDER BY 3 DESC, 1 LIMIT 10" >"$TEST_TMP/customers.sql"
j '.top_customers[] | "\(.id) \(.name) \(.orders)"' >"$TEST_TMP/customers.json"
cmp -s "$TEST_TMP/customers.sql" "$TEST_TMP/customers.json"
ok $? "the top 10 customers by orders"

# Each top customer's product mix: their lines of the period by product,
# the five largest shares and the rest.
j '.top_customers[] | "\(.id) \(.mix.lines) " + ([.mix.products[] |
    "\(.sku)=\(.share)"] | join(",")) + " \(.mix.other)"' >"$TEST_TMP/mix.json"
for c in $(j '.top_customers[].id'); do
	L="SELECT l.sku FROM order_lines l JOIN orders o ON o.id = l.order_id
	    WHERE o.customer_id = '$c' AND $P AND $SALE AND l.sku IS NOT NULL"
	tot=$(sq "SELECT count(*) FROM ($L)")
	top=$(sq "SELECT group_concat(sku || '=' || printf('%g', round(1.0 * n / $tot, 4)), ',')
	    FROM (SELECT sku, count(*) AS n FROM ($L) GROUP BY sku ORDER BY n DESC, sku LIMIT 5)")
	other=$(sq "SELECT printf('%g', round(1.0 - 1.0 * sum(n) / $tot, 4))
	    FROM (SELECT count(*) AS n FROM ($L) GROUP BY sku ORDER BY n DESC, sku LIMIT 5)")
	echo "$c $tot $top $other"
done >"$TEST_TMP/mix.sql"
cmp -s "$TEST_TMP/mix.sql" "$TEST_TMP/mix.json"
r=$?; ok $r "each top customer's product mix: shares of their lines"
[ $r -eq 0 ] || diff "$TEST_TMP/mix.sql" "$TEST_TMP/mix.json" | head -5 | sed 's/^/# /'

"$MAILORDER" --db "$DB" report --json --top 3 --since "$S" --until "$U" \
    >"$TEST_TMP/r3.json"
is "$(jq -r '[.top_products, .top_customers | length] | join(" ")' \
    "$TEST_TMP/r3.json")" "3 3" "--top 3 keeps three of each"

# The default period: the last 12 weeks, today included.
"$MAILORDER" --db "$DB" report --json >"$TEST_TMP/d.json"
is "$(jq -r '.period.since + " " + .period.until' "$TEST_TMP/d.json")" \
    "$(date -u -d "$today - 83 days" +%Y-%m-%d) $today" \
    "by default the last 12 weeks up to today"

# A period without orders: zeros and nulls, not a failure.
"$MAILORDER" --db "$DB" report --json --since 2001-01-01 --until 2001-01-31 \
    >"$TEST_TMP/e.json"
is "$?" 0 "an empty period is reported"
is "$(jq -c '[.orders, .touchless_rate, .confirmation_seconds.median,
    (.weeks | length), (.top_products | length)]' "$TEST_TMP/e.json")" \
    "[0,null,null,5,0]" "with zeros, nulls and its empty weeks"

"$MAILORDER" --db "$DB" report --since 2026-02-30 >/dev/null 2>"$TEST_TMP/err"
is "$?" 64 "an impossible date is a usage error"
is "$(cat "$TEST_TMP/err")" \
    "mailorder: --since '2026-02-30' is not a date (YYYY-MM-DD)" \
    "and says which option and why"
"$MAILORDER" --db "$DB" report --since "$U" --until "$S" >/dev/null 2>&1
is "$?" 64 "--since after --until is a usage error"

# The text report shows the same totals.
"$MAILORDER" --db "$DB" report --since "$S" --until "$U" >"$TEST_TMP/r.txt"
like "$(sed -n 3p "$TEST_TMP/r.txt")" \
    "Orders from mail:   $n_mail (touchless $n_touchless, *%)" \
    "the text report leads with the same orders"
done_testing

#!/bin/sh
# mailorder report customer ID and report due: each figure recomputed
# here with SQL of its own (sqlite3, window functions) on a generated
# history, compared with what --json says.
. "${top_srcdir:-.}/tests/lib.sh"

DB="$TEST_TMP/shop.db"
today=$(date -u +%Y-%m-%d)
"$top_builddir/bench/gen_store" "$DB" 3000 "$today" 300 11 >/dev/null 2>&1
ok $? "gen_store makes a history"
sq() { sqlite3 -separator ' ' "$DB" "$1"; }
A=$(date -u -d "$today - 2 days" +%Y-%m-%d)	# as of, via --until
SALE="status IN ('imported','accepted','shipped') AND order_date <= '$A'"

# The customer with the most sales, and one with a regular rhythm.
C=$(sq "SELECT customer_id FROM orders WHERE $SALE GROUP BY 1
    ORDER BY count(*) DESC, 1 LIMIT 1")
lc=$(echo "$C" | tr 'A-Z' 'a-z')
"$MAILORDER" --db "$DB" report customer "$lc" --until "$A" --json \
    >"$TEST_TMP/c.json"
is "$?" 0 "report customer runs (the ID typed in lower case)"
j() { jq -r "$1" "$TEST_TMP/c.json"; }
is "$(j .id)" "$C" "it names the customer's ID"
is "$(j '"\(.orders) \(.first_order) \(.last_order)"')" \
    "$(sq "SELECT count(*), min(order_date), max(order_date) FROM orders
    WHERE customer_id = '$C' AND $SALE")" "number of orders, first and last"

# Gaps between days with an order; the median of an even count is the
# mean of the middle two.
GAPS="WITH d AS (SELECT DISTINCT order_date AS day FROM orders
    WHERE customer_id = '$C' AND $SALE),
    g AS (SELECT julianday(day) - julianday(lag(day) OVER (ORDER BY day))
    AS gap FROM d) SELECT gap FROM g WHERE gap IS NOT NULL"
ng=$(sq "SELECT count(*) FROM ($GAPS)")
med=$(sq "SELECT avg(gap) FROM (SELECT gap FROM ($GAPS) ORDER BY gap
    LIMIT 2 - $ng % 2 OFFSET ($ng - 1) / 2)")
is "$(j '"\(.rhythm.gaps) \(.rhythm.median_days)"')" \
    "$ng $(awk -v m="$med" 'BEGIN { printf "%g", m }')" "the rhythm: median days between order days"
is "$(j .rhythm.next_due)" "$(sq "SELECT date(max(order_date), '+' ||
    CAST(round($med) AS INT) || ' days') FROM orders WHERE customer_id = '$C'
    AND $SALE")" "the next order is due a median gap after the last"

# Products: orders with it, share of orders, quantity per order (the
# lines of one order added) as median, min and max.
PQ="SELECT l.sku, o.id, sum(l.quantity) AS q FROM orders o
    JOIN order_lines l ON l.order_id = o.id WHERE o.customer_id = '$C'
    AND o.$SALE AND l.sku IS NOT NULL GROUP BY l.sku, o.id"
norders=$(j .orders)
sq "WITH pq AS ($PQ), r AS (SELECT sku, q, row_number() OVER
    (PARTITION BY sku ORDER BY q) AS rn, count(*) OVER (PARTITION BY sku)
    AS n FROM pq) SELECT sku, n, printf('%g', round(1.0 * n / $norders, 4)),
    printf('%g', avg(CASE WHEN rn IN ((n + 1) / 2, (n + 2) / 2) THEN q END)),
    printf('%g', min(q)), printf('%g', max(q)) FROM r GROUP BY sku
    ORDER BY n DESC, sku LIMIT 10" >"$TEST_TMP/p.sql"
j '.products[] | "\(.sku) \(.orders) \(.share) \(.quantity.median) \(.quantity.min) \(.quantity.max)"' \
    >"$TEST_TMP/p.json"
cmp -s "$TEST_TMP/p.sql" "$TEST_TMP/p.json"
r=$?; ok $r "top products: orders, share, usual quantity and range"
[ $r -eq 0 ] || diff "$TEST_TMP/p.sql" "$TEST_TMP/p.json" | head -5 | sed 's/^/# /'

# Stopped: on two or more orders before the last 91 days, none since;
# new: first bought within them.
W=$(date -u -d "$A - 90 days" +%Y-%m-%d)
is "$(j .recent_since)" "$W" "the recent window is the last 91 days"
is "$(j '.stopped | join(" ")')" "$(sq "WITH pq AS ($PQ) SELECT
    group_concat(sku, ' ') FROM (SELECT sku FROM pq JOIN orders o ON o.id = pq.id
    GROUP BY sku HAVING sum(o.order_date < '$W') >= 2
    AND sum(o.order_date >= '$W') = 0 ORDER BY sku)")" "what they stopped buying"
is "$(j '.new | join(" ")')" "$(sq "WITH pq AS ($PQ) SELECT
    group_concat(sku, ' ') FROM (SELECT sku FROM pq JOIN orders o ON o.id = pq.id
    GROUP BY sku HAVING min(o.order_date) >= '$W' ORDER BY sku)")" "what is new"

Q="date('$A', 'start of month', '-' || ((strftime('%m', '$A') - 1) % 3) || ' months')"
is "$(j '.quarters | "\(.this.since) \(.this.orders) \(.this.lines) \(.last.since) \(.last.orders) \(.last.lines)"')" \
    "$(sq "SELECT $Q, (SELECT count(*) FROM orders WHERE customer_id = '$C'
    AND $SALE AND order_date >= $Q),
    (SELECT count(*) FROM order_lines l JOIN orders o ON o.id = l.order_id
    WHERE o.customer_id = '$C' AND o.$SALE AND l.sku IS NOT NULL AND o.order_date >= $Q),
    date($Q, '-3 months'),
    (SELECT count(*) FROM orders WHERE customer_id = '$C' AND $SALE
    AND order_date >= date($Q, '-3 months') AND order_date < $Q),
    (SELECT count(*) FROM order_lines l JOIN orders o ON o.id = l.order_id
    WHERE o.customer_id = '$C' AND o.$SALE AND l.sku IS NOT NULL
    AND o.order_date >= date($Q, '-3 months') AND o.order_date < $Q)")" \
    "this quarter against the last: orders and lines"
is "$(j '[.recent_orders[].ref] | join(" ")')" "$(sq "SELECT group_concat(ref, ' ')
    FROM (SELECT ref FROM orders WHERE customer_id = '$C' AND $SALE
    ORDER BY order_date DESC, id DESC LIMIT 10)")" "the 10 most recent orders"
"$MAILORDER" --db "$DB" report customer nobody >/dev/null 2>"$TEST_TMP/err"
is "$?" 65 "an unknown customer is bad data"
is "$(cat "$TEST_TMP/err")" "mailorder: no customer 'nobody'" "and is named"

# report due: regular customers (4+ order days) more than 1.5 median
# gaps past their last order, the most recently due first.
DUE="WITH d AS (SELECT DISTINCT customer_id AS c, order_date AS day FROM orders
    WHERE customer_id IS NOT NULL AND $SALE),
  g AS (SELECT c, julianday(day) - julianday(lag(day) OVER (PARTITION BY c
    ORDER BY day)) AS gap FROM d),
  r AS (SELECT c, gap, row_number() OVER (PARTITION BY c ORDER BY gap) AS rn,
    count(*) OVER (PARTITION BY c) AS n FROM g WHERE gap IS NOT NULL),
  m AS (SELECT c, avg(gap) AS med FROM r WHERE rn IN ((n + 1) / 2, (n + 2) / 2)
    GROUP BY c),
  l AS (SELECT c, max(day) AS last, count(*) AS nd FROM d GROUP BY c)
  SELECT l.c, nd, printf('%g', med), last,
    date(last, '+' || CAST(round(med) AS INT) || ' days') AS due,
    CAST(julianday('$A') - julianday(last) AS INT)
  FROM l JOIN m USING (c) WHERE nd >= 4
    AND julianday('$A') - julianday(last) > 1.5 * med ORDER BY due DESC, l.c"
sq "$DUE" >"$TEST_TMP/due.sql"
"$MAILORDER" --db "$DB" report due --until "$A" --json >"$TEST_TMP/due.json"
jq -r '.due[] | "\(.id) \(.orders) \(.median_days) \(.last_order) \(.due) \(.days_since_last)"' \
    "$TEST_TMP/due.json" >"$TEST_TMP/due.out"
[ "$(wc -l <"$TEST_TMP/due.sql")" -ge 3 ]
ok $? "the history has overdue customers ($(wc -l <"$TEST_TMP/due.sql"))"
cmp -s "$TEST_TMP/due.sql" "$TEST_TMP/due.out"
r=$?; ok $r "report due lists exactly them, with rhythm, last order and due day"
[ $r -eq 0 ] || diff "$TEST_TMP/due.sql" "$TEST_TMP/due.out" | head -5 | sed 's/^/# /'
first=$(head -1 "$TEST_TMP/due.sql")
set -- $first
"$MAILORDER" --db "$DB" report due --until "$A" >"$TEST_TMP/due.txt"
like "$(sed -n 2p "$TEST_TMP/due.txt")" \
    "*$1 *orders every $3 days; last order $6 days ago (due $5)" \
    "the text says how often they order and how long ago the last was"
"$MAILORDER" --db "$DB" report due --until "$A" --min-orders 1000 --json \
    >"$TEST_TMP/none.json"
is "$(jq '.due | length' "$TEST_TMP/none.json")" 0 "--min-orders sets who is regular"
done_testing

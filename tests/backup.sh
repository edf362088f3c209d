#!/bin/sh
# mailorder backup: a copy taken in the middle of a 10,000-message ingest
# (which holds the store's lock and commits order after order, as the
# daemon does) passes PRAGMA integrity_check, restores into a store the
# tools open, and every order in it is complete: the same status,
# customer, lines and flags as in the store once the ingest is over.
. "${top_srcdir:-.}/tests/lib.sh"

N=${BACKUP_TEST_MESSAGES:-10000}
DB="$TEST_TMP/shop.db"
E="$top_srcdir/examples"
mo() { "$MAILORDER" --db "$DB" --rules "$top_srcdir/rules/en.rules" "$@"; }
mo import catalog "$E/catalog.csv" >/dev/null
mo import customers "$E/customers.csv" >/dev/null
mkdir "$TEST_TMP/mail"
python3 - "$top_srcdir" "$TEST_TMP/mail" "$N" <<'PY'
import csv, random, sys
top, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
random.seed(7)
prods = list(csv.DictReader(open(top + '/examples/catalog.csv')))
senders = []
for c in csv.DictReader(open(top + '/examples/customers.csv')):
    for e in c['emails'].split(';'):
        e = e.strip()
        senders.append('orders' + e if e.startswith('@') else e)
senders.append('stranger@unknown.example')
for i in range(1, n + 1):
    lines = ['%d %s of %s' % (random.randint(1, 9), p['unit'] or 'x',
             (p['aliases'].split(';')[0] or p['name']).strip())
             for p in random.sample(prods, random.randint(1, 3))]
    with open('%s/%06d.eml' % (out, i), 'w') as f:
        f.write('From: %s\nTo: orders@beanleaf.example\nSubject: Order %d\n'
                'Date: Thu, 03 Dec 2026 05:%02d:00 +0000\n'
                'Message-ID: <bk%d@test>\n\nHello,\nplease send %s.\nThanks\n'
                % (random.choice(senders), i, i % 60, i, ', '.join(lines)))
PY

mo ingest "$TEST_TMP"/mail/*.eml >/dev/null 2>"$TEST_TMP/ingest.err" &
IPID=$!
trap 'kill "$IPID" 2>/dev/null; rm -rf "$TEST_TMP"' EXIT
n=0
for i in $(seq 1 600); do
	n=$(sqlite3 "$DB" "SELECT count(*) FROM orders" 2>/dev/null || echo 0)
	[ "$n" -ge $((N / 4)) ] && break
	sleep 0.1
done
out=$(mo backup "$TEST_TMP/copy.db"); is "$?" 0 "backup while the ingest runs"
like "$out" "backed up $DB to $TEST_TMP/copy.db: * bytes, * orders, * messages, integrity ok" \
    "it reports the copy and its check"
kill -0 "$IPID" 2>/dev/null; ok $? "the ingest was still running when the copy was done"
wait "$IPID"; is "$?" 0 "and it finished without a hitch"
trap 'rm -rf "$TEST_TMP"' EXIT

copied=$(sqlite3 "$TEST_TMP/copy.db" "SELECT count(*) FROM orders")
[ "$copied" -gt 0 ] && [ "$copied" -lt "$N" ]
ok $? "the copy holds part of the ingest ($copied of $N orders)"
is "$(sqlite3 "$DB" "SELECT count(*) FROM orders")" "$N" "the store holds all of it"

# Restore: the copy in place of a store, opened by the tools.
cp "$TEST_TMP/copy.db" "$TEST_TMP/restored.db"
is "$(sqlite3 "$TEST_TMP/restored.db" "PRAGMA integrity_check")" ok \
    "the restored store passes PRAGMA integrity_check"
is "$("$MAILORDER" --db "$TEST_TMP/restored.db" list --all | tail -n +2 | wc -l)" \
    "$copied" "mailorder list reads every order of the restored store"

# Complete: each order as it is in the finished store.
sig="SELECT o.ref || '|' || o.status || '|' || coalesce(o.customer_id, '')
    || '|' || coalesce((SELECT group_concat(l, ';') FROM (SELECT
    l.line_no || ':' || coalesce(l.sku, '?') || 'x' || l.quantity AS l
    FROM %s.order_lines l WHERE l.order_id = o.id ORDER BY l.line_no)), '')
    || '|' || coalesce((SELECT group_concat(c, ';') FROM (SELECT f.code AS c
    FROM %s.flags f WHERE f.order_id = o.id ORDER BY f.id)), '')
    FROM %s.orders o"
# shellcheck disable=SC2059
q=$(printf "ATTACH '%s' AS f; SELECT count(*) FROM (%s EXCEPT %s);" \
    "$DB" "$(printf "$sig" main main main)" "$(printf "$sig" f f f)")
is "$(sqlite3 "$TEST_TMP/restored.db" "$q")" 0 \
    "every order in the copy has the status, customer, lines and flags it has in the store"
is "$(sqlite3 "$TEST_TMP/restored.db" "SELECT count(*) FROM orders o
    WHERE NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id)
    AND o.status = 'accepted'")" 0 "no accepted order without its lines"
is "$(sqlite3 "$TEST_TMP/restored.db" "SELECT count(*) FROM orders o
    JOIN messages m ON m.id = o.message_id WHERE m.state <> 'done'")" 0 \
    "every order's message is marked done with it"

err=$(mo backup "$TEST_TMP/copy.db" 2>&1); is "$?" 73 "an existing file is refused (73)"
like "$err" "*copy.db' exists: a backup never overwrites a file" "saying so"
err=$(mo backup "$TEST_TMP/no/such/dir.db" 2>&1); is "$?" 73 \
    "a folder that does not exist is refused (73)"
ls "$TEST_TMP"/*.tmp "$TEST_TMP"/no 2>/dev/null; is "$?" 2 "leaving nothing behind"

done_testing

#!/bin/sh
# [store] keep_raw_days: mailorderd deletes the raw mail of messages older
# than N days, and only that: orders, lines, the text the engine read and
# the audit log stay.
. "${top_srcdir:-.}/tests/lib.sh"

DB="$TEST_TMP/shop.db"
E="$top_srcdir/examples"
MOD="$top_builddir/mailorderd"
db() { sqlite3 "$DB" "$1"; }
mo() { "$MAILORDER" --db "$DB" --rules "$top_srcdir/rules/en.rules" "$@"; }
mo import catalog "$E/catalog.csv" >/dev/null
mo import customers "$E/customers.csv" >/dev/null
for i in $(seq 1 20); do
	printf 'From: office@northwind.example\nSubject: Order %d\nMessage-ID: <r%d@test>\n\nplease send %d bags of house blend\n' \
	    "$i" "$i" "$i" > "$TEST_TMP/$i.eml"
done
mo ingest "$TEST_TMP"/*.eml >/dev/null; is "$?" 0 "20 orders ingested"
mo ship MO-1 --carrier ups --tracking 1Z999AA10123456784 >/dev/null
is "$?" 0 "an operator's action is in the audit log"
# The first ten came 40 days ago.
db "UPDATE messages SET received_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-40 days') WHERE id <= 10"
sig() {
	db "SELECT count(*), sum(quantity), group_concat(sku) FROM order_lines"
	db "SELECT count(*) FROM orders"
	db "SELECT count(*) FROM messages WHERE body_text IS NOT NULL AND parse_json IS NOT NULL"
	db "SELECT count(*) FROM audit_log"
}
before=$(sig)

# mailorderd wants an inbox; this one refuses connections (a port nobody
# listens on), so each --once run ends with 75, after its purge.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf 'x\n' > "$TEST_TMP/pw"; chmod 600 "$TEST_TMP/pw"
conf() {	# conf DAYS: write $TEST_TMP/mo.conf
	printf '[store]\npath = %s\nkeep_raw_days = %s\n[rules]\npaths = %s/rules/en.rules\n' \
	    "$DB" "$1" "$top_srcdir"
	printf '[imap]\nhost = 127.0.0.1\nport = %s\ntls = none\nuser = shop\npassword_file = %s\n' \
	    "$port" "$TEST_TMP/pw"
} > "$TEST_TMP/mo.conf"
conf 0
"$MOD" -c "$TEST_TMP/mo.conf" --once 2>"$TEST_TMP/d.log"; is "$?" 75 "mailorderd --once, keep_raw_days = 0 (no inbox: 75)"
is "$(db "SELECT count(*) FROM message_raw")" 20 "keeps every raw mail"

conf 30
"$MOD" -c "$TEST_TMP/mo.conf" --once 2>"$TEST_TMP/d.log"; is "$?" 75 "mailorderd --once, keep_raw_days = 30"
is "$(db "SELECT group_concat(message_id) FROM message_raw")" \
    "11,12,13,14,15,16,17,18,19,20" "the raw mail older than 30 days is gone, the rest is kept"
like "$(cat "$TEST_TMP/d.log")" "*deleted the raw mail of 10 messages older than 30 days*" \
    "the daemon says what it deleted"
is "$(sig)" "$before" "orders, lines, the extracted text and the audit log all stay"
like "$(mo show "$(db "SELECT ref FROM orders WHERE message_id = 2")")" \
    "*Text the engine read:*please send * bags of house blend*" \
    "an order without its raw mail still shows the text it came with"

"$MOD" -c "$TEST_TMP/mo.conf" --once 2>"$TEST_TMP/d.log"
is "$(db "SELECT count(*) FROM message_raw")" 10 "a second run deletes nothing more"

conf 99999
"$MOD" -c "$TEST_TMP/mo.conf" --check-config >/dev/null 2>&1
is "$?" 78 "keep_raw_days past its range is a configuration error"

done_testing

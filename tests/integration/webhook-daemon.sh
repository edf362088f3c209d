#!/bin/bash
# mailorderd posts webhook events: orders from a real Dovecot inbox reach
# a real HTTP receiver on 127.0.0.1 (tests/webhook_receiver.py, which
# checks the signatures), each key once; and mailorderd killed with -9
# while the receiver holds a request sends the same key again when it
# runs next, never a new key for the same change.
. "${top_srcdir:-.}/tests/integration/lib-bed.sh" python3 sqlite3

MOD="$top_builddir/mailorderd"
W="$TEST_TMP/w"
mkdir -p "$W"
printf '%s\n' "$TB_SHOP_PASS" >"$W/pw"
printf 'daemon-webhook-secret\n' >"$W/secret"
chmod 600 "$W/pw" "$W/secret"
DB="$W/shop.db"
db() { sqlite3 "$DB" "$1"; }
m="$top_builddir/mailorder"
e="$top_srcdir/examples"
"$m" --db "$DB" import catalog "$e/catalog.csv" >/dev/null
"$m" --db "$DB" import customers "$e/customers.csv" >/dev/null
"$m" --db "$DB" import history "$e/history.csv" >/dev/null

echo 200 >"$W/mode"
RPID=
python3 "$top_srcdir/tests/webhook_receiver.py" "$W/port" "$W/log" \
    "$W/secret" "$W/mode" &
RPID=$!
trap '[ -n "$RPID" ] && kill "$RPID" 2>/dev/null; bed_cleanup' EXIT
wait_for '[ -s "$W/port" ]' 10
cat >"$W/mo.conf" <<CONF
[store]
path = $DB
[rules]
paths = $top_srcdir/rules/en.rules
[imap]
host = localhost
port = $TB_IMAPS_PORT
tls = implicit
user = $TB_SHOP_USER
password_file = $W/pw
ca_file = $TB_CA
processed_folder = Processed
timeout = 10
[webhook]
url = http://127.0.0.1:$(cat "$W/port")/hook
secret_file = $W/secret
timeout = 10
retry_initial = 1
CONF

"$TB" deliver "$BED" "$TB_SHOP_USER" "$e/mail/plain-order.eml"
"$TB" deliver "$BED" "$TB_SHOP_USER" "$e/mail/csv-order-sheet.eml"
"$MOD" -c "$W/mo.conf" --once 2>"$W/d.log"
is "$?" 0 "mailorderd --once ingests and posts"
n=$(db "SELECT count(*) FROM orders WHERE status = 'accepted'")
is "$n" 2 "both orders were accepted"
is "$(grep -c ' accepted ok 200$' "$W/log")" 2 \
    "the receiver got both events, signed with the secret"
"$MOD" -c "$W/mo.conf" --once 2>>"$W/d.log"
is "$(wc -l <"$W/log")" 2 "a second run posts nothing again"

# Killed with -9 while the receiver holds the request.
echo "sleep 6" >"$W/mode"
"$TB" deliver "$BED" "$TB_SHOP_USER" "$e/mail/outlook-order.eml"
"$MOD" -c "$W/mo.conf" --foreground 2>>"$W/d.log" &
DPID=$!
wait_for 'grep -q " arrived " "$W/log"' 30
ok $? "the daemon posts the new order's event"
key=$(awk '/ arrived / { print $1 }' "$W/log")
kill -9 "$DPID"
wait "$DPID" 2>/dev/null
DPID=
echo 200 >"$W/mode"
"$MOD" -c "$W/mo.conf" --once 2>>"$W/d.log"
is "$(grep -c "^$key " "$W/log")" 2 "after kill -9 the next run posts the same key ($key)"
is "$(cut -d' ' -f1 "$W/log" | sort -u | wc -l)" 3 \
    "and no new key: three orders, three keys"
is "$(db "SELECT count(*) FROM webhook_events WHERE state = 'sent'")" 3 \
    "every event is marked delivered"

# A 500 is retried by the running daemon when its wait is over, with no
# new mail to wake it.
echo 500 >"$W/mode"
"$TB" deliver "$BED" "$TB_SHOP_USER" "$e/mail/html-table-order.eml"
"$MOD" -c "$W/mo.conf" --foreground 2>>"$W/d.log" &
DPID=$!
wait_for 'grep -q " ok 500$" "$W/log"' 30
ok $? "the receiver answers 500"
key=$(awk '/ ok 500$/ { print $1 }' "$W/log")
echo 200 >"$W/mode"
wait_for '[ "$(grep -c "^$key .* ok 200$" "$W/log")" -eq 1 ]' 20
ok $? "the running daemon posts it again once the wait is over, with the same key"
kill "$DPID"
wait "$DPID" 2>/dev/null
DPID=
done_testing

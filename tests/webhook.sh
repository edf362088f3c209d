#!/bin/sh
# Webhooks against a real HTTP receiver on 127.0.0.1 (tests/
# webhook_receiver.py: checks each signature, logs each key): events are
# queued with the orders that make them; a receiver that is down gets
# each event later, once per key; 500 is retried, 410 fails and is
# shown, `webhook retry` sends it again; a wrong secret is refused; a
# sender killed with SIGKILL mid-delivery sends the same key again,
# never a new one.
. "${top_srcdir:-.}/tests/lib.sh"

E="$top_srcdir/examples"
T="$TEST_TMP"
RECV=""
stop_receiver() { [ -n "$RECV" ] && kill "$RECV" 2>/dev/null; wait "$RECV" 2>/dev/null; RECV=""; }
trap 'stop_receiver; rm -rf "$T"' EXIT
printf 's3cret-for-tests\n' >"$T/secret"
chmod 600 "$T/secret"
echo 200 >"$T/mode"
start_receiver() {	# start_receiver SECRETFILE [PORT]
	rm -f "$T/port"
	python3 "$top_srcdir/tests/webhook_receiver.py" "$T/port" "$T/log" \
	    "$1" "$T/mode" ${2:+"$2"} &
	RECV=$!
	i=0
	while [ ! -s "$T/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	PORT=$(cat "$T/port")
}
# A free port for the receiver that is not there yet.
start_receiver "$T/secret"
stop_receiver
cat >"$T/mo.conf" <<CONF
[webhook]
url = http://127.0.0.1:$PORT/hook
secret_file = $T/secret
timeout = 2
retry_initial = 1
retry_max = 4
CONF
mo() { "$MAILORDER" --config "$T/mo.conf" --db "$T/shop.db" \
    --rules "$top_srcdir/rules/en.rules" "$@"; }
sq() { sqlite3 "$T/shop.db" "$1"; }
mo import catalog "$E/catalog.csv" >/dev/null
mo import customers "$E/customers.csv" >/dev/null
mo import history "$E/history.csv" >/dev/null
mo ingest "$E"/mail/*.eml >/dev/null
n_acc=$(sq "SELECT count(*) FROM orders WHERE status = 'accepted'")
is "$(sq "SELECT count(*) FROM webhook_events WHERE event = 'accepted'")" "$n_acc" \
    "each order the engine accepts queues an 'accepted' event with it"
is "$(sq "SELECT count(*) FROM webhook_events e JOIN orders o ON o.id = e.order_id
    WHERE e.idem_key <> o.ref || '-accepted-' || o.version")" 0 \
    "keyed <order ref>-<event>-<order version>"

# The receiver is down.
out=$(mo webhook send)
is "$out" "webhook: 0 delivered, $n_acc to retry, 0 failed" "receiver down: every event waits"
like "$(mo webhook list | sed -n 2p)" "* accepted *queued * 1 *Couldn't connect to server" \
    "webhook list shows the attempt and why"
start_receiver "$T/secret" "$PORT"
sleep 1.2
is "$(mo webhook send)" "webhook: $n_acc delivered, 0 to retry, 0 failed" \
    "once it is up, each event is delivered"
is "$(mo webhook send)" "webhook: 0 delivered, 0 to retry, 0 failed" "and only once"
is "$(grep -c ' ok 200$' "$T/log") $(cut -d' ' -f1 "$T/log" | sort -u | wc -l)" "$n_acc $n_acc" \
    "the receiver saw each key once, with a valid signature"
R=$(sq "SELECT ref FROM orders WHERE status = 'accepted' ORDER BY id LIMIT 1")
is "$(grep -F "\"ref\":\"$R\"" "$T/log.bodies" | jq -r '.event + " " + .order.status + " " + (.order.lines | length | tostring)')" \
    "accepted accepted $(sq "SELECT count(*) FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.ref = '$R'")" \
    "the body is the order as JSON, with its lines"

# 500: retried, with the same key.
echo 500 >"$T/mode"
F=$(sq "SELECT ref FROM orders WHERE status = 'flagged' AND
    (SELECT count(*) FROM order_lines WHERE order_id = orders.id) > 0 LIMIT 1")
mo approve "$F" >/dev/null 2>&1
K="$F-approved-$(sq "SELECT version FROM orders WHERE ref = '$F'")"
is "$(mo webhook send)" "webhook: 0 delivered, 1 to retry, 0 failed" "500: to be retried"
echo 200 >"$T/mode"
sleep 1.2
is "$(mo webhook send)" "webhook: 1 delivered, 0 to retry, 0 failed" "and delivered on the next try"
is "$(grep "^$K " "$T/log" | cut -d' ' -f2- | tr '\n' '|')" "approved ok 500|approved ok 200|" \
    "an operator's approval: the same key both times"

# 410: failed, shown, and sent again on request.
echo 410 >"$T/mode"
mo ship "$R" --carrier dhl --tracking JD1 >/dev/null 2>&1
is "$(mo webhook send)" "webhook: 0 delivered, 0 to retry, 1 failed" "410: failed for good"
like "$(mo webhook list | grep shipped)" "* shipped *$R-shipped-* failed *1 *- *HTTP 410" \
    "and listed as failed with the answer"
# And the operator's queue says so at the bottom.
SOCK="mo-webhook-$$"
tmux -L "$SOCK" -f /dev/null new-session -d -s t -x 100 -y 24 -e LANG=C.UTF-8 \
    "$MAILORDER --config '$T/mo.conf' --db '$T/shop.db' queue"
i=0
while [ $i -lt 100 ] && ! tmux -L "$SOCK" capture-pane -p -t t | grep -q ' shown'; do
	sleep 0.1; i=$((i + 1))
done
like "$(tmux -L "$SOCK" capture-pane -p -t t | head -1)" \
    "*mailorder queue:*webhooks failed: mailorder webhook  ?:help" \
    "the queue's top line says that events failed"
tmux -L "$SOCK" kill-server 2>/dev/null
id=$(mo webhook list | awk '/ shipped / { print $1 }')
is "$(mo webhook retry "$id")" "webhook event $id queued again" "webhook retry ID"
echo 200 >"$T/mode"
is "$(mo webhook send)" "webhook: 1 delivered, 0 to retry, 0 failed" "then it is delivered"
mo webhook retry "$id" >/dev/null 2>&1
is "$?" 65 "a delivered event cannot be retried"

# A wrong secret: the receiver refuses it.
stop_receiver
printf 'another-secret\n' >"$T/other"
start_receiver "$T/other" "$PORT"
G=$(sq "SELECT ref FROM orders WHERE status = 'flagged' LIMIT 1")
mo edit "$G" --add --sku "$(sq "SELECT sku FROM products LIMIT 1")" --quantity 2 >/dev/null 2>&1
is "$(mo webhook send)" "webhook: 0 delivered, 0 to retry, 1 failed" \
    "signed with another secret: refused (401), failed"
like "$(tail -1 "$T/log")" "$G-edited-* edited refused 401" "the receiver found the signature wrong"
stop_receiver
start_receiver "$T/secret" "$PORT"

# SIGKILL while the receiver holds the request: the next run sends the
# same key.
echo "sleep 4" >"$T/mode"
mo reject "$G" --reason "test" >/dev/null 2>&1
KR="$G-rejected-$(sq "SELECT version FROM orders WHERE ref = '$G'")"
"$MAILORDER" --config "$T/mo.conf" --db "$T/shop.db" webhook send >/dev/null 2>&1 &
pid=$!
i=0
while ! grep -q "^$KR .* arrived" "$T/log" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
kill -9 "$pid"
wait "$pid" 2>/dev/null
echo 200 >"$T/mode"
is "$(mo webhook send)" "webhook: 1 delivered, 0 to retry, 0 failed" \
    "after a kill -9 mid-delivery the event is sent again"
is "$(grep -c "^$KR " "$T/log") $(grep -c " rejected " "$T/log")" "2 2" \
    "with the same key: the receiver saw that key twice and no other for the change"
is "$(cut -d' ' -f1 "$T/log" | sort -u | wc -l)" "$((n_acc + 4))" \
    "one key per change in all: $n_acc accepted, approved, shipped, edited, rejected"

# https: the receiver's certificate is checked.
stop_receiver
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
    -addext "subjectAltName=DNS:localhost" -keyout "$T/key.pem" \
    -out "$T/cert.pem" >/dev/null 2>&1
WEBHOOK_TLS="$T/cert.pem:$T/key.pem" start_receiver "$T/secret"
sed "s|^url = .*|url = https://localhost:$PORT/hook|" "$T/mo.conf" >"$T/tls.conf"
tls() { "$MAILORDER" --config "$T/tls.conf" --db "$T/shop.db" "$@"; }
H=$(sq "SELECT ref FROM orders WHERE status = 'accepted' ORDER BY id LIMIT 1 OFFSET 1")
tls ship "$H" --carrier ups --tracking 1Z9 >/dev/null 2>&1
is "$(tls webhook send 2>/dev/null)" "webhook: 0 delivered, 1 to retry, 0 failed" \
    "https to a certificate no CA vouches for: not sent"
like "$(tls webhook list | grep "$H-shipped")" "*queued*SSL*" "the TLS failure is the error shown"
printf 'ca_file = %s\n' "$T/cert.pem" >>"$T/tls.conf"
sleep 1.2
is "$(tls webhook send)" "webhook: 1 delivered, 0 to retry, 0 failed" \
    "with ca_file naming its CA it is delivered"
stop_receiver
start_receiver "$T/secret" "$PORT"

# Only the events asked for.
sed 's/^timeout = 2$/events = accepted, shipped/' "$T/mo.conf" >"$T/few.conf"
few() { "$MAILORDER" --config "$T/few.conf" --db "$T/shop.db" "$@"; }
few undo "$G" >/dev/null 2>&1	# flagged again; undo posts nothing
few edit "$G" --line 1 --quantity 7 >/dev/null 2>&1
ok $? "with events = accepted, shipped an operator still edits"
S=$(sq "SELECT ref FROM orders WHERE status = 'accepted' ORDER BY id DESC LIMIT 1")
few ship "$S" --carrier ups --tracking 1Z2 >/dev/null 2>&1
is "$(sq "SELECT group_concat(event, ' ') FROM (SELECT event FROM webhook_events
    WHERE state = 'queued' ORDER BY id)")" "shipped" \
    "but only the events listed are queued (shipped, not edited)"
printf '[webhook]\nurl = http://shop.example/hook\nsecret_file = %s\n' "$T/secret" >"$T/bad.conf"
"$MAILORDER" --config "$T/bad.conf" --db "$T/shop.db" webhook list >/dev/null 2>"$T/err"
is "$?" 78 "plain http to another machine is a configuration error"
like "$(cat "$T/err")" "*bad.conf:2: 'url' must be https://, or http:// to this machine only*" \
    "naming the file and line"
done_testing

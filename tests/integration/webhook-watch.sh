#!/bin/bash
# Webhooks a person can watch: a real mailorderd reading the test-bed
# Dovecot posts its events to tests/webhook_receiver.py on 127.0.0.1.
# While the receiver takes them, `mailorder status` is ok; when it
# refuses them (410) the events fail, status warns (exit 1) and names
# them, the metrics textfile counts them, and exactly one alert about
# them reaches [alerts] to through the outbox and the test-bed Postfix,
# however many events fail and however many cycles it lasts.  An event
# the receiver keeps answering 500 stays queued; older than
# webhook_warning_minutes it is a warning too.  Once they are delivered
# status is ok again.
export TB_EXTRA_USERS="ops@example.test"
. "${top_srcdir:-.}/tests/integration/lib-bed.sh" sqlite3 python3

MOD="$top_builddir/mailorderd"
m="$top_builddir/mailorder"
W="$TEST_TMP/w"
mkdir -p "$W"
printf '%s\n' "$TB_SHOP_PASS" > "$W/pw"
printf 'watch-webhook-secret\n' > "$W/secret"
chmod 600 "$W/pw" "$W/secret"
DB="$W/shop.db"
PROM="$W/mailorder.prom"
OPS="$BED/mail/example.test/ops/Maildir"
db() { sqlite3 "$DB" "$1"; }
"$m" --db "$DB" import catalog "$top_srcdir/examples/catalog.csv" >/dev/null
printf 'id,name,emails\nBUYER,Buyer Cafe,buyer@customer.test\n' > "$W/c.csv"
"$m" --db "$DB" import customers "$W/c.csv" >/dev/null

echo 200 > "$W/mode"
RPID=
python3 "$top_srcdir/tests/webhook_receiver.py" "$W/port" "$W/log" \
    "$W/secret" "$W/mode" &
RPID=$!
trap '[ -n "$RPID" ] && kill "$RPID" 2>/dev/null; bed_cleanup' EXIT
wait_for '[ -s "$W/port" ]' 10

cat > "$W/mo.conf" <<CONF
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
poll_interval = 5
[smtp]
host = localhost
port = $TB_SUBMISSION_PORT
tls = starttls
user = $TB_SHOP_USER
password_file = $W/pw
ca_file = $TB_CA
from = $TB_SHOP_USER
helo_name = shop.example.test
timeout = 10
[reply]
templates = $top_srcdir/templates
[webhook]
url = http://127.0.0.1:$(cat "$W/port")/hook
secret_file = $W/secret
timeout = 10
retry_initial = 1
retry_max = 2
[metrics]
textfile = $PROM
[alerts]
to = ops@example.test
CONF
st() { "$m" --config "$W/mo.conf" status "$@"; }
jq_() {	# jq_ PYTHON-EXPR: evaluate on `status --json` as j
	st --json | python3 -c "import json,sys; j=json.load(sys.stdin); print($1)"
}
order() {	# order N: a mail from the buyer that is accepted by itself
	printf 'From: buyer@customer.test\r\nTo: %s\r\nSubject: order %s\r\n' \
	    "$TB_SHOP_USER" "$1" > "$W/o$1.eml"
	printf 'Date: %s\r\nMessage-ID: <o%s@customer.test>\r\n\r\n' \
	    "$(date -R)" "$1" >> "$W/o$1.eml"
	printf 'please send %s bags of house blend\r\n' "$1" >> "$W/o$1.eml"
	"$TB" deliver "$BED" "$TB_SHOP_USER" "$W/o$1.eml"
}
events() { db "SELECT count(*) FROM webhook_events WHERE state = '$1'"; }
metric() { awk -v n="$1" '$1 == n { print $2 }' "$PROM" 2>/dev/null; }
by_state() { metric "mailorder_webhook_events{state=\"$1\"}"; }
subjects() {	# subjects ops|outbox: the alerts' Subject: lines, unfolded
	python3 - "$1" "$OPS/new" "$DB" <<'PY'
import email, email.policy, os, sqlite3, sys
where, maildir, db = sys.argv[1:4]
if where == 'ops':
    raws = [open(os.path.join(maildir, n), 'rb').read()
            for n in (os.listdir(maildir) if os.path.isdir(maildir) else [])]
else:
    raws = [bytes(r[0], 'utf-8') if isinstance(r[0], str) else r[0]
            for r in sqlite3.connect(db).execute(
                "SELECT body FROM outbox WHERE kind = 'alert'")]
for raw in raws:
    m = email.message_from_bytes(raw, policy=email.policy.default)
    print(str(m['Subject']))
PY
}
ops_grep() { subjects ops | grep -c -- "$1"; }

"$MOD" -c "$W/mo.conf" --foreground 2>"$W/d.log" &
DPID=$!
order 1
wait_for '[ "$(events sent)" = 1 ]' 30
ok $? "the receiver takes the first order's event"
wait_for '[ "$(by_state sent)" = 1 ]' 15
ok $? "the metrics count it as sent"
out=$(st); is "$?" 0 "status: ok (0) while events are delivered"
like "$out" "*webhooks: 0 queued, 0 failed, oldest queued -, last failed -*" \
    "the webhooks line counts none waiting or failed"

# The receiver refuses: a 410 is not retried, the event fails at once.
echo 410 > "$W/mode"
order 2
wait_for '[ "$(events failed)" = 1 ]' 30
ok $? "an event the receiver refuses (410) fails"
out=$(st); is "$?" 1 "status: warning (1)"
like "$out" "*warning: webhooks: 1 event failed, the latest * ago: HTTP 410 (see mailorder webhook)*" \
    "naming the failed event and its error"
like "$out" "*webhooks: 0 queued, 1 failed, oldest queued -, last failed 20*ago): HTTP 410*" \
    "the webhooks line has the count and the latest failure"
is "$(jq_ "j['webhooks']['configured'], j['webhooks']['failed'], j['webhooks']['sent'], j['webhooks']['last_error'], j['webhooks']['last_failed'] is not None")" \
    "True 1 1 HTTP 410 True" "--json has the same"
wait_for '[ "$(by_state failed)" = 1 ]' 15
ok $? "the metrics textfile holds the failed event"
grep -q '^# TYPE mailorder_webhook_events gauge$' "$PROM"
ok $? "as a gauge with its HELP and TYPE"
wait_for '[ "$(ops_grep "webhooks: 1 event failed")" = 1 ]' 30
ok $? "an alert about it reaches [alerts] to"
python3 - "$OPS/new" <<'PY'
import email, email.policy, os, sys
for n in os.listdir(sys.argv[1]):
    m = email.message_from_bytes(open(os.path.join(sys.argv[1], n), 'rb').read(),
                                 policy=email.policy.default)
    s = str(m['Subject'])
    if 'webhooks: 1 event failed' in s:
        break
assert s.startswith('[mailorder] WARNING: webhooks: 1 event failed, the latest '), s
assert s.endswith('HTTP 410 (see mailorder webhook)'), s
assert m['Message-ID'].startswith('<alert.'), m['Message-ID']
assert m['To'].addresses[0].addr_spec == 'ops@example.test'
assert 'at most once every 24 hours' in m.get_content()
PY
ok $? "a warning that names the error, sent at most once a period"

# A second refused event within the period: no second alert, though the
# text (the count) changed, over several cycles.
order 3
wait_for '[ "$(events failed)" = 2 ]' 30
ok $? "a second event fails"
like "$(st)" "*warning: webhooks: 2 events failed*" "status counts both"
sleep 16
is "$(ops_grep "webhooks: .* failed")" 1 \
    "three cycles later there is still exactly one alert about failed webhooks"
is "$(subjects outbox | grep -c "webhooks: .* failed")" 1 \
    "and the outbox holds exactly one"

# An event the receiver keeps answering 500 stays queued; one queued
# longer than webhook_warning_minutes (30) is a warning of its own.
echo 500 > "$W/mode"
order 4
wait_for 'grep -q " ok 500$" "$W/log"' 30
ok $? "the receiver answers 500"
is "$(events queued)" 1 "the event waits to be posted again"
db "UPDATE webhook_events SET created_at = unixepoch() - 40 * 60 WHERE state = 'queued'"
out=$(st); is "$?" 1 "status: warning (1)"
like "$out" "*warning: webhooks: an event has waited 40 min to be delivered*" \
    "saying how long it has waited"
is "$(jq_ "j['webhooks']['queued'], j['webhooks']['oldest_queued'] is not None")" \
    "1 True" "--json counts it, with its age"
wait_for '[ "$(metric mailorder_webhook_oldest_queued_age_seconds)" -ge 2400 ] 2>/dev/null' 15
ok $? "the metrics give the oldest queued event's age"
is "$(by_state queued)" 1 "and count it"
wait_for '[ "$(ops_grep "an event has waited")" = 1 ]' 30
ok $? "it is alerted once too"

# The receiver is back: the queued event goes out by itself, the failed
# ones with `mailorder webhook retry`; then all is well again.
echo 200 > "$W/mode"
for id in $(db "SELECT id FROM webhook_events WHERE state = 'failed'"); do
	"$m" --config "$W/mo.conf" webhook retry "$id" >/dev/null
done
wait_for '[ "$(events sent)" = 4 ]' 30
ok $? "every event is delivered"
out=$(st); is "$?" 0 "status: ok (0) again"
like "$out" "*webhooks: 0 queued, 0 failed, oldest queued -, last failed -*" \
    "nothing waits or failed"
wait_for '[ "$(by_state failed)" = 0 ]' 15
ok $? "the metrics say so"
is "$(by_state sent)" 4 "four sent"

kill "$DPID"; wait "$DPID" 2>/dev/null; DPID=
cat "$OPS"/new/* "$PROM" "$W/d.log" 2>/dev/null | grep -qF "$(cat "$W/secret")"
is "$?" 1 "the webhook secret is in no alert, metric or log"
done_testing

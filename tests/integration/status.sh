#!/bin/bash
# A daemon you can watch: `mailorder status` and the metrics textfile
# against a real mailorderd reading the test-bed Dovecot.  Exit 2 before
# the daemon ever ran, 0 while it runs, 1 when an inbox's login is
# refused, 2 when a flagged order has waited too long and when the
# daemon is gone; the textfile is valid Prometheus text, carries the
# counts, and a reader never sees half of it.
. "${top_srcdir:-.}/tests/integration/lib-bed.sh" sqlite3 python3

MOD="$top_builddir/mailorderd"
m="$top_builddir/mailorder"
W="$TEST_TMP/w"
mkdir -p "$W/prom"
printf '%s\n' "$TB_SHOP_PASS" > "$W/pw"
printf 'wrong-password\n' > "$W/badpw"
chmod 600 "$W/pw" "$W/badpw"
DB="$W/shop.db"
PROM="$W/prom/mailorder.prom"
db() { sqlite3 "$DB" "$1"; }

"$m" --db "$DB" import catalog "$top_srcdir/examples/catalog.csv" >/dev/null
printf 'id,name,emails\nBUYER,Buyer Cafe,buyer@customer.test\n' > "$W/c.csv"
"$m" --db "$DB" import customers "$W/c.csv" >/dev/null

inbox() {	# inbox SECTION PASSWORD-FILE
	printf '[%s]\nhost = localhost\nport = %s\ntls = implicit\n' "$1" \
	    "$TB_IMAPS_PORT"
	printf 'user = %s\npassword_file = %s\nca_file = %s\n' \
	    "$TB_SHOP_USER" "$2" "$TB_CA"
	printf 'processed_folder = Processed\ntimeout = 10\npoll_interval = 5\n'
}
base() {
	printf '[store]\npath = %s\n[rules]\npaths = %s/rules/en.rules\n' \
	    "$DB" "$top_srcdir"
	printf '[metrics]\ntextfile = %s\n' "$PROM"
}
{ base; inbox imap "$W/pw"; } > "$W/mo.conf"
{ base; inbox imap "$W/pw"; inbox imap.bad "$W/badpw" |
    sed 's/^user = .*/user = nobody@example.test/'; } > "$W/bad.conf"
st() { "$m" --config "$W/mo.conf" status "$@"; }
jq_() {	# jq_ PYTHON-EXPR: evaluate on `status --json` as j
	st --json | python3 -c "import json,sys; j=json.load(sys.stdin); print($1)"
}

out=$(st); is "$?" 2 "status before the daemon ever ran: critical (2)"
like "$out" "*mailorderd is not running and has never run on this store*" \
    "saying why"

start() {	# start CONF
	rm -f "$DB.state"
	"$MOD" -c "$1" --foreground 2>>"$W/d.log" &
	DPID=$!
	wait_for '[ -s "$DB.state" ]' 20
}
start "$W/mo.conf"; ok $? "mailorderd writes its state file"
out=$(st); is "$?" 0 "status while it runs: ok (0)"
like "$out" "status: ok*daemon: mailorderd, PID $DPID, up *" \
    "with its PID and uptime"
like "$out" "*inbox $TB_SHOP_USER@localhost:$TB_IMAPS_PORT/INBOX:*last fetched: 20*ago)*last error:   none*backlog:      0*" \
    "and the inbox's last fetch, last error and backlog"
is "$(jq_ "j['daemon']['pid'], j['daemon']['running'], len(j['inboxes'])")" \
    "$DPID True 1" "--json has the same"
like "$out" "*webhooks: not configured*" \
    "no [webhook]: the webhooks line says so (and the status is ok)"
is "$(jq_ "j['webhooks']['configured']")" False "--json too"

# A flagged order (no product we know) and an accepted one.
mail() {	# mail MSGID BODY
	printf 'From: buyer@customer.test\r\nTo: %s\r\nSubject: %s\r\n' \
	    "$TB_SHOP_USER" "$1"
	printf 'Date: %s\r\nMessage-ID: <%s>\r\n\r\n%s\r\n' "$(date -R)" "$1" "$2"
}
mail f1@customer.test 'please send 4 unicorn saddles' > "$W/f1.eml"
mail a1@customer.test 'please send 3 bags of house blend' > "$W/a1.eml"
"$TB" deliver "$BED" "$TB_SHOP_USER" "$W/f1.eml"
"$TB" deliver "$BED" "$TB_SHOP_USER" "$W/a1.eml"
wait_for '[ "$(db "SELECT count(*) FROM orders WHERE message_id IS NOT NULL")" = 2 ]' 20
wait_for 'grep -q "^mailorder_queue_depth 1$" "$PROM" 2>/dev/null' 10
ok $? "the metrics textfile is rewritten after the cycle: queue depth 1"
out=$(st); is "$?" 0 "a fresh flagged order is no problem yet"
like "$out" "*queue: 1 flagged, oldest 20*" "the queue is counted"

# The textfile: valid exposition format, the counts in it.
code=$(db "SELECT code FROM flags WHERE resolved = 0 LIMIT 1")
python3 - "$PROM" "$code" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
helps, types, seen = set(), {}, {}
sample = re.compile(r'^([a-z_][a-z0-9_]*)(\{([a-z_]+="(\\.|[^"\\])*"(,[a-z_]+="(\\.|[^"\\])*")*)\})? (-?[0-9.e+]+|\+Inf)$')
for n, line in enumerate(text.splitlines(), 1):
    if line.startswith('# HELP '):
        helps.add(line.split()[2]); continue
    if line.startswith('# TYPE '):
        types[line.split()[2]] = line.split()[3]; continue
    mm = sample.match(line)
    if not mm:
        sys.exit('line %d is no sample: %r' % (n, line))
    name = mm.group(1)
    family = re.sub(r'_(bucket|sum|count)$', '', name) if name not in types else name
    if family not in types or family not in helps:
        sys.exit('line %d: %s has no HELP/TYPE before it' % (n, name))
    key = (name, mm.group(3))
    if key in seen:
        sys.exit('line %d: duplicate sample %r' % (n, key))
    seen[key] = float(mm.group(7))
def v(name, labels=None):
    return seen[(name, labels)]
assert v('mailorder_messages_total', 'status="flagged"') == 1, seen
assert v('mailorder_messages_total', 'status="accepted"') == 1
assert v('mailorder_flags', 'code="%s"' % sys.argv[2]) == 1
assert v('mailorder_queue_depth') == 1
assert v('mailorder_order_latency_seconds_count') == 2
assert v('mailorder_order_latency_seconds_bucket', 'le="+Inf"') == 2
assert types['mailorder_order_latency_seconds'] == 'histogram'
assert types['mailorder_messages_total'] == 'counter'
PY
ok $? "the textfile is valid Prometheus text with the counts"
is "$(stat -c %a "$PROM")" 644 "node_exporter may read it (mode 0644)"
is "$(ls "$W/prom")" mailorder.prom "no temporary file is left beside it"

# Atomic: a reader polling the file while the daemon rewrites it after
# each of 15 more mails never sees a short or half-written file.
python3 - "$PROM" > "$W/reads" <<'PY' &
import os, sys, time
end, n, bad = time.time() + 12, 0, 0
while time.time() < end:
    try:
        t = open(sys.argv[1]).read()
    except FileNotFoundError:
        bad += 1; continue
    n += 1
    if not (t.startswith('# HELP') and t.endswith('\n') and
            '\nmailorder_last_cycle_timestamp_seconds ' in t):
        bad += 1
print(n, bad)
PY
RPID=$!
ino0=$(stat -c %i "$PROM")
for i in $(seq 1 15); do
	mail "n$i@customer.test" 'please send 1 bag of house blend' > "$W/n$i.eml"
	"$TB" deliver "$BED" "$TB_SHOP_USER" "$W/n$i.eml"
	sleep 0.5
done
wait "$RPID"
read -r reads bad < "$W/reads"
is "$bad" 0 "$reads reads while it was rewritten: none saw a partial file"
[ "$(stat -c %i "$PROM")" != "$ino0" ]; ok $? "it is replaced, not rewritten in place"
like "$(grep '^mailorder_messages_total{status="accepted"}' "$PROM")" \
    "* 16" "and counts the 15 new orders"

# A flagged order that has waited a day is critical.
db "UPDATE orders SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-30 hours') WHERE status = 'flagged'"
out=$(st); is "$?" 2 "a flagged order waiting 30 h: critical (2)"
like "$out" "*critical: queue: the oldest of 1 flagged orders has waited 30 h*" \
    "saying which limit"
db "UPDATE orders SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE status = 'flagged'"

# A second inbox whose login is refused: a warning, with the error.
kill -TERM "$DPID"; wait "$DPID"; DPID=
out=$(st); is "$?" 2 "the daemon stopped: critical (2)"
like "$out" "*mailorderd is not running (its last cycle ended*" "saying so"
start "$W/bad.conf"
wait_for 'grep -q "^last_error .*nobody" "$DB.state"' 20
out=$("$m" --config "$W/bad.conf" status); is "$?" 1 \
    "an inbox whose login is refused: warning (1)"
like "$out" "*warning: inbox nobody@example.test@localhost:$TB_IMAPS_PORT/INBOX: the last fetch failed: *" \
    "naming the inbox and the error"
like "$(grep '^mailorder_fetch_errors_total{inbox="nobody' "$PROM")" "* [1-9]*" \
    "and the metrics count the fetch error"
grep -q "$(cat "$W/badpw")" "$DB.state" "$PROM"; is "$?" 1 \
    "no password in the state file or the metrics"

# An OAuth2 login whose token (a JWT) runs out in 2.3 days, with
# token_warning_days = 3: a warning naming it; the expiry is shown.
kill -TERM "$DPID"; wait "$DPID"; DPID=
"$TB" token "$BED" "$TB_SHOP_USER" 200000 > "$W/token"
chmod 600 "$W/token"
{ base; inbox imap "$W/pw" | sed "s|^password_file = .*|oauth2_token_file = $W/token|"
  printf '[status]\ntoken_warning_days = 3\n'; } > "$W/oauth.conf"
start "$W/oauth.conf"
wait_for 'grep -q "^token_expires [1-9]" "$DB.state"' 20
out=$("$m" --config "$W/oauth.conf" status); is "$?" 1 \
    "a token that expires within token_warning_days: warning (1)"
like "$out" "*warning: inbox $TB_SHOP_USER@localhost:$TB_IMAPS_PORT/INBOX: its OAuth2 token expires in 2 days*" \
    "naming the inbox and when"
like "$out" "*oauth2 token: expires 20*" "and the expiry is shown"
exp=$("$m" --config "$W/oauth.conf" status --json | python3 -c \
    "import json,sys; print(json.load(sys.stdin)['inboxes'][0]['token_expires'])")
like "$exp" "20??-??-??T??:??:??Z" "--json has it"
grep -q "$(cat "$W/token")" "$DB.state" "$PROM" "$W/d.log"; is "$?" 1 \
    "the token itself is nowhere"

done_testing

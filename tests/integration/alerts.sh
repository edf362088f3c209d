#!/bin/bash
# [alerts]: mail to a person, through the outbox and the test-bed
# Postfix, read from that person's own mailbox.  An inbox whose login is
# refused gives one alert, however many cycles it lasts (at most one per
# period); the morning digest counts the orders waiting and yesterday's,
# once a day.
export TB_EXTRA_USERS="ops@example.test"
. "${top_srcdir:-.}/tests/integration/lib-bed.sh" sqlite3 python3

MOD="$top_builddir/mailorderd"
m="$top_builddir/mailorder"
W="$TEST_TMP/w"
mkdir -p "$W"
printf '%s\n' "$TB_SHOP_PASS" > "$W/pw"
printf 'wrong-password\n' > "$W/badpw"
chmod 600 "$W/pw" "$W/badpw"
DB="$W/shop.db"
OPS="$BED/mail/example.test/ops/Maildir"
db() { sqlite3 "$DB" "$1"; }
"$m" --db "$DB" import catalog "$top_srcdir/examples/catalog.csv" >/dev/null
printf 'id,name,emails\nBUYER,Buyer Cafe,buyer@customer.test\n' > "$W/c.csv"
"$m" --db "$DB" import customers "$W/c.csv" >/dev/null

inbox() {	# inbox SECTION USER PASSWORD-FILE
	printf '[%s]\nhost = localhost\nport = %s\ntls = implicit\n' "$1" \
	    "$TB_IMAPS_PORT"
	printf 'user = %s\npassword_file = %s\nca_file = %s\n' "$2" "$3" \
	    "$TB_CA"
	printf 'processed_folder = Processed\ntimeout = 10\npoll_interval = 5\n'
}
{
	printf '[store]\npath = %s\n[rules]\npaths = %s/rules/en.rules\n' \
	    "$DB" "$top_srcdir"
	inbox imap "$TB_SHOP_USER" "$W/pw"
	inbox imap.bad nobody@example.test "$W/badpw"
	cat <<CONF
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
[alerts]
to = ops@example.test
digest = yes
digest_hour = 0
CONF
} > "$W/mo.conf"

# Yesterday: three orders; one accepted by itself, one approved by an
# operator, one rejected.
printf 'please send 1 bag of house blend\n' > "$W/b1"
printf 'please send 2 bags of house blend and 3 unicorn saddles\n' > "$W/b2"
printf 'please send 4 unicorn saddles\n' > "$W/b3"
for i in 1 2 3; do
	printf 'From: buyer@customer.test\nSubject: y%d\nMessage-ID: <y%d@test>\n\n' \
	    "$i" "$i" | cat - "$W/b$i" > "$W/y$i.eml"
done
"$m" --config "$W/mo.conf" ingest "$W"/y*.eml >/dev/null
"$m" --config "$W/mo.conf" approve MO-2 >/dev/null &&
    "$m" --config "$W/mo.conf" reject MO-3 --reason test >/dev/null
is "$?" 0 "an operator approves one of yesterday's orders and rejects another"
db "UPDATE orders SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', 'localtime', 'start of day', '-12 hours', 'utc')"
db "DELETE FROM outbox"
# And one waiting today.
printf 'From: buyer@customer.test\nSubject: w\nMessage-ID: <w1@test>\n\nplease send 4 unicorn saddles\n' > "$W/w.eml"
"$m" --config "$W/mo.conf" ingest "$W/w.eml" >/dev/null
db "DELETE FROM outbox"

ops_count() { ls "$OPS/new" 2>/dev/null | wc -l; }
ops_grep() { grep -l "$1" "$OPS"/new/* 2>/dev/null | wc -l; }

"$MOD" -c "$W/mo.conf" --foreground 2>"$W/d.log" &
DPID=$!
wait_for '[ "$(ops_count)" -ge 2 ]' 30
ok $? "mail reaches the person on call"
alert=$(grep -l "^Message-ID: <alert\." "$OPS"/new/* | xargs grep -l "nobody@example.test")
[ -n "$alert" ]; ok $? "an alert names the inbox whose login fails"
python3 - "$alert" <<'PY'
import email, email.policy, sys
m = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=email.policy.default)
body = m.get_content()
assert str(m['Subject']).startswith('[mailorder] WARNING: inbox nobody@example.test@localhost:'), m['Subject']
assert m['Auto-Submitted'] == 'auto-generated', m['Auto-Submitted']
assert m['From'].addresses[0].addr_spec == 'shop@example.test'
assert m['Message-ID'].startswith('<alert.') and m['Message-ID'].endswith('@shop.example.test>')
assert 'the last fetch failed' in body, body
assert "mailorder status" in body
assert 'at most once every 24 hours' in body
PY
ok $? "it says what failed and how often it is sent (Auto-Submitted: auto-generated)"
digest=$(grep -l "^Subject: 1 order waiting, oldest" "$OPS"/new/*)
[ -n "$digest" ]; ok $? "the morning digest arrives"
like "$(grep '^Subject:' "$digest")" \
    "Subject: 1 order waiting, oldest 0 min; 2 confirmed yesterday, 50% touchless*" \
    "it counts the orders waiting and yesterday's, touchless or not"

# Three more cycles (poll_interval 5 s): nothing new for the same problems.
n=$(ops_count)
sleep 16
is "$(ops_count)" "$n" "no second alert or digest within the period"
is "$(ops_grep 'nobody@example.test')" 1 "exactly one alert about that inbox"
is "$(db "SELECT count(*) FROM outbox WHERE kind IN ('alert', 'digest') AND state = 'sent'")" \
    "$n" "each went through the outbox and is marked sent"
grep -q "alert to ops@example.test: inbox nobody@example.test" "$W/d.log"
ok $? "the daemon logs the alert"
grep -q "$(cat "$W/badpw")" "$OPS"/new/*; is "$?" 1 "no password in any alert"

done_testing

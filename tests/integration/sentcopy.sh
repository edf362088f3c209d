#!/bin/bash
# Two inboxes on loopback, the shop's and a wholesale one: the copy of a
# sent reply goes to the Sent folder of the inbox its order came in
# through, not to the first inbox's.
TB_EXTRA_USERS="wholesale@example.test"; export TB_EXTRA_USERS
. "${top_srcdir:-.}/tests/integration/lib-bed.sh" sqlite3

MOD="$top_builddir/mailorderd"
W="$TEST_TMP/w"
mkdir -p "$W"
printf '%s\n' "$TB_SHOP_PASS" > "$W/pw"
printf '%s\n' "$TB_EXTRA_PASS" > "$W/pw2"
chmod 600 "$W/pw" "$W/pw2"
DB="$W/shop.db"
WHOLESALE=wholesale@example.test

m="$top_builddir/mailorder"
"$m" --db "$DB" import catalog "$top_srcdir/examples/catalog.csv" >/dev/null
printf 'id,name,emails\nBUYER,Buyer Cafe,buyer@customer.test\n' > "$W/c.csv"
"$m" --db "$DB" import customers "$W/c.csv" >/dev/null

imap_section() {	# imap_section HEADER USER PWFILE
	cat <<EOF
[$1]
host = localhost
port = $TB_IMAPS_PORT
tls = implicit
user = $2
password_file = $3
ca_file = $TB_CA
processed_folder = Processed
failed_folder = Failed
poll_interval = 5
timeout = 10
EOF
}
{
	printf '[store]\npath = %s\n[rules]\npaths = %s\n' "$DB" \
	    "$top_srcdir/rules/en.rules"
	imap_section imap "$TB_SHOP_USER" "$W/pw"
	imap_section imap.wholesale "$WHOLESALE" "$W/pw2"
	cat <<EOF
[smtp]
host = localhost
port = $TB_SUBMISSION_PORT
tls = starttls
user = $TB_SHOP_USER
password_file = $W/pw
ca_file = $TB_CA
from = $TB_SHOP_USER
timeout = 10
sent_folder = Sent
[reply]
templates = $top_srcdir/templates
EOF
} > "$W/mo.conf"

count() {	# count USER MAILBOX
	doveadm -c "$TB_DOVECOT_CONF" -f flow search -u "$1" \
	    mailbox "$2" all 2>/dev/null | wc -l
}
order() {	# order MSGID: an order from the known customer
	printf 'From: buyer@customer.test\r\nTo: %s\r\nSubject: Order %s\r\n' \
	    "$2" "$1"
	printf 'Date: %s\r\nMessage-ID: <%s>\r\n' "$(date -R)" "$1"
	printf 'Content-Type: text/plain; charset=utf-8\r\n\r\n'
	printf 'please send 3 bags of house blend\r\n'
}

"$MOD" -c "$W/mo.conf" --foreground 2>"$W/d.log" &
DPID=$!

order w1@customer.test "$WHOLESALE" > "$W/w1.eml"
"$TB" deliver "$BED" "$WHOLESALE" "$W/w1.eml"
wait_for '[ "$(count "$WHOLESALE" Sent)" -ge 1 ]' 30 ||
    sed 's/^/# /' "$W/d.log"	# why, when it failed
is "$(count "$WHOLESALE" Sent)" 1 \
    "the reply to mail that came in through the second inbox is copied to its Sent"
is "$(count "$TB_SHOP_USER" Sent)" 0 "and not to the first inbox's"
is "$(sqlite3 "$DB" "SELECT count(*) FROM outbox WHERE state = 'sent' AND copied = 1")" 1 \
    "the outbox row is marked copied"

order s1@customer.test "$TB_SHOP_USER" > "$W/s1.eml"
"$TB" deliver "$BED" "$TB_SHOP_USER" "$W/s1.eml"
wait_for '[ "$(count "$TB_SHOP_USER" Sent)" -ge 1 ]' 30
is "$(count "$TB_SHOP_USER" Sent)" 1 "mail to the first inbox has its copy there"
is "$(count "$WHOLESALE" Sent)" 1 "and the second inbox's Sent is unchanged"

kill "$DPID"; wait "$DPID" 2>/dev/null; DPID=
grep -q "no copy" "$W/d.log"; is "$?" 1 "no copy failed on the way"

done_testing

#!/bin/bash
# Replies end to end on loopback: a customer's email goes in through
# Postfix, mailorderd ingests it over IMAP and sends the confirmation
# through Postfix's submission port (STARTTLS + AUTH), and the test reads
# it from the customer's own mailbox over IMAP.  Also: the MTA down while a
# reply is queued (delivered once it is back, exactly once), a 5xx (the
# operator is told, nothing lost), out-of-office mail and a robot that
# answers every reply (no storm), and a subject carrying CR/LF (no header
# injected).
. "${top_srcdir:-.}/tests/integration/lib-bed.sh" python3 sqlite3 curl

MOD="$top_builddir/mailorderd"
W="$TEST_TMP/w"
mkdir -p "$W"
printf '%s\n' "$TB_SHOP_PASS" > "$W/pw"
chmod 600 "$W/pw"
DB="$W/shop.db"
db() { sqlite3 "$DB" "$1"; }

m="$top_builddir/mailorder"
"$m" --db "$DB" import catalog "$top_srcdir/examples/catalog.csv" >/dev/null
printf 'id,name,emails\nBUYER,Buyer Cafe,buyer@customer.test\n' > "$W/c.csv"
"$m" --db "$DB" import customers "$W/c.csv" >/dev/null
db "UPDATE customers SET greeting = 'Dear Jürgen,' WHERE id = 'BUYER'"

cat > "$W/mo.conf" <<EOF
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
failed_folder = Failed
timeout = 10
[smtp]
host = localhost
port = $TB_SUBMISSION_PORT
tls = starttls
user = $TB_SHOP_USER
password_file = $W/pw
ca_file = $TB_CA
from = $TB_SHOP_USER
from_name = Bean & Leaf
helo_name = shop.example.test
timeout = 10
retry_initial = 1
retry_max = 2
sent_folder = Sent
[reply]
templates = $top_srcdir/templates
max_per_sender_per_hour = 6
# ghost@customer.test (the 5xx below) is no customer.
acknowledge_unknown_sender = yes
# The operator's question below is sent at once (conversation.sh tests
# the undo window).
undo_seconds = 0
EOF

# imap_buyer PATH [curl args]: talk to the customer's mailbox.
imap_buyer() {
	local path=$1; shift
	curl -sS --cacert "$TB_CA" -u "$TB_BUYER_USER:$TB_BUYER_PASS" \
	    "imaps://localhost:$TB_IMAPS_PORT/$path" "$@"
}
# buyer_find HEADER VALUE: sequence numbers of matching messages.
buyer_find() {
	imap_buyer INBOX -X "SEARCH HEADER $1 \"$2\"" | tr -d '\r' |
	    sed -n 's/^\* SEARCH//p' | xargs
}
buyer_count() { imap_buyer INBOX -X "STATUS INBOX (MESSAGES)" |
	tr -d '\r' | sed -n 's/.*MESSAGES \([0-9]*\).*/\1/p'; }
shop_count() {	# shop_count MAILBOX
	doveadm -c "$TB_DOVECOT_CONF" -f flow search -u "$TB_SHOP_USER" \
	    mailbox "$1" all 2>/dev/null | wc -l
}

# mail FROM MSGID SUBJECT BODY [EXTRA-HEADER]: a customer's email.
mail() {
	printf 'From: %s\r\nTo: %s\r\nSubject: %s\r\n' "$1" "$TB_SHOP_USER" "$3"
	printf 'Date: %s\r\nMessage-ID: <%s>\r\n' "$(date -R)" "$2"
	[ -n "${5:-}" ] && printf '%s\r\n' "$5"
	printf 'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n'
	printf '%s\r\n' "$4"
}
send_in() {	# send_in FILE: through Postfix into the shop's inbox
	"$TB" smtp "$BED" "$TB_SHOP_USER" "$1"
}

# Check a message with Python's email package (the customer's view).
check_msg() {	# check_msg FILE PYTHON-EXPRESSIONS...
	local f=$1; shift
	python3 - "$f" "$@" <<'PY'
import sys, email, email.policy
msg = email.message_from_bytes(open(sys.argv[1], 'rb').read(),
                               policy=email.policy.default)
body = msg.get_body(('plain',)).get_content().replace('\r\n', '\n')
for expr in sys.argv[2:]:
    if not eval(expr):
        print("# failed: %s" % expr)
        print("# headers: %r" % list(msg.items()))
        print("# body: %r" % body)
        sys.exit(1)
PY
}

"$MOD" -c "$W/mo.conf" --foreground 2>"$W/d.log" &
DPID=$!

# --- a confirmation in the customer's mailbox ------------------------
mail '"Jürgen Müller" <buyer@customer.test>' o1@customer.test \
    'Order for Monday' 'Hello, please send 3 bags of house blend. PO 4711. Thanks' \
    'References: <earlier@customer.test>' > "$W/o1.eml"
send_in "$W/o1.eml"; is "$?" 0 "the customer's order goes in over SMTP"
wait_for '[ -n "$(buyer_find In-Reply-To o1@customer.test)" ]' 30
n=$(buyer_find In-Reply-To o1@customer.test)
like "$n" "[0-9]*" "a reply arrives in the customer's own mailbox"
ref=$(db "SELECT o.ref FROM orders o JOIN messages m ON m.id = o.message_id
    WHERE m.message_id = 'o1@customer.test'")
is "$(db "SELECT status FROM orders WHERE ref = '$ref'")" accepted \
    "the order was accepted"
imap_buyer "INBOX;MAILINDEX=$n" > "$W/r1.eml"
check_msg "$W/r1.eml" \
    "msg['From'].addresses[0].addr_spec == 'shop@example.test'" \
    "msg['From'].addresses[0].display_name == 'Bean & Leaf'" \
    "msg['To'].addresses[0].addr_spec == 'buyer@customer.test'" \
    "msg['To'].addresses[0].display_name == 'Jürgen Müller'" \
    "str(msg['Subject']) == 'Re: Order for Monday [$ref]'" \
    "msg['In-Reply-To'] == '<o1@customer.test>'" \
    "msg['References'].split() == ['<earlier@customer.test>', '<o1@customer.test>']" \
    "msg['Auto-Submitted'] == 'auto-replied'" \
    "msg['Message-ID'].endswith('@example.test>')" \
    "not msg['Message-ID'].endswith('@shop.example.test>')" \
    "msg['Date'] is not None" \
    "msg.get_content_charset() == 'utf-8'" \
    "msg['Content-Transfer-Encoding'] == 'quoted-printable'" \
    "body.startswith('Dear Jürgen,\n')" \
    "'  3 bags House Blend Coffee Beans 1kg\n' in body" \
    "'PO number: 4711' in body" \
    "'$ref' in body"
is "$?" 0 "its headers thread it under the customer's mail and it lists the lines"
mid=$(db "SELECT message_id FROM outbox WHERE order_id = (SELECT id FROM orders WHERE ref = '$ref')")
is "$(db "SELECT state FROM outbox WHERE message_id = '$mid'")" sent \
    "the outbox row is marked sent"
grep -q "<$mid>" "$W/r1.eml"; is "$?" 0 "with the Message-ID fixed when it was queued"
wait_for '[ "$(shop_count Sent)" -ge 1 ]' 10
is "$(shop_count Sent)" 1 "a copy is in the shop's Sent folder"

# --- MTA down while replies are queued -----------------------------------
"$TB" stop-postfix "$BED"
for t in o2 o2b o2c; do
	mail 'buyer@customer.test' $t@customer.test "Next order $t" \
	    'please send 2 bags of house blend' > "$W/$t.eml"
	"$TB" deliver "$BED" "$TB_SHOP_USER" "$W/$t.eml"
done
attempts() {	# attempts MSGID: failed attempts of the reply to that mail
	db "SELECT o.attempts FROM outbox o JOIN orders r ON r.id = o.order_id
	    JOIN messages m ON m.id = r.message_id WHERE m.message_id = '$1'"
}
wait_for '[ "$(attempts o2@customer.test)" -ge 2 ] 2>/dev/null &&
    [ "$(attempts o2c@customer.test)" -ge 1 ] 2>/dev/null' 30
ok $? "with Postfix down the replies are retried (connection refused)"
is "$(db "SELECT group_concat(state) FROM outbox WHERE rcpt = 'buyer@customer.test'
    AND state <> 'sent'")" "queued,queued,queued" "and stay queued"
# Restart mailorderd too: the outbox is in the store, nothing is lost.
# The three are due together, so they leave as one batch.
kill -TERM "$DPID"; wait "$DPID"; DPID=
db "UPDATE outbox SET next_attempt_at = '2000-01-01T00:00:00Z' WHERE state = 'queued'"
"$TB" start-postfix "$BED"
"$MOD" -c "$W/mo.conf" --foreground 2>>"$W/d.log" &
DPID=$!
wait_for '[ -n "$(buyer_find In-Reply-To o2@customer.test)" ] &&
    [ -n "$(buyer_find In-Reply-To o2b@customer.test)" ] &&
    [ -n "$(buyer_find In-Reply-To o2c@customer.test)" ]' 30
ok $? "once Postfix is back all three are delivered"
sleep 3
is "$(for t in o2 o2b o2c; do buyer_find In-Reply-To $t@customer.test; done | wc -w)" 3 \
    "each exactly once"
# Postfix sums up each connection when it closes: one session, three mails.
wait_for 'grep -q "submission/smtpd.*disconnect from.* auth=1 mail=3 rcpt=3 data=3" \
    "$TB_POSTFIX_LOG"' 10
ok $? "over one SMTP connection (one EHLO and AUTH for the batch)"

# --- a 5xx: flagged for the operator, nothing lost ----------------------
mail 'ghost@customer.test' o3@customer.test 'Order' \
    'please send 4 bags of house blend' > "$W/o3.eml"
send_in "$W/o3.eml"
wait_for '[ "$(db "SELECT count(*) FROM outbox WHERE state = '"'failed'"'")" = 1 ]' 30
ok $? "a reply to a recipient Postfix refuses ends as failed, not retried"
o3="SELECT r.id FROM orders r JOIN messages m ON m.id = r.message_id
    WHERE m.message_id = 'o3@customer.test'"
like "$(db "SELECT code || ': ' || text FROM flags WHERE order_id = ($o3)
    AND code = 'reply_failed'")" "reply_failed: *5[0-9][0-9]*" \
    "the order is flagged reply_failed with the server's answer"
is "$(db "SELECT count(*) FROM outbox WHERE order_id = ($o3) AND length(body) > 100")" 1 \
    "the reply itself is kept"

# --- no storms ------------------------------------------------------------
before=$(buyer_count)
mail 'buyer@customer.test' ooo1@customer.test 'Out of office' \
    'I am out of the office until Monday.' 'Auto-Submitted: auto-replied' > "$W/ooo.eml"
send_in "$W/ooo.eml"
# A robot that answers our reply without saying it is automatic.
mail 'buyer@customer.test' bot1@customer.test "Re: Order for Monday [$ref]" \
    'Thank you for your message, I will read it later. 2 bags of house blend' \
    "In-Reply-To: <$mid>" > "$W/bot.eml"
send_in "$W/bot.eml"
wait_for '[ "$(db "SELECT count(*) FROM messages WHERE message_id IN
    ('"'ooo1@customer.test','bot1@customer.test'"') AND state = '"'done'"'")" = 2 ]' 30
ok $? "the out-of-office and the robot's answer are ingested"
is "$(db "SELECT status FROM orders r JOIN messages m ON m.id = r.message_id
    WHERE m.message_id = 'ooo1@customer.test'")" ignored "the out-of-office is ignored"
is "$(db "SELECT count(*) FROM outbox o JOIN orders r ON r.id = o.order_id
    JOIN messages m ON m.id = r.message_id WHERE m.message_id IN
    ('ooo1@customer.test', 'bot1@customer.test')")" 0 "and neither gets a reply"

# A robot that answers every reply with a fresh mail: at most
# max_per_sender_per_hour replies to that address, whatever it sends.
# The loop plays the robot for 20 rounds.
sent=0
for i in $(seq 1 20); do
	c=$(buyer_count)
	mail 'buyer@customer.test' "loop$i@customer.test" "Order $i" \
	    'please send 1 bag of house blend' > "$W/loop.eml"
	send_in "$W/loop.eml"
	sent=$((sent + 1))
	wait_for '[ "$(db "SELECT state FROM messages WHERE message_id = '"'loop$i@customer.test'"'")" = done ]' 20
	# When a reply was queued, wait for it before answering it.
	[ "$(db "SELECT count(*) FROM outbox o JOIN orders r ON r.id = o.order_id
	    JOIN messages m ON m.id = r.message_id WHERE
	    m.message_id = 'loop$i@customer.test'")" = 1 ] &&
	    wait_for '[ "$(buyer_count)" -gt "$c" ]' 10
done
sleep 2
total=$(db "SELECT count(*) FROM outbox WHERE rcpt = 'buyer@customer.test'")
is "$total" 6 "20 mails from one robot in an hour get no more than 6 replies in all"
is "$(db "SELECT count(*) FROM flags WHERE code = 'reply_held'")" 18 \
    "each held reply is shown to the operator"
is "$(( $(buyer_count) - before ))" 2 "the customer's mailbox got only those"

# --- CR/LF in the subject ------------------------------------------------
db "DELETE FROM outbox WHERE rcpt = 'buyer@customer.test' AND state = 'sent'"
evil=$(printf 'Order\r\nBcc: victim@example.test\r\nX-Injected: yes' | base64 -w0)
mail 'buyer@customer.test' crlf1@customer.test "=?UTF-8?B?$evil?=" \
    'please send 5 bags of house blend' > "$W/crlf.eml"
send_in "$W/crlf.eml"
wait_for '[ -n "$(buyer_find In-Reply-To crlf1@customer.test)" ]' 30
ok $? "a mail whose subject decodes to CR/LF is answered"
n=$(buyer_find In-Reply-To crlf1@customer.test)
imap_buyer "INBOX;MAILINDEX=$n" > "$W/crlf-reply.eml"
check_msg "$W/crlf-reply.eml" \
    "msg['Bcc'] is None" "msg['X-Injected'] is None" \
    "str(msg['Subject']).replace(' ', '').startswith('Re:OrderBcc:victim@example.testX-Injected:yes[')" \
    "'\r' not in str(msg['Subject']) and '\n' not in str(msg['Subject'])"
is "$?" 0 "and no header was injected"

# --- an operator's reply is sent while the daemon idles -----------------
mail 'buyer@customer.test' q1@customer.test 'Coffee' \
    'Could you send the usual coffee, like last time?' > "$W/q1.eml"
send_in "$W/q1.eml"
wait_for '[ "$(db "SELECT state FROM messages WHERE message_id = '"'q1@customer.test'"'")" = done ]' 30
q1=$(db "SELECT r.ref FROM orders r JOIN messages m ON m.id = r.message_id
    WHERE m.message_id = 'q1@customer.test'")
sleep 1
echo 'Would you like the 1kg bags or the 500g ones?' |
    "$m" --db "$DB" --config "$W/mo.conf" ask "$q1" --message - >/dev/null
is "$?" 0 "an operator asks the customer a question ($q1)"
asked() {
	imap_buyer INBOX -X 'SEARCH BODY "1kg bags or the 500g"' | tr -d '\r' |
	    sed -n 's/^\* SEARCH//p' | xargs
}
wait_for '[ -n "$(asked)" ]' 40
ok $? "mailorderd, waiting in IDLE, sends it within its outbox poll"

# --- old mail: ingested, not answered, the operator decides ---------------
old_date=$(date -R -d '3 days ago')
mail 'buyer@customer.test' old1@customer.test 'Old order' \
    'please send 2 bags of house blend' > "$W/old.eml"
sed -i "s/^Date: .*\r\$/Date: $old_date\r/" "$W/old.eml"
send_in "$W/old.eml"
wait_for '[ "$(db "SELECT state FROM messages WHERE message_id = '"'old1@customer.test'"'")" = done ]' 30
o4="SELECT r.id FROM orders r JOIN messages m ON m.id = r.message_id
    WHERE m.message_id = 'old1@customer.test'"
is "$(db "SELECT count(*) FROM outbox WHERE order_id = ($o4)")" 0 \
    "a three-day-old order gets no automatic reply"
like "$(db "SELECT text FROM flags WHERE order_id = ($o4) AND code = 'reply_held'")" \
    "*older than max_age_hours*" "and the operator is told why"

kill -TERM "$DPID"; wait "$DPID"; is "$?" 0 "mailorderd stops cleanly"
DPID=

# --- a certificate we do not trust: nothing is sent ----------------------
# The SMTP side trusts only a stranger's certificate; the IMAP side keeps
# the test CA so the mail still comes in.
awk -v bad="$TB_UNTRUSTED_CERT" '/^\[smtp\]/ { s = 1 } /^\[reply\]/ { s = 0 }
    s && /^ca_file/ { print "ca_file = " bad; next } { print }' \
    "$W/mo.conf" > "$W/untrusted.conf"
"$MOD" -c "$W/untrusted.conf" --foreground 2>"$W/u.log" &
DPID=$!
mail 'buyer@customer.test' tls1@customer.test 'TLS order' \
    'please send 1 bag of house blend' > "$W/tls.eml"
send_in "$W/tls.eml"
wait_for '[ "$(attempts tls1@customer.test)" -ge 1 ] 2>/dev/null' 30
ok $? "with an untrusted server certificate the reply is not sent"
like "$(db "SELECT o.state || ' ' || o.last_error FROM outbox o JOIN orders r
    ON r.id = o.order_id JOIN messages m ON m.id = r.message_id
    WHERE m.message_id = 'tls1@customer.test'")" "queued *certificate*" \
    "it stays queued and the error names the certificate"
kill -TERM "$DPID"; wait "$DPID"; DPID=
grep -q "$TB_SHOP_PASS" "$W/d.log"; is "$?" 1 "the password never appears in the log"

# --- implicit TLS (port 465) and an OAuth2 token instead of a password ---
# smtp_conf NAME AWK-PROGRAM: mo.conf with the [smtp] section rewritten.
smtp_conf() {
	awk '/^\[smtp\]/ { s = 1 } /^\[reply\]/ { s = 0 } '"$2" \
	    "$W/mo.conf" > "$W/$1.conf"
}
# reply_arrives CONF MSGID: run the daemon once on a new order mail and
# wait for the confirmation in the buyer's mailbox.
reply_arrives() {
	mail 'buyer@customer.test' "$2" "Order $2" \
	    'please send 1 bag of house blend' > "$W/$2.eml"
	send_in "$W/$2.eml"
	"$MOD" -c "$W/$1.conf" --foreground 2>"$W/$1.log" &
	DPID=$!
	wait_for '[ -n "$(buyer_find In-Reply-To '"$2"')" ]' 30
	local r=$?
	kill -TERM "$DPID"; wait "$DPID"; DPID=
	return $r
}
smtp_conf smtps 's && /^port/ { print "port = '"$TB_SMTPS_PORT"'"; next }
    s && /^tls/ { print "tls = implicit"; next } { print }'
reply_arrives smtps tls465@customer.test
ok $? "implicit TLS (smtps, the port 465 way): the reply arrives"
grep -q "postfix/smtps/smtpd.*sasl_method=PLAIN, sasl_username=$TB_SHOP_USER" \
    "$TB_POSTFIX_LOG"
ok $? "Postfix saw it on its smtps port, logged in"
"$TB" token "$BED" "$TB_SHOP_USER" > "$W/token"
chmod 600 "$W/token"
smtp_conf oauth 's && /^password_file/ { print "oauth2_token_file = '"$W/token"'"; next } { print }'
reply_arrives oauth oauth1@customer.test
ok $? "XOAUTH2 with a bearer token: the reply arrives"
grep -Eq "postfix/submission/smtpd.*sasl_method=(XOAUTH2|OAUTHBEARER)" \
    "$TB_POSTFIX_LOG"
ok $? "Postfix saw an OAuth2 login"
grep -qF "$(sed 's/.*\.//' "$W/token")" "$W/oauth.log"
is "$?" 1 "the token never appears in the log"

# --- preview and broken templates ----------------------------------------
out=$("$m" --db "$DB" --config "$W/mo.conf" preview "$ref" | tr -d '\r')
is "$?" 0 "mailorder preview prints the reply"
like "$out" "*Subject: Re: Order for Monday \[$ref\]*In-Reply-To: <o1@customer.test>*" \
    "with its headers"
like "$out" "*=C3=BC*" "and its quoted-printable body"
cp -r "$top_srcdir/templates" "$W/tpl"
sed -i '5s/.*/Hello {{sender_nme}},/' "$W/tpl/confirmation.txt"
sed "s|^templates = .*|templates = $W/tpl|" "$W/mo.conf" > "$W/bad.conf"
out=$("$m" --db "$DB" --config "$W/bad.conf" preview "$ref" 2>&1)
is "$?" 78 "preview refuses a broken template (EX_CONFIG)"
like "$out" "*tpl/confirmation.txt:5: unknown placeholder 'sender_nme'*" \
    "naming FILE:LINE"
out=$("$MOD" -c "$W/bad.conf" --check-config 2>&1)
is "$?" 78 "mailorderd refuses to start with it"
like "$out" "*confirmation.txt:5: unknown placeholder*" "with FILE:LINE"

done_testing

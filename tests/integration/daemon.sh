#!/bin/bash
# mailorderd against a real Dovecot: every delivered message becomes
# exactly one order, whatever fails — kill -9 mid-batch, a Dovecot
# restart, a UIDVALIDITY reset, a message that crashes the parser — and
# IDLE picks up new mail promptly; bad certificates and passwords give a
# clear error and a slow retry.
. "${top_srcdir:-.}/tests/integration/lib-bed.sh"

MOD="$top_builddir/mailorderd"
doveadm_() { doveadm -c "$TB_DOVECOT_CONF" "$@"; }

W="$TEST_TMP/w"
mkdir -p "$W"
printf '%s\n' "$TB_SHOP_PASS" > "$W/pw"
printf 'wrong-password\n' > "$W/badpw"
chmod 600 "$W/pw" "$W/badpw"

# conf NAME [key=value...]: write $W/NAME.conf for the shop inbox.
conf() {
	local name=$1; shift
	local port=$TB_IMAPS_PORT host=localhost pw=$W/pw after=move kv secret=
	for kv in "$@"; do
		case $kv in
		port=*) port=${kv#port=} ;;
		host=*) host=${kv#host=} ;;
		pw=*) pw=${kv#pw=} ;;
		secret=*) secret=${kv#secret=} ;;
		after=*) after=${kv#after=} ;;
		esac
	done
	{
		printf '[store]\npath = %s/%s.db\n' "$W" "$name"
		printf '[rules]\npaths = %s/rules/en.rules\n' "$top_srcdir"
		printf '[imap]\nhost = %s\nport = %s\ntls = implicit\n' "$host" "$port"
		[ -n "$secret" ] || secret="password_file = $pw"
		printf 'user = %s\n%s\nca_file = %s\n' \
		    "$TB_SHOP_USER" "$secret" "$TB_CA"
		if [ "$after" = move ]; then
			printf 'processed_folder = Processed\n'
		else
			printf 'after_processing = seen\n'
		fi
		printf 'failed_folder = Failed\npoll_interval = 5\ntimeout = 10\n'
	} > "$W/$name.conf"
}

# db NAME SQL: one value from that daemon's store.
db() { sqlite3 "$W/$1.db" "$2"; }

empty_mailboxes() {
	local box
	for box in INBOX Processed Failed; do
		doveadm_ expunge -u "$TB_SHOP_USER" mailbox "$box" all \
		    >/dev/null 2>&1
	done
}

# make_mail N TAG: a plain order mail with a unique Message-ID.
make_mail() {
	printf 'From: Buyer <buyer@acme.example>\r\nTo: orders@beanleaf.example\r\n'
	printf 'Subject: order %s\r\nDate: Wed, 18 Nov 2026 10:00:00 +0000\r\n' "$1"
	printf 'Message-ID: <%s-%s@acme.example>\r\n' "$2" "$1"
	printf 'Content-Type: text/plain; charset=utf-8\r\n\r\n'
	printf 'Hi,\r\n\r\nplease send %d bags of house blend.\r\n\r\nThanks\r\n' \
	    $(( $1 % 3 + 2 ))
}

deliver_n() {	# deliver_n COUNT TAG
	local i
	for i in $(seq 1 "$1"); do
		make_mail "$i" "$2" > "$W/m.eml"
		"$TB" deliver "$BED" "$TB_SHOP_USER" "$W/m.eml" || return 1
	done
}

# deliver_bulk COUNT TAG: many messages straight into the Maildir.
deliver_bulk() {
	local i
	for i in $(seq 1 "$1"); do
		make_mail "$i" "$2" > "$TB_SHOP_MAILDIR/tmp/bulk$i"
	done
	chown 8:8 "$TB_SHOP_MAILDIR"/tmp/bulk*
	for i in $(seq 1 "$1"); do
		mv "$TB_SHOP_MAILDIR/tmp/bulk$i" "$TB_SHOP_MAILDIR/new/bulk$i.$2:2,"
	done
}

count_box() {	# count_box MAILBOX
	doveadm_ -f flow search -u "$TB_SHOP_USER" mailbox "$1" all 2>/dev/null |
	    wc -l
}

setup_db() {	# setup_db NAME: a store with the sample shop data
	local m="$top_builddir/mailorder" e="$top_srcdir/examples"
	"$m" --db "$W/$1.db" import catalog "$e/catalog.csv" >/dev/null &&
	"$m" --db "$W/$1.db" import customers "$e/customers.csv" >/dev/null &&
	"$m" --db "$W/$1.db" import history "$e/history.csv" >/dev/null
}

mail_orders() { db "$1" "SELECT count(*) FROM orders WHERE message_id IS NOT NULL"; }
# Every message has exactly one order and no message has two.
one_each() {
	db "$1" "SELECT (SELECT count(*) FROM messages) = (SELECT count(DISTINCT
	    message_id) FROM orders WHERE message_id IS NOT NULL) AND
	    (SELECT count(*) FROM orders WHERE message_id IS NOT NULL) =
	    (SELECT count(*) FROM messages)"
}

# --- check-config -----------------------------------------------------
conf a
out=$("$MOD" -c "$W/a.conf" --check-config 2>&1); is "$?" 0 "--check-config accepts a good file"
printf '[imap]\nhots = x\n' > "$W/bad.conf"
out=$("$MOD" -c "$W/bad.conf" --check-config 2>&1); is "$?" 78 "--check-config refuses a bad file (EX_CONFIG)"
like "$out" "*bad.conf:2: *hots*" "and names FILE:LINE"

# --- N delivered -> N orders ------------------------------------------
setup_db a
deliver_n 50 n
"$MOD" -c "$W/a.conf" --once 2>"$W/a.log"; is "$?" 0 "--once exits 0"
is "$(mail_orders a)" 50 "50 delivered messages give 50 orders"
is "$(one_each a)" 1 "each message has exactly one order"
is "$(count_box INBOX)" 0 "the inbox is empty afterwards"
is "$(count_box Processed)" 50 "all 50 were moved to the processed folder"
"$MOD" -c "$W/a.conf" --once 2>>"$W/a.log"
is "$(mail_orders a)" 50 "a second run adds nothing"

# --- kill -9 mid-batch --------------------------------------------------
# Orders of a fetched batch commit together, so the kills must land while
# a batch is being parsed: 1,000 messages in batches of 50.
empty_mailboxes
setup_db k
conf k
printf 'batch_max_messages = 50\n' >> "$W/k.conf"
deliver_bulk 1000 k
for target in 100 300 500; do
	MAILORDER_TEST_SLOW_MS=10 "$MOD" -c "$W/k.conf" --foreground 2>>"$W/k.log" &
	DPID=$!
	# Kill while a batch is recorded but its orders are not committed
	# (each parse slowed to 10 ms, so a batch takes half a second).
	wait_for '[ "$(mail_orders k 2>/dev/null || echo 0)" -ge $target ] &&
	    [ "$(db k "SELECT count(*) FROM messages WHERE state = '"'received'"'" \
	    2>/dev/null || echo 0)" -gt 0 ]' 60
	kill -9 "$DPID"; wait "$DPID" 2>/dev/null; DPID=
	partial=$(( ${partial:-0} + $(db k "SELECT count(*) FROM messages WHERE state = 'received'") ))
done
mid=$(mail_orders k)
"$MOD" -c "$W/k.conf" --once 2>>"$W/k.log"
ok $(( mid < 1000 && partial > 0 ? 0 : 1 )) "the daemon was killed three times mid-batch ($mid of 1000 done; $partial recorded, not yet committed, at the kills)"
is "$(mail_orders k)" 1000 "after kill -9 and restart: exactly 1000 orders"
is "$(one_each k)" 1 "no message has two orders"
is "$(count_box INBOX)" 0 "and nothing is left in the inbox"
is "$(count_box Processed)" 1000 "and all 1000 are in the processed folder once"
is "$(db k "SELECT count(*) FROM messages WHERE state = 'failed'")" 0 "and none was given up as poison"

# --- a poison message crashes the parser, the rest continue ------------
empty_mailboxes
setup_db p
conf p
deliver_n 3 p1
{ make_mail 99 poison; printf 'CRASH-ME-NOW\r\n'; } > "$W/poison.eml"
"$TB" deliver "$BED" "$TB_SHOP_USER" "$W/poison.eml"
printf 'this is not an email at all\n' > "$W/junk.eml"
"$TB" deliver "$BED" "$TB_SHOP_USER" "$W/junk.eml"
deliver_n 3 p2
MAILORDER_TEST_CRASH_MARKER=CRASH-ME-NOW "$MOD" -c "$W/p.conf" --once 2>"$W/p.log"
is "$?" 0 "the daemon survives a message that crashes the parser"
is "$(mail_orders p)" 8 "every message, poison included, has an order or a flag"
is "$(db p "SELECT count(*) FROM orders o JOIN flags f ON f.order_id = o.id
    WHERE f.code = 'unreadable' AND o.status = 'flagged'")" 2 \
    "the crashing and the unreadable message are flagged for the operator"
is "$(db p "SELECT count(*) FROM messages WHERE state = 'failed'")" 2 "both are marked failed"
is "$(count_box Failed)" 2 "both went to the failed folder"
is "$(count_box Processed)" 6 "the other six were processed"
like "$(cat "$W/p.log")" "*crashed on this message*" "the log says the parser crashed"

# --- a message that hangs the parser: the time limit gives it up -------
empty_mailboxes
setup_db hg
conf hg
printf '[policy]\nparse_timeout = 2\n' >> "$W/hg.conf"
deliver_n 2 hg1
{ make_mail 98 hang; printf 'HANG-ME-NOW\r\n'; } > "$W/hang.eml"
"$TB" deliver "$BED" "$TB_SHOP_USER" "$W/hang.eml"
deliver_n 2 hg2
start=$(date +%s)
MAILORDER_TEST_HANG_MARKER=HANG-ME-NOW timeout 120 "$MOD" -c "$W/hg.conf" --once 2>"$W/hg.log"
is "$?" 0 "the daemon survives a message that hangs the parser"
took=$(( $(date +%s) - start ))
ok $(( took < 15 ? 0 : 1 )) "the hang cost the time limit, not more (${took} s)"
is "$(mail_orders hg)" 5 "every message, the hanging one included, has an order or a flag"
is "$(db hg "SELECT count(*) FROM messages m JOIN orders o ON o.message_id = m.id
    JOIN flags f ON f.order_id = o.id WHERE m.state = 'failed'
    AND f.code = 'unreadable' AND m.dedupe_key = 'mid:hang-98@acme.example'")" 1 \
    "the hanging message is failed and flagged for the operator"
is "$(count_box Failed)" 1 "it went to the failed folder"
is "$(count_box Processed)" 4 "the other four were processed"
like "$(cat "$W/hg.log")" "*took longer than 2 s*" "the log says the parser took too long"

# --- UIDVALIDITY reset (mail stays in the inbox, \Seen mode) ----------
empty_mailboxes
setup_db u
conf u after=seen
deliver_n 20 u
"$MOD" -c "$W/u.conf" --once 2>"$W/u.log"
is "$(mail_orders u)" 20 "seen mode: 20 orders"
"$TB" uidvalidity "$BED" "$TB_SHOP_USER" INBOX >/dev/null
"$MOD" -c "$W/u.conf" --once 2>>"$W/u.log"
is "$(mail_orders u)" 20 "after a UIDVALIDITY reset: still 20 orders, no duplicates"
like "$(cat "$W/u.log")" "*already processed*" "the re-fetched messages were recognised"
is "$(count_box INBOX)" 20 "seen mode leaves the mail in the inbox"

# --- IDLE and a Dovecot restart ----------------------------------------
empty_mailboxes
setup_db i
conf i
"$MOD" -c "$W/i.conf" --foreground 2>"$W/i.log" &
DPID=$!
wait_for 'grep -q "using IDLE" "$W/i.log"' 10
make_mail 1 idle > "$W/m.eml"
start=$(date +%s%N)
"$TB" deliver "$BED" "$TB_SHOP_USER" "$W/m.eml"
wait_for '[ "$(mail_orders i)" -ge 1 ]' 10
ms=$(( ($(date +%s%N) - start) / 1000000 ))
ok $(( ms < 2000 ? 0 : 1 )) "IDLE: a new message became an order in ${ms} ms"
# The parse worker was forked while the daemon held its IMAP connection;
# it must not keep a copy (the server would never see it close).
wpid=$(ps -o pid= --ppid "$DPID" | head -1 | tr -d ' ')
is "$(find /proc/"$wpid"/fd -lname 'socket:*' 2>/dev/null | wc -l)" 1 \
    "the parse worker holds only its own socket, no IMAP connection"

"$TB" restart-dovecot "$BED" >/dev/null
make_mail 2 idle > "$W/m.eml"
"$TB" deliver "$BED" "$TB_SHOP_USER" "$W/m.eml"
wait_for '[ "$(mail_orders i)" -ge 2 ]' 30
is "$(mail_orders i)" 2 "after a Dovecot restart the daemon reconnects and goes on"
kill -TERM "$DPID"
wait_for '! kill -0 $DPID 2>/dev/null' 5
ok $? "SIGTERM stops it promptly"
wait "$DPID" 2>/dev/null; is "$?" 0 "with exit status 0"
DPID=

# --- XOAUTH2: a bearer token instead of a password --------------------
# Dovecot checks the token itself (a JWT signed with the test-bed's key),
# as Gmail and Microsoft 365 check theirs.
empty_mailboxes
"$TB" token "$BED" "$TB_SHOP_USER" > "$W/token"
chmod 600 "$W/token"
setup_db ox
conf ox "secret=oauth2_token_file = $W/token"
deliver_n 3 oauth
"$MOD" -c "$W/ox.conf" --once 2>"$W/ox.log"
is "$?" 0 "XOAUTH2 with a token file: --once exits 0"
is "$(mail_orders ox)" 3 "and the mail became orders"
grep -q "method=XOAUTH2" "$TB_DOVECOT_LOG"; ok $? "Dovecot saw an XOAUTH2 login"
empty_mailboxes
setup_db oc
conf oc "secret=oauth2_token_command = cat $W/token"
deliver_n 2 oauthcmd
"$MOD" -c "$W/oc.conf" --once 2>"$W/oc.log"
is "$(mail_orders oc)" 2 "XOAUTH2 with a token command"
# A token signed with another key is refused like a wrong password.
"$TB" token "$BED" "$TB_SHOP_USER" 600 "$(printf '%064d' 7)" > "$W/badtoken"
chmod 600 "$W/badtoken"
setup_db ob
conf ob "secret=oauth2_token_file = $W/badtoken"
"$MOD" -c "$W/ob.conf" --once 2>"$W/ob.log"
ok $(( $? != 0 ? 0 : 1 )) "a forged token: --once fails"
like "$(cat "$W/ob.log")" "*refused*--once: not retried*" "and the log says the login was refused and that --once does not retry"
# The signature is the part of a JWT that is the secret's own.
r=0; grep -qF "$(sed 's/.*\.//' "$W/badtoken")" "$W/ob.log" && r=1
grep -qF "$(sed 's/.*\.//' "$W/token")" "$W/ox.log" "$W/oc.log" && r=1
ok $r "no token appears in the logs"

# --- a server that goes silent: the timeout, then a new connection -----
empty_mailboxes
setup_db sl
conf sl
sed -i 's/^timeout = 10$/timeout = 5/' "$W/sl.conf"
printf 'idle = no\n' >> "$W/sl.conf"
"$MOD" -c "$W/sl.conf" --foreground 2>"$W/sl.log" &
DPID=$!
wait_for 'grep -q "connected, uidvalidity" "$W/sl.log"' 10
# Freeze the imap process serving the daemon: its socket stays open, it
# just never answers again.
frozen=$("$TB" imap-pids "$BED" "$TB_SHOP_USER")
ok $(( $(echo $frozen | wc -w) >= 1 ? 0 : 1 )) "found the imap process serving the daemon ($frozen)"
kill -STOP $frozen
make_mail 1 silent > "$W/m.eml"
"$TB" deliver "$BED" "$TB_SHOP_USER" "$W/m.eml"
start=$(date +%s)
wait_for '[ "$(mail_orders sl)" -ge 1 ]' 60
took=$(( $(date +%s) - start ))
is "$(mail_orders sl)" 1 "a silent server costs a timeout, then a new connection delivers the order (${took} s)"
like "$(cat "$W/sl.log")" "*connection lost or timed out*" "the log says the command timed out"
ok $(( $(grep -c "connected, uidvalidity" "$W/sl.log") >= 2 ? 0 : 1 )) "and that it connected again"
kill -CONT $frozen
kill -TERM "$DPID"; wait "$DPID" 2>/dev/null; DPID=

# --- two inboxes in one daemon ------------------------------------------
empty_mailboxes
setup_db two
conf two
printf '%s\n' "$TB_BUYER_PASS" > "$W/pw2"; chmod 600 "$W/pw2"
cat >> "$W/two.conf" <<CONF
[imap.second]
host = localhost
port = $TB_IMAPS_PORT
user = $TB_BUYER_USER
password_file = $W/pw2
ca_file = $TB_CA
processed_folder = Processed
failed_folder = Failed
CONF
deliver_n 2 two1
for i in 1 2 3; do
	make_mail "$i" two2 > "$W/m.eml"
	"$TB" deliver "$BED" "$TB_BUYER_USER" "$W/m.eml"
done
"$MOD" -c "$W/two.conf" --once 2>"$W/two.log"; is "$?" 0 "two inboxes: --once exits 0"
is "$(mail_orders two)" 5 "both inboxes are read into one store (2 + 3 orders)"
is "$(db two "SELECT count(DISTINCT mailbox) FROM messages")" 2 "each message remembers its inbox"

# --- SIGHUP ---------------------------------------------------------------
empty_mailboxes
setup_db h
conf h
cp "$W/h.conf" "$W/h.good"
"$MOD" -c "$W/h.conf" --foreground 2>"$W/h.log" &
DPID=$!
wait_for 'grep -q "using IDLE" "$W/h.log"' 10
printf '[imap]\nhots = x\n' > "$W/h.conf"
kill -HUP "$DPID"
wait_for 'grep -q "keeping the running configuration" "$W/h.log"' 10
ok $? "SIGHUP with a broken file keeps the running configuration"
like "$(cat "$W/h.log")" "*h.conf:2: *" "and says what is wrong, with FILE:LINE"
make_mail 1 hup > "$W/m.eml"
"$TB" deliver "$BED" "$TB_SHOP_USER" "$W/m.eml"
wait_for '[ "$(mail_orders h)" -ge 1 ]' 15
is "$(mail_orders h)" 1 "and mail is still processed"
cp "$W/h.good" "$W/h.conf"
kill -HUP "$DPID"
wait_for '[ "$(grep -c "connected, uidvalidity" "$W/h.log")" -ge 2 ]' 15
ok $? "SIGHUP with a good file reloads and reconnects"
make_mail 2 hup > "$W/m.eml"
"$TB" deliver "$BED" "$TB_SHOP_USER" "$W/m.eml"
wait_for '[ "$(mail_orders h)" -ge 2 ]' 15
is "$(mail_orders h)" 2 "nothing is dropped across the reload"
kill -TERM "$DPID"; wait "$DPID" 2>/dev/null; DPID=

# --- refusals ------------------------------------------------------------
conf t host="$TB_UNTRUSTED_HOST" port="$TB_UNTRUSTED_PORT"
out=$("$MOD" -c "$W/t.conf" --once 2>&1); is "$?" 78 "an untrusted certificate is a configuration error"
like "$out" "*certificate*not trusted*" "and the log says the certificate is not trusted"

conf w pw="$W/badpw"
before=$(grep -c "auth failed" "$TB_DOVECOT_LOG")
"$MOD" -c "$W/w.conf" --foreground 2>"$W/w.log" &
DPID=$!
sleep 3
kill -TERM "$DPID"; wait "$DPID" 2>/dev/null; DPID=
after=$(grep -c "auth failed" "$TB_DOVECOT_LOG")
is "$(( after - before ))" 1 "a wrong password is tried once, not in a loop"
like "$(cat "$W/w.log")" "*refused*retrying in*" "the log says the login was refused and when it retries"
case $(cat "$W/w.log") in *wrong-password*) r=1 ;; *) r=0 ;; esac
ok $r "the password never appears in the log"
retry=$(sed -n 's/.*retrying in \([0-9]*\) s.*/\1/p' "$W/w.log" | head -1)
ok $(( ${retry:-0} >= 60 ? 0 : 1 )) "an auth failure waits minutes, not seconds (${retry:-?} s)"

done_testing

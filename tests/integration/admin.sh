#!/bin/bash
# mailorderd as a new admin meets it, against the real Dovecot and
# Postfix: the shipped default rules with no drop-in directory yet,
# --check-config loading the rules and templates the daemon will, an SMTP
# server that offers no AUTH while credentials are configured, a second
# daemon on the same store, and what --help and --once say.
. "${top_srcdir:-.}/tests/integration/lib-bed.sh" sqlite3 curl

MOD="$top_builddir/mailorderd"
W="$TEST_TMP/w"
mkdir -p "$W"
printf '%s\n' "$TB_SHOP_PASS" > "$W/pw"
printf 'wrong-password\n' > "$W/badpw"
chmod 600 "$W/pw" "$W/badpw"
m="$top_builddir/mailorder"

# conf NAME RULE-PATHS: $W/NAME.conf for the shop inbox, store NAME.db.
conf() {
	cat > "$W/$1.conf" <<EOF
[store]
path = $W/$1.db
[rules]
paths = $2
[imap]
host = localhost
port = $TB_IMAPS_PORT
user = $TB_SHOP_USER
password_file = ${3:-$W/pw}
ca_file = $TB_CA
processed_folder = Processed
failed_folder = Failed
timeout = 10
EOF
}
db() { sqlite3 "$W/$1.db" "$2"; }
setup_db() {
	"$m" --db "$W/$1.db" import catalog "$top_srcdir/examples/catalog.csv" >/dev/null &&
	printf 'id,name,emails\nBUYER,Buyer Cafe,%s\n' "$TB_BUYER_USER" > "$W/c.csv" &&
	"$m" --db "$W/$1.db" import customers "$W/c.csv" >/dev/null
}
order_mail() {	# order_mail TAG: a fresh order from the buyer
	printf 'From: Buyer <%s>\r\nTo: %s\r\nSubject: Order %s\r\n' \
	    "$TB_BUYER_USER" "$TB_SHOP_USER" "$1"
	printf 'Date: %s\r\nMessage-ID: <%s@customer.test>\r\n' "$(date -R)" "$1"
	printf 'Content-Type: text/plain; charset=utf-8\r\n\r\n'
	printf 'Hello, please send 3 bags of house blend. Thanks\r\n'
}
empty_inbox() {
	local box
	for box in INBOX Processed Failed; do
		doveadm -c "$TB_DOVECOT_CONF" expunge -u "$TB_SHOP_USER" \
		    mailbox "$box" all >/dev/null 2>&1
	done
}

# --- the shipped default rules, no drop-in directory yet ------------------
# The default is "$DATADIR/rules/en.rules $SYSCONFDIR/rules.d", and the
# worker used to refuse the missing directory that mailorder(1) skips.
setup_db r
conf r "$top_srcdir/rules/en.rules $W/etc/rules.d"
order_mail r1 > "$W/r1.eml"
"$TB" deliver "$BED" "$TB_SHOP_USER" "$W/r1.eml"
out=$("$MOD" -c "$W/r.conf" --check-config 2>&1)
is "$?" 0 "--check-config accepts a drop-in directory that does not exist"
"$MOD" -c "$W/r.conf" --once 2>"$W/r.log"; rc=$?
is "$rc" 0 "--once exits 0 with it"
[ "$rc" -eq 0 ] || sed 's/^/# /' "$W/r.log"
is "$(db r "SELECT o.status FROM orders o JOIN messages m ON m.id = o.message_id")" \
    accepted "and the mail became an order, as mailorder parse would make it"
is "$(db r "SELECT group_concat(state) FROM messages")" done "no message is left 'received'"
mkdir -p "$W/etc/rules.d"
printf 'unit punnet punnets\nline broken ^(?<item>.+$\n' > "$W/etc/rules.d/50-local.rules"
out=$("$MOD" -c "$W/r.conf" --check-config 2>&1)
is "$?" 78 "--check-config loads the rules the worker will load, and refuses a broken drop-in"
like "$out" "*50-local.rules:2:*" "naming FILE:LINE"
empty_inbox
order_mail r2 > "$W/r2.eml"
"$TB" deliver "$BED" "$TB_SHOP_USER" "$W/r2.eml"
out=$("$MOD" -c "$W/r.conf" --once 2>&1)
is "$?" 78 "mailorderd refuses to start with it, before fetching anything"
is "$(db r "SELECT count(*) FROM messages")" 1 "so no message was fetched and left 'received'"
rm -f "$W/etc/rules.d/50-local.rules"
conf r "$top_srcdir/rules/en.rules $W/no-such.rules"
out=$("$MOD" -c "$W/r.conf" --check-config 2>&1)
is "$?" 78 "a rule FILE that does not exist is still refused"
like "$out" "*no-such.rules*No such file*" "and named"
conf r "$top_srcdir/rules/en.rules"
printf '[smtp]\nhost = localhost\nfrom = %s\n[reply]\ntemplates = %s/tpl\n' \
    "$TB_SHOP_USER" "$W" >> "$W/r.conf"
mkdir -p "$W/tpl"
cp "$top_srcdir"/templates/*.txt "$W/tpl/"
printf 'Hello,\n\n{{nonsense}}\n' > "$W/tpl/acknowledgement.txt"
out=$("$MOD" -c "$W/r.conf" --check-config 2>&1)
is "$?" 78 "--check-config loads the reply templates the worker will use"
like "$out" "*acknowledgement.txt:3:*" "and names the broken one with FILE:LINE"

# --- credentials configured, no AUTH offered -------------------------------
# Postfix's port 25 listener offers STARTTLS but no AUTH.
empty_inbox
setup_db a
conf a "$top_srcdir/rules/en.rules"
cat >> "$W/a.conf" <<EOF
[smtp]
host = localhost
port = $TB_SMTP_PORT
tls = starttls
user = $TB_SHOP_USER
password_file = $W/pw
ca_file = $TB_CA
from = $TB_SHOP_USER
timeout = 10
[reply]
templates = $top_srcdir/templates
EOF
order_mail a1 > "$W/a1.eml"
"$TB" deliver "$BED" "$TB_SHOP_USER" "$W/a1.eml"
before=$(grep -c "from=<$TB_SHOP_USER>" "$TB_POSTFIX_LOG")
"$MOD" -c "$W/a.conf" --once 2>"$W/a.log"
is "$?" 78 "--once exits EX_CONFIG when the server cannot take the configured login"
is "$(db a "SELECT state FROM outbox")" queued "the reply stays queued"
is "$(( $(grep -c "from=<$TB_SHOP_USER>" "$TB_POSTFIX_LOG") - before ))" 0 \
    "and nothing was handed to the server unauthenticated"
like "$(cat "$W/a.log")" "*offers no AUTH*" "the log says the server offers no login"
is "$(grep -c "offers no AUTH" "$W/a.log")" 1 "once, not once per reply"

# --- two daemons on one store --------------------------------------------
empty_inbox
setup_db l
conf l "$top_srcdir/rules/en.rules"
printf 'poll_interval = 5\n' >> "$W/l.conf"
"$MOD" -c "$W/l.conf" --foreground 2>"$W/l.log" &
DPID=$!
wait_for 'grep -q "connected, uidvalidity" "$W/l.log"' 10
out=$("$MOD" -c "$W/l.conf" --once 2>&1)
is "$?" 75 "a second mailorderd on the same store is refused (EX_TEMPFAIL)"
is "$(printf '%s\n' "$out" | wc -l)" 1 "with one line"
like "$out" "*$W/l.db*PID $DPID*" "naming the store and the holder's PID"
out=$("$m" --config "$W/l.conf" ingest "$W/a1.eml" 2>&1)
is "$?" 75 "mailorder ingest, which would race the daemon, is refused too"
like "$out" "*PID $DPID*" "naming the daemon's PID"
out=$("$m" --db "$W/l.db" list 2>&1)
is "$?" 0 "reading the store beside the daemon still works"
"$m" --db "$W/l.db" import catalog "$top_srcdir/examples/catalog.csv" >/dev/null 2>&1
is "$?" 0 "and so does an import (one transaction, the daemon reloads)"
kill -TERM "$DPID"; wait "$DPID" 2>/dev/null; DPID=
"$MOD" -c "$W/l.conf" --once 2>"$W/l2.log"
is "$?" 0 "once the first has stopped, the next one runs"

# --- --help, --version, --once with a wrong password ------------------------
out=$("$MOD" --help 2>/dev/null); is "$?" 0 "mailorderd --help exits 0"
like "$out" "*usage: mailorderd*--check-config*" "and prints the usage on stdout"
like "$out" "*--version*" "which lists --version"
like "$out" "*--help*" "and --help"
out=$("$MOD" --frobnicate 2>&1); is "$?" 64 "an unknown option is EX_USAGE"
like "$out" "*usage: mailorderd*" "with the usage"

conf w "$top_srcdir/rules/en.rules" "$W/badpw"
out=$("$MOD" -c "$W/w.conf" --once 2>&1)
is "$?" 78 "--once with a wrong password exits EX_CONFIG"
like "$out" "*login*refused*" "the log says the login was refused"
case $out in *"retrying in"*) r=1 ;; *) r=0 ;; esac
ok $r "and does not promise a retry that --once will not make"
like "$out" "*--once*not retried*" "it says what happens instead"

done_testing

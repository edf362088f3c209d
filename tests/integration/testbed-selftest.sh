#!/bin/sh
# The test-bed itself: the integration tests trust it to give verified TLS
# with its CA, a refused TLS listener, working logins, SMTP delivery into
# Dovecot and no relaying.  If this fails, every integration test is moot.
. "${top_srcdir:-.}/tests/lib.sh"

TB="$top_srcdir/tests/integration/testbed.sh"
BED="$TEST_TMP/bed"
chmod 0755 "$TEST_TMP"	# the servers' own users must reach BED
trap '"$TB" down "$BED" >/dev/null 2>&1; rm -rf "$TEST_TMP"' EXIT

if ! command -v dovecot >/dev/null 2>&1 || ! command -v postfix >/dev/null 2>&1
then
	# CI installs them; a silent skip would hide that nothing was tested.
	echo "1..1"
	echo "not ok 1 - dovecot and postfix are installed (apt-get install" \
	    "-y --no-install-recommends dovecot-imapd dovecot-lmtpd postfix openssl)"
	exit 1
fi

"$TB" up "$BED"; is "$?" 0 "the test-bed comes up"
eval "$("$TB" env "$BED")"
like "$TB_IMAPS_PORT" "[0-9]*" "env prints the IMAPS port"

out=$(curl -sS --max-time 10 --cacert "$TB_CA" \
    "imaps://localhost:$TB_IMAPS_PORT/INBOX" \
    -u "$TB_SHOP_USER:$TB_SHOP_PASS" -X 'EXAMINE INBOX' 2>&1)
is "$?" 0 "IMAPS login with the test CA works"
like "$out" "*UIDVALIDITY*" "EXAMINE INBOX answers with a UIDVALIDITY"

curl -sS --max-time 10 --cacert "$TB_CA" \
    "imaps://localhost:$TB_IMAPS_PORT/INBOX" \
    -u "$TB_SHOP_USER:wrong" -X 'EXAMINE INBOX' >/dev/null 2>&1
is "$?" 67 "a wrong password is refused (curl 67)"

curl -sS --max-time 10 --ssl-reqd --cacert "$TB_CA" \
    "imap://localhost:$TB_IMAP_PORT/INBOX" \
    -u "$TB_BUYER_USER:$TB_BUYER_PASS" -X 'EXAMINE INBOX' >/dev/null 2>&1
is "$?" 0 "IMAP with STARTTLS and the test CA works"

curl -sS --max-time 10 --cacert "$TB_CA" \
    "imaps://$TB_UNTRUSTED_HOST:$TB_UNTRUSTED_PORT/INBOX" \
    -u "$TB_SHOP_USER:$TB_SHOP_PASS" >/dev/null 2>&1
is "$?" 60 "the untrusted listener is refused without -k (curl 60)"

curl -sS --max-time 10 -k \
    "imaps://$TB_UNTRUSTED_HOST:$TB_UNTRUSTED_PORT/INBOX" \
    -u "$TB_SHOP_USER:$TB_SHOP_PASS" -X 'EXAMINE INBOX' >/dev/null 2>&1
is "$?" 0 "the untrusted listener is a working Dovecot (with -k)"

msg="$TEST_TMP/hello.eml"
printf 'From: sender@customer.test\r\nTo: %s\r\nSubject: selftest %s\r\n\r\nhello\r\n' \
    "$TB_BUYER_USER" "$$" > "$msg"
"$TB" smtp "$BED" "$TB_BUYER_USER" "$msg"
is "$?" 0 "SMTP with STARTTLS accepts mail for buyer@customer.test"
n=0
for i in $(seq 1 50); do
	n=$(grep -l "selftest $$" "$TB_BUYER_MAILDIR"/new/* 2>/dev/null | wc -l)
	[ "$n" -gt 0 ] && break
	sleep 0.1
done
is "$n" 1 "the mail arrives in buyer's INBOX"
out=$(curl -sS --max-time 10 --cacert "$TB_CA" \
    "imaps://localhost:$TB_IMAPS_PORT/INBOX" \
    -u "$TB_BUYER_USER:$TB_BUYER_PASS" -X 'STATUS INBOX (MESSAGES)' 2>&1)
like "$out" "*MESSAGES 1*" "Dovecot sees the delivered mail"

curl -sS --max-time 10 --ssl-reqd --cacert "$TB_CA" \
    "smtp://localhost:$TB_SMTP_PORT" --mail-from "sender@customer.test" \
    --mail-rcpt "someone@example.org" --upload-file "$msg" >/dev/null 2>&1
is "$?" 55 "mail for any other domain is refused (no relay)"

curl -sS --max-time 10 "smtp://localhost:$TB_SUBMISSION_PORT" \
    -u "$TB_SHOP_USER:$TB_SHOP_PASS" --mail-from "$TB_SHOP_USER" \
    --mail-rcpt "$TB_BUYER_USER" --upload-file "$msg" >/dev/null 2>&1
isnt_zero=$?
[ "$isnt_zero" -ne 0 ]; ok "$?" "submission refuses AUTH without STARTTLS"

"$TB" deliver "$BED" "$TB_SHOP_USER" "$msg"
out=$(curl -sS --max-time 10 --cacert "$TB_CA" \
    "imaps://localhost:$TB_IMAPS_PORT/INBOX" \
    -u "$TB_SHOP_USER:$TB_SHOP_PASS" -X 'STATUS INBOX (MESSAGES)' 2>&1)
like "$out" "*MESSAGES 1*" "Maildir fast-path delivery is seen by Dovecot"

new=$("$TB" uidvalidity "$BED" "$TB_SHOP_USER" INBOX 12345)
is "$new" 12345 "uidvalidity prints the new value"
out=$(curl -sS --max-time 10 --cacert "$TB_CA" \
    "imaps://localhost:$TB_IMAPS_PORT/INBOX" \
    -u "$TB_SHOP_USER:$TB_SHOP_PASS" -X 'STATUS INBOX (UIDVALIDITY)' 2>&1)
like "$out" "*UIDVALIDITY 12345*" "uidvalidity resets the mailbox UIDVALIDITY"

"$TB" restart-dovecot "$BED"; is "$?" 0 "dovecot restarts"
curl -sS --max-time 10 --cacert "$TB_CA" \
    "imaps://localhost:$TB_IMAPS_PORT/INBOX" \
    -u "$TB_SHOP_USER:$TB_SHOP_PASS" -X 'EXAMINE INBOX' >/dev/null 2>&1
is "$?" 0 "IMAPS works after the restart"

dpid=$(cat "$BED/run/dovecot/master.pid")
ppid_=$(tr -d ' ' < "$BED/postfix-spool/pid/master.pid")
# restart-dovecot stopped Dovecot through its pid file; make down find
# both masters without theirs, as after an rm -rf of a live DIR.
rm -f "$BED/run/dovecot/master.pid" "$BED/postfix-spool/pid/master.pid"
"$TB" down "$BED"; is "$?" 0 "the test-bed goes down, even without pid files"
alive() { [ -r "/proc/$1/stat" ] &&
    [ "$(sed -e 's/^.*) //' "/proc/$1/stat" | cut -d' ' -f1)" != Z ]; }
alive "$dpid"; is "$?" 1 "the Dovecot master is gone"
alive "$ppid_"; is "$?" 1 "the Postfix master is gone"
curl -sS --max-time 5 --cacert "$TB_CA" \
    "imaps://localhost:$TB_IMAPS_PORT/" >/dev/null 2>&1
is "$?" 7 "nothing answers on the IMAPS port any more"

done_testing

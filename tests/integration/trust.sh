#!/bin/bash
# Sender authenticity end to end: mail goes in through the test-bed
# Postfix, whose port 25 runs real OpenDKIM and OpenDMARC milters (the
# key and the SPF and DMARC records served by real DNS servers on
# loopback), so the Authentication-Results headers mailorderd reads were
# written by real verifiers.  A signed order is accepted and answered;
# forged ones (unsigned, or with a signature broken on the way, each with
# forged "pass" headers from an untrusted id and from the trusted id
# itself below the real ones) are flagged sender_unverified and not
# answered; a lookalike domain is flagged naming the customer and not
# matched.
#
# Every client here is on loopback, and libspf2 passes loopback clients
# for any domain: a forger therefore uses an envelope sender of his own
# (bounce@evil.test), as a real one would, and DMARC fails on alignment.
. "${top_srcdir:-.}/tests/integration/lib-bed.sh" sqlite3 curl opendkim \
    opendkim-testmsg opendmarc dnsmasq unshare

TM="$top_srcdir/tests/integration/testbed-milters.sh"
trap '"$TM" down "$BED" >/dev/null 2>&1; bed_cleanup' EXIT
"$TM" up "$BED"; is "$?" 0 "DNS, OpenDKIM and OpenDMARC come up"
eval "$("$TM" env "$BED")"

MOD="$top_builddir/mailorderd"
m="$top_builddir/mailorder"
W="$TEST_TMP/w"
mkdir -p "$W"
printf '%s\n' "$TB_SHOP_PASS" > "$W/pw"
chmod 600 "$W/pw"
DB="$W/shop.db"
db() { sqlite3 "$DB" "$1"; }

"$m" --db "$DB" import catalog "$top_srcdir/examples/catalog.csv" >/dev/null
printf 'id,name,emails\nBUYER,Buyer Cafe,buyer@customer.test\n' > "$W/c.csv"
"$m" --db "$DB" import customers "$W/c.csv" >/dev/null

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
timeout = 10
[smtp]
host = localhost
port = $TB_SUBMISSION_PORT
tls = starttls
user = $TB_SHOP_USER
password_file = $W/pw
ca_file = $TB_CA
from = $TB_SHOP_USER
timeout = 10
[reply]
templates = $top_srcdir/templates
[policy]
trusted_authserv_id = $TB_AUTHSERV_ID
EOF

# mail FROM MSGID [EXTRA-HEADER...]: an order for two bags.
mail() {
	local from=$1 id=$2; shift 2
	printf 'From: %s\r\nTo: %s\r\nSubject: Order %s\r\n' "$from" \
	    "$TB_SHOP_USER" "$id"
	printf 'Date: %s\r\nMessage-ID: <%s>\r\n' "$(date -R)" "$id"
	for h in "$@"; do printf '%s\r\n' "$h"; done
	printf 'MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n'
	printf 'Hello, please send 2 bags of house blend. Thanks\r\n'
}
send_in() {	# send_in FILE [ENVELOPE-SENDER]: over SMTP to port 25
	curl -sS --ssl-reqd --cacert "$TB_CA" \
	    --url "smtp://localhost:$TB_SMTP_PORT" \
	    --mail-from "${2:-sender@customer.test}" \
	    --mail-rcpt "$TB_SHOP_USER" --upload-file "$1"
}
order_of() {	# order_of MSGID FIELD
	db "SELECT $2 FROM orders o JOIN messages m ON m.id = o.message_id
	    WHERE m.message_id = '$1'"
}
flags_of() {
	db "SELECT group_concat(f.code, ' ') FROM flags f
	    JOIN orders o ON o.id = f.order_id JOIN messages m ON
	    m.id = o.message_id WHERE m.message_id = '$1'"
}
replies_to() {
	db "SELECT count(*) FROM outbox x JOIN orders o ON o.id = x.order_id
	    JOIN messages m ON m.id = o.message_id WHERE m.message_id = '$1'"
}

# 1. signed by customer.test: the verifier says dkim=pass
mail 'buyer@customer.test' good@customer.test > "$W/good.raw"
"$TM" sign "$BED" "$W/good.raw" > "$W/good.eml"
send_in "$W/good.eml"; is "$?" 0 "a signed order goes in over SMTP"

FORGED_AR=(
    'Authentication-Results: mx.evil.example; dkim=pass header.d=customer.test; spf=pass smtp.mailfrom=customer.test; dmarc=pass header.from=customer.test'
    "Authentication-Results: $TB_AUTHSERV_ID; dkim=pass header.d=customer.test; dmarc=pass header.from=customer.test")

# 2. forged: signed, then the body changed on the way (dkim=fail), with
# "pass" written by the forger under an untrusted id and under the
# trusted one
mail 'buyer@customer.test' forged@customer.test "${FORGED_AR[@]}" \
    > "$W/forged.raw"
"$TM" sign "$BED" "$W/forged.raw" | sed 's/2 bags/20 bags/' > "$W/forged.eml"
send_in "$W/forged.eml" bounce@evil.test

# 2b. forged without a signature: the plain spoof
mail 'buyer@customer.test' spoof@customer.test "${FORGED_AR[@]}" \
    > "$W/spoof.eml"
send_in "$W/spoof.eml" bounce@evil.test

# 3. a lookalike domain ("rn" for "m")
mail 'buyer@custorner.test' look@custorner.test > "$W/look.eml"
send_in "$W/look.eml"

wait_for '[ "$(ls "$TB_SHOP_MAILDIR/new" | wc -l)" -ge 4 ]' 20
ok $? "all four arrive in the shop's inbox"
top() {	# top MSGID: the topmost Authentication-Results of that mail
	grep -l -i "^Message-ID: <$1>" "$TB_SHOP_MAILDIR"/new/* |
	    xargs sed -n '/^Authentication-Results:/{p;q}'
}
like "$(top good@customer.test)" "*$TB_AUTHSERV_ID; dmarc=pass*header.from=customer.test*" \
    "OpenDMARC vouched for the signed one"
like "$(top forged@customer.test)" "*$TB_AUTHSERV_ID; dmarc=fail*header.from=customer.test*" \
    "and failed the one changed on the way"
like "$(top spoof@customer.test)" "*$TB_AUTHSERV_ID; dmarc=fail*header.from=customer.test*" \
    "and the unsigned spoof"
grep -h -A1 "^Authentication-Results: $TB_AUTHSERV_ID;$" \
    "$(grep -l -i "^Message-ID: <forged@customer.test>" "$TB_SHOP_MAILDIR"/new/*)" |
    grep -q "dkim=fail"
ok $? "OpenDKIM found the broken signature"

"$MOD" -c "$W/mo.conf" --once 2>"$W/d.log"; is "$?" 0 "mailorderd --once"

is "$(order_of good@customer.test status)" accepted \
    "the signed order is accepted"
is "$(replies_to good@customer.test)" 1 "and its confirmation is queued"

is "$(order_of forged@customer.test status)" flagged \
    "the forged order is not accepted, whatever the forger wrote"
is "$(flags_of forged@customer.test)" sender_unverified \
    "it is flagged sender_unverified"
is "$(replies_to forged@customer.test)" 0 \
    "and gets no automatic reply (the real customer never ordered)"
ref=$(order_of forged@customer.test ref)
out=$("$m" --config "$W/mo.conf" show "$ref")
like "$out" "*sender_unverified: the sender is not verified: dmarc=fail for customer.test*$TB_AUTHSERV_ID*" \
    "the order says why"

is "$(order_of spoof@customer.test status)" flagged \
    "the unsigned spoof is not accepted either"
is "$(flags_of spoof@customer.test)" sender_unverified \
    "it is flagged sender_unverified"
is "$(replies_to spoof@customer.test)" 0 "and gets no automatic reply"

is "$(order_of look@custorner.test status)" flagged \
    "the lookalike sender's order is flagged"
is "$(flags_of look@custorner.test)" lookalike_sender "as lookalike_sender"
is "$(order_of look@custorner.test "coalesce(customer_id, 'none')")" none \
    "it is not matched to the customer"
like "$(db "SELECT text FROM flags WHERE code = 'lookalike_sender'")" \
    "*customer.test of customer BUYER (Buyer Cafe)*" \
    "the flag names the customer it imitates"
is "$(replies_to look@custorner.test)" 0 "and it gets no automatic reply"
grep -q "no automatic reply: sender not verified" "$W/d.log"
ok $? "the daemon logs why it did not answer"

done_testing

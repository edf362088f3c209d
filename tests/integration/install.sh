#!/bin/bash
# What a new admin does, from `make install` on: build the tree again for
# a prefix inside the test's scratch directory, install it, take the
# SHIPPED examples/mailorder.conf and change only the server addresses and
# credentials, then run the INSTALLED mailorder and mailorderd (their
# compiled-in default paths, no --rules, no [rules] or [store] setting)
# against the test Dovecot and Postfix: a customer's mail becomes an order
# and its confirmation lands in the customer's own mailbox.
. "${top_srcdir:-.}/tests/integration/lib-bed.sh" curl python3 make jq

# --- configure, build and install into a prefix ------------------------
# The same configure arguments as the tree under test (sanitizers and
# all), plus the prefix.
P="$TEST_TMP/prefix"
B="$TEST_TMP/build"
mkdir -p "$B"
eval "set -- $("$top_builddir/config.status" --config)"
# Not --srcdir: make distcheck gives a relative one (../..) that means
# nothing from $B.
conf=()
for a in "$@"; do [[ $a == --srcdir=* ]] || conf+=("$a"); done
(cd "$B" && "$top_srcdir/configure" -q "${conf[@]}" --prefix="$P") \
    >"$TEST_TMP/configure.log" 2>&1
is "$?" 0 "configure --prefix=$P"
grep -q "StateDirectory" "$TEST_TMP/configure.log"
ok $? "configure warns that this prefix's store is not where the unit's StateDirectory= is"
(cd "$B" && make -j2 >/dev/null 2>"$TEST_TMP/make.log" && make install \
    >"$TEST_TMP/install.log" 2>&1)
is "$?" 0 "make && make install"
test -d "$P/etc/mailorder/rules.d"; is "$?" 0 "make install creates the drop-in directory rules.d"
test -d "$P/var/lib/mailorder"; is "$?" 0 "make install creates the state directory"
for f in sbin/mailorderd bin/mailorder share/mailorder/rules/en.rules \
    share/mailorder/templates/confirmation.txt share/mailorder/mailorder.conf \
    share/mailorder/examples/catalog.csv; do
	test -e "$P/$f"; ok $? "installed $f"
done
MOD="$P/sbin/mailorderd"
MO="$P/bin/mailorder"

# --- the test servers and the shipped configuration ----------------------
printf '%s\n' "$TB_SHOP_PASS" > "$P/etc/mailorder/shop-password"
chmod 600 "$P/etc/mailorder/shop-password"

# Uncomment [imap] and [smtp] and set only where the servers are and how
# to log in; everything else stays exactly as shipped.
CONF="$P/etc/mailorder/mailorder.conf"
awk -v ih=localhost -v ip="$TB_IMAPS_PORT" -v sp="$TB_SUBMISSION_PORT" \
    -v user="$TB_SHOP_USER" -v pw="$P/etc/mailorder/shop-password" \
    -v ca="$TB_CA" '
	/^#?\[/ { s = $0; sub(/^#/, "", s) }
	s == "[imap]" || s == "[smtp]" {
		if ($0 ~ /^#\[/) { print substr($0, 2); next }
		v = ""
		if ($0 ~ /^#host =/) v = ih
		if ($0 ~ /^#port =/) v = (s == "[imap]") ? ip : sp
		if ($0 ~ /^#tls =/ && s == "[smtp]") v = "starttls"
		if ($0 ~ /^#user =/) v = user
		if ($0 ~ /^#password_file =/) v = pw
		if ($0 ~ /^#ca_file =/) v = ca
		if ($0 ~ /^#from =/) v = user
		if (v != "") { k = $1; sub(/^#/, "", k); print k " = " v; next }
	}
	{ print }' "$P/share/mailorder/mailorder.conf" > "$CONF"
diff "$P/share/mailorder/mailorder.conf" "$CONF" > "$TEST_TMP/conf.diff"
is "$(grep -c "^>" "$TEST_TMP/conf.diff")" 14 \
    "the shipped file with only 2 section headers and 12 server and login lines changed"

out=$("$MOD" --check-config 2>&1); is "$?" 0 "the installed mailorderd --check-config accepts it"
is "$out" "$CONF: configuration ok" "and reads the installed default file"

# --- the shop's data, with the installed CLI and its default paths ----------
E="$P/share/mailorder/examples"
"$MO" import catalog "$E/catalog.csv" >/dev/null; is "$?" 0 "mailorder import catalog (default store)"
"$MO" import customers "$E/customers.csv" >/dev/null
printf 'id,name,emails\nBUYER,Buyer Cafe,%s\n' "$TB_BUYER_USER" > "$TEST_TMP/buyer.csv"
"$MO" import customers "$TEST_TMP/buyer.csv" >/dev/null
"$MO" import history "$E/history.csv" >/dev/null; is "$?" 0 "mailorder import customers and history"
test -f "$P/var/lib/mailorder/mailorder.db"; is "$?" 0 "the store is the configured default, under the prefix"

# --- a customer's order, end to end -----------------------------------
mid="install-$$@customer.test"
{
	printf 'From: Buyer <%s>\r\nTo: %s\r\n' "$TB_BUYER_USER" "$TB_SHOP_USER"
	printf 'Subject: Order for Monday\r\nDate: %s\r\n' "$(date -R)"
	printf 'Message-ID: <%s>\r\n' "$mid"
	printf 'Content-Type: text/plain; charset=utf-8\r\n\r\n'
	printf 'Hello,\r\n\r\nplease send 3 bags of house blend and 2 cases of 12oz cups.\r\n\r\nThanks\r\n'
} > "$TEST_TMP/order.eml"
"$TB" smtp "$BED" "$TB_SHOP_USER" "$TEST_TMP/order.eml"
is "$?" 0 "the customer's order goes in over SMTP"
for i in $(seq 1 100); do
	[ -n "$(ls "$TB_SHOP_MAILDIR/new")" ] && break
	sleep 0.1
done

"$MOD" --once 2>"$TEST_TMP/d.log"; rc=$?
is "$rc" 0 "the installed mailorderd --once exits 0"
[ "$rc" -eq 0 ] || sed 's/^/# /' "$TEST_TMP/d.log"
out=$("$MO" list --json)
is "$(printf '%s\n' "$out" | jq -r .status)" accepted "the mail became an accepted order"
ref=$(printf '%s\n' "$out" | jq -r .ref)
is "$("$MO" show "$ref" --json | jq -r '[.lines[].sku] | join(",")')" \
    "HB-1KG,CUP-12OZ" "with the lines the customer asked for (shipped rules)"

n=$(curl -sS --cacert "$TB_CA" -u "$TB_BUYER_USER:$TB_BUYER_PASS" \
    "imaps://localhost:$TB_IMAPS_PORT/INBOX" -X "SEARCH HEADER In-Reply-To \"$mid\"" |
    tr -d '\r' | sed -n 's/^\* SEARCH//p' | xargs)
like "$n" "[0-9]*" "the confirmation is in the customer's mailbox, in reply to the order"
reply=$(curl -sS --cacert "$TB_CA" -u "$TB_BUYER_USER:$TB_BUYER_PASS" \
    "imaps://localhost:$TB_IMAPS_PORT/INBOX;MAILINDEX=${n%% *}")
like "$reply" "*Subject: Re: Order for Monday \[$ref\]*" "threaded under the customer's subject, with the order number"
like "$reply" "*House Blend Coffee Beans 1kg*" "listing the products (shipped templates)"


# --- shipping with the shop's own carrier and a personal note --------------
# As the admin would: the carrier and the operator's name go into the
# installed file; the undo window is cut from 60 s for the test's sake.
cat >> "$CONF" <<EOF
[carriers]
evri = https://www.evri.com/track/parcel/{tracking}
[operators]
$(id -un) = Sam Whitfield
EOF
sed -i 's/^#undo_seconds = .*/undo_seconds = 1/' "$CONF"
grep -q "^undo_seconds = 1" "$CONF"; is "$?" 0 "the shipped file has an undo_seconds line to set"
out=$("$MOD" --check-config 2>&1); is "$out" "$CONF: configuration ok" "--check-config takes [carriers] and [operators]"
"$MO" ship "$ref" --carrier evri --tracking EV123456 \
    --note "Thanks, the new blend is in this week." >/dev/null
is "$?" 0 "mailorder ship with the configured carrier and a note"
sleep 2
"$MOD" --once 2>>"$TEST_TMP/d.log"
n=$(curl -sS --cacert "$TB_CA" -u "$TB_BUYER_USER:$TB_BUYER_PASS" \
    "imaps://localhost:$TB_IMAPS_PORT/INBOX" -X "SEARCH BODY EV123456" |
    tr -d '\r' | sed -n 's/^\* SEARCH//p' | xargs)
like "$n" "[0-9]*" "the shipping notice is in the customer's mailbox"
notice=$(curl -sS --cacert "$TB_CA" -u "$TB_BUYER_USER:$TB_BUYER_PASS" \
    "imaps://localhost:$TB_IMAPS_PORT/INBOX;MAILINDEX=${n%% *}" | tr -d '\r')
like "$notice" "*https://www.evri.com/track/parcel/EV123456*" "with the configured carrier's tracking link"
like "$notice" "*Carrier: Evri*" "naming the carrier"
like "$notice" "*Thanks, the new blend is in this week.*" "carrying the operator's note"
like "$notice" "*Sam Whitfield*" "signed with the name [operators] gives"

done_testing

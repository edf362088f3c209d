#!/bin/bash
# Many shops on one machine: two mailorderd instances as the template unit
# mailorderd@.service starts them (its ExecStart, with %i the instance),
# each with its own configuration, store and state directory, on two
# inboxes of the test-bed.  Neither sees the other's mail; a third one
# started on the first one's configuration is refused.
export TB_EXTRA_USERS="orders@shop2.test"
. "${top_srcdir:-.}/tests/integration/lib-bed.sh" sqlite3

m="$top_builddir/mailorder"
W="$TEST_TMP/w"
mkdir -p "$W/etc" "$W/state/shop1" "$W/state/shop2"
printf '%s\n' "$TB_SHOP_PASS" > "$W/etc/shop1.pw"
printf '%s\n' "$TB_EXTRA_PASS" > "$W/etc/shop2.pw"
chmod 600 "$W"/etc/*.pw

# The instance's command line, from the unit as built.
exec_line=$(sed -n 's/^ExecStart=//p' "$top_builddir/systemd/mailorderd@.service")
unit_etc=$(echo "$exec_line" | sed -n 's|.*--config \(.*\)/%i\.conf.*|\1|p')
[ -n "$unit_etc" ]; ok $? "the template's ExecStart reads CONFDIR/%i.conf"
# instance NAME [ARGS]: run it as systemd would, CONFDIR being $W/etc
# here; it becomes the daemon (exec), so "instance x &" gives its PID.
instance() {
	local args name=$1
	shift
	args=$(echo "$exec_line" | sed -e 's|^[^ ]*||' \
	    -e "s|$unit_etc/%i.conf|$W/etc/$name.conf|" -e "s|%i|$name|g")
	# shellcheck disable=SC2086
	exec "$top_builddir/mailorderd" $args "$@"
}

shop_conf() {	# shop_conf NAME USER
	cat > "$W/etc/$1.conf" <<CONF
[store]
path = $W/state/$1/mailorder.db
[rules]
paths = $top_srcdir/rules/en.rules
[imap]
host = localhost
port = $TB_IMAPS_PORT
tls = implicit
user = $2
password_file = $W/etc/$1.pw
ca_file = $TB_CA
processed_folder = Processed
CONF
	"$m" --config "$W/etc/$1.conf" import catalog \
	    "$top_srcdir/examples/catalog.csv" >/dev/null
}
shop_conf shop1 "$TB_SHOP_USER"
shop_conf shop2 orders@shop2.test
printf 'id,name,emails\nONE,Shop One Buyer,@customer.test\n' > "$W/c1.csv"
printf 'id,name,emails\nTWO,Shop Two Buyer,@customer.test\n' > "$W/c2.csv"
"$m" --config "$W/etc/shop1.conf" import customers "$W/c1.csv" >/dev/null
"$m" --config "$W/etc/shop2.conf" import customers "$W/c2.csv" >/dev/null

instance shop1 2>"$W/shop1.log" & P1=$!
instance shop2 2>"$W/shop2.log" & P2=$!
DPID=$P1
trap 'kill -9 $P1 $P2 2>/dev/null; bed_cleanup' EXIT
wait_for '[ -s "$W/state/shop1/mailorder.db.state" ] && [ -s "$W/state/shop2/mailorder.db.state" ]' 20

mail() {	# mail TO MSGID SUBJECT
	printf 'From: buyer@customer.test\r\nTo: %s\r\nSubject: %s\r\nMessage-ID: <%s>\r\n\r\nplease send 2 bags of house blend\r\n' \
	    "$1" "$3" "$2"
}
for i in 1 2 3; do
	mail "$TB_SHOP_USER" "one$i@customer.test" "for shop one $i" > "$W/m.eml"
	"$TB" smtp "$BED" "$TB_SHOP_USER" "$W/m.eml"
done
for i in 1 2; do
	mail orders@shop2.test "two$i@customer.test" "for shop two $i" > "$W/m.eml"
	"$TB" smtp "$BED" orders@shop2.test "$W/m.eml"
done
# The same mail (one Message-ID) to both shops: one order in each.
printf 'From: buyer@customer.test\r\nTo: %s, orders@shop2.test\r\nSubject: for both\r\nMessage-ID: <both@customer.test>\r\n\r\nplease send 1 bag of house blend\r\n' \
    "$TB_SHOP_USER" > "$W/both.eml"
curl -sS --ssl-reqd --cacert "$TB_CA" --url "smtp://localhost:$TB_SMTP_PORT" \
    --mail-from sender@customer.test --mail-rcpt "$TB_SHOP_USER" \
    --mail-rcpt orders@shop2.test --upload-file "$W/both.eml"

q() { sqlite3 "$W/state/$1/mailorder.db" "$2"; }
wait_for '[ "$(q shop1 "SELECT count(*) FROM orders WHERE message_id IS NOT NULL")" = 4 ] &&
    [ "$(q shop2 "SELECT count(*) FROM orders WHERE message_id IS NOT NULL")" = 3 ]' 30
ok $? "each instance takes the mail of its own inbox"
is "$(q shop1 "SELECT group_concat(subject, '|') FROM (SELECT subject FROM messages ORDER BY subject)")" \
    "for both|for shop one 1|for shop one 2|for shop one 3" "shop1's store holds shop1's mail only"
is "$(q shop2 "SELECT group_concat(subject, '|') FROM (SELECT subject FROM messages ORDER BY subject)")" \
    "for both|for shop two 1|for shop two 2" "shop2's store holds shop2's mail only"
is "$(q shop2 "SELECT DISTINCT customer_id FROM orders WHERE message_id IS NOT NULL")" TWO \
    "and each matched it against its own customers"
out=$("$m" --config "$W/etc/shop2.conf" status)
like "$out" "*daemon: mailorderd, PID $P2,*inbox orders@shop2.test@*" \
    "mailorder status for shop2 shows shop2's daemon and inbox"
case $out in *"$TB_SHOP_USER"*) r=1 ;; *) r=0 ;; esac
ok $r "and nothing of shop1's"

err=$( (instance shop1 --once) 2>&1); is "$?" 75 "a second daemon on shop1's store is refused (75)"
like "$err" "*in use by mailorderd (PID $P1)*" "naming the instance that holds it"

done_testing

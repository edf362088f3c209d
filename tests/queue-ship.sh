#!/bin/sh
# Shipping from the queue: an accepted order, found in the all-orders
# view, shipped with t (carrier, tracking number, an optional note for
# the customer); a carrier mailorder does not know (neither built in nor
# in [carriers]) asks for its tracking link, and a bad one sends
# nothing.
. "${top_srcdir:-.}/tests/lib.sh"

command -v tmux >/dev/null || { echo "1..1"; echo "not ok 1 - tmux is installed (setup.sh installs it)"; exit 1; }
. "$top_srcdir/tests/lib-shop.sh"
cat >> "$TEST_TMP/mo.conf" <<CONF
[carriers]
evri = https://www.evri.com/track/parcel/{tracking}
CONF
mo ingest "$E/mail/plain-order.eml" "$E/mail/outlook-order.eml" >/dev/null
a=$(mo list --json --status accepted | jq -r .ref | head -1)
b=$(mo list --json --status accepted | jq -r .ref | sed -n 2p)
ships() { q "SELECT count(*) FROM outbox WHERE order_id = ${1#MO-} AND kind = 'shipping'"; }

SOCK="mo-ship-$$"
. "$top_srcdir/tests/lib-tmux.sh"
T -f /dev/null new-session -d -s t -x 100 -y 30 -e LANG=C.UTF-8 \
    -e ESCDELAY=25 "$MAILORDER --db '$DB' --config '$TEST_TMP/mo.conf' --rules '$top_srcdir/rules/en.rules' queue"
wait_for "*mailorder queue*"; ok $? "the queue opens"
open() {	# open REF from the all-orders view
	T send-keys -t t / "$1" Enter
	wait_for "*1 match*" && T send-keys -t t Enter
	wait_for "*$1  accepted*"
}
T send-keys -t t a
wait_for "*all orders*"; ok $? "a shows all orders"
open "$a"; ok $? "the accepted order opens"
T send-keys -t t t
wait_for "*ship: carrier:*"; ok $? "t asks for the carrier"
T send-keys -t t ups Enter
wait_for "*tracking number:*"; ok $? "then the tracking number"
T send-keys -t t 1Z999AA10123456784 Enter
wait_for "*note for the customer (Enter: none):*"; ok $? "then a note for the customer"
T send-keys -t t "Thanks, the new blend is in this box" Enter
wait_for "*shipped with ups 1Z999AA10123456784*"; ok $? "and ships it"
is "$(mo show --json "$a" | jq -r '.status + " " + .carrier + " " + .tracking')" \
    "shipped ups 1Z999AA10123456784" "the order is shipped, with carrier and tracking"
is "$(ships "$a")" 1 "one shipping notice is queued"
q "SELECT body FROM outbox WHERE order_id = ${a#MO-} AND kind = 'shipping'" | tr -d '\r' > "$TEST_TMP/n1"
grep -q "ups.com/track?tracknum=3D1Z999AA10123456784\|ups.com/track?tracknum=1Z999AA10123456784" "$TEST_TMP/n1"
ok $? "with the carrier's tracking link"
grep -q "^Thanks, the new blend is in this box$" "$TEST_TMP/n1"; ok $? "and the note"

T send-keys -t t q
wait_for "*all orders*"
T send-keys -t t x
open "$b"; ok $? "the other order opens"
T send-keys -t t t hermes Enter H123 Enter
wait_for "*hermes is not one of dhl, dpd, evri, fedex*tracking link*"
ok $? "an unknown carrier asks for its link, naming the configured ones too"
T send-keys -t t "no link here" Enter
wait_for "*a tracking link starts with https://*"; ok $? "a bad link is refused"
is "$(ships "$b")" 0 "and nothing is queued"
is "$(mo show --json "$b" | jq -r .status)" accepted "nor shipped"
T send-keys -t t t hermes Enter H123 Enter
wait_for "*tracking link*"
T send-keys -t t "https://www.hermes.example/track/{tracking}" Enter
wait_for "*note for the customer*"
T send-keys -t t Enter
wait_for "*shipped with hermes H123*"; ok $? "with its link it ships, without a note"
q "SELECT body FROM outbox WHERE order_id = ${b#MO-} AND kind = 'shipping'" | tr -d '\r' > "$TEST_TMP/n2"
grep -q "hermes.example/track/H123" "$TEST_TMP/n2"; ok $? "and the notice links there"
like "$(sed '1,/^$/d' "$TEST_TMP/n2")" "*Track it here: https://www.hermes.example/track/H123

Best regards,*" "and has no note"
done_testing

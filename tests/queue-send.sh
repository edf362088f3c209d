#!/bin/sh
# A held confirmation released from the queue: Dana's order is accepted
# but its confirmation was held back (reply_held), so the order waits in
# the queue; S and y queue it, exactly once, and a second S finds
# nothing.  The title bar counts the undo window down, and c shows the
# conversation.  `mailorder ingest` queues no replies (mailorderd does), so the
# hold is written here as mailorderd's reply_queue() writes it when the
# hourly cap holds a reply (store/outbox.c: a reply_held flag and a
# version bump); tests/integration/conversation.sh holds one for real.
. "${top_srcdir:-.}/tests/lib.sh"

command -v tmux >/dev/null || { echo "1..1"; echo "not ok 1 - tmux is installed (setup.sh installs it)"; exit 1; }
SHOP_HISTORY=no
. "$top_srcdir/tests/lib-shop.sh"
order() {	# order N: Dana's plain order, the Nth
	cat > "$TEST_TMP/$1.eml" <<EOF
From: Dana Whitfield <dana.whitfield@acme.example>
To: orders@beanleaf.example
Subject: Order $1
Date: $(date -R)
Message-ID: <send-$1-$$@acme.example>

Hi, please send 3 bags of house blend.

Dana
EOF
	mo ingest "$TEST_TMP/$1.eml" >/dev/null
}
order 1
held=$(mo list --json | jq -r 'select(.subject == "Order 1") | .ref')
q "INSERT INTO flags (order_id, code, text) VALUES (${held#MO-}, 'reply_held',
    'no confirmation was sent: 1 reply to this sender within the hour');
    UPDATE orders SET version = version + 1 WHERE id = ${held#MO-}"
is "$(mo show --json "$held" | jq -r '[.flags[] | select(.code == "reply_held" and (.resolved | not))] | length')" \
    1 "the confirmation is held (reply_held)"
n0=$(q "SELECT count(*) FROM outbox WHERE order_id = ${held#MO-}")

SOCK="mo-send-$$"
. "$top_srcdir/tests/lib-tmux.sh"
T -f /dev/null new-session -d -s t -x 100 -y 30 -e LANG=C.UTF-8 \
    -e ESCDELAY=25 "$MAILORDER --db '$DB' --config '$TEST_TMP/mo.conf' --rules '$top_srcdir/rules/en.rules' queue"
wait_for "*$held*reply_held*"; ok $? "the held order is in the queue"
T send-keys -t t / "$held" Enter
wait_for "*1 match*" && T send-keys -t t Enter
wait_for "*$held  accepted*"; ok $? "it opens"
T send-keys -t t S
wait_for "*send its held or failed reply now? y/n*"; ok $? "S asks first"
T send-keys -t t n
sleep 0.3
is "$(q "SELECT count(*) FROM outbox WHERE order_id = ${held#MO-}")" "$n0" \
    "n sends nothing"
T send-keys -t t S y
wait_for "*$held: the held confirmation is queued*"; ok $? "y queues it"
is "$(q "SELECT count(*) FROM outbox WHERE order_id = ${held#MO-} AND kind = 'confirmation' AND state = 'queued'")" \
    1 "one confirmation waits in the outbox"
is "$(mo show --json "$held" | jq -r '[.flags[] | select(.code == "reply_held" and (.resolved | not))] | length')" \
    0 "reply_held is settled"
wait_for "*reply leaves in [0-9]*s (u undoes)*"
ok $? "the title bar counts down the undo window"
T send-keys -t t c
wait_for "*[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9] in  mail from dana.whitfield@acme.example:*Order 1*"
ok $? "c shows the conversation: the customer's mail"
wait_for "* out confirmation to dana.whitfield@acme.example*(waits: u undoes it)*"
ok $? "and our confirmation, waiting"
T send-keys -t t c
wait_for "*please send 3 bags of house blend*"; ok $? "c again: the email"
T send-keys -t t S y
wait_for "*has no held or failed reply to send*"; ok $? "a second S finds nothing"
is "$(q "SELECT count(*) FROM outbox WHERE order_id = ${held#MO-} AND kind = 'confirmation'")" \
    1 "and queues nothing more"
is "$(q "SELECT operator || ' ' || action FROM audit_log WHERE order_id = ${held#MO-} ORDER BY id DESC LIMIT 1" | cut -d' ' -f2-)" \
    send "the audit log has it"
done_testing

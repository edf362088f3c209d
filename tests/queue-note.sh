#!/bin/sh
# Approving from the queue with a personal note: N asks for the line
# (Escape: nothing is approved), and the confirmation carries it once as
# its own paragraph, as approve --note does; a plain a asks nothing.
. "${top_srcdir:-.}/tests/lib.sh"

command -v tmux >/dev/null || { echo "1..1"; echo "not ok 1 - tmux is installed (setup.sh installs it)"; exit 1; }
. "$top_srcdir/tests/lib-shop.sh"
mo ingest "$E/mail/unusual-quantity.eml" >/dev/null
ref=$(mo list --json --status flagged | jq -r .ref | head -1)
confirmations() { q "SELECT count(*) FROM outbox WHERE order_id = ${ref#MO-} AND kind = 'confirmation'"; }

SOCK="mo-note-$$"
. "$top_srcdir/tests/lib-tmux.sh"
T -f /dev/null new-session -d -s t -x 100 -y 30 -e LANG=C.UTF-8 \
    -e ESCDELAY=25 \
    "$MAILORDER --db '$DB' --config '$TEST_TMP/mo.conf' --rules '$top_srcdir/rules/en.rules' queue"
wait_for "*$ref*unusual_quantity*"; ok $? "the queue lists the flagged order"
T send-keys -t t Enter
wait_for "*$ref  flagged*"; ok $? "it opens"
T send-keys -t t N
wait_for "*note for the customer (Enter: none):*"; ok $? "N asks for the note"
T send-keys -t t Escape
sleep 0.3
is "$(q "SELECT status FROM orders WHERE ref = '$ref'")" flagged "Escape approves nothing"
is "$(confirmations)" 0 "and queues nothing"
T send-keys -t t N
wait_for "*note for the customer (Enter: none):*"
T send-keys -t t "Thanks, the 20 cases are in stock this week." Enter
wait_for "*approved with your note*"; ok $? "Enter approves, saying the note goes with it"
is "$(q "SELECT status FROM orders WHERE ref = '$ref'")" accepted "the order is accepted"
is "$(confirmations)" 1 "one confirmation is queued"
body=$(q "SELECT body FROM outbox WHERE order_id = ${ref#MO-} AND kind = 'confirmation'" |
    tr -d '\r' | sed '1,/^$/d')
is "$(printf '%s\n' "$body" | grep -c 'Thanks, the 20 cases are in stock this week.')" 1 \
    "the confirmation carries the note once"
like "$body" "*

Thanks, the 20 cases are in stock this week.

*" "as a paragraph of its own"
done_testing

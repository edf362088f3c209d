#!/bin/sh
# The queue (`mailorder queue`) driven in tmux as a person uses it: open
# the list, open the history_reference order, pick the right candidate,
# approve; the order is accepted and its confirmation is in the outbox.
# Also the help screen, a resize, a second operator's change, and the
# all-orders view with its status column.
. "${top_srcdir:-.}/tests/lib.sh"

command -v tmux >/dev/null || { echo "1..1"; echo "not ok 1 - tmux is installed (setup.sh installs it)"; exit 1; }
DB="$TEST_TMP/shop.db"
E="$top_srcdir/examples"
F="$top_srcdir/tests/fixtures/mail"
cat > "$TEST_TMP/mo.conf" <<CONF
[smtp]
host = 127.0.0.1
port = 2525
tls = none
from = orders@beanleaf.example
[reply]
templates = $top_srcdir/templates
CONF
mo() { "$MAILORDER" --db "$DB" --config "$TEST_TMP/mo.conf" \
    --rules "$top_srcdir/rules/en.rules" "$@"; }
mo import catalog "$E/catalog.csv" >/dev/null
mo import customers "$E/customers.csv" >/dev/null
mo import history "$E/history.csv" >/dev/null
mo ingest "$F/25-chocolate-thing-last-time.eml" "$E/mail/unusual-quantity.eml" >/dev/null
choc=$(mo list --json | jq -r 'select(.customer == "NORTH") | .ref')

SOCK="mo-queue-$$"
. "$top_srcdir/tests/lib-tmux.sh"

# The exit status is written to a file: tmux 3.3a sometimes leaves an
# exited pane's process unreaped for a while (seen in about one run in
# four), so "Pane is dead" is not a reliable sign that q worked.
T -f /dev/null new-session -d -s t -x 80 -y 24 \
    -e LANG=C.UTF-8 -e LOGNAME=alice -e ESCDELAY=25 \
    "$MAILORDER --db '$DB' --config '$TEST_TMP/mo.conf' --rules '$top_srcdir/rules/en.rules' queue; echo \$? > '$TEST_TMP/status'"
T set-option -t t remain-on-exit on
wait_for "*mailorder queue: flagged orders*"; ok $? "the queue opens at 80x24"
wait_for "*$choc*NORTH*history_reference*"; ok $? "it lists the flagged orders"
wait_for "*flagged 2*"; ok $? "with counts in the status bar"
screen > "$TEST_TMP/list.txt"

T send-keys -t t '?'
wait_for "*In the list*j, Down*"; ok $? "? opens the help"
T send-keys -t t q
wait_for "*mailorder queue: flagged orders*"; ok $? "q closes it"

T send-keys -t t '/' 'Northwind' Enter
wait_for "*1 match*"; ok $? "/ searches"
T send-keys -t t Enter
wait_for "*$choc*flagged*NORTH*"; ok $? "Enter opens the order"
wait_for "*chocolate thing*"; ok $? "with the email's text"
wait_for "*\[1\] HOTCHOC-1KG*"; ok $? "and the flag's candidates"
wait_for "*Recent orders*HOTCHOC*"; ok $? "and the customer's recent orders"
screen > "$TEST_TMP/order.txt"

T resize-window -t t -x 100 -y 30
wait_for "*Recent orders*"; ok $? "it redraws after a resize"
T resize-window -t t -x 80 -y 24

T send-keys -t t 1
wait_for "*line 2 added*"; ok $? "1 picks the first candidate"
wait_for "*HOTCHOC-1KG  *Hot Chocolate*"; ok $? "the line is there"

# A second operator changes the order meanwhile: ours is refused.
mo edit "$choc" --line 1 --quantity 5 >/dev/null
T send-keys -t t a
wait_for "*changed by * since you opened it*"; ok $? "a stale approve is refused and told who"
is "$(mo show --json "$choc" | jq -r .status)" flagged "and nothing was approved"
T send-keys -t t R
wait_for "*reloaded*"; ok $? "R reloads"
T send-keys -t t a
wait_for "*approved; confirmation queued*"; ok $? "a approves"
is "$(mo show --json "$choc" | jq -r .status)" accepted "the order is accepted"
is "$(sqlite3 "$DB" "SELECT kind || ' ' || state FROM outbox WHERE order_id = ${choc#MO-}")" \
    "confirmation queued" "its confirmation is in the outbox"

T send-keys -t t q
wait_for "*flagged 1*accepted 1*"; ok $? "back in the list, the counts follow"
T send-keys -t t a
wait_for "*all orders*AGE  ORDER   STATUS   CUSTOMER*"; ok $? "a shows every status, with a status column"
wait_for "*$choc*accepted*NORTH*"; ok $? "the approved order says accepted"
T send-keys -t t a
wait_for "*flagged orders*AGE  ORDER   CUSTOMER   FLAGS*"; ok $? "a again: the flagged ones"
T send-keys -t t q
i=0
while [ ! -s "$TEST_TMP/status" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$TEST_TMP/status" ]; ok $? "q quits"
is "$(cat "$TEST_TMP/status" 2>/dev/null)" 0 "with status 0"

if [ -n "${MO_QUEUE_CAPTURE:-}" ]; then
	cp "$TEST_TMP/list.txt" "$MO_QUEUE_CAPTURE.list"
	cp "$TEST_TMP/order.txt" "$MO_QUEUE_CAPTURE.order"
fi
done_testing

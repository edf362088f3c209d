#!/bin/bash
# The conversation with each customer, end to end on loopback (issue 13):
# customers' mail goes in through Postfix, mailorderd ingests it over IMAP
# and answers through Postfix's submission port, and the test reads what
# each customer's own mailbox received over IMAP, as the customer does.
#   - a complaint gets a receipt that a person will answer (named), never
#     an order's words, no date guessed, and it heads the queue;
#   - the receipt can be turned off; a stranger gets nothing by default;
#   - a confirmation says "3 bags", its Message-ID is in the shop's domain;
#   - a customer's own template is used for that customer only;
#   - an answer to our question joins its order (In-Reply-To, or our tag
#     from the same customer), and show lists the whole conversation;
#   - a product marked out of stock flags the next order for it;
#   - a reply a person triggers waits undo_seconds: undo inside it means
#     nothing reaches the customer, and after it exactly one message does;
#   - a held confirmation is released by mailorder send exactly once.
TB_EXTRA_USERS="stranger@elsewhere.test"
export TB_EXTRA_USERS
. "${top_srcdir:-.}/tests/integration/lib-bed.sh" python3 sqlite3 curl
# Without the servers every check below would wait out its timeout.
[ "$_tap_failed" -eq 0 ] || { echo "Bail out! the test-bed did not come up"; exit 1; }

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

cp -r "$top_srcdir/templates" "$W/tpl"
# conf FILE [EXTRA-REPLY-SETTINGS]: the daemon's configuration.
conf() {
	cat > "$1" <<EOF
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
poll_interval = 5
[smtp]
host = localhost
port = $TB_SUBMISSION_PORT
tls = starttls
user = $TB_SHOP_USER
password_file = $W/pw
ca_file = $TB_CA
from = $TB_SHOP_USER
from_name = Bean & Leaf
helo_name = vm
timeout = 10
retry_initial = 1
retry_max = 2
[reply]
templates = $W/tpl
person = Sam
max_per_sender_per_hour = 20
undo_seconds = 8
${2:-}
EOF
}
conf "$W/mo.conf"

# mailbox USER PASS PATH [curl args]: a customer's own mailbox over IMAPS.
mailbox() {
	local u=$1 p=$2 path=$3; shift 3
	curl -sS --cacert "$TB_CA" -u "$u:$p" \
	    "imaps://localhost:$TB_IMAPS_PORT/$path" "$@"
}
buyer() { mailbox "$TB_BUYER_USER" "$TB_BUYER_PASS" "$@"; }
# buyer_find HEADER VALUE: sequence numbers of matching messages.
buyer_find() {
	buyer INBOX -X "SEARCH HEADER $1 \"$2\"" | tr -d '\r' |
	    sed -n 's/^\* SEARCH//p' | xargs
}
count_of() {	# count_of USER PASS: messages in that INBOX
	mailbox "$1" "$2" INBOX -X "STATUS INBOX (MESSAGES)" |
	    tr -d '\r' | sed -n 's/.*MESSAGES \([0-9]*\).*/\1/p'
}

# mail FROM MSGID SUBJECT BODY [EXTRA-HEADER]: a customer's email.
mail() {
	printf 'From: %s\r\nTo: %s\r\nSubject: %s\r\n' "$1" "$TB_SHOP_USER" "$3"
	printf 'Date: %s\r\nMessage-ID: <%s>\r\n' "$(date -R)" "$2"
	[ -n "${5:-}" ] && printf '%s\r\n' "$5"
	printf 'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n'
	printf '%s\r\n' "$4"
}
send_in() { "$TB" smtp "$BED" "$TB_SHOP_USER" "$1"; }
done_msg() {	# done_msg MSGID: the daemon has stored that mail
	[ "$(db "SELECT state FROM messages WHERE message_id = '$1'")" = done ]
}
order_of() {	# order_of MSGID: the order the mail made
	db "SELECT r.ref FROM orders r JOIN messages m ON m.id = r.message_id
	    WHERE m.message_id = '$1'"
}
# fetch MSGID FILE: the reply to that mail, as the buyer's mailbox has it.
fetch() {
	wait_for '[ -n "$(buyer_find In-Reply-To '"$1"')" ]' 60 || return 1
	buyer "INBOX;MAILINDEX=$(buyer_find In-Reply-To "$1")" > "$2"
}

# Check a message with Python's email package (the customer's view).
check_msg() {	# check_msg FILE PYTHON-EXPRESSIONS...
	local f=$1; shift
	python3 - "$f" "$@" <<'PY'
import sys, email, email.policy
msg = email.message_from_bytes(open(sys.argv[1], 'rb').read(),
                               policy=email.policy.default)
body = msg.get_body(('plain',)).get_content().replace('\r\n', '\n')
for expr in sys.argv[2:]:
    if not eval(expr):
        print("# failed: %s" % expr)
        print("# headers: %r" % list(msg.items()))
        print("# body: %r" % body)
        sys.exit(1)
PY
}

start_daemon() {	# start_daemon CONF: and wait until it is at the inbox
	local n
	n=$(grep -c 'connected, uidvalidity' "$W/d.log" 2>/dev/null)
	"$MOD" -c "$1" --foreground 2>>"$W/d.log" &
	DPID=$!
	# A loaded machine can take a while; the checks below then measure
	# mailorderd, not its start-up.
	wait_for '[ "$(grep -c "connected, uidvalidity" "$W/d.log")" -gt "${n:-0}" ]' 60 ||
	    sed 's/^/# d.log: /' "$W/d.log"
}
stop_daemon() { kill -TERM "$DPID"; wait "$DPID"; DPID=; }

start_daemon "$W/mo.conf"

# --- an order first: a confirmation that reads like a person's ---------
mail '"Jo Buyer" <buyer@customer.test>' o1@customer.test 'Order for Monday' \
    'Hello, please send 3 bags of house blend and 1 case of 12oz cups. Thanks' \
    > "$W/o1.eml"
send_in "$W/o1.eml"
fetch o1@customer.test "$W/r1.eml"; ok $? "the order is confirmed in the buyer's mailbox"
o1=$(order_of o1@customer.test)
check_msg "$W/r1.eml" \
    "'  3 bags House Blend Coffee Beans 1kg\n' in body" \
    "'  1 case Paper Cups 12oz' in body" \
    "msg['Message-ID'].endswith('@example.test>')" \
    "'@vm>' not in msg['Message-ID']"
is "$?" 0 "it says '3 bags' and '1 case', and its Message-ID is in the shop's domain, not the host's"

# An order a person must look at, older than the complaint below.
mail 'buyer@customer.test' f1@customer.test 'Order' \
    'please send 2 bags of the purple stuff' > "$W/f1.eml"
send_in "$W/f1.eml"
wait_for 'done_msg f1@customer.test' 60
f1=$(order_of f1@customer.test)
is "$(db "SELECT status FROM orders WHERE ref = '$f1'")" flagged \
    "an order with an unknown product waits for a person ($f1)"

# --- a complaint: a receipt from a person, never a form letter ----------
sleep 1		# the complaint must be the newer of the two
mail '"Jo Buyer" <buyer@customer.test>' c1@customer.test 'Missing cups' \
    'Hi,

the delivery on Tuesday was missing the cups, we got the coffee but no
cups at all. Could someone call me please?

Jo' > "$W/c1.eml"
send_in "$W/c1.eml"
fetch c1@customer.test "$W/rc.eml"; ok $? "the complaint is answered in the buyer's mailbox"
c1=$(order_of c1@customer.test)
check_msg "$W/rc.eml" \
    "'we have your message' in body" \
    "'Sam will answer you personally' in body" \
    "'order' not in body.lower()" \
    "'confirm' not in body.lower()" \
    "msg['Auto-Submitted'] == 'auto-replied'" \
    "msg['In-Reply-To'] == '<c1@customer.test>'"
is "$?" 0 "with a receipt naming who will answer, and not a word about an order"
is "$(db "SELECT kind FROM outbox o JOIN orders r ON r.id = o.order_id
    WHERE r.ref = '$c1'")" receipt "the outbox calls it a receipt"
is "$(db "SELECT coalesce(requested_date, 'none') || ' ' || complaint
    FROM orders WHERE ref = '$c1'")" "none 1" \
    "no delivery date is guessed from 'the delivery on Tuesday was', and it is a complaint"
first=$("$m" --db "$DB" list --status flagged | sed -n 2p | awk '{print $1}')
[ "$first" = "$c1" ] || "$m" --db "$DB" list --status flagged | sed 's/^/# /'
is "$first" "$c1" "the complaint heads the queue, before the older order $f1"
"$m" --db "$DB" list --status flagged --json | head -1 | grep -q "\"ref\":\"$c1\""
ok $? "in list --json too"

# --- a thank-you: the same receipt ------------------------------------
mail 'buyer@customer.test' t1@customer.test 'Thanks' \
    'Thank you so much, everything arrived fine!' > "$W/t1.eml"
send_in "$W/t1.eml"
fetch t1@customer.test "$W/rt.eml"; ok $? "a thank-you is answered"
check_msg "$W/rt.eml" "'we have your message' in body" \
    "'order' not in body.lower()"
is "$?" 0 "with the receipt too"
is "$(db "SELECT complaint FROM orders WHERE ref = '$(order_of t1@customer.test)'")" 0 \
    "and it is not called a complaint"

# --- a stranger gets nothing unless the shop wants it -------------------
stranger_before=$(count_of stranger@elsewhere.test "$TB_EXTRA_PASS")
mail 'stranger@elsewhere.test' s1@elsewhere.test 'Hello' \
    'please send 2 bags of house blend' > "$W/s1.eml"
send_in "$W/s1.eml"
wait_for 'done_msg s1@elsewhere.test' 30
s1=$(order_of s1@elsewhere.test)
like "$(db "SELECT group_concat(code) FROM flags f JOIN orders r ON r.id = f.order_id
    WHERE r.ref = '$s1'")" "*unknown_sender*" "mail from an unknown address is flagged ($s1)"
sleep 3
is "$(db "SELECT count(*) FROM outbox o JOIN orders r ON r.id = o.order_id
    WHERE r.ref = '$s1'")" 0 "and by default it gets no automatic reply"
is "$(count_of stranger@elsewhere.test "$TB_EXTRA_PASS")" "$stranger_before" \
    "nothing reaches the stranger's mailbox"

# --- the receipt turned off, strangers acknowledged ---------------------
stop_daemon
conf "$W/quiet.conf" "no_order_reply = none
acknowledge_unknown_sender = yes"
start_daemon "$W/quiet.conf"
mail 'buyer@customer.test' q1@customer.test 'Question' \
    'Do you have oat milk in stock at the moment?' > "$W/q1.eml"
send_in "$W/q1.eml"
mail 'stranger@elsewhere.test' s2@elsewhere.test 'Order' \
    'please send 2 bags of house blend' > "$W/s2.eml"
send_in "$W/s2.eml"
wait_for '[ "$(count_of stranger@elsewhere.test "$TB_EXTRA_PASS")" -gt "$stranger_before" ]' 30
ok $? "with acknowledge_unknown_sender = yes the stranger is acknowledged"
wait_for 'done_msg q1@customer.test' 30
sleep 3
is "$(db "SELECT count(*) FROM outbox o JOIN orders r ON r.id = o.order_id
    WHERE r.ref = '$(order_of q1@customer.test)'")" 0 \
    "with no_order_reply = none a question gets nothing until a person answers"
is "$(buyer_find In-Reply-To q1@customer.test)" "" "and nothing reaches the buyer"
stop_daemon

# --- a customer's own template ------------------------------------------
mkdir -p "$W/tpl/customers/BUYER"
cat > "$W/tpl/customers/BUYER/confirmation.txt" <<'EOF'
Hi Jo, the usual drill: {{line_count}} lines.
{{#each lines}}
  {{quantity}} {{#if unit}}{{unit}} {{/if}}{{product}}
{{/each}}
EOF
start_daemon "$W/mo.conf"
mail 'buyer@customer.test' o2@customer.test 'Order' \
    'please send 2 bags of house blend' > "$W/o2.eml"
send_in "$W/o2.eml"
fetch o2@customer.test "$W/r2.eml"; ok $? "the next order is confirmed"
check_msg "$W/r2.eml" "body.startswith('Hi Jo, the usual drill: 1 lines.\n')" \
    "'  2 bags House Blend' in body"
is "$?" 0 "from the customer's own template (templates/customers/BUYER/)"
rm -r "$W/tpl/customers"

# --- the answer to our question joins its order -------------------------
echo 'Which coffee did you mean by the purple stuff?' |
    "$m" --db "$DB" --config "$W/mo.conf" ask "$f1" --message - >/dev/null
is "$?" 0 "the operator asks about $f1"
asked() { buyer INBOX -X 'SEARCH BODY "purple stuff?"' | tr -d '\r' |
	sed -n 's/^\* SEARCH//p' | xargs; }
wait_for '[ -n "$(asked)" ]' 40
ok $? "the question reaches the buyer's mailbox"
buyer "INBOX;MAILINDEX=$(asked)" > "$W/question.eml"
qmid=$(python3 -c 'import sys, email; print(email.message_from_binary_file(open(sys.argv[1], "rb"))["Message-ID"].strip("<> "))' "$W/question.eml")
qsubj=$(python3 -c 'import sys, email; print(email.message_from_binary_file(open(sys.argv[1], "rb"))["Subject"])' "$W/question.eml")
like "$qsubj" "*\[$f1\]*" "it carries the order's tag ($qsubj)"
mail '"Jo Buyer" <buyer@customer.test>' a1@customer.test "$qsubj" \
    'Sorry! I meant 2 bags of house blend.

Jo

> Which coffee did you mean by the purple stuff?' \
    "In-Reply-To: <$qmid>
References: <f1@customer.test> <$qmid>" > "$W/a1.eml"
send_in "$W/a1.eml"
wait_for 'done_msg a1@customer.test' 30
ok $? "the buyer's answer is ingested"
is "$(order_of a1@customer.test)" "" "it makes no order of its own"
is "$(db "SELECT r.ref FROM messages m JOIN orders r ON r.id = m.order_id
    WHERE m.message_id = 'a1@customer.test'")" "$f1" "it joins the conversation of $f1"
is "$(db "SELECT status FROM orders WHERE ref = '$f1'")" flagged "$f1 waits in the queue"
like "$(db "SELECT text FROM flags f JOIN orders r ON r.id = f.order_id
    WHERE r.ref = '$f1' AND code = 'customer_answer' AND NOT resolved")" \
    "the customer answered: 'Sorry! I meant 2 bags of house blend.*offered: 2 bag HB-1KG*" \
    "with the answer shown on an open customer_answer flag"
is "$(db "SELECT c.sku FROM flag_candidates c JOIN flags f ON f.id = c.flag_id
    JOIN orders r ON r.id = f.order_id WHERE r.ref = '$f1' AND f.code = 'customer_answer'")" \
    HB-1KG "the answer's product is the flag's candidate"
is "$(db "SELECT count(*) FROM order_lines l JOIN orders r ON r.id = l.order_id
    WHERE r.ref = '$f1' AND l.sku = 'HB-1KG'")" 0 "offered, not applied by itself"
sleep 2
is "$(buyer_find In-Reply-To a1@customer.test)" "" "and no form letter answers the answer"

out=$("$m" --db "$DB" show "$f1")
printf '%s\n' "$out" | sed -n '/^Conversation:/,/^Offered/p' > "$W/conv.txt"
grep -Eq '^  20[0-9-]+T[0-9:]+Z  in   mail from buyer@customer.test: Order$' "$W/conv.txt" &&
grep -Eq '^  20[0-9-]+T[0-9:]+Z  out  acknowledgement to buyer@customer.test \(sent\)$' "$W/conv.txt" &&
grep -Eq '^  20[0-9-]+T[0-9:]+Z  out  question to buyer@customer.test \(sent\)$' "$W/conv.txt" &&
grep -Eq "^  20[0-9-]+T[0-9:]+Z  in   answer from buyer@customer.test: Re: Order \\[$f1\\]\$" "$W/conv.txt" &&
grep -q '^      | Sorry! I meant 2 bags of house blend.$' "$W/conv.txt"
rc=$?
ok $rc "mailorder show lists the whole conversation, in and out, with times"
[ $rc -eq 0 ] || sed 's/^/# /' "$W/conv.txt"
printf '%s\n' "$out" | sed -n '/^Conversation:/,$p' | sed 's/^/# /'
like "$out" "*Offered by the customer's answers (not applied):*2 bag      HB-1KG*" \
    "and the line the answer offers"
"$m" --db "$DB" show "$f1" --json | python3 -c '
import sys, json
o = json.load(sys.stdin)
t = o["thread"]
assert [x["direction"] for x in t] == ["in", "out", "out", "in"], t
assert [x.get("kind") for x in t if x["direction"] == "out"] == ["acknowledgement", "question"], t
assert t[0]["answer"] is False and t[3]["answer"] is True, t
assert all(x["at"] <= y["at"] for x, y in zip(t, t[1:])), t
assert "I meant 2 bags" in t[3]["text"] and t[3]["message_id"] == "a1@customer.test", t
assert o["offered"][0]["sku"] == "HB-1KG" and o["offered"][0]["quantity"] == 2, o["offered"]
assert any(f["code"] == "customer_answer" and not f["resolved"] for f in o["flags"])
'
ok $? "show --json has the thread (in, out, out, in, oldest first) and the offered line"

# --- our tag in the subject, without In-Reply-To ------------------------
mail 'buyer@customer.test' a2@customer.test "Re: Order for Monday [$o1]" \
    'Could you make that 4 bags of house blend instead?' > "$W/a2.eml"
send_in "$W/a2.eml"
wait_for 'done_msg a2@customer.test' 30
is "$(db "SELECT r.ref || ' ' || r.status FROM messages m JOIN orders r
    ON r.id = m.order_id WHERE m.message_id = 'a2@customer.test'")" "$o1 flagged" \
    "the customer's mail tagged [$o1] joins it, and the accepted order is back in the queue"
"$m" --db "$DB" list --status flagged | grep -q "^$o1 "
ok $? "where list shows it"
mail 'stranger@elsewhere.test' a3@elsewhere.test "Re: Order for Monday [$o1]" \
    'please send 4 bags of house blend' > "$W/a3.eml"
send_in "$W/a3.eml"
wait_for 'done_msg a3@elsewhere.test' 30
like "$(order_of a3@elsewhere.test)" "MO-*" "the same tag from someone else is an order of its own"

# --- the rest of the conversation: approval and the shipping notice ----
mo() { "$m" --db "$DB" --config "$W/mo.conf" "$@"; }
in_thread() {	# in_thread WORDS: our mails about $f1 holding WORDS
	buyer INBOX -X "SEARCH SUBJECT \"[$f1]\" BODY \"$1\"" | tr -d '\r' |
	    sed -n 's/^\* SEARCH//p' | xargs
}
mo edit "$f1" --line 1 --sku HB-1KG >/dev/null 2>&1 ||
    mo edit "$f1" --add --sku HB-1KG --quantity 2 >/dev/null
mo approve "$f1" >/dev/null
ok $? "the operator takes the offered line and approves $f1"
wait_for '[ -n "$(in_thread "written down")" ]' 40
ok $? "the confirmation reaches the buyer"
mo ship "$f1" --carrier ups --tracking 1Z999AA10123456784 >/dev/null
ok $? "the operator ships $f1"
wait_for '[ -n "$(in_thread "on its way")" ]' 40
ok $? "the shipping notice reaches the buyer"
buyer "INBOX;MAILINDEX=$(in_thread "on its way")" > "$W/ship.eml"
check_msg "$W/ship.eml" "'Carrier: UPS\n' in body" \
    "'Tracking number: 1Z999AA10123456784' in body" \
    "'  2 bags House Blend Coffee Beans 1kg' in body" \
    "msg['Message-ID'].endswith('@example.test>')"
is "$?" 0 "it names the carrier as customers know it (UPS) and says '2 bags'"
smid=$(python3 -c 'import sys, email; print(email.message_from_binary_file(open(sys.argv[1], "rb"))["Message-ID"].strip("<> "))' "$W/ship.eml")
mail 'buyer@customer.test' d1@customer.test "Re: Order [$f1]" \
    'The box arrived damaged, half the beans are on the floor.' \
    "In-Reply-To: <$smid>" > "$W/d1.eml"
send_in "$W/d1.eml"
wait_for 'done_msg d1@customer.test' 30
d1=$(order_of d1@customer.test)
is "$(db "SELECT status || ' ' || complaint FROM orders WHERE ref = '$d1'")
$(db "SELECT status FROM orders WHERE ref = '$f1'")" "flagged 1
shipped" "an answer to the shipped order is an order of its own ($d1), a complaint; $f1 stays shipped"
# The whole conversation as the buyer's mailbox has it (for the README).
for n in $(buyer INBOX -X "SEARCH SUBJECT \"[$f1]\"" | tr -d '\r' |
    sed -n 's/^\* SEARCH//p'); do
	buyer "INBOX;MAILINDEX=$n" | python3 -c '
import sys, email, email.policy
m = email.message_from_binary_file(sys.stdin.buffer, policy=email.policy.default)
print("== %s | %s" % (m["Date"], m["Subject"]))
print(m.get_body(("plain",)).get_content().rstrip())' | sed 's/^/# /'
done

# --- out of stock, marked while mailorderd runs -------------------------
"$m" --db "$DB" catalog set HB-1KG --status out_of_stock >/dev/null
is "$?" 0 "the operator marks the house blend out of stock"
mail 'buyer@customer.test' o3@customer.test 'Order' \
    'please send 2 bags of house blend' > "$W/o3.eml"
send_in "$W/o3.eml"
fetch o3@customer.test "$W/r3.eml"; ok $? "the next order for it is answered"
o3=$(order_of o3@customer.test)
is "$(db "SELECT r.status || ' ' || f.text FROM orders r JOIN flags f ON f.order_id = r.id
    WHERE r.ref = '$o3' AND f.code = 'unavailable'")" \
    "flagged House Blend Coffee Beans 1kg (HB-1KG) is out of stock" \
    "not accepted: its line is flagged unavailable"
cands=$(db "SELECT group_concat(c.sku, ' ') FROM flag_candidates c JOIN flags f ON f.id = c.flag_id
    JOIN orders r ON r.id = f.order_id WHERE r.ref = '$o3' AND f.code = 'unavailable'")
like " $cands " "* ESP-1KG *" "with the nearest available products as candidates ($cands)"
check_msg "$W/r3.eml" "'One of us will look at it' in body" \
    "'This is what we have written down' not in body"
is "$?" 0 "and the customer is not told it is confirmed"
"$m" --db "$DB" catalog set HB-1KG --status available >/dev/null

# --- undo inside the grace period: nothing reaches the customer ---------
mail 'buyer@customer.test' u1@customer.test 'Order' \
    'please send 2 bags of the green stuff' > "$W/u1.eml"
send_in "$W/u1.eml"
wait_for 'done_msg u1@customer.test' 30
u1=$(order_of u1@customer.test)
confirmed() {	# confirmations of u1 in the buyer's mailbox
	buyer INBOX -X 'SEARCH HEADER In-Reply-To "u1@customer.test" BODY "written down"' |
	    tr -d '\r' | sed -n 's/^\* SEARCH//p' | wc -w
}
mo edit "$u1" --line 1 --sku HB-1KG >/dev/null &&
    mo approve "$u1" >/dev/null
ok $? "the operator settles $u1 and approves it"
like "$(mo show "$u1")" "*out  confirmation to buyer@customer.test (queued: leaves in [0-9]* s unless undone)*" \
    "show counts down the undo window"
mo show "$u1" --json | python3 -c '
import sys, json
t = json.load(sys.stdin)["thread"]
c = [x for x in t if x.get("kind") == "confirmation"]
assert len(c) == 1 and c[0]["state"] == "queued" and 0 < c[0]["leaves_in"] <= 8, t'
ok $? "show --json too (leaves_in)"
mo undo "$u1" >/dev/null
ok $? "undo inside the window works"
is "$(db "SELECT state FROM outbox WHERE kind = 'confirmation' AND order_id =
    (SELECT id FROM orders WHERE ref = '$u1')")" cancelled "and cancels the confirmation"
sleep 25	# the window (8 s) and the daemon's outbox poll (15 s) are over
is "$(confirmed)" 0 "nothing reached the customer"
mo approve "$u1" >/dev/null
ok $? "approved again"
sleep 3
is "$(confirmed)" 0 "the confirmation waits out its window"
wait_for '[ "$(confirmed)" -ge 1 ]' 40
ok $? "then it leaves"
sleep 3
is "$(confirmed)" 1 "exactly one confirmation reached the customer"
stop_daemon

# --- a held confirmation is released exactly once ------------------------
conf "$W/held.conf" "max_per_sender_per_hour = 1"
sed -i 's/^max_per_sender_per_hour = 20$//' "$W/held.conf"
start_daemon "$W/held.conf"
mail 'buyer@customer.test' h1@customer.test 'Order' \
    'please send 2 bags of house blend' > "$W/h1.eml"
send_in "$W/h1.eml"
wait_for 'done_msg h1@customer.test' 30
h1=$(order_of h1@customer.test)
held() { buyer INBOX -X 'SEARCH HEADER In-Reply-To "h1@customer.test"' |
	tr -d '\r' | sed -n 's/^\* SEARCH//p' | wc -w; }
is "$(db "SELECT status FROM orders WHERE ref = '$h1'")" accepted "$h1 is accepted"
"$m" --db "$DB" list --flag reply_held | grep -q "^$h1 "
ok $? "its confirmation is held by the hourly cap, and list shows it (reply_held)"
sleep 2
is "$(held)" 0 "nothing went to the customer"
out=$("$m" --db "$DB" --config "$W/held.conf" send "$h1")
is "$?" 0 "mailorder send releases it"
is "$out" "$h1: the held confirmation is queued" "and says what it queued"
wait_for '[ "$(held)" -ge 1 ]' 40
ok $? "the confirmation reaches the customer"
err=$("$m" --db "$DB" --config "$W/held.conf" send "$h1" 2>&1)
is "$?" 65 "a second send finds nothing to send"
like "$err" "*$h1 has no held or failed reply to send*" "and says so"
sleep 3
is "$(held)" 1 "the held reply was released exactly once"
is "$(db "SELECT count(*) FROM flags f JOIN orders r ON r.id = f.order_id
    WHERE r.ref = '$h1' AND f.code = 'reply_held' AND NOT f.resolved")" 0 \
    "its reply_held flag is resolved"
out=$("$m" --db "$DB" --config "$W/held.conf" send "$h1" --again)
is "$?" 0 "send --again queues the last reply once more"
wait_for '[ "$(held)" -ge 2 ]' 40
ok $? "and it arrives again"
stop_daemon

done_testing

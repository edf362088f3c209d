#!/bin/sh
# A customer made from the queue: mail from two unknown senders; n with
# "NEWCAFE Corner Cafe" creates that customer and, on y, takes the whole
# domain; n with an ID alone that is not there asks for the name; n with
# an existing ID (as typed, any case) only assigns.
. "${top_srcdir:-.}/tests/lib.sh"

command -v tmux >/dev/null || { echo "1..1"; echo "not ok 1 - tmux is installed (setup.sh installs it)"; exit 1; }
DB="$TEST_TMP/shop.db"
E="$top_srcdir/examples"
mo() { "$MAILORDER" --db "$DB" --rules "$top_srcdir/rules/en.rules" "$@"; }
q() { sqlite3 "$DB" "$1"; }
mo import catalog "$E/catalog.csv" >/dev/null
mo import customers "$E/customers.csv" >/dev/null
mail() {	# mail FROM NAME
	cat > "$TEST_TMP/$2.eml" <<EOF
From: $2 <$1>
To: orders@beanleaf.example
Subject: Order
Date: $(date -R)
Message-ID: <$2-$$@example.test>

Hello, please send 2 bags of house blend.

Thanks
EOF
	mo ingest "$TEST_TMP/$2.eml" >/dev/null
}
mail hello@corner-cafe.test Sam
mail jo@pinewood.test Jo
mail buyer@acme-branch.test Kim
ref_of() { mo list --json | jq -r "select(.from | test(\"$1\")) | .ref"; }
sam=$(ref_of corner-cafe); jo=$(ref_of pinewood); kim=$(ref_of acme-branch)

SOCK="mo-cust-$$"
. "$top_srcdir/tests/lib-tmux.sh"
open() {	# open REF: from the list, the order REF
	T send-keys -t t q
	wait_for "*mailorder queue*"
	T send-keys -t t / "$1" Enter
	wait_for "*1 match*" && T send-keys -t t Enter
	wait_for "*$1  flagged*"
}

T -f /dev/null new-session -d -s t -x 100 -y 30 -e LANG=C.UTF-8 \
    -e ESCDELAY=25 "$MAILORDER --db '$DB' --rules '$top_srcdir/rules/en.rules' queue"
wait_for "*$sam*unknown_sender*"; ok $? "the unknown senders are in the queue"
T send-keys -t t / "$sam" Enter
wait_for "*1 match*" && T send-keys -t t Enter
wait_for "*$sam  flagged*"; ok $? "the first one opens"
T send-keys -t t n
wait_for "*hello@corner-cafe.test is customer (ID; ID and name*"
ok $? "n asks who it is"
T send-keys -t t "NEWCAFE Corner Cafe" Enter
wait_for "*every address at @corner-cafe.test too*"
ok $? "an ID and a name: it offers the whole domain"
T send-keys -t t y
wait_for "*is NEWCAFE's now (@corner-cafe.test is remembered)*"
ok $? "y takes the domain"
is "$(q "SELECT name FROM customers WHERE id = 'NEWCAFE'")" "Corner Cafe" \
    "the customer is made with its name"
is "$(q "SELECT customer_id FROM customer_addresses WHERE address = '@corner-cafe.test'")" \
    NEWCAFE "the domain is theirs"
is "$(mo show --json "$sam" | jq -r .customer)" NEWCAFE "and so is the order"
is "$(mo show --json "$sam" | jq -r '[.flags[] | select(.code == "unknown_sender" and (.resolved | not))] | length')" \
    0 "unknown_sender is settled"

open "$jo"; ok $? "the second one opens"
T send-keys -t t n "PINE" Enter
wait_for "*new customer PINE: name:*"; ok $? "an ID alone that is not there asks the name"
T send-keys -t t "Pinewood Bakery" Enter
wait_for "*every address at @pinewood.test too*"
T send-keys -t t n
wait_for "*is PINE's now (the address is remembered)*"
ok $? "n keeps only the address"
is "$(q "SELECT name FROM customers WHERE id = 'PINE'")" "Pinewood Bakery" \
    "the customer is made with the name given"
is "$(q "SELECT customer_id FROM customer_addresses WHERE address = 'jo@pinewood.test'")" \
    PINE "the address is theirs"
is "$(q "SELECT count(*) FROM customer_addresses WHERE address = '@pinewood.test'")" \
    0 "the domain is not"

open "$kim"; ok $? "the third one opens"
T send-keys -t t n "acme" Enter
wait_for "*every address at @acme-branch.test too*"
T send-keys -t t n
wait_for "*is ACME's now*"; ok $? "an existing ID, as typed, only assigns"
is "$(q "SELECT name FROM customers WHERE id = 'ACME'")" "Acme Architects" \
    "and renames no one"
is "$(q "SELECT count(*) FROM customers WHERE id = 'acme'")" 0 \
    "nor makes a second customer"
done_testing

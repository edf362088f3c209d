#!/bin/sh
# A product the customer has never had is judged by what the whole shop
# takes of it: 40 bags of decaf from ACME, who never had decaf, where
# NORTH (the only customer who has) takes 1 or 2 an order, is flagged
# for a person; 3 bags is not; nor is any quantity of a product nobody
# has ordered yet (there is nothing to compare with).  Unknown senders
# are judged the same way, besides being unknown.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/lib-shop.sh"

mail() {	# mail FILE FROM MESSAGE-ID TEXT
	printf 'From: %s\r\nTo: orders@beanleaf.example\r\nSubject: order\r\nDate: Thu, 03 Dec 2026 09:00:00 +0000\r\nMessage-ID: <%s@example>\r\n\r\nHi,\r\n\r\nPlease send %s.\r\n\r\nThanks\r\n' \
	    "$2" "$3" "$4" > "$TEST_TMP/$1"
}
verdict() {	# verdict FILE: status and flag codes
	mo parse --json "$TEST_TMP/$1" |
	    jq -r '[.status, (.flags[] | .code)] | join(" ")'
}
mail big.eml "Dana <dana@acme.example>" u1 "40 bags of decaf"
mail usual.eml "Dana <dana@acme.example>" u2 "3 bags of decaf"
mail new.eml "Dana <dana@acme.example>" u3 "60 bags of house blend ground coffee"
mail stranger.eml "Sam <sam@elsewhere.example>" u4 "40 bags of decaf"

is "$(q "SELECT count(*) FROM order_lines l JOIN orders o ON o.id = l.order_id
    WHERE l.sku = 'DECAF-1KG' AND o.customer_id = 'ACME'")" 0 \
    "the shop: ACME has never had decaf"
is "$(verdict big.eml)" "flagged unusual_quantity" \
    "40 bags of decaf from ACME are flagged unusual_quantity"
is "$(mo parse --json "$TEST_TMP/big.eml" | jq -r '.flags[0].text')" \
    "40 of DECAF-1KG, where no customer has taken more than 2 in one order" \
    "saying what the shop's customers take"
is "$(mo parse --json "$TEST_TMP/big.eml" | jq -r '.flags[0].candidates | join(" ")')" \
    DECAF-1KG "with the line's product as the candidate"
is "$(verdict usual.eml)" accepted "3 bags of decaf are not unusual"
is "$(verdict new.eml)" accepted \
    "a product nobody has ordered yet has nothing to compare with"
is "$(verdict stranger.eml)" "flagged unknown_sender unusual_quantity" \
    "an unknown sender's 40 bags are both unknown and unusual"

# The customer's own habits come first: NORTH takes 1 or 2 bags of decaf,
# so 11 is more than five times their largest, and the text says theirs.
mail north.eml "Anna <anna.k@northwind.example>" u5 "11 bags of decaf"
like "$(mo parse --json "$TEST_TMP/north.eml" | jq -r '.flags[0].text')" \
    "11 of DECAF-1KG, where * usually takes 1-2" \
    "a customer with a history of the product is judged by their own"

# What one run accepts counts at once: BRIGHT's 4 bags make the shop's
# largest 4, so ACME's 15 that follow in the same run are not unusual
# (they would be against the 2 the run began with).
mail bright.eml "Jo <jo@brightstudio.example>" u6 "4 bags of decaf"
mail fifteen.eml "Dana <dana@acme.example>" u7 "15 bags of decaf"
mo ingest "$TEST_TMP/bright.eml" "$TEST_TMP/fifteen.eml" >/dev/null
is "$(q "SELECT o.customer_id || ' ' || o.status FROM orders o JOIN messages m
    ON m.id = o.message_id ORDER BY o.id" | tr '\n' ' ')" \
    "BRIGHT accepted ACME accepted " \
    "4 bags from BRIGHT, then 15 from ACME in the same run: both accepted"
mail eighty.eml "Dana <dana@acme.example>" u8 "80 bags of decaf"
is "$(mo parse --json "$TEST_TMP/eighty.eml" | jq -r '.flags[0].text')" \
    "80 of DECAF-1KG, where no customer has taken more than 15 in one order" \
    "the next run reads the new largest from the store"
done_testing

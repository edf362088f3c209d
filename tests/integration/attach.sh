#!/bin/bash
# Purchase orders as attachments, end to end: the attachment fixtures
# (XLSX, ODS, PDF, a scanned PDF, a winmail.dat) are delivered to the
# shop's mailbox on the private Dovecot, mailorderd --once fetches them,
# parses each in its isolated worker and stores the orders; the store
# then holds the lines, the PO numbers and the flags the fixtures'
# expectations name.
. "${top_srcdir:-.}/tests/integration/lib-bed.sh"

MOD="$top_builddir/mailorderd"
FIX="$top_srcdir/tests/fixtures/attach"
W="$TEST_TMP/w"
mkdir -p "$W"
printf '%s\n' "$TB_SHOP_PASS" > "$W/pw"
chmod 600 "$W/pw"
{
	printf '[store]\npath = %s/a.db\n' "$W"
	printf '[rules]\npaths = %s/rules/en.rules\n' "$top_srcdir"
	printf '[imap]\nhost = localhost\nport = %s\ntls = implicit\n' \
	    "$TB_IMAPS_PORT"
	printf 'user = %s\npassword_file = %s/pw\nca_file = %s\n' \
	    "$TB_SHOP_USER" "$W" "$TB_CA"
	printf 'processed_folder = Processed\nfailed_folder = Failed\n'
	printf 'poll_interval = 5\ntimeout = 10\n'
} > "$W/a.conf"
db() { sqlite3 "$W/a.db" "$1"; }

m="$top_builddir/mailorder" e="$top_srcdir/examples"
for kind in catalog customers history; do
	"$m" --db "$W/a.db" import "$kind" "$e/$kind.csv" >/dev/null
done

names=$(cd "$FIX" && ls [0-9]*.eml | sed 's/\.eml$//')
n=0
for name in $names; do
	"$TB" deliver "$BED" "$TB_SHOP_USER" "$FIX/$name.eml" || break
	n=$((n + 1))
done
"$MOD" -c "$W/a.conf" --once 2>"$W/a.log"
is "$?" 0 "mailorderd --once over $n attached orders"
is "$(db "SELECT count(*) FROM orders WHERE message_id IS NOT NULL")" "$n" \
    "one order per message"

# order NAME: "status|po|date|sku:qty,..." of the order from NAME.eml
order() {
	local mid
	mid=$(sed -n 's/^Message-ID: <\(.*\)>$/\1/p' "$FIX/$1.eml" | head -1)
	db "SELECT o.status || '|' || coalesce(o.po_number, '') || '|' ||
	    coalesce(o.requested_date, '') || '|' || coalesce((SELECT
	    group_concat(sku || ':' || quantity, ',') FROM (SELECT sku,
	    quantity FROM order_lines WHERE order_id = o.id ORDER BY line_no)),
	    '') FROM orders o JOIN messages g ON g.id = o.message_id
	    WHERE g.message_id = '$mid'"
}
# expect NAME: the same from NAME.json
expect() {
	jq -r '"\(.status)|\(.po_number // "")|\(.requested_date // "")|" +
	    ([.lines[] | "\(.sku):\(.quantity)"] | join(","))' "$FIX/$1.json"
}
for name in $names; do
	is "$(order "$name")" "$(expect "$name")" "stored as read: $name"
done
is "$(db "SELECT count(*) FROM flags WHERE code = 'unreadable_attachment'")" \
    "$(cat "$FIX"/*.json | jq -s '[.[].flags[] | select(.code ==
    "unreadable_attachment")] | length')" \
    "every unreadable attachment is flagged in the store"
like "$(cat "$W/a.log")" "*attachment 'logo.png' ignored: an image*" \
    "the log records why an attachment was ignored"
like "$(cat "$W/a.log")" "*attachment 'harbor-scan.pdf' not read: *scanned*" \
    "and why an order-like one was not read"
done_testing

#!/bin/bash
# The demo behind `./setup.sh demo`, end to end on this machine only:
# a throwaway Dovecot and Postfix on 127.0.0.1 (with a mailbox for each
# sample customer), the sample shop's catalog, customers and history, the
# sample customer emails sent in over SMTP (dated now, so the replies are
# not held as too old), mailorderd run until they are processed and
# answered, the orders and flags it made, and what one customer finds in
# her mailbox.  Everything lives in BUILD_DIR/demo and is stopped at the
# end.
#   examples/demo.sh BUILD_DIR
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
tb="$top/tests/integration/testbed.sh"
mo="$build/mailorder"
dir="$build/demo"
db="$dir/shop.db"
conf="$dir/mailorder.conf"

if [ "$(id -u)" -ne 0 ]; then
	echo "demo: the throwaway mail servers need root (run with sudo)" >&2
	exit 77
fi
# The servers' own folder lives in /tmp: their users (dovecot, postfix,
# the mail uid) must reach it, and a clone under /root is 0700.  Its name
# is kept in BUILD_DIR/demo/bed-path, so a demo killed half-way has its
# servers stopped by the next one.
if [ -f "$dir/bed-path" ]; then
	old=$(cat "$dir/bed-path")
	"$tb" down "$old" >/dev/null 2>&1 || true
	case $old in /tmp/mailorder-demo.*) rm -rf "$old" ;; esac
fi
rm -rf "$dir"
mkdir -p "$dir/mail"
chmod 0755 "$dir"
bed=$(mktemp -d /tmp/mailorder-demo.XXXXXX)
chmod 0755 "$bed"
printf '%s\n' "$bed" > "$dir/bed-path"
trap '"$tb" down "$bed" >/dev/null 2>&1; rm -rf "$bed" "$dir/bed-path"' EXIT

# sender FILE: the bare address on the mail's From line.
sender() {
	sed -n 's/^From: .*<\([^>]*\)>.*/\1/p; s/^From: \([^ <]*@[^ >]*\)$/\1/p' \
	    "$1" | head -1
}
customers=$(for f in "$top"/examples/mail/*.eml; do sender "$f"; done |
    sort -u | xargs)

echo "== Starting a throwaway Dovecot and Postfix on 127.0.0.1"
echo "   (with a mailbox for each sample customer: $customers)"
TB_EXTRA_USERS=$customers "$tb" up "$bed" >/dev/null
eval "$("$tb" env "$bed")"
printf '%s\n' "$TB_SHOP_PASS" > "$dir/shop-password"
chmod 600 "$dir/shop-password"
cat > "$conf" <<CONF
[store]
path = $db
[rules]
paths = $top/rules/en.rules
[imap]
host = localhost
port = $TB_IMAPS_PORT
tls = implicit
user = $TB_SHOP_USER
password_file = $dir/shop-password
ca_file = $TB_CA
processed_folder = Processed
failed_folder = Failed
[smtp]
host = localhost
port = $TB_SUBMISSION_PORT
tls = starttls
user = $TB_SHOP_USER
password_file = $dir/shop-password
ca_file = $TB_CA
from = $TB_SHOP_USER
from_name = Bean & Leaf Supply
sent_folder = Sent
[reply]
templates = $top/templates
CONF

echo "== Loading the sample catalog, customers and order history"
"$mo" --config "$conf" import catalog "$top/examples/catalog.csv"
"$mo" --config "$conf" import customers "$top/examples/customers.csv"
"$mo" --config "$conf" import history "$top/examples/history.csv"

n=0
echo "== Customers send their orders (SMTP to $TB_SHOP_USER), dated now"
for f in "$top"/examples/mail/*.eml; do
	printf '   %-28s %s\n' "$(sender "$f")" \
	    "$(sed -n 's/^Subject: //p' "$f" | head -1)"
	# The samples were written weeks ago; mail that old when it arrives
	# gets no automatic reply ([reply] max_age_hours).
	sed "s/^Date: .*/Date: $(date -R)/" "$f" > "$dir/mail/${f##*/}"
	"$tb" smtp "$bed" "$TB_SHOP_USER" "$dir/mail/${f##*/}"
	n=$((n + 1))
done
for i in $(seq 1 100); do
	got=$(ls "$TB_SHOP_MAILDIR/new" "$TB_SHOP_MAILDIR/cur" 2>/dev/null |
	    grep -c . || true)
	[ "$got" -ge "$n" ] && break
	sleep 0.1
done

echo "== Running mailorderd until the inbox is processed and answered"
"$build/mailorderd" --config "$conf" --once

echo
echo "== The orders"
"$mo" --config "$conf" list
for ref in $("$mo" --config "$conf" list --status flagged --json | jq -r .ref); do
	echo
	"$mo" --config "$conf" show "$ref" | sed '/^Text the engine read:/,$d'
done

# What Dana finds in her mailbox, read over IMAP as she would.
who=dana.whitfield@acme.example
sent="$top/examples/mail/plain-order.eml"
imap() {
	curl -sS --cacert "$TB_CA" -u "$who:$TB_EXTRA_PASS" \
	    "imaps://localhost:$TB_IMAPS_PORT/$1" "${@:2}" | tr -d '\r'
}
echo
echo "== What $who finds in her mailbox (IMAP)"
for i in $(imap INBOX -X 'SEARCH ALL' | sed -n 's/^\* SEARCH//p'); do
	imap "INBOX;MAILINDEX=$i;SECTION=HEADER.FIELDS%20(SUBJECT)" |
	    sed -n 's/^Subject: /   /p'
done
mid=$(sed -n 's/^Message-ID: //p' "$sent" | head -1)
i=$(imap INBOX -X "SEARCH HEADER In-Reply-To \"$mid\"" |
    sed -n 's/^\* SEARCH *//p' | awk '{print $1}')
echo
echo "== The reply to her \"$(sed -n 's/^Subject: //p' "$sent" | head -1)\" ($mid)"
if [ -z "$i" ]; then
	echo "   (none arrived: see the log above)"
else
	imap "INBOX;MAILINDEX=$i" > "$dir/reply.eml"
	python3 - "$dir/reply.eml" <<'PY'
import sys, email, email.policy
m = email.message_from_bytes(open(sys.argv[1], 'rb').read(),
                             policy=email.policy.default)
for h in ('From', 'To', 'Subject', 'In-Reply-To', 'References',
          'Auto-Submitted'):
    if m[h] is not None:
        print('   %s: %s' % (h, m[h]))
print()
for line in m.get_body(('plain',)).get_content().splitlines():
    print('   ' + line if line else '')
PY
fi
echo
echo "== Done.  The store is $db.  Review and approve the flagged orders:"
echo "   $mo --config $conf queue"
echo "   (or: $mo --config $conf list --status flagged; $mo --config $conf approve MO-..)"

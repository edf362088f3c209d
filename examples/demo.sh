#!/bin/bash
# The demo behind `./setup.sh demo`, end to end on this machine only:
# a throwaway Dovecot and Postfix on 127.0.0.1, the sample shop's
# catalog, customers and history, the sample customer emails sent in over
# SMTP, mailorderd run until they are processed, and the orders and flags
# it made.  Everything lives in BUILD_DIR/demo and is stopped at the end.
#   examples/demo.sh BUILD_DIR
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
tb="$top/tests/integration/testbed.sh"
mo="$build/mailorder"
dir="$build/demo"
bed="$dir/bed"
db="$dir/shop.db"

if [ "$(id -u)" -ne 0 ]; then
	echo "demo: the throwaway mail servers need root (run with sudo)" >&2
	exit 77
fi
"$tb" down "$bed" >/dev/null 2>&1 || true
rm -rf "$dir"
mkdir -p "$dir"
chmod 0755 "$dir"
trap '"$tb" down "$bed" >/dev/null 2>&1' EXIT

echo "== Starting a throwaway Dovecot and Postfix on 127.0.0.1"
"$tb" up "$bed" >/dev/null
eval "$("$tb" env "$bed")"
printf '%s\n' "$TB_SHOP_PASS" > "$dir/imap-password"
chmod 600 "$dir/imap-password"
cat > "$dir/mailorder.conf" <<CONF
[store]
path = $db
[rules]
paths = $top/rules/en.rules
[imap]
host = localhost
port = $TB_IMAPS_PORT
tls = implicit
user = $TB_SHOP_USER
password_file = $dir/imap-password
ca_file = $TB_CA
processed_folder = Processed
failed_folder = Failed
CONF

echo "== Loading the sample catalog, customers and order history"
"$mo" --db "$db" import catalog "$top/examples/catalog.csv"
"$mo" --db "$db" import customers "$top/examples/customers.csv"
"$mo" --db "$db" import history "$top/examples/history.csv"

n=0
echo "== Customers send their orders (SMTP to $TB_SHOP_USER)"
for f in "$top"/examples/mail/*.eml; do
	printf '   %s\n' "$(sed -n 's/^Subject: //p' "$f" | head -1)"
	"$tb" smtp "$bed" "$TB_SHOP_USER" "$f"
	n=$((n + 1))
done
for i in $(seq 1 100); do
	got=$(ls "$TB_SHOP_MAILDIR/new" "$TB_SHOP_MAILDIR/cur" 2>/dev/null |
	    grep -c . || true)
	[ "$got" -ge "$n" ] && break
	sleep 0.1
done

echo "== Running mailorderd until the inbox is processed"
"$build/mailorderd" --config "$dir/mailorder.conf" --once

echo
echo "== The orders"
"$mo" --db "$db" list
for ref in $("$mo" --db "$db" list --status flagged --json | jq -r .ref); do
	echo
	"$mo" --db "$db" show "$ref" | sed '/^Text the engine read:/,$d'
done
echo
echo "== Done.  The store is $db.  Review and approve the flagged orders:"
echo "   $mo --db $db queue"
echo "   (or: $mo --db $db list --status flagged; $mo --db $db approve MO-..)"

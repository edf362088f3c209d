#!/bin/bash
# bench_reply: order email in -> confirmation in the customer's mailbox
# (a benchmark, not a test).  With mailorderd waiting in IDLE on a local
# Dovecot, N orders (default 200) go in through Postfix at R per second
# (default 10) from a known customer; each one's latency runs from the
# moment it is handed to SMTP to the moment Dovecot has written the
# confirmation into the customer's Maildir (its file time).  Prints the
# median, p90, p99 and maximum.  Target: median < 1 s, p99 < 3 s.
# Run as root from a build directory:
#   ../bench/bench_reply.sh [N] [RATE]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(pwd)
n=${1:-200}
rate=${2:-10}
tb="$top/tests/integration/testbed.sh"
w=$(mktemp -d /tmp/mo-br.XXXXXX)
chmod 0755 "$w"
dpid=
trap '[ -n "$dpid" ] && kill $dpid 2>/dev/null; "$tb" down "$w/bed" >/dev/null 2>&1; [ -n "${KEEP:-}" ] || rm -rf "$w"' EXIT

"$tb" up "$w/bed" >/dev/null
eval "$("$tb" env "$w/bed")"
printf '%s\n' "$TB_SHOP_PASS" > "$w/pw"; chmod 600 "$w/pw"
"$build/mailorder" --db "$w/shop.db" import catalog \
    "$top/examples/catalog.csv" >/dev/null
printf 'id,name,emails\nBUYER,Buyer Cafe,buyer@customer.test\n' > "$w/c.csv"
"$build/mailorder" --db "$w/shop.db" import customers "$w/c.csv" >/dev/null
cat > "$w/mailorder.conf" <<CONF
[store]
path = $w/shop.db
[rules]
paths = $top/rules/en.rules
[imap]
host = localhost
port = $TB_IMAPS_PORT
user = $TB_SHOP_USER
password_file = $w/pw
ca_file = $TB_CA
processed_folder = Processed
[smtp]
host = localhost
port = $TB_SUBMISSION_PORT
tls = starttls
user = $TB_SHOP_USER
password_file = $w/pw
ca_file = $TB_CA
from = $TB_SHOP_USER
from_name = Bean & Leaf
[reply]
templates = $top/templates
max_per_sender_per_hour = 1000
[log]
level = warning
CONF

"$build/mailorderd" -c "$w/mailorder.conf" --foreground 2>"$w/d.log" &
dpid=$!
sleep 2	# connected and in IDLE

mkdir -p "$w/out"
send_one() {	# send_one I: hand order I to Postfix, log the start time
	local f="$w/out/$1.eml"
	printf 'From: Buyer <buyer@customer.test>\r\nTo: %s\r\n' "$TB_SHOP_USER" > "$f"
	printf 'Subject: order %s\r\nDate: %s\r\n' "$1" "$(date -R)" >> "$f"
	printf 'Message-ID: <bench%s@customer.test>\r\n\r\n' "$1" >> "$f"
	printf 'Hello,\r\n\r\nplease send %d bags of house blend.\r\n\r\nThanks\r\n' \
	    $(( $1 % 4 + 1 )) >> "$f"
	echo "bench$1@customer.test $(date +%s.%N)" >> "$w/sent.log"
	curl -sS --url "smtp://localhost:$TB_SMTP_PORT" \
	    --mail-from buyer@customer.test --mail-rcpt "$TB_SHOP_USER" \
	    --upload-file "$f"
}

echo "== $n orders at $rate/s through Postfix; confirmations to the customer"
period=$(awk -v r="$rate" 'BEGIN { printf "%.6f", 1 / r }')
t0=$(date +%s.%N)
for i in $(seq 1 "$n"); do
	send_one "$i" &
	# Keep the pace against the clock, not against sleep's drift.
	next=$(awk -v t="$t0" -v p="$period" -v i="$i" 'BEGIN { printf "%.6f", t + p * i }')
	now=$(date +%s.%N)
	d=$(awk -v a="$next" -v b="$now" 'BEGIN { d = a - b; printf "%.6f", (d > 0 ? d : 0) }')
	sleep "$d"
done
wait_all() {
	local i got
	for i in $(seq 1 600); do
		got=$(find "$TB_BUYER_MAILDIR/new" "$TB_BUYER_MAILDIR/cur" \
		    -type f | wc -l)
		[ "$got" -ge "$n" ] && return 0
		sleep 0.1
	done
	return 1
}
wait_all || echo "only $(ls "$TB_BUYER_MAILDIR/new" | wc -l) of $n confirmations arrived"

python3 - "$w/sent.log" "$TB_BUYER_MAILDIR" "$n" <<'PY'
import os, re, sys
sent = dict(l.split() for l in open(sys.argv[1]))
lat = []
for sub in ("new", "cur"):
    d = os.path.join(sys.argv[2], sub)
    for f in os.listdir(d):
        p = os.path.join(d, f)
        head = open(p, "rb").read(8192).decode("utf-8", "replace")
        m = re.search(r"^In-Reply-To: <([^>]+)>", head, re.M)
        if m and m.group(1) in sent:
            lat.append(os.stat(p).st_mtime_ns / 1e9 - float(sent[m.group(1)]))
lat.sort()
if not lat:
    sys.exit("no confirmations arrived")
def pct(q):
    return lat[min(len(lat) - 1, int(round(q * (len(lat) - 1))))]
print("confirmations: %d of %s" % (len(lat), sys.argv[3]))
print("latency: median %.3f s, p90 %.3f s, p99 %.3f s, max %.3f s"
      % (pct(0.5), pct(0.9), pct(0.99), lat[-1]))
PY
grep -c "refused\|will retry\|given up" "$w/d.log" | sed 's/^/daemon warnings about replies: /'

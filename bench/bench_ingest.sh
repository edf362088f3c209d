#!/bin/bash
# bench_ingest: mailorderd against a local Dovecot (a benchmark, not a test).
#  1. N generated order emails (default 10,000) wait in the INBOX; time
#     `mailorderd --once` to turn them all into orders, with the peak RSS
#     of the daemon and of its parse worker.
#  2. The same mailbox fetched by mbsync (isync) into a local Maildir, as
#     the reference for "as fast as a plain IMAP download".
#  3. IDLE latency: with the daemon waiting in IDLE, deliver messages one
#     at a time and measure delivery -> order committed; median and p90.
# Run as root from a build directory after `make bench`:
#   ../bench/bench_ingest.sh [N] [IDLE_SAMPLES]
# MBSYNC=0 skips part 2, IDLE_SAMPLES 0 part 3.
# BATCH=N sets batch_max_messages; DAEMON_ARGS=-v adds each batch's
# timings to the kept log (KEEP=1 keeps the work directory).
# SHOP_DB=FILE ingests into a copy of FILE instead of gen_mail's new
# store; FILE must hold gen_mail's shop (bench_scale.sh's year does).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(pwd)
n=${1:-10000}
samples=${2:-50}
tb="$top/tests/integration/testbed.sh"
w=$(mktemp -d /tmp/mo-bi.XXXXXX)
chmod 0755 "$w"
trap '"$tb" down "$w/bed" >/dev/null 2>&1; [ -z "$dpid" ] || kill "$dpid" 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$w"' EXIT
dpid=

"$tb" up "$w/bed" >/dev/null
eval "$("$tb" env "$w/bed")"
mkdir -p "$w/mail"
"$build/bench/gen_mail" -n "$n" -o "$w/mail" -d "$w/shop.db" 2>/dev/null
[ -z "${SHOP_DB:-}" ] || cp "$SHOP_DB" "$w/shop.db"
printf '%s\n' "$TB_SHOP_PASS" > "$w/pw"; chmod 600 "$w/pw"
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
batch_max_messages = ${BATCH:-500}
CONF

# Fast path into the Maildir (what an MTA's delivery leaves behind): a
# few commands for the whole backlog, not two per message, which took
# minutes for 100,000.  Any unique name will do in new/.
inbox_fill() {
	find "$w/mail" -name '*.eml' -exec cp -t "$TB_SHOP_MAILDIR/tmp" {} +
	chown -R 8:8 "$TB_SHOP_MAILDIR"
	find "$TB_SHOP_MAILDIR/tmp" -name '*.eml' \
	    -exec mv -t "$TB_SHOP_MAILDIR/new" {} +
	doveadm -c "$TB_DOVECOT_CONF" mailbox status -u "$TB_SHOP_USER" messages INBOX
}
inbox_fill >/dev/null

orders() { sqlite3 -cmd ".timeout 5000" "$w/shop.db" "SELECT count(*) FROM orders WHERE message_id IS NOT NULL"; }
before=$(orders)
# The whole machine's CPU seconds, from /proc/stat: the daemon, its
# workers and Dovecot together (on a quiet machine), which wall-clock
# time on shared cores does not show.
machine_cpu() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }
cpu0=$(machine_cpu)
echo "== $n messages waiting; mailorderd --once"
# User and system CPU count the parse workers too (waited-for children):
# the figures to compare on a shared machine.
/usr/bin/time -f "%e s elapsed, %U s user + %S s system CPU, daemon peak RSS %M KB" \
    "$build/mailorderd" -c "$w/mailorder.conf" --once ${DAEMON_ARGS:-} 2>"$w/d.log" || true
grep -E "elapsed|stopping" "$w/d.log" | sed 's/^mailorderd: //'
echo "machine CPU: $(( ($(machine_cpu) - cpu0) / $(getconf CLK_TCK) )) s (mailorderd and Dovecot)"
echo "orders: $(( $(orders) - before )) new"

if [ "${MBSYNC:-1}" = 0 ]; then
	echo "== mbsync skipped (MBSYNC=0)"
else
echo "== the same $n messages fetched by mbsync"
doveadm -c "$TB_DOVECOT_CONF" move -u "$TB_SHOP_USER" INBOX mailbox Processed all
mkdir -p "$w/mbsync/inbox"
cat > "$w/mbsyncrc" <<RC
IMAPAccount bench
Host localhost
Port $TB_IMAPS_PORT
User $TB_SHOP_USER
Pass $TB_SHOP_PASS
SSLType IMAPS
CertificateFile $TB_CA

IMAPStore remote
Account bench

MaildirStore local
Path $w/mbsync/
Inbox $w/mbsync/inbox

Channel bench
Far :remote:INBOX
Near :local:INBOX
Sync Pull
Create Near
SyncState *
RC
/usr/bin/time -f "%e s elapsed, mbsync peak RSS %M KB" \
    mbsync -c "$w/mbsyncrc" bench 2>&1 | grep -v "^Maildir notice" || true
echo "mbsync fetched $(find "$w/mbsync/inbox" -type f -path '*/new/*' -o -type f -path '*/cur/*' | wc -l) files"
fi
[ "$samples" -gt 0 ] || exit 0

echo "== IDLE latency over $samples deliveries"
# Each log line is stamped as it arrives (bash's EPOCHREALTIME: no fork),
# so the delay splits into the server's part (delivery -> IDLE says
# EXISTS) and ours (EXISTS -> order committed and logged).
stamp() { local l; while IFS= read -r l; do printf '%s %s\n' "${EPOCHREALTIME/./}" "$l"; done; }
"$build/mailorderd" -c "$w/mailorder.conf" --foreground -v 2> >(stamp > "$w/idle.log") &
dpid=$!
for i in $(seq 1 50); do grep -q "using IDLE" "$w/idle.log" && break; sleep 0.1; done
base=$(sqlite3 -cmd ".timeout 5000" "$w/shop.db" "SELECT count(*) FROM orders WHERE message_id IS NOT NULL")
: > "$w/t0"
for i in $(seq 1 "$samples"); do
	f="$w/mail/$(printf %06d "$i").eml"
	sed "s/^Message-ID: <bench-/Message-ID: <idle$i-/" "$f" > "$TB_SHOP_MAILDIR/tmp/idle$i"
	chown 8:8 "$TB_SHOP_MAILDIR/tmp/idle$i"
	echo "$i ${EPOCHREALTIME/./}" >> "$w/t0"
	mv "$TB_SHOP_MAILDIR/tmp/idle$i" "$TB_SHOP_MAILDIR/new/idle$i:2,"
	while [ "$(sqlite3 -cmd ".timeout 5000" "$w/shop.db" "SELECT count(*) FROM orders WHERE message_id IS NOT NULL")" -lt $((base + i)) ]; do
		sleep 0.005
	done
	sleep 0.2
done
kill "$dpid"; wait "$dpid" 2>/dev/null || true; dpid=
sleep 0.2
# Per sample: delivery (t0), the first announcement after it, and the
# log line of its order; all in microseconds.
awk '
	FNR == NR { t0[$1] = $2; n = $1; next }
	/the server announced new mail/ { ann[++na] = $1 }
	/: order / && match($0, /\(mid:idle[0-9]+-/) {
		k = substr($0, RSTART + 9, RLENGTH - 10); done[k] = $1
	}
	END {
		for (i = 1; i <= n; i++) {
			a = 0
			for (j = 1; j <= na; j++) if (ann[j] >= t0[i]) { a = ann[j]; break }
			tot[i] = (done[i] - t0[i]) / 1000
			srv[i] = (a - t0[i]) / 1000
			our[i] = (done[i] - a) / 1000
		}
		printf "%d samples\n", n
		report("delivery -> order committed", tot, n)
		report("  delivery -> server announces it (IDLE)", srv, n)
		report("  announcement -> order committed (mailorderd)", our, n)
	}
	function report(what, v, n,   i, j, t, s) {
		for (i = 1; i <= n; i++) s[i] = v[i]
		for (i = 2; i <= n; i++) for (j = i; j > 1 && s[j-1] > s[j]; j--) { t = s[j]; s[j] = s[j-1]; s[j-1] = t }
		printf "%s: median %.0f ms, p90 %.0f ms, max %.0f ms\n", what, s[int((n+1)/2)], s[int(n*0.9)], s[n]
	}' "$w/t0" "$w/idle.log"

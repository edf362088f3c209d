#!/bin/bash
# bench_scale.sh [ORDERS] [N]: does the cost stay flat once the store has
# held a year of a busy shop?  gen_mail's shop (1,000 products, 100
# customers) is built twice: empty, and with a year added by gen_store -s
# (default 500,000 orders, about 2,000,000 lines and 1,000,000
# messages).  Its operator has worked the queue daily, so only the last
# two days' flagged orders still wait (gen_store -w 2); WORKED_DAYS=none
# leaves a thirty-third of every flagged order of the year waiting
# (13,000), the queue's worst case.  On both:
#  1. the engine's parse rate (bench_parse -d), twice each, alternating;
#  2. on the year: `mailorder list` (the newest 200), `list --all`,
#     `list --status flagged`, and the queue opening in tmux at 120x35
#     (from the start to the first order row on the screen);
#  3. mailorderd --once ingesting the same N (default 10,000) generated
#     mails into each (bench_ingest.sh with SHOP_DB, no mbsync, no IDLE).
# CPU seconds are the figures to compare on a shared machine.  A
# benchmark, not a test.  Run as root from a build directory after
# `make bench mailorder mailorderd`:  ../bench/bench_scale.sh [ORDERS] [N]
set -eu
orders=${1:-500000}
n=${2:-10000}
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(pwd)
w=$(mktemp -d /tmp/mo-bs.XXXXXX)
sock=mo-bench-scale.$$
trap 'rm -rf "$w"' EXIT
worked="-w ${WORKED_DAYS:-2}"
[ "${WORKED_DAYS:-}" != none ] || worked=

echo "== the shop, empty and after a year of $orders orders"
"$build/bench/gen_mail" -n 0 -o "$w" -d "$w/empty.db" >/dev/null 2>&1
cp "$w/empty.db" "$w/year.db"
/usr/bin/time -f "  generated in %e s" \
    "$build/bench/gen_store" -s $worked "$w/year.db" "$orders" 2>&1 |
    grep -v "migrated to" | sed 's/^[0-9]/  &/'
ls -l "$w/empty.db" "$w/year.db" | awk '{ print "  " $5 " bytes " $9 }'
echo "  $(sqlite3 "$w/year.db" "SELECT coalesce((SELECT n FROM
    order_status_counts WHERE status = 'flagged'), 0)") flagged orders waiting"

echo "== parse rate (bench_parse -d, 20,000 messages)"
for i in 1 2; do
	for s in empty year; do
		"$build/bench/bench_parse" -d "$w/$s.db" -n 20000 \
		    -r "$top/rules/en.rules" |
		    awk -v s="$s" '/messages\/second/ { print "  " s ": " $0 }
			/peak RSS/ { print "  " s ": " $0 }'
	done
done

echo "== list and the queue on the year"
cli() {	# cli LABEL ARGS...
	local label=$1; shift
	/usr/bin/time -f "%e %U %S" "$build/mailorder" --db "$w/year.db" \
	    "$@" >/dev/null 2>"$w/time" || true
	tail -1 "$w/time" | awk -v l="$label" \
	    '{ printf "  %.3f s (%.3f s CPU): %s\n", $1, $2 + $3, l }'
}
for i in 1 2; do
	cli "list (the newest 200)" list
	cli "list --status flagged" list --status flagged
	cli "list --all" list --all
done
queue_open() {	# queue_open N: ms from starting the queue to its first row
	local t0 t1 s="$sock.$1"	# a server of its own: one just killed
					# may still hold the name
	t0=${EPOCHREALTIME/./}
	tmux -L "$s" -f /dev/null new-session -d -s q -x 120 -y 35 \
	    "$build/mailorder --db $w/year.db queue"
	for _ in $(seq 1 2000); do
		tmux -L "$s" capture-pane -p -t q 2>/dev/null |
		    grep -q 'MO-[0-9]' && break
		sleep 0.005
	done
	t1=${EPOCHREALTIME/./}
	tmux -L "$s" kill-server 2>/dev/null || true
	echo $(( (t1 - t0) / 1000 ))
}
for i in 1 2 3 4 5; do
	echo "  queue open: $(queue_open $i) ms to the first row"
done

echo "== ingest of $n mails: empty shop, then the year"
for s in empty year; do
	echo "  -- $s"
	SHOP_DB="$w/$s.db" MBSYNC=0 "$top/bench/bench_ingest.sh" "$n" 0 |
	    grep -E "elapsed|orders:" | sed 's/^/  /'
done

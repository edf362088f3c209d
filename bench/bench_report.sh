#!/bin/sh
# bench_report.sh [ORDERS]: time `mailorder report` on a generated year
# of a busy shop (default 500000 orders, about 2000000 lines; see
# bench/gen_store.c), over the whole year and over the default 12 weeks,
# three runs each (the first reads the file from disk, the others from
# the page cache).  CPU seconds are the figure to compare on a shared
# machine: wall-clock time there also counts the other processes.  Run from the build directory after
# `make mailorder bench`.
set -e
orders=${1:-500000}
builddir=${top_builddir:-.}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mo-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
db="$tmp/shop.db"

start=$(date +%s.%N)
"$builddir/bench/gen_store" "$db" "$orders" 2>/dev/null
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" 'BEGIN { printf "  %.1f s to generate\n", e - s }'
ls -l "$db" | awk '{ print "  " $5 " bytes " $9 }'

today=$(date -u +%Y-%m-%d)
year=$(date -u -d "$today - 364 days" +%Y-%m-%d)
run() {	# run LABEL ARGS...: wall-clock and CPU seconds, peak memory, per run
	label=$1; shift
	for i in 1 2 3; do
		/usr/bin/time -f "%e %U %S %M" "$builddir/mailorder" --db "$db" \
		    report "$@" 2>"$tmp/time" >"$tmp/out"
		awk -v l="$label" '{ printf "  %.2f s (%.2f s CPU), " \
		    "%d MiB peak: %s\n", $1, $2 + $3, $4 / 1024, l }' "$tmp/time"
	done
}
run "report --json, the whole year" --json --since "$year"
run "report (text), the last 12 weeks"
run "report due (every customer's rhythm)" due --json
run "report customer C0001" customer C0001 --json
"$builddir/mailorder" --db "$db" report --json --since "$year" | jq -c \
    '{orders, touchless, touchless_rate, imported, sales, confirmation_seconds,
      actions: .operator_actions.total, weeks: (.weeks | length)}'

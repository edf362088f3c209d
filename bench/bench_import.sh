#!/bin/sh
# bench_import.sh [ROWS]: time `mailorder import` of a generated catalog,
# customers and a ROWS-line history (default 100000) into a fresh
# database, then the same history again (the re-import path).  Run from
# the build directory after `make mailorder bench`.
set -e
rows=${1:-100000}
builddir=${top_builddir:-.}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mo-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

"$builddir/bench/gen_history" "$tmp" "$rows"
mo() { "$builddir/mailorder" --db "$tmp/bench.db" import "$@"; }

# One figure per step: wall-clock seconds as measured by the shell.
step() {
	start=$(date +%s.%N)
	mo "$@"
	end=$(date +%s.%N)
	awk -v s="$start" -v e="$end" -v k="$1" \
	    'BEGIN { printf "  %.2f s for import %s\n", e - s, k }'
}
step catalog "$tmp/catalog.csv"
step customers "$tmp/customers.csv"
step history "$tmp/history.csv"
step history "$tmp/history.csv"
ls -l "$tmp/history.csv" "$tmp/bench.db" | awk '{ print "  " $5 " bytes " $9 }'

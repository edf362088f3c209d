#!/bin/sh
# Build the fuzz targets with clang in their own build directory and run
# them for a while over scratch copies of the seed corpora: the MIME
# parser for the given time (default 60 s), then the rule loader
# (fuzz_rules) and each attachment reader (fuzz_xlsx, fuzz_ods, fuzz_pdf,
# fuzz_tnef) for a quarter of it each.  The parser's corpus is seeded
# with every message in tests/fixtures too, the rule loader's with the
# shipped rules and every rule file the tests use.
# fuzz_xls is built but not run here: it finds an over-read inside
# FreeXL 1.0.6 within seconds, which is why [policy] read_xls is off by
# default (run it by hand: ./tests/fuzz/fuzz_xls corpus-xls).
# Each target's libFuzzer output goes to BUILD/fuzz-NAME.log (libytnef
# alone prints thousands of lines); a failing target's tail is shown.
# Usage: tests/fuzz/run.sh [seconds] [build-dir]
#        FUZZ_TARGETS="parse rules" tests/fuzz/run.sh 900: only those,
#        each for the whole time (a longer run by hand).
set -eu
secs=${1:-60}
top=$(cd "$(dirname "$0")/../.." && pwd)
# Inside this tree: a build directory left by another checkout would
# fuzz that checkout's code.
build=${2:-$top/build-fuzz}

mkdir -p "$build"
cd "$build"
if [ ! -f Makefile ]; then
	"$top/configure" -q --enable-fuzz CC=clang \
	    CFLAGS="-g -O1 -fsanitize=fuzzer-no-link,address"
fi
make -s tests/fuzz/fuzz_parse tests/fuzz/fuzz_rules tests/fuzz/fuzz_xlsx tests/fuzz/fuzz_xls \
    tests/fuzz/fuzz_ods \
    tests/fuzz/fuzz_pdf tests/fuzz/fuzz_tnef
mkdir -p artifacts

fuzz() {	# fuzz NAME SECONDS MAX_LEN [libFuzzer options...]
	name=$1 t=$2 max=$3
	shift 3
	mkdir -p "corpus-$name"
	cp -n "$top/tests/fuzz/corpus/$name"/* "corpus-$name/" 2>/dev/null ||
	    true
	seeds "$name"
	if ./tests/fuzz/fuzz_"$name" -max_total_time="$t" -max_len="$max" \
	    -timeout=5 -rss_limit_mb=2048 -artifact_prefix=artifacts/ \
	    -print_final_stats=1 "$@" "corpus-$name" >"fuzz-$name.log" 2>&1
	then
		echo "fuzz_$name: $(grep -m1 '^Done' "fuzz-$name.log")"
	else
		echo "fuzz_$name: FAILED, see $build/fuzz-$name.log"
		grep -v '^ERROR: .*TNEF\|^ERROR: Checksum\|^ERROR: Error reading' \
		    "fuzz-$name.log" | tail -40
		return 1
	fi
}

# Seeds from the tests' own inputs, under names that say where each came
# from (fixture-DIR-NAME), so a rerun does not copy them twice.
seeds() {	# seeds NAME
	case $1 in
	parse)	find "$top/tests/fixtures" -name '*.eml' ;;
	rules)	echo "$top/rules/en.rules"
		find "$top/tests/fixtures/rules" -name '*.rules' ;;
	*)	return 0 ;;
	esac | while read -r f; do
		d=$(basename "$(dirname "$f")")
		cp -n "$f" "corpus-$1/fixture-$d-$(basename "$f")" || true
	done
}

# One target with its maximum input length (and the parser's dictionary).
run() {	# run NAME SECONDS
	case $1 in
	parse)	fuzz parse "$2" 65536 -dict="$top/tests/fuzz/parse.dict" ;;
	rules)	fuzz rules "$2" 32768 ;;	# en.rules is 23 KB
	*)	fuzz "$1" "$2" 262144 ;;
	esac
}

LSAN_OPTIONS=suppressions=$top/tests/fuzz/lsan.supp
export LSAN_OPTIONS
if [ -n "${FUZZ_TARGETS:-}" ]; then
	rc=0
	for r in $FUZZ_TARGETS; do
		run "$r" "$secs" || rc=1
	done
	exit $rc
fi
run parse "$secs"
q=$(( secs / 4 > 5 ? secs / 4 : 5 ))
for r in rules xlsx ods pdf tnef; do
	run "$r" "$q"
done

#!/bin/sh
# Build the MIME parser fuzz target with clang in its own build directory
# and run it for a while (default 60 s) over a scratch copy of the seed
# corpus.  Usage: tests/fuzz/run.sh [seconds] [build-dir]
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
make -s tests/fuzz/fuzz_parse
mkdir -p corpus-parse artifacts
cp -n "$top"/tests/fuzz/corpus/parse/* corpus-parse/ 2>/dev/null || true
exec ./tests/fuzz/fuzz_parse -max_total_time="$secs" -max_len=65536 \
    -timeout=5 -rss_limit_mb=2048 -artifact_prefix=artifacts/ \
    -print_final_stats=1 -dict="$top/tests/fuzz/parse.dict" corpus-parse

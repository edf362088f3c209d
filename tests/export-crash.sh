#!/bin/sh
# export --new killed with SIGKILL at arbitrary moments, again and again
# while orders change, then run to the end: every version of every order
# is in the files exactly once, and no temporary file is left.
. "${top_srcdir:-.}/tests/lib.sh"

DB="$TEST_TMP/shop.db"
"$top_builddir/bench/gen_store" "$DB" 20000 2026-11-30 200 13 >/dev/null 2>&1
ok $? "gen_store makes a history"
N="$TEST_TMP/out"
mkdir "$N"
mo() { "$MAILORDER" --db "$DB" "$@"; }
sq() { sqlite3 -cmd ".timeout 10000" "$DB" "$1"; }
SOLD="message_id IS NOT NULL AND status IN ('accepted','shipped')"

killed=0 round=0 delays="0.1 0.3 0.45 0.02 0.05 0.08 0.12 0.16 0.2 0.25"
for d in $delays; do
	# Not through mo(): $! must be mailorder itself, not a subshell.
	"$MAILORDER" --db "$DB" export --new --format json --out "$N" \
	    >>"$TEST_TMP/runs" 2>&1 &
	pid=$!
	sleep "$d"
	kill -9 "$pid" 2>/dev/null && killed=$((killed + 1))
	wait "$pid" 2>/dev/null
	open=$((${open:-0} + $(sq "SELECT count(*) FROM export_runs WHERE done_at IS NULL")))
	# Between the runs an operator ships an order, and half of the
	# orders change (a new version each, as any change makes).
	ref=$(sq "SELECT ref FROM orders WHERE status = 'accepted' ORDER BY id DESC LIMIT 1")
	mo ship "$ref" --carrier dhl --tracking "K$round" >/dev/null 2>&1 || true
	sq "UPDATE orders SET version = version + 1 WHERE id % 2 = $round % 2"
	round=$((round + 1))
done
[ "$killed" -ge 4 ]; ok $? "export --new was killed mid-run ($killed of 10 times)"
echo "# $open runs were killed after their commit, to be finished by the next"
mo export --new --format json --out "$N" >"$TEST_TMP/last" 2>&1
ok $? "a run to the end finishes"
cat "$N"/*.jsonl | jq -r '"\(.ref) \(.version)"' | sort >"$TEST_TMP/got"
is "$(uniq -d "$TEST_TMP/got" | wc -l)" 0 "no order version was exported twice"
sq "SELECT ref || ' ' || version FROM orders WHERE $SOLD" | sort >"$TEST_TMP/now"
is "$(comm -13 "$TEST_TMP/got" "$TEST_TMP/now" | wc -l)" 0 \
    "every order's current version was exported"
is "$(ls -a "$N" | grep -c '\.tmp$')" 0 "no temporary file is left"
is "$(sq "SELECT count(*) FROM export_runs WHERE done_at IS NULL") $(sq "SELECT count(*) FROM export_files")" \
    "0 0" "every run is done and no rendered file is kept"
done_testing

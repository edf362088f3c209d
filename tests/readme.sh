#!/bin/sh
# The README's queue screenshot is what the demo produces: the demo's
# data (the sample catalog, customers and history, then the sample mails
# in the order the demo sends them) ingested here without mail servers,
# the queue opened at 80x24 in tmux, and its list compared line for line
# with the one in README.md.
. "${top_srcdir:-.}/tests/lib.sh"

command -v tmux >/dev/null || { echo "1..1"; echo "not ok 1 - tmux is installed (see setup.sh)"; exit 1; }
DB="$TEST_TMP/shop.db"
E="$top_srcdir/examples"
mo() { "$MAILORDER" --db "$DB" --rules "$top_srcdir/rules/en.rules" "$@"; }
mo import catalog "$E/catalog.csv" >/dev/null
mo import customers "$E/customers.csv" >/dev/null
mo import history "$E/history.csv" >/dev/null
mo ingest "$E"/mail/*.eml >/dev/null

SOCK="mo-readme-$$"
T() { tmux -L "$SOCK" "$@"; }
trap 'T kill-server 2>/dev/null; rm -rf "$TEST_TMP"' EXIT
T -f /dev/null new-session -d -s t -x 80 -y 24 -e LANG=C.UTF-8 \
    -e ESCDELAY=25 "$MAILORDER --db '$DB' queue"
i=0
while [ $i -lt 100 ]; do
	T capture-pane -p -t t | grep -q ' shown ' && break
	sleep 0.1
	i=$((i + 1))
done
# The screen without its blank lines, as the README shows it.
T capture-pane -p -t t | sed 's/ *$//' | grep . > "$TEST_TMP/screen"
# The README's block: from the title line to the status bar, indented 4.
sed -n '/^     mailorder queue: flagged orders/,/^     [0-9]* shown /p' \
    "$top_srcdir/README.md" | sed 's/^    //; s/ *$//' | grep . > "$TEST_TMP/readme"
test -s "$TEST_TMP/readme"; ok $? "README.md has the queue's list screenshot"
diff "$TEST_TMP/readme" "$TEST_TMP/screen" > "$TEST_TMP/diff"
ok $? "it is what the queue shows for the demo's data"
sed 's/^/# /' "$TEST_TMP/diff"

done_testing

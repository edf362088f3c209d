#!/bin/sh
# The demo behind `./setup.sh demo`: a fresh database with the sample
# catalog, customers and history, then the sample customer emails run
# through the engine, with what it understood printed for each.
#   examples/demo.sh BUILD_DIR
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
mo="$build/mailorder"
db="$build/demo.db"

rm -f "$db" "$db-wal" "$db-shm"
echo "== Importing the sample data into $db"
"$mo" --db "$db" import catalog "$top/examples/catalog.csv"
"$mo" --db "$db" import customers "$top/examples/customers.csv"
"$mo" --db "$db" import history "$top/examples/history.csv"
echo
echo "== Reading the sample customer emails"
echo
"$mo" --db "$db" --rules "$top/rules/en.rules" parse "$top"/examples/mail/*.eml
echo "== Done.  Try: $mo --db $db parse --json $top/examples/mail/*.eml"

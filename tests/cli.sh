#!/bin/sh
# The CLI skeleton: help, version, usage errors and exit codes.
. "${top_srcdir:-.}/tests/lib.sh"

out=$("$MAILORDER" --version); is "$?" 0 "--version exits 0"
like "$out" "mailorder [0-9]*" "--version prints the version"

out=$("$MAILORDER" help); is "$?" 0 "help exits 0"
like "$out" "*import*" "help lists the commands"

"$MAILORDER" >/dev/null 2>&1; is "$?" 64 "no command is a usage error (EX_USAGE)"

err=$("$MAILORDER" frobnicate 2>&1); is "$?" 64 "unknown command exits EX_USAGE"
like "$err" "mailorder: unknown command 'frobnicate'*" "unknown command is named"

out=$("$MAILORDER" import --help); is "$?" 0 "COMMAND --help exits 0"
like "$out" "usage: mailorder import*" "COMMAND --help prints its usage"

out=$("$MAILORDER" help import); is "$?" 0 "help COMMAND exits 0"
like "$out" "usage: mailorder import*" "help COMMAND prints its usage"

# Usage and --help come from each command's declaration.
out=$("$MAILORDER" reject --help)
like "$out" "usage: mailorder reject ORDER --reason TEXT \[--message FILE\] \[--version N\]*" \
    "the usage line names the operand, required and optional options"
like "$out" "*-m, --message FILE*standard input*" "--help lists each option"
err=$("$MAILORDER" ship MO-1 --carrier ups 2>&1); is "$?" 64 "a required option missing is 64"
like "$err" "usage: mailorder ship ORDER --carrier NAME --tracking NUMBER*" \
    "with the generated usage"
err=$("$MAILORDER" show MO-1 MO-2 2>&1); is "$?" 64 "one operand too many is 64"

printf 'not a database, just text\n%.0s' $(seq 1 200) > "$TEST_TMP/junk.db"
err=$("$MAILORDER" --db "$TEST_TMP/junk.db" import catalog /dev/null 2>&1)
is "$?" 78 "a file that is not a database is a config error (EX_CONFIG)"
like "$err" "*junk.db*" "the error names the database file"

err=$("$MAILORDER" --db "$TEST_TMP/no/such/dir/x.db" import catalog /dev/null 2>&1)
is "$?" 78 "an unopenable database path is EX_CONFIG"
is "$(echo "$err" | wc -l)" 1 "the error is one line"

# --- the configuration: read for every command, checked before use -------
C="$TEST_TMP/c"
mkdir -p "$C"
E="$top_srcdir/examples"
err=$("$MAILORDER" --config "$C/nope.conf" list 2>&1)
is "$?" 78 "--config naming a missing file is refused (EX_CONFIG)"
like "$err" "mailorder: cannot open '$C/nope.conf': No such file or directory" \
    "naming the file"
printf '[store]\npath = %s/x.db\n[rules]\npathz = x\n' "$C" > "$C/typo.conf"
for cmd in "list" "parse $E/mail/plain-order.eml" "import catalog $E/catalog.csv" \
    "history ACME" "show MO-1" "queue"; do
	err=$("$MAILORDER" --config "$C/typo.conf" $cmd 2>&1)
	is "$?" 78 "${cmd%% *}: a config with an unknown key is refused"
	like "$err" "*typo.conf:4:*pathz*" "${cmd%% *}: with FILE:LINE"
done
test -e "$C/x.db"; is "$?" 1 "and nothing was created from it"

cat > "$C/mo.conf" <<EOF
[store]
path = $C/shop.db
[rules]
paths = $top_srcdir/rules/en.rules $C/rules.d
[smtp]
host = localhost
from = orders@beanleaf.example
[reply]
templates = $top_srcdir/templates
EOF
"$MAILORDER" --config "$C/mo.conf" import catalog "$E/catalog.csv" >/dev/null
is "$?" 0 "import with --config"
test -f "$C/shop.db"; is "$?" 0 "writes the configured [store] path"
"$MAILORDER" --config "$C/mo.conf" import customers "$E/customers.csv" >/dev/null
out=$("$MAILORDER" --config "$C/mo.conf" parse --json "$E/mail/plain-order.eml")
is "$?" 0 "parse with --config uses the configured rules (none given with --rules)"
is "$(printf '%s\n' "$out" | jq -r .customer)" ACME "and the configured store (the sender is a customer)"
out=$("$MAILORDER" --config "$C/mo.conf" ingest "$E/mail/plain-order.eml")
like "$out" "*MO-* accepted" "ingest with --config"
is "$("$MAILORDER" --config "$C/mo.conf" list --json | jq -r .status)" accepted \
    "list with --config reads the configured store"
is "$(MAILORDER_DB=$C/shop.db "$MAILORDER" list --json | jq -r .status)" accepted \
    "\$MAILORDER_DB still works"
is "$("$MAILORDER" --db "$C/shop.db" --config "$C/mo.conf" list --json | wc -l)" 1 \
    "--db wins over the configured path"
printf '[rules]\npaths = %s/nothing-here.rules\n[store]\npath = %s/shop.db\n' \
    "$C" "$C" > "$C/norules.conf"
err=$("$MAILORDER" --config "$C/norules.conf" parse "$E/mail/plain-order.eml" 2>&1)
is "$?" 78 "parse loads the configured rules"
like "$err" "*nothing-here.rules*" "and names a missing one"

# Global options after the command, and command options after its operands.
is "$("$MAILORDER" list --config "$C/mo.conf" --json | jq -r .status)" accepted \
    "--config may follow the command"
is "$("$MAILORDER" list --json --db "$C/shop.db" | jq -r .status)" accepted \
    "--db may follow the command's own options"
is "$("$MAILORDER" --config "$C/mo.conf" show MO-1 --json | jq -r .ref)" MO-1 \
    "show ORDER --json: options may follow the order"
out=$("$MAILORDER" --config "$C/mo.conf" preview MO-1 --kind acknowledgement)
is "$?" 0 "preview ORDER --kind K: so may preview's"
like "$out" "*Subject: Re: Order for next week \[MO-1\]*" "and it previews that order"
is "$("$MAILORDER" --config "$C/mo.conf" history ACME --limit 1 --json | wc -l)" 1 \
    "history CUSTOMER --limit N"
out=$("$MAILORDER" import catalog "$E/catalog.csv" --config "$C/mo.conf")
like "$out" "imported * products*" "import: options may follow its operands too"

# --- a read-only store, an unreadable one ----------------------------------
# Run as another user when root, since root reads and writes anything.
other() {
	if [ "$(id -u)" -eq 0 ]; then
		setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
	else
		"$@"
	fi
}
chmod 0755 "$TEST_TMP"
R="$TEST_TMP/ro"
mkdir -p "$R"
cp "$C/shop.db" "$R/shop.db"
# The other user may not reach the source tree (a clone under /root is
# 0700), so what it reads besides the store lives beside it.
RX="$TEST_TMP/ro-input"
mkdir -p "$RX"
cp "$top_srcdir/rules/en.rules" "$E/mail/plain-order.eml" "$RX/"
chmod 0444 "$R/shop.db"
chmod 0555 "$R"
ro() { other "$MAILORDER" --db "$R/shop.db" --rules "$RX/en.rules" "$@"; }
out=$(ro list --json 2>&1); is "$?" 0 "list works on a read-only store"
is "$(printf '%s\n' "$out" | jq -r .ref)" MO-1 "and lists its order"
ro show MO-1 >/dev/null 2>&1; is "$?" 0 "show works on it"
ro history ACME >/dev/null 2>&1; is "$?" 0 "history works on it"
ro parse "$RX/plain-order.eml" >/dev/null 2>&1; is "$?" 0 "parse works on it"
is "$(ls "$R")" shop.db "and nothing was written beside it"
err=$(ro approve MO-1 2>&1); is "$?" 78 "a command that writes is refused (EX_CONFIG)"
like "$err" "mailorder: cannot write database '$R/shop.db': Permission denied*" \
    "naming the store and the permission problem"
is "$(printf '%s\n' "$err" | wc -l)" 1 "in one line"
chmod 0755 "$R"
chmod 0000 "$R/shop.db"
[ "$(id -u)" -eq 0 ] && chmod 0600 "$R/shop.db"
err=$(ro list 2>&1); is "$?" 78 "an unreadable store is refused (EX_CONFIG)"
like "$err" "mailorder: cannot read database '$R/shop.db': Permission denied (owner *, mode 0?00)" \
    "with one line naming the permission problem"
chmod 0644 "$R/shop.db"
chmod 0700 "$R"
[ "$(id -u)" -eq 0 ] || chmod 0000 "$R"
err=$(ro list 2>&1); is "$?" 78 "a store in a directory others cannot enter is refused"
like "$err" "mailorder: cannot read database '$R/shop.db': Permission denied (directory '$R': owner *, mode 0?00)" \
    "naming the directory"
chmod 0755 "$R"
err=$("$MAILORDER" --db "$R/none.db" list 2>&1); is "$?" 78 "list on a store that does not exist is refused"
like "$err" "mailorder: no database '$R/none.db'*" "saying so"
test -e "$R/none.db"; is "$?" 1 "rather than creating an empty one"
err=$("$MAILORDER" --db "$R/no/such/dir/x.db" import catalog "$E/catalog.csv" 2>&1)
like "$err" "mailorder: cannot create database '$R/no/such/dir/x.db': no directory '$R/no/such/dir'" \
    "a store in a directory that does not exist is named with the directory"

done_testing

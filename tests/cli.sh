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

printf 'not a database, just text\n%.0s' $(seq 1 200) > "$TEST_TMP/junk.db"
err=$("$MAILORDER" --db "$TEST_TMP/junk.db" import catalog /dev/null 2>&1)
is "$?" 78 "a file that is not a database is a config error (EX_CONFIG)"
like "$err" "*junk.db*" "the error names the database file"

err=$("$MAILORDER" --db "$TEST_TMP/no/such/dir/x.db" import catalog /dev/null 2>&1)
is "$?" 78 "an unopenable database path is EX_CONFIG"
is "$(echo "$err" | wc -l)" 1 "the error is one line"

done_testing

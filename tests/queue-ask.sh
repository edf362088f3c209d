#!/bin/sh
# The operator's question, as the customer will read it: m in the queue
# opens $EDITOR on a scissors line and '#' lines below it (what is
# unclear, their words), the operator writes two lines above it, one
# starting with '#', and the queued mail holds them once,
# with one greeting and one sign-off, no internal flag text, signed with
# the operator's own name (their account's full name), never the login.
. "${top_srcdir:-.}/tests/lib.sh"

command -v tmux >/dev/null || { echo "1..1"; echo "not ok 1 - tmux is installed (setup.sh installs it)"; exit 1; }
# A system account whose full name is not its login name: base-passwd's
# 'list' is "Mailing List Manager".
who=list; full="Mailing List Manager"
getent passwd "$who" | grep -q ":$full:" || { echo "1..0 # SKIP no account '$who' named '$full'"; exit 0; }
. "$top_srcdir/tests/lib-shop.sh"
mo ingest "$E/mail/same-as-last-time.eml" >/dev/null
ref=$(mo list --json | jq -r 'select(.customer == "ACME") | .ref')

# The "editor": keeps what it was given, for the test to read, and puts
# the operator's one sentence on top.
cat > "$TEST_TMP/editor" <<EOF
#!/bin/sh
cp "\$1" "$TEST_TMP/opened"
if [ -f "$TEST_TMP/second" ]; then	# the operator took the scissors out
	{ echo "And do you still want the filters?"; grep -v '>8' "$TEST_TMP/opened"; } > "\$1"
	exit 0
fi
{ echo "Do you mean the 3 bags and 1 case of cups from 4 November?"
  echo "#2 on that order, the cups: 12oz or 16oz?"; cat "$TEST_TMP/opened"; } > "\$1"
EOF
chmod +x "$TEST_TMP/editor"

SOCK="mo-ask-$$"
. "$top_srcdir/tests/lib-tmux.sh"
T -f /dev/null new-session -d -s t -x 100 -y 30 -e LANG=C.UTF-8 \
    -e ESCDELAY=25 -e LOGNAME="$who" -e EDITOR="$TEST_TMP/editor" \
    "$MAILORDER --db '$DB' --config '$TEST_TMP/mo.conf' --rules '$top_srcdir/rules/en.rules' queue"
wait_for "*$ref*history_reference*"; ok $? "the queue lists the reference"
T send-keys -t t Enter
wait_for "*$ref  flagged*"; ok $? "it opens"
T send-keys -t t m
wait_for "*send this question? (y/n)*"; ok $? "m opens the editor, then asks"
is "$(grep -v '^#' "$TEST_TMP/opened" | tr -d '\n')" "" \
    "the editor opened with nothing but '#' lines"
is "$(sed -n 2p "$TEST_TMP/opened")" \
    "# ------------------------ >8 ------------------------" \
    "below an empty line to write on and the scissors line"
grep -q "^#   history_reference: refers to an earlier order" "$TEST_TMP/opened"
ok $? "which name what is unclear"
grep -q "^#   Hi, same as last time please" "$TEST_TMP/opened"
ok $? "and quote the customer"
T send-keys -t t y
wait_for "*the order stays waiting*"; ok $? "y queues the question"

sqlite3 "$DB" "SELECT body FROM outbox WHERE order_id = ${ref#MO-} AND kind = 'question'" |
    tr -d '\r' > "$TEST_TMP/mail"
body=$(sed '1,/^$/d' "$TEST_TMP/mail")
is "$(printf '%s\n' "$body" | grep -c 'Do you mean the 3 bags')" 1 \
    "the question is in the mail once"
is "$(printf '%s\n' "$body" | grep -c '^Hello')" 1 "one greeting"
is "$(printf '%s\n' "$body" | grep -c '^Best regards')" 1 "one sign-off"
is "$(printf '%s\n' "$body" | grep -c '^#2 on that order, the cups: 12oz or 16oz?$')" 1 \
    "the operator's own '#' line is kept"
like "$body" "*12oz or 16oz?

Best regards,*" "one blank line, not the editor's too, before the sign-off"
is "$(printf '%s\n' "$body" | grep -c '>8\|^# \|history_reference\|refers to an earlier order')" 0 \
    "nothing from the scissors line down, no internal flag text"
like "$body" "*Best regards,
$full
Bean & Leaf Supply*" "signed by the operator's name, then the shop"
like "$(printf '%s\n' "$body" | grep -c "^$who\$")" 0 "never by the login name"

# Without the scissors line every '#' line is dropped, so none of the
# help reaches the customer.
: > "$TEST_TMP/second"
T send-keys -t t m
wait_for "*send this question? (y/n)*"; ok $? "m again, and the scissors line taken out"
T send-keys -t t y
wait_for "*the order stays waiting*"; ok $? "y queues the second question"
sqlite3 "$DB" "SELECT body FROM outbox WHERE order_id = ${ref#MO-} AND kind = 'question' ORDER BY id DESC LIMIT 1" |
    tr -d '\r' | sed '1,/^$/d' > "$TEST_TMP/mail2"
is "$(grep -c 'And do you still want the filters?' "$TEST_TMP/mail2")" 1 \
    "the operator's line is there"
is "$(grep -c '^#\|history_reference\|refers to an earlier order' "$TEST_TMP/mail2")" 0 \
    "and no '#' line"
done_testing

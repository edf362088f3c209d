#!/bin/sh
# The shipped unit: clean under systemd-analyze verify, and hardened to an
# exposure of 2.0 or less ("OK") by systemd-analyze security.
. "${top_srcdir:-.}/tests/lib.sh"

if ! command -v systemd-analyze >/dev/null 2>&1; then
	echo "1..1"
	echo "not ok 1 - systemd-analyze is installed (apt-get install systemd)"
	exit 1
fi
unit="$TEST_TMP/mailorderd.service"
# Point ExecStart at the binary just built so verify can check it.
sed -e "s|^ExecStart=[^ ]*|ExecStart=$top_builddir/mailorderd|" \
    "$top_builddir/systemd/mailorderd.service" > "$unit"

out=$(systemd-analyze verify --man=no "$unit" 2>&1)
is "$out" "" "systemd-analyze verify has nothing to say"

out=$(systemd-analyze security --offline=yes "$unit" 2>&1 | tail -1)
score=$(echo "$out" | sed -n 's/.*exposure level for [^:]*: \([0-9.]*\).*/\1/p')
ok $(awk -v s="${score:-99}" 'BEGIN { exit !(s <= 2.0) }'; echo $?) \
    "exposure ${score:-?} is 2.0 or less"
like "$out" "* OK *" "systemd rates it OK"

for d in Type=notify WatchdogSec= User=mailorder StateDirectory=mailorder \
    ProtectSystem=strict NoNewPrivileges=yes LoadCredential=; do
	grep -q "^$d" "$unit"; ok $? "the unit sets $d"
done
grep -q '^DynamicUser=yes' "$unit"; ok $(( ! $? )) "no DynamicUser (operators must reach the store)"
grep -q '^MemoryDenyWriteExecute=yes' "$unit"; ok $(( ! $? )) "PCRE2 JIT stays allowed"

# The template, one instance per shop: as clean and as hardened, with its
# own configuration, state directory and credential per instance.
inst="$TEST_TMP/mailorderd@shop1.service"
sed -e "s|^ExecStart=[^ ]*|ExecStart=$top_builddir/mailorderd|" \
    "$top_builddir/systemd/mailorderd@.service" > "$inst"
out=$(systemd-analyze verify --man=no "$inst" 2>&1)
is "$out" "" "the template: systemd-analyze verify has nothing to say"
out=$(systemd-analyze security --offline=yes "$inst" 2>&1 | tail -1)
score=$(echo "$out" | sed -n 's/.*exposure level for [^:]*: \([0-9.]*\).*/\1/p')
ok $(awk -v s="${score:-99}" 'BEGIN { exit !(s <= 2.0) }'; echo $?) \
    "the template's exposure ${score:-?} is 2.0 or less"
like "$(grep '^ExecStart=' "$inst")" "*--config */mailorder/%i.conf" \
    "each instance reads /etc/mailorder/INSTANCE.conf"
grep -qx 'StateDirectory=mailorder/%i' "$inst"; ok $? "and has a state directory of its own"
grep -q '^LoadCredential=imap-password:.*/mailorder/%i.imap-password$' "$inst"
ok $? "and a credential of its own"
is "$(diff "$unit" "$inst" | grep -c '^>')" 5 "and is otherwise the same unit"

done_testing

# The sample shop for the queue's tests: $DB holds the examples' catalog
# and customers (and, unless SHOP_HISTORY=no, their history), and
# $TEST_TMP/mo.conf has an [smtp] section, so replies a person triggers
# are queued and can be read back from the outbox (nothing listens on
# port 2525: mailorderd is not run).  Source after tests/lib.sh; it sets
# DB and E and defines mo (the CLI on that shop) and q (one SQL query).
DB="$TEST_TMP/shop.db"
E="$top_srcdir/examples"
cat > "$TEST_TMP/mo.conf" <<CONF
[smtp]
host = 127.0.0.1
port = 2525
tls = none
from = orders@beanleaf.example
from_name = Bean & Leaf Supply
[reply]
templates = $top_srcdir/templates
CONF
mo() { "$MAILORDER" --db "$DB" --config "$TEST_TMP/mo.conf" \
    --rules "$top_srcdir/rules/en.rules" "$@"; }
q() { sqlite3 "$DB" "$1"; }
mo import catalog "$E/catalog.csv" >/dev/null
mo import customers "$E/customers.csv" >/dev/null
[ "${SHOP_HISTORY:-yes}" = no ] || mo import history "$E/history.csv" >/dev/null

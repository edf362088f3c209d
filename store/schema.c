/*
 * The schema, as a list of forward migrations.  Migration N takes a
 * database from user_version N-1 to N; each runs in one transaction
 * together with its version bump (PRAGMA user_version is transactional), so
 * a crash mid-migration leaves the previous version intact.
 *
 * Never edit a migration that has shipped: add a new one.
 */
#include "config.h"

#include <stddef.h>

#include "store/store_int.h"

static const char migration_1[] =
	/* Customers and the addresses that identify them.  An address is
	 * either "user@domain" or "@domain" (the whole domain), stored
	 * lower-case. */
	"CREATE TABLE customers ("
	"  id         TEXT PRIMARY KEY,"
	"  name       TEXT NOT NULL,"
	"  greeting   TEXT,"		/* optional personal greeting for replies */
	"  note       TEXT,"		/* optional note added to replies */
	"  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))"
	");"
	"CREATE TABLE customer_addresses ("
	"  address     TEXT PRIMARY KEY,"
	"  customer_id TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,"
	"  source      TEXT NOT NULL DEFAULT 'import'"	/* import | operator */
	");"
	"CREATE INDEX customer_addresses_customer ON customer_addresses(customer_id);"

	/* The catalog.  Aliases are the other names customers use; an alias
	 * with a customer_id was learned from an operator's correction and
	 * applies to that customer only ('' = everyone). */
	"CREATE TABLE products ("
	"  sku    TEXT PRIMARY KEY,"
	"  name   TEXT NOT NULL,"
	"  unit   TEXT,"
	"  active INTEGER NOT NULL DEFAULT 1"
	");"
	"CREATE TABLE product_aliases ("
	"  alias       TEXT NOT NULL,"	/* normalised: lower-case, single spaces */
	"  sku         TEXT NOT NULL REFERENCES products(sku) ON DELETE CASCADE,"
	"  customer_id TEXT NOT NULL DEFAULT '',"
	"  source      TEXT NOT NULL DEFAULT 'import',"	/* import | operator */
	"  PRIMARY KEY (alias, customer_id, sku)"
	");"
	"CREATE INDEX product_aliases_sku ON product_aliases(sku);"

	/* Every email that reached the shop, kept raw for audit.  The
	 * dedupe key (Message-ID, or a content hash when there is none) makes
	 * a second copy of the same mail, after a crash or a UIDVALIDITY
	 * reset, land on the same row. */
	"CREATE TABLE messages ("
	"  id          INTEGER PRIMARY KEY,"
	"  dedupe_key  TEXT NOT NULL UNIQUE,"
	"  message_id  TEXT,"
	"  mailbox     TEXT,"
	"  uidvalidity INTEGER,"
	"  uid         INTEGER,"
	"  from_addr   TEXT,"
	"  reply_to    TEXT,"
	"  subject     TEXT,"
	"  date        TEXT,"
	"  refs        TEXT,"
	"  received_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
	"  state       TEXT NOT NULL DEFAULT 'received',"	/* received | parsing | done | failed */
	"  attempts    INTEGER NOT NULL DEFAULT 0,"
	"  error       TEXT,"
	"  body_text   TEXT,"		/* cleaned text the engine read */
	"  parse_json  TEXT,"		/* the engine's full result */
	"  raw         BLOB NOT NULL"
	");"
	"CREATE UNIQUE INDEX messages_imap ON messages(mailbox, uidvalidity, uid)"
	"  WHERE uid IS NOT NULL;"

	/* Orders: both those extracted from mail and the history imported
	 * from the shop's old system (status 'imported', message_id NULL).
	 * version is bumped on every change, for optimistic locking between
	 * the daemon and operators. */
	"CREATE TABLE orders ("
	"  id             INTEGER PRIMARY KEY,"
	"  ref            TEXT NOT NULL UNIQUE,"
	"  customer_id    TEXT REFERENCES customers(id),"
	"  message_id     INTEGER REFERENCES messages(id),"
	"  status         TEXT NOT NULL,"	/* imported|accepted|flagged|ignored|rejected|shipped */
	"  order_date     TEXT NOT NULL,"	/* YYYY-MM-DD */
	"  po_number      TEXT,"
	"  requested_date TEXT,"
	"  version        INTEGER NOT NULL DEFAULT 1,"
	"  created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
	"  updated_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))"
	");"
	"CREATE INDEX orders_customer ON orders(customer_id, order_date);"
	"CREATE INDEX orders_status ON orders(status);"
	"CREATE UNIQUE INDEX orders_message ON orders(message_id)"
	"  WHERE message_id IS NOT NULL;"
	"CREATE TABLE order_lines ("
	"  order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,"
	"  line_no  INTEGER NOT NULL,"
	"  sku      TEXT REFERENCES products(sku),"	/* NULL: not resolved yet */
	"  quantity INTEGER NOT NULL,"
	"  unit     TEXT,"
	"  text     TEXT,"		/* the words in the email */
	"  rule     TEXT,"		/* the rule that matched them */
	"  PRIMARY KEY (order_id, line_no)"
	");"
	"CREATE INDEX order_lines_sku ON order_lines(sku);"

	/* Why an order needs a person, and what the engine suggests. */
	"CREATE TABLE flags ("
	"  id       INTEGER PRIMARY KEY,"
	"  order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,"
	"  code     TEXT NOT NULL,"
	"  text     TEXT,"
	"  line_no  INTEGER,"
	"  resolved INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE INDEX flags_order ON flags(order_id);"
	"CREATE TABLE flag_candidates ("
	"  flag_id INTEGER NOT NULL REFERENCES flags(id) ON DELETE CASCADE,"
	"  rank    INTEGER NOT NULL,"
	"  sku     TEXT NOT NULL,"
	"  score   REAL,"
	"  PRIMARY KEY (flag_id, rank)"
	");"

	/* Replies waiting to leave.  The whole message, Message-ID included,
	 * is fixed when it is queued, so a retry is the same mail. */
	"CREATE TABLE outbox ("
	"  id              INTEGER PRIMARY KEY,"
	"  order_id        INTEGER REFERENCES orders(id),"
	"  kind            TEXT NOT NULL,"	/* confirmation|ack|question|rejection|shipping */
	"  message_id      TEXT NOT NULL UNIQUE,"
	"  rcpt            TEXT NOT NULL,"
	"  body            BLOB NOT NULL,"
	"  state           TEXT NOT NULL DEFAULT 'queued',"	/* queued|sent|failed|cancelled */
	"  attempts        INTEGER NOT NULL DEFAULT 0,"
	"  next_attempt_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
	"  last_error      TEXT,"
	"  created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
	"  sent_at         TEXT"
	");"
	"CREATE INDEX outbox_due ON outbox(state, next_attempt_at);"

	/* Every operator action, with who and when. */
	"CREATE TABLE audit_log ("
	"  id       INTEGER PRIMARY KEY,"
	"  at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
	"  operator TEXT NOT NULL,"
	"  action   TEXT NOT NULL,"
	"  order_id INTEGER REFERENCES orders(id),"
	"  detail   TEXT"
	");"
	"CREATE INDEX audit_log_order ON audit_log(order_id);";

static const char migration_2[] =
	/* Where the daemon is in each mailbox, for servers where processed
	 * mail stays in the inbox (after_processing = seen). */
	"CREATE TABLE imap_cursors ("
	"  mailbox     TEXT PRIMARY KEY,"	/* "user@host/INBOX" */
	"  uidvalidity INTEGER NOT NULL,"
	"  next_uid    INTEGER NOT NULL"
	");"

	/* A counter bumped by every change to the catalog, so a running
	 * daemon notices an import or a learned alias and reloads its
	 * in-memory index, without polling the tables themselves. */
	"CREATE TABLE store_meta ("
	"  key   TEXT PRIMARY KEY,"
	"  value INTEGER NOT NULL"
	");"
	"INSERT INTO store_meta VALUES ('catalog_version', 1);"
	"CREATE TRIGGER products_ai AFTER INSERT ON products BEGIN"
	"  UPDATE store_meta SET value = value + 1 WHERE key = 'catalog_version'; END;"
	"CREATE TRIGGER products_au AFTER UPDATE ON products BEGIN"
	"  UPDATE store_meta SET value = value + 1 WHERE key = 'catalog_version'; END;"
	"CREATE TRIGGER products_ad AFTER DELETE ON products BEGIN"
	"  UPDATE store_meta SET value = value + 1 WHERE key = 'catalog_version'; END;"
	"CREATE TRIGGER aliases_ai AFTER INSERT ON product_aliases BEGIN"
	"  UPDATE store_meta SET value = value + 1 WHERE key = 'catalog_version'; END;"
	"CREATE TRIGGER aliases_au AFTER UPDATE ON product_aliases BEGIN"
	"  UPDATE store_meta SET value = value + 1 WHERE key = 'catalog_version'; END;"
	"CREATE TRIGGER aliases_ad AFTER DELETE ON product_aliases BEGIN"
	"  UPDATE store_meta SET value = value + 1 WHERE key = 'catalog_version'; END;";

static const char migration_3[] =
	/* What replies need from the customer's message beyond migration 1:
	 * the display name to greet, and the headers that tell an
	 * automatic or looping message (RFC 3834) and its age. */
	"ALTER TABLE messages ADD COLUMN from_name TEXT;"
	"ALTER TABLE messages ADD COLUMN in_reply_to TEXT;"
	"ALTER TABLE messages ADD COLUMN auto_submitted TEXT;"
	"ALTER TABLE messages ADD COLUMN date_ts INTEGER;"	/* Unix time, NULL: unknown */

	/* 1 once a sent reply has been copied to the shop's Sent folder;
	 * kept apart from state so a copy can be retried later. */
	"ALTER TABLE outbox ADD COLUMN copied INTEGER NOT NULL DEFAULT 0;"
	/* Per-recipient rate limit: replies to one address in the last hour. */
	"CREATE INDEX outbox_rcpt ON outbox(rcpt, created_at);";

static const char migration_4[] =
	/* The raw message moves to a table of its own.  SQLite rewrites a
	 * whole row, overflow pages included, on every UPDATE, so with the
	 * raw mail inside messages each state change copied kilobytes of
	 * mail into the WAL: about a third of the worker's time per
	 * message.  The raw mail is written once and never changes. */
	"CREATE TABLE message_raw ("
	"  message_id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,"
	"  raw        BLOB NOT NULL"
	");"
	"INSERT INTO message_raw (message_id, raw) SELECT id, raw FROM messages;"
	"ALTER TABLE messages DROP COLUMN raw;";

static const char migration_5[] =
	/* A counter bumped by every change to an order, so the worker can
	 * keep customers' histories cached across batches and still notice
	 * an operator's edit or an import (order lines never change without
	 * their order's version going up). */
	"INSERT INTO store_meta VALUES ('history_version', 1);"
	"CREATE TRIGGER orders_ai AFTER INSERT ON orders BEGIN"
	"  UPDATE store_meta SET value = value + 1 WHERE key = 'history_version'; END;"
	"CREATE TRIGGER orders_au AFTER UPDATE ON orders BEGIN"
	"  UPDATE store_meta SET value = value + 1 WHERE key = 'history_version'; END;"
	"CREATE TRIGGER orders_ad AFTER DELETE ON orders BEGIN"
	"  UPDATE store_meta SET value = value + 1 WHERE key = 'history_version'; END;";

static const char migration_6[] =
	/* What `mailorder report` and `export` read.  A report walks the
	 * orders of a period by day, then the lines, audit rows, flags,
	 * confirmations and arrivals of that range of order ids, each in
	 * index order (store/report.c says why); every index here covers
	 * its walk, so no walk reads a table row.  messages_arrival is
	 * there because a message row holds the mail's text: reading
	 * received_at from the table would read a page per mail.  The
	 * customer index gains the status so a customer's rhythm is read
	 * from it alone; flags and audit rows gain their code and action.
	 * Each replaced index is a prefix of its successor. */
	"CREATE INDEX orders_day ON orders(order_date, status, customer_id,"
	"  message_id);"
	"DROP INDEX orders_customer;"
	"CREATE INDEX orders_customer ON orders(customer_id, order_date, status);"
	"CREATE INDEX order_lines_order ON order_lines(order_id, sku, quantity);"
	"DROP INDEX audit_log_order;"
	"CREATE INDEX audit_log_order ON audit_log(order_id, action);"
	"CREATE INDEX audit_log_at ON audit_log(at, action);"
	"DROP INDEX flags_order;"
	"CREATE INDEX flags_order ON flags(order_id, code);"
	"CREATE INDEX outbox_order ON outbox(order_id, kind, state, sent_at);"
	"CREATE INDEX messages_arrival ON messages(id, received_at);";

static const char migration_7[] =
	/* `mailorder export --new`: each run records which version of
	 * which order it exported (the cursor: an order is new to a format
	 * while its version is above every exported one) and the files it
	 * writes, rendered, in the same transaction.  The files are then
	 * written from the store, and a run is done once they all exist, so
	 * a crash between the commit and the last file only leaves files to
	 * write again from the same bytes: nothing is exported twice and
	 * nothing is lost.  A done run keeps its items, not its files. */
	"CREATE TABLE export_runs ("
	"  id         INTEGER PRIMARY KEY,"
	"  format     TEXT NOT NULL,"		/* csv | json | ubl */
	"  dir        TEXT NOT NULL,"		/* absolute --out */
	"  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
	"  done_at    TEXT"
	");"
	"CREATE INDEX export_runs_open ON export_runs(format, done_at);"
	"CREATE TABLE export_items ("
	"  run_id   INTEGER NOT NULL REFERENCES export_runs(id) ON DELETE CASCADE,"
	"  order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,"
	"  version  INTEGER NOT NULL,"
	"  PRIMARY KEY (run_id, order_id)"
	");"
	"CREATE INDEX export_items_order ON export_items(order_id, version);"
	"CREATE TABLE export_files ("
	"  run_id INTEGER NOT NULL REFERENCES export_runs(id) ON DELETE CASCADE,"
	"  name   TEXT NOT NULL,"
	"  body   BLOB NOT NULL,"
	"  PRIMARY KEY (run_id, name)"
	");";

static const char migration_8[] =
	/* Webhook events waiting to be posted: queued in the transaction
	 * that changes the order, with the body fixed then, so a retry
	 * posts the same bytes under the same key.  The key is the order's
	 * reference, the event and the order's version: one key per
	 * change, whatever happens to the delivery. */
	"CREATE TABLE webhook_events ("
	"  id              INTEGER PRIMARY KEY,"
	"  order_id        INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,"
	"  event           TEXT NOT NULL,"	/* accepted|approved|edited|shipped|rejected */
	"  idem_key        TEXT NOT NULL UNIQUE,"
	"  body            TEXT NOT NULL,"
	"  state           TEXT NOT NULL DEFAULT 'queued',"	/* queued|sent|failed */
	"  attempts        INTEGER NOT NULL DEFAULT 0,"
	"  next_attempt_at INTEGER NOT NULL DEFAULT (unixepoch()),"
	"  last_error      TEXT,"
	"  created_at      INTEGER NOT NULL DEFAULT (unixepoch()),"
	"  sent_at         INTEGER"
	");"
	"CREATE INDEX webhook_events_due ON webhook_events(state, next_attempt_at);";

static const char migration_9[] =
	/* The conversation with each customer.  A complaint is
	 * answered before anything else, so the queue puts it first; the
	 * engine says which mail with no order in it complains. */
	"ALTER TABLE orders ADD COLUMN complaint INTEGER NOT NULL DEFAULT 0;"

	/* Mail that answers one of ours joins that order's conversation
	 * instead of making an order of its own: order_id is the order it
	 * joined (NULL for a message that made its own order). */
	"ALTER TABLE messages ADD COLUMN order_id INTEGER REFERENCES orders(id);"
	"CREATE INDEX messages_order ON messages(order_id)"
	"  WHERE order_id IS NOT NULL;"
	/* The order lines an answer holds: offered to the operator as
	 * changes to the order, never applied by themselves. */
	"CREATE TABLE offered_lines ("
	"  message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,"
	"  line_no    INTEGER NOT NULL,"
	"  sku        TEXT,"		/* NULL: not resolved */
	"  quantity   INTEGER NOT NULL,"
	"  unit       TEXT,"
	"  text       TEXT,"
	"  PRIMARY KEY (message_id, line_no)"
	");"
	/* Replies are found by their order when an answer names one:
	 * outbox_order (migration 6) serves that. */

	/* Whether a product can be sold now: available | out_of_stock |
	 * discontinued.  A line for one that is not is flagged for a person,
	 * with the nearest available products.  Changing it moves the
	 * catalog version (products_au), so a running daemon sees it. */
	"ALTER TABLE products ADD COLUMN availability TEXT NOT NULL"
	"  DEFAULT 'available';"

	/* 1 for a reply a person triggered (approve, ask, reject, ship): it
	 * waits [reply] undo_seconds in the outbox before it leaves, so
	 * undo can still take it back, as mail programs do for "undo
	 * send". */
	"ALTER TABLE outbox ADD COLUMN manual INTEGER NOT NULL DEFAULT 0;";

static const char migration_10[] =
	/* How many orders there are in each status, kept by triggers: the
	 * queue's title and `mailorder status` show them, and counting a
	 * year's half million orders took 50 ms on every opening. */
	"CREATE TABLE order_status_counts ("
	"  status TEXT PRIMARY KEY,"
	"  n      INTEGER NOT NULL"
	") WITHOUT ROWID;"
	"INSERT INTO order_status_counts"
	"  SELECT status, count(*) FROM orders GROUP BY status;"
	"CREATE TRIGGER orders_count_ai AFTER INSERT ON orders BEGIN"
	"  INSERT INTO order_status_counts VALUES (new.status, 1)"
	"  ON CONFLICT (status) DO UPDATE SET n = n + 1; END;"
	"CREATE TRIGGER orders_count_ad AFTER DELETE ON orders BEGIN"
	"  UPDATE order_status_counts SET n = n - 1"
	"  WHERE status = old.status; END;"
	"CREATE TRIGGER orders_count_au AFTER UPDATE OF status ON orders"
	"  WHEN old.status IS NOT new.status BEGIN"
	"  UPDATE order_status_counts SET n = n - 1"
	"  WHERE status = old.status;"
	"  INSERT INTO order_status_counts VALUES (new.status, 1)"
	"  ON CONFLICT (status) DO UPDATE SET n = n + 1; END;";

static const char migration_11[] =
	/* A product's lines by quantity: the largest any customer took of
	 * it is the first that belongs to an order that happened, read
	 * from the top of the index, not from the thousands of lines a
	 * year holds of it (an unusual first order, engine/read.c).  It
	 * serves whatever order_lines_sku served. */
	"CREATE INDEX order_lines_sku_quantity ON order_lines(sku, quantity);"
	"DROP INDEX order_lines_sku;";

const struct store_migration store_migrations[] = {
	{ 1, migration_1 },
	{ 2, migration_2 },
	{ 3, migration_3 },
	{ 4, migration_4 },
	{ 5, migration_5 },
	{ 6, migration_6 },
	{ 7, migration_7 },
	{ 8, migration_8 },
	{ 9, migration_9 },
	{ 10, migration_10 },
	{ 11, migration_11 },
};
const size_t store_migrations_count =
    sizeof(store_migrations) / sizeof(store_migrations[0]);

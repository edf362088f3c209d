/*
 * store/: creation, migration, version checks, transactions.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "common/error.h"
#include "store/customer.h"
#include "store/health.h"
#include "store/query.h"
#include "store/store.h"
#include "store/store_int.h"
#include "store/webhook.h"
#include "tests/unit/helpers.h"

struct fixture {
	char	dir[64];
	char	path[128];
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	th_tmpdir(f->dir, "store");
	snprintf(f->path, sizeof(f->path), "%s/test.db", f->dir);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	if (th_rmdir(f->dir) != 0)
		return -1;
	free(f);
	return 0;
}

static void
test_open_creates_latest_schema(void **state)
{
	struct fixture *f = *state;
	struct store *st;
	struct err err;

	st = store_open(f->path, 0, &err);
	assert_non_null(st);
	assert_int_equal(store_schema_version(st), store_schema_latest());
	store_close(st);
	assert_int_equal(th_db_int(f->path, "PRAGMA user_version"),
	    store_schema_latest());
	/* WAL is a property of the file and must have stuck. */
	assert_int_equal(th_db_int(f->path,
	    "SELECT journal_mode = 'wal' FROM pragma_journal_mode"), 1);
	assert_int_equal(th_db_int(f->path,
	    "SELECT count(*) FROM sqlite_schema WHERE name IN ('customers',"
	    "'customer_addresses','products','product_aliases','messages',"
	    "'orders','order_lines','flags','flag_candidates','outbox',"
	    "'audit_log')"), 11);
}

static void
test_reopen_is_idempotent(void **state)
{
	struct fixture *f = *state;
	struct store *st;
	struct err err;

	st = store_open(f->path, 0, &err);
	assert_non_null(st);
	store_close(st);
	st = store_open(f->path, 0, &err);
	assert_non_null(st);
	assert_int_equal(store_schema_version(st), store_schema_latest());
	store_close(st);
}

/* A store written by an older mailorder is brought forward on open and
 * keeps its mail: version 4 moved the raw message out of messages. */
/* A store as schema version v left it (the migrations up to v, run
 * without store_open()), holding what sql inserts. */
static void
old_store(const char *path, int v, const char *sql)
{
	char bump[64];
	sqlite3 *db;
	size_t i;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	for (i = 0; i < store_migrations_count &&
	    store_migrations[i].version <= v; i++)
		assert_int_equal(sqlite3_exec(db, store_migrations[i].sql,
		    NULL, NULL, NULL), SQLITE_OK);
	snprintf(bump, sizeof(bump), "PRAGMA user_version = %d", v);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, bump, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void
test_migrates_old_store(void **state)
{
	struct fixture *f = *state;
	struct store *st;
	struct err err;

	old_store(f->path, 3,
	    "INSERT INTO messages (id, dedupe_key, raw) VALUES"
	    " (7, 'mid:a@b', 'Subject: hi\r\n\r\nbody');");

	assert_non_null(st = store_open(f->path, 0, &err));
	assert_int_equal(store_schema_version(st), store_schema_latest());
	store_close(st);
	assert_int_equal(th_db_int(f->path, "SELECT count(*) FROM"
	    " message_raw WHERE message_id = 7 AND raw ="
	    " 'Subject: hi\r\n\r\nbody'"), 1);
	assert_int_equal(th_db_int(f->path, "SELECT count(*) FROM"
	    " pragma_table_info('messages') WHERE name = 'raw'"), 0);
}

/* The status counts (migration 10) start from the orders a store
 * already holds and follow every insert, status change and delete. */
static void
test_status_counts_follow_orders(void **state)
{
	struct fixture *f = *state;
	struct store *st;
	struct err err;
	static const char wrong[] =
	    "SELECT (SELECT count(*) FROM order_status_counts s"
	    "  WHERE n <> (SELECT count(*) FROM orders o"
	    "  WHERE o.status = s.status))"
	    " + (SELECT count(*) FROM orders o WHERE NOT EXISTS"
	    "  (SELECT 1 FROM order_status_counts s"
	    "  WHERE s.status = o.status))";

	old_store(f->path, 9,
	    "INSERT INTO orders (id, ref, customer_id, status, order_date)"
	    " VALUES (1, 'MO-1', 'C1', 'accepted', '2026-12-01'),"
	    " (2, 'MO-2', 'C1', 'accepted', '2026-12-01'),"
	    " (3, 'MO-3', 'C1', 'flagged', '2026-12-01');");
	assert_non_null(st = store_open(f->path, 0, &err));
	store_close(st);
	assert_int_equal(th_db_int(f->path, "SELECT n FROM order_status_counts"
	    " WHERE status = 'accepted'"), 2);
	assert_int_equal(th_db_int(f->path, wrong), 0);

	th_db_exec(f->path, "INSERT INTO orders (id, ref, customer_id, status,"
	    " order_date) VALUES (4, 'MO-4', 'C1', 'shipped', '2026-12-02');"
	    "UPDATE orders SET status = 'shipped' WHERE id = 1;"
	    "UPDATE orders SET status = 'accepted', version = 2 WHERE id = 2;"
	    "DELETE FROM orders WHERE id = 3;");
	assert_int_equal(th_db_int(f->path, "SELECT n FROM order_status_counts"
	    " WHERE status = 'shipped'"), 2);
	assert_int_equal(th_db_int(f->path, "SELECT n FROM order_status_counts"
	    " WHERE status = 'flagged'"), 0);
	assert_int_equal(th_db_int(f->path, wrong), 0);
}

static void
test_refuses_newer_schema(void **state)
{
	struct fixture *f = *state;
	struct store *st;
	struct err err;
	sqlite3 *db;
	char sql[64];

	st = store_open(f->path, 0, &err);
	store_close(st);
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
	    store_schema_latest() + 1);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	assert_null(store_open(f->path, 0, &err));
	assert_int_equal(err.cls, ERR_CONFIG);
	assert_non_null(strstr(err.msg, "newer than this mailorder"));
}

static void
test_refuses_foreign_database(void **state)
{
	struct fixture *f = *state;
	struct err err;
	sqlite3 *db;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL,
	    NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_null(store_open(f->path, 0, &err));
	assert_int_equal(err.cls, ERR_CONFIG);
	assert_non_null(strstr(err.msg, "not a mailorder database"));
}

static void
test_refuses_non_sqlite_file(void **state)
{
	struct fixture *f = *state;
	struct err err;
	FILE *fp;
	int i;

	fp = fopen(f->path, "w");
	for (i = 0; i < 100; i++)
		fputs("this is not a database at all\n", fp);
	fclose(fp);
	assert_null(store_open(f->path, 0, &err));
	assert_int_equal(err.cls, ERR_CONFIG);
	assert_non_null(strstr(err.msg, f->path));
}

static void
test_rollback_discards(void **state)
{
	struct fixture *f = *state;
	struct store *st;
	struct err err;

	st = store_open(f->path, 0, &err);
	assert_non_null(st);
	assert_int_equal(store_begin(st, &err), 0);
	store_rollback(st);
	store_rollback(st);	/* harmless without a transaction */
	assert_int_equal(store_begin(st, &err), 0);
	assert_int_equal(store_commit(st, &err), 0);
	store_close(st);
}

static void
test_second_writer_waits_then_fails_temporarily(void **state)
{
	struct fixture *f = *state;
	struct store *st;
	struct err err;
	sqlite3 *db;

	st = store_open(f->path, 0, &err);
	assert_non_null(st);
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL),
	    SQLITE_OK);
	/* The busy timeout is 10 s; keep the test short by holding the lock
	 * in-process and checking only the class of the failure. */
	sqlite3_busy_timeout(db, 0);
	assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(store_begin(st, &err), 0);
	assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL),
	    SQLITE_BUSY);
	assert_int_equal(store_commit(st, &err), 0);
	sqlite3_close(db);
	store_close(st);
}

static void
test_nested_transactions(void **state)
{
	struct fixture *f = *state;
	struct store *st;
	struct err err;

	st = store_open(f->path, 0, &err);
	assert_non_null(st);
	assert_int_equal(store_begin(st, &err), 0);
	assert_int_equal(store_customer_upsert(st, "A", "kept", &err), 0);
	assert_int_equal(store_begin(st, &err), 0);	/* a savepoint */
	assert_int_equal(store_customer_upsert(st, "B", "undone", &err), 0);
	store_rollback(st);				/* undoes B only */
	assert_int_equal(store_begin(st, &err), 0);
	assert_int_equal(store_customer_upsert(st, "C", "kept", &err), 0);
	assert_int_equal(store_commit(st, &err), 0);	/* releases C */
	/* Reads inside the write transaction see its work. */
	assert_int_equal(store_read_begin(st, &err), 0);
	assert_int_equal(store_customer_exists(st, "C", &err), 1);
	store_read_end(st);
	assert_int_equal(store_commit(st, &err), 0);	/* commits A and C */
	store_close(st);
	assert_int_equal(th_db_int(f->path,
	    "SELECT count(*) FROM customers WHERE id IN ('A', 'C')"), 2);
	assert_int_equal(th_db_int(f->path,
	    "SELECT count(*) FROM customers WHERE id = 'B'"), 0);
}

/* Rows of orders read in a full scan by the statements that finished
 * while it was installed (SQLITE_TRACE_PROFILE runs as each ends). */
static int
orders_scan_trace(unsigned type, void *arg, void *p, void *x)
{
	sqlite3_stmt *s = p;

	(void)type;
	(void)x;
	if (strstr(sqlite3_sql(s), "FROM orders o") != NULL)
		*(int *)arg += sqlite3_stmt_status(s,
		    SQLITE_STMTSTATUS_FULLSCAN_STEP, 0);
	return 0;
}

static int
count_rows(void *arg, const struct store_order_row *r)
{
	(void)r;
	(*(int *)arg)++;
	return 0;
}

/* `mailorder list` with a filter reads what matches from an index, not
 * the newest orders one by one until enough match: two of 3,000 orders
 * match each filter here, so a scan would read all 3,000. */
static void
test_filtered_list_uses_indexes(void **state)
{
	struct fixture *f = *state;
	struct store_order_filter flt;
	struct store *st;
	struct err err;
	int scanned, n, i;

	assert_non_null(st = store_open(f->path, 0, &err));
	th_db_exec(f->path, "INSERT INTO customers (id, name) VALUES"
	    " ('MANY', 'Many'), ('FEW', 'Few');"
	    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
	    "  WHERE i < 3000)"
	    " INSERT INTO messages (id, dedupe_key) SELECT i, 'k' || i FROM n;"
	    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
	    "  WHERE i < 3000)"
	    " INSERT INTO orders (id, ref, customer_id, message_id, status,"
	    "  order_date) SELECT i, 'MO-' || i,"
	    "  CASE WHEN i IN (7, 2999) THEN 'FEW' ELSE 'MANY' END, i,"
	    "  CASE WHEN i IN (7, 2999) THEN 'flagged' ELSE 'accepted' END,"
	    "  '2026-12-01' FROM n;"
	    "INSERT INTO flags (order_id, code) VALUES (7, 'no_items'),"
	    " (2999, 'no_items');");
	sqlite3_trace_v2(st->db, SQLITE_TRACE_PROFILE, orders_scan_trace,
	    &scanned);
	for (i = 0; i < 3; i++) {
		memset(&flt, 0, sizeof(flt));
		if (i == 0)
			flt.status = "Flagged";
		else if (i == 1)
			flt.flag = "NO_ITEMS";	/* any case, as typed */
		else
			flt.customer = "few";
		flt.limit = 200;
		scanned = n = 0;
		err_clear(&err);
		assert_int_equal(store_orders_foreach(st, &flt, count_rows, &n,
		    &err), 0);
		assert_int_equal(n, 2);
		assert_true(scanned < 100);
	}
	/* No filter: the newest 200, read newest first. */
	memset(&flt, 0, sizeof(flt));
	flt.limit = 200;
	n = 0;
	assert_int_equal(store_orders_foreach(st, &flt, count_rows, &n, &err),
	    0);
	assert_int_equal(n, 200);
	sqlite3_trace_v2(st->db, 0, NULL, NULL);
	store_close(st);
}

/* Full-scan steps of the cached statements over webhook_events since
 * the last call (which resets them). */
static int
webhook_fullscans(struct store *st)
{
	sqlite3_stmt *s = NULL;
	int n = 0;

	while ((s = sqlite3_next_stmt(st->db, s)) != NULL)
		if (strstr(sqlite3_sql(s), "webhook_events") != NULL)
			n += sqlite3_stmt_status(s,
			    SQLITE_STMTSTATUS_FULLSCAN_STEP, 1);
	return n;
}

/* `mailorder status` and the metrics count webhook events by state,
 * with the oldest queued and the latest failure (when it failed, which
 * store_webhook_failed() records), all from webhook_events_due: without
 * that index the same read scans the table. */
static void
test_health_webhooks(void **state)
{
	struct fixture *f = *state;
	struct store_health h;
	struct store *st;
	struct err err;

	assert_non_null(st = store_open(f->path, 0, &err));
	th_db_exec(f->path, "INSERT INTO orders (id, ref, status, order_date)"
	    " VALUES (1, 'MO-1', 'accepted', '2026-12-04');"
	    "INSERT INTO webhook_events (id, order_id, event, idem_key, body,"
	    " state, next_attempt_at, last_error, created_at) VALUES"
	    " (1, 1, 'accepted', 'k1', '{}', 'sent', 100, NULL, 100),"
	    " (2, 1, 'edited', 'k2', '{}', 'sent', 100, NULL, 100),"
	    " (3, 1, 'shipped', 'k3', '{}', 'queued', 2100, NULL, 2000),"
	    " (4, 1, 'approved', 'k4', '{}', 'queued', 1600, 'HTTP 503', 1500),"
	    " (5, 1, 'rejected', 'k5', '{}', 'failed', 500, 'old', 400),"
	    " (6, 1, 'rejected', 'k6', '{}', 'queued', 2900, 'HTTP 500', 2800);");
	err_clear(&err);
	assert_int_equal(store_webhook_failed(st, 6, 3000, "HTTP 410", &err), 0);
	assert_int_equal(store_health_read(st, &h, &err), 0);
	assert_int_equal(store_counts_get(&h.webhooks, "queued"), 2);
	assert_int_equal(store_counts_get(&h.webhooks, "failed"), 2);
	assert_int_equal(store_counts_get(&h.webhooks, "sent"), 2);
	assert_int_equal(h.oldest_webhook, 1500);
	assert_int_equal(h.webhook_failed_at, 3000);
	assert_string_equal(h.webhook_error, "HTTP 410");
	assert_int_equal(webhook_fullscans(st), 0);

	th_db_exec(f->path, "DROP INDEX webhook_events_due");
	assert_int_equal(store_health_read(st, &h, &err), 0);
	assert_true(webhook_fullscans(st) > 0);
	store_close(st);

	/* Nothing queued or failed: no times, no error. */
	th_db_exec(f->path, "DELETE FROM webhook_events");
	assert_non_null(st = store_open(f->path, 0, &err));
	assert_int_equal(store_health_read(st, &h, &err), 0);
	assert_int_equal(h.oldest_webhook, 0);
	assert_int_equal(h.webhook_failed_at, 0);
	assert_string_equal(h.webhook_error, "");
	assert_int_equal(store_counts_get(&h.webhooks, "failed"), 0);
	store_close(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_creates_latest_schema,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen_is_idempotent,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrates_old_store,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_status_counts_follow_orders, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refuses_newer_schema,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_refuses_foreign_database,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_refuses_non_sqlite_file,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_rollback_discards,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_nested_transactions,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_second_writer_waits_then_fails_temporarily,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_filtered_list_uses_indexes,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_health_webhooks,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

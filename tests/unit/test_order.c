/*
 * store/order: a message is recorded once however often it arrives, and
 * an order keeps its lines, flags and candidates.
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

#include "ingest/thread.h"
#include "store/order.h"
#include "store/store.h"
#include "tests/unit/helpers.h"
#include "store/thread.h"

struct fixture {
	char		 dir[64];
	char		 path[128];
	struct store	*st;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct err err;

	th_tmpdir(f->dir, "order");
	snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
	assert_non_null(f->st = store_open(f->path, 0, &err));
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	store_close(f->st);
	assert_int_equal(th_rmdir(f->dir), 0);
	free(f);
	return 0;
}

static void
test_arrive_dedupes(void **state)
{
	struct fixture *f = *state;
	struct store_message m = {
		.dedupe_key = "mid:abc@example.test", .message_id =
		"abc@example.test", .mailbox = "INBOX", .uidvalidity = 7,
		.uid = 1, .from_addr = "a@example.test", .raw = "raw",
		.rawlen = 3,
	};
	enum store_message_state state_s;
	int64_t id1, id2, id3;
	struct err err;
	int attempts;

	assert_int_equal(store_message_arrive(f->st, &m, &id1, &state_s,
	    &attempts, &err), 0);
	assert_int_equal(state_s, STORE_MESSAGE_RECEIVED);
	assert_int_equal(attempts, 1);

	/* Same mail again, after a UIDVALIDITY reset: same row. */
	m.uidvalidity = 8;
	m.uid = 5;
	assert_int_equal(store_message_arrive(f->st, &m, &id2, &state_s,
	    &attempts, &err), 0);
	assert_int_equal(id1, id2);
	assert_int_equal(attempts, 2);
	assert_int_equal(th_db_int(f->path, "SELECT uid FROM messages"), 5);

	/* A different mail that now sits at that old location. */
	m.dedupe_key = "mid:other@example.test";
	m.uidvalidity = 8;
	m.uid = 5;
	assert_int_equal(store_message_arrive(f->st, &m, &id3, &state_s,
	    &attempts, &err), 0);
	assert_true(id3 != id1);
	assert_int_equal(th_db_int(f->path, "SELECT count(*) FROM messages"), 2);
	assert_int_equal(th_db_int(f->path, "SELECT count(*) FROM messages WHERE "
	    "uid IS NULL"), 1);

	assert_int_equal(store_message_fail(f->st, id3, "crashed the parser",
	    &err), 0);
	assert_int_equal(th_db_int(f->path, "SELECT count(*) FROM messages WHERE "
	    "state = 'failed'"), 1);
}

static void
test_order_insert(void **state)
{
	struct fixture *f = *state;
	struct store_message m = {
		.dedupe_key = "sha256:00", .raw = "x", .rawlen = 1,
	};
	static const struct store_order_line lines[] = {
		{ NULL, 3, "bag", "3 bags of unicorn dust", "qty-unit-item" },
	};
	static const struct store_order_candidate cands[] = {
		{ "HB-1KG", 0.4 },
	};
	static const struct store_order_flag flags[] = {
		{ "unknown_product", "no product matches", 0, cands, 1 },
	};
	struct store_order o = {
		.status = "flagged", .order_date = "2026-11-23",
		.lines = lines, .nlines = 1, .flags = flags, .nflags = 1,
	};
	enum store_message_state state_s;
	char ref[STORE_REF_MAX];
	int64_t mid, oid, found;
	struct err err;
	int attempts;

	assert_int_equal(store_message_arrive(f->st, &m, &mid, &state_s,
	    &attempts, &err), 0);
	o.message_id = mid;
	assert_int_equal(store_order_of_message(f->st, mid, &found, &err), 0);
	assert_int_equal(store_begin(f->st, &err), 0);
	assert_int_equal(store_order_insert(f->st, &o, &oid, ref, &err), 0);
	assert_int_equal(store_message_done(f->st, mid, "text", "{}", &err), 0);
	assert_int_equal(store_commit(f->st, &err), 0);
	assert_string_equal(ref, "MO-1");
	assert_int_equal(store_order_of_message(f->st, mid, &found, &err), 1);
	assert_int_equal(found, oid);
	assert_int_equal(th_db_int(f->path, "SELECT count(*) FROM order_lines WHERE "
	    "sku IS NULL AND quantity = 3"), 1);
	assert_int_equal(th_db_int(f->path, "SELECT count(*) FROM flags f JOIN "
	    "flag_candidates c ON c.flag_id = f.id WHERE f.line_no = 1 AND "
	    "c.sku = 'HB-1KG'"), 1);

	/* A second order for the same message is refused. */
	assert_int_equal(store_begin(f->st, &err), 0);
	assert_int_equal(store_order_insert(f->st, &o, &oid, ref, &err), -1);
	assert_int_equal(err.cls, ERR_INPUT);
	store_rollback(f->st);
	assert_int_equal(th_db_int(f->path, "SELECT count(*) FROM orders"), 1);
}

static void
exec_sql(struct fixture *f, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* An answer joins the order whose reply it names, or whose tag it
 * carries from the same customer; it is then that message's order for
 * good (a second delivery is "already").  An answer to a shipped order
 * is an order of its own. */
static void
test_thread_join(void **state)
{
	struct fixture *f = *state;
	static const struct store_order_line offered[] = {
		{ "HB-1KG", 4, "bag", "4 bags of house blend", "qty-unit-item" },
		{ NULL, 1, NULL, "one of the purple ones", "qty-item" },
	};
	struct store_thread_answer a = { 1, 2, "the customer answered: 'x'",
	    offered, 2 };
	char ref[STORE_REF_MAX];
	struct err err;
	int64_t id;

	exec_sql(f,
	    "INSERT INTO customers (id, name) VALUES ('C1', 'Bluebird'),"
	    " ('C2', 'Other');"
	    "INSERT INTO products (sku, name) VALUES ('HB-1KG', 'House');"
	    "INSERT INTO messages (id, dedupe_key, message_id, from_addr)"
	    " VALUES (1, 'k1', 'm1@c.test', 'a@c.test'),"
	    " (2, 'k2', 'm2@c.test', 'a@c.test'),"
	    " (3, 'k3', 'm3@c.test', 'nobody@x.test');"
	    "INSERT INTO orders (id, ref, customer_id, message_id, status,"
	    " order_date) VALUES (1, 'MO-1', 'C1', 1, 'accepted', '2026-01-01'),"
	    " (2, 'MO-2', NULL, 3, 'shipped', '2026-01-01');"
	    "INSERT INTO outbox (order_id, kind, message_id, rcpt, body)"
	    " VALUES (1, 'confirmation', 'mailorder.MO-1.x@shop.test',"
	    " 'a@c.test', 'm');");
	assert_int_equal(store_thread_order_of_reply(f->st,
	    "mailorder.MO-1.x@shop.test", &id, &err), 1);
	assert_int_equal(id, 1);
	assert_int_equal(store_thread_order_of_reply(f->st,
	    "someone.else@shop.test", &id, &err), 0);
	/* The tag counts from the order's customer only. */
	assert_int_equal(store_thread_order_of_ref(f->st, "MO-1", "C1", NULL,
	    &id, &err), 1);
	assert_int_equal(store_thread_order_of_ref(f->st, "mo-1", "C2",
	    "a@c.test", &id, &err), 0);
	assert_int_equal(store_thread_order_of_ref(f->st, "MO-1", NULL,
	    "a@c.test", &id, &err), 0);
	/* MO-2 is shipped; as flagged, its unknown sender's tag counts. */
	assert_int_equal(store_thread_order_of_ref(f->st, "MO-2", NULL,
	    "Nobody@X.test", &id, &err), 0);
	exec_sql(f, "UPDATE orders SET status = 'flagged' WHERE id = 2");
	assert_int_equal(store_thread_order_of_ref(f->st, "MO-2", NULL,
	    "Nobody@X.test", &id, &err), 1);
	assert_int_equal(store_thread_order_of_ref(f->st, "MO-2", NULL,
	    "a@c.test", &id, &err), 0);
	exec_sql(f, "UPDATE orders SET status = 'shipped' WHERE id = 1");
	assert_int_equal(store_thread_order_of_reply(f->st,
	    "mailorder.MO-1.x@shop.test", &id, &err), 0);
	exec_sql(f, "UPDATE orders SET status = 'accepted' WHERE id = 1");

	assert_int_equal(store_begin(f->st, &err), 0);
	assert_int_equal(store_thread_join(f->st, &a, ref, &err), 0);
	assert_int_equal(store_commit(f->st, &err), 0);
	assert_string_equal(ref, "MO-1");
	assert_int_equal(th_db_int(f->path, "SELECT count(*) FROM orders"
	    " WHERE id = 1 AND status = 'flagged' AND version = 2"), 1);
	assert_int_equal(th_db_int(f->path, "SELECT count(*) FROM flags f JOIN"
	    " flag_candidates c ON c.flag_id = f.id WHERE f.order_id = 1 AND"
	    " f.code = 'customer_answer' AND NOT f.resolved AND c.rank = 1"
	    " AND c.sku = 'HB-1KG'"), 1);
	assert_int_equal(th_db_int(f->path, "SELECT count(*) FROM offered_lines"
	    " WHERE message_id = 2"), 2);
	assert_int_equal(th_db_int(f->path, "SELECT count(*) FROM order_lines"), 0);
	assert_int_equal(store_order_of_message(f->st, 2, &id, &err), 1);
	assert_int_equal(id, 1);
}

static void
test_thread_tag(void **state)
{
	static const struct {
		const char	*subject, *ref;
	} cases[] = {
		{ "Re: Order for Monday [MO-58]", "MO-58" },
		{ "Re: [ext] Re: Order [mo-7] again", "MO-7" },
		{ "[MO-] [MO-x] [MO-12", NULL },
		{ "Re: [MO-3 ] [MO-4]", "MO-4" },
		{ "Order MO-5", NULL },
		{ "", NULL },
	};
	char ref[STORE_REF_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r = ingest_thread_tag(cases[i].subject, ref);

		assert_int_equal(r, cases[i].ref != NULL);
		if (r)
			assert_string_equal(ref, cases[i].ref);
	}
	assert_int_equal(ingest_thread_tag(NULL, ref), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_arrive_dedupes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_order_insert, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_thread_join, setup,
		    teardown),
		cmocka_unit_test(test_thread_tag),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

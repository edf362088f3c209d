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

#include "store/order.h"
#include "store/store.h"
#include "tests/unit/helpers.h"

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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_arrive_dedupes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_order_insert, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * store/outbox: the reply queue's state machine.  A queued reply is due at
 * once, a transient failure waits with doubling backoff up to the
 * maximum, a permanent one or one past give-up ends as failed with a flag
 * the operator sees, a sent one never goes out again, and what replies
 * are composed from reads back complete.
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

#include "store/outbox.h"
#include "store/store.h"
#include "tests/unit/helpers.h"

#define T0	1700000000	/* a fixed "now" */

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

	th_tmpdir(f->dir, "outbox");
	snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
	assert_non_null(f->st = store_open(f->path, 0, &err));
	th_db_exec(f->path, "INSERT INTO customers (id, name, greeting, note) VALUES"
	    " ('C1', 'Bluebird Cafe', 'Dear Anna,', 'Closed on Mondays.');"
	    "INSERT INTO products (sku, name, unit) VALUES"
	    " ('HB-1', 'House Blend 1kg', 'bag'), ('CUP-12', '12oz Cups', NULL);"
	    "INSERT INTO messages (id, dedupe_key, message_id, from_addr,"
	    " reply_to, subject, refs) VALUES (1, 'mid:m1@c.test',"
	    " 'm1@c.test', 'anna@c.test', NULL, 'Order', '<r0@c.test>');"
	    "INSERT INTO orders (id, ref, customer_id, message_id, status,"
	    " order_date, po_number) VALUES (1, 'MO-1', 'C1', 1, 'accepted',"
	    " '2026-01-02', 'PO-9');"
	    "INSERT INTO order_lines (order_id, line_no, sku, quantity, unit,"
	    " text) VALUES (1, 1, 'HB-1', 3, NULL, '3 bags of house blend'),"
	    " (1, 2, 'CUP-12', 2, 'case', 'two cases of cups'),"
	    " (1, 3, NULL, 1, NULL, 'that thing');");
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

static int64_t
queue(struct fixture *f, const char *mid, time_t now)
{
	struct err err;
	int64_t id = 0;

	assert_int_equal(store_outbox_insert(f->st, 1, "confirmation", mid,
	    "anna@c.test", "Subject: x\r\n\r\nbody\r\n", 21, now, 0, &id, &err),
	    0);
	assert_true(id > 0);
	return id;
}

/* A reply a person triggered waits its undo window; an automatic one
 * leaves at once. */
static void
test_undo_window(void **state)
{
	struct fixture *f = *state;
	struct store_outbox_item *items;
	struct err err;
	time_t when;
	int64_t id;

	assert_int_equal(store_outbox_insert(f->st, 1, "question",
	    "q@shop.test", "anna@c.test", "x", 1, T0, 1, &id, &err), 0);
	assert_int_equal(store_outbox_due(f->st, T0, 60, 10, &items, &err), 0);
	assert_int_equal(store_outbox_due(f->st, T0 + 59, 60, 10, &items,
	    &err), 0);
	assert_int_equal(store_outbox_next_due(f->st, 60, &when, &err), 1);
	assert_int_equal(when, T0 + 60);
	assert_int_equal(store_outbox_due(f->st, T0 + 60, 60, 10, &items,
	    &err), 1);
	assert_string_equal(items[0].kind, "question");
	store_outbox_items_free(items, 1);
	/* Without a window it leaves at once, like an automatic reply. */
	assert_int_equal(store_outbox_due(f->st, T0, 0, 10, &items, &err), 1);
	store_outbox_items_free(items, 1);
	assert_int_equal(store_outbox_insert(f->st, 1, "confirmation",
	    "c@shop.test", "anna@c.test", "x", 1, T0, 0, &id, &err), 0);
	assert_int_equal(store_outbox_due(f->st, T0, 60, 10, &items, &err), 1);
	assert_string_equal(items[0].kind, "confirmation");
	store_outbox_items_free(items, 1);
}

static void
test_backoff_table(void **state)
{
	static const struct {
		int	attempts;
		long	initial, max, want;
	} cases[] = {
		{ 1, 60, 3600, 60 },
		{ 2, 60, 3600, 120 },
		{ 3, 60, 3600, 240 },
		{ 7, 60, 3600, 3600 },		/* 3840 capped */
		{ 40, 60, 3600, 3600 },		/* no overflow */
		{ 1, 1, 8, 1 },
		{ 4, 1, 8, 8 },
		{ 5, 1, 8, 8 },
		{ 1, 0, 10, 1 },		/* at least a second */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(store_outbox_backoff(cases[i].attempts,
		    cases[i].initial, cases[i].max), cases[i].want);
}

static void
test_due_retry_sent(void **state)
{
	struct fixture *f = *state;
	struct store_outbox_retry r = { 60, 3600, 48 * 3600 };
	struct store_outbox_item *items;
	struct store_outbox_status s;
	struct err err;
	int64_t id;
	time_t when;

	id = queue(f, "a@shop.test", T0);
	/* Due at once, with the whole message. */
	assert_int_equal(store_outbox_due(f->st, T0, 0, 10, &items, &err), 1);
	assert_int_equal(items[0].id, id);
	assert_string_equal(items[0].rcpt, "anna@c.test");
	assert_int_equal(items[0].len, 21);
	assert_memory_equal(items[0].msg, "Subject: x\r\n\r\nbody\r\n", 21);
	assert_int_equal(items[0].created, T0);
	store_outbox_items_free(items, 1);

	/* First failure: 60 s, then 120 s, then 240 s. */
	assert_int_equal(store_outbox_retry(f->st, id, &r, "refused", T0,
	    &err), 0);
	assert_int_equal(store_outbox_due(f->st, T0 + 59, 0, 10, &items, &err), 0);
	assert_int_equal(store_outbox_next_due(f->st, 0, &when, &err), 1);
	assert_int_equal(when, T0 + 60);
	assert_int_equal(store_outbox_due(f->st, T0 + 60, 0, 10, &items, &err), 1);
	assert_int_equal(items[0].attempts, 1);
	store_outbox_items_free(items, 1);
	assert_int_equal(store_outbox_retry(f->st, id, &r, "421 busy",
	    T0 + 60, &err), 0);
	assert_int_equal(store_outbox_status(f->st, id, &s, &err), 1);
	assert_string_equal(s.state, "queued");
	assert_int_equal(s.attempts, 2);
	assert_int_equal(s.next_attempt, T0 + 60 + 120);
	assert_string_equal(s.last_error, "421 busy");

	/* Sent: never due again, no flag, waiting for its Sent copy. */
	assert_int_equal(store_outbox_sent(f->st, id, T0 + 200, &err), 0);
	assert_int_equal(store_outbox_due(f->st, T0 + 99999, 0, 10, &items, &err),
	    0);
	assert_int_equal(store_outbox_next_due(f->st, 0, &when, &err), 0);
	assert_int_equal(th_db_int(f->path, "SELECT count(*) FROM flags"), 0);
	assert_int_equal(store_outbox_uncopied(f->st, 10, &items, &err), 1);
	store_outbox_items_free(items, 1);
	assert_int_equal(store_outbox_copied(f->st, id, &err), 0);
	assert_int_equal(store_outbox_uncopied(f->st, 10, &items, &err), 0);
}

static void
test_give_up_flags_order(void **state)
{
	struct fixture *f = *state;
	struct store_outbox_retry r = { 60, 3600, 48 * 3600 };
	struct store_outbox_status s;
	struct err err;
	int64_t id;

	id = queue(f, "b@shop.test", T0);
	assert_int_equal(store_outbox_retry(f->st, id, &r, "refused",
	    T0 + 47 * 3600, &err), 0);
	assert_int_equal(th_db_int(f->path, "SELECT count(*) FROM flags"), 0);
	assert_int_equal(store_outbox_retry(f->st, id, &r, "still refused",
	    T0 + 48 * 3600, &err), 1);
	assert_int_equal(store_outbox_status(f->st, id, &s, &err), 1);
	assert_string_equal(s.state, "failed");
	assert_string_equal(s.last_error, "still refused");
	assert_int_equal(th_db_int(f->path, "SELECT count(*) FROM flags WHERE"
	    " order_id = 1 AND code = 'reply_failed' AND resolved = 0 AND"
	    " text LIKE '%48 hours%still refused%'"), 1);
	/* The message itself is kept for the operator. */
	assert_int_equal(th_db_int(f->path, "SELECT length(body) FROM outbox"), 21);
	assert_int_equal(th_db_int(f->path, "SELECT version FROM orders"), 2);
}

static void
test_permanent_failure(void **state)
{
	struct fixture *f = *state;
	struct store_outbox_item *items;
	struct store_outbox_status s;
	struct err err;
	int64_t id, id2;

	id = queue(f, "c@shop.test", T0);
	id2 = queue(f, "d@shop.test", T0);
	assert_int_equal(store_outbox_fail(f->st, id, "550 5.1.1 no such user",
	    &err), 0);
	assert_int_equal(store_outbox_status(f->st, id, &s, &err), 1);
	assert_string_equal(s.state, "failed");
	assert_int_equal(th_db_int(f->path, "SELECT count(*) FROM flags WHERE"
	    " code = 'reply_failed' AND text LIKE '%550 5.1.1%'"), 1);
	/* The other reply is untouched. */
	assert_int_equal(store_outbox_due(f->st, T0, 0, 10, &items, &err), 1);
	assert_int_equal(items[0].id, id2);
	store_outbox_items_free(items, 1);
}

static void
test_duplicate_message_id(void **state)
{
	struct fixture *f = *state;
	struct err err;
	int64_t id;

	queue(f, "e@shop.test", T0);
	err.cls = ERR_NONE;
	assert_int_equal(store_outbox_insert(f->st, 1, "confirmation",
	    "e@shop.test", "anna@c.test", "x", 1, T0, 0, &id, &err), -1);
	assert_int_equal(err.cls, ERR_INPUT);
	assert_int_equal(th_db_int(f->path, "SELECT count(*) FROM outbox"), 1);
}

static void
test_count_since(void **state)
{
	struct fixture *f = *state;
	struct err err;
	long n;

	queue(f, "f1@shop.test", T0 - 4000);
	queue(f, "f2@shop.test", T0 - 100);
	queue(f, "f3@shop.test", T0);
	assert_int_equal(store_outbox_count_since(f->st, "anna@c.test",
	    T0 - 3600, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(store_outbox_count_since(f->st, "other@c.test",
	    T0 - 3600, &n, &err), 0);
	assert_int_equal(n, 0);
}

static void
test_source(void **state)
{
	struct fixture *f = *state;
	struct store_outbox_origin o = { "Anna Müller", "<r1@c.test>",
	    "auto-replied", T0 - 5 };
	struct store_reply_source src;
	struct err err;

	assert_int_equal(store_outbox_note_origin(f->st, 1, &o, &err), 0);
	assert_int_equal(store_outbox_source(f->st, 1, &src, &err), 1);
	assert_string_equal(src.ref, "MO-1");
	assert_string_equal(src.status, "accepted");
	assert_string_equal(src.po_number, "PO-9");
	assert_null(src.requested_date);
	assert_string_equal(src.customer_name, "Bluebird Cafe");
	assert_string_equal(src.greeting, "Dear Anna,");
	assert_string_equal(src.note, "Closed on Mondays.");
	assert_string_equal(src.message_id, "m1@c.test");
	assert_string_equal(src.from_name, "Anna Müller");
	assert_string_equal(src.in_reply_to, "<r1@c.test>");
	assert_string_equal(src.auto_submitted, "auto-replied");
	assert_int_equal(src.date_ts, T0 - 5);
	assert_int_equal(src.nlines, 3);
	assert_string_equal(src.lines[0].product, "House Blend 1kg");
	assert_string_equal(src.lines[0].unit, "bag");	/* the product's */
	assert_int_equal(src.lines[0].quantity, 3);
	assert_string_equal(src.lines[1].unit, "case");	/* the line's */
	assert_null(src.lines[2].product);
	assert_string_equal(src.lines[2].text, "that thing");
	store_outbox_source_release(&src);
	assert_int_equal(store_outbox_source(f->st, 99, &src, &err), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backoff_table),
		cmocka_unit_test_setup_teardown(test_undo_window, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_due_retry_sent, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_give_up_flags_order, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_permanent_failure, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_message_id,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_count_since, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_source, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

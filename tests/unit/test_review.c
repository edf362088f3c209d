/*
 * review/: every operator action in one transaction with a version check,
 * its reply queued by the real reply/ inside it or not at all, the audit
 * trail, learned aliases and addresses, and undo.
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
#include "reply/reply.h"
#include "review/review.h"
#include "store/catalog.h"
#include "store/customer.h"
#include "store/order.h"
#include "store/query.h"
#include "store/store.h"
#include "tests/unit/helpers.h"

struct fixture {
	char		 dir[64];
	char		 path[128];
	char		 templates[1024];
	struct store	*st;
	int64_t		 order;		/* flagged: line 1 unresolved */
	struct reply_conf rc;
	struct review	 rv;
};

static int64_t
add_order(struct store *st, const char *dedupe, const char *from,
    const char *customer, const char *sku, const char *item)
{
	struct store_message m;
	struct store_order_line l;
	struct store_order_flag fl;
	struct store_order_candidate c = { "HB-1KG", 0.8 };
	struct store_order o;
	struct err err;
	enum store_message_state state;
	char ref[STORE_REF_MAX], text[128];
	int64_t mid, id;
	int attempts;

	memset(&m, 0, sizeof(m));
	m.dedupe_key = dedupe;
	m.from_addr = from;
	m.subject = "Order";
	m.raw = "x";
	m.rawlen = 1;
	err_clear(&err);
	assert_int_equal(store_message_arrive(st, &m, &mid, &state, &attempts,
	    &err), 0);
	memset(&l, 0, sizeof(l));
	l.sku = sku;
	l.quantity = 3;
	l.text = "3 bags of choc thingies";
	l.rule = "qty-unit-item";
	snprintf(text, sizeof(text), "no product in the catalog matches "
	    "'%s'", item);
	memset(&fl, 0, sizeof(fl));
	fl.code = "unknown_product";
	fl.text = text;
	fl.line = 0;
	fl.cands = &c;
	fl.ncands = 1;
	memset(&o, 0, sizeof(o));
	o.message_id = mid;
	o.customer_id = customer;
	o.status = "flagged";
	o.order_date = "2026-11-23";
	o.lines = &l;
	o.nlines = 1;
	o.flags = &fl;
	o.nflags = 1;
	assert_int_equal(store_begin(st, &err), 0);
	assert_int_equal(store_order_insert(st, &o, &id, ref, &err), 0);
	assert_int_equal(store_commit(st, &err), 0);
	return id;
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct err err;

	th_tmpdir(f->dir, "operator");
	snprintf(f->path, sizeof(f->path), "%s/test.db", f->dir);
	err_clear(&err);
	if ((f->st = store_open(f->path, 0, &err)) == NULL)
		return -1;
	if (store_begin(f->st, &err) == -1 ||
	    store_product_upsert(f->st, "HB-1KG", "House Blend 1kg", "bag",
	    &err) == -1 ||
	    store_product_upsert(f->st, "HOTCHOC-1KG", "Hot Chocolate 1kg",
	    "tub", &err) == -1 ||
	    store_customer_upsert(f->st, "ACME", "Acme", &err) == -1 ||
	    store_commit(f->st, &err) == -1)
		return -1;
	f->order = add_order(f->st, "mid:1", "dana@acme.example", "ACME",
	    NULL, "choc thingies");
	snprintf(f->templates, sizeof(f->templates), "%s/templates",
	    getenv("top_srcdir") ? getenv("top_srcdir") : "..");
	f->rc.from = "orders@shop.example";
	f->rc.templates = f->templates;
	f->rc.hostname = "mo.example.test";
	f->rc.manual = 1;
	f->rv.store = f->st;
	f->rv.operator = "alice";
	f->rv.replies = &f->rc;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	store_close(f->st);
	if (th_rmdir(f->dir) != 0)
		return -1;
	free(f);
	return 0;
}

static struct review_target
target(int64_t id, int version)
{
	struct review_target t;

	t.order_id = id;
	t.version = version;
	return t;
}

struct row {
	char	status[16];
	int	version;
	int	nlines;
	char	flags[64];
};

static int
row_cb(void *arg, const struct store_order_row *r)
{
	struct row *w = arg;

	snprintf(w->status, sizeof(w->status), "%s", r->status);
	w->version = r->version;
	w->nlines = r->nlines;
	snprintf(w->flags, sizeof(w->flags), "%s",
	    r->flag_codes ? r->flag_codes : "");
	return 0;
}

static struct row
row_of(struct fixture *f, int64_t id)
{
	struct row w;
	struct err err;

	memset(&w, 0, sizeof(w));
	err_clear(&err);
	assert_int_equal(store_order_row(f->st, id, row_cb, &w, &err), 1);
	return w;
}

static void
edit_sku(struct fixture *f, int version, const char *sku, const char *alias,
    int want, enum err_class cls)
{
	struct review_target t = target(f->order, version);
	struct review_edit e;
	struct err err;

	memset(&e, 0, sizeof(e));
	e.op = REVIEW_LINE_SET;
	e.line = 1;
	e.sku = sku;
	e.alias = alias;
	err_clear(&err);
	assert_int_equal(review_edit(&f->rv, &t, &e, NULL, &err), want);
	assert_int_equal(err.cls, cls);
}

/* Refusals: each leaves the order as it was and queues nothing. */
static void
test_refusals(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char	*what;
		int64_t		 id;
		int		 version;
		enum err_class	 cls;
		const char	*msg;
	} cases[] = {
		{ "unknown order",  9999, 0, ERR_INPUT,  "no order MO-9999" },
		{ "unresolved line",   0, 0, ERR_INPUT,  "line 1 has no product" },
		{ "stale version",     0, 7, ERR_TEMP, "since you opened it" },
	};
	struct review_target t;
	struct err err;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		t = target(cases[i].id ? cases[i].id : f->order,
		    cases[i].version);
		err_clear(&err);
		assert_int_equal(review_approve(&f->rv, &t, NULL, &err), -1);
		assert_int_equal(err.cls, cases[i].cls);
		if (strstr(err.msg, cases[i].msg) == NULL)
			fail_msg("%s: '%s' lacks '%s'", cases[i].what,
			    err.msg, cases[i].msg);
	}
	edit_sku(f, 0, "NOPE-1", NULL, -1, ERR_INPUT);
	assert_int_equal(th_db_int(f->path, "SELECT count(*) FROM outbox"), 0);
	assert_string_equal(row_of(f, f->order).status, "flagged");
	assert_int_equal(row_of(f, f->order).version, 1);
}

/* Correct the line, approve; the stale copy is refused naming who. */
static void
test_edit_approve_stale(void **state)
{
	struct fixture *f = *state;
	struct review_result res;
	struct review_target t;
	struct err err;

	edit_sku(f, 1, "HOTCHOC-1KG", "choc thingies", 0, ERR_NONE);
	assert_string_equal(row_of(f, f->order).flags, "");
	assert_int_equal(row_of(f, f->order).version, 2);
	/* A second operator still on version 1 is refused and told who. */
	f->rv.operator = "bob";
	t = target(f->order, 1);
	err_clear(&err);
	assert_int_equal(review_approve(&f->rv, &t, &res, &err), -1);
	assert_int_equal(err.cls, ERR_TEMP);
	assert_non_null(strstr(err.msg, "changed by alice"));
	assert_non_null(strstr(err.msg, "(edit)"));
	t = target(f->order, 2);
	assert_int_equal(review_approve(&f->rv, &t, &res, &err), 0);
	assert_string_equal(row_of(f, f->order).status, "accepted");
	/* The confirmation was queued in the same transaction. */
	assert_true(res.outbox_id > 0);
	assert_int_equal(th_db_int(f->path,
	    "SELECT count(*) FROM outbox WHERE state = 'queued'"), 1);
	/* Approving twice is refused: an order is decided once. */
	t = target(f->order, 0);
	assert_int_equal(review_approve(&f->rv, &t, &res, &err), -1);
	assert_non_null(strstr(err.msg, "it is accepted"));
	assert_int_equal(th_db_int(f->path, "SELECT count(*) FROM outbox"), 1);
}

static int
alias_cb(void *arg, const char *alias, const char *sku, const char *cust)
{
	int *n = arg;

	if (strcmp(alias, "choc thingies") == 0 &&
	    strcmp(sku, "HOTCHOC-1KG") == 0 && strcmp(cust, "ACME") == 0)
		(*n)++;
	return 0;
}

static int
count_learned(struct fixture *f)
{
	struct err err;
	int n = 0;

	err_clear(&err);
	assert_int_equal(store_aliases_foreach(f->st, alias_cb, &n, &err), 0);
	return n;
}

/* Undo puts the line and flag back and forgets the alias. */
static void
test_learn_and_undo(void **state)
{
	struct fixture *f = *state;
	struct review_target t = target(f->order, 0);
	struct review_result res;
	struct err err;

	edit_sku(f, 0, "HOTCHOC-1KG", "Choc  Thingies", 0, ERR_NONE);
	assert_int_equal(count_learned(f), 1);
	err_clear(&err);
	assert_int_equal(review_undo(&f->rv, &t, &res, &err), 0);
	assert_string_equal(res.undone, "edit");
	assert_int_equal(count_learned(f), 0);
	assert_string_equal(row_of(f, f->order).flags, "unknown_product");
	assert_int_equal(row_of(f, f->order).version, 3);
	/* Nothing left to undo. */
	assert_int_equal(review_undo(&f->rv, &t, &res, &err), -1);
	assert_int_equal(err.cls, ERR_INPUT);
	assert_non_null(strstr(err.msg, "nothing to undo"));
}

/* Undoing an approval cancels its queued confirmation. */
static void
test_undo_cancels_reply(void **state)
{
	struct fixture *f = *state;
	struct review_target t = target(f->order, 0);
	struct review_result res;
	struct err err;

	edit_sku(f, 0, "HB-1KG", NULL, 0, ERR_NONE);
	err_clear(&err);
	assert_int_equal(review_approve(&f->rv, &t, &res, &err), 0);
	assert_int_equal(th_db_int(f->path,
	    "SELECT count(*) FROM outbox WHERE state = 'queued'"), 1);
	assert_int_equal(review_undo(&f->rv, &t, &res, &err), 0);
	assert_string_equal(res.undone, "approve");
	assert_int_equal(th_db_int(f->path,
	    "SELECT count(*) FROM outbox WHERE state = 'cancelled'"), 1);
	assert_string_equal(row_of(f, f->order).status, "flagged");
	/* Replies off: the approval queues nothing. */
	f->rv.replies = NULL;
	assert_int_equal(review_approve(&f->rv, &t, &res, &err), 0);
	assert_int_equal(res.outbox_id, 0);
	assert_int_equal(th_db_int(f->path, "SELECT count(*) FROM outbox"), 1);
}

/* A reply that cannot be composed rolls the whole action back. */
static void
test_reply_failure_rolls_back(void **state)
{
	struct fixture *f = *state;
	struct review_target t = target(f->order, 0);
	struct err err;
	char path[192];
	FILE *fp;

	edit_sku(f, 0, "HB-1KG", NULL, 0, ERR_NONE);
	snprintf(path, sizeof(path), "%s/confirmation.txt", f->dir);
	assert_non_null(fp = fopen(path, "w"));
	fputs("Subject: {{nope}}\n\nbroken\n", fp);
	fclose(fp);
	f->rc.templates = f->dir;
	err_clear(&err);
	assert_int_equal(review_approve(&f->rv, &t, NULL, &err), -1);
	assert_int_equal(err.cls, ERR_CONFIG);
	assert_string_equal(row_of(f, f->order).status, "flagged");
	assert_int_equal(row_of(f, f->order).version, 2);
	assert_int_equal(th_db_int(f->path, "SELECT count(*) FROM outbox"), 0);
}

/* Add a line, delete one, reject, ship refusals. */
static void
test_lines_reject_ship(void **state)
{
	struct fixture *f = *state;
	struct review_target t = target(f->order, 0);
	struct review_shipment sh = { "ups", "1Z9", NULL };
	struct review_result res;
	struct review_edit e;
	struct err err;

	memset(&e, 0, sizeof(e));
	e.op = REVIEW_LINE_ADD;
	e.sku = "HB-1KG";
	err_clear(&err);
	assert_int_equal(review_edit(&f->rv, &t, &e, &res, &err), 0);
	assert_int_equal(res.line, 2);
	assert_int_equal(row_of(f, f->order).nlines, 2);
	e.op = REVIEW_LINE_DELETE;
	e.line = 1;
	e.sku = NULL;
	assert_int_equal(review_edit(&f->rv, &t, &e, NULL, &err), 0);
	assert_int_equal(row_of(f, f->order).nlines, 1);
	assert_string_equal(row_of(f, f->order).flags, "");
	e.line = 7;
	assert_int_equal(review_edit(&f->rv, &t, &e, NULL, &err), -1);
	assert_non_null(strstr(err.msg, "has no line 7"));
	/* Shipping needs an accepted order. */
	assert_int_equal(review_ship(&f->rv, &t, &sh, &res, &err), -1);
	if (strstr(err.msg, "it is flagged") == NULL)
		fail_msg("ship: %s", err.msg);
	/* A rejection without words for the customer sends nothing. */
	assert_int_equal(review_reject(&f->rv, &t, "not an order", NULL,
	    &res, &err), 0);
	assert_int_equal(res.outbox_id, 0);
	assert_int_equal(th_db_int(f->path, "SELECT count(*) FROM outbox"), 0);
	assert_string_equal(row_of(f, f->order).status, "rejected");
	assert_int_equal(review_approve(&f->rv, &t, &res, &err), -1);
}

/* An unknown sender is assigned, remembered, and the order follows. */
static void
test_assign_address(void **state)
{
	struct fixture *f = *state;
	struct review_result res;
	struct err err;
	char *id = NULL;
	int64_t o2;

	o2 = add_order(f->st, "mid:2", "new@elsewhere.example", NULL,
	    "HB-1KG", "house blend");
	err_clear(&err);
	assert_int_equal(review_assign_address(&f->rv,
	    "new@elsewhere.example", "NOBODY", NULL, &res, &err), -1);
	assert_non_null(strstr(err.msg, "no customer 'NOBODY'"));
	assert_int_equal(review_assign_address(&f->rv,
	    "New@Elsewhere.example", "ACME", NULL, &res, &err), 0);
	assert_int_equal(res.assigned, 1);
	assert_int_equal(store_customer_find(f->st, "new@elsewhere.example",
	    &id, NULL, &err), 1);
	assert_string_equal(id, "ACME");
	free(id);
	assert_int_equal(row_of(f, o2).version, 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_refusals, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_edit_approve_stale, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_learn_and_undo, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_undo_cancels_reply,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_reply_failure_rolls_back,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_lines_reject_ship, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_assign_address, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * resolve/: tokens, edit distance, catalog matching (aliases, typos,
 * joined words, ambiguity, learned aliases) and history candidates.
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

#include "resolve/catalog.h"
#include "resolve/history.h"
#include "resolve/text.h"
#include "store/catalog.h"
#include "store/customer.h"
#include "store/history.h"
#include "store/order.h"
#include "store/store.h"
#include "tests/unit/helpers.h"

static void
test_tokenize(void **state)
{
	static const struct {
		const char	*in;
		int		 descriptor;
		const char	*out;
	} cases[] = {
		{ "the 12 oz Cups", 0, "12oz cup" },
		{ "Boxes of Stirrers!", 0, "box stirrer" },
		{ "Earl-Grey tea, please", 0, "earl grey tea" },
		{ "1.5L oat milk", 0, "1500ml oat milk" },
		{ "water 75cl", 0, "water 750ml" },
		{ "0.5 kg cocoa", 0, "500g cocoa" },
		{ "that chocolate thing we got", 1, "chocolate" },
		{ "the cups we had", 1, "cup" },
		{ "glass", 0, "glass" },
		{ "cookies", 0, "cooky" },
		{ "", 0, "" },
	};
	struct text_tokens tt;
	char buf[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		text_tokenize(cases[i].in, cases[i].descriptor, &tt);
		assert_string_equal(text_join(&tt, ' ', buf, sizeof(buf)),
		    cases[i].out);
	}
}

static void
test_distance(void **state)
{
	assert_int_equal(text_distance("house", 5, "hous", 4, 2), 1);
	assert_int_equal(text_distance("stirrer", 7, "stirer", 6, 2), 1);
	assert_int_equal(text_distance("grey", 4, "gray", 4, 2), 1);
	assert_int_equal(text_distance("ab", 2, "ba", 2, 2), 1); /* swap */
	assert_int_equal(text_distance("coffee", 6, "tea", 3, 1), 2);
	assert_int_equal(text_distance("same", 4, "same", 4, 0), 0);
}

struct fixture {
	char		 dir[64];
	struct store	*st;
	struct catalog	*cat;
};

static const struct {
	const char *sku, *name, *unit, *aliases[4];
} products[] = {
	{ "HB-1KG", "House Blend Coffee Beans 1kg", "bag",
	    { "house blend", "hb", NULL } },
	{ "DR-1KG", "Dark Roast Coffee Beans 1kg", "bag",
	    { "dark roast", NULL } },
	{ "CUP-8OZ", "Paper Cups 8oz", "case", { "8oz cups", NULL } },
	{ "CUP-12OZ", "Paper Cups 12oz", "case",
	    { "12oz cups", "medium cups", NULL } },
	{ "CUP-16OZ", "Paper Cups 16oz", "case", { "16oz cups", NULL } },
	{ "OAT-1L", "Oat Milk 1L", "carton", { "oat milk", NULL } },
	{ "STIR-1000", "Wooden Stirrers (1000)", "box",
	    { "stirrers", "stir sticks", NULL } },
	{ "TEA-EG", "Earl Grey Tea (100 bags)", "box",
	    { "earl grey", NULL } },
	{ "HOTCHOC-1KG", "Hot Chocolate Powder 1kg", "tin",
	    { "hot chocolate", "cocoa", NULL } },
	{ "CHOC-BISC", "Chocolate Biscuits", "box", { NULL } },
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char path[128];
	struct err err;
	size_t i, n;

	th_tmpdir(f->dir, "resolve");
	snprintf(path, sizeof(path), "%s/t.db", f->dir);
	assert_non_null(f->st = store_open(path, 0, &err));
	assert_int_equal(store_begin(f->st, &err), 0);
	for (i = 0; i < sizeof(products) / sizeof(products[0]); i++) {
		assert_int_equal(store_product_upsert(f->st, products[i].sku,
		    products[i].name, products[i].unit, &err), 0);
		for (n = 0; products[i].aliases[n] != NULL; n++)
			;
		assert_int_equal(store_product_set_aliases(f->st,
		    products[i].sku, (char *const *)products[i].aliases, n,
		    &err), 0);
	}
	assert_int_equal(store_customer_upsert(f->st, "ACME", "Acme", &err),
	    0);
	assert_int_equal(store_alias_learn(f->st, "the big cups",
	    "CUP-16OZ", "ACME", &err), 0);
	assert_int_equal(store_commit(f->st, &err), 0);
	assert_non_null(f->cat = catalog_load(f->st, &err));
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	catalog_free(f->cat);
	store_close(f->st);
	assert_int_equal(th_rmdir(f->dir), 0);
	free(f);
	return 0;
}

static void
test_match_table(void **state)
{
	static const struct {
		const char	*text;
		const char	*customer;
		const char	*best;		/* NULL: nothing above 0.75 */
		double		 min_score;
	} cases[] = {
		{ "house blend", NULL, "HB-1KG", 0.99 },
		{ "House Blend", NULL, "HB-1KG", 0.99 },
		{ "hous blend", NULL, "HB-1KG", 0.75 },
		{ "12oz cups", NULL, "CUP-12OZ", 0.99 },
		{ "12 oz cups", NULL, "CUP-12OZ", 0.99 },
		{ "16oz cups", NULL, "CUP-16OZ", 0.99 },
		{ "oatmilk", NULL, "OAT-1L", 0.9 },
		{ "stirers", NULL, "STIR-1000", 0.75 },
		{ "earl gray tea", NULL, "TEA-EG", 0.75 },
		{ "dark roast beans", NULL, "DR-1KG", 0.75 },
		{ "HB-1KG", NULL, "HB-1KG", 0.99 },
		{ "chocolate biscuits", NULL, "CHOC-BISC", 0.99 },
		{ "the big cups", "ACME", "CUP-16OZ", 1.0 },
		{ "unicorn dust", NULL, NULL, 0 },
	};
	struct catalog_match m[CATALOG_MAX_CANDIDATES];
	struct fixture *f = *state;
	size_t i, n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		n = catalog_match(f->cat, cases[i].text, cases[i].customer, m,
		    CATALOG_MAX_CANDIDATES);
		if (cases[i].best == NULL) {
			if (n > 0 && m[0].score >= 0.75)
				fail_msg("'%s' matched %s (%.2f)",
				    cases[i].text, m[0].sku, m[0].score);
			continue;
		}
		if (n == 0)
			fail_msg("'%s' matched nothing", cases[i].text);
		if (strcmp(m[0].sku, cases[i].best) != 0 ||
		    m[0].score < cases[i].min_score)
			fail_msg("'%s': got %s %.2f, want %s >= %.2f",
			    cases[i].text, m[0].sku, m[0].score,
			    cases[i].best, cases[i].min_score);
	}
}

static void
test_learned_alias_is_per_customer(void **state)
{
	struct catalog_match m[CATALOG_MAX_CANDIDATES];
	struct fixture *f = *state;
	size_t n;

	n = catalog_match(f->cat, "the big cups", "OTHER", m,
	    CATALOG_MAX_CANDIDATES);
	assert_true(n == 0 || m[0].score < 0.99);
}

static void
test_ambiguous_words_rank_all(void **state)
{
	struct catalog_match m[CATALOG_MAX_CANDIDATES];
	struct fixture *f = *state;
	size_t n, i;
	int seen = 0;

	/* "cups" alone fits three products equally well. */
	n = catalog_match(f->cat, "cups", NULL, m, CATALOG_MAX_CANDIDATES);
	assert_true(n >= 3);
	for (i = 0; i < 3; i++)
		seen += strncmp(m[i].sku, "CUP-", 4) == 0;
	assert_int_equal(seen, 3);
	assert_true(m[0].score - m[2].score < 0.05);
}

static void
test_describes(void **state)
{
	struct fixture *f = *state;

	assert_true(catalog_describes(f->cat, "that chocolate thing",
	    "HOTCHOC-1KG") >= 0.99);
	assert_true(catalog_describes(f->cat, "that chocolate thing",
	    "CHOC-BISC") >= 0.99);
	assert_true(catalog_describes(f->cat, "that chocolate thing",
	    "HB-1KG") < 0.5);
	assert_true(catalog_describes(f->cat, "the cups", "CUP-12OZ") >= 0.99);
	assert_true(catalog_describes(f->cat, "the thing", "CUP-12OZ") == 0);
}

static void
add_order(struct fixture *f, const char *ref, const char *date,
    const char *sku, double qty)
{
	struct err err;
	int64_t id;

	assert_int_equal(store_history_order_upsert(f->st, ref, "ACME", date,
	    &id, &err), 0);
	assert_int_equal(store_history_line_add(f->st, id, sku, qty, &err), 0);
}

static void
test_history(void **state)
{
	struct history_candidate c[5];
	struct fixture *f = *state;
	struct history h;
	struct err err;
	double lo, hi;
	time_t now = 1795000000;	/* 2026-11-18 */
	size_t n;

	assert_int_equal(store_begin(f->st, &err), 0);
	store_history_import_reset(f->st);
	add_order(f, "A1", "2026-09-02", "HB-1KG", 2);
	add_order(f, "A2", "2026-10-07", "CUP-12OZ", 1);
	add_order(f, "A2", "2026-10-07", "HB-1KG", 4);
	add_order(f, "A3", "2026-11-04", "HOTCHOC-1KG", 1);
	add_order(f, "A3", "2026-11-04", "HB-1KG", 3);
	assert_int_equal(store_commit(f->st, &err), 0);
	assert_int_equal(history_load(f->st, "ACME", 10, NULL, &h, &err), 0);
	assert_int_equal(h.n, 5);

	/* "Same as last time": the newest order, in its line order. */
	n = history_candidates(&h, f->cat, NULL, NULL, now, c, 5);
	assert_int_equal(n, 2);
	assert_string_equal(c[0].sku, "HOTCHOC-1KG");
	assert_string_equal(c[1].sku, "HB-1KG");

	n = history_candidates(&h, f->cat, "that chocolate thing", NULL, now,
	    c, 5);
	assert_int_equal(n, 1);
	assert_string_equal(c[0].sku, "HOTCHOC-1KG");

	n = history_candidates(&h, f->cat, "the cups", "october", now, c, 5);
	assert_int_equal(n, 1);
	assert_string_equal(c[0].sku, "CUP-12OZ");

	/* No descriptor, but a period: that month's order. */
	n = history_candidates(&h, f->cat, NULL, "in october", now, c, 5);
	assert_int_equal(n, 2);
	assert_string_equal(c[0].sku, "CUP-12OZ");

	assert_int_equal(history_quantity_range(&h, "HB-1KG", &lo, &hi), 3);
	assert_int_equal(lo, 2);
	assert_int_equal(hi, 4);
	assert_int_equal(history_quantity_range(&h, "DR-1KG", &lo, &hi), 0);
	history_release(&h);
}

static void
assert_same_history(const struct history *a, const struct history *b)
{
	size_t i;

	assert_int_equal(a->n, b->n);
	for (i = 0; i < a->n; i++) {
		assert_string_equal(a->lines[i].order_ref,
		    b->lines[i].order_ref);
		assert_string_equal(a->lines[i].date, b->lines[i].date);
		assert_string_equal(a->lines[i].sku, b->lines[i].sku);
		assert_int_equal(a->lines[i].quantity, b->lines[i].quantity);
	}
}

/* history_add_order keeps a cached history what a fresh load would give:
 * the new order in date order (before older ones of the same date, which
 * have lower ids), the oldest order dropped beyond the limit. */
static void
test_history_add_order(void **state)
{
	static const char *const skus[] = { "CUP-12OZ", "DR-1KG" };
	static const double qty[] = { 5, 1 };
	struct fixture *f = *state;
	struct history cached, fresh;
	struct err err;

	assert_int_equal(store_begin(f->st, &err), 0);
	store_history_import_reset(f->st);
	add_order(f, "A1", "2026-09-02", "HB-1KG", 2);
	add_order(f, "A2", "2026-10-07", "CUP-12OZ", 1);
	add_order(f, "A2", "2026-10-07", "HB-1KG", 4);
	add_order(f, "A3", "2026-11-04", "HB-1KG", 3);
	assert_int_equal(store_commit(f->st, &err), 0);
	assert_int_equal(history_load(f->st, "ACME", 3, NULL, &cached, &err), 0);

	/* Older than the newest: goes in the middle, A1 drops out. */
	assert_int_equal(store_begin(f->st, &err), 0);
	store_history_import_reset(f->st);
	add_order(f, "A4", "2026-10-20", "CUP-12OZ", 5);
	add_order(f, "A4", "2026-10-20", "DR-1KG", 1);
	assert_int_equal(store_commit(f->st, &err), 0);
	history_add_order(&cached, 3, "A4", "2026-10-20", skus, qty, 2);
	assert_int_equal(history_load(f->st, "ACME", 3, NULL, &fresh, &err), 0);
	assert_same_history(&cached, &fresh);
	assert_string_equal(cached.lines[0].order_ref, "A3");
	assert_string_equal(cached.lines[1].order_ref, "A4");
	history_release(&fresh);

	/* The same date as the newest: newer than it. */
	assert_int_equal(store_begin(f->st, &err), 0);
	store_history_import_reset(f->st);
	add_order(f, "A5", "2026-11-04", "CUP-12OZ", 5);
	add_order(f, "A5", "2026-11-04", "DR-1KG", 1);
	assert_int_equal(store_commit(f->st, &err), 0);
	history_add_order(&cached, 3, "A5", "2026-11-04", skus, qty, 2);
	assert_int_equal(history_load(f->st, "ACME", 3, NULL, &fresh, &err), 0);
	assert_same_history(&cached, &fresh);
	assert_string_equal(cached.lines[0].order_ref, "A5");
	history_release(&fresh);
	history_release(&cached);
}

/* A message's order from mail (MO-n), for the history cut below. */
static int64_t
add_mail_order(struct fixture *f, const char *key, const char *date,
    const char *sku, double qty)
{
	struct store_order_line line = { .sku = sku, .quantity = qty };
	struct store_message m = { .dedupe_key = key, .raw = "x",
	    .rawlen = 1 };
	struct store_order o = { .customer_id = "ACME", .status = "accepted",
	    .order_date = date, .lines = &line, .nlines = 1 };
	enum store_message_state state;
	char ref[STORE_REF_MAX];
	int64_t mid, oid;
	struct err err;
	int attempts;

	assert_int_equal(store_message_record(f->st, &m, &mid, &state,
	    &attempts, &err), 0);
	o.message_id = mid;
	assert_int_equal(store_order_insert(f->st, &o, &oid, ref, &err), 0);
	return mid;
}

/* Replay reads a message with the history it had: orders from earlier
 * mail and imports dated before it, never its own order or later ones. */
static void
test_history_cut(void **state)
{
	struct fixture *f = *state;
	struct store_history_cut cut;
	struct history h;
	struct err err;
	int64_t m1, m2;
	size_t i;

	assert_int_equal(store_begin(f->st, &err), 0);
	store_history_import_reset(f->st);
	add_order(f, "A1", "2026-09-02", "HB-1KG", 2);
	add_order(f, "A9", "2026-11-20", "CUP-12OZ", 9);
	m1 = add_mail_order(f, "mid:<one@test>", "2026-11-10", "DR-1KG", 1);
	m2 = add_mail_order(f, "mid:<two@test>", "2026-11-15", "HB-1KG", 5);
	assert_int_equal(store_commit(f->st, &err), 0);

	cut.before_msg = m2;
	cut.before_date = "2026-11-15";
	assert_int_equal(history_load(f->st, "ACME", 10, &cut, &h, &err), 0);
	assert_int_equal(h.n, 2);
	assert_string_equal(h.lines[0].sku, "DR-1KG");
	assert_string_equal(h.lines[1].order_ref, "A1");
	history_release(&h);

	cut.before_msg = m1;
	cut.before_date = "2026-11-10";
	assert_int_equal(history_load(f->st, "ACME", 10, &cut, &h, &err), 0);
	assert_int_equal(h.n, 1);
	assert_string_equal(h.lines[0].order_ref, "A1");
	history_release(&h);

	/* No cut: all four orders. */
	assert_int_equal(history_load(f->st, "ACME", 10, NULL, &h, &err), 0);
	assert_int_equal(h.n, 4);
	for (i = 0; i < h.n; i++)
		assert_true(h.lines[i].quantity > 0);
	history_release(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tokenize),
		cmocka_unit_test(test_distance),
		cmocka_unit_test_setup_teardown(test_match_table, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_learned_alias_is_per_customer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ambiguous_words_rank_all,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_describes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_history, setup, teardown),
		cmocka_unit_test_setup_teardown(test_history_cut, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_history_add_order, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

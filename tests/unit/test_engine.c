/*
 * engine/: which mail counts as automatic (and is therefore never
 * answered), which mail with no order in it complains, and lines for
 * products that cannot be sold now.  The full pipeline is covered by the
 * email corpus (tests/corpus.sh).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "engine/engine_int.h"
#include "rules/rules.h"
#include "store/store.h"

static void
test_automatic_reasons(void **state)
{
	static const struct {
		const char	*field;
		const char	*value;
		int		 automatic;
	} cases[] = {
		{ "auto_submitted", "auto-replied", 1 },
		{ "auto_submitted", "auto-generated", 1 },
		{ "auto_submitted", "no", 0 },
		{ "precedence", "bulk", 1 },
		{ "precedence", "junk", 1 },
		{ "precedence", "list", 1 },
		{ "precedence", "first-class", 0 },
		{ "list_id", "<news.example.com>", 1 },
		{ "x_autoreply", "yes", 1 },
		{ "return_path", "", 1 },
		{ "return_path", "buyer@acme.example", 0 },
		{ "from_addr", "mailer-daemon@mx.example", 1 },
		{ "from_addr", "postmaster@acme.example", 1 },
		{ "from_addr", "buyer@acme.example", 0 },
		{ "from_addr", "daemon.fan@acme.example", 0 },
	};
	struct parsed_msg m;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *v = (char *)cases[i].value;
		const char *why;

		memset(&m, 0, sizeof(m));
		if (strcmp(cases[i].field, "auto_submitted") == 0)
			m.auto_submitted = v;
		else if (strcmp(cases[i].field, "precedence") == 0)
			m.precedence = v;
		else if (strcmp(cases[i].field, "list_id") == 0)
			m.list_id = v;
		else if (strcmp(cases[i].field, "x_autoreply") == 0)
			m.x_autoreply = v;
		else if (strcmp(cases[i].field, "return_path") == 0)
			m.return_path = v;
		else
			m.from_addr = v;
		why = engine_automatic_reason(&m, NULL);
		if ((why != NULL) != cases[i].automatic)
			fail_msg("%s: '%s' gave %s", cases[i].field,
			    cases[i].value, why ? why : "(person)");
	}
	memset(&m, 0, sizeof(m));
	m.is_report = 1;
	assert_non_null(engine_automatic_reason(&m, NULL));
}

struct shop {
	char		 dir[64];
	struct store	*st;
	struct ruleset	*rules;
	struct engine	*eng;
};

static void
shop_open(struct shop *s)
{
	const char *top = getenv("top_srcdir");
	char path[4096];
	const char *paths[1] = { path };
	struct engine_policy p;
	struct err err;
	sqlite3 *db;

	strcpy(s->dir, "/tmp/mo-engine.XXXXXX");
	assert_non_null(mkdtemp(s->dir));
	snprintf(path, sizeof(path), "%s/t.db", s->dir);
	assert_non_null(s->st = store_open(path, 0, &err));
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
	    "INSERT INTO customers (id, name) VALUES ('C1', 'Bluebird');"
	    "INSERT INTO customer_addresses (address, customer_id)"
	    " VALUES ('jo@bluebird.test', 'C1');"
	    "INSERT INTO products (sku, name, unit, availability) VALUES"
	    " ('HB-1KG', 'House Blend Coffee Beans 1kg', 'bag', 'out_of_stock'),"
	    " ('DEC-1KG', 'Decaf House Blend Coffee Beans 1kg', 'bag',"
	    "  'discontinued'),"
	    " ('ESP-1KG', 'Espresso Coffee Beans 1kg', 'bag', 'available'),"
	    " ('CUP-12', 'Paper Cups 12oz', 'case', 'available');",
	    NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	snprintf(path, sizeof(path), "%s/rules/en.rules", top ? top : "..");
	assert_non_null(s->rules = rules_load(paths, 1, &err));
	engine_policy_default(&p);
	assert_non_null(s->eng = engine_new(s->st, s->rules, &p, &err));
}

static void
shop_close(struct shop *s)
{
	char cmd[128];

	engine_free(s->eng);
	rules_free(s->rules);
	store_close(s->st);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", s->dir);
	assert_int_equal(system(cmd), 0);
}

static void
shop_read(struct shop *s, const char *body, struct engine_result *r)
{
	char raw[2048];
	struct err err;
	int n;

	n = snprintf(raw, sizeof(raw), "From: Jo <jo@bluebird.test>\r\n"
	    "To: shop@example.test\r\nSubject: Hello\r\n"
	    "Date: Thu, 03 Dec 2026 09:00:00 +0000\r\n"
	    "Message-ID: <t@bluebird.test>\r\n\r\n%s\r\n", body);
	if (engine_process(s->eng, raw, (size_t)n, r, &err) == -1)
		fail_msg("%s", err.msg);
}

static const struct engine_flag *
flag_of(const struct engine_result *r, const char *code)
{
	size_t i;

	for (i = 0; i < r->nflags; i++)
		if (strcmp(r->flags[i].code, code) == 0)
			return &r->flags[i];
	return NULL;
}

/* A line for a product out of stock or discontinued is never accepted:
 * it is flagged with the nearest products that can be sold instead. */
static void
test_unavailable(void **state)
{
	struct engine_result r;
	const struct engine_flag *f;
	struct shop s;
	size_t i;

	(void)state;
	shop_open(&s);
	shop_read(&s, "Please send 3 bags of House Blend Coffee Beans 1kg and "
	    "2 cases of 12oz cups.", &r);
	assert_int_equal(r.status, ENGINE_FLAGGED);
	assert_int_equal(r.nlines, 2);
	assert_string_equal(r.lines[0].sku, "HB-1KG");
	assert_non_null(f = flag_of(&r, "unavailable"));
	assert_int_equal(f->line, 0);
	assert_non_null(strstr(f->text, "(HB-1KG) is out of stock"));
	assert_true(f->ncands >= 1);
	assert_string_equal(f->cands[0].sku, "ESP-1KG");
	for (i = 0; i < f->ncands; i++) {
		assert_string_not_equal(f->cands[i].sku, "HB-1KG");
		assert_string_not_equal(f->cands[i].sku, "DEC-1KG");
	}
	engine_result_release(&r);

	shop_read(&s, "Please send 2 cases of 12oz cups.", &r);
	assert_int_equal(r.status, ENGINE_ACCEPTED);
	engine_result_release(&r);
	shop_close(&s);
}

/* Mail with no order in it: a complaint is told from a question or a
 * thank-you, and no date is read from it. */
static void
test_complaint(void **state)
{
	static const struct {
		const char	*body;
		int		 complaint;
		int		 read;	/* the rules made something of it */
	} cases[] = {
		{ "Hi, the delivery on Tuesday was missing the cups. Please "
		    "call me.", 1, 0 },
		{ "The last box arrived damaged, can we get a refund?", 1 },
		/* read as an order of 1 case, for Tuesday, before */
		{ "Hi, we only got 1 case of 12oz cups instead of 2 on "
		    "Tuesday.", 1 },
		{ "Thank you so much, everything arrived fine!", 0 },
		{ "Do you have oat milk in stock?", 0 },
		/* read as half of some beans: still a complaint */
		{ "The box arrived damaged, half the beans are on the "
		    "floor.", 1, 1 },
		{ "Please send 2 cases of 12oz cups.", 0, 1 },
	};
	struct engine_result r;
	struct shop s;
	size_t i;

	(void)state;
	shop_open(&s);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		shop_read(&s, cases[i].body, &r);
		if ((flag_of(&r, "no_items") == NULL) != cases[i].read ||
		    (!cases[i].read && r.nlines != 0) ||
		    r.complaint != cases[i].complaint)
			fail_msg("'%s': no_items %d, %zu lines, complaint %d",
			    cases[i].body, flag_of(&r, "no_items") != NULL,
			    r.nlines, r.complaint);
		assert_null(r.requested_date);
		engine_result_release(&r);
	}
	shop_close(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_automatic_reasons),
		cmocka_unit_test(test_unavailable),
		cmocka_unit_test(test_complaint),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

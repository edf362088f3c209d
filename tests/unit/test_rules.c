/*
 * rules/: the shipped English rules against what customers write (one
 * table of lines and what each must give), references, PO numbers and
 * dates with a fixed "now", autoresponder subjects, every load error with
 * its FILE:LINE, drop-in order, and the match limit on hostile input.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "rules/rules.h"

static char *
srcpath(const char *rel)
{
	const char *top = getenv("top_srcdir");
	char *p;
	size_t n;

	if (top == NULL)
		top = ".";
	n = strlen(top) + strlen(rel) + 2;
	p = malloc(n);
	assert_non_null(p);
	snprintf(p, n, "%s/%s", top, rel);
	return p;
}

static struct ruleset *
load_one(const char *rel, struct err *e)
{
	char *path = srcpath(rel);
	const char *paths[1] = { path };
	struct ruleset *rs;

	err_clear(e);
	rs = rules_load(paths, 1, e);
	free(path);
	return rs;
}

static int
setup_en(void **state)
{
	struct err e;

	/* dates below are computed in UTC */
	setenv("TZ", "UTC", 1);
	tzset();
	*state = load_one("rules/en.rules", &e);
	if (*state == NULL)
		fprintf(stderr, "# %s\n", e.msg);
	return *state == NULL ? -1 : 0;
}

static int
teardown_en(void **state)
{
	rules_free(*state);
	return 0;
}

/* 2026-11-23 10:00 UTC is a Monday. */
#define NOW ((time_t)1795428000)

struct line_case {
	const char	*in;
	const char	*item;		/* NULL: must give no order line */
	double		 quantity;
	const char	*unit;		/* NULL: no unit */
	const char	*rule;
};

static const struct line_case line_cases[] = {
	/* quantity, unit, item */
	{ "3 bags of house blend", "house blend", 3, "bag", "qty-first" },
	{ "two cases of the 12oz cups", "12oz cups", 2, "case", "qty-first" },
	{ "House Blend x3", "House Blend", 3, NULL, "item-x-qty" },
	{ "House Blend x 3 bags", "House Blend", 3, "bag", "item-x-qty" },
	{ "3x oat milk", "oat milk", 3, NULL, "qty-first" },
	{ "3 x oat milk", "oat milk", 3, NULL, "qty-first" },
	{ "oat milk - 6", "oat milk", 6, NULL, "item-dash-qty" },
	{ "oat milk: 6 bottles", "oat milk", 6, "bottle", "item-dash-qty" },
	{ "Qty: 3 stirrers", "stirrers", 3, NULL, "qty-label" },
	{ "Quantity 2 boxes of lids", "lids", 2, "box", "qty-label" },
	{ "a dozen croissants", "croissants", 1, "dozen", "one-unit" },
	{ "half a dozen muffins", "muffins", 0.5, "dozen", "qty-first" },
	{ "2 dozen eggs", "eggs", 2, "dozen", "qty-first" },
	{ "a couple of bags of decaf", "decaf", 2, "bag", "qty-first" },
	{ "12 x 1L oat milk", "1L oat milk", 12, NULL, "qty-first" },
	{ "5kg house blend", "house blend", 5, "kg", "qty-first" },
	{ "10 kilos of sugar", "sugar", 10, "kg", "qty-first" },
	{ "4 cs napkins", "napkins", 4, "case", "qty-first" },
	{ "a case of cups", "cups", 1, "case", "one-unit" },
	{ "one box of straws please", "straws", 1, "box", "one-unit" },
	{ "1,000 paper cups", "paper cups", 1000, NULL, "qty-first" },
	{ "3 bags of house blend, pls.", "house blend", 3, "bag", "qty-first" },
	{ "12oz cups x3", "12oz cups", 3, NULL, "item-x-qty" },
	{ "house blend 3 bags", "house blend", 3, "bag", "item-qty-unit" },
	{ "Please add one more bag of decaf to the order", "decaf", 1, "bag",
	    "qty-first" },
	/* lists */
	{ "- 2 boxes of stir sticks", "stir sticks", 2, "box", "qty-first" },
	{ "* 3 bags of decaf", "decaf", 3, "bag", "qty-first" },
	{ "• 1 case of lids", "lids", 1, "case", "qty-first" },
	{ "1) 4 x chai syrup", "chai syrup", 4, NULL, "qty-first" },
	{ "2. 6 bottles of vanilla syrup", "vanilla syrup", 6, "bottle",
	    "qty-first" },
	{ "- House Blend x2", "House Blend", 2, NULL, "item-x-qty" },
	/* tables and CSV */
	{ "HB-1KG | House Blend 1kg | 3", "House Blend 1kg", 3, NULL,
	    "table" },
	{ "House Blend 1kg | 3 | $12.50", "House Blend 1kg", 3, NULL,
	    "table" },
	{ "House Blend, 3", "House Blend", 3, NULL, "csv" },
	{ "SKU | Item | Qty", NULL, 0, NULL, NULL },
	/* with words around */
	{ "Please send 3 bags of house blend", "house blend", 3, "bag",
	    "qty-first" },
	{ "Could you send us 2 cases of oat milk?", "oat milk", 2, "case",
	    "qty-first" },
	{ "We'd like 4 boxes of lids", "lids", 4, "box", "qty-first" },
	{ "we need 10 kg of sugar", "sugar", 10, "kg", "qty-first" },
	{ "3 bags of house blend by Friday", "house blend", 3, "bag",
	    "qty-first" },
	{ "Thanks, and 2 more boxes of cups", "cups", 2, "box", "qty-first" },
	{ "Hello, please send 3 bags of house blend", "house blend", 3, "bag",
	    "qty-first" },
	{ "Order for next week: 4 cases of milk", "milk", 4, "case",
	    "qty-first" },
	/* silly quantities */
	{ "0 bags of house blend", NULL, 0, NULL, NULL },
	{ "2000000 cups", NULL, 0, NULL, NULL },
	{ "3 bags", NULL, 0, NULL, NULL },
	/* not order lines: numbers that are something else */
	{ "Phone: 555-123-4567", NULL, 0, NULL, NULL },
	{ "555 123 4567", NULL, 0, NULL, NULL },
	{ "+1 (555) 123-4567", NULL, 0, NULL, NULL },
	{ "Fax: 12345", NULL, 0, NULL, NULL },
	{ "at 10:30", NULL, 0, NULL, NULL },
	{ "10:30 works for us", NULL, 0, NULL, NULL },
	{ "10 am delivery is fine", NULL, 0, NULL, NULL },
	{ "3pm", NULL, 0, NULL, NULL },
	{ "Tel: 555 1234", NULL, 0, NULL, NULL },
	{ "Address: 42 Baker Street", NULL, 0, NULL, NULL },
	{ "2026 was a good year", NULL, 0, NULL, NULL },
	{ "12/03 works", NULL, 0, NULL, NULL },
	{ "$12.50", NULL, 0, NULL, NULL },
	{ "Total: 45", NULL, 0, NULL, NULL },
	{ "12.50 dollars each", NULL, 0, NULL, NULL },
	{ "Suite 200", NULL, 0, NULL, NULL },
	{ "Portland, OR 97201", NULL, 0, NULL, NULL },
	{ "97201", NULL, 0, NULL, NULL },
	{ "123 Main Street", NULL, 0, NULL, NULL },
	{ "PO Box 12", NULL, 0, NULL, NULL },
	{ "PO: 4711", NULL, 0, NULL, NULL },
	{ "Purchase order 99812", NULL, 0, NULL, NULL },
	{ "Order #1234", NULL, 0, NULL, NULL },
	{ "delivery on 2026-12-01", NULL, 0, NULL, NULL },
	/* greetings, closings, chatter */
	{ "Hi Anna,", NULL, 0, NULL, NULL },
	{ "Thanks!", NULL, 0, NULL, NULL },
	{ "Hope you're well", NULL, 0, NULL, NULL },
	{ "Best regards", NULL, 0, NULL, NULL },
	{ "same as last time", NULL, 0, NULL, NULL },
	/* lead-ins inside a sentence (lead rules) */
	{ "hi can u send 3 bags of hous blend thx", "hous blend", 3, "bag",
	    "qty-first" },
	{ "For the office party could you send a bag of unicorn dust?",
	    "unicorn dust", 1, "bag", "one-unit" },
	{ "Can we also get 6 blueberry muffins?", "blueberry muffins", 6,
	    NULL, "qty-first" },
	{ "I run a small cafe. Could I order 2 bags of espresso beans?",
	    "espresso beans", 2, "bag", "qty-first" },
	{ "Hi, it's Renée from Acme. Please send 4 bags of house blend.",
	    "house blend", 4, "bag", "qty-first" },
	{ "Thanks! Please send 2 bags of decaf.", "decaf", 2, "bag",
	    "qty-first" },
	/* a complaint is not an order, whatever verb it has */
	{ "we didn't get 3 boxes of lids", NULL, 0, NULL, NULL },
	{ "The driver forgot to bring 2 cases of milk.", NULL, 0, NULL,
	    NULL },
	/* words after the item (tail rules) */
	{ "2 bottles of descaler to our next delivery.", "descaler", 2,
	    "bottle", "qty-first" },
	{ "half a dozen muffins to this week's delivery?", "muffins", 0.5, "dozen",
	    "qty-first" },
	{ "2 CASES OF SPARKLING WATER ASAP.", "SPARKLING WATER", 2, "case",
	    "qty-first" },
	{ "3 boxes of lids as soon as possible please", "lids", 3, "box",
	    "qty-first" },
	{ "4 bags of house blend for the order", "house blend", 4, "bag",
	    "qty-first" },
	/* "to go" is part of the item, not a delivery */
	{ "2 cases of cups to go", "cups to go", 2, "case", "qty-first" },
	/* dozens */
	{ "one dozen croissants", "croissants", 1, "dozen", "one-unit" },
	{ "two dozen muffins", "muffins", 2, "dozen", "qty-first" },
};

static void
test_line_table(void **state)
{
	const struct ruleset *rs = *state;
	const struct line_case *c;
	struct rules_result res;
	struct err e;
	size_t i;
	int bad = 0;

	for (i = 0; i < sizeof(line_cases) / sizeof(line_cases[0]); i++) {
		c = &line_cases[i];
		assert_int_equal(rules_extract(rs, c->in, strlen(c->in), NOW, NULL,
		    &res, &e), 0);
		if (c->item == NULL) {
			if (res.nlines != 0) {
				print_message("# '%s': want no line, got '%s' "
				    "x%g (%s)\n", c->in, res.lines[0].item,
				    res.lines[0].quantity, res.lines[0].rule);
				bad++;
			}
		} else if (res.nlines != 1 ||
		    strcmp(res.lines[0].item, c->item) != 0 ||
		    res.lines[0].quantity != c->quantity ||
		    (c->unit == NULL) != (res.lines[0].unit == NULL) ||
		    (c->unit != NULL &&
		    strcmp(c->unit, res.lines[0].unit) != 0) ||
		    strcmp(c->rule, res.lines[0].rule) != 0) {
			print_message("# '%s': want '%s' x%g %s (%s), got "
			    "%zu lines: '%s' x%g %s (%s)\n", c->in, c->item,
			    c->quantity, c->unit ? c->unit : "-", c->rule,
			    res.nlines, res.nlines ? res.lines[0].item : "",
			    res.nlines ? res.lines[0].quantity : 0.0,
			    res.nlines && res.lines[0].unit ?
			    res.lines[0].unit : "-",
			    res.nlines ? res.lines[0].rule : "");
			bad++;
		}
		rules_result_release(&res);
	}
	assert_int_equal(bad, 0);
}

static void
test_split_and_offsets(void **state)
{
	const char *text = "3 bags of house blend and two cases of the "
	    "12oz cups\n1 case of lids; 2 boxes of straws";
	struct rules_result res;
	struct err e;

	assert_int_equal(rules_extract(*state, text, strlen(text), NOW, NULL, &res,
	    &e), 0);
	assert_int_equal(res.nlines, 4);
	assert_string_equal(res.lines[0].item, "house blend");
	assert_int_equal(res.lines[0].quantity, 3);
	assert_string_equal(res.lines[1].item, "12oz cups");
	assert_int_equal(res.lines[1].quantity, 2);
	assert_string_equal(res.lines[1].unit, "case");
	assert_string_equal(res.lines[2].item, "lids");
	assert_string_equal(res.lines[3].item, "straws");
	/* offsets point into the text given */
	assert_memory_equal(text + res.lines[1].off, "two cases", 9);
	assert_memory_equal(text + res.lines[3].off, "2 boxes of straws",
	    res.lines[3].len);
	rules_result_release(&res);
}

static void
test_table_sku(void **state)
{
	const char *text = "SKU | Item | Qty\nHB-1KG | House Blend 1kg | 3\n";
	struct rules_result res;
	struct err e;

	assert_int_equal(rules_extract(*state, text, strlen(text), NOW, NULL, &res,
	    &e), 0);
	assert_int_equal(res.nlines, 1);
	assert_string_equal(res.lines[0].sku, "HB-1KG");
	rules_result_release(&res);
}

static void
test_stop_and_ignore(void **state)
{
	const char *text = "Hi Anna,\nHope you're well\n2 bags of decaf\n"
	    "Thanks,\nBob\n3 bags of house blend\n";
	const char *text2 = "2 bags of decaf\nCheers\n4 boxes of lids\n";
	struct rules_result res;
	struct err e;

	assert_int_equal(rules_extract(*state, text, strlen(text), NOW, NULL, &res,
	    &e), 0);
	assert_int_equal(res.nlines, 1);
	assert_string_equal(res.lines[0].item, "decaf");
	rules_result_release(&res);
	assert_int_equal(rules_extract(*state, text2, strlen(text2), NOW, NULL,
	    &res, &e), 0);
	assert_int_equal(res.nlines, 1);
	rules_result_release(&res);
}

struct ref_case {
	const char	*in;
	const char	*descriptor;
	const char	*period;
	double		 quantity;
	const char	*rule;
};

static const struct ref_case ref_cases[] = {
	{ "same as last time", NULL, NULL, 0, "same-as" },
	{ "Same as last time please!", NULL, NULL, 0, "same-as" },
	{ "the usual", NULL, NULL, 0, "usual" },
	{ "Can we get our usual for Friday?", NULL, NULL, 0, "usual" },
	{ "same again", NULL, NULL, 0, "same-again" },
	{ "repeat my last order", NULL, NULL, 0, "repeat" },
	{ "like last week", NULL, "last week", 0, "like-last" },
	{ "that chocolate thing we got last time", "chocolate thing", NULL, 0,
	    "that-thing" },
	{ "the cups we had in October but bigger", "cups", "October", 0,
	    "that-thing" },
	{ "another 2 of the oat milk we had last month", "oat milk",
	    "last month", 2, "another" },
	{ "same as in March", NULL, "in March", 0, "same-as" },
};

static void
test_ref_table(void **state)
{
	const struct ref_case *c;
	struct rules_result res;
	struct err e;
	size_t i;
	int bad = 0;

	for (i = 0; i < sizeof(ref_cases) / sizeof(ref_cases[0]); i++) {
		c = &ref_cases[i];
		assert_int_equal(rules_extract(*state, c->in, strlen(c->in),
		    NOW, NULL, &res, &e), 0);
		if (res.nrefs != 1 || res.nlines != 0 ||
		    strcmp(res.refs[0].rule, c->rule) != 0 ||
		    (c->descriptor == NULL) !=
		    (res.refs[0].descriptor == NULL) ||
		    (c->descriptor != NULL && strcmp(c->descriptor,
		    res.refs[0].descriptor) != 0) ||
		    (c->period == NULL) != (res.refs[0].period == NULL) ||
		    (c->period != NULL && strcmp(c->period,
		    res.refs[0].period) != 0) ||
		    res.refs[0].quantity != c->quantity) {
			print_message("# '%s': want ref %s/%s/%g (%s), got "
			    "%zu refs %zu lines: %s/%s/%g (%s)\n", c->in,
			    c->descriptor ? c->descriptor : "-",
			    c->period ? c->period : "-", c->quantity, c->rule,
			    res.nrefs, res.nlines,
			    res.nrefs && res.refs[0].descriptor ?
			    res.refs[0].descriptor : "-",
			    res.nrefs && res.refs[0].period ?
			    res.refs[0].period : "-",
			    res.nrefs ? res.refs[0].quantity : 0.0,
			    res.nrefs ? res.refs[0].rule : "");
			bad++;
		}
		rules_result_release(&res);
	}
	assert_int_equal(bad, 0);
}

static void
test_ref_and_line_split(void **state)
{
	const char *text = "same as last time and 2 boxes of cups";
	struct rules_result res;
	struct err e;

	assert_int_equal(rules_extract(*state, text, strlen(text), NOW, NULL, &res,
	    &e), 0);
	assert_int_equal(res.nrefs, 1);
	assert_int_equal(res.nlines, 1);
	assert_string_equal(res.lines[0].item, "cups");
	rules_result_release(&res);
}

/* Whole sentences with several items and references: what each must
 * give, as "QTY [UNIT] ITEM" and "ref DESCRIPTOR" joined by "; ". */
struct multi_case {
	const char	*in;
	const char	*want;
};

static const struct multi_case multi_cases[] = {
	{ "We’re running low on a few things – could you please send 2 bags "
	    "of dark roast, 6 bottles of milk and 4 packs of shortbread? Our "
	    "receptionist’s new, so please ring the bell twice.",
	    "2 bag dark roast; 6 bottle milk; 4 pack shortbread" },
	{ "This time we'd like 2 bags of dark roast and 1 case of 8oz cups.",
	    "2 bag dark roast; 1 case 8oz cups" },
	{ "Actually, make it 4 bags of house blend and 2 cases of 12oz cups.",
	    "4 bag house blend; 2 case 12oz cups" },
	{ "Could we have 4 bottles of milk, and also that chocolate thing we "
	    "got last time?", "4 bottle milk; ref chocolate thing" },
	{ "Could we get a couple of bags of decaf and a box of peppermint "
	    "tea?", "2 bag decaf; 1 box peppermint tea" },
	{ "We'd like twelve cartons of oat milk, four bags of colombian beans "
	    "and one dozen croissants.",
	    "12 carton oat milk; 4 bag colombian beans; 1 dozen croissants" },
	{ "Hi, please add 12 x 1L oat milk and 2 x 12oz cups to our next "
	    "delivery.", "12 1L oat milk; 2 12oz cups" },
	{ "PLEASE SEND 5 CASES OF STILL WATER AND 2 CASES OF SPARKLING WATER "
	    "ASAP.", "5 case STILL WATER; 2 case SPARKLING WATER" },
	{ "Can we add a dozen croissants and half a dozen muffins to this "
	    "week's delivery?", "1 dozen croissants; 0.5 dozen muffins" },
	{ "Our PO number is 55-12. Could you bring 3 boxes of english "
	    "breakfast tea and 8 bottles of milk for tomorrow?",
	    "3 box english breakfast tea; 8 bottle milk" },
	/* "also" only cuts after a comma or "and" */
	{ "I'd also like 3 bags of decaf and 2 boxes of lids",
	    "3 bag decaf; 2 box lids" },
	{ "Are you open on 24 December? If so, could someone call me on "
	    "020 7946 0321 after 10:30?", "" },
};

static void
test_multi_table(void **state)
{
	const struct multi_case *c;
	struct rules_result res;
	struct err e;
	char got[512];
	size_t i, j, n;
	int bad = 0;

	for (i = 0; i < sizeof(multi_cases) / sizeof(multi_cases[0]); i++) {
		c = &multi_cases[i];
		assert_int_equal(rules_extract(*state, c->in, strlen(c->in),
		    NOW, NULL, &res, &e), 0);
		got[0] = '\0';
		n = 0;
		for (j = 0; j < res.nlines; j++)
			n += snprintf(got + n, sizeof(got) - n, "%s%g %s%s%s",
			    n ? "; " : "", res.lines[j].quantity,
			    res.lines[j].unit ? res.lines[j].unit : "",
			    res.lines[j].unit ? " " : "", res.lines[j].item);
		for (j = 0; j < res.nrefs; j++)
			n += snprintf(got + n, sizeof(got) - n, "%sref %s",
			    n ? "; " : "", res.refs[j].descriptor ?
			    res.refs[j].descriptor : "-");
		if (strcmp(got, c->want) != 0) {
			print_message("# '%s':\n#   want '%s'\n#   got  '%s'\n",
			    c->in, c->want, got);
			bad++;
		}
		rules_result_release(&res);
	}
	assert_int_equal(bad, 0);
}

/* tail and lead are data: a drop-in file can add its own */
static void
test_tail_and_lead_rules(void **state)
{
	static const char text[] =
	    "line q ^(?<quantity>\\d+)\\s+(?<item>.+)$\n"
	    "tail soon \\s+soon$\n"
	    "lead want (?<=\\bwant\\s)\n";
	const char *in = "and now I want 3 apples soon";
	struct ruleset *rs;
	struct rules_result res;
	struct err e;

	(void)state;
	rs = rules_load_buffer("tl.rules", text, strlen(text), &e);
	assert_non_null(rs);
	assert_int_equal(rules_extract(rs, in, strlen(in), NOW, NULL, &res, &e), 0);
	assert_int_equal(res.nlines, 1);
	assert_string_equal(res.lines[0].item, "apples");
	assert_int_equal(res.lines[0].quantity, 3);
	/* the line's span starts where the lead put the order */
	assert_int_equal(res.lines[0].off, 15);
	rules_result_release(&res);
	rules_free(rs);
}

struct field_case {
	const char	*in;
	const char	*po;		/* NULL: none */
	const char	*date;		/* NULL: none */
};

/* NOW is Monday 2026-11-23. */
static const struct field_case field_cases[] = {
	{ "PO: 4711", "4711", NULL },
	{ "PO# A-123", "A-123", NULL },
	{ "our PO number is 55-12.", "55-12", NULL },
	{ "Purchase order 99812", "99812", NULL },
	{ "P.O. 1234", "1234", NULL },
	{ "PO Box 12, Springfield", NULL, NULL },
	{ "Please pour 3 shots", NULL, NULL },
	{ "deliver by Friday", NULL, "2026-11-27" },
	{ "deliver by Monday", NULL, "2026-11-30" },
	{ "needed by 3 March", NULL, "2027-03-03" },
	{ "needed by the 25th of November", NULL, "2026-11-25" },
	{ "needed by 23 November", NULL, "2026-11-23" },
	{ "needed by December 1st", NULL, "2026-12-01" },
	{ "delivery on 2026-12-01", NULL, "2026-12-01" },
	{ "by 12/03", NULL, "2026-12-03" },
	{ "by 3/1/27", NULL, "2027-03-01" },
	{ "next Tuesday", NULL, "2026-11-24" },
	{ "tomorrow", NULL, "2026-11-24" },
	{ "by the day after tomorrow", NULL, "2026-11-25" },
	{ "deliver by 31 February", NULL, NULL },
	{ "PO 881 - 3 bags of decaf by Friday", "881", "2026-11-27" },
	/* about the shop or the writer, not a delivery */
	{ "Are you open on 24 December?", NULL, NULL },
	{ "We are closed on Monday", NULL, NULL },
	{ "I'm back on Friday, send 2 bags of decaf", NULL, NULL },
	{ "Could you deliver on 24 December?", NULL, "2026-12-24" },
	{ "We're open on Saturday, please deliver on Friday", NULL,
	    "2026-11-27" },
};

static void
test_field_table(void **state)
{
	const struct field_case *c;
	struct rules_result res;
	struct err e;
	size_t i;
	int bad = 0;

	for (i = 0; i < sizeof(field_cases) / sizeof(field_cases[0]); i++) {
		c = &field_cases[i];
		assert_int_equal(rules_extract(*state, c->in, strlen(c->in),
		    NOW, NULL, &res, &e), 0);
		if ((c->po == NULL) != (res.po_number == NULL) ||
		    (c->po != NULL && strcmp(c->po, res.po_number) != 0) ||
		    (c->date == NULL) != (res.requested_date == NULL) ||
		    (c->date != NULL &&
		    strcmp(c->date, res.requested_date) != 0)) {
			print_message("# '%s': want po %s date %s, got %s %s\n",
			    c->in, c->po ? c->po : "-",
			    c->date ? c->date : "-",
			    res.po_number ? res.po_number : "-",
			    res.requested_date ? res.requested_date : "-");
			bad++;
		}
		rules_result_release(&res);
	}
	assert_int_equal(bad, 0);
}

static void
test_date_text_and_first_wins(void **state)
{
	const char *text = "3 bags of decaf\ndeliver by Friday\n"
	    "or else by Monday\nPO: 1\nPO: 2\n";
	struct rules_result res;
	struct err e;

	assert_int_equal(rules_extract(*state, text, strlen(text), NOW, NULL, &res,
	    &e), 0);
	assert_string_equal(res.requested_date, "2026-11-27");
	assert_string_equal(res.requested_date_text, "deliver by Friday");
	assert_string_equal(res.po_number, "1");
	assert_int_equal(res.nlines, 1);
	rules_result_release(&res);
}

static void
test_date_order_setting(void **state)
{
	static const char dmy[] = "set date-order dmy\n"
	    "date numeric \\bby\\s+(?<first>\\d{1,2})/(?<second>\\d{1,2})\n";
	struct ruleset *rs;
	struct rules_result res;
	struct err e;

	rs = rules_load_buffer("dmy.rules", dmy, strlen(dmy), &e);
	assert_non_null(rs);
	/* both readings are months away: the setting decides */
	assert_int_equal(rules_extract(rs, "by 03/04", 8, NOW, NULL, &res, &e), 0);
	assert_non_null(res.requested_date);
	assert_string_equal(res.requested_date, "2027-04-03");
	rules_result_release(&res);
	/* 5 December is soon, 12 May is not: soon wins in either order */
	assert_int_equal(rules_extract(rs, "by 05/12", 8, NOW, NULL, &res, &e), 0);
	assert_string_equal(res.requested_date, "2026-12-05");
	rules_result_release(&res);
	assert_int_equal(rules_extract(rs, "by 12/05", 8, NOW, NULL, &res, &e), 0);
	assert_string_equal(res.requested_date, "2026-12-05");
	rules_result_release(&res);
	rules_free(rs);
}

static void
test_auto_subjects(void **state)
{
	static const char *const yes[] = { "Out of Office", "Automatic reply: "
	    "order", "Auto: Re: your order", "Autoreply", "Abwesenheitsnotiz",
	    "Away from the office until Monday", "Delivery Status Notification "
	    "(Failure)", "Undeliverable: Order", "Mail delivery failed: "
	    "returning message to sender", "OOO until 3 Dec" };
	static const char *const no[] = { "Order for Friday", "Re: coffee",
	    "Automatic coffee machine", "Delivery on Friday", "Office supplies",
	    "" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!rules_subject_is_automatic(*state, yes[i]))
			fail_msg("'%s' is an autoreply subject", yes[i]);
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (rules_subject_is_automatic(*state, no[i]))
			fail_msg("'%s' is not an autoreply subject", no[i]);
	assert_int_equal(rules_subject_is_automatic(*state, NULL), 0);
}

static void
test_default_rules_load(void **state)
{
	struct ruleset *rs;
	struct err e;

	rs = *state;
	assert_true(rules_count(rs) > 30);
	/* JIT is available on the build machines (x86-64, no W^X policy) */
	assert_int_equal(rules_jit_active(rs), 1);
	rs = load_one("rules/en.rules", &e);
	assert_non_null(rs);
	rules_free(rs);
}

struct load_error_case {
	const char	*file;
	const char	*msg;	/* after "FILE:" */
};

static const struct load_error_case load_error_cases[] = {
	{ "bad-regex.rules", "4: rule 'broken': missing closing parenthesis "
	    "at offset 29" },
	{ "unknown-kind.rules", "2: unknown kind 'lien'" },
	{ "missing-name.rules", "2: missing rule name" },
	{ "missing-pattern.rules", "2: missing pattern for rule 'closing'" },
	{ "unknown-macro.rules", "3: rule 'x': unknown macro {ITEM}" },
	{ "duplicate.rules", "4: duplicate rule name 'hello' (first at " },
	{ "no-item.rules", "2: line rule 'noitem' has no (?<item>...) group" },
	{ "unterminated.rules", "2: unterminated quote" },
	{ "po-no-value.rules", "2: po rule 'ponum' has no (?<value>...) "
	    "group" },
	{ "bad-setting.rules", "2: date-order is 'mdy' or 'dmy', not 'ymd'" },
	{ "macro-loop.rules", "4: rule 'loop': macros nested too deeply" },
	{ "no-such-file.rules", NULL },
};

static void
test_load_errors(void **state)
{
	const struct load_error_case *c;
	struct ruleset *rs;
	struct err e;
	char rel[256], *want;
	size_t i;

	for (i = 0; i < sizeof(load_error_cases) /
	    sizeof(load_error_cases[0]); i++) {
		c = &load_error_cases[i];
		snprintf(rel, sizeof(rel), "tests/fixtures/rules/%s", c->file);
		rs = load_one(rel, &e);
		assert_null(rs);
		assert_int_equal(e.cls, ERR_CONFIG);
		want = srcpath(rel);
		if (c->msg == NULL) {
			if (strstr(e.msg, "cannot open") == NULL ||
			    strstr(e.msg, want) == NULL)
				fail_msg("%s: got '%s'", c->file, e.msg);
		} else if (strncmp(e.msg, want, strlen(want)) != 0 ||
		    e.msg[strlen(want)] != ':' ||
		    strncmp(e.msg + strlen(want) + 1, c->msg,
		    strlen(c->msg)) != 0)
			fail_msg("%s: want '%s', got '%s'", c->file, c->msg,
			    e.msg);
		free(want);
	}
}

static void
test_unterminated_quote(void **state)
{
	static const char text[] = "unit \"fl oz\" \"fluid ounce\n";
	struct err e;

	assert_null(rules_load_buffer("q.rules", text, strlen(text), &e));
	assert_string_equal(e.msg, "q.rules:1: unterminated quote");
}

static void
test_dropin_order(void **state)
{
	char *dir = srcpath("tests/fixtures/rules/dropin");
	char *dup = srcpath("tests/fixtures/rules/dropin-dup.rules");
	const char *paths[2] = { dir, dup };
	const char *text = "3 crates of apples";
	struct ruleset *rs;
	struct rules_result res;
	struct err e;

	/* README and *.rules.off in the directory are not read */
	rs = rules_load(paths, 1, &e);
	assert_non_null(rs);
	assert_int_equal(rules_count(rs), 2);
	assert_int_equal(rules_extract(rs, text, strlen(text), NOW, NULL, &res, &e),
	    0);
	assert_int_equal(res.nlines, 1);
	/* 00-base.rules comes first, and its {UNIT} knows the unit that
	 * 10-local.rules added */
	assert_string_equal(res.lines[0].rule, "base");
	assert_string_equal(res.lines[0].unit, "crate");
	assert_string_equal(res.lines[0].item, "apples");
	rules_result_release(&res);
	rules_free(rs);

	/* a later path clashing with a drop-in's rule name */
	assert_null(rules_load(paths, 2, &e));
	assert_non_null(strstr(e.msg, "dropin-dup.rules:3: duplicate rule "
	    "name 'base' (first at "));
	assert_non_null(strstr(e.msg, "00-base.rules:4)"));
	free(dir);
	free(dup);
}

static double
elapsed_us(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) * 1e6 +
	    (double)(b->tv_nsec - a->tv_nsec) / 1e3;
}

static void
test_match_limit(void **state)
{
	struct ruleset *rs;
	struct rules_result res;
	struct timespec t0, t1;
	struct err e;
	char *text;
	size_t n = 10000;

	rs = load_one("tests/fixtures/rules/catastrophic.rules", &e);
	assert_non_null(rs);
	/* 3000 "a"s and a "!" (inside the line cap, so the catastrophic
	 * pattern really runs), then 10,000 "a"s cut at the cap, then a
	 * real line that must still be read */
	text = malloc(3000 + 2 + n + 64);
	assert_non_null(text);
	memset(text, 'a', 3000);
	memcpy(text + 3000, "!\n", 2);
	memset(text + 3002, 'a', n);
	strcpy(text + 3002 + n, "b\n3 apples\n");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(rules_extract(rs, text, strlen(text), NOW, NULL, &res, &e),
	    0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(res.limit_hit, 1);
	assert_int_equal(res.truncated, 1);
	assert_int_equal(res.nlines, 1);
	assert_string_equal(res.lines[0].item, "apples");
	print_message("# hostile lines: %.0f us\n", elapsed_us(&t0, &t1));
	assert_true(elapsed_us(&t0, &t1) < 500000);
	rules_result_release(&res);
	free(text);
	rules_free(rs);
}

/* Each lead match re-reads the rest of its sentence: a text made of
 * nothing but lead-ins must not make that quadratic. */
static void
test_lead_hostile(void **state)
{
	struct rules_result res;
	struct err e;
	char *text;
	size_t i, n = 60, linelen = 4000, off = 0;

	text = malloc(n * (linelen + 1) + 16);
	assert_non_null(text);
	for (i = 0; i < n; i++) {
		while (off < (i + 1) * (linelen + 1) - 12) {
			memcpy(text + off, "could you ", 10);
			off += 10;
		}
		text[off++] = '\n';
	}
	strcpy(text + off, "3 apples\n");
	assert_int_equal(rules_extract(*state, text, strlen(text), NOW, NULL, &res,
	    &e), 0);
	assert_int_equal(res.nlines, 1);
	assert_string_equal(res.lines[0].item, "apples");
	/* No rule backtracked into PCRE2's match limit on the lead-ins: the
	 * work per line stays bounded however busy the machine is (the
	 * time it takes is bench/'s business). */
	assert_int_equal(res.limit_hit, 0);
	rules_result_release(&res);
	free(text);
}

static void
test_speed(void **state)
{
	const char *body = "Hi Anna,\n"
	    "Hope you're well!\n"
	    "Could we get 3 bags of house blend and two cases of the 12oz "
	    "cups\n"
	    "- 2 boxes of stir sticks\n"
	    "oat milk - 6\n"
	    "a dozen croissants\n"
	    "same as last time for the syrups\n"
	    "PO: 4711, deliver by Friday please\n"
	    "Thanks,\n"
	    "Bob\n";
	struct rules_result res;
	struct timespec t0, t1;
	struct err e;
	char *paths0;
	const char *paths[1];
	struct ruleset *rs;
	int i, iters = 2000;
	double us, load_us;

	paths0 = srcpath("rules/en.rules");
	paths[0] = paths0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rs = rules_load(paths, 1, &e);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_non_null(rs);
	load_us = elapsed_us(&t0, &t1);
	rules_free(rs);
	free(paths0);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < iters; i++) {
		assert_int_equal(rules_extract(*state, body, strlen(body), NOW, NULL,
		    &res, &e), 0);
		if (i == 0) {
			assert_int_equal(res.nlines, 5);
			assert_int_equal(res.nrefs, 1);
			assert_string_equal(res.po_number, "4711");
			assert_string_equal(res.requested_date, "2026-11-27");
		}
		rules_result_release(&res);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	us = elapsed_us(&t0, &t1) / iters;
	print_message("# rules_load(en.rules): %.0f us; extract of a "
	    "10-line body: %.1f us\n", load_us, us);
	/* generous bounds so sanitizer builds pass; the figures are printed */
	assert_true(load_us < 1000000);
	assert_true(us < 20000);
}

/*
 * The text is a span, not a string: a table whose last cell ends the
 * buffer, right before a page nothing may read, is read without a byte
 * past its end (fuzz_rules found cell_is_price() searching on with
 * strstr() for a euro sign; tests/fuzz/corpus/rules/table-at-end).
 */
static void
test_table_text_not_terminated(void **state)
{
	/* No header: the columns' roles are inferred, prices among them. */
	static const char text[] =
	    "House Blend 1kg | 3 | 4.50\n"
	    "Decaf 250g | 2 | 12.00";
	long page = sysconf(_SC_PAGESIZE);
	struct rules_result res;
	struct err e;
	char *map, *t;

	map = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(map != MAP_FAILED);
	assert_int_equal(mprotect(map + page, (size_t)page, PROT_NONE), 0);
	t = map + page - (sizeof(text) - 1);
	memcpy(t, text, sizeof(text) - 1);
	assert_int_equal(rules_extract(*state, t, sizeof(text) - 1, NOW, NULL,
	    &res, &e), 0);
	assert_int_equal(res.nlines, 2);
	assert_true(res.lines[0].quantity == 3);
	assert_true(res.lines[1].quantity == 2);
	rules_result_release(&res);
	munmap(map, (size_t)page * 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_rules_load),
		cmocka_unit_test(test_line_table),
		cmocka_unit_test(test_split_and_offsets),
		cmocka_unit_test(test_multi_table),
		cmocka_unit_test(test_tail_and_lead_rules),
		cmocka_unit_test(test_table_sku),
		cmocka_unit_test(test_stop_and_ignore),
		cmocka_unit_test(test_ref_table),
		cmocka_unit_test(test_ref_and_line_split),
		cmocka_unit_test(test_field_table),
		cmocka_unit_test(test_date_text_and_first_wins),
		cmocka_unit_test(test_date_order_setting),
		cmocka_unit_test(test_auto_subjects),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_unterminated_quote),
		cmocka_unit_test(test_dropin_order),
		cmocka_unit_test(test_match_limit),
		cmocka_unit_test(test_lead_hostile),
		cmocka_unit_test(test_table_text_not_terminated),
		cmocka_unit_test(test_speed),
	};

	return cmocka_run_group_tests(tests, setup_en, teardown_en);
}

/*
 * Benchmark data generator; see gen.h.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "bench/gen.h"
#include "store/catalog.h"
#include "store/customer.h"
#include "store/history.h"
#include "store/store.h"

static const char *const adjectives[] = {
	"house", "dark", "light", "organic", "premium", "classic", "roasted",
	"fresh", "mild", "strong", "smooth", "golden", "rustic", "italian",
	"colombian", "kenyan", "decaf", "vanilla", "hazelnut", "caramel",
	"spiced", "herbal", "green", "black", "white", "wholegrain", "salted",
	"sweet", "honey", "maple",
};
static const char *const nouns[] = {
	"blend", "roast", "espresso", "beans", "tea", "cups", "lids",
	"stirrers", "napkins", "sugar", "milk", "biscuits", "cookies",
	"croissants", "muffins", "filters", "syrup", "cocoa", "water",
	"juice", "crackers", "granola", "oats", "chocolate", "wafers",
	"tablets", "sachets", "straws", "plates", "spoons",
};
static const char *const sizes[] = {
	"250g", "500g", "1kg", "2kg", "8oz", "12oz", "16oz", "1L", "2L", "6pk",
};
static const char *const units[] = { "bags", "cases", "boxes", "packs" };
static const char *const words[] = {
	"one", "two", "three", "four", "five", "six", "a dozen",
};

static uint32_t
gen_rand(unsigned long *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(*s >> 33);
}

#define PICK(a, s) (a[gen_rand(s) % (sizeof(a) / sizeof(a[0]))])

static void
gen_product(size_t i, char *sku, char *name, size_t n)
{
	const size_t na = sizeof(adjectives) / sizeof(adjectives[0]);
	const size_t nn = sizeof(nouns) / sizeof(nouns[0]);
	const size_t ns = sizeof(sizes) / sizeof(sizes[0]);

	snprintf(sku, 32, "P%05zu", i);
	snprintf(name, n, "%s %s %s %s", adjectives[i % na],
	    adjectives[(i / na) % na], nouns[(i / (na * na)) % nn],
	    sizes[i % ns]);
}

int
gen_store(struct gen *g, struct store *st, size_t nhistory, struct err *err)
{
	char sku[32], name[128], alias1[128], alias2[128], id[32], addr[64];
	char ref[32], date[16];
	char *aliases[2] = { alias1, alias2 };
	unsigned long s = g->seed;
	int64_t order_id = 0;
	size_t i;

	if (store_begin(st, err) == -1)
		return -1;
	for (i = 0; i < g->nproducts; i++) {
		gen_product(i, sku, name, sizeof(name));
		snprintf(alias1, sizeof(alias1), "%s", name);
		*strrchr(alias1, ' ') = '\0';	/* without the size */
		snprintf(alias2, sizeof(alias2), "item %zu", i);
		if (store_product_upsert(st, sku, name, "bag", err) == -1 ||
		    store_product_set_aliases(st, sku, aliases, 2, err) == -1)
			goto fail;
	}
	for (i = 0; i < g->ncustomers; i++) {
		char *a[1] = { addr };

		snprintf(id, sizeof(id), "C%04zu", i);
		snprintf(addr, sizeof(addr), "@customer%zu.example", i);
		if (store_customer_upsert(st, id, id, err) == -1 ||
		    store_customer_set_addresses(st, id, a, 1, err) == -1)
			goto fail;
	}
	store_history_import_reset(st);
	for (i = 0; i < nhistory; i++) {
		if (i % 5 == 0) {
			snprintf(ref, sizeof(ref), "H%07zu", i / 5);
			snprintf(id, sizeof(id), "C%04u",
			    (unsigned)(gen_rand(&s) % g->ncustomers));
			snprintf(date, sizeof(date), "2026-%02u-%02u",
			    1 + gen_rand(&s) % 10, 1 + gen_rand(&s) % 28);
			if (store_history_order_upsert(st, ref, id, date,
			    &order_id, err) == -1)
				goto fail;
		}
		snprintf(sku, sizeof(sku), "P%05u",
		    (unsigned)(gen_rand(&s) % g->nproducts));
		if (store_history_line_add(st, order_id, sku,
		    1 + gen_rand(&s) % 5, err) == -1)
			goto fail;
	}
	return store_commit(st, err);
fail:
	store_rollback(st);
	return -1;
}

static void
gen_lines(struct gen *g, unsigned long *s, struct buf *b, int words_ok)
{
	char sku[32], name[128];
	int n = 1 + (int)(gen_rand(s) % 6), i;

	for (i = 0; i < n; i++) {
		gen_product(gen_rand(s) % g->nproducts, sku, name,
		    sizeof(name));
		*strrchr(name, ' ') = '\0';
		switch (gen_rand(s) % 4) {
		case 0:
			buf_addf(b, "%u %s of %s\n", 1 + gen_rand(s) % 9,
			    PICK(units, s), name);
			break;
		case 1:
			buf_addf(b, "- %s x%u\n", name, 1 + gen_rand(s) % 9);
			break;
		case 2:
			buf_addf(b, "%s %s\n", words_ok ? PICK(words, s) : "2",
			    name);
			break;
		default:
			buf_addf(b, "Qty: %u %s\n", 1 + gen_rand(s) % 20, name);
			break;
		}
	}
}

static void
gen_padding(unsigned long *s, struct buf *b, size_t target)
{
	static const char *const prose[] = {
		"Thanks again for the quick delivery last week, everyone in "
		"the office noticed.",
		"Could you also let us know if the invoice address changed?",
		"We are moving to the third floor next month, same building.",
		"The team really likes the new blend, keep it coming.",
	};

	buf_adds(b, "\nOn Mon, 12 Oct 2026 at 09:14, Orders "
	    "<orders@beanleaf.example> wrote:\n");
	while (b->len < target) {
		buf_addf(b, "> %s\n", PICK(prose, s));
		buf_addf(b, "> %u bags of house blend\n>\n",
		    1 + gen_rand(s) % 5);
	}
}

void
gen_message(struct gen *g, size_t i, struct buf *b)
{
	unsigned long s = g->seed ^ (i * 2654435761UL);
	size_t start = b->len, target = 2048 + gen_rand(&s) % 8192;
	unsigned c = gen_rand(&s) % (unsigned)g->ncustomers;
	int html = gen_rand(&s) % 4 == 0;

	buf_addf(b, "Return-Path: <buyer@customer%u.example>\r\n"
	    "From: Buyer %u <buyer@customer%u.example>\r\n"
	    "To: Orders <orders@beanleaf.example>\r\n"
	    "Subject: Order for this week #%zu\r\n"
	    "Date: Wed, 18 Nov 2026 10:%02zu:00 +0000\r\n"
	    "Message-ID: <bench-%zu@customer%u.example>\r\n"
	    "MIME-Version: 1.0\r\n", c, c, c, i, i % 60, i, c);
	if (html)
		buf_adds(b, "Content-Type: multipart/alternative; "
		    "boundary=\"b1\"\r\n\r\n--b1\r\n"
		    "Content-Type: text/plain; charset=utf-8\r\n\r\n");
	else
		buf_adds(b, "Content-Type: text/plain; charset=utf-8\r\n"
		    "Content-Transfer-Encoding: 8bit\r\n\r\n");
	buf_adds(b, "Hi team,\n\nPlease send us:\n");
	gen_lines(g, &s, b, 1);
	buf_adds(b, "\nThanks,\nSam\n-- \nSam Buyer | Office Manager\n"
	    "Suite 200, 42 Example Street\nTel: +1 555 0100 200\n");
	gen_padding(&s, b, start + target - (html ? 400 : 0));
	if (html)
		buf_adds(b, "\r\n--b1\r\nContent-Type: text/html; "
		    "charset=utf-8\r\n\r\n<html><body><p>Please send "
		    "us the usual list.</p><table><tr><td>2</td><td>house "
		    "blend</td></tr></table></body></html>\r\n--b1--\r\n");
}

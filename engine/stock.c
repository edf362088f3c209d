/*
 * Products that cannot be sold now.  A line the customer wrote for a
 * product that is out of stock or discontinued is flagged "unavailable"
 * for a person (who tells the customer, or proposes another), with the
 * nearest available products as candidates: those sharing the most words
 * with the product's name, else with the customer's own words.
 */
#include "config.h"

#include <string.h>

#include "engine/engine_int.h"
#include "resolve/catalog.h"

#define STOCK_CANDIDATES	3
#define STOCK_LOOK		12	/* matches looked at for them */

/* Add the available products that best match words, other than sku, to
 * f; returns how many f has. */
static size_t
stock_alternatives(struct engine *e, const char *words, const char *sku,
    const char *customer, struct engine_flag *f)
{
	struct catalog_match m[STOCK_LOOK];
	const char *av;
	size_t n, i;

	if (words == NULL)
		return f->ncands;
	n = catalog_match_all(e->catalog, words, customer, m, STOCK_LOOK);
	for (i = 0; i < n && f->ncands < STOCK_CANDIDATES; i++) {
		av = catalog_availability(e->catalog, m[i].sku);
		if (strcmp(m[i].sku, sku) == 0 || av == NULL ||
		    strcmp(av, "available") != 0)
			continue;
		engine_flag_candidate(f, m[i].sku, m[i].score);
	}
	return f->ncands;
}

void
engine_check_stock(struct engine *e, struct engine_result *r, size_t i)
{
	const struct engine_line *l = &r->lines[i];
	const char *av, *name;
	struct engine_flag *f;

	if (l->sku == NULL ||
	    (av = catalog_availability(e->catalog, l->sku)) == NULL ||
	    strcmp(av, "available") == 0)
		return;
	name = catalog_name(e->catalog, l->sku);
	f = engine_flag_add(r, "unavailable", (int)i, "%s (%s) is %s",
	    name != NULL ? name : l->sku, l->sku,
	    strcmp(av, "discontinued") == 0 ? "discontinued" : "out of stock");
	if (f == NULL)
		return;
	if (stock_alternatives(e, name, l->sku, r->customer_id, f) == 0)
		stock_alternatives(e, l->item, l->sku, r->customer_id, f);
}

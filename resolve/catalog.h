/*
 * The catalog index: an in-memory copy of products and aliases built once
 * from the store, answering "which product does this text mean?" fast
 * enough to run for every order line (no SQL on the hot path).
 *
 * Matching goes from sure to unsure: a customer's learned alias, a global
 * alias / name / SKU, the same words without spaces ("oatmilk"), then
 * weighted token overlap with typo-tolerant tokens ("hous blend",
 * "stirers").  Scores are 0..1.
 *
 * Not thread-safe: matching uses scratch space inside the index.
 */
#ifndef MO_RESOLVE_CATALOG_H
#define MO_RESOLVE_CATALOG_H

#include <stddef.h>

#include "common/error.h"

struct store;
struct catalog;

struct catalog_match {
	const char	*sku;		/* borrowed from the index */
	double		 score;		/* 0..1 */
	const char	*how;		/* "learned", "alias", "name", "sku",
					   "joined", "fuzzy" */
};

#define CATALOG_MAX_CANDIDATES 5

/* Build the index from every active product and alias in the store. */
struct catalog	*catalog_load(struct store *, struct err *);
void		 catalog_free(struct catalog *);

size_t		 catalog_size(const struct catalog *);

/* The product's catalog name and unit, borrowed; NULL for an unknown
 * SKU (unit may be NULL for a known one). */
const char	*catalog_name(const struct catalog *, const char *sku);
const char	*catalog_unit(const struct catalog *, const char *sku);

/* Rank products for text (what the customer wrote for the item).  Aliases
 * learned for customer_id (may be NULL) count as sure matches.  Writes at
 * most max matches, one per product, best first, into out; returns how
 * many. */
size_t		 catalog_match(struct catalog *, const char *text,
		    const char *customer_id, struct catalog_match *out,
		    size_t max);

/* How well the words of descriptor ("chocolate thing", "cups") describe
 * the product sku: the share of the descriptor's meaningful words found
 * in the product's name or aliases, 0..1.  Vague words are ignored; a
 * descriptor with no meaningful word scores 0. */
double		 catalog_describes(struct catalog *, const char *descriptor,
		    const char *sku);

#endif

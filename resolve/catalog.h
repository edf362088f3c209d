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

/* "available", "out_of_stock" or "discontinued" (static strings); NULL
 * for an unknown SKU. */
const char	*catalog_availability(const struct catalog *, const char *sku);

/* Rank products for text (what the customer wrote for the item).  Aliases
 * learned for customer_id (may be NULL) count as sure matches.  Writes at
 * most max matches, one per product, best first, into out; returns how
 * many. */
size_t		 catalog_match(struct catalog *, const char *text,
		    const char *customer_id, struct catalog_match *out,
		    size_t max);

/* The same, ranking every product that shares words with text even when
 * an alias is exact ("floor cleaner" is an alias of the gallon; the drum
 * shares its words). */
size_t		 catalog_match_all(struct catalog *, const char *text,
		    const char *customer_id, struct catalog_match *out,
		    size_t max);

/* Word classes the catalog cannot know, from the rules: a qualifier
 * ("decaf", "vegan") makes a different product; a unit ("bags") is no
 * part of one.  Either callback may be NULL. */
struct catalog_words {
	int	(*is_qualifier)(void *arg, const char *word, size_t len);
	int	(*is_unit)(void *arg, const char *word, size_t len);
	void	*arg;
};

struct catalog_mention {
	size_t			 so, eo;	/* the product's words in text */
	struct catalog_match	 m[CATALOG_MAX_CANDIDATES];
	size_t			 n;		/* matches in m, best first */
	size_t			 ntok;		/* words in so..eo */
	size_t			 extra;		/* unknown words beside them */
	char			 contra[48];	/* a word beside them that
						   names something m[0] is
						   not ("decaf"); "" none */
};

/*
 * Find the words in text[0..len) that name a product best, for an item
 * written with words around it ("blueberry muffins to our order this
 * week", "the decaf house pods").  Every run of up to six words is
 * ranked like catalog_match; the best run is widened over neighbouring
 * words the product has (a size, "1kg"), and a neighbouring word that
 * the catalog knows from other products, a qualifier or a size that this
 * product lacks is reported in contra: the customer means a product that
 * is not this one.  Returns out->n (0: no product words at all).
 */
size_t		 catalog_mention(struct catalog *, const char *text,
		    size_t len, const char *customer_id,
		    const struct catalog_words *, struct catalog_mention *out);

/* How well the words of descriptor ("chocolate thing", "cups") describe
 * the product sku: the share of the descriptor's meaningful words found
 * in the product's name or aliases, 0..1.  Vague words are ignored; a
 * descriptor with no meaningful word scores 0. */
double		 catalog_describes(struct catalog *, const char *descriptor,
		    const char *sku);

#endif

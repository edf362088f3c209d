/*
 * Products and their aliases.  Aliases are stored normalised (see
 * store_alias_normalise) so lookups are exact string matches.
 */
#ifndef MO_STORE_CATALOG_H
#define MO_STORE_CATALOG_H

#include <stddef.h>

#include "common/error.h"
#include "store/store.h"

/* Insert or update a product (name, unit; unit may be NULL). */
int	store_product_upsert(struct store *, const char *sku,
	    const char *name, const char *unit, struct err *);

/* Replace the imported global aliases of sku with aliases[0..n).  Aliases
 * learned from operators are kept.  Each alias is normalised first; empty
 * ones are skipped. */
int	store_product_set_aliases(struct store *, const char *sku,
	    char *const *aliases, size_t n, struct err *);

/* For imports: create or update product sku (name, unit may be NULL)
 * and make its imported global aliases aliases[0..n) (normalised, empty
 * ones skipped), touching only what differs, so the catalog version moves
 * only when something changed.  *how_r says which it was. */
int	store_product_import(struct store *, const char *sku,
	    const char *name, const char *unit, char *const *aliases,
	    size_t n, enum store_import_how *how_r, struct err *);

/* Remember that, for customer_id ("" for everyone), the words alias mean
 * sku.  Used when an operator corrects a line. */
int	store_alias_learn(struct store *, const char *alias, const char *sku,
	    const char *customer_id, struct err *);

/* 1 when the product exists, 0 when not, -1 on error. */
int	store_product_exists(struct store *, const char *sku, struct err *);

/* Count products (active or not) and aliases (all sources); for import
 * summaries and tests. */
int	store_product_count(struct store *, long *products_r, long *aliases_r,
	    struct err *);

/* Copy the product's name and unit (either may be NULL) into malloc'd
 * strings owned by the caller.  1 found, 0 not found, -1 error. */
int	store_product_get(struct store *, const char *sku, char **name_r,
	    char **unit_r, struct err *);

/* Call cb for every active product; a non-zero return from cb stops the
 * walk and is returned.  Strings are borrowed for the call only. */
typedef int (*store_product_cb)(void *arg, const char *sku,
	    const char *name, const char *unit);
int	store_products_foreach(struct store *, store_product_cb, void *arg,
	    struct err *);

/* Availability: "available", "out_of_stock" or "discontinued".  The
 * canonical name for what a person typed ("out of stock", "Out-Of-Stock",
 * "" is available), or NULL when it is none of them. */
const char *store_availability_parse(const char *);

/* Set the availability of product sku (canonical name).  *changed_r
 * (may be NULL) is 1 when it was different.  ERR_MSG for an unknown SKU
 * or availability. */
int	store_product_set_availability(struct store *, const char *sku,
	    const char *availability, int *changed_r, struct err *);

/* The availability of product sku into a malloc'd string: 1, 0 when
 * there is no such product, -1 on error. */
int	store_product_availability(struct store *, const char *sku,
	    char **availability_r, struct err *);

/* Call cb for every active product that is not available, with its
 * availability and name. */
typedef int (*store_availability_cb)(void *arg, const char *sku,
	    const char *availability, const char *name);
int	store_products_unavailable_foreach(struct store *,
	    store_availability_cb, void *arg, struct err *);

/* Likewise for every alias; customer_id is "" for global aliases. */
typedef int (*store_alias_cb)(void *arg, const char *alias,
	    const char *sku, const char *customer_id);
int	store_aliases_foreach(struct store *, store_alias_cb, void *arg,
	    struct err *);

/* Normalise a product name or alias for matching: UTF-8 lower-case for
 * ASCII letters, punctuation other than letters/digits/'%' and '.' inside
 * numbers turned into spaces, runs of spaces collapsed, trimmed.  Returns
 * a malloc'd string. */
char	*store_alias_normalise(const char *);

#endif

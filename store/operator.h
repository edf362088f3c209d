/*
 * What the operator's screens and commands read besides the orders
 * themselves (store/query.h): a customer's past orders, the catalog
 * search, the last quantity a customer took, and whether another
 * connection changed anything.  The actions are review/'s.
 */
#ifndef MO_STORE_OPERATOR_H
#define MO_STORE_OPERATOR_H

#include <stdint.h>

#include "common/error.h"
#include "store/store.h"

/* Past orders of a customer, newest first, at most limit (0: all):
 * imported history and orders from mail that were accepted or shipped.
 * items is "3 HB-1KG, 1 CUP-12OZ".  Strings are borrowed for the call. */
typedef int (*store_operator_history_cb)(void *arg, const char *ref,
	    const char *date, const char *status, const char *items);
int	store_operator_history(struct store *, const char *customer_id,
	    int limit, store_operator_history_cb, void *arg, struct err *);

/* Active products whose SKU or name contains words (case-insensitive),
 * SKU order, at most limit. */
typedef int (*store_operator_product_cb)(void *arg, const char *sku,
	    const char *name, const char *unit);
int	store_operator_products_search(struct store *, const char *words,
	    int limit, store_operator_product_cb, void *arg, struct err *);

/* The quantity of sku in the customer's most recent order that had it;
 * 0 when none. */
int	store_operator_last_quantity(struct store *, const char *customer_id,
	    const char *sku, double *quantity_r, struct err *);

/* PRAGMA data_version: changes when another connection commits, so a
 * screen knows when to reload. */
int	store_operator_data_version(struct store *, int64_t *version_r,
	    struct err *);

#endif

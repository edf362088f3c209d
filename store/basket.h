/*
 * What "same as last time" and "the usual" mean for a customer, as lines
 * to copy into an order: the lines of one earlier order, or the
 * customer's usual basket.  Read by review_fill().
 */
#ifndef MO_STORE_BASKET_H
#define MO_STORE_BASKET_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "store/store.h"

/* How many of the customer's recent orders the usual basket looks at. */
#define STORE_BASKET_RECENT	6

/* One line to copy; sku is borrowed for the call. */
typedef int (*store_basket_cb)(void *arg, const char *sku, double quantity);

/*
 * The order an operator means by "last time": the customer's newest
 * order (imported history, or from mail and accepted or shipped) other
 * than order_id.  Fills id_r and ref_r (STORE_REF_MAX); returns 1, 0 when
 * the customer has none, -1.
 */
int	store_basket_last(struct store *, const char *customer_id,
	    int64_t order_id, int64_t *id_r, char *ref_r, struct err *);

/* The order whose ref is ref (as typed: any case): 1 with its id and
 * customer (STORE_CUSTOMER_ID_MAX bytes, "" when none), 0, -1. */
int	store_basket_order(struct store *, const char *ref, int64_t *id_r,
	    char *customer_r, struct err *);

/* The lines of order id with a product, in line order. */
int	store_basket_lines(struct store *, int64_t id, store_basket_cb,
	    void *arg, struct err *);

/*
 * The usual basket: each product in at least half of the customer's last
 * STORE_BASKET_RECENT orders (other than order_id), with the quantity
 * taken most often (the larger on a tie), in the order the products
 * first appear in the newest of those orders.
 */
int	store_basket_usual(struct store *, const char *customer_id,
	    int64_t order_id, store_basket_cb, void *arg, struct err *);

/* The SKU on line of order id (malloc'd; NULL when the line has none):
 * 1, 0 when there is no such line, -1. */
int	store_basket_line_sku(struct store *, int64_t id, int line,
	    char **sku_r, struct err *);

/* 1 when order id has a line for sku, 0 when not. */
int	store_basket_has(struct store *, int64_t id, const char *sku,
	    struct err *);

#endif

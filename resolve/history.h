/*
 * A customer's order history, for references ("same as last time", "that
 * chocolate thing from October") and for spotting unusual quantities.
 */
#ifndef MO_RESOLVE_HISTORY_H
#define MO_RESOLVE_HISTORY_H

#include <stddef.h>
#include <time.h>

#include "common/error.h"

struct store;
struct store_history_cut;
struct catalog;

struct history_line {
	char	*order_ref;
	char	*date;		/* YYYY-MM-DD */
	char	*sku;
	double	 quantity;
};

struct history {
	struct history_line	*lines;	/* newest order first, in line order */
	size_t			 n;
};

/* Load the lines of customer_id's max_orders most recent orders (only
 * those before cut, when it is not NULL). */
int	history_load(struct store *, const char *customer_id, int max_orders,
	    const struct store_history_cut *cut, struct history *out,
	    struct err *);
void	history_release(struct history *);

/* Add an order just stored (its lines with a SKU: skus[i], qty[i]) where
 * history_load would have put it, dropping the oldest order beyond
 * max_orders, so a cached history stays what a fresh load would give. */
void	history_add_order(struct history *, int max_orders, const char *ref,
	    const char *date, const char *const *skus, const double *qty,
	    size_t n);

struct history_candidate {
	const char	*sku;		/* borrowed from the history */
	double		 score;
	double		 last_quantity;	/* in the newest order that had it */
};

/* The SKUs a reference most likely means, best first, at most max.  With
 * no descriptor: the lines of the most recent order (within period if
 * one is given).  With one: the SKUs in the history the descriptor
 * describes, the most recent first among equals.  period ("october",
 * "last month", "last week") narrows the orders considered when it
 * matches any; now is the message date. */
size_t	history_candidates(const struct history *, struct catalog *,
	    const char *descriptor, const char *period, time_t now,
	    struct history_candidate *out, size_t max);

/* The quantities this customer usually takes of sku: *min_r and *max_r
 * over the orders that had it, and how many orders that was (0: never
 * ordered). */
int	history_quantity_range(const struct history *, const char *sku,
	    double *min_r, double *max_r);

#endif

/*
 * Insight: the figures of `mailorder report`, computed from the store,
 * and their renderings (text, JSON, a self-contained HTML page).  The
 * store only counts and walks (store/report.h); what the figures mean is
 * decided here, once:
 *   - a mail order is an order from mail that is not ignored (accepted,
 *     flagged, rejected or shipped);
 *   - a sale is imported history, or a mail order accepted or shipped;
 *   - a touchless order is a sale from mail that no operator acted on,
 *     shipping aside (its audit log has no action but 'ship');
 *   - the confirmation time runs from the mail's arrival to the first
 *     confirmation sent for its order.
 * Loads fill a struct the caller owns and releases; they fail only on
 * store errors, passed up in err.
 */
#ifndef MO_INSIGHT_H
#define MO_INSIGHT_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/error.h"
#include "insight/day.h"

struct store;

/* A period of days, both ends included. */
struct insight_period {
	long	since, until;
};

/* One ranked row: a flag code, a product, a customer, an action. */
struct insight_rank {
	char	*key;		/* code, SKU, customer ID, action */
	char	*name;		/* product or customer name; may be NULL */
	int64_t	 n;		/* orders (flags: flags raised) */
	int64_t	 m;		/* flags: orders flagged */
	double	 quantity;	/* products: total quantity */
};

struct insight_week {
	long	 monday;
	int64_t	 orders, touchless, imported;
};

struct insight_day_actions {
	long			 day;
	int64_t			 total;
	struct insight_rank	*actions;	/* by name */
	size_t			 nactions;
};

/* What one top customer's lines of the period are: the products with the
 * largest share of them, the rest as other. */
#define INSIGHT_MIX_TOP 5
struct insight_mix {
	char	*sku[INSIGHT_MIX_TOP];
	double	 share[INSIGHT_MIX_TOP];	/* of the customer's lines */
	size_t	 n;
	double	 other;
	int64_t	 lines;
};

struct insight_shop {
	struct insight_period	 period;
	int64_t			 orders, touchless, imported, sales;
	struct insight_week	*weeks;		/* every week of the period */
	size_t			 nweeks;
	struct insight_rank	*flags;		/* most orders first */
	size_t			 nflags;
	size_t			 nconfirmed;	/* orders with a time below */
	double			 confirm_median, confirm_p90;	/* seconds */
	int64_t			 actions;
	struct insight_day_actions *days;	/* days with actions */
	size_t			 ndays;
	struct insight_rank	*products, *customers;	/* the top ones */
	size_t			 nproducts, ncustomers;
	struct insight_mix	*mixes;		/* one per top customer */
};

/* The shop over period, with the top `top` products and customers.
 * Release even after a failure. */
int	insight_shop_load(struct store *, const struct insight_period *,
	    int top, struct insight_shop *, struct err *);
void	insight_shop_release(struct insight_shop *);

/* One product in a customer's profile. */
struct insight_product {
	char	*sku, *name, *unit;
	int64_t	 orders;		/* orders with it */
	double	 share;			/* of the customer's orders */
	double	 median, min, max;	/* quantity per order */
	long	 first, last;		/* days */
};

struct insight_order {
	char	*ref, *status, *items;	/* items: "3 HB-1KG, 1 CUP-12OZ" */
	long	 day;
};

struct insight_customer {
	char			*id, *name;
	long			 asof;		/* the period's end */
	int64_t			 orders;
	long			 first, last;	/* -1: no orders */
	size_t			 ngaps;		/* gaps between order days */
	double			 gap_median;	/* days */
	long			 due;		/* -1: no rhythm yet */
	struct insight_product	*products;	/* most orders first */
	size_t			 nproducts;
	char			**stopped, **fresh;	/* SKUs */
	size_t			 nstopped, nfresh;
	long			 window;	/* first day of the recent window */
	long			 q_this, q_last;	/* first days of quarters */
	int64_t			 q_this_orders, q_last_orders;
	int64_t			 q_this_lines, q_last_lines;
	struct insight_order	*recent;	/* newest first */
	size_t			 nrecent;
};

#define INSIGHT_RECENT_DAYS	91	/* "stopped" and "new" look back */
#define INSIGHT_RECENT_ORDERS	10

/* Customer id's profile from all their sales up to asof, with the top
 * `top` products.  Their rhythm is the median of the gaps between days
 * with an order (two orders on one day are one day), and the next order
 * is due that many days (rounded) after the last.  "Stopped" are products
 * on two or more orders before the last INSIGHT_RECENT_DAYS and on none
 * since; "new" are products first bought within them by a customer who
 * ordered before them.  Quarters are calendar quarters: this one up to
 * asof against the whole one before.  Returns 1, or 0 when there is no
 * such customer. */
int	insight_customer_load(struct store *, const char *id, long asof,
	    int top, struct insight_customer *, struct err *);
void	insight_customer_release(struct insight_customer *);

/* A regular customer whose usual order is overdue. */
struct insight_due {
	char	*id, *name;
	int64_t	 orders;
	double	 gap_median;		/* days */
	long	 last, due;		/* days */
	long	 since_last;		/* days from last to asof */
};

/* Regular: sales on at least min_orders days up to asof.  Overdue: more
 * than INSIGHT_DUE_FACTOR times their median gap (as in the profile)
 * since the last one.  Release even after a failure. */
#define INSIGHT_DUE_FACTOR 1.5

struct insight_due_list {
	long			 asof;
	int			 min_orders;
	struct insight_due	*v;		/* the most recently due first */
	size_t			 n;
};

int	insight_due_load(struct store *, long asof, int min_orders,
	    struct insight_due_list *, struct err *);
void	insight_due_release(struct insight_due_list *);

/* Renderings, appended to b. */
void	insight_shop_text(const struct insight_shop *, struct buf *);
void	insight_shop_json(const struct insight_shop *, struct buf *);
void	insight_customer_text(const struct insight_customer *, struct buf *);
void	insight_customer_json(const struct insight_customer *, struct buf *);
void	insight_due_text(const struct insight_due_list *, struct buf *);
void	insight_due_json(const struct insight_due_list *, struct buf *);
/* One self-contained page each (insight/html.c). */
void	insight_shop_html(const struct insight_shop *, struct buf *);
void	insight_customer_html(const struct insight_customer *, struct buf *);
void	insight_due_html(const struct insight_due_list *, struct buf *);

#endif

/*
 * Reading orders back for people: the operator's list and order view
 * (`mailorder list`, `mailorder show`, the queue).  Strings passed to the
 * callbacks are borrowed for the duration of the call.
 */
#ifndef MO_STORE_QUERY_H
#define MO_STORE_QUERY_H

#include <stdint.h>

#include "common/error.h"
#include "store/store.h"

struct store_order_row {
	int64_t		 id;
	const char	*ref;
	const char	*status;
	const char	*customer_id;	/* NULL: unknown sender */
	const char	*customer_name;
	const char	*from_addr;
	const char	*subject;
	const char	*created_at;	/* ISO 8601 UTC */
	const char	*po_number;
	const char	*requested_date;
	const char	*flag_codes;	/* "code,code" of open flags, or NULL */
	int		 nlines;
	int		 version;
};

struct store_order_filter {
	const char	*status;	/* NULL: every status but 'imported' */
	const char	*flag;		/* NULL: any; else orders with this open flag */
	const char	*customer;	/* NULL: any */
	/* All three compared ignoring ASCII case. */
	/* Only what waits for a person: flagged orders, and orders whose
	 * reply was held back or failed (the queue). */
	int		 waiting;
	/* The newest limit orders that match (by arrival); 0: all. */
	long		 limit;
};

/* Every status an order can have, in name order, NULL-terminated: what
 * a typed --status is checked against. */
extern const char *const store_order_statuses[];

typedef int (*store_order_row_cb)(void *arg, const struct store_order_row *);

/* Orders from mail matching the filter: flagged complaints first, then
 * oldest first. */
int	store_orders_foreach(struct store *, const struct store_order_filter *,
	    store_order_row_cb, void *arg, struct err *);

/* How many orders that came by mail have each status: cb once per
 * status that any order has. */
typedef int (*store_status_count_cb)(void *arg, const char *status,
	    long n);
int	store_order_status_counts(struct store *, store_status_count_cb,
	    void *arg, struct err *);

/* One order: 1 and cb called once, 0 when there is no such order. */
int	store_order_row(struct store *, int64_t id, store_order_row_cb,
	    void *arg, struct err *);

typedef int (*store_line_cb)(void *arg, int line_no, const char *sku,
	    const char *product_name, double quantity, const char *unit,
	    const char *text, const char *rule);
typedef int (*store_flag_cb)(void *arg, const char *code, const char *text,
	    int line_no, int resolved);
typedef int (*store_candidate_cb)(void *arg, const char *code, int rank,
	    const char *sku, const char *product_name, double score);

/* The lines, flags and flag candidates of order id, in order. */
int	store_order_lines(struct store *, int64_t id, store_line_cb,
	    void *arg, struct err *);
int	store_order_flags(struct store *, int64_t id, store_flag_cb,
	    store_candidate_cb, void *arg, struct err *);

/* The cleaned text the engine read for order id (malloc'd, may be NULL). */
int	store_order_text(struct store *, int64_t id, char **text_r,
	    struct err *);

#endif

/*
 * What `mailorder report` reads: the orders of a period with what
 * happened to them, a customer's sales and every customer's sale days.
 * The figures themselves (touchless, medians, rhythms) are insight/'s.
 *
 * Periods are days, YYYY-MM-DD, both ends included; an order belongs to
 * the day of its order_date, an operator action to the UTC day of its
 * time.  A sale is an order that was placed and kept: imported history,
 * or an order from mail accepted or shipped.  Strings passed to
 * callbacks are borrowed for the call; a callback returning non-zero
 * stops the walk and its value is returned.
 */
#ifndef MO_STORE_REPORT_H
#define MO_STORE_REPORT_H

#include <stdint.h>

#include "common/error.h"
#include "store/store.h"

/*
 * A period is read as a few sequential walks that insight/ merges by
 * order id, rather than as joins: a join probes an index once per order
 * or line, a walk of an id range reads the index in order, and over a
 * year of a busy shop that is the difference between seconds and a
 * fraction of one.
 */

/* The period's orders, by day: every status, imported included. */
struct store_report_order {
	int64_t		 id;
	const char	*day;		/* order_date */
	const char	*status;
	const char	*customer_id;	/* NULL: unknown sender */
	int64_t		 message_id;	/* 0: imported */
};
typedef int (*store_report_order_cb)(void *arg,
	    const struct store_report_order *);
int	store_report_orders(struct store *, const char *since,
	    const char *until, store_report_order_cb, void *arg,
	    struct err *);

/* The lines of the orders with ids lo..hi, by order id: sku is NULL for
 * a line not resolved yet. */
typedef int (*store_report_qty_cb)(void *arg, int64_t order_id,
	    const char *sku, double quantity);
int	store_report_lines(struct store *, int64_t lo, int64_t hi,
	    store_report_qty_cb, void *arg, struct err *);

/* The audit rows (action) and the flags (code, resolved ones included)
 * of the orders lo..hi, by order id. */
typedef int (*store_report_code_cb)(void *arg, int64_t order_id,
	    const char *code);
int	store_report_order_actions(struct store *, int64_t lo, int64_t hi,
	    store_report_code_cb, void *arg, struct err *);
int	store_report_order_flags(struct store *, int64_t lo, int64_t hi,
	    store_report_code_cb, void *arg, struct err *);

/* Times, by id, as stored (ISO 8601 UTC, "2026-12-03T05:33:22Z"): every
 * confirmation sent for the orders lo..hi, an order's earliest first
 * (a later one is a resend), and the arrival of the messages lo..hi.
 * The text is parsed by the caller: SQLite's date functions over a year
 * of orders cost more than the rest of the walk. */
typedef int (*store_report_time_cb)(void *arg, int64_t id, const char *t);
int	store_report_confirmations(struct store *, int64_t lo, int64_t hi,
	    store_report_time_cb, void *arg, struct err *);
int	store_report_arrivals(struct store *, int64_t lo, int64_t hi,
	    store_report_time_cb, void *arg, struct err *);

/* Operator actions per UTC day and action name, oldest day first. */
typedef int (*store_report_action_cb)(void *arg, const char *day,
	    const char *action, int64_t n);
int	store_report_actions(struct store *, const char *since,
	    const char *until, store_report_action_cb, void *arg,
	    struct err *);

/* Every line of a customer's sales, oldest order first, lines in order;
 * an order without lines comes once with sku NULL and line_no 0. */
struct store_report_line {
	int64_t		 order_id;
	const char	*ref;
	const char	*date;		/* order_date */
	const char	*status;
	int		 line_no;
	const char	*sku;
	const char	*name;		/* product name; NULL: not in catalog */
	double		 quantity;
	const char	*unit;
};
typedef int (*store_report_line_cb)(void *arg,
	    const struct store_report_line *);
int	store_report_customer_lines(struct store *, const char *customer_id,
	    store_report_line_cb, void *arg, struct err *);

/* The customer's name (malloc'd in *name_r): 1, or 0 when there is no
 * such customer. */
int	store_report_customer_name(struct store *, const char *customer_id,
	    char **name_r, struct err *);

/* Every customer's sale days up to until, by customer, then day (one
 * call per order, so a day with two orders comes twice). */
typedef int (*store_report_day_cb)(void *arg, const char *customer_id,
	    const char *date);
int	store_report_sale_days(struct store *, const char *until,
	    store_report_day_cb, void *arg, struct err *);

#endif

/*
 * A customer's past orders, as the resolver needs them: imported history
 * (status 'imported') plus orders mailorder accepted or shipped.
 */
#ifndef MO_STORE_HISTORY_H
#define MO_STORE_HISTORY_H

#include <stdint.h>

#include "common/error.h"
#include "store/store.h"

/* For imports: create or update the order ref (status 'imported') of
 * customer_id on date (YYYY-MM-DD).  The first time a ref is seen within
 * one transaction its old lines are deleted, so re-importing a file gives
 * the same result (call store_history_import_reset() once at the start of
 * each import).  *order_id_r gets the order's row id. */
void	store_history_import_reset(struct store *);
int	store_history_order_upsert(struct store *, const char *ref,
	    const char *customer_id, const char *date, int64_t *order_id_r,
	    struct err *);

/* Imports stage their rows (after store_history_import_reset()) and
 * write them at the end.  store_history_import_line() stages one line of
 * order ref; the ref must not belong to an order from mail, and every
 * line of a ref must name the same customer and date (ERR_INPUT, with the
 * reason).  store_history_import_apply() then creates the new orders and
 * overwrites those whose customer, date or lines differ (their version
 * goes up), leaving the others untouched, and counts each kind. */
int	store_history_import_line(struct store *, const char *ref,
	    const char *customer_id, const char *date, const char *sku,
	    double quantity, struct err *);
int	store_history_import_apply(struct store *, long *added_r,
	    long *updated_r, long *unchanged_r, struct err *);

/* Append a line (sku, quantity) to an order. */
int	store_history_line_add(struct store *, int64_t order_id,
	    const char *sku, double quantity, struct err *);

/* Count imported orders and all their lines; for import summaries and
 * tests. */
int	store_history_count(struct store *, long *orders_r, long *lines_r,
	    struct err *);

/* Walk the lines of customer_id's most recent max_orders orders, newest
 * order first (max_orders <= 0: all of them).  Strings are borrowed for
 * the call only; a non-zero return from cb stops the walk and is
 * returned. */
/* History as a message could have known it when it arrived (for
 * `mailorder replay`): orders made from earlier mail (message id below
 * before_msg) and imported orders dated before before_date.  A NULL cut,
 * or before_msg 0, is all of it. */
struct store_history_cut {
	int64_t		 before_msg;
	const char	*before_date;	/* YYYY-MM-DD */
};

typedef int (*store_history_cb)(void *arg, const char *order_ref,
	    const char *date, const char *sku, const char *product_name,
	    double quantity);
int	store_history_foreach(struct store *, const char *customer_id,
	    int max_orders, const struct store_history_cut *,
	    store_history_cb, void *arg, struct err *);

/* What the whole shop takes of sku, over the same orders (any customer's,
 * within cut): how many lines of those orders had it, counted up to
 * enough at most, and the largest quantity one of them had (0 and 0 when
 * none did). */
int	store_history_sku_range(struct store *, const char *sku,
	    const struct store_history_cut *, long enough, long *lines_r,
	    double *max_r, struct err *);

#endif

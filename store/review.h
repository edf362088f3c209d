/*
 * The statements behind the operator's actions (review/): each one reads
 * or changes one thing, inside the caller's transaction (store_begin()).
 * Which action may do what, and in which order, is review/'s business;
 * here is only the SQL.
 *
 * Every function returns 0 (or the count or truth value it names), or -1
 * with err translated by store_fail().
 */
#ifndef MO_STORE_REVIEW_H
#define MO_STORE_REVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "store/store.h"

#define STORE_REVIEW_STATUS_MAX	16

/* An order as an action starts from. */
struct store_review_order {
	char	 status[STORE_REVIEW_STATUS_MAX];
	int	 version;
	char	*customer_id;		/* NULL: unknown sender */
	char	*from_addr;		/* the message's sender, or NULL */
	int	 imported;		/* imported history, not from mail */
};

/* Load order id into *o: 1, or 0 when there is no such order.
 * store_review_order_release() frees what it holds. */
int	store_review_order_load(struct store *, int64_t id,
	    struct store_review_order *o, struct err *);
void	store_review_order_release(struct store_review_order *);

/* The order's status, customer, lines and flags as JSON (SQLite's own),
 * for undo: malloc'd into *json_r. */
int	store_review_snapshot(struct store *, int64_t id, char **json_r,
	    struct err *);

/* Put back what store_review_snapshot() saw: status, customer, lines and
 * each flag's resolved state. */
int	store_review_restore(struct store *, int64_t id, const char *json,
	    struct err *);

/* Set the status (NULL: keep), bump the version and the update time. */
int	store_review_bump(struct store *, int64_t id, const char *status,
	    struct err *);

/* How many lines the order has, how many of them have a SKU, and the
 * first without one (0: none). */
int	store_review_lines_count(struct store *, int64_t id, int *n_r,
	    int *nsku_r, int *first_unresolved_r, struct err *);

/* Mark the order's flags resolved; code NULL and line 0 mean any. */
int	store_review_flags_resolve(struct store *, int64_t id,
	    const char *code, int line, struct err *);

/* The open history_reference flags that have sku among their
 * candidates are answered by a line of sku. */
int	store_review_references_resolve(struct store *, int64_t id,
	    const char *sku, struct err *);

/* 1 when the order has line number line, 0 when not. */
int	store_review_line_exists(struct store *, int64_t id, int line,
	    struct err *);

/* Change line's SKU (NULL: keep; the unit follows the product) and
 * quantity (0: keep). */
int	store_review_line_set(struct store *, int64_t id, int line,
	    const char *sku, double quantity, struct err *);

int	store_review_line_delete(struct store *, int64_t id, int line,
	    struct err *);

/* Append a line of quantity sku (the product's unit, rule 'operator');
 * *line_r gets its number. */
int	store_review_line_add(struct store *, int64_t id, const char *sku,
	    double quantity, int *line_r, struct err *);

/* 1 when customer_id already has alias (normalised) for sku. */
int	store_review_alias_known(struct store *, const char *alias,
	    const char *customer_id, const char *sku, struct err *);

/* 1 when addr is already customer_id's. */
int	store_review_address_known(struct store *, const char *addr,
	    const char *customer_id, struct err *);

/* Undo what an action taught: the operator's alias of sku for
 * customer_id, and the address (NULL: nothing). */
int	store_review_alias_forget(struct store *, const char *alias,
	    const char *sku, const char *customer_id, struct err *);
int	store_review_address_forget(struct store *, const char *addr,
	    struct err *);

/* The order is customer_id's. */
int	store_review_order_assign(struct store *, int64_t id,
	    const char *customer_id, struct err *);

/* The open (flagged, ignored) orders from addr that have no customer,
 * oldest first: a malloc'd array into *ids_r, *n_r of them. */
int	store_review_orders_from(struct store *, const char *addr,
	    int64_t **ids_r, size_t *n_r, struct err *);

/* Queue webhook event ev (enum store_webhook_event) for the order, when
 * that event is posted at all (store_webhook_events()). */
int	store_review_event(struct store *, int64_t id, int ev, struct err *);

/* Cancel a reply still queued: 1 when it was, 0 when it is no longer
 * waiting (sent, failing, cancelled). */
int	store_review_outbox_cancel(struct store *, int64_t outbox_id,
	    struct err *);

#endif

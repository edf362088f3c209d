/*
 * What an operator does to an order: approve, edit a line, ask the
 * customer, reject, assign a sender address, ship, and undo the last of
 * these.  Used by the `mailorder` commands and by the queue (tui/).
 *
 * Every action is one BEGIN IMMEDIATE transaction that
 *   - checks the version the operator saw (optimistic locking: mailorderd
 *     and other operators write the same orders),
 *   - changes the order and bumps its version,
 *   - queues the action's reply through the caller's callback, so the
 *     order and its reply commit together or not at all, and
 *   - writes one audit_log row with the operator, the time, and what undo
 *     needs to put the order back (a JSON snapshot of it before).
 *
 * The store does not compose replies (reply/ sits above the store): the
 * caller passes a function that does, and it runs inside the transaction.
 *
 * Failures: ERR_MSG for anything the operator can fix (no such order, an
 * order in the wrong state, a SKU not in the catalog, a line that does not
 * exist), ERR_TEMP when the order changed since the operator saw it (the
 * message names who changed it and when) or the database stayed locked.
 */
#ifndef MO_STORE_OPERATOR_H
#define MO_STORE_OPERATOR_H

#include <stdint.h>

#include "common/error.h"
#include "store/store.h"

enum store_operator_action {
	STORE_OPERATOR_APPROVE,
	STORE_OPERATOR_EDIT,
	STORE_OPERATOR_ASK,
	STORE_OPERATOR_REJECT,
	STORE_OPERATOR_ASSIGN,
	STORE_OPERATOR_SHIP,
	STORE_OPERATOR_UNDO,
};

/*
 * Queue the reply that goes with action for order_id, inside the open
 * transaction.  Returns 0 with *outbox_id_r when a reply was queued, 1
 * when policy says no reply, -1 with err to abandon the whole action.
 */
typedef int (*store_operator_reply_fn)(void *arg, struct store *,
	    int64_t order_id, enum store_operator_action, int64_t *outbox_id_r,
	    struct err *);

/* Who acts on which order, and on which version of it. */
struct store_operator_ctx {
	int64_t			 order_id;
	int			 version;	/* as the operator saw it; 0: any */
	const char		*operator;	/* login name, for the audit log */
	store_operator_reply_fn	 reply;		/* NULL: no reply */
	void			*reply_arg;
};

/* The operator's login name: $LOGNAME, else the password entry of the
 * real uid, else "uid N".  Borrowed: a static buffer. */
const char	*store_operator_login(void);

/*
 * Accept a flagged (or ignored) order: every line must have a SKU and
 * there must be at least one line.  Sets status 'accepted', resolves its
 * flags and queues the confirmation (STORE_OPERATOR_APPROVE).
 */
int	store_operator_approve(struct store *, const struct store_operator_ctx *,
	    struct err *);

enum store_operator_edit_op {
	STORE_OPERATOR_LINE_SET,	/* change sku and/or quantity of line */
	STORE_OPERATOR_LINE_DELETE,
	STORE_OPERATOR_LINE_ADD,	/* new line: sku and quantity required */
};

struct store_operator_edit {
	enum store_operator_edit_op	 op;
	int				 line;		/* line number (SET, DELETE) */
	const char			*sku;		/* NULL: keep */
	double				 quantity;	/* 0: keep */
	/* The customer's words for the item ("choc thingies"), learned as
	 * that customer's alias for sku when the SKU of a line is set;
	 * NULL: learn nothing. */
	const char			*alias;
};

/*
 * Change the lines of a flagged order.  A SKU must be in the catalog.
 * The flags about the line that the change answers are resolved: a new SKU
 * resolves unknown_product, a new quantity unusual_quantity, a deletion
 * every flag of the line, and an added line whose SKU is a candidate of an
 * open history_reference flag resolves that flag.  *line_r (may be NULL)
 * gets the number of the line changed or added.  The order stays flagged.
 */
int	store_operator_edit(struct store *, const struct store_operator_ctx *,
	    const struct store_operator_edit *, int *line_r, struct err *);

/* Ask the customer (the reply callback queues text); the order stays as
 * it is.  text is kept in the audit log. */
int	store_operator_ask(struct store *, const struct store_operator_ctx *,
	    const char *text, struct err *);

/* Archive a flagged or ignored order as 'rejected' with a reason (kept in
 * the audit log).  The reply callback may be NULL: the reply is optional. */
int	store_operator_reject(struct store *, const struct store_operator_ctx *,
	    const char *reason, struct err *);

/*
 * Say who sent an order: remember addr (the order's sender when NULL) as
 * customer_id's (source 'operator'), set the order's customer and resolve
 * its unknown_sender flags.  When name is not NULL and the customer does
 * not exist it is created with that name.
 */
int	store_operator_assign(struct store *, const struct store_operator_ctx *,
	    const char *addr, const char *customer_id, const char *name,
	    struct err *);

/*
 * The same without an order at hand: remember addr as customer_id's and
 * assign every open (flagged or ignored) order from that address that has
 * no customer yet, each with its own version bump and audit row.
 * *norders_r gets how many orders were assigned.  Unknown customer
 * without name: ERR_MSG.
 */
int	store_operator_assign_address(struct store *, const char *operator,
	    const char *addr, const char *customer_id, const char *name,
	    int *norders_r, struct err *);

/* Mark an accepted order 'shipped' and queue the shipping notice.  carrier
 * and tracking go to the audit log. */
int	store_operator_ship(struct store *, const struct store_operator_ctx *,
	    const char *carrier, const char *tracking, struct err *);

/*
 * Undo the last action on the order that has not been undone yet: put the
 * order's status, customer, lines and flags back as they were, cancel its
 * reply, and forget an alias or address it taught.  Refused (ERR_MSG) when
 * there is nothing to undo or the reply is no longer queued (it has left,
 * or is failing).  *action_r (may be NULL) gets the undone action's name,
 * "approve", "edit", ...; borrowed, static.
 */
int	store_operator_undo(struct store *, const struct store_operator_ctx *,
	    const char **action_r, struct err *);

/* Past orders of a customer, newest first, at most limit (0: all):
 * imported history and orders from mail that were accepted or shipped.
 * items is "3 HB-1KG, 1 CUP-12OZ".  Strings are borrowed for the call. */
typedef int (*store_operator_history_cb)(void *arg, const char *ref,
	    const char *date, const char *status, const char *items);
int	store_operator_history(struct store *, const char *customer_id,
	    int limit, store_operator_history_cb, void *arg, struct err *);

/* The audit trail of one order, oldest first.  detail is the readable
 * part ("sku HB-1KG for line 1"). */
typedef int (*store_operator_audit_cb)(void *arg, const char *at,
	    const char *operator, const char *action, const char *detail);
int	store_operator_audit(struct store *, int64_t order_id,
	    store_operator_audit_cb, void *arg, struct err *);

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

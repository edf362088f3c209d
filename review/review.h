/*
 * review/: what an operator does to an order — approve, edit a line, ask
 * the customer, reject, assign a sender, ship, and undo the last of
 * these.  The layer above store/ (the data) and reply/ (the mail); used
 * by the `mailorder` commands and by the queue (tui/).
 *
 * Every action is one BEGIN IMMEDIATE transaction that
 *   - checks the version the operator saw (optimistic locking: mailorderd
 *     and other operators write the same orders),
 *   - checks the order may take the action (its status, its lines),
 *   - changes the order and bumps its version,
 *   - queues the action's reply with reply_queue(), so the order and its
 *     reply commit together or not at all (as ingest/record.c does for
 *     mail), and
 *   - writes one audit_log row with the operator, the time, and what undo
 *     needs to put the order back.
 *
 * Failures: ERR_INPUT for anything the operator can fix (no such order, an
 * order in the wrong state, a SKU not in the catalog, a line that does not
 * exist), ERR_TEMP when the order changed since the operator saw it (the
 * message names who changed it and when) or the database stayed locked,
 * ERR_CONFIG when the reply cannot be composed (a broken template); the
 * whole action is rolled back then.
 */
#ifndef MO_REVIEW_H
#define MO_REVIEW_H

#include <stdint.h>

#include "common/error.h"

struct store;
struct reply_conf;

/* Who reviews, where.  Borrowed for the calls. */
struct review {
	struct store		*store;
	const char		*operator;	/* login name, for the audit log */
	/* The operator's own name, to sign what they write (never the
	 * login name); NULL: the shop signs. */
	const char		*signer;
	const struct reply_conf	*replies;	/* NULL: replies are off */
};

/* The order acted on, as the operator saw it. */
struct review_target {
	int64_t	 order_id;
	int	 version;	/* 0: whatever it is now */
};

/* What an action did besides what it was asked. */
struct review_result {
	int64_t		 outbox_id;	/* the reply queued; 0: none (off, or
					 * policy said no) */
	int		 line;		/* edit: the line changed or added */
	const char	*undone;	/* undo: "approve", "edit", ... (static) */
	int		 assigned;	/* review_assign_address: orders */
};

/*
 * Accept a flagged (or ignored) order from a known customer: every line
 * must have a SKU and there must be at least one.  Sets 'accepted',
 * resolves its flags and queues the confirmation.
 */
int	review_approve(const struct review *, const struct review_target *,
	    struct review_result *, struct err *);
/* The same with the operator's personal note for the confirmation
 * ("Thanks Dana, the new blend is in this week"); NULL: none. */
int	review_approve_note(const struct review *,
	    const struct review_target *, const char *note,
	    struct review_result *, struct err *);

enum review_edit_op {
	REVIEW_LINE_SET,	/* change sku and/or quantity of line */
	REVIEW_LINE_DELETE,
	REVIEW_LINE_ADD,	/* new line: sku required */
};

struct review_edit {
	enum review_edit_op	 op;
	int			 line;		/* SET, DELETE */
	const char		*sku;		/* NULL: keep */
	double			 quantity;	/* 0: keep (ADD: the customer's
						 * last, else 1) */
	/* The customer's words for the item ("choc thingies"), learned as
	 * their alias for sku when a line's SKU is set; NULL: none. */
	const char		*alias;
};

/*
 * Change the lines of a flagged order.  A SKU must be in the catalog.
 * The flags the change answers are resolved: a new SKU unknown_product,
 * a new quantity unusual_quantity, a deletion every flag of the line, an
 * added line whose SKU is a candidate of an open history_reference flag
 * that flag.  res->line gets the line changed or added.  The order stays
 * flagged and nothing is sent.
 */
int	review_edit(const struct review *, const struct review_target *,
	    const struct review_edit *, struct review_result *, struct err *);

/* A line review_fill() copies: added, or left as the order has it
 * already (the customer's own line for that product wins). */
typedef void (*review_fill_cb)(void *arg, const char *sku, double quantity,
	    int added);

struct review_fill {
	const char	*from;		/* an order's ref; NULL: the customer's
					 * last order */
	int		 usual;		/* the usual basket instead */
	int		 dry_run;	/* say what, change nothing */
	review_fill_cb	 cb;		/* may be NULL */
	void		*arg;
};

/*
 * "Same as last time", filled in one step: copy the lines of an earlier
 * order of the same customer (or their usual basket, see store/basket.h)
 * with their quantities into a flagged order, skipping products it has
 * already, and resolve its history_reference flags.  One action, so u
 * takes it all back.  res->line gets how many lines were added.
 */
int	review_fill(const struct review *, const struct review_target *,
	    const struct review_fill *, struct review_result *, struct err *);

/* Ask the customer text (kept in the audit log too); the order stays as
 * it is. */
int	review_ask(const struct review *, const struct review_target *,
	    const char *text, struct review_result *, struct err *);

/*
 * Ask about an unavailable line in one step: line's product is replaced
 * by sku (which must be available) and the customer is asked whether the
 * substitute will do, in words made from both products' names, followed
 * by text when not NULL.  The order stays flagged for their answer; undo
 * puts the line back and keeps the question from leaving.
 */
int	review_ask_substitute(const struct review *,
	    const struct review_target *, int line, const char *sku,
	    const char *text, struct review_result *, struct err *);

/* Archive a flagged or ignored order as 'rejected' with a reason for the
 * audit log; text, when not NULL, is sent to the customer. */
int	review_reject(const struct review *, const struct review_target *,
	    const char *reason, const char *text, struct review_result *,
	    struct err *);

struct review_shipment {
	const char	*carrier;
	const char	*tracking;
	const char	*url;		/* the tracking link, or NULL */
	/* The operator's personal line for the notice ("Thanks Dana,
	 * the new blend is in this box"), signed with their name; NULL:
	 * none, and the shop signs. */
	const char	*note;
};

/* Mark an accepted order 'shipped' and send the shipping notice. */
int	review_ship(const struct review *, const struct review_target *,
	    const struct review_shipment *, struct review_result *,
	    struct err *);

/*
 * Say who sent an order: remember addr (the order's sender when NULL) as
 * customer_id's, set the order's customer and resolve its unknown_sender
 * flags.  When name is not NULL and the customer does not exist it is
 * created with that name.
 */
int	review_assign(const struct review *, const struct review_target *,
	    const char *addr, const char *customer_id, const char *name,
	    struct review_result *, struct err *);

/*
 * The same without an order at hand: remember addr as customer_id's and
 * assign every open order from that address without a customer, each
 * with its own version bump and audit row; res->assigned says how many.
 */
int	review_assign_address(const struct review *, const char *addr,
	    const char *customer_id, const char *name,
	    struct review_result *, struct err *);

/*
 * Undo the last action on the order not undone yet: put status,
 * customer, lines and flags back, cancel its reply, forget an alias or
 * address it taught.  Refused (ERR_INPUT) when there is nothing to undo or
 * the reply is no longer queued.  res->undone names the action.
 */
int	review_undo(const struct review *, const struct review_target *,
	    struct review_result *, struct err *);

#endif

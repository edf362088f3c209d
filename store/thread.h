/*
 * The conversation of an order: the customer's mail that made it, the
 * replies we sent, and the customer's answers to them.  An answer (mail
 * naming one of our Message-IDs, or our [MO-n] tag from the same
 * customer) joins the order it answers instead of making an order of its
 * own: the order goes back to the queue with the answer on a
 * "customer_answer" flag, and the lines the answer holds are kept as
 * offered changes for the operator.
 */
#ifndef MO_STORE_THREAD_H
#define MO_STORE_THREAD_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "common/error.h"
#include "store/order.h"
#include "store/store.h"

/* The flag an answered order carries until an operator acts on it. */
#define STORE_THREAD_FLAG	"customer_answer"

/* The order of the reply we sent as Message-ID msgid (without
 * brackets), when it is accepted, flagged or rejected (a person can
 * still act on it; an answer to a shipped order is an order of its own):
 * 1 and *order_id_r, 0 when not, -1 on error. */
int	store_thread_order_of_reply(struct store *, const char *msgid,
	    int64_t *order_id_r, struct err *);

/* The order with reference ref ("MO-58"), accepted, flagged or
 * rejected, when it came from the same customer (customer_id, when
 * known, else the same from address): 1 and *order_id_r, 0 when not, -1
 * on error. */
int	store_thread_order_of_ref(struct store *, const char *ref,
	    const char *customer_id, const char *from_addr,
	    int64_t *order_id_r, struct err *);

struct store_thread_answer {
	int64_t				 order_id;
	int64_t				 message_id;	/* row id of the answer */
	const char			*text;		/* the flag's text */
	const struct store_order_line	*lines;		/* offered changes */
	size_t				 nlines;
};

/* Join answer a to its order, inside the caller's transaction: the
 * message belongs to the order, its lines are offered, the order gets
 * an open customer_answer flag (candidates: the offered SKUs), it is
 * flagged again, so it is back in the queue, and its version goes up.
 * Gives the order's ref.  Returns 0 or -1. */
int	store_thread_join(struct store *, const struct store_thread_answer *a,
	    char ref_r[STORE_REF_MAX], struct err *);

/* One message of the conversation.  Strings are borrowed for the
 * callback's duration; NULL when unknown. */
struct store_thread_item {
	int		 out;		/* 0: from the customer, 1: ours */
	const char	*at;		/* ISO 8601 UTC: received, or sent
					   (queued while not sent) */
	const char	*who;		/* in: the sender; out: the recipient */
	const char	*what;		/* in: the subject; out: the kind */
	const char	*state;		/* out: queued|sent|failed|cancelled */
	const char	*message_id;
	const char	*text;		/* in: the text the engine read */
	int		 first;		/* in: the mail that made the order */
	int		 manual;	/* out: a person triggered it (it
					   waits the undo window) */
	const char	*queued_at;	/* out: when it was queued */
};

typedef int (*store_thread_cb)(void *arg, const struct store_thread_item *);

/* The conversation of order_id, oldest first.  Returns 0 (or what a
 * callback returned to stop), -1 on error. */
int	store_thread_foreach(struct store *, int64_t order_id, store_thread_cb,
	    void *arg, struct err *);

/* When a queued reply a person triggered leaves, its undo window over
 * ([reply] undo_seconds after it was queued); 0 for any other item. */
time_t	store_thread_leaves_at(const struct store_thread_item *,
	    long undo_seconds);

/* The lines the answers to order_id offer, oldest answer first: the
 * callback gets the answer's Message-ID and time with each line. */
typedef int (*store_offered_cb)(void *arg, const char *message_id,
	    const char *at, int line_no, const char *sku, const char *name,
	    double quantity, const char *unit, const char *text);
int	store_thread_offered(struct store *, int64_t order_id,
	    store_offered_cb, void *arg, struct err *);

#endif

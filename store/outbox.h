/*
 * The outbox: replies waiting to leave, and what composing one needs to
 * read about its order.  A row holds the whole message, Message-ID
 * included, so a retry (also after a crash) sends the very same mail.
 *
 * States: queued -> sent, or queued -> failed (a permanent refusal, or
 * still not sent after give_up_after).  A failed reply puts an open
 * "reply_failed" flag on its order so an operator sees it; nothing is
 * deleted.  Times are Unix seconds; they are passed in so the state
 * machine can be tested without waiting.
 */
#ifndef MO_STORE_OUTBOX_H
#define MO_STORE_OUTBOX_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "common/error.h"
#include "store/store.h"

/* The flag code put on an order whose reply could not be delivered. */
#define STORE_OUTBOX_FLAG	"reply_failed"
/* The flag code for a reply that policy held back (too old, rate limit):
 * the operator decides whether to answer. */
#define STORE_OUTBOX_HELD	"reply_held"

/* Headers of a customer's message that replies need beyond what
 * store_message_headers() keeps (strings borrowed, NULL: unknown). */
struct store_outbox_origin {
	const char	*from_name;
	const char	*in_reply_to;
	const char	*auto_submitted;
	int64_t		 date_ts;	/* parsed Date; 0: none */
};

/* Record origin for message msg_id.  Call inside the order's
 * transaction.  Returns 0 or -1. */
int	store_outbox_note_origin(struct store *, int64_t msg_id,
	    const struct store_outbox_origin *, struct err *);

struct store_reply_line {
	int	 line_no;
	char	*sku;		/* NULL: unresolved */
	char	*product;	/* catalog name, NULL when unresolved */
	char	*unit;		/* the line's unit, else the product's */
	double	 quantity;
	char	*text;		/* the customer's words */
};

/* Everything a reply to an order is composed from.  Every string is
 * owned by the struct (NULL when unknown); release it with
 * store_outbox_source_release(). */
struct store_reply_source {
	int64_t			 order_id;
	char			*ref;
	char			*status;
	char			*order_date;
	char			*po_number;
	char			*requested_date;
	char			*customer_id;
	char			*customer_name;
	char			*greeting;	/* customers.greeting */
	char			*note;		/* customers.note */
	char			*message_id;	/* without brackets */
	char			*from_addr;
	char			*from_name;
	char			*reply_to;
	char			*subject;
	char			*refs;
	char			*in_reply_to;
	char			*auto_submitted;
	int64_t			 date_ts;
	struct store_reply_line	*lines;
	size_t			 nlines;
};

/* Read order_id with its message, customer and lines (product names
 * joined from the catalog).  Returns 1 with *src filled, 0 when there is
 * no such order (*src zeroed), -1 on error. */
int	store_outbox_source(struct store *, int64_t order_id,
	    struct store_reply_source *src, struct err *);
void	store_outbox_source_release(struct store_reply_source *);

/* Queue a composed message; the caller holds the transaction when the
 * reply must commit with something else.  It is due at once, or (manual:
 * a person triggered it) once its undo window is over, see
 * store_outbox_due().  Returns 0 with *id_r, or -1 (ERR_INPUT when
 * message_id is already queued). */
int	store_outbox_insert(struct store *, int64_t order_id, const char *kind,
	    const char *message_id, const char *rcpt, const char *msg,
	    size_t len, time_t now, int manual, int64_t *id_r, struct err *);

/* How many replies (any state) went or are going to rcpt since since. */
int	store_outbox_count_since(struct store *, const char *rcpt,
	    time_t since, long *n_r, struct err *);

struct store_outbox_item {
	int64_t	 id;
	int64_t	 order_id;	/* 0: none */
	char	 kind[16];
	char	*message_id;
	char	*rcpt;
	char	*msg;
	size_t	 len;
	int	 attempts;	/* failed attempts so far */
	time_t	 created;
	char	*mailbox;	/* where the order's mail came from: the
				 * mailbox key of messages; NULL: not from
				 * a mailbox (`mailorder ingest`) */
};

/* Up to max queued rows due at now, oldest first (*items_r malloc'd;
 * free with store_outbox_items_free); a manual row only once it has
 * waited hold seconds (the undo window).  Returns the count or -1. */
int	store_outbox_due(struct store *, time_t now, long hold, size_t max,
	    struct store_outbox_item **items_r, struct err *);
/* Up to max sent rows not yet copied to the Sent folder. */
int	store_outbox_uncopied(struct store *, size_t max,
	    struct store_outbox_item **items_r, struct err *);
void	store_outbox_items_free(struct store_outbox_item *, size_t n);

/* When the next queued row is due (a manual one hold seconds after it
 * was queued at the earliest): 1 and *when_r, 0 when none. */
int	store_outbox_next_due(struct store *, long hold, time_t *when_r,
	    struct err *);

/* Record a delivery. */
int	store_outbox_sent(struct store *, int64_t id, time_t now, struct err *);
/* Record that the copy is in the Sent folder. */
int	store_outbox_copied(struct store *, int64_t id, struct err *);

struct store_outbox_retry {
	long	initial;	/* seconds before the second attempt */
	long	max;		/* longest wait */
	long	give_up;	/* seconds after queueing: stop trying */
};

/* The wait after the attempts-th failed attempt (1, 2, ...): initial
 * doubled per earlier failure, at most max. */
long	store_outbox_backoff(int attempts, long initial, long max);

/* A transient failure (4xx, timeout, refused connection): count it and
 * schedule the next attempt, or give up when the reply is older than
 * r->give_up (state failed, flag on the order).  Returns 0 when a retry
 * is scheduled, 1 when given up, -1 on error. */
int	store_outbox_retry(struct store *, int64_t id,
	    const struct store_outbox_retry *r, const char *why, time_t now,
	    struct err *);

/* A permanent failure (5xx): state failed, flag on the order.  The
 * message stays in the row for the operator. */
int	store_outbox_fail(struct store *, int64_t id, const char *why,
	    struct err *);

/* Put an open flag with code and text on order_id (caller's transaction
 * or its own). */
int	store_outbox_flag_order(struct store *, int64_t order_id,
	    const char *code, const char *text, struct err *);

struct store_outbox_status {
	char	state[16];
	int	attempts;
	time_t	next_attempt;
	char	last_error[256];
};

/* The state of row id: 1 and *s, 0 when there is no such row. */
int	store_outbox_status(struct store *, int64_t id,
	    struct store_outbox_status *s, struct err *);

#endif

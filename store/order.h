/*
 * Messages and the orders made from them.  The daemon records a message
 * before parsing it (so a message that crashes the parser is counted and
 * quarantined instead of crash-looping), then stores the order, its lines
 * and flags in one transaction.
 */
#ifndef MO_STORE_ORDER_H
#define MO_STORE_ORDER_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "store/store.h"

struct store_message {
	const char	*dedupe_key;	/* "mid:<Message-ID>" or "sha256:<hex>" */
	const char	*message_id;
	const char	*mailbox;	/* NULL when not from IMAP */
	int64_t		 uidvalidity;
	int64_t		 uid;		/* 0: none */
	const char	*from_addr;
	const char	*reply_to;
	const char	*subject;
	const char	*date;
	const char	*refs;
	const void	*raw;
	size_t		 rawlen;
};

/* Where a recorded message is (messages.state). */
enum store_message_state {
	STORE_MESSAGE_RECEIVED,		/* recorded, no verdict yet */
	STORE_MESSAGE_DONE,		/* its order is stored */
	STORE_MESSAGE_FAILED,		/* unreadable, or it crashed the parser */
};

/* Record that a message arrived, in a transaction of its own.  A message
 * already known by its dedupe key is not inserted again: its attempt
 * count goes up and its IMAP location is updated.  Gives the row id, its
 * state and the attempts so far, this one included. */
int	store_message_arrive(struct store *, const struct store_message *,
	    int64_t *id_r, enum store_message_state *state_r, int *attempts_r,
	    struct err *);

/* The same inside the caller's transaction, so a whole fetched batch is
 * recorded with one commit. */
int	store_message_record(struct store *, const struct store_message *,
	    int64_t *id_r, enum store_message_state *state_r, int *attempts_r,
	    struct err *);

/* The raw message as recorded: a malloc'ed, NUL-terminated copy in
 * *raw_r and its length.  ERR_MSG when there is no such message. */
int	store_message_raw(struct store *, int64_t id, char **raw_r,
	    size_t *len_r, struct err *);

/* Mark a message as failed (unreadable, or it crashed the parser). */
int	store_message_fail(struct store *, int64_t id, const char *why,
	    struct err *);

/* Fill in what parsing learned about a message (any may be NULL; NULL
 * keeps the stored value).  Call inside the order's transaction. */
int	store_message_headers(struct store *, int64_t id,
	    const struct store_message *, struct err *);

/* Mark a message as done, keeping the cleaned text and the engine's JSON
 * for the operator.  Call inside the order's transaction. */
int	store_message_done(struct store *, int64_t id, const char *body_text,
	    const char *parse_json, struct err *);

struct store_order_line {
	const char	*sku;		/* NULL: unresolved */
	double		 quantity;
	const char	*unit;
	const char	*text;
	const char	*rule;
};

struct store_order_candidate {
	const char	*sku;
	double		 score;
};

struct store_order_flag {
	const char			*code;
	const char			*text;
	int				 line;	/* index into lines, or -1 */
	const struct store_order_candidate *cands;
	size_t				 ncands;
};

struct store_order {
	int64_t				 message_id;	/* row id, or 0 */
	const char			*customer_id;	/* NULL: unknown sender */
	const char			*status;	/* accepted|flagged|ignored */
	const char			*order_date;	/* YYYY-MM-DD */
	const char			*po_number;
	const char			*requested_date;
	const struct store_order_line	*lines;
	size_t				 nlines;
	const struct store_order_flag	*flags;
	size_t				 nflags;
	int				 complaint;	/* first in the queue */
};

#define STORE_REF_MAX 32

/* Insert an order with its lines and flags; the caller holds the
 * transaction.  The order gets the reference "MO-<id>" (written to ref_r)
 * and *id_r.  A second order for the same message fails with ERR_INPUT. */
int	store_order_insert(struct store *, const struct store_order *,
	    int64_t *id_r, char ref_r[STORE_REF_MAX], struct err *);

/* The order made from a message, or the one whose conversation it
 * joined (store/thread.h): 1 and its id, 0 when none, -1 on error. */
int	store_order_of_message(struct store *, int64_t message_id,
	    int64_t *id_r, struct err *);

#endif

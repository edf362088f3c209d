/*
 * Replies an operator sends by hand (`mailorder send`): one that policy
 * held back (the hourly cap, mail too old: a "reply_held" flag), one the
 * server refused or that was given up ("reply_failed"), or the last one
 * sent, once more.  The store part: what an order has to send, and the
 * row and flag changes, inside the caller's transaction; composing a
 * held reply is reply/'s job.
 */
#ifndef MO_STORE_RELEASE_H
#define MO_STORE_RELEASE_H

#include <stdint.h>
#include <time.h>

#include "common/error.h"
#include "store/store.h"

struct store_release {
	char	 ref[32];
	char	 status[16];	/* the order's */
	int	 held;		/* an open reply_held flag */
	int	 no_items;	/* it has a no_items flag: a receipt */
	int64_t	 failed;	/* newest failed outbox row, 0: none */
	int64_t	 sent;		/* newest sent outbox row, 0: none */
	int	 version;
};

/* What order_id has to send: 1 with *r, 0 when there is no such order,
 * -1 on error. */
int	store_release_get(struct store *, int64_t order_id,
	    struct store_release *r, struct err *);

/* Put outbox row id back in the queue, due at now, as a fresh attempt
 * (a failed one, or a sent one to go again: the same message). */
int	store_release_requeue(struct store *, int64_t outbox_id, time_t now,
	    struct err *);

/* Resolve the order's open flags with code (reply_held, reply_failed),
 * bump its version and write the audit log row (action "send", with
 * what was sent).  undo cannot take a send back. */
int	store_release_done(struct store *, int64_t order_id, const char *code,
	    const char *operator, const char *note, int64_t outbox_id,
	    struct err *);

#endif

/*
 * ingest/: what happens to one fetched message, shared by mailorderd and
 * `mailorder ingest`.  record.c stores an engine result (order, lines,
 * flags, the message marked done) in one transaction; worker.c runs the
 * engine in a child process so a message that crashes the parser costs
 * that message and nothing else.
 */
#ifndef MO_INGEST_RECORD_H
#define MO_INGEST_RECORD_H

#include <stdint.h>

#include "common/error.h"
#include "store/order.h"

struct store;
struct engine;
struct engine_result;
struct reply_conf;

/* Which replies ingest queues with the order ([reply] settings). */
struct ingest_replies {
	const struct reply_conf	*conf;		/* NULL: no replies at all */
	int			 confirm_accepted;
	int			 acknowledge_flagged;
	int			 receipt;	/* no order in it: receipt.txt */
	int			 acknowledge_unknown;	/* strangers too */
};

struct ingest_outcome {
	int64_t	order_id;
	char	ref[STORE_REF_MAX];
	enum engine_status status;
	int	already;		/* the message had its order already */
	int	answered;		/* it answered one of ours and joined
					   that order (flagged again) */
};

/* What happened to the message, for logs: "accepted", "flagged",
 * "ignored" or "answered". */
const char	*ingest_outcome_name(const struct ingest_outcome *);

/* Store res as the order of message msg_id, with its lines and flags,
 * and mark the message done, all in one transaction, together with the
 * reply the order calls for:
 * a confirmation for an accepted order (when confirm_accepted), an
 * acknowledgement for a flagged one (when acknowledge_flagged), a
 * receipt for mail with no order in it (no_items; when receipt: never
 * an order's words), nothing for an unknown sender unless
 * acknowledge_unknown, never anything for ignored mail; reply_queue()
 * applies the no-loop rules.  A
 * reply that cannot be composed (broken template) does not cost the
 * order: it gets a "reply_failed" flag instead.  r may be NULL (no
 * reply).  A message that already has an order is left alone
 * (out->already = 1).  Returns 0 or -1 (ERR_TEMP when the database is
 * busy). */
int	ingest_record_result_reply(struct store *, struct engine *,
	    int64_t msg_id, const struct engine_result *res,
	    const struct ingest_replies *r, struct ingest_outcome *out,
	    struct err *);

/* A message the engine could not handle (unreadable, crashed the parser,
 * too many attempts): mark it failed and give it a flagged order with an
 * "unreadable" flag, so a person sees it in the queue.  Idempotent. */
int	ingest_record_failure(struct store *, int64_t msg_id, const char *why,
	    struct ingest_outcome *out, struct err *);

#endif

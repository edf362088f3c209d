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

struct ingest_outcome {
	int64_t	order_id;
	char	ref[STORE_REF_MAX];
	char	status[16];		/* accepted | flagged | ignored */
	int	already;		/* the message had its order already */
};

/* Store res as the order of message msg_id, with its lines and flags,
 * and mark the message done, all in one transaction.  A message that
 * already has an order is left alone (out->already = 1).  Returns 0 or -1
 * (ERR_TEMP when the database is busy). */
int	ingest_record_result(struct store *, struct engine *, int64_t msg_id,
	    const struct engine_result *res, struct ingest_outcome *out,
	    struct err *);

/* A message the engine could not handle (unreadable, crashed the parser,
 * too many attempts): mark it failed and give it a flagged order with an
 * "unreadable" flag, so a person sees it in the queue.  Idempotent. */
int	ingest_record_failure(struct store *, int64_t msg_id, const char *why,
	    struct ingest_outcome *out, struct err *);

#endif

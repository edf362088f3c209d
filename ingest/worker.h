/*
 * The parse worker: a child process that runs the engine and records the
 * result, so that a message which crashes libetpan (or exhausts memory,
 * or loops) kills the child, not the daemon.  The parent sees the child
 * die, records the message as failed, and starts a new child for the
 * next message.
 *
 * The child opens its own database connection (never one inherited across
 * fork) and its own rules, and reloads the catalog index when the store's
 * catalog version changes.
 */
#ifndef MO_INGEST_WORKER_H
#define MO_INGEST_WORKER_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "engine/engine.h"
#include "ingest/record.h"
#include "reply/reply.h"

struct worker_conf {
	const char		*store_path;
	const char *const	*rule_paths;
	size_t			 nrule_paths;
	struct engine_policy	 policy;
	unsigned int		 timeout_s;	/* per message */
	size_t			 mem_limit;	/* bytes of address space; 0: none */
	/* Replies queued in each order's transaction ([reply]); with
	 * reply.from NULL no reply is queued. */
	struct reply_conf	 reply;
	int			 confirm_accepted;
	int			 acknowledge_flagged;
};

struct worker;

/* Prepare a worker (conf is copied, strings included); the child starts
 * on the first message. */
struct worker	*worker_new(const struct worker_conf *);

/* Stop the child (by its PID) and free everything.  NULL is fine. */
void		 worker_free(struct worker *);

/* Stop the child so the next message starts a fresh one, which re-reads
 * the rules (after SIGHUP). */
void		 worker_restart(struct worker *);

/* Run message msg_id (raw/len) through the engine in the child and record
 * the order.  Returns 0 with *out filled, or -1:
 *   ERR_MSG     the message is bad: unreadable, or it crashed or hung
 *               the parser (the child is gone; the caller records the
 *               failure)
 *   ERR_CONFIG  the child cannot start (rules, database)
 *   ERR_TEMP    the database was busy; try the message again later */
int		 worker_ingest(struct worker *, int64_t msg_id, const char *raw,
		    size_t len, struct ingest_outcome *out, struct err *);

/* The same, but the order joins the worker's open group and is committed
 * only by worker_commit(): one commit for a whole batch.  When the worker
 * dies, the orders of its open group are lost with it (its transaction
 * rolls back); the caller sees that by worker_pid() changing, and sends
 * those messages again. */
int		 worker_ingest_group(struct worker *, int64_t msg_id,
		    const char *raw, size_t len, struct ingest_outcome *out,
		    struct err *);

/* Commit the open group.  0 (also when there is none), or -1 with
 * ERR_TEMP when the worker died first: the group's orders are lost and
 * their messages must be processed again. */
int		 worker_commit(struct worker *, struct err *);

/* The child's PID, or -1 when none is running (for tests). */
int		 worker_pid(const struct worker *);

#endif

/*
 * The parse worker: a child process that runs the engine and records the
 * result, so that a message which crashes libetpan (or exhausts memory,
 * or loops) kills the child, not the daemon.  The parent sees the child
 * die, records the message as failed, and starts a new child for the
 * next message.
 *
 * The child opens its own database connection (never one inherited across
 * fork) and its own rules, and reloads the catalog index when the store's
 * catalog version changes.  It tells the parent which message it is on
 * through a shared page, so a crash or a hang is pinned on the right
 * message without a round trip per message.
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
	int			 receipt;
	int			 acknowledge_unknown;
	/* Webhook events queued with each order (store_webhook_events());
	 * 0: none. */
	unsigned		 webhook_events;
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

/*
 * Groups: the daemon's way.  worker_group_start() hands the worker the
 * IDs of messages already recorded in the store (the worker reads their
 * raw copies from there) and returns at once; the worker parses them in
 * order and commits all their orders in one transaction (a savepoint
 * each), while the caller goes on fetching the next batch.
 * worker_group_wait() waits for the end of the group and fills in each
 * item.  items must stay valid until then.
 */
struct worker_item {
	int64_t			msg_id;		/* in */
	int			rc;		/* out: 0, or -1 with err */
	struct err		err;		/* ERR_MSG: unreadable */
	struct ingest_outcome	out;
};

int		 worker_group_start(struct worker *, struct worker_item *items,
		    size_t n, struct err *);

/* Returns 0 when the group has committed (each item's rc says how its
 * message went), or -1 when nothing of it was committed:
 *   ERR_MSG     the worker crashed or hung on items[*culprit]; the other
 *               items may be given to a new group
 *   ERR_TEMP    the database was busy, the worker died without a
 *               culprit, or the daemon is stopping: try again later
 *   ERR_CONFIG  the worker cannot start
 * Waits in steps of at most a second, calling tick(arg) after each (for
 * the watchdog; tick may be NULL).  When tick returns non-zero the group
 * stops after the message in hand: that part commits and the items not
 * begun come back with rc -1 and ERR_TEMP. */
int		 worker_group_wait(struct worker *, size_t *culprit,
		    int (*tick)(void *), void *arg, struct err *);

/* The child's PID, or -1 when none is running (for tests). */
int		 worker_pid(const struct worker *);

#endif

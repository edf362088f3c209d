/*
 * What the store can tell about the shop's health, for `mailorder
 * status` and the metrics textfile: counts by state and the age of the
 * oldest waiting item, each from an index (orders_status, outbox_due) so
 * the cost stays small as the tables grow.  Webhook events are counted
 * from webhook_events_due (state, next_attempt_at).
 */
#ifndef MO_STORE_HEALTH_H
#define MO_STORE_HEALTH_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "common/error.h"
#include "store/store.h"

#define STORE_HEALTH_MAX	32	/* distinct states / codes kept */

struct store_count {
	char	name[40];
	int64_t	n;
};

struct store_counts {
	struct store_count	c[STORE_HEALTH_MAX];
	size_t			n;
};

struct store_health {
	struct store_counts	flags;		/* open flags of flagged orders,
						   by code */
	struct store_counts	outbox;		/* replies by state */
	int64_t			flagged;	/* orders waiting for a person */
	time_t			oldest_flagged;	/* its arrival; 0: none */
	int64_t			held;		/* replies held back (open
						   reply_held flags) */
	time_t			oldest_queued;	/* oldest reply waiting to
						   leave; 0: none */
	time_t			oldest_failed;	/* oldest reply given up on */
	struct store_counts	webhooks;	/* webhook events by state:
						   queued, failed, sent */
	time_t			oldest_webhook;	/* queued the longest ago;
						   0: none */
	time_t			webhook_failed_at; /* the latest failure;
						   0: none */
	char			webhook_error[200]; /* its last error */
	int64_t			size_bytes;	/* database pages in use */
};

/* Fill *h in one read transaction.  Returns 0 or -1. */
int	store_health_read(struct store *, struct store_health *, struct err *);

/* The count in c named name, 0 when absent. */
int64_t	store_counts_get(const struct store_counts *c, const char *name);

/* Messages of one mailbox (its key, as the daemon records it) fetched
 * but not decided yet (state received or parsing). */
int	store_health_backlog(struct store *, const char *mailbox,
	    int64_t *n_r, struct err *);

/* Latency of orders from mail stored after order id *after_r: calls fn
 * with the seconds from the message's Date: header to the order (0 when
 * the Date: is missing or in the future), and moves *after_r to the
 * last id seen.  For the daemon's histogram. */
int	store_health_latencies(struct store *, int64_t *after_r,
	    void (*fn)(void *, double), void *arg, struct err *);

/* Yesterday's orders from mail (local time, the day before now): how
 * many came in, how many were confirmed (accepted or shipped), and how
 * many of those no operator touched (no audit log entry). */
struct store_day {
	int64_t	orders, confirmed, touchless;
};
int	store_health_day(struct store *, time_t now, struct store_day *,
	    struct err *);

/* The highest order id (0: none). */
int	store_health_last_order(struct store *, int64_t *id_r, struct err *);

#endif

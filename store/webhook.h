/*
 * The webhook outbox: order events queued in the same transaction as the
 * change (store_order_insert() for an order the engine accepted,
 * store/operator.c for an operator's approve, edit, ship and reject),
 * then posted by smtp/webhook.c.  An event's body and key are fixed when
 * it is queued; see migration 8.
 */
#ifndef MO_STORE_WEBHOOK_H
#define MO_STORE_WEBHOOK_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "common/error.h"
#include "store/store.h"

/* The events, as bits (the order of config_webhook_event()). */
enum store_webhook_event {
	STORE_WEBHOOK_ACCEPTED,
	STORE_WEBHOOK_APPROVED,
	STORE_WEBHOOK_EDITED,
	STORE_WEBHOOK_SHIPPED,
	STORE_WEBHOOK_REJECTED,
};

/* Queue the events in mask (1 << event) from now on, on this handle;
 * 0 (the default) queues none.  Every program that changes orders sets
 * it from [webhook] events. */
void	store_webhook_events(struct store *, unsigned mask);

const char	*store_webhook_event_name(int event);

struct store_webhook_item {
	int64_t		 id;
	char		*event, *key, *body;
	int		 attempts;	/* before this one */
	time_t		 created_at;
};

/* Up to max queued events due at now, oldest first, in *items_r (freed
 * with store_webhook_items_free()); returns how many, or -1. */
int	store_webhook_due(struct store *, time_t now, int max,
	    struct store_webhook_item **items_r, struct err *);
void	store_webhook_items_free(struct store_webhook_item *, size_t n);

/* After an attempt: sent; to be tried again at `next` (error kept);
 * failed for good at now (error kept; a failed event's next_attempt_at
 * is when it failed, which `mailorder status` reports).  Each counts the
 * attempt. */
int	store_webhook_sent(struct store *, int64_t id, time_t now,
	    struct err *);
int	store_webhook_retry(struct store *, int64_t id, time_t next,
	    const char *error, struct err *);
int	store_webhook_failed(struct store *, int64_t id, time_t now,
	    const char *error, struct err *);

/* When the next queued event falls due: 1 and *when_r, 0 when none is
 * queued. */
int	store_webhook_next_due(struct store *, time_t *when_r, struct err *);

/* Queue a failed event again, due now: 1, or 0 when there is no failed
 * event with that id. */
int	store_webhook_requeue(struct store *, int64_t id, struct err *);

/* How many events failed for good (and wait for `webhook retry`). */
int	store_webhook_failed_count(struct store *, long *n_r, struct err *);

/* Every event not yet sent (queued and failed), oldest first. */
typedef int (*store_webhook_row_cb)(void *arg, int64_t id, const char *ref,
	    const char *event, const char *key, const char *state,
	    int attempts, time_t next, const char *error);
int	store_webhook_pending(struct store *, store_webhook_row_cb, void *arg,
	    struct err *);

#endif

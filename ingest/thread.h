/*
 * ingest/thread.c: whether a message answers one of ours, and which
 * order's conversation it then joins (see store/thread.h).
 */
#ifndef MO_INGEST_THREAD_H
#define MO_INGEST_THREAD_H

#include <stdint.h>

#include "common/error.h"
#include "store/order.h"

struct store;
struct engine_result;

/* The order res answers: In-Reply-To or References naming a Message-ID
 * of a reply we sent, else our tag ("[MO-58]") in the subject when the
 * mail comes from that order's customer.  Ignored (automatic) mail
 * answers nothing.  Returns 1 with *order_id_r, 0 when it answers no
 * order, -1 on error. */
int	ingest_thread_find(struct store *, const struct engine_result *res,
	    int64_t *order_id_r, struct err *);

/* The first "[MO-n]" in subject, as "MO-n": 1 and ref, or 0. */
int	ingest_thread_tag(const char *subject, char ref[STORE_REF_MAX]);

#endif

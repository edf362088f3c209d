/*
 * reply/: the mail mailorder sends to customers — confirmations,
 * acknowledgements, questions, rejections, shipping notices — composed
 * from editable templates and queued in the store's outbox, to be sent by
 * smtp/.  A reply is fixed when it is queued (Message-ID included), so a
 * retry after a crash sends the very same message.
 *
 * CONTRACT (shared by mailorderd, `mailorder preview` and the operator's
 * commands): reply_queue() is called INSIDE the caller's write
 * transaction, so an order and its reply commit together or not at all.
 */
#ifndef MO_REPLY_H
#define MO_REPLY_H

#include <stdint.h>

#include "common/buf.h"
#include "common/error.h"

struct store;

enum reply_kind {
	REPLY_CONFIRMATION,	/* order accepted: the lines, PO, dates */
	REPLY_ACKNOWLEDGEMENT,	/* flagged: "arrived, a person will confirm" */
	REPLY_QUESTION,		/* operator asks the customer (text given) */
	REPLY_REJECTION,	/* operator rejects / not an order (text given) */
	REPLY_SHIPPING,		/* shipped: carrier, tracking number, link */
};

struct reply_conf {
	const char	*from;		/* the shop's address */
	const char	*from_name;	/* display name, may be NULL */
	const char	*templates;	/* directory of *.txt templates */
	const char	*hostname;	/* for Message-IDs */
};

struct reply_extra {
	const char	*text;		/* operator's own words (question, reason) */
	const char	*carrier;	/* shipping */
	const char	*tracking;
	const char	*tracking_url;
};

/* Compose the reply of kind for order_id and put it in the outbox.
 * Returns 0 and the outbox row id, 1 when policy says no reply (automatic
 * mail, own or noreply address, rate limit, too old), or -1 with err
 * (ERR_CONFIG for a broken template, "FILE:LINE: reason"). */
int	reply_queue(struct store *, const struct reply_conf *, int64_t order_id,
	    enum reply_kind, const struct reply_extra *, int64_t *outbox_id_r,
	    struct err *);

/* The exact message reply_queue() would queue, without queueing it (for
 * `mailorder preview`). */
int	reply_preview(struct store *, const struct reply_conf *,
	    int64_t order_id, enum reply_kind, const struct reply_extra *,
	    struct buf *out, struct err *);

#endif

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

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "common/buf.h"
#include "common/error.h"

struct store;

enum reply_kind {
	REPLY_CONFIRMATION,	/* order accepted: the lines, PO, dates */
	REPLY_ACKNOWLEDGEMENT,	/* flagged: "arrived, a person will confirm" */
	REPLY_QUESTION,		/* operator asks the customer (text given) */
	REPLY_REJECTION,	/* operator rejects / not an order (text given) */
	REPLY_SHIPPING,		/* shipped: carrier, tracking number, link */
	REPLY_RECEIPT,		/* no order in it (a question, a complaint):
				   "we have it; a person will answer" */
};

struct reply_conf {
	const char	*from;		/* the shop's address */
	const char	*from_name;	/* display name, may be NULL */
	const char	*templates;	/* directory of *.txt templates */
	const char	*msgid_domain;	/* Message-IDs end in it ([smtp]
					   message_id_domain); NULL: the
					   domain of from */
	const char	*hostname;	/* last resort for Message-IDs */
	const char	*person;	/* who answers personally, for the
					   receipt; NULL: "one of us" */

	/* Loop and flood protection for the automatic kinds (confirmation,
	 * acknowledgement); the operator's own replies are not limited. */
	long		 max_per_hour;	/* per recipient; 0: no limit */
	long		 max_age_hours;	/* older mail gets none; 0: any age */
	const char *const *own;		/* more of our addresses (the inboxes) */
	size_t		 nown;
	int		 manual;	/* a person asked for this reply: only
					   the address rules apply */
	time_t		 now;		/* 0: the clock; tests set it */
};

struct reply_extra {
	const char	*text;		/* operator's own words (question, reason) */
	const char	*signed_by;	/* the operator's name, to sign with */
	const char	*operator_note;	/* a personal line for the customer */
	const char	*carrier;	/* shipping */
	const char	*tracking;
	const char	*tracking_url;
};

/* Compose the reply of kind for order_id and put it in the outbox.
 * Returns 0 with *outbox_id_r the row queued, or 0 when policy says no
 * reply (automatic mail, own or noreply address, rate limit, too old):
 * *outbox_id_r 0 then; or -1 with err (ERR_CONFIG for a broken
 * template, "FILE:LINE: reason"). */
int	reply_queue(struct store *, const struct reply_conf *, int64_t order_id,
	    enum reply_kind, const struct reply_extra *, int64_t *outbox_id_r,
	    struct err *);

/* The exact message reply_queue() would queue, without queueing it (for
 * `mailorder preview`). */
int	reply_preview(struct store *, const struct reply_conf *,
	    int64_t order_id, enum reply_kind, const struct reply_extra *,
	    struct buf *out, struct err *);

/* Carriers as their customers know them ("UPS", "Royal Mail"), whatever
 * the operator typed ("ups"); one not listed gets a capital letter. */
void		 reply_carrier_name(const char *carrier, char *out, size_t n);

struct store_reply_source;

/* "confirmation", "acknowledgement", "question", "rejection",
 * "shipping", "receipt": the outbox kind and the template's file name
 * (+ ".txt"). */
const char	*reply_kind_name(enum reply_kind);

/* 1 for the kinds sent without a person deciding (confirmation,
 * acknowledgement, receipt): only those are rate limited and age
 * limited. */
int		 reply_kind_automatic(enum reply_kind);

/* Load every kind's template from dir, to refuse a broken one at
 * start-up.  Returns 0, or -1 with ERR_CONFIG and "FILE:LINE: reason". */
int		 reply_templates_check(const char *dir, struct err *);

/* The address a reply to src goes to (Reply-To, else From), or NULL when
 * policy forbids any reply: *why_r says why.  Only the checks that need
 * no store: automatic mail, noreply-style and own addresses, our own
 * replies coming back, mail older than max_age_hours.  *held_r is 1 when
 * the operator should decide instead (too old). */
const char	*reply_policy(const struct reply_conf *,
		    const struct store_reply_source *, enum reply_kind,
		    time_t now, const char **why_r, int *held_r);

/* Compose the full message (CRLF line ends) for src with the given
 * Message-ID (without brackets) and date into out.  Returns 0, or -1
 * with ERR_CONFIG for a broken template. */
int		 reply_compose(const struct reply_conf *,
		    const struct store_reply_source *, enum reply_kind,
		    const struct reply_extra *, const char *rcpt,
		    const char *message_id, time_t date, struct buf *out,
		    struct err *);

#endif

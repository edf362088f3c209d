/*
 * Sending by hand what an order is owed; see send.h.  The reply settings
 * are the review's: a person's reply (no rate or age limits, and the
 * undo window of every reply a person triggers).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "reply/reply.h"
#include "review/review.h"
#include "review/send.h"
#include "store/outbox.h"
#include "store/release.h"
#include "store/store.h"

/* The automatic reply a held order is owed, by what it is now. */
static int
send_held_kind(const struct store_release *r, enum reply_kind *kind_r,
    struct err *err)
{
	if (r->no_items)
		*kind_r = REPLY_RECEIPT;
	else if (strcmp(r->status, "accepted") == 0)
		*kind_r = REPLY_CONFIRMATION;
	else if (strcmp(r->status, "flagged") == 0)
		*kind_r = REPLY_ACKNOWLEDGEMENT;
	else
		return err_set(err, ERR_MSG, "%s is %s: its held reply no "
		    "longer fits", r->ref, r->status);
	return 0;
}

static int
send_held(const struct review *rv, int64_t id, const struct store_release *r,
    char *what, size_t n, struct err *err)
{
	enum reply_kind kind = REPLY_CONFIRMATION;
	char note[64];
	int64_t oid = 0;

	if (send_held_kind(r, &kind, err) == -1 ||
	    reply_queue(rv->store, rv->replies, id, kind, NULL, &oid,
	    err) == -1)
		return -1;
	if (oid == 0)
		return err_set(err, ERR_MSG, "%s: no reply can go to its "
		    "sender (see mailorder preview %s)", r->ref, r->ref);
	snprintf(note, sizeof(note), "sent the held %s",
	    reply_kind_name(kind));
	snprintf(what, n, "%s: the held %s is queued", r->ref,
	    reply_kind_name(kind));
	return store_release_done(rv->store, id, STORE_OUTBOX_HELD,
	    rv->operator, note, oid, err);
}

/* Inside the transaction: send what order id is owed. */
static int
send_release(const struct review *rv, int64_t id, int again, char *what,
    size_t n, struct err *err)
{
	struct store_release r;
	int64_t oid;
	int found;

	if ((found = store_release_get(rv->store, id, &r, err)) != 1)
		return found == 0 ? err_set(err, ERR_MSG, "no order MO-%lld",
		    (long long)id) : -1;
	if (r.held)
		return send_held(rv, id, &r, what, n, err);
	if (r.failed > 0 || (again && r.sent > 0)) {
		oid = r.failed > 0 ? r.failed : r.sent;
		if (store_release_requeue(rv->store, oid, time(NULL),
		    err) == -1)
			return -1;
		snprintf(what, n, "%s: the %s reply is queued again", r.ref,
		    r.failed > 0 ? "failed" : "last");
		return store_release_done(rv->store, id, r.failed > 0 ?
		    STORE_OUTBOX_FLAG : NULL, rv->operator,
		    r.failed > 0 ? "sent the failed reply again" :
		    "sent the last reply again", oid, err);
	}
	return err_set(err, ERR_MSG, "%s has no held or failed reply to "
	    "send%s", r.ref, r.sent > 0 ? " (--again sends the last one once "
	    "more)" : "");
}

int
review_send(const struct review *rv, int64_t id, int again, char *what,
    size_t n, struct err *err)
{
	if (rv->replies == NULL)
		return err_set(err, ERR_CONFIG, "no [smtp] section with a "
		    "from address: nothing can be sent");
	if (store_begin(rv->store, err) == -1)
		return -1;
	if (send_release(rv, id, again, what, n, err) == -1 ||
	    store_commit(rv->store, err) == -1) {
		store_rollback(rv->store);
		return -1;
	}
	return 0;
}

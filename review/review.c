/*
 * The operator's actions; see review.h.
 *
 * Each action runs action_open() (BEGIN IMMEDIATE, load the order, check
 * its state and version, snapshot it), changes what it changes through
 * store/review.h, and ends with action_finish() (reply, version bump,
 * audit row, COMMIT) or action_fail() (ROLLBACK).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/qty.h"
#include "common/xmalloc.h"
#include "reply/reply.h"
#include "review/review.h"
#include "store/audit.h"
#include "store/basket.h"
#include "store/catalog.h"
#include "store/customer.h"
#include "store/operator.h"
#include "store/order.h"
#include "store/review.h"
#include "store/webhook.h"

/* Which statuses an action may start from. */
#define ACTION_OPEN		"flagged,ignored"
#define ACTION_ACCEPTED		"accepted"
#define ACTION_ANY		NULL

/* No reply goes with the action. */
#define ACTION_NO_REPLY		(-1)

/* One action on one order, from open to commit or rollback. */
struct action {
	const struct review		*rv;
	int64_t				 id;
	struct store_review_order	 o;
	struct store_audit		 audit;	/* filled as the action goes */
	char				*before;
	char				*alias;	/* normalised, learned */
};

static void
action_release(struct action *a)
{
	store_review_order_release(&a->o);
	free(a->before);
	free(a->alias);
	a->before = a->alias = NULL;
}

static int
action_fail(struct action *a, struct err *err, enum err_class cls,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Roll back, release, and (when fmt is not NULL) set the error. */
static int
action_fail(struct action *a, struct err *err, enum err_class cls,
    const char *fmt, ...)
{
	va_list ap;

	/* The message may quote the order: format it before it goes. */
	if (fmt != NULL) {
		va_start(ap, fmt);
		err_setv(err, cls, fmt, ap);
		va_end(ap);
	}
	store_rollback(a->rv->store);
	action_release(a);
	return -1;
}

static int
action_status_in(const char *status, const char *list)
{
	size_t n = strlen(status);
	const char *p;

	if (list == NULL)
		return 1;
	for (p = list; (p = strstr(p, status)) != NULL; p += n)
		if ((p == list || p[-1] == ',') &&
		    (p[n] == ',' || p[n] == '\0'))
			return 1;
	return 0;
}

/* The refusal for a stale version: who changed the order, and when. */
static int
action_stale(struct action *a, int seen, struct err *err)
{
	struct store_audit_change c;
	long long id = (long long)a->id;
	int rc;

	if ((rc = store_audit_latest(a->rv->store, a->id, &c, err)) == -1)
		return action_fail(a, err, ERR_NONE, NULL);
	if (rc == 1)
		return action_fail(a, err, ERR_TEMP, "MO-%lld was changed by "
		    "%s at %s (%s) since you opened it (version %d, now %d); "
		    "look at it again", id, c.operator, c.at, c.action, seen,
		    a->o.version);
	return action_fail(a, err, ERR_TEMP, "MO-%lld was changed by "
	    "mailorderd since you opened it (version %d, now %d); look at it "
	    "again", id, seen, a->o.version);
}

/*
 * Begin the action's transaction and load the order.  Refuses imported
 * history, a status not in allowed, and a version other than the one the
 * operator saw.  On failure the transaction is rolled back.
 */
static int
action_open(struct action *a, const struct review *rv,
    const struct review_target *t, const char *allowed, const char *name,
    const char *what, struct err *err)
{
	long long id = (long long)t->order_id;
	int rc;

	memset(a, 0, sizeof(*a));
	a->rv = rv;
	a->id = t->order_id;
	a->audit.operator = rv->operator != NULL ? rv->operator : "operator";
	a->audit.action = name;
	a->audit.order_id = t->order_id;
	if (store_begin(rv->store, err) == -1)
		return -1;
	if ((rc = store_review_order_load(rv->store, a->id, &a->o,
	    err)) == -1)
		return action_fail(a, err, ERR_NONE, NULL);
	if (rc == 0)
		return action_fail(a, err, ERR_INPUT, "no order MO-%lld", id);
	if (a->o.imported)
		return action_fail(a, err, ERR_INPUT, "MO-%lld is imported "
		    "history, not an order from mail", id);
	if (t->version != 0 && t->version != a->o.version)
		return action_stale(a, t->version, err);
	if (!action_status_in(a->o.status, allowed))
		return action_fail(a, err, ERR_INPUT, "cannot %s MO-%lld: it is "
		    "%s", what, id, a->o.status);
	if (store_review_snapshot(rv->store, a->id, &a->before, err) == -1)
		return action_fail(a, err, ERR_NONE, NULL);
	a->audit.before = a->before;
	return 0;
}

/* The webhook event of an action, after its version bump; assign and
 * undo post none. */
static int
action_webhook(const struct action *a, struct err *err)
{
	static const struct {
		const char		*action;
		enum store_webhook_event ev;
	} events[] = {
		{ "approve",	STORE_WEBHOOK_APPROVED },
		{ "edit",	STORE_WEBHOOK_EDITED },
		{ "ship",	STORE_WEBHOOK_SHIPPED },
		{ "reject",	STORE_WEBHOOK_REJECTED },
	};
	size_t i;

	for (i = 0; i < sizeof(events) / sizeof(events[0]); i++)
		if (strcmp(a->audit.action, events[i].action) == 0)
			return store_review_event(a->rv->store, a->id,
			    events[i].ev, err);
	return 0;
}

/*
 * Queue the reply of kind (ACTION_NO_REPLY: none; also none when replies
 * are off), set the new status (NULL: keep), bump the version, queue the
 * webhook event, write the audit row with note and commit.  Releases a.
 */
static int
action_finish(struct action *a, const char *status, const char *note,
    int kind, const struct reply_extra *extra, struct review_result *res,
    struct err *err)
{
	struct store *st = a->rv->store;
	int64_t outbox = 0;

	if (kind != ACTION_NO_REPLY && a->rv->replies != NULL &&
	    reply_queue(st, a->rv->replies, a->id, (enum reply_kind)kind,
	    extra, &outbox, err) == -1)
		return action_fail(a, err, ERR_NONE, NULL);
	a->audit.note = note;
	a->audit.outbox_id = outbox;
	if (store_review_bump(st, a->id, status, err) == -1 ||
	    action_webhook(a, err) == -1 ||
	    store_audit_add(st, &a->audit, err) == -1 ||
	    store_commit(st, err) == -1)
		return action_fail(a, err, ERR_NONE, NULL);
	if (res != NULL)
		res->outbox_id = outbox;
	action_release(a);
	return 0;
}

static void
review_result_clear(struct review_result *res)
{
	if (res != NULL)
		memset(res, 0, sizeof(*res));
}

int
review_approve(const struct review *rv, const struct review_target *t,
    struct review_result *res, struct err *err)
{
	return review_approve_note(rv, t, NULL, res, err);
}

int
review_approve_note(const struct review *rv, const struct review_target *t,
    const char *note, struct review_result *res, struct err *err)
{
	struct reply_extra extra;
	struct action a;
	long long id = (long long)t->order_id;
	int n, nsku, first;

	review_result_clear(res);
	if (action_open(&a, rv, t, ACTION_OPEN, "approve", "approve",
	    err) == -1)
		return -1;
	if (a.o.customer_id == NULL)
		return action_fail(&a, err, ERR_INPUT, "cannot approve MO-%lld: "
		    "the sender is no known customer; assign it first", id);
	if (store_review_lines_count(rv->store, a.id, &n, &nsku, &first,
	    err) == -1)
		return action_fail(&a, err, ERR_NONE, NULL);
	if (n == 0)
		return action_fail(&a, err, ERR_INPUT, "cannot approve MO-%lld: "
		    "it has no lines; add one or reject it", id);
	if (nsku < n)
		return action_fail(&a, err, ERR_INPUT, "cannot approve MO-%lld: "
		    "line %d has no product; choose one first", id, first);
	if (store_review_flags_resolve(rv->store, a.id, NULL, 0, err) == -1)
		return action_fail(&a, err, ERR_NONE, NULL);
	memset(&extra, 0, sizeof(extra));
	extra.operator_note = note;
	extra.signed_by = rv->signer;
	return action_finish(&a, "accepted", "approved", REPLY_CONFIRMATION,
	    &extra, res, err);
}

/* Learn words as the customer's alias for sku, noting whether it is new
 * for undo. */
static int
edit_learn(struct action *a, const char *words, const char *sku,
    struct err *err)
{
	struct store *st = a->rv->store;
	int known;

	a->alias = store_alias_normalise(words);
	if (*a->alias == '\0')		/* nothing to learn from */
		return 0;
	if ((known = store_review_alias_known(st, a->alias, a->o.customer_id,
	    sku, err)) == -1 ||
	    store_alias_learn(st, a->alias, sku, a->o.customer_id, err) == -1)
		return -1;
	a->audit.alias = a->alias;
	a->audit.alias_sku = sku;
	a->audit.alias_new = !known;
	return 0;
}

static int
edit_set(struct action *a, const struct review_edit *e, struct err *err)
{
	struct store *st = a->rv->store;

	if (store_review_line_set(st, a->id, e->line, e->sku, e->quantity,
	    err) == -1)
		return -1;
	if (e->sku != NULL && store_review_flags_resolve(st, a->id,
	    "unknown_product", e->line, err) == -1)
		return -1;
	if (store_review_flags_resolve(st, a->id, "unusual_quantity",
	    e->line, err) == -1)
		return -1;
	if (e->sku != NULL && e->alias != NULL && a->o.customer_id != NULL)
		return edit_learn(a, e->alias, e->sku, err);
	return 0;
}

static int
edit_add(struct action *a, const struct review_edit *e, int *line_r,
    struct err *err)
{
	struct store *st = a->rv->store;
	double qty = e->quantity;

	/* Without a quantity: what the customer took last time, else 1. */
	if (qty <= 0 && a->o.customer_id != NULL &&
	    store_operator_last_quantity(st, a->o.customer_id, e->sku, &qty,
	    err) == -1)
		return -1;
	if (qty <= 0)
		qty = 1;
	if (store_review_line_add(st, a->id, e->sku, qty, line_r, err) == -1)
		return -1;
	return store_review_references_resolve(st, a->id, e->sku, err);
}

/* What the edit may not be, before anything is opened. */
static int
edit_valid(const struct review_edit *e, struct err *err)
{
	char qbuf[QTY_FMT_MAX];

	if (e->quantity < 0 || e->quantity > QTY_MAX)
		return err_set(err, ERR_INPUT, "quantity %s is out of range "
		    "(0-%.0f)", qty_format(e->quantity, qbuf), QTY_MAX);
	if (e->op == REVIEW_LINE_ADD && e->sku == NULL)
		return err_set(err, ERR_INPUT, "a new line needs a product");
	if (e->op == REVIEW_LINE_SET && e->sku == NULL && e->quantity == 0)
		return err_set(err, ERR_INPUT, "nothing to change on line %d",
		    e->line);
	return 0;
}

/* The edit's SKU is in the catalog and its line exists. */
static int
edit_check(struct action *a, const struct review_edit *e, struct err *err)
{
	struct store *st = a->rv->store;
	int rc;

	if (e->sku != NULL) {
		if ((rc = store_product_exists(st, e->sku, err)) == -1)
			return action_fail(a, err, ERR_NONE, NULL);
		if (rc == 0)
			return action_fail(a, err, ERR_INPUT, "no product '%s' "
			    "in the catalog", e->sku);
	}
	if (e->op != REVIEW_LINE_ADD) {
		if ((rc = store_review_line_exists(st, a->id, e->line,
		    err)) == -1)
			return action_fail(a, err, ERR_NONE, NULL);
		if (rc == 0)
			return action_fail(a, err, ERR_INPUT, "MO-%lld has no "
			    "line %d", (long long)a->id, e->line);
	}
	return 0;
}

/* Apply e; note gets the audit log's words for it. */
static int
edit_apply(struct action *a, const struct review_edit *e, int *line,
    char *note, size_t notesz, struct err *err)
{
	char qbuf[QTY_FMT_MAX];
	int rc;

	switch (e->op) {
	case REVIEW_LINE_SET:
		rc = edit_set(a, e, err);
		snprintf(note, notesz, "line %d:%s%s%s%s%s%s%s", *line,
		    e->sku ? " sku " : "", e->sku ? e->sku : "",
		    e->quantity ? " quantity " : "",
		    e->quantity ? qty_format(e->quantity, qbuf) : "",
		    a->audit.alias ? " (learned '" : "",
		    a->audit.alias ? a->audit.alias : "",
		    a->audit.alias ? "')" : "");
		return rc;
	case REVIEW_LINE_DELETE:
		rc = store_review_line_delete(a->rv->store, a->id, e->line,
		    err);
		if (rc == 0)
			rc = store_review_flags_resolve(a->rv->store, a->id,
			    NULL, e->line, err);
		snprintf(note, notesz, "line %d deleted", *line);
		return rc;
	default:
		rc = edit_add(a, e, line, err);
		snprintf(note, notesz, "line %d added: %s", *line, e->sku);
		return rc;
	}
}

int
review_edit(const struct review *rv, const struct review_target *t,
    const struct review_edit *e, struct review_result *res, struct err *err)
{
	struct action a;
	char note[256];
	int line = e->line;

	review_result_clear(res);
	if (edit_valid(e, err) == -1)
		return -1;
	if (action_open(&a, rv, t, ACTION_OPEN, "edit", "edit", err) == -1 ||
	    edit_check(&a, e, err) == -1)
		return -1;
	if (edit_apply(&a, e, &line, note, sizeof(note), err) == -1)
		return action_fail(&a, err, ERR_NONE, NULL);
	if (action_finish(&a, NULL, note, ACTION_NO_REPLY, NULL, res,
	    err) == -1)
		return -1;
	if (res != NULL)
		res->line = line;
	return 0;
}

/* The lines to copy, gathered before any is written. */
struct fill_lines {
	char	**skus;
	double	 *qty;
	size_t	  n;
};

static int
fill_gather(void *arg, const char *sku, double quantity)
{
	struct fill_lines *fl = arg;

	fl->skus = xreallocarray(fl->skus, fl->n + 1, sizeof(*fl->skus));
	fl->qty = xreallocarray(fl->qty, fl->n + 1, sizeof(*fl->qty));
	fl->skus[fl->n] = xstrdup(sku);
	fl->qty[fl->n++] = quantity;
	return 0;
}

static void
fill_lines_release(struct fill_lines *fl)
{
	size_t i;

	for (i = 0; i < fl->n; i++)
		free(fl->skus[i]);
	free(fl->skus);
	free(fl->qty);
	memset(fl, 0, sizeof(*fl));
}

/* What review_fill copies from: the lines into fl, what into src (for
 * the audit log and the operator). */
static int
fill_source(struct action *a, const struct review_fill *f,
    struct fill_lines *fl, char *src, size_t srcsz, struct err *err)
{
	struct store *st = a->rv->store;
	char ref[STORE_REF_MAX], cust[STORE_CUSTOMER_ID_MAX];
	int64_t from;
	int rc;

	if (a->o.customer_id == NULL)
		return err_set(err, ERR_INPUT, "MO-%lld has no customer yet: "
		    "say who sent it first", (long long)a->id);
	if (f->usual) {
		snprintf(src, srcsz, "the usual basket");
		return store_basket_usual(st, a->o.customer_id, a->id,
		    fill_gather, fl, err);
	}
	if (f->from != NULL) {
		if ((rc = store_basket_order(st, f->from, &from, cust,
		    err)) == -1)
			return -1;
		if (rc == 0)
			return err_set(err, ERR_INPUT, "no order '%s'", f->from);
		if (strcmp(cust, a->o.customer_id) != 0)
			return err_set(err, ERR_INPUT, "%s is not %s's order",
			    f->from, a->o.customer_id);
		snprintf(src, srcsz, "%s", f->from);
	} else {
		if ((rc = store_basket_last(st, a->o.customer_id, a->id, &from,
		    ref, err)) == -1)
			return -1;
		if (rc == 0)
			return err_set(err, ERR_INPUT, "%s has no earlier order",
			    a->o.customer_id);
		snprintf(src, srcsz, "%s", ref);
	}
	return store_basket_lines(st, from, fill_gather, fl, err);
}

/* Add what the order lacks; *added_r counts it. */
static int
fill_apply(struct action *a, const struct review_fill *f,
    const struct fill_lines *fl, int *added_r, struct err *err)
{
	struct store *st = a->rv->store;
	size_t i;
	int has, line;

	*added_r = 0;
	for (i = 0; i < fl->n; i++) {
		if ((has = store_basket_has(st, a->id, fl->skus[i],
		    err)) == -1)
			return -1;
		if (!has && store_review_line_add(st, a->id, fl->skus[i],
		    fl->qty[i], &line, err) == -1)
			return -1;
		if (store_review_references_resolve(st, a->id, fl->skus[i],
		    err) == -1)
			return -1;
		*added_r += !has;
		if (f->cb != NULL)
			f->cb(f->arg, fl->skus[i], fl->qty[i], !has);
	}
	return 0;
}

int
review_fill(const struct review *rv, const struct review_target *t,
    const struct review_fill *f, struct review_result *res,
    struct err *err)
{
	struct fill_lines fl;
	struct action a;
	char src[STORE_REF_MAX + 32], note[128];
	int added;

	review_result_clear(res);
	memset(&fl, 0, sizeof(fl));
	if (action_open(&a, rv, t, ACTION_OPEN, "fill", "fill", err) == -1)
		return -1;
	if (fill_source(&a, f, &fl, src, sizeof(src), err) == -1 ||
	    (fl.n == 0 && err_set(err, ERR_INPUT, "%s has no lines to copy",
	    src) == -1) || fill_apply(&a, f, &fl, &added, err) == -1) {
		fill_lines_release(&fl);
		return action_fail(&a, err, ERR_NONE, NULL);
	}
	fill_lines_release(&fl);
	if (res != NULL)
		res->line = added;
	if (f->dry_run) {
		store_rollback(rv->store);
		action_release(&a);
		return 0;
	}
	snprintf(note, sizeof(note), "%d line%s copied from %s", added,
	    added == 1 ? "" : "s", src);
	return action_finish(&a, NULL, note, ACTION_NO_REPLY, NULL, res, err);
}

int
review_ask(const struct review *rv, const struct review_target *t,
    const char *text, struct review_result *res, struct err *err)
{
	struct reply_extra extra;
	struct action a;

	review_result_clear(res);
	if (text == NULL || *text == '\0')
		return err_set(err, ERR_INPUT, "the question is empty");
	if (action_open(&a, rv, t, ACTION_OPEN, "ask", "ask about",
	    err) == -1)
		return -1;
	memset(&extra, 0, sizeof(extra));
	extra.text = text;
	extra.signed_by = rv->signer;
	return action_finish(&a, NULL, text, REPLY_QUESTION, &extra, res,
	    err);
}

/* A product's name for the customer's eyes: its name, else its SKU. */
static char *
subst_name(struct store *st, const char *sku, struct err *err, int *rc_r)
{
	char *name = NULL, *unit = NULL;

	*rc_r = store_product_get(st, sku, &name, &unit, err);
	free(unit);
	if (*rc_r == 1 && name == NULL)
		name = xstrdup(sku);
	return name;
}

/* Checks and words for review_ask_substitute(), inside a's
 * transaction. */
static int
subst_words(struct action *a, int line, const char *sku, const char *text,
    struct buf *q, struct err *err)
{
	struct store *st = a->rv->store;
	char *old = NULL, *oldname = NULL, *newname = NULL, *avail = NULL;
	int rc, ret = -1;

	if ((rc = store_basket_line_sku(st, a->id, line, &old, err)) != 1) {
		if (rc == 0)
			err_set(err, ERR_INPUT, "MO-%lld has no line %d",
			    (long long)a->id, line);
		goto out;
	}
	if ((newname = subst_name(st, sku, err, &rc)) == NULL) {
		if (rc == 0)
			err_set(err, ERR_INPUT, "no product '%s' in the "
			    "catalog", sku);
		goto out;
	}
	if (store_product_availability(st, sku, &avail, err) == -1)
		goto out;
	if (avail != NULL && strcmp(avail, "available") != 0) {
		err_set(err, ERR_INPUT, "%s is %s itself: propose another",
		    sku, avail);
		goto out;
	}
	if (old != NULL && (oldname = subst_name(st, old, err, &rc)) == NULL &&
	    rc == -1)
		goto out;
	buf_addf(q, "%s is not available at the moment. We could send %s "
	    "instead: shall we? Just reply yes or no.", oldname != NULL ?
	    oldname : "One of the products you asked for", newname);
	if (text != NULL && *text != '\0')
		buf_addf(q, "\n\n%s", text);
	ret = store_review_line_set(st, a->id, line, sku, 0, err);
out:
	free(old);
	free(oldname);
	free(newname);
	free(avail);
	return ret;
}

int
review_ask_substitute(const struct review *rv, const struct review_target *t,
    int line, const char *sku, const char *text, struct review_result *res,
    struct err *err)
{
	struct reply_extra extra;
	struct action a;
	struct buf q;
	int rc;

	review_result_clear(res);
	if (action_open(&a, rv, t, ACTION_OPEN, "ask", "ask about",
	    err) == -1)
		return -1;
	buf_init(&q, 64 * 1024);
	if (subst_words(&a, line, sku, text, &q, err) == -1 ||
	    store_review_flags_resolve(rv->store, a.id, "unavailable", line,
	    err) == -1) {
		buf_release(&q);
		return action_fail(&a, err, ERR_NONE, NULL);
	}
	memset(&extra, 0, sizeof(extra));
	extra.text = buf_str(&q);
	extra.signed_by = rv->signer;
	rc = action_finish(&a, NULL, buf_str(&q), REPLY_QUESTION, &extra, res,
	    err);
	buf_release(&q);
	if (rc == 0 && res != NULL)
		res->line = line;
	return rc;
}

int
review_reject(const struct review *rv, const struct review_target *t,
    const char *reason, const char *text, struct review_result *res,
    struct err *err)
{
	struct reply_extra extra;
	struct action a;

	review_result_clear(res);
	if (reason == NULL || *reason == '\0')
		return err_set(err, ERR_INPUT, "a rejection needs a reason");
	if (action_open(&a, rv, t, ACTION_OPEN, "reject", "reject",
	    err) == -1)
		return -1;
	if (store_review_flags_resolve(rv->store, a.id, NULL, 0, err) == -1)
		return action_fail(&a, err, ERR_NONE, NULL);
	memset(&extra, 0, sizeof(extra));
	extra.text = text;
	extra.signed_by = rv->signer;
	/* The reply is optional: without words of the operator's, none. */
	return action_finish(&a, "rejected", reason, text != NULL ?
	    REPLY_REJECTION : ACTION_NO_REPLY, &extra, res, err);
}

int
review_ship(const struct review *rv, const struct review_target *t,
    const struct review_shipment *sh, struct review_result *res,
    struct err *err)
{
	struct reply_extra extra;
	struct action a;
	char note[256];

	review_result_clear(res);
	if (sh->carrier == NULL || *sh->carrier == '\0' ||
	    sh->tracking == NULL || *sh->tracking == '\0')
		return err_set(err, ERR_INPUT, "shipping needs a carrier and a "
		    "tracking number");
	if (action_open(&a, rv, t, ACTION_ACCEPTED, "ship", "ship",
	    err) == -1)
		return -1;
	snprintf(note, sizeof(note), "%s %s", sh->carrier, sh->tracking);
	memset(&extra, 0, sizeof(extra));
	extra.carrier = sh->carrier;
	extra.tracking = sh->tracking;
	extra.tracking_url = sh->url;
	/* The note is operator_note, as approve's is; it is text too,
	 * which shipping templates were told holds the operator's words. */
	if (sh->note != NULL && *sh->note != '\0') {
		extra.operator_note = sh->note;
		extra.text = sh->note;
		extra.signed_by = rv->signer;
	}
	return action_finish(&a, "shipped", note, REPLY_SHIPPING, &extra, res,
	    err);
}

/*
 * Make sure customer_id exists (creating it when name is given) and
 * remember addr as theirs.  *new_r: the address was not theirs before.
 */
static int
assign_address_put(struct store *st, const char *addr,
    const char *customer_id, const char *name, int *new_r, struct err *err)
{
	int rc;

	if ((rc = store_customer_exists(st, customer_id, err)) == -1)
		return -1;
	if (rc == 0 && name == NULL)
		return err_set(err, ERR_INPUT, "no customer '%s' (give a name "
		    "to create one)", customer_id);
	if (rc == 0 && store_customer_upsert(st, customer_id, name, err) == -1)
		return -1;
	if ((rc = store_review_address_known(st, addr, customer_id,
	    err)) == -1)
		return -1;
	*new_r = !rc;
	return store_customer_assign(st, addr, customer_id, err);
}

/* Within the open transaction: the order is customer_id's now. */
static int
assign_order(struct store *st, int64_t id, const char *customer_id,
    struct err *err)
{
	if (store_review_order_assign(st, id, customer_id, err) == -1)
		return -1;
	return store_review_flags_resolve(st, id, "unknown_sender", 0, err);
}

int
review_assign(const struct review *rv, const struct review_target *t,
    const char *addr, const char *customer_id, const char *name,
    struct review_result *res, struct err *err)
{
	struct action a;
	char note[256], cid[STORE_CUSTOMER_ID_MAX];

	review_result_clear(res);
	/* As the operator typed it: "acme" is ACME. */
	if (store_customer_lookup(rv->store, customer_id, cid, sizeof(cid),
	    err) == -1)
		return -1;
	if (action_open(&a, rv, t, ACTION_OPEN, "assign", "assign",
	    err) == -1)
		return -1;
	if (addr == NULL)
		addr = a.o.from_addr;
	if (addr == NULL)
		return action_fail(&a, err, ERR_INPUT, "MO-%lld has no sender "
		    "address", (long long)a.id);
	if (assign_address_put(rv->store, addr, cid, name,
	    &a.audit.addr_new, err) == -1 ||
	    assign_order(rv->store, a.id, cid, err) == -1)
		return action_fail(&a, err, ERR_NONE, NULL);
	/* addr may point into a.o, which lives until the audit is written. */
	a.audit.addr = addr;
	snprintf(note, sizeof(note), "%s is %s", addr, cid);
	return action_finish(&a, NULL, note, ACTION_NO_REPLY, NULL, res, err);
}

/* One open order from the address gets the customer: snapshot, assign,
 * bump, audit. */
static int
assign_one(struct store *st, struct store_audit *au, int64_t id,
    const char *customer_id, struct err *err)
{
	char *before;
	int rc;

	if (store_review_snapshot(st, id, &before, err) == -1)
		return -1;
	au->order_id = id;
	au->before = before;
	rc = assign_order(st, id, customer_id, err) == -1 ||
	    store_review_bump(st, id, NULL, err) == -1 ||
	    store_audit_add(st, au, err) == -1 ? -1 : 0;
	au->before = NULL;
	free(before);
	return rc;
}

int
review_assign_address(const struct review *rv, const char *addr,
    const char *customer_id, const char *name, struct review_result *res,
    struct err *err)
{
	struct store *st = rv->store;
	struct store_audit au;
	int64_t *ids = NULL;
	size_t n = 0, i;
	char note[256], cid[STORE_CUSTOMER_ID_MAX];

	review_result_clear(res);
	if (strchr(addr, '@') == NULL)
		return err_set(err, ERR_INPUT, "'%s' is not an email address "
		    "(user@domain or @domain)", addr);
	if (store_customer_lookup(st, customer_id, cid, sizeof(cid),
	    err) == -1)
		return -1;
	memset(&au, 0, sizeof(au));
	au.operator = rv->operator != NULL ? rv->operator : "operator";
	au.action = "assign";
	au.note = note;
	au.addr = addr;
	snprintf(note, sizeof(note), "%s is %s", addr, cid);
	if (store_begin(st, err) == -1)
		return -1;
	if (assign_address_put(st, addr, cid, name, &au.addr_new, err) == -1 ||
	    store_review_orders_from(st, addr, &ids, &n, err) == -1)
		goto fail;
	/* The address row itself, for orders yet to come. */
	if (n == 0 && store_audit_add(st, &au, err) == -1)
		goto fail;
	for (i = 0; i < n; i++) {
		if (assign_one(st, &au, ids[i], cid, err) == -1)
			goto fail;
		au.addr_new = 0;  /* only the first undo forgets the address */
	}
	free(ids);
	if (store_commit(st, err) == -1) {
		store_rollback(st);
		return -1;
	}
	if (res != NULL)
		res->assigned = (int)n;
	return 0;
fail:
	free(ids);
	store_rollback(st);
	return -1;
}

static const char *const review_action_names[] = {
	"approve", "edit", "fill", "ask", "reject", "assign", "ship",
};

/* The action's name as a static string ("action" when unknown). */
static const char *
undo_name(const char *action)
{
	size_t i;

	for (i = 0; i < sizeof(review_action_names) /
	    sizeof(review_action_names[0]); i++)
		if (strcmp(review_action_names[i], action) == 0)
			return review_action_names[i];
	return "action";
}

/* Take back what u did, inside a's transaction. */
static int
undo_apply(struct action *a, const struct store_audit_undo *u,
    struct err *err)
{
	struct store *st = a->rv->store;
	int rc;

	if (u->outbox_id > 0) {
		if ((rc = store_review_outbox_cancel(st, u->outbox_id,
		    err)) == -1)
			return -1;
		if (rc == 0)
			return err_set(err, ERR_INPUT, "cannot undo the %s of "
			    "MO-%lld: its reply is no longer waiting in the "
			    "outbox", u->action, (long long)a->id);
	}
	if (store_review_restore(st, a->id, u->before, err) == -1)
		return -1;
	if (u->alias_new && u->alias != NULL && u->alias_sku != NULL &&
	    a->o.customer_id != NULL && store_review_alias_forget(st,
	    u->alias, u->alias_sku, a->o.customer_id, err) == -1)
		return -1;
	if (u->addr_new && u->addr != NULL &&
	    store_review_address_forget(st, u->addr, err) == -1)
		return -1;
	return 0;
}

int
review_undo(const struct review *rv, const struct review_target *t,
    struct review_result *res, struct err *err)
{
	struct store_audit_undo u;
	struct action a;
	char note[64];
	const char *name;
	int rc;

	review_result_clear(res);
	if (action_open(&a, rv, t, ACTION_ANY, "undo", "undo", err) == -1)
		return -1;
	if ((rc = store_audit_undoable(rv->store, a.id, &u, err)) == -1)
		return action_fail(&a, err, ERR_NONE, NULL);
	if (rc == 0 || u.before == NULL) {
		store_audit_undo_release(&u);
		return action_fail(&a, err, ERR_INPUT, "nothing to undo on "
		    "MO-%lld", (long long)a.id);
	}
	if (undo_apply(&a, &u, err) == -1) {
		store_audit_undo_release(&u);
		return action_fail(&a, err, ERR_NONE, NULL);
	}
	a.audit.undoes = u.id;
	snprintf(note, sizeof(note), "undo %s", u.action);
	name = undo_name(u.action);
	store_audit_undo_release(&u);
	if (action_finish(&a, NULL, note, ACTION_NO_REPLY, NULL, res,
	    err) == -1)
		return -1;
	if (res != NULL)
		res->undone = name;
	return 0;
}

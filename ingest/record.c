/*
 * Storing what the engine decided; see record.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/buf.h"
#include "common/qty.h"
#include "common/xmalloc.h"
#include "engine/engine.h"
#include "common/log.h"
#include "ingest/record.h"
#include "ingest/thread.h"
#include "reply/reply.h"
#include "store/order.h"
#include "store/outbox.h"
#include "store/store.h"
#include "store/thread.h"

#define RECORD_EXCERPT_MAX	300	/* bytes of an answer on its flag */

static void
record_today(char *buf, size_t n, time_t t)
{
	struct tm tm;

	if (t == 0)
		t = time(NULL);
	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%d", &tm);
}

/* Translate the engine's result into the store's order description.  The
 * arrays are allocated here and freed by record_order_release; strings
 * are borrowed from res. */
static void
record_order_from_result(const struct engine_result *res, int64_t msg_id,
    const char *date, struct store_order *o)
{
	struct store_order_line *lines;
	struct store_order_flag *flags;
	struct store_order_candidate *cands;
	size_t i, j;

	memset(o, 0, sizeof(*o));
	o->message_id = msg_id;
	o->customer_id = res->customer_id;
	o->status = engine_status_name(res->status);
	o->order_date = date;
	o->po_number = res->po_number;
	o->requested_date = res->requested_date;
	o->complaint = res->complaint;
	lines = xcalloc(res->nlines + 1, sizeof(*lines));
	for (i = 0; i < res->nlines; i++) {
		lines[i].sku = res->lines[i].sku;
		lines[i].quantity = res->lines[i].quantity;
		lines[i].unit = res->lines[i].unit;
		lines[i].text = res->lines[i].text;
		lines[i].rule = res->lines[i].rule;
	}
	flags = xcalloc(res->nflags + 1, sizeof(*flags));
	for (i = 0; i < res->nflags; i++) {
		const struct engine_flag *f = &res->flags[i];

		cands = xcalloc(f->ncands + 1, sizeof(*cands));
		for (j = 0; j < f->ncands; j++) {
			cands[j].sku = f->cands[j].sku;
			cands[j].score = f->cands[j].score;
		}
		flags[i].code = f->code;
		flags[i].text = f->text;
		flags[i].line = f->line;
		flags[i].cands = cands;
		flags[i].ncands = f->ncands;
	}
	o->lines = lines;
	o->nlines = res->nlines;
	o->flags = flags;
	o->nflags = res->nflags;
}

static void
record_order_release(struct store_order *o)
{
	size_t i;

	for (i = 0; i < o->nflags; i++)
		free((void *)o->flags[i].cands);
	free((void *)o->flags);
	free((void *)o->lines);
}

static void
record_outcome(struct ingest_outcome *out, int64_t id, const char *ref,
    enum engine_status status, int already)
{
	out->answered = 0;
	out->order_id = id;
	snprintf(out->ref, sizeof(out->ref), "%s", ref ? ref : "");
	out->status = status;
	out->already = already;
}

static int
record_headers(struct store *st, int64_t msg_id,
    const struct engine_result *res, struct err *err)
{
	struct store_message m;

	memset(&m, 0, sizeof(m));
	m.message_id = res->msg.message_id;
	m.from_addr = res->msg.from_addr;
	m.reply_to = res->msg.reply_to;
	m.subject = res->msg.subject;
	m.date = res->msg.date;
	m.refs = res->msg.references;
	return store_message_headers(st, msg_id, &m, err);
}

static int
record_has_flag(const struct engine_result *res, const char *code)
{
	size_t i;

	for (i = 0; i < res->nflags; i++)
		if (strcmp(res->flags[i].code, code) == 0)
			return 1;
	return 0;
}

/* Which automatic reply res calls for: 1 and *kind_r, or 0 for none.
 * Mail with no order in it, or a complaint a person must read, gets the
 * receipt or nothing, never words about an order; a stranger gets
 * nothing unless the shop wants it. */
static int
record_reply_kind(const struct engine_result *res,
    const struct ingest_replies *r, enum reply_kind *kind_r)
{
	if (r == NULL || r->conf == NULL || res->status == ENGINE_IGNORED)
		return 0;
	if (res->customer_id == NULL && !r->acknowledge_unknown)
		return 0;
	if (record_has_flag(res, "no_items") ||
	    (res->complaint && res->status == ENGINE_FLAGGED)) {
		*kind_r = REPLY_RECEIPT;
		return r->receipt;
	}
	if (res->status == ENGINE_ACCEPTED) {
		*kind_r = REPLY_CONFIRMATION;
		return r->confirm_accepted;
	}
	*kind_r = REPLY_ACKNOWLEDGEMENT;
	return r->acknowledge_flagged;
}

/* Queue the reply the order calls for, inside the order's transaction.
 * Only a store failure is an error: a reply that cannot be composed is
 * flagged on the order, which is still stored. */
static int
record_reply(struct store *st, int64_t order_id,
    const struct engine_result *res, const struct ingest_replies *r,
    struct err *err)
{
	enum reply_kind kind;
	struct err rerr;
	int64_t oid;

	if (r != NULL && r->conf != NULL && res->no_reply != NULL) {
		log_info("order %lld: no automatic reply: %s",
		    (long long)order_id, res->no_reply);
		return 0;
	}
	if (record_reply_kind(res, r, &kind) == 0)
		return 0;
	err_clear(&rerr);
	if (reply_queue(st, r->conf, order_id, kind, NULL, &oid, &rerr) != -1)
		return 0;
	if (rerr.cls == ERR_TEMP || rerr.cls == ERR_FATAL) {
		*err = rerr;
		return -1;
	}
	log_err("order %lld: no %s: %s", (long long)order_id,
	    reply_kind_name(kind), rerr.msg);
	return store_outbox_flag_order(st, order_id, STORE_OUTBOX_FLAG,
	    rerr.msg, err);
}

static void
record_origin(const struct engine_result *res, struct store_outbox_origin *o)
{
	o->from_name = res->msg.from_name;
	o->in_reply_to = res->msg.in_reply_to;
	o->auto_submitted = res->msg.auto_submitted;
	o->date_ts = (int64_t)res->msg.date_ts;
}

/* What the operator reads on the answered order's flag: the answer's
 * words (quotes and signature already gone), on one line and cut on a
 * character boundary, and the lines it offers. */
static void
record_answer_text(const struct engine_result *res, struct buf *b)
{
	const char *t = res->msg.clean.text ? res->msg.clean.text : "";
	size_t i, n = 0;
	char q[QTY_FMT_MAX];
	int space = 0;

	buf_adds(b, "the customer answered: '");
	for (i = 0; t[i] != '\0' && n < RECORD_EXCERPT_MAX; i++) {
		/* control characters never reach the operator's terminal */
		if ((unsigned char)t[i] <= ' ' || t[i] == 0x7f) {
			space = n > 0;
			continue;
		}
		if (space && buf_addc(b, ' ') == 0)
			n++;
		space = 0;
		buf_addc(b, t[i]);
		n++;
	}
	/* do not end inside a UTF-8 sequence */
	while (t[i] != '\0' && ((unsigned char)t[i] & 0xC0) == 0x80)
		buf_addc(b, t[i++]);
	buf_adds(b, t[i] != '\0' ? "...'" : "'");
	for (i = 0; i < res->nlines; i++) {
		const struct engine_line *l = &res->lines[i];

		buf_addf(b, "%s %s %s%s%s", i ? "," : "; offered:",
		    qty_format(l->quantity, q), l->unit ? l->unit : "",
		    l->unit ? " " : "", l->sku ? l->sku : l->text);
	}
}

/* Mail that answers one of ours joins that order's conversation: the
 * message is done, the order is back in the queue with the answer on a
 * flag, and the answer's lines are offered as changes.  No new order,
 * no reply: a person answers. */
static int
record_join(struct store *st, struct engine *eng, int64_t msg_id,
    const struct engine_result *res, int64_t order_id,
    struct ingest_outcome *out, struct err *err)
{
	struct store_outbox_origin origin;
	struct store_thread_answer a;
	struct store_order o;
	char ref[STORE_REF_MAX];
	struct buf json, text;
	int rc = 0;

	record_order_from_result(res, msg_id, NULL, &o);
	buf_init(&json, BUF_NOLIMIT);
	buf_init(&text, BUF_NOLIMIT);
	engine_result_json(eng, res, NULL, &json);
	record_answer_text(res, &text);
	record_origin(res, &origin);
	memset(&a, 0, sizeof(a));
	a.order_id = order_id;
	a.message_id = msg_id;
	a.text = buf_str(&text);
	a.lines = o.lines;
	a.nlines = o.nlines;
	if (record_headers(st, msg_id, res, err) == -1 ||
	    store_outbox_note_origin(st, msg_id, &origin, err) == -1 ||
	    store_message_done(st, msg_id, res->msg.clean.text,
	    buf_str(&json), err) == -1 ||
	    store_thread_join(st, &a, ref, err) == -1)
		rc = -1;
	record_order_release(&o);
	buf_release(&json);
	buf_release(&text);
	if (rc == 0) {
		log_info("order %s: the customer answered (message %lld)", ref,
		    (long long)msg_id);
		record_outcome(out, order_id, ref, ENGINE_FLAGGED, 0);
		out->answered = 1;
	}
	return rc;
}

int
ingest_record_result_reply(struct store *st, struct engine *eng,
    int64_t msg_id, const struct engine_result *res,
    const struct ingest_replies *r, struct ingest_outcome *out,
    struct err *err)
{
	struct store_outbox_origin origin;
	struct store_order o;
	char date[16], ref[STORE_REF_MAX];
	struct buf json;
	int64_t id;
	int found;

	if (store_begin(st, err) == -1)
		return -1;
	if ((found = store_order_of_message(st, msg_id, &id, err)) == -1)
		goto fail;
	if (found) {
		record_outcome(out, id, NULL, res->status, 1);
		return store_commit(st, err);
	}
	if ((found = ingest_thread_find(st, res, &id, err)) == -1)
		goto fail;
	if (found) {
		if (record_join(st, eng, msg_id, res, id, out, err) == -1)
			goto fail;
		return store_commit(st, err);
	}
	record_today(date, sizeof(date), res->msg.date_ts);
	record_order_from_result(res, msg_id, date, &o);
	buf_init(&json, BUF_NOLIMIT);
	engine_result_json(eng, res, NULL, &json);
	record_origin(res, &origin);
	if (record_headers(st, msg_id, res, err) == -1 ||
	    store_outbox_note_origin(st, msg_id, &origin, err) == -1 ||
	    store_order_insert(st, &o, &id, ref, err) == -1 ||
	    store_message_done(st, msg_id, res->msg.clean.text,
	    buf_str(&json), err) == -1 ||
	    record_reply(st, id, res, r, err) == -1) {
		record_order_release(&o);
		buf_release(&json);
		goto fail;
	}
	record_order_release(&o);
	buf_release(&json);
	if (store_commit(st, err) == -1)
		return -1;
	/* The new order is history now. */
	engine_note_order(eng, res, ref, date);
	record_outcome(out, id, ref, res->status, 0);
	return 0;
fail:
	store_rollback(st);
	return -1;
}

int
ingest_record_failure(struct store *st, int64_t msg_id, const char *why,
    struct ingest_outcome *out, struct err *err)
{
	struct store_order_flag flag = { "unreadable", why, -1, NULL, 0 };
	struct store_order o;
	char date[16], ref[STORE_REF_MAX];
	int64_t id;
	int found;

	if (store_begin(st, err) == -1)
		return -1;
	if ((found = store_order_of_message(st, msg_id, &id, err)) == -1)
		goto fail;
	if (found) {
		record_outcome(out, id, NULL, ENGINE_FLAGGED, 1);
		return store_commit(st, err);
	}
	record_today(date, sizeof(date), 0);
	memset(&o, 0, sizeof(o));
	o.message_id = msg_id;
	o.status = "flagged";
	o.order_date = date;
	o.flags = &flag;
	o.nflags = 1;
	if (store_message_fail(st, msg_id, why, err) == -1 ||
	    store_order_insert(st, &o, &id, ref, err) == -1)
		goto fail;
	if (store_commit(st, err) == -1)
		return -1;
	record_outcome(out, id, ref, ENGINE_FLAGGED, 0);
	return 0;
fail:
	store_rollback(st);
	return -1;
}

const char *
ingest_outcome_name(const struct ingest_outcome *out)
{
	return out->answered ? "answered" : engine_status_name(out->status);
}

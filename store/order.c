/*
 * Messages and orders; see order.h.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "common/xmalloc.h"
#include "store/order.h"
#include "store/store_int.h"
#include "store/webhook.h"

static const char SQL_MESSAGE_ARRIVE[] =
	"INSERT INTO messages (dedupe_key, message_id, mailbox, uidvalidity,"
	" uid, from_addr, reply_to, subject, date, refs, attempts)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 1)"
	" ON CONFLICT (dedupe_key) DO UPDATE SET attempts = attempts + 1,"
	"  mailbox = coalesce(excluded.mailbox, mailbox),"
	"  uidvalidity = coalesce(excluded.uidvalidity, uidvalidity),"
	"  uid = coalesce(excluded.uid, uid)"
	" RETURNING id, state, attempts";

/* Only a message's first arrival stores its raw copy. */
static const char SQL_MESSAGE_RAW[] =
	"INSERT INTO message_raw (message_id, raw) VALUES (?1, ?2)"
	" ON CONFLICT (message_id) DO NOTHING";

/* A second copy of a message can arrive under a new UID (UIDVALIDITY
 * reset, or a crash between commit and move).  The old row keeps its
 * place; the unique (mailbox, uidvalidity, uid) index must not stop the
 * new location from being recorded, so a stale row holding that location
 * gives it up first. */
static const char SQL_MESSAGE_FREE_UID[] =
	"UPDATE messages SET uid = NULL WHERE mailbox = ?1 AND"
	" uidvalidity = ?2 AND uid = ?3 AND dedupe_key <> ?4";

/* messages.state as the enum: the one place that reads its words. */
static enum store_message_state
message_state(const char *s)
{
	if (s != NULL && strcmp(s, "done") == 0)
		return STORE_MESSAGE_DONE;
	if (s != NULL && strcmp(s, "failed") == 0)
		return STORE_MESSAGE_FAILED;
	return STORE_MESSAGE_RECEIVED;
}

int
store_message_record(struct store *st, const struct store_message *m,
    int64_t *id_r, enum store_message_state *state_r, int *attempts_r,
    struct err *err)
{
	sqlite3_stmt *s;

	if (m->uid != 0) {
		if ((s = store_stmt(st, SQL_MESSAGE_FREE_UID, err)) == NULL)
			return -1;
		store_bind_text(s, 1, m->mailbox);
		sqlite3_bind_int64(s, 2, m->uidvalidity);
		sqlite3_bind_int64(s, 3, m->uid);
		store_bind_text(s, 4, m->dedupe_key);
		if (store_step_done(st, s, err, "message location") == -1)
			return -1;
	}
	if ((s = store_stmt(st, SQL_MESSAGE_ARRIVE, err)) == NULL)
		return -1;
	store_bind_text(s, 1, m->dedupe_key);
	store_bind_text(s, 2, m->message_id);
	store_bind_text(s, 3, m->mailbox);
	if (m->uid != 0) {
		sqlite3_bind_int64(s, 4, m->uidvalidity);
		sqlite3_bind_int64(s, 5, m->uid);
	}
	store_bind_text(s, 6, m->from_addr);
	store_bind_text(s, 7, m->reply_to);
	store_bind_text(s, 8, m->subject);
	store_bind_text(s, 9, m->date);
	store_bind_text(s, 10, m->refs);
	if (sqlite3_step(s) != SQLITE_ROW) {
		store_fail(st, err, "record message");
		sqlite3_reset(s);
		return -1;
	}
	*id_r = sqlite3_column_int64(s, 0);
	*state_r = message_state((const char *)sqlite3_column_text(s, 1));
	*attempts_r = sqlite3_column_int(s, 2);
	sqlite3_reset(s);
	if (*attempts_r > 1)
		return 0;
	if ((s = store_stmt(st, SQL_MESSAGE_RAW, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, *id_r);
	sqlite3_bind_blob(s, 2, m->raw, (int)m->rawlen, SQLITE_STATIC);
	return store_step_done(st, s, err, "record raw message");
}

int
store_message_arrive(struct store *st, const struct store_message *m,
    int64_t *id_r, enum store_message_state *state_r, int *attempts_r,
    struct err *err)
{
	if (store_begin(st, err) == -1)
		return -1;
	if (store_message_record(st, m, id_r, state_r, attempts_r,
	    err) == -1) {
		store_rollback(st);
		return -1;
	}
	return store_commit(st, err);
}

static const char SQL_MESSAGE_RAW_GET[] =
	"SELECT raw FROM message_raw WHERE message_id = ?1";

int
store_message_raw(struct store *st, int64_t id, char **raw_r, size_t *len_r,
    struct err *err)
{
	sqlite3_stmt *s;
	const void *p;
	size_t len;
	int r;

	if ((s = store_stmt(st, SQL_MESSAGE_RAW_GET, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if ((r = sqlite3_step(s)) != SQLITE_ROW) {
		sqlite3_reset(s);
		if (r == SQLITE_DONE)
			return err_set(err, ERR_MSG, "message %lld has no raw "
			    "copy in the store", (long long)id);
		return store_fail(st, err, "read raw message");
	}
	p = sqlite3_column_blob(s, 0);
	len = (size_t)sqlite3_column_bytes(s, 0);
	*raw_r = xmalloc(len + 1);
	if (len > 0)
		memcpy(*raw_r, p, len);
	(*raw_r)[len] = '\0';
	*len_r = len;
	sqlite3_reset(s);
	return 0;
}

static const char SQL_MESSAGE_FAIL[] =
	"UPDATE messages SET state = 'failed', error = ?2 WHERE id = ?1";

int
store_message_fail(struct store *st, int64_t id, const char *why,
    struct err *err)
{
	sqlite3_stmt *s;

	if ((s = store_stmt(st, SQL_MESSAGE_FAIL, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, why);
	return store_step_done(st, s, err, "mark message failed");
}

static const char SQL_MESSAGE_HEADERS[] =
	"UPDATE messages SET message_id = coalesce(?2, message_id),"
	" from_addr = coalesce(?3, from_addr), reply_to = coalesce(?4, reply_to),"
	" subject = coalesce(?5, subject), date = coalesce(?6, date),"
	" refs = coalesce(?7, refs) WHERE id = ?1";

int
store_message_headers(struct store *st, int64_t id,
    const struct store_message *m, struct err *err)
{
	sqlite3_stmt *s;

	if ((s = store_stmt(st, SQL_MESSAGE_HEADERS, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, m->message_id);
	store_bind_text(s, 3, m->from_addr);
	store_bind_text(s, 4, m->reply_to);
	store_bind_text(s, 5, m->subject);
	store_bind_text(s, 6, m->date);
	store_bind_text(s, 7, m->refs);
	return store_step_done(st, s, err, "record message headers");
}

static const char SQL_MESSAGE_DONE[] =
	"UPDATE messages SET state = 'done', error = NULL, body_text = ?2,"
	" parse_json = ?3 WHERE id = ?1";

int
store_message_done(struct store *st, int64_t id, const char *body_text,
    const char *parse_json, struct err *err)
{
	sqlite3_stmt *s;

	if ((s = store_stmt(st, SQL_MESSAGE_DONE, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, body_text);
	store_bind_text(s, 3, parse_json);
	return store_step_done(st, s, err, "mark message done");
}

static const char SQL_ORDER_INSERT[] =
	"INSERT INTO orders (ref, customer_id, message_id, status, order_date,"
	" po_number, requested_date, complaint)"
	" VALUES ('MO-' || (SELECT coalesce(max(id), 0) + 1 FROM orders),"
	" ?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id, ref";
static const char SQL_LINE_INSERT[] =
	"INSERT INTO order_lines (order_id, line_no, sku, quantity, unit,"
	" text, rule) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_FLAG_INSERT[] =
	"INSERT INTO flags (order_id, code, text, line_no)"
	" VALUES (?1, ?2, ?3, ?4)";
static const char SQL_CAND_INSERT[] =
	"INSERT INTO flag_candidates (flag_id, rank, sku, score)"
	" VALUES (?1, ?2, ?3, ?4)";

static int
store_order_lines(struct store *st, int64_t id, const struct store_order *o,
    struct err *err)
{
	sqlite3_stmt *s;
	size_t i;

	for (i = 0; i < o->nlines; i++) {
		const struct store_order_line *l = &o->lines[i];

		if ((s = store_stmt(st, SQL_LINE_INSERT, err)) == NULL)
			return -1;
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int64(s, 2, (sqlite3_int64)i + 1);
		store_bind_text(s, 3, l->sku);
		store_bind_qty(s, 4, l->quantity);
		store_bind_text(s, 5, l->unit);
		store_bind_text(s, 6, l->text);
		store_bind_text(s, 7, l->rule);
		if (store_step_done(st, s, err, "insert order line") == -1)
			return -1;
	}
	return 0;
}

static int
store_order_flags(struct store *st, int64_t id, const struct store_order *o,
    struct err *err)
{
	sqlite3_stmt *s;
	int64_t flag_id;
	size_t i, j;

	for (i = 0; i < o->nflags; i++) {
		const struct store_order_flag *f = &o->flags[i];

		if ((s = store_stmt(st, SQL_FLAG_INSERT, err)) == NULL)
			return -1;
		sqlite3_bind_int64(s, 1, id);
		store_bind_text(s, 2, f->code);
		store_bind_text(s, 3, f->text);
		if (f->line >= 0)
			sqlite3_bind_int(s, 4, f->line + 1);
		if (store_step_done(st, s, err, "insert flag") == -1)
			return -1;
		flag_id = sqlite3_last_insert_rowid(st->db);
		for (j = 0; j < f->ncands; j++) {
			if ((s = store_stmt(st, SQL_CAND_INSERT, err)) == NULL)
				return -1;
			sqlite3_bind_int64(s, 1, flag_id);
			sqlite3_bind_int64(s, 2, (sqlite3_int64)j + 1);
			store_bind_text(s, 3, f->cands[j].sku);
			sqlite3_bind_double(s, 4, f->cands[j].score);
			if (store_step_done(st, s, err, "insert candidate") == -1)
				return -1;
		}
	}
	return 0;
}

int
store_order_insert(struct store *st, const struct store_order *o,
    int64_t *id_r, char ref_r[STORE_REF_MAX], struct err *err)
{
	sqlite3_stmt *s;

	if ((s = store_stmt(st, SQL_ORDER_INSERT, err)) == NULL)
		return -1;
	store_bind_text(s, 1, o->customer_id);
	if (o->message_id != 0)
		sqlite3_bind_int64(s, 2, o->message_id);
	store_bind_text(s, 3, o->status);
	store_bind_text(s, 4, o->order_date);
	store_bind_text(s, 5, o->po_number);
	store_bind_text(s, 6, o->requested_date);
	sqlite3_bind_int(s, 7, o->complaint != 0);
	if (sqlite3_step(s) != SQLITE_ROW) {
		store_fail(st, err, "insert order");
		sqlite3_reset(s);
		return -1;
	}
	*id_r = sqlite3_column_int64(s, 0);
	snprintf(ref_r, STORE_REF_MAX, "%s",
	    (const char *)sqlite3_column_text(s, 1));
	sqlite3_reset(s);
	if (store_order_lines(st, *id_r, o, err) == -1 ||
	    store_order_flags(st, *id_r, o, err) == -1)
		return -1;
	/* The engine accepted it: that is the event, with the order. */
	if (o->status != NULL && strcmp(o->status, "accepted") == 0 &&
	    store_webhook_queue(st, *id_r, STORE_WEBHOOK_ACCEPTED, err) == -1)
		return -1;
	return 0;
}

/* The order a message made, or the one whose conversation it joined. */
static const char SQL_ORDER_OF_MESSAGE[] =
	"SELECT id FROM orders WHERE message_id = ?1"
	" UNION ALL SELECT order_id FROM messages WHERE id = ?1"
	" AND order_id IS NOT NULL LIMIT 1";

int
store_order_of_message(struct store *st, int64_t message_id, int64_t *id_r,
    struct err *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((s = store_stmt(st, SQL_ORDER_OF_MESSAGE, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, message_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*id_r = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, err, "find order");
	return rc == SQLITE_ROW;
}

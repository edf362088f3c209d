/*
 * The outbox and the reads replies are composed from; see outbox.h.
 *
 * Times are kept as ISO 8601 UTC text like the rest of the schema, so
 * they compare as strings and read well in sqlite3; they are converted
 * from and to time_t only here.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/xmalloc.h"
#include "store/outbox.h"
#include "store/store_int.h"

static void
outbox_iso(time_t t, char buf[32])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static time_t
outbox_time(const unsigned char *iso)
{
	struct tm tm;

	if (iso == NULL)
		return 0;
	memset(&tm, 0, sizeof(tm));
	if (strptime((const char *)iso, "%Y-%m-%dT%H:%M:%SZ", &tm) == NULL)
		return 0;
	return timegm(&tm);
}

static char *
outbox_col(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	return t == NULL ? NULL : xstrdup((const char *)t);
}

static const char SQL_NOTE_ORIGIN[] =
	"UPDATE messages SET from_name = ?2, in_reply_to = ?3,"
	" auto_submitted = ?4, date_ts = ?5 WHERE id = ?1";

int
store_outbox_note_origin(struct store *st, int64_t msg_id,
    const struct store_outbox_origin *o, struct err *err)
{
	sqlite3_stmt *s;

	if ((s = store_stmt(st, SQL_NOTE_ORIGIN, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, msg_id);
	store_bind_text(s, 2, o->from_name);
	store_bind_text(s, 3, o->in_reply_to);
	store_bind_text(s, 4, o->auto_submitted);
	if (o->date_ts != 0)
		sqlite3_bind_int64(s, 5, o->date_ts);
	return store_step_done(st, s, err, "record message origin");
}

static const char SQL_SOURCE[] =
	"SELECT o.ref, o.status, o.order_date, o.po_number, o.requested_date,"
	" o.customer_id, c.name, c.greeting, c.note,"
	" m.message_id, m.from_addr, m.from_name, m.reply_to, m.subject,"
	" m.refs, m.in_reply_to, m.auto_submitted, m.date_ts"
	" FROM orders o LEFT JOIN customers c ON c.id = o.customer_id"
	" LEFT JOIN messages m ON m.id = o.message_id WHERE o.id = ?1";

static const char SQL_SOURCE_LINES[] =
	"SELECT l.line_no, l.sku, p.name, coalesce(l.unit, p.unit),"
	" l.quantity, l.text FROM order_lines l"
	" LEFT JOIN products p ON p.sku = l.sku"
	" WHERE l.order_id = ?1 ORDER BY l.line_no";

int
store_outbox_source(struct store *st, int64_t order_id,
    struct store_reply_source *src, struct err *err)
{
	sqlite3_stmt *s;
	size_t cap = 0;
	int rc;

	memset(src, 0, sizeof(*src));
	if ((s = store_stmt(st, SQL_SOURCE, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, order_id);
	if ((rc = sqlite3_step(s)) == SQLITE_DONE) {
		sqlite3_reset(s);
		return 0;
	}
	if (rc != SQLITE_ROW) {
		store_fail(st, err, "read order");
		sqlite3_reset(s);
		return -1;
	}
	src->order_id = order_id;
	src->ref = outbox_col(s, 0);
	src->status = outbox_col(s, 1);
	src->order_date = outbox_col(s, 2);
	src->po_number = outbox_col(s, 3);
	src->requested_date = outbox_col(s, 4);
	src->customer_id = outbox_col(s, 5);
	src->customer_name = outbox_col(s, 6);
	src->greeting = outbox_col(s, 7);
	src->note = outbox_col(s, 8);
	src->message_id = outbox_col(s, 9);
	src->from_addr = outbox_col(s, 10);
	src->from_name = outbox_col(s, 11);
	src->reply_to = outbox_col(s, 12);
	src->subject = outbox_col(s, 13);
	src->refs = outbox_col(s, 14);
	src->in_reply_to = outbox_col(s, 15);
	src->auto_submitted = outbox_col(s, 16);
	src->date_ts = sqlite3_column_int64(s, 17);
	sqlite3_reset(s);

	if ((s = store_stmt(st, SQL_SOURCE_LINES, err)) == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, order_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_reply_line *l;

		if (src->nlines == cap) {
			cap = cap ? cap * 2 : 8;
			src->lines = xreallocarray(src->lines, cap,
			    sizeof(*src->lines));
		}
		l = &src->lines[src->nlines++];
		l->line_no = sqlite3_column_int(s, 0);
		l->sku = outbox_col(s, 1);
		l->product = outbox_col(s, 2);
		l->unit = outbox_col(s, 3);
		l->quantity = sqlite3_column_double(s, 4);
		l->text = outbox_col(s, 5);
	}
	if (rc != SQLITE_DONE) {
		store_fail(st, err, "read order lines");
		sqlite3_reset(s);
		goto fail;
	}
	sqlite3_reset(s);
	return 1;
fail:
	store_outbox_source_release(src);
	return -1;
}

void
store_outbox_source_release(struct store_reply_source *src)
{
	size_t i;

	for (i = 0; i < src->nlines; i++) {
		free(src->lines[i].sku);
		free(src->lines[i].product);
		free(src->lines[i].unit);
		free(src->lines[i].text);
	}
	free(src->lines);
	free(src->ref);
	free(src->status);
	free(src->order_date);
	free(src->po_number);
	free(src->requested_date);
	free(src->customer_id);
	free(src->customer_name);
	free(src->greeting);
	free(src->note);
	free(src->message_id);
	free(src->from_addr);
	free(src->from_name);
	free(src->reply_to);
	free(src->subject);
	free(src->refs);
	free(src->in_reply_to);
	free(src->auto_submitted);
	memset(src, 0, sizeof(*src));
}

static const char SQL_INSERT[] =
	"INSERT INTO outbox (order_id, kind, message_id, rcpt, body,"
	" next_attempt_at, created_at, manual) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
	" ?6, ?7) ON CONFLICT (message_id) DO NOTHING RETURNING id";

int
store_outbox_insert(struct store *st, int64_t order_id, const char *kind,
    const char *message_id, const char *rcpt, const char *msg, size_t len,
    time_t now, int manual, int64_t *id_r, struct err *err)
{
	sqlite3_stmt *s;
	char iso[32];
	int rc;

	outbox_iso(now, iso);
	if ((s = store_stmt(st, SQL_INSERT, err)) == NULL)
		return -1;
	if (order_id != 0)
		sqlite3_bind_int64(s, 1, order_id);
	store_bind_text(s, 2, kind);
	store_bind_text(s, 3, message_id);
	store_bind_text(s, 4, rcpt);
	sqlite3_bind_blob(s, 5, msg, (int)len, SQLITE_STATIC);
	store_bind_text(s, 6, iso);
	sqlite3_bind_int(s, 7, manual != 0);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*id_r = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
		return 0;
	}
	if (rc == SQLITE_DONE) {
		sqlite3_reset(s);
		return err_set(err, ERR_INPUT, "reply '%s' is queued already",
		    message_id);
	}
	store_fail(st, err, "queue reply");
	sqlite3_reset(s);
	return -1;
}

static const char SQL_COUNT_SINCE[] =
	"SELECT count(*) FROM outbox WHERE rcpt = ?1 AND created_at >= ?2";

int
store_outbox_count_since(struct store *st, const char *rcpt, time_t since,
    long *n_r, struct err *err)
{
	sqlite3_stmt *s;
	char iso[32];

	outbox_iso(since, iso);
	if ((s = store_stmt(st, SQL_COUNT_SINCE, err)) == NULL)
		return -1;
	store_bind_text(s, 1, rcpt);
	store_bind_text(s, 2, iso);
	if (sqlite3_step(s) != SQLITE_ROW) {
		store_fail(st, err, "count replies");
		sqlite3_reset(s);
		return -1;
	}
	*n_r = (long)sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return 0;
}

/* The mailbox the order's mail came from, for the Sent copy. */
#define SQL_OUTBOX_COLS \
	"SELECT id, order_id, kind, message_id, rcpt, body, attempts," \
	" created_at, (SELECT m.mailbox FROM orders o JOIN messages m" \
	" ON m.id = o.message_id WHERE o.id = outbox.order_id) FROM outbox"

/* ?3: a reply a person triggered leaves only when it was queued
 * before then (the undo window is over). */
static const char SQL_DUE[] =
	SQL_OUTBOX_COLS " WHERE state = 'queued' AND"
	" next_attempt_at <= ?1 AND (manual = 0 OR created_at <= ?3)"
	" ORDER BY next_attempt_at, id LIMIT ?2";

static const char SQL_UNCOPIED[] =
	SQL_OUTBOX_COLS " WHERE state = 'sent' AND copied = 0"
	" ORDER BY id LIMIT ?2";

static int
outbox_items(struct store *st, const char *sql, time_t now, long hold,
    size_t max, struct store_outbox_item **items_r, struct err *err)
{
	struct store_outbox_item *items, *it;
	sqlite3_stmt *s;
	char iso[32], held[32];
	size_t n = 0;
	int rc, blen;

	*items_r = NULL;
	if (max == 0)
		return 0;
	outbox_iso(now, iso);
	outbox_iso(now - (time_t)hold, held);
	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	if (sqlite3_bind_parameter_count(s) >= 1 &&
	    sqlite3_bind_parameter_index(s, "?1") != 0)
		store_bind_text(s, 1, iso);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)max);
	if (sqlite3_bind_parameter_index(s, "?3") != 0)
		store_bind_text(s, 3, held);
	items = xcalloc(max, sizeof(*items));
	while (n < max && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		it = &items[n++];
		it->id = sqlite3_column_int64(s, 0);
		it->order_id = sqlite3_column_int64(s, 1);
		snprintf(it->kind, sizeof(it->kind), "%s",
		    (const char *)sqlite3_column_text(s, 2));
		it->message_id = outbox_col(s, 3);
		it->rcpt = outbox_col(s, 4);
		blen = sqlite3_column_bytes(s, 5);
		it->msg = xmalloc((size_t)blen + 1);
		if (blen > 0)
			memcpy(it->msg, sqlite3_column_blob(s, 5), (size_t)blen);
		it->msg[blen] = '\0';
		it->len = (size_t)blen;
		it->attempts = sqlite3_column_int(s, 6);
		it->created = outbox_time(sqlite3_column_text(s, 7));
		it->mailbox = outbox_col(s, 8);
	}
	if (n < max && rc != SQLITE_DONE) {
		store_fail(st, err, "read outbox");
		sqlite3_reset(s);
		store_outbox_items_free(items, n);
		return -1;
	}
	sqlite3_reset(s);
	if (n == 0) {
		free(items);
		items = NULL;
	}
	*items_r = items;
	return (int)n;
}

int
store_outbox_due(struct store *st, time_t now, long hold, size_t max,
    struct store_outbox_item **items_r, struct err *err)
{
	return outbox_items(st, SQL_DUE, now, hold, max, items_r, err);
}

int
store_outbox_uncopied(struct store *st, size_t max,
    struct store_outbox_item **items_r, struct err *err)
{
	return outbox_items(st, SQL_UNCOPIED, 0, 0, max, items_r, err);
}

void
store_outbox_items_free(struct store_outbox_item *items, size_t n)
{
	size_t i;

	if (items == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(items[i].message_id);
		free(items[i].rcpt);
		free(items[i].msg);
		free(items[i].mailbox);
	}
	free(items);
}

/* ?1: "+N seconds", the undo window of a reply a person triggered. */
static const char SQL_NEXT_DUE[] =
	"SELECT min(CASE WHEN manual THEN max(next_attempt_at,"
	" strftime('%Y-%m-%dT%H:%M:%SZ', created_at, ?1))"
	" ELSE next_attempt_at END) FROM outbox WHERE state = 'queued'";

int
store_outbox_next_due(struct store *st, long hold, time_t *when_r,
    struct err *err)
{
	sqlite3_stmt *s;
	char mod[32];
	int found = 0;

	if ((s = store_stmt(st, SQL_NEXT_DUE, err)) == NULL)
		return -1;
	snprintf(mod, sizeof(mod), "+%ld seconds", hold > 0 ? hold : 0);
	store_bind_text(s, 1, mod);
	if (sqlite3_step(s) != SQLITE_ROW) {
		store_fail(st, err, "read outbox");
		sqlite3_reset(s);
		return -1;
	}
	if (sqlite3_column_type(s, 0) != SQLITE_NULL) {
		*when_r = outbox_time(sqlite3_column_text(s, 0));
		found = 1;
	}
	sqlite3_reset(s);
	return found;
}

static const char SQL_SENT[] =
	"UPDATE outbox SET state = 'sent', sent_at = ?2, last_error = NULL"
	" WHERE id = ?1";

int
store_outbox_sent(struct store *st, int64_t id, time_t now, struct err *err)
{
	sqlite3_stmt *s;
	char iso[32];

	outbox_iso(now, iso);
	if ((s = store_stmt(st, SQL_SENT, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, iso);
	return store_step_done(st, s, err, "mark reply sent");
}

static const char SQL_COPIED[] =
	"UPDATE outbox SET copied = 1 WHERE id = ?1";

int
store_outbox_copied(struct store *st, int64_t id, struct err *err)
{
	sqlite3_stmt *s;

	if ((s = store_stmt(st, SQL_COPIED, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	return store_step_done(st, s, err, "mark reply copied");
}

long
store_outbox_backoff(int attempts, long initial, long max)
{
	long wait = initial;
	int i;

	if (initial < 1)
		wait = initial = 1;
	for (i = 1; i < attempts && wait < max; i++)
		wait *= 2;
	return wait > max ? max : wait;
}

static const char SQL_FLAG[] =
	"INSERT INTO flags (order_id, code, text) VALUES (?1, ?2, ?3)";
static const char SQL_FLAG_BUMP[] =
	"UPDATE orders SET version = version + 1,"
	" updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?1";

static int
outbox_flag(struct store *st, int64_t order_id, const char *code,
    const char *text, struct err *err)
{
	sqlite3_stmt *s;

	if (order_id == 0)
		return 0;
	if ((s = store_stmt(st, SQL_FLAG, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, order_id);
	store_bind_text(s, 2, code);
	store_bind_text(s, 3, text);
	if (store_step_done(st, s, err, "flag order") == -1)
		return -1;
	if ((s = store_stmt(st, SQL_FLAG_BUMP, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, order_id);
	return store_step_done(st, s, err, "flag order");
}

int
store_outbox_flag_order(struct store *st, int64_t order_id, const char *code,
    const char *text, struct err *err)
{
	int own = !st->in_tx;

	if (own && store_begin(st, err) == -1)
		return -1;
	if (outbox_flag(st, order_id, code, text, err) == -1) {
		if (own)
			store_rollback(st);
		return -1;
	}
	return own ? store_commit(st, err) : 0;
}

static const char SQL_ROW[] =
	"SELECT order_id, attempts, created_at, state FROM outbox WHERE id = ?1";
static const char SQL_RETRY[] =
	"UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?2,"
	" last_error = ?3 WHERE id = ?1";
static const char SQL_FAIL[] =
	"UPDATE outbox SET state = 'failed', attempts = attempts + 1,"
	" last_error = ?2 WHERE id = ?1";

/* Read the row's order, attempts and creation time. */
static int
outbox_row(struct store *st, int64_t id, int64_t *order_r, int *attempts_r,
    time_t *created_r, struct err *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((s = store_stmt(st, SQL_ROW, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW) {
		if (rc == SQLITE_DONE)
			err_set(err, ERR_FATAL, "no reply %lld in the outbox",
			    (long long)id);
		else
			store_fail(st, err, "read outbox");
		sqlite3_reset(s);
		return -1;
	}
	*order_r = sqlite3_column_int64(s, 0);
	*attempts_r = sqlite3_column_int(s, 1);
	*created_r = outbox_time(sqlite3_column_text(s, 2));
	sqlite3_reset(s);
	return 0;
}

/* Mark the row failed and flag its order, in the current transaction. */
static int
outbox_fail_tx(struct store *st, int64_t id, int64_t order_id,
    const char *why, const char *flag_text, struct err *err)
{
	sqlite3_stmt *s;

	if ((s = store_stmt(st, SQL_FAIL, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, why);
	if (store_step_done(st, s, err, "mark reply failed") == -1)
		return -1;
	return outbox_flag(st, order_id, STORE_OUTBOX_FLAG, flag_text, err);
}

int
store_outbox_retry(struct store *st, int64_t id,
    const struct store_outbox_retry *r, const char *why, time_t now,
    struct err *err)
{
	sqlite3_stmt *s;
	int64_t order_id;
	time_t created;
	char iso[32], text[600];
	int attempts, gave_up = 0;

	if (store_begin(st, err) == -1)
		return -1;
	if (outbox_row(st, id, &order_id, &attempts, &created, err) == -1)
		goto fail;
	if (now - created >= r->give_up) {
		snprintf(text, sizeof(text), "the reply could not be sent "
		    "for %ld hours and was given up: %s",
		    (long)((now - created) / 3600), why);
		if (outbox_fail_tx(st, id, order_id, why, text, err) == -1)
			goto fail;
		gave_up = 1;
	} else {
		outbox_iso(now + store_outbox_backoff(attempts + 1,
		    r->initial, r->max), iso);
		if ((s = store_stmt(st, SQL_RETRY, err)) == NULL)
			goto fail;
		sqlite3_bind_int64(s, 1, id);
		store_bind_text(s, 2, iso);
		store_bind_text(s, 3, why);
		if (store_step_done(st, s, err, "schedule reply") == -1)
			goto fail;
	}
	if (store_commit(st, err) == -1)
		return -1;
	return gave_up;
fail:
	store_rollback(st);
	return -1;
}

int
store_outbox_fail(struct store *st, int64_t id, const char *why,
    struct err *err)
{
	int64_t order_id;
	time_t created;
	char text[600];
	int attempts;

	if (store_begin(st, err) == -1)
		return -1;
	if (outbox_row(st, id, &order_id, &attempts, &created, err) == -1)
		goto fail;
	snprintf(text, sizeof(text), "the mail server refused the reply: %s",
	    why);
	if (outbox_fail_tx(st, id, order_id, why, text, err) == -1)
		goto fail;
	return store_commit(st, err);
fail:
	store_rollback(st);
	return -1;
}

static const char SQL_STATUS[] =
	"SELECT state, attempts, next_attempt_at, last_error FROM outbox"
	" WHERE id = ?1";

int
store_outbox_status(struct store *st, int64_t id,
    struct store_outbox_status *os, struct err *err)
{
	sqlite3_stmt *s;
	const unsigned char *t;
	int rc;

	memset(os, 0, sizeof(*os));
	if ((s = store_stmt(st, SQL_STATUS, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW) {
		sqlite3_reset(s);
		if (rc == SQLITE_DONE)
			return 0;
		return store_fail(st, err, "read outbox");
	}
	snprintf(os->state, sizeof(os->state), "%s",
	    (const char *)sqlite3_column_text(s, 0));
	os->attempts = sqlite3_column_int(s, 1);
	os->next_attempt = outbox_time(sqlite3_column_text(s, 2));
	if ((t = sqlite3_column_text(s, 3)) != NULL)
		snprintf(os->last_error, sizeof(os->last_error), "%s",
		    (const char *)t);
	sqlite3_reset(s);
	return 1;
}

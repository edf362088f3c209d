/*
 * The conversation of an order; see thread.h.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "store/store_int.h"
#include "store/thread.h"

/* Only an order a person can still act on is reopened by an answer: one
 * to a shipped order ("the box arrived damaged") stays an order of its
 * own, flagged for a person as any other mail. */
#define THREAD_OPEN	"o.status IN ('accepted', 'flagged', 'rejected')"

static const char SQL_OF_REPLY[] =
	"SELECT b.order_id FROM outbox b JOIN orders o ON o.id = b.order_id"
	" WHERE b.message_id = ?1 AND " THREAD_OPEN;

/* Our tag alone is easy to write by hand, so it only counts from the
 * customer the order belongs to. */
static const char SQL_OF_REF[] =
	"SELECT o.id FROM orders o LEFT JOIN messages m ON m.id = o.message_id"
	" WHERE o.ref = ?1 COLLATE NOCASE AND o.message_id IS NOT NULL"
	" AND " THREAD_OPEN
	" AND ((?2 IS NOT NULL AND o.customer_id = ?2)"
	"  OR (?2 IS NULL AND o.customer_id IS NULL"
	"   AND m.from_addr = ?3 COLLATE NOCASE))";

static const char *
col(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

static int
thread_one_id(struct store *st, sqlite3_stmt *s, int64_t *id_r,
    struct err *err)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW)
		*id_r = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, err, "find the order answered");
	return rc == SQLITE_ROW;
}

int
store_thread_order_of_reply(struct store *st, const char *msgid,
    int64_t *order_id_r, struct err *err)
{
	sqlite3_stmt *s;

	if ((s = store_stmt(st, SQL_OF_REPLY, err)) == NULL)
		return -1;
	store_bind_text(s, 1, msgid);
	return thread_one_id(st, s, order_id_r, err);
}

int
store_thread_order_of_ref(struct store *st, const char *ref,
    const char *customer_id, const char *from_addr, int64_t *order_id_r,
    struct err *err)
{
	sqlite3_stmt *s;

	if (customer_id == NULL && from_addr == NULL)
		return 0;
	if ((s = store_stmt(st, SQL_OF_REF, err)) == NULL)
		return -1;
	store_bind_text(s, 1, ref);
	store_bind_text(s, 2, customer_id);
	store_bind_text(s, 3, from_addr);
	return thread_one_id(st, s, order_id_r, err);
}

static const char SQL_JOIN_MESSAGE[] =
	"UPDATE messages SET order_id = ?2 WHERE id = ?1";
static const char SQL_OFFER[] =
	"INSERT INTO offered_lines (message_id, line_no, sku, quantity, unit,"
	" text) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_FLAG[] =
	"INSERT INTO flags (order_id, code, text) VALUES (?1, '"
	STORE_THREAD_FLAG "', ?2) RETURNING id";
/* The offered SKUs are the flag's candidates, so the queue's number
 * keys can take them. */
static const char SQL_CANDS[] =
	"INSERT INTO flag_candidates (flag_id, rank, sku, score)"
	" SELECT ?1, row_number() OVER (ORDER BY min(line_no)), sku, 1.0"
	" FROM offered_lines WHERE message_id = ?2 AND sku IS NOT NULL"
	" GROUP BY sku";
static const char SQL_REOPEN[] =
	"UPDATE orders SET status = 'flagged', version = version + 1,"
	" updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
	" WHERE id = ?1 RETURNING ref";

static int
thread_offer(struct store *st, const struct store_thread_answer *a,
    struct err *err)
{
	sqlite3_stmt *s;
	size_t i;

	for (i = 0; i < a->nlines; i++) {
		const struct store_order_line *l = &a->lines[i];

		if ((s = store_stmt(st, SQL_OFFER, err)) == NULL)
			return -1;
		sqlite3_bind_int64(s, 1, a->message_id);
		sqlite3_bind_int64(s, 2, (sqlite3_int64)i + 1);
		store_bind_text(s, 3, l->sku);
		store_bind_qty(s, 4, l->quantity);
		store_bind_text(s, 5, l->unit);
		store_bind_text(s, 6, l->text);
		if (store_step_done(st, s, err, "offer order line") == -1)
			return -1;
	}
	return 0;
}

static int
thread_flag(struct store *st, const struct store_thread_answer *a,
    struct err *err)
{
	sqlite3_stmt *s;
	int64_t flag_id;
	int rc;

	if ((s = store_stmt(st, SQL_FLAG, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, a->order_id);
	store_bind_text(s, 2, a->text);
	if ((rc = thread_one_id(st, s, &flag_id, err)) != 1)
		return rc == 0 ? store_fail(st, err, "flag the answer") : -1;
	if ((s = store_stmt(st, SQL_CANDS, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, flag_id);
	sqlite3_bind_int64(s, 2, a->message_id);
	return store_step_done(st, s, err, "offer the answer's products");
}

int
store_thread_join(struct store *st, const struct store_thread_answer *a,
    char ref_r[STORE_REF_MAX], struct err *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((s = store_stmt(st, SQL_JOIN_MESSAGE, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, a->message_id);
	sqlite3_bind_int64(s, 2, a->order_id);
	if (store_step_done(st, s, err, "join the answer") == -1 ||
	    thread_offer(st, a, err) == -1 || thread_flag(st, a, err) == -1)
		return -1;
	if ((s = store_stmt(st, SQL_REOPEN, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, a->order_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		snprintf(ref_r, STORE_REF_MAX, "%s", col(s, 0) ? col(s, 0) : "");
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? err_set(err, ERR_MSG, "no order %lld",
		    (long long)a->order_id) : store_fail(st, err,
		    "reopen the order");
	return 0;
}

/* Times have whole seconds: within one, the order's own mail comes
 * first, then our replies, then the answers to them (column 11). */
static const char SQL_THREAD[] =
	"SELECT 0, m.received_at, m.from_addr, m.subject, NULL, m.message_id,"
	" m.body_text, m.id = o.message_id, 0, NULL, 0"
	" FROM orders o JOIN messages m ON m.id = o.message_id"
	" WHERE o.id = ?1"
	" UNION ALL SELECT 0, m.received_at, m.from_addr, m.subject, NULL,"
	" m.message_id, m.body_text, 0, 0, NULL, 2 FROM messages m"
	" WHERE m.order_id = ?1"
	" UNION ALL SELECT 1, coalesce(b.sent_at, b.created_at), b.rcpt,"
	" b.kind, b.state, b.message_id, NULL, 0, b.manual, b.created_at, 1"
	" FROM outbox b WHERE b.order_id = ?1"
	" ORDER BY 2, 11";

int
store_thread_foreach(struct store *st, int64_t order_id, store_thread_cb cb,
    void *arg, struct err *err)
{
	struct store_thread_item it;
	sqlite3_stmt *s;
	int rc, stop = 0;

	if ((s = store_stmt(st, SQL_THREAD, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, order_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		it.out = sqlite3_column_int(s, 0);
		it.at = col(s, 1);
		it.who = col(s, 2);
		it.what = col(s, 3);
		it.state = col(s, 4);
		it.message_id = col(s, 5);
		it.text = col(s, 6);
		it.first = sqlite3_column_int(s, 7);
		it.manual = sqlite3_column_int(s, 8);
		it.queued_at = col(s, 9);
		if ((stop = cb(arg, &it)) != 0)
			break;
	}
	sqlite3_reset(s);
	if (stop == 0 && rc != SQLITE_DONE)
		return store_fail(st, err, "read the conversation");
	return stop;
}

static const char SQL_OFFERED[] =
	"SELECT m.message_id, m.received_at, l.line_no, l.sku, p.name,"
	" l.quantity, l.unit, l.text FROM messages m"
	" JOIN offered_lines l ON l.message_id = m.id"
	" LEFT JOIN products p ON p.sku = l.sku"
	" WHERE m.order_id = ?1 ORDER BY m.received_at, m.id, l.line_no";

int
store_thread_offered(struct store *st, int64_t order_id, store_offered_cb cb,
    void *arg, struct err *err)
{
	sqlite3_stmt *s;
	int rc, stop = 0;

	if ((s = store_stmt(st, SQL_OFFERED, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, order_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if ((stop = cb(arg, col(s, 0), col(s, 1),
		    sqlite3_column_int(s, 2), col(s, 3), col(s, 4),
		    sqlite3_column_double(s, 5), col(s, 6), col(s, 7))) != 0)
			break;
	sqlite3_reset(s);
	if (stop == 0 && rc != SQLITE_DONE)
		return store_fail(st, err, "read the offered lines");
	return stop;
}

time_t
store_thread_leaves_at(const struct store_thread_item *it, long undo_seconds)
{
	struct tm tm;

	if (!it->out || !it->manual || it->queued_at == NULL ||
	    it->state == NULL || strcmp(it->state, "queued") != 0)
		return 0;
	memset(&tm, 0, sizeof(tm));
	if (strptime(it->queued_at, "%Y-%m-%dT%H:%M:%SZ", &tm) == NULL)
		return 0;
	return timegm(&tm) + undo_seconds;
}

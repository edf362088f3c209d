/*
 * Health counts; see store/health.h.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "store/health.h"
#include "store/outbox.h"
#include "store/store_int.h"

/* "YYYY-MM-DDTHH:MM:SSZ" columns as Unix time, in SQL. */
#define EPOCH(col)	"CAST(strftime('%s', " col ") AS INTEGER)"

static int
health_group(struct store *st, const char *sql, struct store_counts *out,
    struct err *err)
{
	sqlite3_stmt *stmt;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((stmt = store_stmt(st, sql, err)) == NULL)
		return -1;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(stmt, 0);

		if (out->n >= STORE_HEALTH_MAX)
			continue;
		snprintf(out->c[out->n].name, sizeof(out->c[out->n].name),
		    "%s", name ? name : "");
		out->c[out->n++].n = sqlite3_column_int64(stmt, 1);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE)
		return store_fail(st, err, "count for status");
	return 0;
}

int64_t
store_counts_get(const struct store_counts *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->c[i].name, name) == 0)
			return c->c[i].n;
	return 0;
}

/* Add "sent" to c, the rows of its table (sql_max: its highest id) that
 * are in none of the states counted.  Sent rows only ever grow: counting
 * them walks the whole index (130 ms at a million replies).  Rows are
 * never deleted, so the highest id is how many were ever queued. */
static int
health_sent(struct store *st, const char *sql_max, struct store_counts *c,
    struct err *err)
{
	int64_t total;
	size_t i;

	if (store_query_ints(st, sql_max, &total, 1, "count sent", err) == -1)
		return -1;
	for (i = 0; i < c->n; i++)
		total -= c->c[i].n;
	if (c->n < STORE_HEALTH_MAX) {
		snprintf(c->c[c->n].name, sizeof(c->c[0].name), "sent");
		c->c[c->n++].n = total > 0 ? total : 0;
	}
	return 0;
}

static int
health_counts(struct store *st, struct store_health *h, struct err *err)
{
	static const char sql_flagged[] =
	    "SELECT count(*) FROM orders WHERE status = 'flagged'";

	/* Every query walks an index range: the waiting orders (few), their
	 * flags, the outbox by state; never the whole of messages. */
	if (health_group(st, "SELECT f.code, count(*) FROM orders o"
	    " JOIN flags f ON f.order_id = o.id"
	    " WHERE o.status = 'flagged' AND f.resolved = 0"
	    " GROUP BY f.code ORDER BY f.code", &h->flags, err) == -1 ||
	    health_group(st, "SELECT state, count(*) FROM outbox"
	    " WHERE state IN ('cancelled', 'failed', 'queued')"
	    " GROUP BY state ORDER BY state", &h->outbox, err) == -1)
		return -1;
	if (health_sent(st, "SELECT coalesce(max(id), 0) FROM outbox",
	    &h->outbox, err) == -1)
		return -1;
	if (store_query_ints(st, sql_flagged, &h->flagged, 1, "count flagged",
	    err) == -1)
		return -1;
	h->held = store_counts_get(&h->flags, STORE_OUTBOX_HELD);
	return 0;
}

static int
health_times(struct store *st, struct store_health *h, struct err *err)
{
	static const char sql_flagged[] =
	    "SELECT " EPOCH("min(created_at)") " FROM orders"
	    " WHERE status = 'flagged'";
	static const char sql_queued[] =
	    "SELECT " EPOCH("min(created_at)") " FROM outbox"
	    " WHERE state = 'queued'";
	static const char sql_failed[] =
	    "SELECT " EPOCH("min(created_at)") " FROM outbox"
	    " WHERE state = 'failed'";
	static const char sql_size[] =
	    "SELECT page_count * page_size FROM pragma_page_count(),"
	    " pragma_page_size()";
	int64_t v;

	if (store_query_ints(st, sql_flagged, &v, 1, "oldest flagged",
	    err) == -1)
		return -1;
	h->oldest_flagged = (time_t)v;
	if (store_query_ints(st, sql_queued, &v, 1, "oldest reply", err) == -1)
		return -1;
	h->oldest_queued = (time_t)v;
	if (store_query_ints(st, sql_failed, &v, 1, "oldest failed reply",
	    err) == -1)
		return -1;
	h->oldest_failed = (time_t)v;
	return store_query_ints(st, sql_size, &h->size_bytes, 1,
	    "database size", err);
}

/* The webhook events not sent, and the latest failure: each a range of
 * webhook_events_due (state, next_attempt_at), where a failed event's
 * next_attempt_at is when it failed (store_webhook_failed()). */
static int
health_webhooks(struct store *st, struct store_health *h, struct err *err)
{
	static const char sql_oldest[] =
	    "SELECT min(created_at) FROM webhook_events WHERE state = 'queued'";
	static const char sql_failed[] =
	    "SELECT next_attempt_at, last_error FROM webhook_events"
	    " WHERE state = 'failed' ORDER BY next_attempt_at DESC LIMIT 1";
	sqlite3_stmt *stmt;
	int64_t v;
	int rc;

	if (health_group(st, "SELECT state, count(*) FROM webhook_events"
	    " WHERE state IN ('failed', 'queued')"
	    " GROUP BY state ORDER BY state", &h->webhooks, err) == -1 ||
	    health_sent(st, "SELECT coalesce(max(id), 0) FROM webhook_events",
	    &h->webhooks, err) == -1 ||
	    store_query_ints(st, sql_oldest, &v, 1, "oldest webhook event",
	    err) == -1)
		return -1;
	h->oldest_webhook = (time_t)v;
	if ((stmt = store_stmt(st, sql_failed, err)) == NULL)
		return -1;
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *e = (const char *)sqlite3_column_text(stmt, 1);

		h->webhook_failed_at = (time_t)sqlite3_column_int64(stmt, 0);
		snprintf(h->webhook_error, sizeof(h->webhook_error), "%s",
		    e ? e : "");
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, err, "latest failed webhook event");
	return 0;
}

int
store_health_read(struct store *st, struct store_health *h, struct err *err)
{
	int rc;

	memset(h, 0, sizeof(*h));
	if (store_read_begin(st, err) == -1)
		return -1;
	rc = health_counts(st, h, err) == -1 ||
	    health_times(st, h, err) == -1 ||
	    health_webhooks(st, h, err) == -1 ? -1 : 0;
	store_read_end(st);
	return rc;
}

int
store_health_backlog(struct store *st, const char *mailbox, int64_t *n_r,
    struct err *err)
{
	static const char sql[] =
	    "SELECT count(*) FROM messages WHERE mailbox = ?1"
	    " AND state IN ('received', 'parsing')";
	sqlite3_stmt *stmt;
	int rc;

	*n_r = 0;
	if ((stmt = store_stmt(st, sql, err)) == NULL)
		return -1;
	store_bind_text(stmt, 1, mailbox);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		*n_r = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW)
		return store_fail(st, err, "count backlog");
	return 0;
}

int
store_health_latencies(struct store *st, int64_t *after_r,
    void (*fn)(void *, double), void *arg, struct err *err)
{
	static const char sql[] =
	    "SELECT o.id, " EPOCH("o.created_at") " - m.date_ts"
	    " FROM orders o JOIN messages m ON m.id = o.message_id"
	    " WHERE o.id > ?1 ORDER BY o.id";
	sqlite3_stmt *stmt;
	int rc;

	if ((stmt = store_stmt(st, sql, err)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, *after_r);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		double s = sqlite3_column_type(stmt, 1) == SQLITE_NULL ? 0 :
		    sqlite3_column_double(stmt, 1);

		*after_r = sqlite3_column_int64(stmt, 0);
		fn(arg, s > 0 ? s : 0);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE)
		return store_fail(st, err, "read order latencies");
	return 0;
}

int
store_health_last_order(struct store *st, int64_t *id_r, struct err *err)
{
	return store_query_ints(st, "SELECT coalesce(max(id), 0) FROM orders",
	    id_r, 1, "last order", err);
}

int
store_health_day(struct store *st, time_t now, struct store_day *d,
    struct err *err)
{
	static const char sql[] =
	    "SELECT count(*),"
	    " coalesce(sum(status IN ('accepted', 'shipped')), 0),"
	    " coalesce(sum(status IN ('accepted', 'shipped') AND NOT EXISTS"
	    "  (SELECT 1 FROM audit_log a WHERE a.order_id = o.id)), 0)"
	    " FROM orders o WHERE message_id IS NOT NULL"
	    " AND created_at >= ?1 AND created_at < ?2";
	char from[32], to[32];
	struct tm tm;
	time_t t0, t1;
	sqlite3_stmt *stmt;
	int rc;

	memset(d, 0, sizeof(*d));
	/* Local midnight today and the day before, as the UTC text the
	 * store keeps. */
	localtime_r(&now, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	t1 = mktime(&tm);
	tm.tm_mday--;
	tm.tm_isdst = -1;
	t0 = mktime(&tm);
	gmtime_r(&t0, &tm);
	strftime(from, sizeof(from), "%Y-%m-%dT%H:%M:%SZ", &tm);
	gmtime_r(&t1, &tm);
	strftime(to, sizeof(to), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if ((stmt = store_stmt(st, sql, err)) == NULL)
		return -1;
	store_bind_text(stmt, 1, from);
	store_bind_text(stmt, 2, to);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		d->orders = sqlite3_column_int64(stmt, 0);
		d->confirmed = sqlite3_column_int64(stmt, 1);
		d->touchless = sqlite3_column_int64(stmt, 2);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW)
		return store_fail(st, err, "count yesterday's orders");
	return 0;
}

/*
 * The webhook outbox; see webhook.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "store/store_int.h"
#include "store/webhook.h"

#define COL(s, i) ((const char *)sqlite3_column_text((s), (i)))

static const char *const webhook_names[] = { "accepted", "approved",
    "edited", "shipped", "rejected" };

const char *
store_webhook_event_name(int event)
{
	return event >= 0 && event < 5 ? webhook_names[event] : "?";
}

void
store_webhook_events(struct store *st, unsigned mask)
{
	st->webhook_events = mask;
}

int
store_webhook_queue(struct store *st, int64_t order_id, int event,
    struct err *err)
{
	/* The body is the order as it is after the change; lines in
	 * order (a subquery: json_group_array takes no ORDER BY here). */
	static const char sql[] =
	    "INSERT INTO webhook_events (order_id, event, idem_key, body)"
	    " SELECT o.id, ?2, o.ref || '-' || ?2 || '-' || o.version,"
	    " json_object('event', ?2, 'key', o.ref || '-' || ?2 || '-' ||"
	    "  o.version, 'order', json_object('id', o.id, 'ref', o.ref,"
	    "  'status', o.status, 'version', o.version,"
	    "  'customer', o.customer_id, 'customer_name', c.name,"
	    "  'order_date', o.order_date, 'po_number', o.po_number,"
	    "  'requested_date', o.requested_date, 'lines',"
	    "  (SELECT json_group_array(json_object('line', l.line_no,"
	    "   'sku', l.sku, 'product', p.name, 'quantity', l.quantity,"
	    "   'unit', l.unit)) FROM (SELECT * FROM order_lines"
	    "   WHERE order_id = o.id ORDER BY line_no) l"
	    "   LEFT JOIN products p ON p.sku = l.sku)))"
	    " FROM orders o LEFT JOIN customers c ON c.id = o.customer_id"
	    " WHERE o.id = ?1"
	    /* The same change queued twice is one event. */
	    " ON CONFLICT (idem_key) DO NOTHING";
	sqlite3_stmt *s;

	if (!(st->webhook_events & (1u << event)))
		return 0;
	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, order_id);
	store_bind_text(s, 2, store_webhook_event_name(event));
	return store_step_done(st, s, err, "queue webhook event");
}

int
store_webhook_due(struct store *st, time_t now, int max,
    struct store_webhook_item **items_r, struct err *err)
{
	static const char sql[] =
	    "SELECT id, event, idem_key, body, attempts, created_at"
	    " FROM webhook_events WHERE state = 'queued'"
	    " AND next_attempt_at <= ?1 ORDER BY id LIMIT ?2";
	struct store_webhook_item *v = NULL;
	sqlite3_stmt *s;
	int rc, n = 0;

	*items_r = NULL;
	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)now);
	sqlite3_bind_int(s, 2, max);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		v = xreallocarray(v, (size_t)n + 1, sizeof(*v));
		v[n].id = sqlite3_column_int64(s, 0);
		v[n].event = xstrdup(COL(s, 1));
		v[n].key = xstrdup(COL(s, 2));
		v[n].body = xstrdup(COL(s, 3));
		v[n].attempts = sqlite3_column_int(s, 4);
		v[n].created_at = (time_t)sqlite3_column_int64(s, 5);
		n++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		store_webhook_items_free(v, (size_t)n);
		return store_fail(st, err, "read webhook events");
	}
	*items_r = v;
	return n;
}

void
store_webhook_items_free(struct store_webhook_item *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].event);
		free(v[i].key);
		free(v[i].body);
	}
	free(v);
}

static int
webhook_update(struct store *st, const char *sql, int64_t id, int64_t t,
    const char *error, struct err *err)
{
	sqlite3_stmt *s;

	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, t);
	store_bind_text(s, 3, error);
	return store_step_done(st, s, err, "update webhook event");
}

int
store_webhook_sent(struct store *st, int64_t id, time_t now, struct err *err)
{
	static const char sql[] =
	    "UPDATE webhook_events SET state = 'sent', sent_at = ?2,"
	    " attempts = attempts + 1, last_error = ?3 WHERE id = ?1";

	return webhook_update(st, sql, id, now, NULL, err);
}

int
store_webhook_retry(struct store *st, int64_t id, time_t next,
    const char *error, struct err *err)
{
	static const char sql[] =
	    "UPDATE webhook_events SET next_attempt_at = ?2,"
	    " attempts = attempts + 1, last_error = ?3 WHERE id = ?1";

	return webhook_update(st, sql, id, next, error, err);
}

int
store_webhook_failed(struct store *st, int64_t id, time_t now,
    const char *error, struct err *err)
{
	/* No event is due after it fails, so next_attempt_at is free to
	 * say when: the latest failure is then the top of the
	 * webhook_events_due index, with no column of its own. */
	static const char sql[] =
	    "UPDATE webhook_events SET state = 'failed', next_attempt_at = ?2,"
	    " attempts = attempts + 1, last_error = ?3 WHERE id = ?1";

	return webhook_update(st, sql, id, now, error, err);
}

int
store_webhook_next_due(struct store *st, time_t *when_r, struct err *err)
{
	static const char sql[] =
	    "SELECT min(next_attempt_at) FROM webhook_events"
	    " WHERE state = 'queued'";
	sqlite3_stmt *s;
	int rc, found = 0;

	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	if ((rc = sqlite3_step(s)) == SQLITE_ROW &&
	    sqlite3_column_type(s, 0) != SQLITE_NULL) {
		*when_r = (time_t)sqlite3_column_int64(s, 0);
		found = 1;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return store_fail(st, err, "read webhook events");
	return found;
}

int
store_webhook_requeue(struct store *st, int64_t id, struct err *err)
{
	static const char sql[] =
	    "UPDATE webhook_events SET state = 'queued', attempts = 0,"
	    " next_attempt_at = unixepoch(), created_at = unixepoch()"
	    " WHERE id = ?1 AND state = 'failed'";
	sqlite3_stmt *s;

	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if (store_step_done(st, s, err, "queue webhook event again") == -1)
		return -1;
	return sqlite3_changes(st->db) > 0;
}

int
store_webhook_failed_count(struct store *st, long *n_r, struct err *err)
{
	static const char sql[] =
	    "SELECT count(*) FROM webhook_events WHERE state = 'failed'";
	int64_t n = 0;

	if (store_query_ints(st, sql, &n, 1, "count failed webhook events",
	    err) == -1)
		return -1;
	*n_r = (long)n;
	return 0;
}

int
store_webhook_pending(struct store *st, store_webhook_row_cb cb, void *arg,
    struct err *err)
{
	static const char sql[] =
	    "SELECT w.id, o.ref, w.event, w.idem_key, w.state, w.attempts,"
	    " w.next_attempt_at, w.last_error FROM webhook_events w"
	    " JOIN orders o ON o.id = w.order_id WHERE w.state <> 'sent'"
	    " ORDER BY w.id";
	sqlite3_stmt *s;
	int rc, stop = 0;

	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if ((stop = cb(arg, sqlite3_column_int64(s, 0), COL(s, 1),
		    COL(s, 2), COL(s, 3), COL(s, 4), sqlite3_column_int(s, 5),
		    (time_t)sqlite3_column_int64(s, 6), COL(s, 7))) != 0)
			break;
	sqlite3_reset(s);
	if (stop == 0 && rc != SQLITE_DONE)
		return store_fail(st, err, "read webhook events");
	return stop;
}

/*
 * Replies sent by hand; see release.h.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "store/outbox.h"
#include "store/release.h"
#include "store/store_int.h"

static const char SQL_GET[] =
	"SELECT o.ref, o.status, o.version,"
	" EXISTS (SELECT 1 FROM flags f WHERE f.order_id = o.id"
	"  AND f.code = '" STORE_OUTBOX_HELD "' AND NOT f.resolved),"
	" EXISTS (SELECT 1 FROM flags f WHERE f.order_id = o.id"
	"  AND f.code = 'no_items'),"
	" (SELECT max(b.id) FROM outbox b WHERE b.order_id = o.id"
	"  AND b.state = 'failed'),"
	" (SELECT max(b.id) FROM outbox b WHERE b.order_id = o.id"
	"  AND b.state = 'sent')"
	" FROM orders o WHERE o.id = ?1";

int
store_release_get(struct store *st, int64_t order_id, struct store_release *r,
    struct err *err)
{
	sqlite3_stmt *s;
	int rc;

	memset(r, 0, sizeof(*r));
	if ((s = store_stmt(st, SQL_GET, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, order_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		snprintf(r->ref, sizeof(r->ref), "%s",
		    (const char *)sqlite3_column_text(s, 0));
		snprintf(r->status, sizeof(r->status), "%s",
		    (const char *)sqlite3_column_text(s, 1));
		r->version = sqlite3_column_int(s, 2);
		r->held = sqlite3_column_int(s, 3);
		r->no_items = sqlite3_column_int(s, 4);
		r->failed = sqlite3_column_int64(s, 5);
		r->sent = sqlite3_column_int64(s, 6);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, err, "read the order's replies");
	return rc == SQLITE_ROW;
}

static const char SQL_REQUEUE[] =
	"UPDATE outbox SET state = 'queued', attempts = 0, last_error = NULL,"
	" next_attempt_at = ?2, sent_at = NULL, copied = 0 WHERE id = ?1";

int
store_release_requeue(struct store *st, int64_t outbox_id, time_t now,
    struct err *err)
{
	struct tm tm;
	sqlite3_stmt *s;
	char iso[32];

	gmtime_r(&now, &tm);
	strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if ((s = store_stmt(st, SQL_REQUEUE, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, outbox_id);
	store_bind_text(s, 2, iso);
	return store_step_done(st, s, err, "queue the reply again");
}

static const char SQL_RESOLVE[] =
	"UPDATE flags SET resolved = 1 WHERE order_id = ?1 AND code = ?2"
	" AND NOT resolved";
static const char SQL_BUMP[] =
	"UPDATE orders SET version = version + 1,"
	" updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1";
static const char SQL_AUDIT[] =
	"INSERT INTO audit_log (operator, action, order_id, detail)"
	" VALUES (?1, 'send', ?2, json_object('note', ?3, 'outbox', ?4))";

int
store_release_done(struct store *st, int64_t order_id, const char *code,
    const char *operator, const char *note, int64_t outbox_id,
    struct err *err)
{
	sqlite3_stmt *s;

	if (code != NULL) {
		if ((s = store_stmt(st, SQL_RESOLVE, err)) == NULL)
			return -1;
		sqlite3_bind_int64(s, 1, order_id);
		store_bind_text(s, 2, code);
		if (store_step_done(st, s, err, "resolve flag") == -1)
			return -1;
	}
	if ((s = store_stmt(st, SQL_BUMP, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, order_id);
	if (store_step_done(st, s, err, "bump the order's version") == -1)
		return -1;
	if ((s = store_stmt(st, SQL_AUDIT, err)) == NULL)
		return -1;
	store_bind_text(s, 1, operator);
	sqlite3_bind_int64(s, 2, order_id);
	store_bind_text(s, 3, note);
	if (outbox_id > 0)
		sqlite3_bind_int64(s, 4, outbox_id);
	return store_step_done(st, s, err, "write the audit log");
}

/*
 * The audit log's statements; see audit.h.  detail is a JSON object made
 * by SQLite, read back with json_extract(), so what undo reads cannot
 * drift from what the action wrote.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "store/audit.h"
#include "store/store_int.h"

static char *
audit_col_dup(sqlite3_stmt *s, int i)
{
	const char *t = (const char *)sqlite3_column_text(s, i);

	return t != NULL ? xstrdup(t) : NULL;
}

int
store_audit_add(struct store *st, const struct store_audit *a,
    struct err *err)
{
	static const char sql[] =
	    "INSERT INTO audit_log (operator, action, order_id, detail)"
	    " VALUES (?1, ?2, ?3, json_object('note', ?4, 'outbox', ?5,"
	    " 'before', json(?6), 'alias', ?7, 'alias_sku', ?8,"
	    " 'alias_new', ?9, 'address', ?10, 'address_new', ?11,"
	    " 'undoes', ?12))";
	sqlite3_stmt *s;

	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	store_bind_text(s, 1, a->operator);
	store_bind_text(s, 2, a->action);
	if (a->order_id > 0)
		sqlite3_bind_int64(s, 3, a->order_id);
	store_bind_text(s, 4, a->note);
	if (a->outbox_id > 0)
		sqlite3_bind_int64(s, 5, a->outbox_id);
	store_bind_text(s, 6, a->before);
	store_bind_text(s, 7, a->alias);
	store_bind_text(s, 8, a->alias_sku);
	sqlite3_bind_int(s, 9, a->alias_new);
	store_bind_text(s, 10, a->addr);
	sqlite3_bind_int(s, 11, a->addr_new);
	if (a->undoes > 0)
		sqlite3_bind_int64(s, 12, a->undoes);
	return store_step_done(st, s, err, "write audit log");
}

int
store_audit_latest(struct store *st, int64_t order_id,
    struct store_audit_change *c, struct err *err)
{
	static const char sql[] =
	    "SELECT operator, at, action FROM audit_log WHERE order_id = ?1"
	    " ORDER BY id DESC LIMIT 1";
	sqlite3_stmt *s;
	int rc;

	memset(c, 0, sizeof(*c));
	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, order_id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		snprintf(c->operator, sizeof(c->operator), "%s",
		    (const char *)sqlite3_column_text(s, 0));
		snprintf(c->at, sizeof(c->at), "%s",
		    (const char *)sqlite3_column_text(s, 1));
		snprintf(c->action, sizeof(c->action), "%s",
		    (const char *)sqlite3_column_text(s, 2));
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, err, "read audit log");
	return rc == SQLITE_ROW;
}

int
store_audit_undoable(struct store *st, int64_t order_id,
    struct store_audit_undo *u, struct err *err)
{
	static const char sql[] =
	    "SELECT a.id, a.action, json_extract(a.detail, '$.outbox'),"
	    " json_extract(a.detail, '$.before'),"
	    " json_extract(a.detail, '$.alias'),"
	    " json_extract(a.detail, '$.alias_sku'),"
	    " json_extract(a.detail, '$.alias_new'),"
	    " json_extract(a.detail, '$.address'),"
	    " json_extract(a.detail, '$.address_new')"
	    " FROM audit_log a WHERE a.order_id = ?1 AND a.action <> 'undo'"
	    " AND NOT EXISTS (SELECT 1 FROM audit_log u WHERE u.order_id = ?1"
	    "  AND u.action = 'undo'"
	    "  AND json_extract(u.detail, '$.undoes') = a.id)"
	    " ORDER BY a.id DESC LIMIT 1";
	sqlite3_stmt *s;
	int rc;

	memset(u, 0, sizeof(*u));
	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, order_id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		u->id = sqlite3_column_int64(s, 0);
		u->action = audit_col_dup(s, 1);
		u->outbox_id = sqlite3_column_int64(s, 2);
		u->before = audit_col_dup(s, 3);
		u->alias = audit_col_dup(s, 4);
		u->alias_sku = audit_col_dup(s, 5);
		u->alias_new = sqlite3_column_int(s, 6);
		u->addr = audit_col_dup(s, 7);
		u->addr_new = sqlite3_column_int(s, 8);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, err, "read audit log");
	return rc == SQLITE_ROW;
}

void
store_audit_undo_release(struct store_audit_undo *u)
{
	free(u->action);
	free(u->before);
	free(u->alias);
	free(u->alias_sku);
	free(u->addr);
	memset(u, 0, sizeof(*u));
}

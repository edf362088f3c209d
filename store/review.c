/*
 * The statements behind the operator's actions; see review.h.  The
 * snapshot is JSON made by SQLite itself and the restore reads it back
 * with json_each(), so the undo record cannot drift from the tables it
 * restores.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "store/review.h"
#include "store/store_int.h"

static char *
review_col_dup(sqlite3_stmt *s, int i)
{
	const char *t = (const char *)sqlite3_column_text(s, i);

	return t != NULL ? xstrdup(t) : NULL;
}

int
store_review_order_load(struct store *st, int64_t id,
    struct store_review_order *o, struct err *err)
{
	static const char sql[] =
	    "SELECT o.status, o.version, o.customer_id, m.from_addr,"
	    " o.message_id IS NULL"
	    " FROM orders o LEFT JOIN messages m ON m.id = o.message_id"
	    " WHERE o.id = ?1";
	sqlite3_stmt *s;
	int rc;

	memset(o, 0, sizeof(*o));
	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		snprintf(o->status, sizeof(o->status), "%s",
		    (const char *)sqlite3_column_text(s, 0));
		o->version = sqlite3_column_int(s, 1);
		o->customer_id = review_col_dup(s, 2);
		o->from_addr = review_col_dup(s, 3);
		o->imported = sqlite3_column_int(s, 4);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, err, "read order");
	return rc == SQLITE_ROW;
}

void
store_review_order_release(struct store_review_order *o)
{
	free(o->customer_id);
	free(o->from_addr);
	memset(o, 0, sizeof(*o));
}

int
store_review_snapshot(struct store *st, int64_t id, char **json_r,
    struct err *err)
{
	static const char sql[] =
	    "SELECT json_object('status', o.status, 'customer', o.customer_id,"
	    " 'lines', (SELECT json_group_array(json_object('n', l.line_no,"
	    "  'sku', l.sku, 'q', l.quantity, 'unit', l.unit, 'text', l.text,"
	    "  'rule', l.rule)) FROM order_lines l WHERE l.order_id = o.id),"
	    " 'flags', (SELECT json_group_array(json_object('id', f.id,"
	    "  'r', f.resolved)) FROM flags f WHERE f.order_id = o.id))"
	    " FROM orders o WHERE o.id = ?1";
	sqlite3_stmt *s;
	int rc;

	*json_r = NULL;
	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		*json_r = review_col_dup(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW || *json_r == NULL)
		return store_fail(st, err, "snapshot order");
	return 0;
}

int
store_review_restore(struct store *st, int64_t id, const char *json,
    struct err *err)
{
	static const char sql_order[] =
	    "UPDATE orders SET status = json_extract(?2, '$.status'),"
	    " customer_id = json_extract(?2, '$.customer') WHERE id = ?1";
	static const char sql_del[] =
	    "DELETE FROM order_lines WHERE order_id = ?1";
	static const char sql_lines[] =
	    "INSERT INTO order_lines (order_id, line_no, sku, quantity, unit,"
	    " text, rule) SELECT ?1, json_extract(value, '$.n'),"
	    " json_extract(value, '$.sku'), json_extract(value, '$.q'),"
	    " json_extract(value, '$.unit'), json_extract(value, '$.text'),"
	    " json_extract(value, '$.rule') FROM json_each(?2, '$.lines')";
	static const char sql_flags[] =
	    "UPDATE flags SET resolved = coalesce((SELECT"
	    " json_extract(value, '$.r') FROM json_each(?2, '$.flags')"
	    " WHERE json_extract(value, '$.id') = flags.id), resolved)"
	    " WHERE order_id = ?1";
	const char *sqls[] = { sql_order, sql_del, sql_lines, sql_flags };
	sqlite3_stmt *s;
	size_t i;

	for (i = 0; i < sizeof(sqls) / sizeof(sqls[0]); i++) {
		if ((s = store_stmt(st, sqls[i], err)) == NULL)
			return -1;
		sqlite3_bind_int64(s, 1, id);
		if (i != 1)
			store_bind_text(s, 2, json);
		if (store_step_done(st, s, err, "restore order") == -1)
			return -1;
	}
	return 0;
}

int
store_review_bump(struct store *st, int64_t id, const char *status,
    struct err *err)
{
	static const char sql[] =
	    "UPDATE orders SET status = coalesce(?2, status),"
	    " version = version + 1,"
	    " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now')"
	    " WHERE id = ?1";
	sqlite3_stmt *s;

	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, status);
	return store_step_done(st, s, err, "update order");
}

int
store_review_lines_count(struct store *st, int64_t id, int *n_r,
    int *nsku_r, int *first_unresolved_r, struct err *err)
{
	static const char sql[] =
	    "SELECT count(*), count(sku), (SELECT min(line_no) FROM"
	    " order_lines WHERE order_id = ?1 AND sku IS NULL)"
	    " FROM order_lines WHERE order_id = ?1";
	sqlite3_stmt *s;
	int rc;

	*n_r = *nsku_r = *first_unresolved_r = 0;
	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*n_r = sqlite3_column_int(s, 0);
		*nsku_r = sqlite3_column_int(s, 1);
		*first_unresolved_r = sqlite3_column_int(s, 2);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return store_fail(st, err, "count order lines");
	return 0;
}

int
store_review_flags_resolve(struct store *st, int64_t id, const char *code,
    int line, struct err *err)
{
	static const char sql[] =
	    "UPDATE flags SET resolved = 1 WHERE order_id = ?1"
	    " AND (?2 IS NULL OR code = ?2) AND (?3 = 0 OR line_no = ?3)";
	sqlite3_stmt *s;

	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, code);
	sqlite3_bind_int(s, 3, line);
	return store_step_done(st, s, err, "resolve flags");
}

int
store_review_references_resolve(struct store *st, int64_t id,
    const char *sku, struct err *err)
{
	static const char sql[] =
	    "UPDATE flags SET resolved = 1 WHERE order_id = ?1"
	    " AND code = 'history_reference' AND NOT resolved"
	    " AND id IN (SELECT flag_id FROM flag_candidates WHERE sku = ?2)";
	sqlite3_stmt *s;

	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, sku);
	return store_step_done(st, s, err, "resolve reference");
}

int
store_review_line_exists(struct store *st, int64_t id, int line,
    struct err *err)
{
	static const char sql[] =
	    "SELECT 1 FROM order_lines WHERE order_id = ?1 AND line_no = ?2";
	sqlite3_stmt *s;
	int rc;

	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, line);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return store_fail(st, err, "read order line");
}

int
store_review_line_set(struct store *st, int64_t id, int line,
    const char *sku, double quantity, struct err *err)
{
	static const char sql[] =
	    "UPDATE order_lines SET sku = coalesce(?3, sku),"
	    " quantity = CASE WHEN ?4 > 0 THEN ?4 ELSE quantity END,"
	    " unit = CASE WHEN ?3 IS NULL THEN unit ELSE"
	    "  coalesce((SELECT unit FROM products WHERE sku = ?3), unit) END"
	    " WHERE order_id = ?1 AND line_no = ?2";
	sqlite3_stmt *s;

	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, line);
	store_bind_text(s, 3, sku);
	store_bind_qty(s, 4, quantity);
	return store_step_done(st, s, err, "update order line");
}

int
store_review_line_delete(struct store *st, int64_t id, int line,
    struct err *err)
{
	static const char sql[] =
	    "DELETE FROM order_lines WHERE order_id = ?1 AND line_no = ?2";
	sqlite3_stmt *s;

	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, line);
	return store_step_done(st, s, err, "delete order line");
}

int
store_review_line_add(struct store *st, int64_t id, const char *sku,
    double quantity, int *line_r, struct err *err)
{
	static const char sql_no[] =
	    "SELECT coalesce(max(line_no), 0) + 1 FROM order_lines"
	    " WHERE order_id = ?1";
	static const char sql_add[] =
	    "INSERT INTO order_lines (order_id, line_no, sku, quantity, unit,"
	    " text, rule) VALUES (?1, ?2, ?3, ?4,"
	    " (SELECT unit FROM products WHERE sku = ?3), NULL, 'operator')";
	sqlite3_stmt *s;
	int line = 0;

	if ((s = store_stmt(st, sql_no, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) == SQLITE_ROW)
		line = sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	if (line == 0)
		return store_fail(st, err, "number new line");
	if ((s = store_stmt(st, sql_add, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, line);
	store_bind_text(s, 3, sku);
	store_bind_qty(s, 4, quantity);
	if (store_step_done(st, s, err, "add order line") == -1)
		return -1;
	*line_r = line;
	return 0;
}

/* 1 when sql (three text parameters) returns a row. */
static int
review_row3(struct store *st, const char *sql, const char *a, const char *b,
    const char *c, const char *what, struct err *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	store_bind_text(s, 1, a);
	store_bind_text(s, 2, b);
	if (c != NULL)
		store_bind_text(s, 3, c);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, err, what);
	return rc == SQLITE_ROW;
}

int
store_review_alias_known(struct store *st, const char *alias,
    const char *customer_id, const char *sku, struct err *err)
{
	static const char sql[] =
	    "SELECT 1 FROM product_aliases WHERE alias = ?1"
	    " AND customer_id = ?2 AND sku = ?3";

	return review_row3(st, sql, alias, customer_id, sku, "look up alias",
	    err);
}

int
store_review_address_known(struct store *st, const char *addr,
    const char *customer_id, struct err *err)
{
	static const char sql[] =
	    "SELECT 1 FROM customer_addresses WHERE address = lower(?1)"
	    " AND customer_id = ?2";

	return review_row3(st, sql, addr, customer_id, NULL,
	    "look up address", err);
}

int
store_review_alias_forget(struct store *st, const char *alias,
    const char *sku, const char *customer_id, struct err *err)
{
	static const char sql[] =
	    "DELETE FROM product_aliases WHERE alias = ?1 AND sku = ?2"
	    " AND customer_id = ?3 AND source = 'operator'";
	sqlite3_stmt *s;

	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	store_bind_text(s, 1, alias);
	store_bind_text(s, 2, sku);
	store_bind_text(s, 3, customer_id);
	return store_step_done(st, s, err, "forget alias");
}

int
store_review_address_forget(struct store *st, const char *addr,
    struct err *err)
{
	static const char sql[] =
	    "DELETE FROM customer_addresses WHERE address = lower(?1)"
	    " AND source = 'operator'";
	sqlite3_stmt *s;

	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	store_bind_text(s, 1, addr);
	return store_step_done(st, s, err, "forget address");
}

int
store_review_order_assign(struct store *st, int64_t id,
    const char *customer_id, struct err *err)
{
	static const char sql[] =
	    "UPDATE orders SET customer_id = ?2 WHERE id = ?1";
	sqlite3_stmt *s;

	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, customer_id);
	return store_step_done(st, s, err, "assign order");
}

int
store_review_orders_from(struct store *st, const char *addr, int64_t **ids_r,
    size_t *n_r, struct err *err)
{
	static const char sql[] =
	    "SELECT o.id FROM orders o JOIN messages m ON m.id = o.message_id"
	    " WHERE o.customer_id IS NULL AND o.status IN ('flagged','ignored')"
	    " AND lower(m.from_addr) = lower(?1) ORDER BY o.id";
	sqlite3_stmt *s;
	int64_t *ids = NULL;
	size_t n = 0;
	int rc;

	*ids_r = NULL;
	*n_r = 0;
	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	store_bind_text(s, 1, addr);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		ids = xreallocarray(ids, n + 1, sizeof(*ids));
		ids[n++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		free(ids);
		return store_fail(st, err, "find orders");
	}
	*ids_r = ids;
	*n_r = n;
	return 0;
}

int
store_review_event(struct store *st, int64_t id, int ev, struct err *err)
{
	return store_webhook_queue(st, id, ev, err);
}

int
store_review_outbox_cancel(struct store *st, int64_t outbox_id,
    struct err *err)
{
	static const char sql[] =
	    "UPDATE outbox SET state = 'cancelled' WHERE id = ?1"
	    " AND state = 'queued'";
	sqlite3_stmt *s;

	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, outbox_id);
	if (store_step_done(st, s, err, "cancel reply") == -1)
		return -1;
	return sqlite3_changes(st->db) > 0;
}

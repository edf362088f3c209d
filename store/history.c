/*
 * Order history: writing imported history (orders with status
 * 'imported') and reading a customer's recent orders for the resolver.
 *
 * A history file has one row per order line, so an order ref repeats.
 * An import stages its rows in TEMP tables (the refs seen, with customer
 * and date, which later rows must agree on, and their lines) and writes
 * them at the end, when each order is complete: an order equal to what
 * the store holds is left alone, so re-importing an unchanged file
 * changes nothing, not even a version.  A TEMP table lives and dies with
 * this connection, is invisible to the daemon, and rolls back with the
 * import.
 */
#include "config.h"

#include <string.h>

#include "store/history.h"
#include "store/store_int.h"

void
store_history_import_reset(struct store *st)
{
	/* A failure here shows up as a prepare error in the first
	 * store_history_order_upsert(), which has an err to report it. */
	sqlite3_exec(st->db,
	    "CREATE TEMP TABLE IF NOT EXISTS history_import_seen ("
	    "  ref         TEXT PRIMARY KEY,"
	    "  order_id    INTEGER,"	/* NULL: new to the store */
	    "  customer_id TEXT NOT NULL,"
	    "  order_date  TEXT NOT NULL);"
	    "CREATE TEMP TABLE IF NOT EXISTS history_import_lines ("
	    "  ref      TEXT NOT NULL,"
	    "  line_no  INTEGER NOT NULL,"
	    "  sku      TEXT NOT NULL,"
	    "  quantity INTEGER NOT NULL,"
	    "  PRIMARY KEY (ref, line_no));"
	    "DELETE FROM temp.history_import_seen;"
	    "DELETE FROM temp.history_import_lines;", NULL, NULL, NULL);
}

/* A ref seen earlier in this import: return its id, or an error when this
 * row disagrees with the earlier one.  1 seen, 0 not seen, -1 error. */
static int
store_history_seen(struct store *st, const char *ref, const char *customer_id,
    const char *date, int64_t *order_id_r, struct err *err)
{
	static const char sql[] =
	    "SELECT order_id, customer_id, order_date"
	    " FROM temp.history_import_seen WHERE ref = ?1";
	sqlite3_stmt *stmt;
	int rc, ret = 1;

	if ((stmt = store_stmt(st, sql, err)) == NULL)
		return -1;
	store_bind_text(stmt, 1, ref);
	if ((rc = sqlite3_step(stmt)) == SQLITE_DONE) {
		sqlite3_reset(stmt);
		return 0;
	}
	if (rc != SQLITE_ROW) {
		sqlite3_reset(stmt);
		return store_fail(st, err, "look up order");
	}
	*order_id_r = sqlite3_column_int64(stmt, 0);
	if (strcmp((const char *)sqlite3_column_text(stmt, 1),
	    customer_id) != 0)
		ret = err_set(err, ERR_INPUT, "order '%s' is for customer '%s' "
		    "on an earlier line, not '%s'", ref,
		    (const char *)sqlite3_column_text(stmt, 1), customer_id);
	else if (strcmp((const char *)sqlite3_column_text(stmt, 2),
	    date) != 0)
		ret = err_set(err, ERR_INPUT, "order '%s' is dated %s on an "
		    "earlier line, not %s", ref,
		    (const char *)sqlite3_column_text(stmt, 2), date);
	sqlite3_reset(stmt);
	return ret;
}

/* Remember ref (order id, 0: not in the store yet) as seen in this
 * import, with the customer and date later rows must agree on. */
static int
store_history_seen_add(struct store *st, const char *ref, int64_t id,
    const char *customer_id, const char *date, struct err *err)
{
	static const char sql[] =
	    "INSERT INTO temp.history_import_seen"
	    " (ref, order_id, customer_id, order_date) VALUES (?1, ?2, ?3, ?4)";
	sqlite3_stmt *stmt;

	if ((stmt = store_stmt(st, sql, err)) == NULL)
		return -1;
	store_bind_text(stmt, 1, ref);
	if (id != 0)
		sqlite3_bind_int64(stmt, 2, id);
	store_bind_text(stmt, 3, customer_id);
	store_bind_text(stmt, 4, date);
	return store_step_done(st, stmt, err, "remember order");
}

int
store_history_order_upsert(struct store *st, const char *ref,
    const char *customer_id, const char *date, int64_t *order_id_r,
    struct err *err)
{
	/* Only imported history may be overwritten: a ref that belongs to
	 * an order from mail matches no row and returns nothing. */
	static const char upsert_sql[] =
	    "INSERT INTO orders (ref, customer_id, status, order_date)"
	    " VALUES (?1, ?2, 'imported', ?3)"
	    " ON CONFLICT (ref) DO UPDATE SET"
	    " customer_id = excluded.customer_id,"
	    " order_date = excluded.order_date, version = version + 1,"
	    " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
	    " WHERE status = 'imported'"
	    " RETURNING id";
	static const char clear_sql[] =
	    "DELETE FROM order_lines WHERE order_id = ?1";
	sqlite3_stmt *stmt;
	int64_t id;
	int rc;

	if ((rc = store_history_seen(st, ref, customer_id, date, order_id_r,
	    err)) != 0)
		return rc == 1 ? 0 : -1;

	if ((stmt = store_stmt(st, upsert_sql, err)) == NULL)
		return -1;
	store_bind_text(stmt, 1, ref);
	store_bind_text(stmt, 2, customer_id);
	store_bind_text(stmt, 3, date);
	id = -1;
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		id = sqlite3_column_int64(stmt, 0);
		rc = sqlite3_step(stmt);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE)
		return store_fail(st, err, "save order");
	if (id == -1)
		return err_set(err, ERR_INPUT, "order '%s' already exists and "
		    "is not imported history", ref);

	if ((stmt = store_stmt(st, clear_sql, err)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	if (store_step_done(st, stmt, err, "replace order lines") == -1 ||
	    store_history_seen_add(st, ref, id, customer_id, date, err) == -1)
		return -1;
	*order_id_r = id;
	return 0;
}

int
store_history_import_line(struct store *st, const char *ref,
    const char *customer_id, const char *date, const char *sku,
    double quantity, struct err *err)
{
	static const char find_sql[] =
	    "SELECT id, status FROM orders WHERE ref = ?1";
	static const char line_sql[] =
	    "INSERT INTO temp.history_import_lines (ref, line_no, sku, quantity)"
	    " VALUES (?1, (SELECT coalesce(max(line_no), 0) + 1"
	    " FROM temp.history_import_lines WHERE ref = ?1), ?2, ?3)";
	sqlite3_stmt *stmt;
	int64_t id = 0;
	int rc, imported = 1;

	if ((rc = store_history_seen(st, ref, customer_id, date, &id,
	    err)) == -1)
		return -1;
	if (rc == 0) {
		/* First sighting: only imported history may be rewritten. */
		if ((stmt = store_stmt(st, find_sql, err)) == NULL)
			return -1;
		store_bind_text(stmt, 1, ref);
		if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			id = sqlite3_column_int64(stmt, 0);
			imported = strcmp((const char *)sqlite3_column_text(
			    stmt, 1), "imported") == 0;
		}
		sqlite3_reset(stmt);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return store_fail(st, err, "look up order");
		if (!imported)
			return err_set(err, ERR_INPUT, "order '%s' already "
			    "exists and is not imported history", ref);
		if (store_history_seen_add(st, ref, id, customer_id, date,
		    err) == -1)
			return -1;
	}
	if (!(quantity > 0))
		return err_set(err, ERR_INPUT, "quantity %g is not positive",
		    quantity);
	if ((stmt = store_stmt(st, line_sql, err)) == NULL)
		return -1;
	store_bind_text(stmt, 1, ref);
	store_bind_text(stmt, 2, sku);
	store_bind_qty(stmt, 3, quantity);
	return store_step_done(st, stmt, err, "stage order line");
}

/* 1 when order id has exactly customer_id, date and the staged lines of
 * ref, 0 when anything differs, -1 on error. */
static int
store_history_same(struct store *st, int64_t id, const char *ref,
    const char *customer_id, const char *date, struct err *err)
{
	static const char sql[] =
	    "SELECT (SELECT customer_id IS ?3 AND order_date IS ?4"
	    "  FROM orders WHERE id = ?1)"
	    " AND (SELECT count(*) FROM order_lines WHERE order_id = ?1) ="
	    "  (SELECT count(*) FROM temp.history_import_lines WHERE ref = ?2)"
	    " AND NOT EXISTS (SELECT line_no, sku, quantity"
	    "  FROM temp.history_import_lines WHERE ref = ?2"
	    "  EXCEPT SELECT line_no, sku, quantity FROM order_lines"
	    "  WHERE order_id = ?1 AND unit IS NULL AND text IS NULL)";
	sqlite3_stmt *stmt;
	int rc, same = 0;

	if ((stmt = store_stmt(st, sql, err)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	store_bind_text(stmt, 2, ref);
	store_bind_text(stmt, 3, customer_id);
	store_bind_text(stmt, 4, date);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		same = sqlite3_column_int(stmt, 0);
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW)
		return store_fail(st, err, "compare order");
	return same;
}

/* Write one staged order: create it (id 0) or overwrite it, then give it
 * the staged lines. */
static int
store_history_write(struct store *st, int64_t id, const char *ref,
    const char *customer_id, const char *date, struct err *err)
{
	static const char ins_sql[] =
	    "INSERT INTO orders (ref, customer_id, status, order_date)"
	    " VALUES (?1, ?2, 'imported', ?3) RETURNING id";
	static const char upd_sql[] =
	    "UPDATE orders SET customer_id = ?2, order_date = ?3,"
	    " version = version + 1,"
	    " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
	    " WHERE id = ?1";
	static const char clear_sql[] =
	    "DELETE FROM order_lines WHERE order_id = ?1";
	static const char lines_sql[] =
	    "INSERT INTO order_lines (order_id, line_no, sku, quantity)"
	    " SELECT ?1, line_no, sku, quantity FROM temp.history_import_lines"
	    " WHERE ref = ?2 ORDER BY line_no";
	sqlite3_stmt *stmt;
	int rc;

	if ((stmt = store_stmt(st, id == 0 ? ins_sql : upd_sql,
	    err)) == NULL)
		return -1;
	if (id == 0)
		store_bind_text(stmt, 1, ref);
	else
		sqlite3_bind_int64(stmt, 1, id);
	store_bind_text(stmt, 2, customer_id);
	store_bind_text(stmt, 3, date);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		id = sqlite3_column_int64(stmt, 0);
		rc = sqlite3_step(stmt);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE)
		return store_fail(st, err, "save order");
	if ((stmt = store_stmt(st, clear_sql, err)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	if (store_step_done(st, stmt, err, "replace order lines") == -1 ||
	    (stmt = store_stmt(st, lines_sql, err)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	store_bind_text(stmt, 2, ref);
	return store_step_done(st, stmt, err, "save order lines");
}

int
store_history_import_apply(struct store *st, long *added_r, long *updated_r,
    long *unchanged_r, struct err *err)
{
	/* Prepared here, not cached: it stays open while the orders are
	 * written. */
	static const char sql[] =
	    "SELECT ref, order_id, customer_id, order_date"
	    " FROM temp.history_import_seen ORDER BY rowid";
	sqlite3_stmt *it;
	const char *ref, *cust, *date;
	int64_t id;
	int rc, same = 0;

	*added_r = *updated_r = *unchanged_r = 0;
	if (sqlite3_prepare_v2(st->db, sql, -1, &it, NULL) != SQLITE_OK)
		return store_fail(st, err, "read staged orders");
	while ((rc = sqlite3_step(it)) == SQLITE_ROW) {
		ref = (const char *)sqlite3_column_text(it, 0);
		id = sqlite3_column_int64(it, 1);	/* NULL reads 0 */
		cust = (const char *)sqlite3_column_text(it, 2);
		date = (const char *)sqlite3_column_text(it, 3);
		if (id != 0 && (same = store_history_same(st, id, ref, cust,
		    date, err)) == -1)
			break;
		if (id != 0 && same) {
			(*unchanged_r)++;
			continue;
		}
		if (store_history_write(st, id, ref, cust, date, err) == -1)
			break;
		(*(id == 0 ? added_r : updated_r))++;
	}
	if (rc == SQLITE_ROW) {		/* stopped by an error above */
		sqlite3_finalize(it);
		return -1;
	}
	if (rc != SQLITE_DONE) {
		store_fail(st, err, "read staged orders");
		sqlite3_finalize(it);
		return -1;
	}
	sqlite3_finalize(it);
	return 0;
}

int
store_history_line_add(struct store *st, int64_t order_id, const char *sku,
    double quantity, struct err *err)
{
	static const char sql[] =
	    "INSERT INTO order_lines (order_id, line_no, sku, quantity)"
	    " VALUES (?1, (SELECT coalesce(max(line_no), 0) + 1"
	    " FROM order_lines WHERE order_id = ?1), ?2, ?3)";
	sqlite3_stmt *stmt;

	if (!(quantity > 0))
		return err_set(err, ERR_INPUT, "quantity %g is not positive",
		    quantity);
	if ((stmt = store_stmt(st, sql, err)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, order_id);
	store_bind_text(stmt, 2, sku);
	store_bind_qty(stmt, 3, quantity);
	return store_step_done(st, stmt, err, "save order line");
}

int
store_history_count(struct store *st, long *orders_r, long *lines_r,
    struct err *err)
{
	static const char sql[] =
	    "SELECT (SELECT count(*) FROM orders WHERE status = 'imported'),"
	    " (SELECT count(*) FROM order_lines l JOIN orders o"
	    "  ON o.id = l.order_id WHERE o.status = 'imported')";
	int64_t v[2];

	if (store_query_ints(st, sql, v, 2, "count history", err) == -1)
		return -1;
	*orders_r = (long)v[0];
	*lines_r = (long)v[1];
	return 0;
}

int
store_history_foreach(struct store *st, const char *customer_id,
    int max_orders, const struct store_history_cut *cut, store_history_cb cb,
    void *arg, struct err *err)
{
	/* Orders that really happened: imported, accepted or shipped.
	 * Lines the engine could not resolve (sku NULL) are no history. */
	static const char sql[] =
	    "SELECT o.ref, o.order_date, l.sku, p.name, l.quantity"
	    " FROM (SELECT id, ref, order_date FROM orders"
	    "  WHERE customer_id = ?1"
	    "  AND status IN ('imported', 'accepted', 'shipped')"
	    "  AND (?3 = 0 OR message_id < ?3"
	    "   OR (message_id IS NULL AND order_date < ?4))"
	    "  ORDER BY order_date DESC, id DESC LIMIT ?2) o"
	    " JOIN order_lines l ON l.order_id = o.id"
	    " LEFT JOIN products p ON p.sku = l.sku"
	    " WHERE l.sku IS NOT NULL"
	    " ORDER BY o.order_date DESC, o.id DESC, l.line_no";
	sqlite3_stmt *stmt;
	int rc, stop = 0;

	if ((stmt = store_stmt(st, sql, err)) == NULL)
		return -1;
	store_bind_text(stmt, 1, customer_id);
	/* SQLite reads a negative LIMIT as "no limit". */
	sqlite3_bind_int(stmt, 2, max_orders > 0 ? max_orders : -1);
	sqlite3_bind_int64(stmt, 3, cut != NULL ? cut->before_msg : 0);
	store_bind_text(stmt, 4, cut != NULL ? cut->before_date : NULL);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		stop = cb(arg, (const char *)sqlite3_column_text(stmt, 0),
		    (const char *)sqlite3_column_text(stmt, 1),
		    (const char *)sqlite3_column_text(stmt, 2),
		    (const char *)sqlite3_column_text(stmt, 3),
		    sqlite3_column_double(stmt, 4));
		if (stop != 0)
			break;
	}
	if (stop == 0 && rc != SQLITE_DONE) {
		store_fail(st, err, "read history");
		sqlite3_reset(stmt);
		return -1;
	}
	sqlite3_reset(stmt);
	return stop;
}

/*
 * From order_lines_sku_quantity, from the top: the first line of an order
 * that happened has the largest quantity, and the walk stops once enough
 * lines are counted, not after the thousands a year holds of a product.
 */
int
store_history_sku_range(struct store *st, const char *sku,
    const struct store_history_cut *cut, long enough, long *lines_r,
    double *max_r, struct err *err)
{
	/* The orders that count as history, as store_history_foreach's
	 * (any customer's). */
	static const char sql[] =
	    "SELECT l.quantity"
	    " FROM order_lines l JOIN orders o ON o.id = l.order_id"
	    " WHERE l.sku = ?1"
	    "  AND o.status IN ('imported', 'accepted', 'shipped')"
	    "  AND (?2 = 0 OR o.message_id < ?2"
	    "   OR (o.message_id IS NULL AND o.order_date < ?3))"
	    " ORDER BY l.quantity DESC LIMIT ?4";
	sqlite3_stmt *stmt;
	int rc;

	*lines_r = 0;
	*max_r = 0;
	if ((stmt = store_stmt(st, sql, err)) == NULL)
		return -1;
	store_bind_text(stmt, 1, sku);
	sqlite3_bind_int64(stmt, 2, cut != NULL ? cut->before_msg : 0);
	store_bind_text(stmt, 3, cut != NULL ? cut->before_date : NULL);
	sqlite3_bind_int64(stmt, 4, enough);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		if ((*lines_r)++ == 0)
			*max_r = sqlite3_column_double(stmt, 0);
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE)
		return store_fail(st, err, "read the shop's history of a "
		    "product");
	return 0;
}

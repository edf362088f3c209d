/*
 * What the operator's screens read besides the orders themselves: a
 * customer's past orders, the catalog search, the last quantity taken,
 * and whether anything changed; see operator.h.  The actions themselves
 * are review/'s, over store/review.h.
 */
#include "config.h"

#include "store/mailbox.h"
#include "store/operator.h"
#include "store/store_int.h"

int
store_operator_history(struct store *st, const char *customer_id, int limit,
    store_operator_history_cb cb, void *arg, struct err *err)
{
	static const char sql[] =
	    "SELECT o.ref, o.order_date, o.status, (SELECT group_concat("
	    "  l.quantity || ' ' || coalesce(l.sku, '?'), ', ')"
	    "  FROM (SELECT * FROM order_lines WHERE order_id = o.id"
	    "  ORDER BY line_no) l)"
	    " FROM orders o WHERE o.customer_id = ?1"
	    " AND o.status IN ('imported', 'accepted', 'shipped')"
	    " ORDER BY o.order_date DESC, o.id DESC"
	    " LIMIT CASE WHEN ?2 > 0 THEN ?2 ELSE -1 END";
	sqlite3_stmt *s;

	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	store_bind_text(s, 1, customer_id);
	sqlite3_bind_int(s, 2, limit);
	return store_rows4(st, s, cb, arg, "read history", err);
}

int
store_operator_products_search(struct store *st, const char *words,
    int limit, store_operator_product_cb cb, void *arg, struct err *err)
{
	static const char sql[] =
	    "SELECT sku, name, unit FROM products WHERE active"
	    " AND (instr(lower(sku), lower(?1)) OR instr(lower(name), lower(?1))"
	    "  OR EXISTS (SELECT 1 FROM product_aliases a WHERE a.sku ="
	    "  products.sku AND a.customer_id = '' AND"
	    "  instr(a.alias, lower(?1))))"
	    " ORDER BY sku LIMIT ?2";
	sqlite3_stmt *s;

	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	store_bind_text(s, 1, words != NULL ? words : "");
	sqlite3_bind_int(s, 2, limit > 0 ? limit : 1000);
	return store_rows3(st, s, cb, arg, "search products", err);
}

int
store_operator_last_quantity(struct store *st, const char *customer_id,
    const char *sku, double *quantity_r, struct err *err)
{
	static const char sql[] =
	    "SELECT l.quantity FROM order_lines l JOIN orders o"
	    " ON o.id = l.order_id WHERE o.customer_id = ?1 AND l.sku = ?2"
	    " AND o.status IN ('imported', 'accepted', 'shipped')"
	    " ORDER BY o.order_date DESC, o.id DESC LIMIT 1";
	sqlite3_stmt *s;
	int rc;

	*quantity_r = 0;
	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	store_bind_text(s, 1, customer_id);
	store_bind_text(s, 2, sku);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		*quantity_r = sqlite3_column_double(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, err, "read history");
	return 0;
}

int
store_operator_data_version(struct store *st, int64_t *version_r,
    struct err *err)
{
	return store_data_version(st, version_r, err);
}

/*
 * The lines "same as last time" and "the usual" stand for; see basket.h.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "common/xmalloc.h"
#include "store/basket.h"
#include "store/customer.h"
#include "store/order.h"
#include "store/store_int.h"

/* What counts as a past order, as the operator's history shows them. */
#define BASKET_PAST "o.status IN ('imported', 'accepted', 'shipped')"

static int
basket_rows(struct store *st, sqlite3_stmt *s, store_basket_cb cb,
    void *arg, const char *what, struct err *err)
{
	int rc, stop = 0;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if ((stop = cb(arg, (const char *)sqlite3_column_text(s, 0),
		    sqlite3_column_double(s, 1))) != 0)
			break;
	sqlite3_reset(s);
	if (stop == 0 && rc != SQLITE_DONE)
		return store_fail(st, err, what);
	return stop == 0 ? 0 : stop;
}

int
store_basket_last(struct store *st, const char *customer_id,
    int64_t order_id, int64_t *id_r, char *ref_r, struct err *err)
{
	static const char sql[] =
	    "SELECT o.id, o.ref FROM orders o WHERE o.customer_id = ?1"
	    " AND o.id <> ?2 AND " BASKET_PAST
	    " ORDER BY o.order_date DESC, o.id DESC LIMIT 1";
	sqlite3_stmt *s;
	int rc;

	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	store_bind_text(s, 1, customer_id);
	sqlite3_bind_int64(s, 2, order_id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*id_r = sqlite3_column_int64(s, 0);
		snprintf(ref_r, STORE_REF_MAX, "%s",
		    (const char *)sqlite3_column_text(s, 1));
	}
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : store_fail(st, err, "find last order");
}

int
store_basket_order(struct store *st, const char *ref, int64_t *id_r,
    char *customer_r, struct err *err)
{
	static const char sql[] =
	    "SELECT id, coalesce(customer_id, '') FROM orders"
	    " WHERE ref = ?1 COLLATE NOCASE ORDER BY id LIMIT 1";
	sqlite3_stmt *s;
	int rc;

	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	store_bind_text(s, 1, ref);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*id_r = sqlite3_column_int64(s, 0);
		snprintf(customer_r, STORE_CUSTOMER_ID_MAX, "%s",
		    (const char *)sqlite3_column_text(s, 1));
	}
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : store_fail(st, err, "find order");
}

int
store_basket_lines(struct store *st, int64_t id, store_basket_cb cb,
    void *arg, struct err *err)
{
	static const char sql[] =
	    "SELECT sku, quantity FROM order_lines WHERE order_id = ?1"
	    " AND sku IS NOT NULL ORDER BY line_no";
	sqlite3_stmt *s;

	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	return basket_rows(st, s, cb, arg, "read order lines", err);
}

int
store_basket_usual(struct store *st, const char *customer_id,
    int64_t order_id, store_basket_cb cb, void *arg, struct err *err)
{
	/* rank: the recent orders, newest first (1). */
	static const char sql[] =
	    "WITH recent AS (SELECT o.id, row_number() OVER"
	    "  (ORDER BY o.order_date DESC, o.id DESC) AS rank"
	    "  FROM orders o WHERE o.customer_id = ?1 AND o.id <> ?2"
	    "  AND " BASKET_PAST " ORDER BY rank LIMIT ?3),"
	    " took AS (SELECT l.sku, l.quantity, r.rank, l.line_no"
	    "  FROM order_lines l JOIN recent r ON r.id = l.order_id"
	    "  WHERE l.sku IS NOT NULL),"
	    " kept AS (SELECT sku, count(DISTINCT rank) AS n,"
	    "  min(rank * 100000 + line_no) AS first FROM took GROUP BY sku"
	    "  HAVING 2 * count(DISTINCT rank) >= (SELECT count(*) FROM recent))"
	    " SELECT k.sku, (SELECT t.quantity FROM took t WHERE t.sku = k.sku"
	    "  GROUP BY t.quantity ORDER BY count(*) DESC, t.quantity DESC"
	    "  LIMIT 1) FROM kept k ORDER BY k.first";
	sqlite3_stmt *s;

	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	store_bind_text(s, 1, customer_id);
	sqlite3_bind_int64(s, 2, order_id);
	sqlite3_bind_int(s, 3, STORE_BASKET_RECENT);
	return basket_rows(st, s, cb, arg, "read the usual basket", err);
}

int
store_basket_has(struct store *st, int64_t id, const char *sku,
    struct err *err)
{
	static const char sql[] =
	    "SELECT 1 FROM order_lines WHERE order_id = ?1 AND sku = ?2";
	sqlite3_stmt *s;
	int rc;

	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, sku);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : store_fail(st, err, "read order line");
}

int
store_basket_line_sku(struct store *st, int64_t id, int line, char **sku_r,
    struct err *err)
{
	static const char sql[] =
	    "SELECT sku FROM order_lines WHERE order_id = ?1 AND line_no = ?2";
	sqlite3_stmt *s;
	const char *sku;
	int rc;

	*sku_r = NULL;
	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, line);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW &&
	    (sku = (const char *)sqlite3_column_text(s, 0)) != NULL)
		*sku_r = xstrdup(sku);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : store_fail(st, err, "read order line");
}

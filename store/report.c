/*
 * What `mailorder report` reads; see report.h.  Each walk names the
 * index that covers it (migration 6), so a change of plan shows up as an
 * error here rather than as a report that is slow on a big store.
 */
#include "config.h"

#include <stdlib.h>

#include "common/xmalloc.h"
#include "store/report.h"
#include "store/store_int.h"

/* One place for what the words of report.h mean in SQL. */
#define SALE		"o.status IN ('imported','accepted','shipped')"
#define IN_PERIOD	"o.order_date BETWEEN ?1 AND ?2"

#define COL(s, i) ((const char *)sqlite3_column_text((s), (i)))

/* Prepare sql with the period bound to ?1 and ?2. */
static sqlite3_stmt *
report_stmt(struct store *st, const char *sql, const char *since,
    const char *until, struct err *err)
{
	sqlite3_stmt *s;

	if ((s = store_stmt(st, sql, err)) == NULL)
		return NULL;
	store_bind_text(s, 1, since);
	store_bind_text(s, 2, until);
	return s;
}

/* Finish a walk: reset s and turn a step error into err. */
static int
report_done(struct store *st, sqlite3_stmt *s, int rc, int stop,
    const char *what, struct err *err)
{
	sqlite3_reset(s);
	if (stop == 0 && rc != SQLITE_DONE)
		return store_fail(st, err, what);
	return stop;
}

int
store_report_orders(struct store *st, const char *since, const char *until,
    store_report_order_cb cb, void *arg, struct err *err)
{
	static const char sql[] =
	    "SELECT o.id, o.order_date, o.status, o.customer_id, o.message_id"
	    " FROM orders o INDEXED BY orders_day WHERE " IN_PERIOD;
	struct store_report_order r;
	sqlite3_stmt *s;
	int rc, stop = 0;

	if ((s = report_stmt(st, sql, since, until, err)) == NULL)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		r.id = sqlite3_column_int64(s, 0);
		r.day = COL(s, 1);
		r.status = COL(s, 2);
		r.customer_id = COL(s, 3);
		r.message_id = sqlite3_column_int64(s, 4);
		if ((stop = cb(arg, &r)) != 0)
			break;
	}
	return report_done(st, s, rc, stop, "read the period's orders", err);
}

/* Bind the id range lo..hi to ?1 and ?2. */
static sqlite3_stmt *
report_range(struct store *st, const char *sql, int64_t lo, int64_t hi,
    struct err *err)
{
	sqlite3_stmt *s;

	if ((s = store_stmt(st, sql, err)) == NULL)
		return NULL;
	sqlite3_bind_int64(s, 1, lo);
	sqlite3_bind_int64(s, 2, hi);
	return s;
}

int
store_report_lines(struct store *st, int64_t lo, int64_t hi,
    store_report_qty_cb cb, void *arg, struct err *err)
{
	static const char sql[] =
	    "SELECT order_id, sku, quantity FROM order_lines"
	    " INDEXED BY order_lines_order WHERE order_id BETWEEN ?1 AND ?2";
	sqlite3_stmt *s;
	int rc, stop = 0;

	if ((s = report_range(st, sql, lo, hi, err)) == NULL)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if ((stop = cb(arg, sqlite3_column_int64(s, 0), COL(s, 1),
		    sqlite3_column_double(s, 2))) != 0)
			break;
	return report_done(st, s, rc, stop, "read order lines", err);
}

static int
report_codes(struct store *st, sqlite3_stmt *s, store_report_code_cb cb,
    void *arg, const char *what, struct err *err)
{
	int rc, stop = 0;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if ((stop = cb(arg, sqlite3_column_int64(s, 0),
		    COL(s, 1))) != 0)
			break;
	return report_done(st, s, rc, stop, what, err);
}

int
store_report_order_actions(struct store *st, int64_t lo, int64_t hi,
    store_report_code_cb cb, void *arg, struct err *err)
{
	static const char sql[] =
	    "SELECT order_id, action FROM audit_log INDEXED BY audit_log_order"
	    " WHERE order_id BETWEEN ?1 AND ?2";
	sqlite3_stmt *s;

	if ((s = report_range(st, sql, lo, hi, err)) == NULL)
		return -1;
	return report_codes(st, s, cb, arg, "read audit log", err);
}

int
store_report_order_flags(struct store *st, int64_t lo, int64_t hi,
    store_report_code_cb cb, void *arg, struct err *err)
{
	static const char sql[] =
	    "SELECT order_id, code FROM flags INDEXED BY flags_order"
	    " WHERE order_id BETWEEN ?1 AND ?2";
	sqlite3_stmt *s;

	if ((s = report_range(st, sql, lo, hi, err)) == NULL)
		return -1;
	return report_codes(st, s, cb, arg, "read flags", err);
}

static int
report_times(struct store *st, sqlite3_stmt *s, store_report_time_cb cb,
    void *arg, const char *what, struct err *err)
{
	int rc, stop = 0;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if ((stop = cb(arg, sqlite3_column_int64(s, 0),
		    COL(s, 1))) != 0)
			break;
	return report_done(st, s, rc, stop, what, err);
}

int
store_report_confirmations(struct store *st, int64_t lo, int64_t hi,
    store_report_time_cb cb, void *arg, struct err *err)
{
	/* The index orders an order's rows by sent_at. */
	static const char sql[] =
	    "SELECT order_id, sent_at FROM outbox"
	    " INDEXED BY outbox_order WHERE order_id BETWEEN ?1 AND ?2"
	    " AND kind = 'confirmation' AND state = 'sent'"
	    " AND sent_at IS NOT NULL";
	sqlite3_stmt *s;

	if ((s = report_range(st, sql, lo, hi, err)) == NULL)
		return -1;
	return report_times(st, s, cb, arg, "read confirmations", err);
}

int
store_report_arrivals(struct store *st, int64_t lo, int64_t hi,
    store_report_time_cb cb, void *arg, struct err *err)
{
	static const char sql[] =
	    "SELECT id, received_at FROM messages"
	    " INDEXED BY messages_arrival WHERE id BETWEEN ?1 AND ?2";
	sqlite3_stmt *s;

	if ((s = report_range(st, sql, lo, hi, err)) == NULL)
		return -1;
	return report_times(st, s, cb, arg, "read arrivals", err);
}

int
store_report_actions(struct store *st, const char *since, const char *until,
    store_report_action_cb cb, void *arg, struct err *err)
{
	static const char sql[] =
	    "SELECT substr(at, 1, 10) AS day, action, count(*) FROM audit_log"
	    " WHERE at >= ?1 AND at < date(?2, '+1 day')"
	    " GROUP BY day, action ORDER BY day, action";
	sqlite3_stmt *s;
	int rc, stop = 0;

	if ((s = report_stmt(st, sql, since, until, err)) == NULL)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if ((stop = cb(arg, COL(s, 0), COL(s, 1),
		    sqlite3_column_int64(s, 2))) != 0)
			break;
	return report_done(st, s, rc, stop, "count operator actions", err);
}

int
store_report_customer_lines(struct store *st, const char *customer_id,
    store_report_line_cb cb, void *arg, struct err *err)
{
	static const char sql[] =
	    "SELECT o.id, o.ref, o.order_date, o.status, l.line_no, l.sku,"
	    " p.name, l.quantity, l.unit"
	    " FROM orders o LEFT JOIN order_lines l ON l.order_id = o.id"
	    " LEFT JOIN products p ON p.sku = l.sku"
	    " WHERE o.customer_id = ?1 AND " SALE
	    " ORDER BY o.order_date, o.id, l.line_no";
	struct store_report_line r;
	sqlite3_stmt *s;
	int rc, stop = 0;

	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	store_bind_text(s, 1, customer_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		r.order_id = sqlite3_column_int64(s, 0);
		r.ref = COL(s, 1);
		r.date = COL(s, 2);
		r.status = COL(s, 3);
		r.line_no = sqlite3_column_int(s, 4);
		r.sku = COL(s, 5);
		r.name = COL(s, 6);
		r.quantity = sqlite3_column_double(s, 7);
		r.unit = COL(s, 8);
		if ((stop = cb(arg, &r)) != 0)
			break;
	}
	return report_done(st, s, rc, stop, "read customer's orders", err);
}

int
store_report_customer_name(struct store *st, const char *customer_id,
    char **name_r, struct err *err)
{
	static const char sql[] = "SELECT name FROM customers WHERE id = ?1";
	sqlite3_stmt *s;
	int rc;

	*name_r = NULL;
	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	store_bind_text(s, 1, customer_id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		*name_r = xstrdup(COL(s, 0) != NULL ? COL(s, 0) : "");
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, err, "read customer");
	return rc == SQLITE_ROW;
}

int
store_report_sale_days(struct store *st, const char *until,
    store_report_day_cb cb, void *arg, struct err *err)
{
	/* orders_customer (customer_id, order_date, status) covers it. */
	static const char sql[] =
	    "SELECT o.customer_id, o.order_date FROM orders o"
	    " INDEXED BY orders_customer"
	    " WHERE o.customer_id IS NOT NULL AND o.order_date <= ?1"
	    " AND " SALE " ORDER BY o.customer_id, o.order_date";
	sqlite3_stmt *s;
	int rc, stop = 0;

	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	store_bind_text(s, 1, until);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if ((stop = cb(arg, COL(s, 0), COL(s, 1))) != 0)
			break;
	return report_done(st, s, rc, stop, "read order days", err);
}

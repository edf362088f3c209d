/*
 * Orders as people read them; see query.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"
#include "common/xmalloc.h"
#include "store/outbox.h"
#include "store/query.h"
#include "store/store_int.h"

#define ORDER_ROW_SELECT \
	"SELECT o.id, o.ref, o.status, o.customer_id, c.name, m.from_addr," \
	" m.subject, o.created_at, o.po_number, o.requested_date," \
	" (SELECT group_concat(code, ',') FROM flags f" \
	"  WHERE f.order_id = o.id AND NOT f.resolved)," \
	" (SELECT count(*) FROM order_lines l WHERE l.order_id = o.id)," \
	" o.version" \
	" FROM orders o LEFT JOIN customers c ON c.id = o.customer_id" \
	" LEFT JOIN messages m ON m.id = o.message_id"

/* What a filter keeps; ?1 the status (canonical: the index serves it),
 * ?2 an open flag, ?3 the customer. */
#define ORDER_FILTER \
	" AND (?1 IS NULL OR o.status = ?1)" \
	" AND (?2 IS NULL OR EXISTS (SELECT 1 FROM flags f WHERE" \
	"  f.order_id = o.id AND f.code = ?2 COLLATE NOCASE" \
	"  AND NOT f.resolved))" \
	/* Filters match as a person types them: "acme" is ACME. */ \
	" AND (?3 IS NULL OR o.customer_id = ?3 COLLATE NOCASE)"

/* A complaint waiting for a person comes first, then the oldest. */
#define ORDER_ORDER \
	" ORDER BY (o.status = 'flagged' AND o.complaint) DESC," \
	"  o.created_at, o.id"

/*
 * The newest ?4 orders that match (a negative ?4: all), by id, which is
 * arrival order: a year of orders is listed without reading it all.
 * Only the filters given are written in, each as an equality an index
 * serves (orders_status, orders_customer, flags_open_code).  Written as
 * ORDER_FILTER's "?1 IS NULL OR ..." no index could serve them, and the
 * newest orders were read one by one until enough matched: all 500,000
 * of a year for a customer with three orders, or for the 66 flagged.
 */
#define ORDERS_NEWEST_HEAD \
	ORDER_ROW_SELECT " WHERE o.id IN (SELECT o.id FROM orders o" \
	"  WHERE o.message_id IS NOT NULL"
#define ORDERS_NEWEST_STATUS	" AND o.status = ?1"
#define ORDERS_NEWEST_FLAG \
	" AND o.id IN (SELECT order_id FROM flags WHERE code = lower(?2)" \
	"  AND NOT resolved)"
#define ORDERS_NEWEST_CUSTOMER \
	" AND o.customer_id IN (SELECT id FROM customers" \
	"  WHERE id = ?3 COLLATE NOCASE)"
#define ORDERS_NEWEST_TAIL	" ORDER BY o.id DESC LIMIT ?4)" ORDER_ORDER

/* What waits for a person, from the status index and the reply flags,
 * not from every order there is. */
static const char SQL_ORDERS_WAITING[] =
	ORDER_ROW_SELECT
	" WHERE o.id IN (SELECT id FROM orders WHERE status = 'flagged'"
	"  UNION SELECT order_id FROM flags WHERE NOT resolved"
	"  AND code IN ('" STORE_OUTBOX_HELD "', '" STORE_OUTBOX_FLAG "'))"
	ORDER_FILTER
	ORDER_ORDER;

/* From the counts the triggers keep (migration 10), not from the
 * orders. */
static const char SQL_STATUS_COUNTS[] =
	"SELECT status, n FROM order_status_counts"
	" WHERE status <> 'imported' AND n > 0 ORDER BY status";

static const char SQL_ORDER[] = ORDER_ROW_SELECT " WHERE o.id = ?1";

static const char *
col_text(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

static int
query_rows(struct store *st, sqlite3_stmt *s, store_order_row_cb cb,
    void *arg, struct err *err, int *n_r)
{
	struct store_order_row r;
	int rc, stop = 0;

	*n_r = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		r.id = sqlite3_column_int64(s, 0);
		r.ref = col_text(s, 1);
		r.status = col_text(s, 2);
		r.customer_id = col_text(s, 3);
		r.customer_name = col_text(s, 4);
		r.from_addr = col_text(s, 5);
		r.subject = col_text(s, 6);
		r.created_at = col_text(s, 7);
		r.po_number = col_text(s, 8);
		r.requested_date = col_text(s, 9);
		r.flag_codes = col_text(s, 10);
		r.nlines = sqlite3_column_int(s, 11);
		r.version = sqlite3_column_int(s, 12);
		(*n_r)++;
		if ((stop = cb(arg, &r)) != 0)
			break;
	}
	sqlite3_reset(s);
	if (stop == 0 && rc != SQLITE_DONE)
		return store_fail(st, err, "read orders");
	return stop;
}

const char *const store_order_statuses[] = {
	"accepted", "flagged", "ignored", "imported", "rejected", "shipped",
	NULL
};

/* The statement is made for the filters given (see ORDERS_NEWEST_HEAD),
 * so it is prepared for the call, not kept. */
static int
orders_newest(struct store *st, const struct store_order_filter *f,
    const char *status, store_order_row_cb cb, void *arg, struct err *err)
{
	struct buf sql;
	sqlite3_stmt *s;
	int n, rc;

	buf_init(&sql, BUF_NOLIMIT);
	buf_adds(&sql, ORDERS_NEWEST_HEAD);
	if (status != NULL)
		buf_adds(&sql, ORDERS_NEWEST_STATUS);
	if (f->flag != NULL)
		buf_adds(&sql, ORDERS_NEWEST_FLAG);
	if (f->customer != NULL)
		buf_adds(&sql, ORDERS_NEWEST_CUSTOMER);
	buf_adds(&sql, ORDERS_NEWEST_TAIL);
	rc = sqlite3_prepare_v2(st->db, buf_str(&sql), -1, &s, NULL);
	buf_release(&sql);
	if (rc != SQLITE_OK)
		return store_fail(st, err, "prepare");
	store_bind_text(s, 1, status);
	store_bind_text(s, 2, f->flag);
	store_bind_text(s, 3, f->customer);
	sqlite3_bind_int64(s, 4, f->limit > 0 ? f->limit : -1);
	rc = query_rows(st, s, cb, arg, err, &n);
	sqlite3_finalize(s);
	return rc;
}

int
store_orders_foreach(struct store *st, const struct store_order_filter *f,
    store_order_row_cb cb, void *arg, struct err *err)
{
	sqlite3_stmt *s;
	int n;

	const char *status = f->status;
	size_t i;

	/* The status as stored, so that the index serves it. */
	for (i = 0; status != NULL && store_order_statuses[i] != NULL; i++)
		if (strcasecmp(status, store_order_statuses[i]) == 0)
			status = store_order_statuses[i];
	if (!f->waiting)
		return orders_newest(st, f, status, cb, arg, err);
	if ((s = store_stmt(st, SQL_ORDERS_WAITING, err)) == NULL)
		return -1;
	store_bind_text(s, 1, status);
	store_bind_text(s, 2, f->flag);
	store_bind_text(s, 3, f->customer);
	return query_rows(st, s, cb, arg, err, &n);
}

int
store_order_status_counts(struct store *st, store_status_count_cb cb,
    void *arg, struct err *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((s = store_stmt(st, SQL_STATUS_COUNTS, err)) == NULL)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (cb(arg, col_text(s, 0), (long)sqlite3_column_int64(s,
		    1)) != 0) {
			sqlite3_reset(s);
			return 0;
		}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, err, "count orders");
}

int
store_order_row(struct store *st, int64_t id, store_order_row_cb cb,
    void *arg, struct err *err)
{
	sqlite3_stmt *s;
	int n, rc;

	if ((s = store_stmt(st, SQL_ORDER, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if ((rc = query_rows(st, s, cb, arg, err, &n)) == -1)
		return -1;
	return n > 0;
}

static const char SQL_LINES[] =
	"SELECT l.line_no, l.sku, p.name, l.quantity, l.unit, l.text, l.rule"
	" FROM order_lines l LEFT JOIN products p ON p.sku = l.sku"
	" WHERE l.order_id = ?1 ORDER BY l.line_no";

int
store_order_lines(struct store *st, int64_t id, store_line_cb cb, void *arg,
    struct err *err)
{
	sqlite3_stmt *s;
	int rc, stop = 0;

	if ((s = store_stmt(st, SQL_LINES, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if ((stop = cb(arg, sqlite3_column_int(s, 0), col_text(s, 1),
		    col_text(s, 2), sqlite3_column_double(s, 3),
		    col_text(s, 4), col_text(s, 5), col_text(s, 6))) != 0)
			break;
	sqlite3_reset(s);
	if (stop == 0 && rc != SQLITE_DONE)
		return store_fail(st, err, "read order lines");
	return stop;
}

static const char SQL_FLAGS[] =
	"SELECT f.id, f.code, f.text, f.line_no, f.resolved FROM flags f"
	" WHERE f.order_id = ?1 ORDER BY f.id";
static const char SQL_CANDS[] =
	"SELECT c.rank, c.sku, p.name, c.score FROM flag_candidates c"
	" LEFT JOIN products p ON p.sku = c.sku WHERE c.flag_id = ?1"
	" ORDER BY c.rank";

int
store_order_flags(struct store *st, int64_t id, store_flag_cb fcb,
    store_candidate_cb ccb, void *arg, struct err *err)
{
	sqlite3_stmt *s, *c;
	int rc, rc2, stop = 0;

	if ((s = store_stmt(st, SQL_FLAGS, err)) == NULL ||
	    (c = store_stmt(st, SQL_CANDS, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	while (stop == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *code = col_text(s, 1);

		stop = fcb(arg, code, col_text(s, 2),
		    sqlite3_column_type(s, 3) == SQLITE_NULL ? 0 :
		    sqlite3_column_int(s, 3), sqlite3_column_int(s, 4));
		if (stop != 0 || ccb == NULL)
			continue;
		sqlite3_reset(c);
		sqlite3_bind_int64(c, 1, sqlite3_column_int64(s, 0));
		while ((rc2 = sqlite3_step(c)) == SQLITE_ROW)
			if ((stop = ccb(arg, code, sqlite3_column_int(c, 0),
			    col_text(c, 1), col_text(c, 2),
			    sqlite3_column_double(c, 3))) != 0)
				break;
		if (stop == 0 && rc2 != SQLITE_DONE) {
			sqlite3_reset(c);
			sqlite3_reset(s);
			return store_fail(st, err, "read flag candidates");
		}
		sqlite3_reset(c);
	}
	sqlite3_reset(s);
	if (stop == 0 && rc != SQLITE_DONE)
		return store_fail(st, err, "read flags");
	return stop;
}

static const char SQL_TEXT[] =
	"SELECT m.body_text FROM orders o JOIN messages m ON m.id = o.message_id"
	" WHERE o.id = ?1";

int
store_order_text(struct store *st, int64_t id, char **text_r, struct err *err)
{
	sqlite3_stmt *s;
	int rc;

	*text_r = NULL;
	if ((s = store_stmt(st, SQL_TEXT, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && col_text(s, 0) != NULL)
		*text_r = xstrdup(col_text(s, 0));
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, err, "read order text");
	return 0;
}

/*
 * Export's queries and the --new cursor; see export.h.
 */
#include "config.h"

#include <string.h>

#include "common/xmalloc.h"
#include "store/export.h"
#include "store/store_int.h"

#define COL(s, i) ((const char *)sqlite3_column_text((s), (i)))

/* The statuses go in as one JSON array, so the statement stays one
 * cached statement whatever the list. */
static void
export_bind_statuses(sqlite3_stmt *s, int idx, const char *const *v)
{
	char buf[512];
	size_t len = 0, i;

	buf[len++] = '[';
	for (i = 0; v != NULL && v[i] != NULL; i++) {
		size_t n = strlen(v[i]);

		if (len + n + 4 >= sizeof(buf))
			break;	/* statuses are a handful of short words */
		if (i)
			buf[len++] = ',';
		buf[len++] = '"';
		memcpy(buf + len, v[i], n);	/* checked against the list */
		len += n;
		buf[len++] = '"';
	}
	buf[len++] = ']';
	sqlite3_bind_text(s, idx, buf, (int)len, SQLITE_TRANSIENT);
}

int
store_export_select(struct store *st, const struct store_export_filter *f,
    store_export_order_cb cb, void *arg, struct err *err)
{
	static const char sql[] =
	    "SELECT o.id, o.version FROM orders o"
	    " WHERE o.message_id IS NOT NULL"
	    " AND (?1 IS NULL OR o.order_date >= ?1)"
	    " AND (?2 IS NULL OR o.order_date <= ?2)"
	    " AND o.status IN (SELECT value FROM json_each(?3))"
	    " AND (?4 IS NULL OR NOT EXISTS (SELECT 1 FROM export_items i"
	    "  JOIN export_runs r ON r.id = i.run_id WHERE i.order_id = o.id"
	    "  AND i.version >= o.version AND r.format = ?4))"
	    " ORDER BY o.id";
	sqlite3_stmt *s;
	int rc, stop = 0;

	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	store_bind_text(s, 1, f->since);
	store_bind_text(s, 2, f->until);
	export_bind_statuses(s, 3, f->statuses);
	store_bind_text(s, 4, f->new_for);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if ((stop = cb(arg, sqlite3_column_int64(s, 0),
		    sqlite3_column_int(s, 1))) != 0)
			break;
	sqlite3_reset(s);
	if (stop == 0 && rc != SQLITE_DONE)
		return store_fail(st, err, "select orders to export");
	return stop;
}

/* "carrier tracking" as the ship action notes it (a tracking number has
 * no spaces, a carrier may): the carrier into buf, the tracking number's
 * place in note; NULL when the note is not one. */
static const char *
shipment_split(const char *note, char *buf, size_t n)
{
	const char *sp;

	if (note == NULL || (sp = strrchr(note, ' ')) == NULL ||
	    (size_t)(sp - note) >= n)
		return NULL;
	memcpy(buf, note, (size_t)(sp - note));
	buf[sp - note] = '\0';
	return sp + 1;
}

int
store_order_shipment(struct store *st, int64_t id, char **carrier_r,
    char **tracking_r, struct err *err)
{
	static const char sql[] =
	    "SELECT json_extract(a.detail, '$.note') FROM audit_log a"
	    " JOIN orders o ON o.id = a.order_id AND o.status = 'shipped'"
	    " WHERE a.order_id = ?1 AND a.action = 'ship'"
	    " ORDER BY a.id DESC LIMIT 1";
	sqlite3_stmt *s;
	const char *tracking = NULL;
	char carrier[256];
	int rc;

	*carrier_r = *tracking_r = NULL;
	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW &&
	    (tracking = shipment_split(COL(s, 0), carrier,
	    sizeof(carrier))) != NULL) {
		*carrier_r = xstrdup(carrier);
		*tracking_r = xstrdup(tracking);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, err, "read shipment");
	return *carrier_r != NULL;
}

int
store_export_head(struct store *st, int64_t id, store_export_head_cb cb,
    void *arg, struct err *err)
{
	/* Carrier and tracking are the note of the ship action that is
	 * still in force ("carrier tracking"; a tracking number has no
	 * spaces, a carrier may). */
	static const char sql[] =
	    "SELECT o.id, o.ref, o.status, o.version, m.received_at,"
	    " o.order_date, o.customer_id, c.name, m.from_addr, m.subject,"
	    " o.po_number, o.requested_date, s.note FROM orders o"
	    " LEFT JOIN messages m ON m.id = o.message_id"
	    " LEFT JOIN customers c ON c.id = o.customer_id"
	    " LEFT JOIN (SELECT json_extract(a.detail, '$.note') AS note"
	    "  FROM audit_log a WHERE a.order_id = ?1 AND a.action = 'ship'"
	    "  ORDER BY a.id DESC LIMIT 1) s ON o.status = 'shipped'"
	    " WHERE o.id = ?1";
	struct store_export_head h;
	sqlite3_stmt *s;
	char carrier[256];
	int rc, ret = 0;

	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&h, 0, sizeof(h));
		h.id = sqlite3_column_int64(s, 0);
		h.ref = COL(s, 1);
		h.status = COL(s, 2);
		h.version = sqlite3_column_int(s, 3);
		h.received_at = COL(s, 4);
		h.order_date = COL(s, 5);
		h.customer_id = COL(s, 6);
		h.customer_name = COL(s, 7);
		h.from_addr = COL(s, 8);
		h.subject = COL(s, 9);
		h.po_number = COL(s, 10);
		h.requested_date = COL(s, 11);
		if ((h.tracking = shipment_split(COL(s, 12), carrier,
		    sizeof(carrier))) != NULL)
			h.carrier = carrier;
		ret = cb(arg, &h);
		ret = ret == 0 ? 1 : ret;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, err, "read order to export");
	return ret;
}

int
store_export_run_new(struct store *st, const char *format, const char *dir,
    int64_t *run_id_r, struct err *err)
{
	static const char sql[] =
	    "INSERT INTO export_runs (format, dir) VALUES (?1, ?2)";
	sqlite3_stmt *s;

	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	store_bind_text(s, 1, format);
	store_bind_text(s, 2, dir);
	if (store_step_done(st, s, err, "record export run") == -1)
		return -1;
	*run_id_r = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int
store_export_item_add(struct store *st, int64_t run_id, int64_t order_id,
    int version, struct err *err)
{
	static const char sql[] =
	    "INSERT INTO export_items (run_id, order_id, version)"
	    " VALUES (?1, ?2, ?3)";
	sqlite3_stmt *s;

	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, run_id);
	sqlite3_bind_int64(s, 2, order_id);
	sqlite3_bind_int(s, 3, version);
	return store_step_done(st, s, err, "record exported order");
}

int
store_export_file_add(struct store *st, int64_t run_id, const char *name,
    const void *body, size_t len, struct err *err)
{
	static const char sql[] =
	    "INSERT INTO export_files (run_id, name, body) VALUES (?1, ?2, ?3)";
	sqlite3_stmt *s;

	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, run_id);
	store_bind_text(s, 2, name);
	sqlite3_bind_blob64(s, 3, len ? body : "", len, SQLITE_TRANSIENT);
	return store_step_done(st, s, err, "record export file");
}

int
store_export_runs_open(struct store *st, const char *format,
    store_export_run_cb cb, void *arg, struct err *err)
{
	static const char sql[] =
	    "SELECT id, dir FROM export_runs WHERE format = ?1"
	    " AND done_at IS NULL ORDER BY id";
	sqlite3_stmt *s;
	int rc, stop = 0;

	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	store_bind_text(s, 1, format);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if ((stop = cb(arg, sqlite3_column_int64(s, 0),
		    COL(s, 1))) != 0)
			break;
	sqlite3_reset(s);
	if (stop == 0 && rc != SQLITE_DONE)
		return store_fail(st, err, "read export runs");
	return stop;
}

int
store_export_run_files(struct store *st, int64_t run_id,
    store_export_file_cb cb, void *arg, struct err *err)
{
	static const char sql[] =
	    "SELECT name, body FROM export_files WHERE run_id = ?1"
	    " ORDER BY name";
	sqlite3_stmt *s;
	int rc, stop = 0;

	if ((s = store_stmt(st, sql, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, run_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if ((stop = cb(arg, COL(s, 0), sqlite3_column_blob(s, 1),
		    (size_t)sqlite3_column_bytes(s, 1))) != 0)
			break;
	sqlite3_reset(s);
	if (stop == 0 && rc != SQLITE_DONE)
		return store_fail(st, err, "read export files");
	return stop;
}

int
store_export_run_done(struct store *st, int64_t run_id, struct err *err)
{
	static const char done[] =
	    "UPDATE export_runs SET done_at = strftime('%Y-%m-%dT%H:%M:%SZ',"
	    " 'now') WHERE id = ?1 AND done_at IS NULL";
	static const char drop[] = "DELETE FROM export_files WHERE run_id = ?1";
	sqlite3_stmt *s;

	if (store_begin(st, err) == -1)
		return -1;
	if ((s = store_stmt(st, done, err)) == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, run_id);
	if (store_step_done(st, s, err, "finish export run") == -1 ||
	    (s = store_stmt(st, drop, err)) == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, run_id);
	if (store_step_done(st, s, err, "drop export files") == -1)
		goto fail;
	return store_commit(st, err);
fail:
	store_rollback(st);
	return -1;
}

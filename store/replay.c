/*
 * The stored messages `mailorder replay` re-runs, and the engine's first
 * reading of each.  That reading is the parse_json recorded with the
 * message (the `parse --json` line), read with SQLite's JSON functions,
 * so an operator's later corrections to the order do not count as a
 * change the rules made.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "store/replay.h"
#include "store/store_int.h"

static const char SQL_REPLAY_IDS[] =
	"SELECT m.id FROM messages m"
	" WHERE m.state = 'done' AND m.parse_json IS NOT NULL"
	" AND (?1 IS NULL OR m.received_at >= ?1)"
	" AND (?2 IS NULL"
	"  OR json_extract(m.parse_json, '$.customer') = ?2 COLLATE NOCASE"
	"  OR EXISTS (SELECT 1 FROM orders o WHERE o.message_id = m.id"
	"   AND o.customer_id = ?2 COLLATE NOCASE))"
	" ORDER BY m.id";

int
store_replay_ids(struct store *st, const char *since, const char *customer,
    int64_t **ids_r, size_t *n_r, struct err *err)
{
	sqlite3_stmt *s;
	size_t cap = 0;
	int rc;

	*ids_r = NULL;
	*n_r = 0;
	if ((s = store_stmt(st, SQL_REPLAY_IDS, err)) == NULL)
		return -1;
	store_bind_text(s, 1, since);
	store_bind_text(s, 2, customer);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n_r == cap) {
			cap = cap ? cap * 2 : 64;
			*ids_r = xreallocarray(*ids_r, cap, sizeof(**ids_r));
		}
		(*ids_r)[(*n_r)++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		free(*ids_r);
		*ids_r = NULL;
		*n_r = 0;
		return store_fail(st, err, "list messages to replay");
	}
	return 0;
}

static char *
column_dup(sqlite3_stmt *s, int col)
{
	const unsigned char *t = sqlite3_column_text(s, col);

	return t != NULL ? xstrdup((const char *)t) : NULL;
}

static const char SQL_REPLAY_MSG[] =
	"SELECT m.received_at, m.subject,"
	" json_extract(m.parse_json, '$.status'),"
	" json_extract(m.parse_json, '$.customer'),"
	" (SELECT o.ref FROM orders o WHERE o.message_id = m.id"
	"  ORDER BY o.id LIMIT 1)"
	" FROM messages m WHERE m.id = ?1 AND m.parse_json IS NOT NULL";

static const char SQL_REPLAY_LINES[] =
	"SELECT json_extract(l.value, '$.sku'),"
	" json_extract(l.value, '$.quantity'),"
	" json_extract(l.value, '$.text')"
	" FROM messages m, json_each(m.parse_json, '$.lines') l"
	" WHERE m.id = ?1 ORDER BY l.key";

static int
replay_lines(struct store *st, struct store_replay_msg *m, struct err *err)
{
	struct store_replay_line *l;
	sqlite3_stmt *s;
	size_t cap = 0;
	int rc;

	if ((s = store_stmt(st, SQL_REPLAY_LINES, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, m->id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (m->nlines == cap) {
			cap = cap ? cap * 2 : 8;
			m->lines = xreallocarray(m->lines, cap,
			    sizeof(*m->lines));
		}
		l = &m->lines[m->nlines++];
		l->sku = column_dup(s, 0);
		l->quantity = sqlite3_column_double(s, 1);
		l->text = column_dup(s, 2);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, err, "read a stored reading");
	return 0;
}

int
store_replay_msg(struct store *st, int64_t id, struct store_replay_msg *m,
    struct err *err)
{
	sqlite3_stmt *s;
	int rc;

	memset(m, 0, sizeof(*m));
	if ((s = store_stmt(st, SQL_REPLAY_MSG, err)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW) {
		sqlite3_reset(s);
		if (rc == SQLITE_DONE)
			return err_set(err, ERR_MSG, "message %lld has no "
			    "stored reading", (long long)id);
		return store_fail(st, err, "read a stored message");
	}
	m->id = id;
	m->received_at = column_dup(s, 0);
	m->subject = column_dup(s, 1);
	m->status = column_dup(s, 2);
	m->customer = column_dup(s, 3);
	m->order_ref = column_dup(s, 4);
	sqlite3_reset(s);
	if (m->status == NULL)
		m->status = xstrdup("unknown");
	if (replay_lines(st, m, err) == -1) {
		store_replay_msg_release(m);
		return -1;
	}
	return 0;
}

void
store_replay_msg_release(struct store_replay_msg *m)
{
	size_t i;

	for (i = 0; i < m->nlines; i++) {
		free(m->lines[i].sku);
		free(m->lines[i].text);
	}
	free(m->lines);
	free(m->received_at);
	free(m->subject);
	free(m->status);
	free(m->customer);
	free(m->order_ref);
	memset(m, 0, sizeof(*m));
}

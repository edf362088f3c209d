/*
 * Raw mail retention; see store/retention.h.
 */
#include "config.h"

#include <stdio.h>

#include "store/retention.h"
#include "store/store_int.h"

#define RETENTION_BATCH	500	/* rows per write transaction */

/* One batch; *n_r gets how many rows went. */
static int
retention_batch(struct store *st, const char *cutoff, int64_t *n_r,
    struct err *err)
{
	static const char sql[] =
	    "DELETE FROM message_raw WHERE message_id IN ("
	    " SELECT r.message_id FROM message_raw r"
	    " JOIN messages m ON m.id = r.message_id"
	    " WHERE m.state IN ('done', 'failed') AND m.received_at < ?1"
	    " LIMIT ?2)";
	sqlite3_stmt *stmt;

	if (store_begin(st, err) == -1)
		return -1;
	if ((stmt = store_stmt(st, sql, err)) == NULL) {
		store_rollback(st);
		return -1;
	}
	store_bind_text(stmt, 1, cutoff);
	sqlite3_bind_int(stmt, 2, RETENTION_BATCH);
	if (store_step_done(st, stmt, err, "purge raw mail") == -1) {
		store_rollback(st);
		return -1;
	}
	*n_r = sqlite3_changes(st->db);
	return store_commit(st, err);
}

int
store_purge_raw(struct store *st, long days, time_t now, int64_t *purged_r,
    struct err *err)
{
	char cutoff[32];
	time_t t = now - (time_t)days * 86400;
	struct tm tm;
	int64_t n;

	*purged_r = 0;
	gmtime_r(&t, &tm);
	strftime(cutoff, sizeof(cutoff), "%Y-%m-%dT%H:%M:%SZ", &tm);
	do {
		if (retention_batch(st, cutoff, &n, err) == -1)
			return -1;
		*purged_r += n;
	} while (n == RETENTION_BATCH);
	return 0;
}

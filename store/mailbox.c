/*
 * Mailbox cursors and the catalog version; see mailbox.h.
 */
#include "config.h"

#include "store/mailbox.h"
#include "store/store_int.h"

static const char SQL_CURSOR_GET[] =
	"SELECT next_uid FROM imap_cursors WHERE mailbox = ?1 AND"
	" uidvalidity = ?2";
static const char SQL_CURSOR_SET[] =
	"INSERT INTO imap_cursors (mailbox, uidvalidity, next_uid)"
	" VALUES (?1, ?2, ?3) ON CONFLICT (mailbox) DO UPDATE SET"
	" uidvalidity = excluded.uidvalidity, next_uid = excluded.next_uid";
static const char SQL_CATALOG_VERSION[] =
	"SELECT value FROM store_meta WHERE key = 'catalog_version'";

int
store_cursor_get(struct store *st, const char *mailbox, uint32_t uidvalidity,
    uint32_t *next_uid_r, struct err *err)
{
	sqlite3_stmt *s;
	int rc;

	*next_uid_r = 1;
	if ((s = store_stmt(st, SQL_CURSOR_GET, err)) == NULL)
		return -1;
	store_bind_text(s, 1, mailbox);
	sqlite3_bind_int64(s, 2, uidvalidity);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*next_uid_r = (uint32_t)sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, err, "read mailbox cursor");
	return 0;
}

int
store_cursor_set(struct store *st, const char *mailbox, uint32_t uidvalidity,
    uint32_t next_uid, struct err *err)
{
	sqlite3_stmt *s;

	if ((s = store_stmt(st, SQL_CURSOR_SET, err)) == NULL)
		return -1;
	store_bind_text(s, 1, mailbox);
	sqlite3_bind_int64(s, 2, uidvalidity);
	sqlite3_bind_int64(s, 3, next_uid);
	return store_step_done(st, s, err, "save mailbox cursor");
}

int
store_catalog_version(struct store *st, int64_t *version_r, struct err *err)
{
	return store_query_ints(st, SQL_CATALOG_VERSION, version_r, 1,
	    "read catalog version", err);
}

static const char SQL_HISTORY_VERSION[] =
	"SELECT value FROM store_meta WHERE key = 'history_version'";

int
store_history_version(struct store *st, int64_t *version_r, struct err *err)
{
	return store_query_ints(st, SQL_HISTORY_VERSION, version_r, 1,
	    "read history version", err);
}

static const char SQL_DATA_VERSION[] = "PRAGMA data_version";

int
store_data_version(struct store *st, int64_t *version_r, struct err *err)
{
	return store_query_ints(st, SQL_DATA_VERSION, version_r, 1,
	    "read data version", err);
}

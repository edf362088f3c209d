/*
 * Opening the database, migrations, transactions and the statement cache.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/log.h"
#include "common/qty.h"
#include "common/xmalloc.h"
#include "store/store_int.h"

static int
store_exec(struct store *st, const char *sql, struct err *err)
{
	char *msg = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		int code = sqlite3_errcode(st->db);

		err_set(err, code == SQLITE_BUSY || code == SQLITE_LOCKED ?
		    ERR_TEMP : ERR_FATAL, "'%s': %s", st->path,
		    msg ? msg : sqlite3_errstr(code));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int
store_fail(struct store *st, struct err *err, const char *what)
{
	int code = sqlite3_extended_errcode(st->db);
	int prim = code & 0xff;
	enum err_class cls = ERR_FATAL;

	if (prim == SQLITE_BUSY || prim == SQLITE_LOCKED)
		cls = ERR_TEMP;
	else if (prim == SQLITE_CONSTRAINT)
		/* The data breaks a rule of the schema: a person's data
		 * (an import), or a bug; never the email's fault. */
		cls = ERR_INPUT;
	return err_set(err, cls, "%s: %s", what, sqlite3_errmsg(st->db));
}

sqlite3_stmt *
store_stmt(struct store *st, const char *sql, struct err *err)
{
	struct store_stmt_slot *free_slot = NULL;
	sqlite3_stmt *stmt;
	size_t i;

	for (i = 0; i < STORE_STMT_CACHE; i++) {
		if (st->cache[i].sql == sql) {
			sqlite3_reset(st->cache[i].stmt);
			sqlite3_clear_bindings(st->cache[i].stmt);
			return st->cache[i].stmt;
		}
		if (st->cache[i].sql == NULL && free_slot == NULL)
			free_slot = &st->cache[i];
	}
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &stmt, NULL) != SQLITE_OK) {
		store_fail(st, err, "prepare");
		return NULL;
	}
	if (free_slot == NULL) {
		/* Cache full: should not happen with a fixed set of call
		 * sites; evict the first slot rather than leak. */
		free_slot = &st->cache[0];
		sqlite3_finalize(free_slot->stmt);
	}
	free_slot->sql = sql;
	free_slot->stmt = stmt;
	return stmt;
}

int
store_bind_text(sqlite3_stmt *stmt, int idx, const char *s)
{
	if (s == NULL)
		return sqlite3_bind_null(stmt, idx);
	return sqlite3_bind_text(stmt, idx, s, -1, SQLITE_TRANSIENT);
}

int
store_bind_qty(sqlite3_stmt *stmt, int idx, double q)
{
	q = qty_round(q);
	if (qty_is_whole(q))
		return sqlite3_bind_int64(stmt, idx, (sqlite3_int64)q);
	return sqlite3_bind_double(stmt, idx, q);
}

int
store_step_done(struct store *st, sqlite3_stmt *stmt, struct err *err,
    const char *what)
{
	int rc = sqlite3_step(stmt);

	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_fail(st, err, what);
	return 0;
}

#define COL(s, i) ((const char *)sqlite3_column_text((s), (i)))

int
store_rows4(struct store *st, sqlite3_stmt *s, store_row4_cb *cb, void *arg,
    const char *what, struct err *err)
{
	int rc, stop = 0;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if ((stop = cb(arg, COL(s, 0), COL(s, 1), COL(s, 2),
		    COL(s, 3))) != 0)
			break;
	sqlite3_reset(s);
	if (stop == 0 && rc != SQLITE_DONE)
		return store_fail(st, err, what);
	return stop;
}

struct rows3 {
	store_row3_cb	*cb;
	void		*arg;
};

static int
rows3_call(void *arg, const char *a, const char *b, const char *c,
    const char *unused)
{
	struct rows3 *r = arg;

	(void)unused;	/* a column past the end reads as NULL */
	return r->cb(r->arg, a, b, c);
}

int
store_rows3(struct store *st, sqlite3_stmt *s, store_row3_cb *cb, void *arg,
    const char *what, struct err *err)
{
	struct rows3 r = { cb, arg };

	return store_rows4(st, s, rows3_call, &r, what, err);
}

struct strings {
	char	**v;
	size_t	  n;
};

static int
strings_add(void *arg, const char *a, const char *unused1,
    const char *unused2)
{
	struct strings *l = arg;

	(void)unused1;
	(void)unused2;
	l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = xstrdup(a != NULL ? a : "");
	return 0;
}

int
store_strings(struct store *st, sqlite3_stmt *s, char ***v_r, size_t *n_r,
    const char *what, struct err *err)
{
	struct strings l = { NULL, 0 };

	if (store_rows3(st, s, strings_add, &l, what, err) == -1) {
		store_strings_free(l.v, l.n);
		return -1;
	}
	*v_r = l.v;
	*n_r = l.n;
	return 0;
}

int
store_drop_unlisted(struct store *st, const char *list_sql,
    const char *del_sql, const char *key, char *const *keep, size_t n,
    int *changed_r, struct err *err)
{
	sqlite3_stmt *stmt;
	char **old;
	size_t nold, i;
	int rc = 0;

	if ((stmt = store_stmt(st, list_sql, err)) == NULL)
		return -1;
	store_bind_text(stmt, 1, key);
	if (store_strings(st, stmt, &old, &nold, "read rows", err) == -1)
		return -1;
	for (i = 0; i < nold && rc == 0; i++) {
		if (store_listed(keep, n, old[i]))
			continue;
		if ((stmt = store_stmt(st, del_sql, err)) == NULL) {
			rc = -1;
			break;
		}
		store_bind_text(stmt, 1, old[i]);
		store_bind_text(stmt, 2, key);
		rc = store_step_done(st, stmt, err, "drop row");
		*changed_r += sqlite3_changes(st->db);
	}
	store_strings_free(old, nold);
	return rc;
}

int
store_listed(char *const *v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

void
store_strings_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int
store_exists(struct store *st, const char *sql, const char *key,
    const char *what, struct err *err)
{
	sqlite3_stmt *stmt;
	int rc;

	if ((stmt = store_stmt(st, sql, err)) == NULL)
		return -1;
	store_bind_text(stmt, 1, key);
	rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return store_fail(st, err, what);
}

int
store_query_ints(struct store *st, const char *sql, int64_t *v, int n,
    const char *what, struct err *err)
{
	sqlite3_stmt *stmt;
	int rc, i;

	for (i = 0; i < n; i++)
		v[i] = 0;
	if ((stmt = store_stmt(st, sql, err)) == NULL)
		return -1;
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		for (i = 0; i < n; i++)
			v[i] = sqlite3_column_int64(stmt, i);
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, err, what);
	return 0;
}

static int
store_user_version(struct store *st)
{
	sqlite3_stmt *stmt;
	int v = -1;

	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &stmt,
	    NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return v;
}

int
store_schema_latest(void)
{
	return store_migrations[store_migrations_count - 1].version;
}

int
store_schema_version(struct store *st)
{
	return store_user_version(st);
}

/* Apply every migration newer than the file's user_version, each in its
 * own IMMEDIATE transaction with its version bump.  Re-reading the version
 * inside the transaction makes two processes opening a new file at once
 * safe: the second sees the first one's work and skips it. */
static int
store_migrate(struct store *st, struct err *err)
{
	char bump[64];
	size_t i;
	int v;

	for (i = 0; i < store_migrations_count; i++) {
		const struct store_migration *m = &store_migrations[i];

		if (store_exec(st, "BEGIN IMMEDIATE", err) == -1)
			return -1;
		if ((v = store_user_version(st)) == -1) {
			store_exec(st, "ROLLBACK", NULL);
			return store_fail(st, err, "read schema version");
		}
		if (v >= m->version) {
			store_exec(st, "COMMIT", NULL);
			continue;
		}
		snprintf(bump, sizeof(bump), "PRAGMA user_version = %d",
		    m->version);
		if (store_exec(st, m->sql, err) == -1 ||
		    store_exec(st, bump, err) == -1 ||
		    store_exec(st, "COMMIT", err) == -1) {
			store_exec(st, "ROLLBACK", NULL);
			return err_prefix(err, "migration %d", m->version);
		}
		log_info("database '%s' migrated to schema version %d",
		    st->path, m->version);
	}
	return 0;
}

static int
store_configure(struct store *st, int flags, struct err *err)
{
	/* busy_timeout and synchronous are per connection: every process
	 * that opens the file must set them. */
	sqlite3_busy_timeout(st->db, STORE_BUSY_TIMEOUT_MS);
	/* Temporary tables (an import's staging) and statement journals
	 * in memory: on disk each page was written on its own, 60 times
	 * the writes of the import itself.  Set outside any transaction,
	 * where SQLite takes it. */
	if (store_exec(st, "PRAGMA foreign_keys = ON", err) == -1 ||
	    store_exec(st, "PRAGMA temp_store = MEMORY", err) == -1)
		return -1;
	if (flags & STORE_READONLY)
		return 0;
	if (store_exec(st, "PRAGMA journal_mode = WAL", err) == -1 ||
	    store_exec(st, "PRAGMA synchronous = FULL", err) == -1)
		return -1;
	return 0;
}

/* Refuse a file that is some other program's database: it has tables
 * but no mailorder schema version. */
static int
store_check_foreign(struct store *st, struct err *err)
{
	sqlite3_stmt *stmt;
	int n = 0;

	if (sqlite3_prepare_v2(st->db,
	    "SELECT count(*) FROM sqlite_schema", -1, &stmt, NULL) != SQLITE_OK)
		return err_set(err, ERR_CONFIG, "'%s': %s", st->path,
		    sqlite3_errmsg(st->db));
	if (sqlite3_step(stmt) == SQLITE_ROW)
		n = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	if (n > 0 && store_user_version(st) == 0)
		return err_set(err, ERR_CONFIG,
		    "'%s' is not a mailorder database", st->path);
	return 0;
}

/* Open the connection: read-write (creating the file) for a writer,
 * read-only for a reader, and with immutable (a URI, percent-encoded)
 * for a reader that cannot create the WAL's -shm file beside a database
 * nobody has open: there is no -wal then, so everything is in the file. */
static int
store_connect(struct store *st, int flags, int immutable, struct err *err)
{
	struct buf uri;
	const char *p;
	int oflags, rc;

	oflags = (flags & STORE_READONLY) ? SQLITE_OPEN_READONLY :
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	buf_init(&uri, BUF_NOLIMIT);
	if (immutable) {
		buf_adds(&uri, "file:");
		for (p = st->path; *p != '\0'; p++)
			if (*p == '%' || *p == '?' || *p == '#')
				buf_addf(&uri, "%%%02X", (unsigned char)*p);
			else
				buf_addc(&uri, *p);
		buf_adds(&uri, "?immutable=1");
		oflags |= SQLITE_OPEN_URI;
	}
	rc = sqlite3_open_v2(immutable ? buf_str(&uri) : st->path, &st->db,
	    oflags | SQLITE_OPEN_NOMUTEX, NULL);
	buf_release(&uri);
	if (rc != SQLITE_OK)
		return err_set(err, ERR_CONFIG, "cannot open database '%s': %s",
		    st->path, st->db ? sqlite3_errmsg(st->db) : "out of memory");
	sqlite3_extended_result_codes(st->db, 1);
	return 0;
}

/* A reader's first look: a WAL database whose -shm it may not create
 * reads as "attempt to write a readonly database"; without a -wal it
 * can be read as immutable instead. */
static int
store_reader_fallback(struct store *st, struct err *err)
{
	char *wal;
	int prim = sqlite3_extended_errcode(st->db) & 0xff, nowal;

	if (prim != SQLITE_READONLY && prim != SQLITE_CANTOPEN)
		return -1;
	xasprintf(&wal, "%s-wal", st->path);
	nowal = access(wal, F_OK) == -1;
	free(wal);
	if (!nowal)
		return err_set(err, ERR_CONFIG, "cannot read database '%s' "
		    "while it is in use: SQLite must write '%s-shm' beside it",
		    st->path, st->path);
	sqlite3_close(st->db);
	st->db = NULL;
	err_clear(err);
	if (store_connect(st, STORE_READONLY, 1, err) == -1 ||
	    store_configure(st, STORE_READONLY, err) == -1)
		return -1;
	return store_check_foreign(st, err);
}

struct store *
store_open(const char *path, int flags, struct err *err)
{
	struct store *st;
	int readonly, v;

	if (store_path_check(path, flags, &readonly, err) == -1)
		return NULL;
	/* A reader of a store it may write opens it as a writer does, so
	 * an old schema is migrated as before. */
	if (!readonly)
		flags &= ~STORE_READONLY;
	st = xcalloc(1, sizeof(*st));
	st->path = xstrdup(path);
	if (store_connect(st, flags, 0, err) == -1 ||
	    store_configure(st, flags, err) == -1)
		goto fail;
	if (store_check_foreign(st, err) == -1 && (!(flags & STORE_READONLY) ||
	    store_reader_fallback(st, err) == -1))
		goto fail;
	if ((v = store_user_version(st)) > store_schema_latest()) {
		err_set(err, ERR_CONFIG, "database '%s' has schema version %d, "
		    "newer than this mailorder (%d): upgrade mailorder", path, v,
		    store_schema_latest());
		goto fail;
	}
	if ((flags & STORE_READONLY) && v < store_schema_latest()) {
		err_set(err, ERR_CONFIG, "database '%s' has schema version %d, "
		    "older than this mailorder (%d), and cannot be migrated "
		    "without write access", path, v, store_schema_latest());
		goto fail;
	}
	if (!(flags & STORE_READONLY) && v < store_schema_latest() &&
	    store_migrate(st, err) == -1)
		goto fail;
	return st;
fail:
	if (err != NULL && err->cls == ERR_FATAL && st->db != NULL &&
	    sqlite3_errcode(st->db) == SQLITE_NOTADB)
		err->cls = ERR_CONFIG;
	store_close(st);
	return NULL;
}

void
store_close(struct store *st)
{
	size_t i;

	if (st == NULL)
		return;
	for (i = 0; i < STORE_STMT_CACHE; i++)
		if (st->cache[i].stmt != NULL)
			sqlite3_finalize(st->cache[i].stmt);
	sqlite3_close(st->db);
	free(st->path);
	free(st);
}

/*
 * Transactions nest: the outermost store_begin() is BEGIN IMMEDIATE, inner
 * ones are savepoints.  The parse worker uses this to commit a whole batch
 * of orders at once while each order still commits or rolls back on its
 * own inside it.
 */
int
store_begin(struct store *st, struct err *err)
{
	char sql[32];

	if (st->in_tx == 0) {
		if (store_exec(st, "BEGIN IMMEDIATE", err) == -1)
			return -1;
	} else {
		snprintf(sql, sizeof(sql), "SAVEPOINT s%d", st->in_tx);
		if (store_exec(st, sql, err) == -1)
			return -1;
	}
	st->in_tx++;
	return 0;
}

int
store_commit(struct store *st, struct err *err)
{
	char sql[32];

	if (st->in_tx <= 1) {
		if (store_exec(st, "COMMIT", err) == -1) {
			store_rollback(st);
			return -1;
		}
		st->in_tx = 0;
		return 0;
	}
	snprintf(sql, sizeof(sql), "RELEASE s%d", st->in_tx - 1);
	if (store_exec(st, sql, err) == -1) {
		store_rollback(st);
		return -1;
	}
	st->in_tx--;
	return 0;
}

void
store_rollback(struct store *st)
{
	char sql[64];

	if (st->in_tx > 1) {
		snprintf(sql, sizeof(sql), "ROLLBACK TO s%d; RELEASE s%d",
		    st->in_tx - 1, st->in_tx - 1);
		sqlite3_exec(st->db, sql, NULL, NULL, NULL);
		st->in_tx--;
		return;
	}
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	st->in_tx = 0;
}

int
store_read_begin(struct store *st, struct err *err)
{
	/* Inside a write transaction the reads share it already. */
	if (!sqlite3_get_autocommit(st->db))
		return 0;
	if (store_exec(st, "BEGIN DEFERRED", err) == -1)
		return -1;
	st->read_tx = 1;
	return 0;
}

void
store_read_end(struct store *st)
{
	if (st->read_tx && !sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
	st->read_tx = 0;
}

/*
 * Internals shared by the files of store/: the handle, the statement
 * cache and error translation.  Nothing outside store/ includes this.
 */
#ifndef MO_STORE_INT_H
#define MO_STORE_INT_H

#include <stdint.h>

#include <sqlite3.h>

#include "common/error.h"
#include "store/store.h"

struct store_migration {
	int		 version;
	const char	*sql;
};

extern const struct store_migration store_migrations[];
extern const size_t store_migrations_count;

/* Prepared statements are cached by their SQL text's address, so each
 * call site writes its SQL as a static string and pays the prepare once. */
#define STORE_STMT_CACHE 64

struct store_stmt_slot {
	const char	*sql;
	sqlite3_stmt	*stmt;
};

struct store {
	sqlite3			*db;
	char			*path;
	int			 in_tx;		/* nesting depth of store_begin() */
	int			 read_tx;	/* store_read_begin() began one */
	unsigned		 webhook_events;	/* store_webhook_events() */
	struct store_stmt_slot	 cache[STORE_STMT_CACHE];
};

/* Before opening path (store/access.c): -1 and an ERR_CONFIG err that
 * names the problem in the user's terms (a directory that cannot be
 * entered, no read or write permission, with owner and mode; a missing
 * store for a reader, a missing directory for a writer), or 0 with
 * *readonly_r set when the file or its directory cannot be written,
 * which only a reader (STORE_READONLY) gets past. */
int		 store_path_check(const char *path, int flags, int *readonly_r,
		    struct err *);

/* Return the cached, reset statement for sql (a string literal), with
 * its bindings cleared; NULL and err on failure. */
sqlite3_stmt	*store_stmt(struct store *, const char *sql, struct err *);

/* Translate the connection's last error into err (busy/locked become
 * ERR_TEMP, the rest ERR_FATAL unless cls is given).  Returns -1. */
int		 store_fail(struct store *, struct err *, const char *what);

/* Bind helpers: NULL binds SQL NULL.  Text is copied by SQLite. */
int		 store_bind_text(sqlite3_stmt *, int idx, const char *);
/* A quantity: whole ones as integers, so stored history keeps its
 * integer type and only a real fraction ("0.5" tray) is a REAL. */
int		 store_bind_qty(sqlite3_stmt *, int idx, double);

/* Single-row queries, the shape most lookups have.  store_exists runs sql
 * with key bound to ?1: 1 when it returns a row, 0 when not, -1 on error.
 * store_query_ints reads the first n integer columns of sql's one row
 * into v[] (all 0 when it returns no row).  what names the query in
 * errors. */
int		 store_exists(struct store *, const char *sql, const char *key,
		    const char *what, struct err *);
int		 store_query_ints(struct store *, const char *sql, int64_t *v,
		    int n, const char *what, struct err *);

/* Run sql's prepared statement s and hand each row's first three (four)
 * text columns to cb until it returns non-zero, which is returned; -1
 * with err on a store error.  what names the query in errors. */
typedef int store_row3_cb(void *, const char *, const char *, const char *);
typedef int store_row4_cb(void *, const char *, const char *, const char *,
		    const char *);
int		 store_rows3(struct store *, sqlite3_stmt *, store_row3_cb *,
		    void *arg, const char *what, struct err *);
int		 store_rows4(struct store *, sqlite3_stmt *, store_row4_cb *,
		    void *arg, const char *what, struct err *);

/* Run s and collect the text of its first column, row by row, into a
 * malloc'd array of malloc'd strings (*v_r, *n_r; NULL and 0 for none),
 * freed with store_strings_free().  Returns 0, or -1 with err. */
int		 store_strings(struct store *, sqlite3_stmt *s, char ***v_r,
		    size_t *n_r, const char *what, struct err *);
void		 store_strings_free(char **v, size_t n);
/* For imports that make a key's rows exactly keep[0..n): run list_sql
 * (?1 = key; first column: the item) and, for each item not in keep, run
 * del_sql (?1 = item, ?2 = key); add to *changed_r how many rows went. */
int		 store_drop_unlisted(struct store *, const char *list_sql,
		    const char *del_sql, const char *key, char *const *keep,
		    size_t n, int *changed_r, struct err *);
/* 1 when s is one of v[0..n). */
int		 store_listed(char *const *v, size_t n, const char *s);

/* Queue the webhook event for order id when the store was told to
 * (store_webhook_events()); inside the caller's transaction, after the
 * change, so the body and key carry the new version.  0 or -1. */
int		 store_webhook_queue(struct store *, int64_t order_id,
		    int event, struct err *);

/* Run a statement that returns no rows to completion. */
int		 store_step_done(struct store *, sqlite3_stmt *, struct err *,
		    const char *what);

#endif

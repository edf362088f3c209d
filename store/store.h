/*
 * The store: the only module that speaks SQL.  One SQLite file shared by
 * mailorderd and the operators' terminals (WAL, busy timeout).
 *
 * Durability: synchronous=FULL, also in WAL mode.  NORMAL would be faster
 * but can lose the last commits on power loss, and a lost commit here is a
 * lost order whose email has already been moved out of the inbox.
 *
 * All statements use bound parameters.  Write transactions start with
 * BEGIN IMMEDIATE so a writer never fails half-way on a stale snapshot.
 */
#ifndef MO_STORE_H
#define MO_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

struct store;

#define STORE_BUSY_TIMEOUT_MS 10000

enum store_open_flags {
	STORE_READONLY = 1 << 0,	/* the caller only reads */
};

/* What an import did to one product, customer or order: a row whose
 * values are all as imported before is left alone, so a re-import of an
 * unchanged file changes nothing (no version, no cache counter). */
enum store_import_how {
	STORE_IMPORT_UNCHANGED,
	STORE_IMPORT_NEW,
	STORE_IMPORT_UPDATED,
};

/* Open (creating and migrating when needed) the database at path.  With
 * STORE_READONLY the caller promises only to read: the store must exist,
 * and one it cannot write (file or directory) is opened read-only instead
 * of refused; one it can write is opened as by a writer.
 * Returns NULL and fills err on failure: ERR_CONFIG when the file cannot be
 * opened (the message names a permission problem with owner and mode, a
 * missing directory or store) or is not a mailorder database or is newer
 * than this program, ERR_TEMP when it is locked for longer than the busy
 * timeout. */
struct store	*store_open(const char *path, int flags, struct err *);
void		 store_close(struct store *);

/* The schema version of an open store, and the newest one this build
 * knows. */
int		 store_schema_version(struct store *);
int		 store_schema_latest(void);

/* Transactions.  store_begin() takes the write lock at once (BEGIN
 * IMMEDIATE).  store_rollback() is safe to call when no transaction is
 * open. */
int		 store_begin(struct store *, struct err *);
int		 store_commit(struct store *, struct err *);
void		 store_rollback(struct store *);

/* A read transaction: every read between these sees one snapshot, and
 * SQLite takes its locks and sets up its page cache once instead of per
 * statement.  store_read_end() is safe without store_read_begin(). */
int		 store_read_begin(struct store *, struct err *);
void		 store_read_end(struct store *);

#endif

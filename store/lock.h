/*
 * One daemon per store.  mailorderd (and mailorder ingest, which runs the
 * daemon's pipeline) hold a lock on a file beside the database,
 * "PATH.lock", for as long as they run; a second one on the same store
 * would race the first for the same outbox rows and IMAP moves, so it is
 * refused with the holder's PID.  Reading and the operators' commands,
 * which are made to share the store, take no lock.
 *
 * It is a POSIX record lock: the kernel drops it when the holder dies
 * (kill -9 included), and a fork()ed child such as the parse worker does
 * not inherit it, so a worker outliving its daemon for a moment keeps
 * nobody out.
 */
#ifndef MO_STORE_LOCK_H
#define MO_STORE_LOCK_H

#include <stddef.h>

#include "common/error.h"

struct store_lock;

/*
 * Take the lock of the store at db_path for who (a program name, written
 * into the lock file with the PID for the next one to read).  Returns the
 * lock, or NULL and err: ERR_TEMP "'PATH' is in use by mailorderd (PID
 * 123)" when someone holds it, ERR_CONFIG when the lock file cannot be
 * opened.
 */
struct store_lock	*store_lock_take(const char *db_path, const char *who,
			    struct err *);

/* Who holds the lock of the store at db_path, without taking it: 1 with
 * the holder's PID (from the kernel) and the name it wrote (who_r, may
 * be NULL; "a process" when the file lags behind), 0 when nobody does or
 * there is no lock file, -1 with err when it cannot be read. */
int			 store_lock_holder(const char *db_path, long *pid_r,
			    char *who_r, size_t wholen, struct err *);

/* Drop the lock (the file stays).  NULL is fine. */
void			 store_lock_release(struct store_lock *);

#endif

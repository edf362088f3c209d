/*
 * A copy of the store that can be restored, taken while mailorderd runs.
 */
#ifndef MO_STORE_BACKUP_H
#define MO_STORE_BACKUP_H

#include <stdint.h>

#include "common/error.h"
#include "store/store.h"

struct store_backup_info {
	int64_t	bytes;		/* size of the copy */
	int64_t	orders;		/* orders in it */
	int64_t	messages;	/* messages in it */
};

/*
 * Write a copy of st to path, which must not exist: VACUUM INTO a
 * temporary file beside it (one read transaction, so the copy is one
 * consistent moment of the store, and a daemon writing meanwhile neither
 * waits nor shows half a transaction in it), PRAGMA integrity_check on
 * the copy, fsync, and rename into place.  The copy is a plain SQLite
 * file in rollback-journal mode; restoring it is putting it in place of
 * the store while nothing runs on it.  Works on a store opened
 * read-only.  Returns 0 with *info filled, or -1: ERR_CONFIG when path
 * exists or cannot be written, ERR_FATAL when the copy fails its check
 * (nothing is left at path), ERR_TEMP when the store is busy.
 */
int	store_backup(struct store *st, const char *path,
	    struct store_backup_info *info, struct err *);

#endif

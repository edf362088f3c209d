/*
 * Keeping raw mail only as long as the shop should ([store]
 * keep_raw_days): the raw copy of a decided message goes, while its
 * order, lines, extracted text and the audit log stay.
 */
#ifndef MO_STORE_RETENTION_H
#define MO_STORE_RETENTION_H

#include <stdint.h>
#include <time.h>

#include "common/error.h"
#include "store/store.h"

/* Delete the raw mail of messages that were decided (done or failed)
 * and received more than days days before now, in short write
 * transactions (a daemon's worker writes meanwhile).  *purged_r gets how
 * many.  Returns 0, or -1 (ERR_TEMP when the store is busy). */
int	store_purge_raw(struct store *, long days, time_t now,
	    int64_t *purged_r, struct err *);

#endif

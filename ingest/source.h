/*
 * A mail source: where order mail comes from and where it is filed once
 * its order is stored.  The batch protocol (ingest/batch.c) speaks only
 * to this table, so it runs the same over IMAP (imap/source.c) as over
 * the fixture source of its unit test.  The model is isync's driver.h.
 *
 * Messages are named by UID, ascending within one uidvalidity; every
 * call reports failure in err (ERR_TEMP: the connection, try later;
 * ERR_CONFIG: a folder refused) and returns -1.
 */
#ifndef MO_INGEST_SOURCE_H
#define MO_INGEST_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

struct source_message {
	uint32_t	 uid;
	const char	*raw;		/* borrowed; not NUL-terminated */
	size_t		 len;
};

/* One batch, borrowed for the call.  Return 0, or -1 with err to stop
 * the fetch (which then returns -1 with that err). */
typedef int source_batch_cb(const struct source_message *msgs, size_t n,
	    void *arg, struct err *err);

struct source_ops {
	/* List the messages with UID >= first and hand them to cb in
	 * batches of at most max_count (0: any) and about max_bytes;
	 * *next_r: where the next fetch starts.  Mail arriving meanwhile
	 * waits for the next call.  Returns how many were handed over
	 * (0: nothing new), or -1. */
	int	(*fetch)(void *h, uint32_t first, size_t max_bytes,
		    unsigned int max_count, source_batch_cb *cb, void *arg,
		    uint32_t *next_r, struct err *err);
	/* Move n messages to folder (n 0: nothing). */
	int	(*move)(void *h, const uint32_t *uids, size_t n,
		    const char *folder, struct err *err);
	/* Mark n messages seen. */
	int	(*seen)(void *h, const uint32_t *uids, size_t n,
		    struct err *err);
	/* Store a message (one we sent) in folder, already seen. */
	int	(*append)(void *h, const char *folder, const char *msg,
		    size_t len, struct err *err);
};

struct source {
	const struct source_ops	*ops;
	void			*h;		/* the driver's handle */
	const char		*key;		/* names the mailbox in the
						 * store: user@host:port/box */
	uint32_t		 uidvalidity;
};

#endif

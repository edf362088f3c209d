/*
 * The batch protocol: new mail from a mail source (ingest/source.h) to
 * stored orders, and the mail filed away only after its order is
 * committed.  For each fetched batch:
 *   1. record every message in one transaction, before any is parsed
 *      (a message that takes the process down is known by its attempt
 *      count when it comes back);
 *   2. hand the ones still to parse to the worker as one group;
 *   3. settle the group: wait for the worker, record the failures,
 *      let the replies go (hooks.settled);
 *   4. file the batch: the failed to the failed folder, the rest moved
 *      or marked seen (then the cursor moves, in the next batch's commit).
 * The worker parses one batch while the previous one is filed and the
 * next fetched.  A crash at any point is harmless: a message is either
 * still in the source (its second arrival finds the first one's record
 * by its identity) or filed with its order stored.
 *
 * The daemon keeps the loop, the connection, signals and timers; this
 * runs one cycle over a connected source.
 */
#ifndef MO_INGEST_BATCH_H
#define MO_INGEST_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "ingest/source.h"

struct store;
struct worker;

struct ingest_counts {
	unsigned long	accepted, flagged, ignored, failed, duplicates;
};

/* Where handled mail goes. */
struct ingest_filing {
	const char	*failed_folder;
	const char	*processed_folder;	/* NULL: none */
	/* 1: mark handled mail seen and keep a cursor in the store, rather
	 * than moving it to processed_folder. */
	int		 seen;
	size_t		 batch_max_bytes;
	unsigned int	 batch_max_messages;
	/* Handled mail is filed (moved, or marked seen) with one command
	 * per this many messages at most, or at the end of a round (see
	 * batch_file_threshold); 0: the default, INGEST_FILE_MAX. */
	unsigned int	 file_max_messages;
};

/* A server's cost per MOVE grows with the mailbox (Dovecot's Maildir
 * rescans and rewrites its list of a 100,000-message INBOX every time),
 * so filing every 500-message batch made a backlog's cost grow with
 * its square.  Mail recorded but not filed yet is safe: if we stop, it
 * is found again, known by its identity, and only filed.  The bound
 * keeps the server's answer (one EXPUNGE line a message, which libetpan
 * holds whole) small. */
#define INGEST_FILE_MAX	5000

/* What the caller is told, and asked, on the way.  Each may be NULL. */
struct ingest_hooks {
	/* While waiting for the worker (about every second) and between
	 * batches: non-zero asks to stop after the batch in hand. */
	int	(*tick)(void *arg);
	/* A batch came in ("processing"). */
	void	(*fetched)(void *arg);
	/* A batch's orders are committed: their replies may go now,
	 * before its messages are filed (a customer waits for them, the
	 * filing does not). */
	void	(*settled)(void *arg);
	void	*arg;
};

struct ingest_batcher {
	struct store		*store;
	struct worker		*worker;
	/* How often a message may be fetched and recorded without a
	 * verdict before it is given up as poison. */
	int			 max_attempts;
	struct ingest_counts	*counts;	/* added to */
	struct ingest_hooks	 hooks;
};

/*
 * Rounds of fetch, record, parse and file over src until a round finds
 * nothing new.  Returns 0 when it did (or stopping was asked), or -1 with
 * err saying why the cycle stopped: the source failed (ERR_TEMP: drop
 * the connection and try later; what was handled is filed or will be
 * next time), or, with *fatal_r set, the worker cannot go on
 * (ERR_CONFIG, ERR_FATAL).
 */
int	ingest_batch_cycle(const struct ingest_batcher *, struct source *src,
	    const struct ingest_filing *, int *fatal_r, struct err *err);

#endif

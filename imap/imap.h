/*
 * The IMAP mail source: the only interface over libetpan's IMAP client.
 * A session is one authenticated connection to one server; the daemon
 * selects the order mailbox, fetches new messages in bounded batches by
 * UID, files them away (move, \Seen) and waits in IDLE for more.
 *
 * TLS is verified here, not by libetpan (whose GnuTLS build checks
 * nothing): a certificate that does not chain to the trust store or does
 * not name the host fails the handshake, before any credential is sent.
 *
 * Every function reports failure in a caller-supplied struct err:
 *   ERR_TEMP    network trouble, timeouts, server going away: retry later
 *   ERR_CONFIG  refused login, untrusted certificate, missing mailbox:
 *               fix the configuration
 *   ERR_FATAL   out of memory inside libetpan
 * Messages never contain the password or the token.
 *
 * A session is not thread-safe; use one per thread.  Writes over TLS never
 * raise SIGPIPE, but libetpan's plain socket (IMAP_TLS_NONE, and the
 * exchange before STARTTLS) may: programs should ignore SIGPIPE.
 */
#ifndef MO_IMAP_H
#define MO_IMAP_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

enum imap_tls {
	IMAP_TLS_IMPLICIT,	/* TLS from the first byte (imaps, 993) */
	IMAP_TLS_STARTTLS,	/* plain connect, STARTTLS required */
	IMAP_TLS_NONE,		/* no TLS at all: for tests on loopback */
};

struct imap_conf {
	const char	*host;		/* name or IP literal; checked in cert */
	unsigned int	 port;
	enum imap_tls	 tls;
	const char	*user;
	const char	*password;	/* LOGIN; NULL when oauth2_token used */
	const char	*oauth2_token;	/* XOAUTH2 when non-NULL */
	const char	*ca_file;	/* PEM trust anchors; NULL: system trust */
	unsigned int	 timeout_s;	/* connect, handshake, each read/write */
};

/* Flags for imap_append(). */
#define IMAP_FLAG_SEEN		0x01
#define IMAP_FLAG_ANSWERED	0x02
#define IMAP_FLAG_FLAGGED	0x04
#define IMAP_FLAG_DRAFT		0x08

struct imap_session;

/*
 * Connect, set up and verify TLS as conf->tls says, and log in.
 * conf is copied; nothing in it needs to outlive the call.
 * Returns a new session (free with imap_session_free), or NULL with err
 * set: ERR_CONFIG for refused login or certificate, ERR_TEMP otherwise.
 */
struct imap_session *imap_connect(const struct imap_conf *conf,
	    struct err *err);

/* Say LOGOUT (best effort) and close.  Does not free. */
void	imap_logout(struct imap_session *);

/* Close if still open and free everything.  NULL is allowed. */
void	imap_session_free(struct imap_session *);

/* Whether the server offers IDLE (capabilities as seen after login). */
int	imap_has_idle(struct imap_session *);

/*
 * SELECT mailbox.  *uidvalidity_r and *uidnext_r (each may be NULL) get
 * the server's values; 0 when the server did not send one.
 * Returns 0, or -1: ERR_CONFIG when the server refuses the mailbox.
 */
int	imap_select(struct imap_session *, const char *mailbox,
	    uint32_t *uidvalidity_r, uint32_t *uidnext_r, struct err *err);

/*
 * Fetch the messages with UID >= first_uid in the selected mailbox: one
 * listing of UIDs and sizes, then batch after batch from it, each of at
 * most max_count messages (0: no limit) and about max_bytes (by
 * RFC822.SIZE; a single larger message makes a batch alone), one UID
 * FETCH BODY.PEEK[] each, so nothing gets \Seen.  Each whole batch is
 * handed to cb at once, in UID order, so the caller can record it in one
 * transaction and file it with one command.  *next_uid_r (may be NULL)
 * is set to the UID to start the next call at.
 * The messages are borrowed for the duration of the call.  Messages up
 * to the first UID that did not come back are handed over, then that
 * one fails the call with ERR_TEMP; cb returning -1 stops the fetch.
 * Mail that arrives meanwhile is left for the next call.  Returns the
 * number of messages handed over (0: nothing new), or -1.
 */
struct imap_message {
	uint32_t	 uid;
	const char	*raw;
	size_t		 len;
};
typedef int imap_batch_cb(const struct imap_message *msgs, size_t n,
	    void *arg, struct err *err);
int	imap_fetch_messages(struct imap_session *, uint32_t first_uid,
	    size_t max_bytes, unsigned int max_count, imap_batch_cb *cb,
	    void *arg, uint32_t *next_uid_r, struct err *err);

/*
 * Move messages of the selected mailbox (uids ascending; runs are sent
 * as ranges) to folder in one command: UID MOVE when the server has
 * MOVE, else UID COPY + \Deleted + UID EXPUNGE (UIDPLUS).  A server with
 * neither leaves the originals flagged \Deleted, since a plain EXPUNGE
 * could remove other clients' deleted messages.  n == 0 does nothing.
 * Returns 0, or -1 (ERR_CONFIG if the folder is refused).
 */
int	imap_move_uids(struct imap_session *, const uint32_t *uids, size_t n,
	    const char *folder, struct err *err);

/* Add \Seen to messages of the selected mailbox.  Returns 0 or -1. */
int	imap_set_seen_uids(struct imap_session *, const uint32_t *uids,
	    size_t n, struct err *err);

/* CREATE folder unless LIST shows it already.  Returns 0 or -1. */
int	imap_create_folder_if_missing(struct imap_session *,
	    const char *folder, struct err *err);

/*
 * APPEND raw/len to folder with the IMAP_FLAG_* flags (e.g. a copy of a
 * sent reply into Sent).  Returns 0 or -1.
 */
int	imap_append(struct imap_session *, const char *folder,
	    const char *raw, size_t len, unsigned int flags, struct err *err);

/*
 * Wait in IDLE on the selected mailbox until the server reports EXISTS or
 * seconds pass (keep it under 29 minutes).  Other untagged news (e.g.
 * Dovecot's "still here") does not end the wait.
 * Returns 1 when new messages were announced, 0 on timeout, -1 on error
 * (ERR_CONFIG when the server has no IDLE; check imap_has_idle first).
 */
int	imap_idle_wait(struct imap_session *, unsigned int seconds,
	    struct err *err);

/*
 * A flag that a signal handler sets (e.g. on SIGTERM), and the read end
 * of a non-blocking pipe it writes a byte to (-1: none): when *flag is
 * non-zero imap_idle_wait() ends early as if it had timed out (the IDLE
 * is closed with DONE), so the caller can shut down promptly.  The pipe
 * closes the race of a signal that comes just before the wait blocks.
 * NULL turns this off.  Process-wide.
 */
void	imap_set_interrupt(volatile sig_atomic_t *flag, int fd);

/* The selected mailbox of s as a mail source (ingest/source.h): key
 * names it in the store, uidvalidity is what SELECT said.  src borrows
 * s and key. */
struct source;
void	imap_source_init(struct source *src, struct imap_session *s,
	    const char *key, uint32_t uidvalidity);

#endif

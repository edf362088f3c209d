/*
 * Internals shared by the imap/ files: the session, the GnuTLS stream
 * driver and the translation of MAILIMAP_* codes into struct err.
 */
#ifndef MO_IMAP_INT_H
#define MO_IMAP_INT_H

#include <libetpan/libetpan.h>

#include "imap/imap.h"

struct imap_session {
	mailimap	*imap;
	char		*host;
	char		*user;
	unsigned int	 port;
	unsigned int	 timeout_s;
	int		 broken;	/* stream lost or timed out: no LOGOUT */
};

/*
 * Run a TLS client handshake on the connected socket fd, verifying the
 * server's certificate against ca_file (NULL: the system trust store) and
 * against host; SNI carries host unless it is an IP literal.
 * Returns a libetpan low-level stream that owns fd from then on (closing
 * the stream closes fd), or NULL with err set (ERR_CONFIG for trust and
 * name failures, ERR_TEMP otherwise); on failure fd is left open.
 */
mailstream_low *imap_tls_low_new(int fd, const char *host,
	    const char *ca_file, unsigned int timeout_s, struct err *err);

/* Whether low is one of ours and GnuTLS holds decrypted bytes that a
 * poll() on the socket would not see. */
int	imap_tls_pending(mailstream_low *low);

/*
 * Record the failure of a libetpan call that returned r, with "what"
 * (e.g. "imap select 'INBOX'") as context and the server's text when it
 * said NO/BAD.  cls_refused is the class for a refusal by the server.
 * Always returns -1.
 */
int	imap_fail(struct imap_session *, int r, enum err_class cls_refused,
	    struct err *err, const char *what);

#endif

/*
 * A libetpan stream driver over a GnuTLS session that we set up ourselves,
 * because libetpan's own GnuTLS code loads no trust store and never checks
 * the certificate (NOTES-libraries.md, libetpan issue #17).  Verification
 * happens inside the handshake, so an untrusted server never sees a
 * single IMAP byte, let alone a password.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "common/xmalloc.h"
#include "imap/imap_int.h"

struct tls_conn {
	gnutls_session_t			 session;
	gnutls_certificate_credentials_t	 cred;
	int					 fd;
	int					 timeout_ms;
};

static ssize_t	tls_read(mailstream_low *, void *, size_t);
static ssize_t	tls_write(mailstream_low *, const void *, size_t);
static int	tls_close(mailstream_low *);
static int	tls_get_fd(mailstream_low *);
static void	tls_free(mailstream_low *);
static void	tls_cancel(mailstream_low *);
static struct mailstream_cancel *tls_get_cancel(mailstream_low *);
static carray	*tls_get_certificate_chain(mailstream_low *);
static int	tls_idle_unsupported(mailstream_low *);

static mailstream_low_driver imap_tls_driver = {
	tls_read,
	tls_write,
	tls_close,
	tls_get_fd,
	tls_free,
	tls_cancel,
	tls_get_cancel,
	tls_get_certificate_chain,
	tls_idle_unsupported,
	tls_idle_unsupported,
	tls_idle_unsupported,
};

static ssize_t
tls_read(mailstream_low *low, void *buf, size_t count)
{
	struct tls_conn *t = low->data;
	struct pollfd pfd;
	ssize_t r;

	for (;;) {
		/* Records already decrypted are invisible to poll(). */
		if (gnutls_record_check_pending(t->session) == 0) {
			pfd.fd = t->fd;
			pfd.events = POLLIN;
			r = poll(&pfd, 1, t->timeout_ms);
			if (r == 0) {
				errno = ETIMEDOUT;
				return -1;
			}
			if (r < 0) {
				if (errno == EINTR)
					continue;
				return -1;
			}
		}
		r = gnutls_record_recv(t->session, buf, count);
		if (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED)
			continue;
		if (r < 0)
			return -1;
		return r;
	}
}

static ssize_t
tls_write(mailstream_low *low, const void *buf, size_t count)
{
	struct tls_conn *t = low->data;
	ssize_t r;

	do {
		/* SO_SNDTIMEO on the socket bounds a stuck peer: the
		 * timeout comes back as GNUTLS_E_AGAIN, which we do not
		 * retry forever. */
		r = gnutls_record_send(t->session, buf, count);
	} while (r == GNUTLS_E_INTERRUPTED);
	return r < 0 ? -1 : r;
}

static int
tls_close(mailstream_low *low)
{
	struct tls_conn *t = low->data;

	if (t->fd == -1)
		return 0;
	/* SHUT_WR only sends close_notify; it never waits for the peer. */
	gnutls_bye(t->session, GNUTLS_SHUT_WR);
	close(t->fd);
	t->fd = -1;
	return 0;
}

static int
tls_get_fd(mailstream_low *low)
{
	struct tls_conn *t = low->data;

	return t->fd;
}

static void
tls_free(mailstream_low *low)
{
	struct tls_conn *t = low->data;

	if (t != NULL) {
		gnutls_deinit(t->session);
		gnutls_certificate_free_credentials(t->cred);
		free(t);
	}
	free(low);
}

static void
tls_cancel(mailstream_low *low)
{
	/* Nothing runs on another thread; every wait is bounded instead. */
}

static struct mailstream_cancel *
tls_get_cancel(mailstream_low *low)
{
	return NULL;
}

static carray *
tls_get_certificate_chain(mailstream_low *low)
{
	return NULL;
}

static int
tls_idle_unsupported(mailstream_low *low)
{
	/* imap/idle.c waits on the socket itself. */
	return -1;
}

static int
is_ip_literal(const char *host)
{
	unsigned char addr[16];

	return inet_pton(AF_INET, host, addr) == 1 ||
	    inet_pton(AF_INET6, host, addr) == 1;
}

static void
tls_verify_fail(struct tls_conn *t, const char *host, struct err *err)
{
	gnutls_datum_t out = { NULL, 0 };
	unsigned int status;

	status = gnutls_session_get_verify_cert_status(t->session);
	if (gnutls_certificate_verification_status_print(status,
	    gnutls_certificate_type_get(t->session), &out, 0) == 0) {
		size_t len = strlen((char *)out.data);

		while (len > 0 && (out.data[len - 1] == ' ' ||
		    out.data[len - 1] == '.'))
			out.data[--len] = '\0';
		err_set(err, ERR_CONFIG,
		    "imap tls: certificate for '%s' not trusted: %s",
		    host, (const char *)out.data);
		gnutls_free(out.data);
	} else
		err_set(err, ERR_CONFIG,
		    "imap tls: certificate for '%s' not trusted", host);
}

mailstream_low *
imap_tls_low_new(int fd, const char *host, const char *ca_file,
    unsigned int timeout_s, struct err *err)
{
	struct tls_conn *t;
	mailstream_low *low;
	int r;

	t = xcalloc(1, sizeof(*t));
	t->fd = fd;
	t->timeout_ms = (int)timeout_s * 1000;
	if ((r = gnutls_certificate_allocate_credentials(&t->cred)) < 0) {
		free(t);
		err_set(err, ERR_FATAL, "imap tls: %s", gnutls_strerror(r));
		return NULL;
	}
	if (ca_file != NULL) {
		r = gnutls_certificate_set_x509_trust_file(t->cred, ca_file,
		    GNUTLS_X509_FMT_PEM);
		if (r <= 0) {
			err_set(err, ERR_CONFIG,
			    "imap tls: cannot load CA file '%s': %s", ca_file,
			    r == 0 ? "no certificate in it" :
			    gnutls_strerror(r));
			goto fail_cred;
		}
	} else if ((r = gnutls_certificate_set_x509_system_trust(t->cred))
	    <= 0) {
		err_set(err, ERR_CONFIG,
		    "imap tls: cannot load the system trust store: %s",
		    r == 0 ? "no certificate in it" : gnutls_strerror(r));
		goto fail_cred;
	}

	/* NO_SIGNAL: a server that hangs up must give us an error to
	 * classify, not a SIGPIPE that kills the daemon. */
	if ((r = gnutls_init(&t->session, GNUTLS_CLIENT | GNUTLS_NO_SIGNAL))
	    < 0) {
		err_set(err, ERR_FATAL, "imap tls: %s", gnutls_strerror(r));
		goto fail_cred;
	}
	if ((r = gnutls_set_default_priority(t->session)) < 0 ||
	    (r = gnutls_credentials_set(t->session, GNUTLS_CRD_CERTIFICATE,
	    t->cred)) < 0) {
		err_set(err, ERR_FATAL, "imap tls: %s", gnutls_strerror(r));
		goto fail_session;
	}
	/* SNI must be a DNS name (RFC 6066); an IP literal is still
	 * checked against the certificate's IP SANs below. */
	if (!is_ip_literal(host) && (r = gnutls_server_name_set(t->session,
	    GNUTLS_NAME_DNS, host, strlen(host))) < 0) {
		err_set(err, ERR_FATAL, "imap tls: %s", gnutls_strerror(r));
		goto fail_session;
	}
	gnutls_session_set_verify_cert(t->session, host, 0);
	gnutls_transport_set_int(t->session, fd);
	gnutls_handshake_set_timeout(t->session, t->timeout_ms);

	do {
		r = gnutls_handshake(t->session);
	} while (r < 0 && gnutls_error_is_fatal(r) == 0);
	if (r < 0) {
		if (r == GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR)
			tls_verify_fail(t, host, err);
		else
			err_set(err, ERR_TEMP, "imap tls: handshake with '%s'"
			    " failed: %s", host, gnutls_strerror(r));
		goto fail_session;
	}

	low = mailstream_low_new(t, &imap_tls_driver);
	if (low == NULL) {
		err_set(err, ERR_FATAL, "imap tls: out of memory");
		goto fail_session;
	}
	return low;

fail_session:
	gnutls_deinit(t->session);
fail_cred:
	gnutls_certificate_free_credentials(t->cred);
	free(t);
	return NULL;
}

int
imap_tls_pending(mailstream_low *low)
{
	struct tls_conn *t;

	if (low == NULL || low->driver != &imap_tls_driver)
		return 0;
	t = low->data;
	return gnutls_record_check_pending(t->session) > 0;
}

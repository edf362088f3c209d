/*
 * Opening and closing an IMAP session: TCP connect with a timeout, TLS
 * (implicit or STARTTLS) through imap/tls.c, login, capabilities; and the
 * one place where MAILIMAP_* codes become struct err classes.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "imap/imap_int.h"

/* The server's text goes into logs: keep it short and printable. */
static const char *
server_text(struct imap_session *s, char *buf, size_t size)
{
	const char *resp = s->imap != NULL ? s->imap->imap_response : NULL;
	size_t i;

	if (resp == NULL || *resp == '\0')
		return NULL;
	for (i = 0; resp[i] != '\0' && i + 1 < size; i++)
		buf[i] = (unsigned char)resp[i] < 0x20 || resp[i] == 0x7f ?
		    '?' : resp[i];
	buf[i] = '\0';
	return buf;
}

int
imap_fail(struct imap_session *s, int r, enum err_class cls_refused,
    struct err *err, const char *what)
{
	char buf[200];
	const char *resp = server_text(s, buf, sizeof(buf));

	if (r == MAILIMAP_ERROR_STREAM || r == MAILIMAP_ERROR_PARSE ||
	    r == MAILIMAP_ERROR_FATAL)
		s->broken = 1;
	switch (r) {
	case MAILIMAP_ERROR_STREAM:
		return err_set(err, ERR_TEMP, "%s on %s:%u: connection lost or"
		    " timed out", what, s->host, s->port);
	case MAILIMAP_ERROR_PARSE:
		return err_set(err, ERR_TEMP, "%s on %s:%u: cannot parse the"
		    " server's response", what, s->host, s->port);
	case MAILIMAP_ERROR_FATAL:
		return err_set(err, ERR_TEMP, "%s on %s:%u: server closed the"
		    " connection: %s", what, s->host, s->port,
		    resp != NULL ? resp : "BYE");
	case MAILIMAP_ERROR_MEMORY:
		return err_set(err, ERR_FATAL, "%s: out of memory", what);
	case MAILIMAP_ERROR_BAD_STATE:
		return err_set(err, ERR_TEMP, "%s: session in the wrong state",
		    what);
	default:
		/* The command-specific codes all mean a NO or BAD reply. */
		return err_set(err, cls_refused, "%s on %s:%u refused: %s",
		    what, s->host, s->port,
		    resp != NULL ? resp : "no reason given");
	}
}

static void
socket_set_timeouts(int fd, unsigned int timeout_s)
{
	struct timeval tv;

	tv.tv_sec = timeout_s;
	tv.tv_usec = 0;
	/* Best effort: without them a stuck write could hang, but reads
	 * are bounded by poll() anyway. */
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

/* Connect to one address within timeout_s; returns fd or -1 (errno). */
static int
connect_one(const struct addrinfo *ai, unsigned int timeout_s)
{
	struct pollfd pfd;
	socklen_t len;
	int fd, flags, r, soerr;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
	    ai->ai_protocol);
	if (fd == -1)
		return -1;
	flags = fcntl(fd, F_GETFL);
	(void)fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	r = connect(fd, ai->ai_addr, ai->ai_addrlen);
	if (r == -1 && errno != EINPROGRESS)
		goto fail;
	if (r == -1) {
		pfd.fd = fd;
		pfd.events = POLLOUT;
		do {
			r = poll(&pfd, 1, (int)timeout_s * 1000);
		} while (r == -1 && errno == EINTR);
		if (r == 0)
			errno = ETIMEDOUT;
		if (r <= 0)
			goto fail;
		len = sizeof(soerr);
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == -1)
			goto fail;
		if (soerr != 0) {
			errno = soerr;
			goto fail;
		}
	}
	(void)fcntl(fd, F_SETFL, flags);
	socket_set_timeouts(fd, timeout_s);
	return fd;
fail:
	r = errno;
	close(fd);
	errno = r;
	return -1;
}

static int
tcp_connect(const char *host, unsigned int port, unsigned int timeout_s,
    struct err *err)
{
	struct addrinfo hints, *res, *ai;
	char portstr[16];
	int fd = -1, r, saved = 0;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(portstr, sizeof(portstr), "%u", port);
	if ((r = getaddrinfo(host, portstr, &hints, &res)) != 0) {
		err_set(err, r == EAI_AGAIN || r == EAI_SYSTEM ? ERR_TEMP :
		    ERR_CONFIG, "imap: cannot resolve '%s': %s", host,
		    gai_strerror(r));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if ((fd = connect_one(ai, timeout_s)) != -1)
			break;
		saved = errno;
	}
	freeaddrinfo(res);
	if (fd == -1)
		err_set(err, ERR_TEMP, "imap: cannot connect to %s:%u: %s",
		    host, port, strerror(saved));
	return fd;
}

/* Connect and return a stream whose TLS (if any) is up and verified. */
static int
session_open(struct imap_session *s, const struct imap_conf *conf,
    struct err *err)
{
	struct mailimap_capability_data *cap = NULL;
	mailstream_low *low, *old;
	mailstream *stream;
	int fd, r;

	if ((fd = tcp_connect(conf->host, conf->port, s->timeout_s, err))
	    == -1)
		return -1;

	if (conf->tls == IMAP_TLS_IMPLICIT) {
		low = imap_tls_low_new(fd, conf->host, conf->ca_file,
		    s->timeout_s, err);
		if (low == NULL) {
			close(fd);
			return -1;
		}
		mailstream_low_set_timeout(low, s->timeout_s);
		if ((stream = mailstream_new(low, 8192)) == NULL) {
			mailstream_low_close(low);
			mailstream_low_free(low);
			return err_set(err, ERR_FATAL, "imap: out of memory");
		}
	} else if ((stream = mailstream_socket_open_timeout(fd,
	    s->timeout_s)) == NULL) {
		close(fd);
		return err_set(err, ERR_FATAL, "imap: out of memory");
	}

	/* From here the session owns the stream and its fd. */
	r = mailimap_connect(s->imap, stream);
	if (r != MAILIMAP_NO_ERROR_AUTHENTICATED &&
	    r != MAILIMAP_NO_ERROR_NON_AUTHENTICATED)
		return imap_fail(s, r, ERR_TEMP, err, "imap greeting");

	if (conf->tls == IMAP_TLS_STARTTLS) {
		if ((r = mailimap_starttls(s->imap)) != MAILIMAP_NO_ERROR)
			return imap_fail(s, r, ERR_CONFIG, err,
			    "imap STARTTLS");
		old = mailstream_get_low(s->imap->imap_stream);
		low = imap_tls_low_new(mailstream_low_get_fd(old), conf->host,
		    conf->ca_file, s->timeout_s, err);
		if (low == NULL)
			return -1;	/* the old stream still owns fd */
		mailstream_low_set_timeout(low, s->timeout_s);
		/* Freeing the plain low stream does not close fd. */
		mailstream_low_free(old);
		mailstream_set_low(s->imap->imap_stream, low);
		/* Capabilities seen before TLS must not be trusted. */
		if ((r = mailimap_capability(s->imap, &cap)) !=
		    MAILIMAP_NO_ERROR)
			return imap_fail(s, r, ERR_TEMP, err,
			    "imap CAPABILITY");
		mailimap_capability_data_free(cap);
	}
	return 0;
}

static int
session_login(struct imap_session *s, const struct imap_conf *conf,
    struct err *err)
{
	struct mailimap_capability_data *cap = NULL;
	char what[300];
	int r;

	snprintf(what, sizeof(what), "imap login as '%s'", s->user);
	if (conf->oauth2_token != NULL) {
		if (!mailimap_has_xoauth2(s->imap))
			return err_set(err, ERR_CONFIG, "%s on %s:%u: server"
			    " does not offer XOAUTH2", what, s->host, s->port);
		r = mailimap_oauth2_authenticate(s->imap, conf->user,
		    conf->oauth2_token);
	} else if (conf->password != NULL)
		r = mailimap_login(s->imap, conf->user, conf->password);
	else
		return err_set(err, ERR_CONFIG, "%s: no password or token"
		    " configured", what);
	if (r != MAILIMAP_NO_ERROR)
		return imap_fail(s, r, ERR_CONFIG, err, what);

	/* Servers announce more (MOVE, IDLE, UIDPLUS) once logged in. */
	r = mailimap_capability(s->imap, &cap);
	if (r != MAILIMAP_NO_ERROR)
		return imap_fail(s, r, ERR_TEMP, err, "imap CAPABILITY");
	mailimap_capability_data_free(cap);
	return 0;
}

struct imap_session *
imap_connect(const struct imap_conf *conf, struct err *err)
{
	struct imap_session *s;

	if (conf->host == NULL || conf->user == NULL || conf->port == 0 ||
	    conf->port > 65535) {
		err_set(err, ERR_CONFIG, "imap: host, port and user must be set");
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	s->host = xstrdup(conf->host);
	s->user = xstrdup(conf->user);
	s->port = conf->port;
	s->timeout_s = conf->timeout_s > 0 ? conf->timeout_s : 60;
	if ((s->imap = mailimap_new(0, NULL)) == NULL) {
		err_set(err, ERR_FATAL, "imap: out of memory");
		goto fail;
	}
	mailimap_set_timeout(s->imap, s->timeout_s);

	if (session_open(s, conf, err) == -1 ||
	    session_login(s, conf, err) == -1)
		goto fail;
	log_debug("imap: logged in as '%s' on %s:%u", s->user, s->host,
	    s->port);
	return s;
fail:
	imap_session_free(s);
	return NULL;
}

int
imap_has_idle(struct imap_session *s)
{
	return mailimap_has_idle(s->imap);
}

void
imap_logout(struct imap_session *s)
{
	/* A server that went silent would make LOGOUT wait out the
	 * timeout a second time. */
	if (s == NULL || s->imap == NULL || s->imap->imap_stream == NULL ||
	    s->broken)
		return;
	/* mailimap_logout closes the stream whatever the server says. */
	(void)mailimap_logout(s->imap);
}

void
imap_session_free(struct imap_session *s)
{
	if (s == NULL)
		return;
	if (s->imap != NULL)
		mailimap_free(s->imap);	/* closes the stream if open */
	free(s->host);
	free(s->user);
	free(s);
}

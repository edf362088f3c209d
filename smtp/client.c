/*
 * An SMTP client over libcurl; see smtp.h.
 *
 * One easy handle is kept for the client's life: curl keeps the
 * connection open between transfers, so a batch pays for TCP, TLS, EHLO
 * and AUTH once.  CURLcode and SMTP reply codes are translated into the
 * error classes here and nowhere else.
 */
#include "config.h"

#include <sys/socket.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "common/buf.h"
#include "common/xmalloc.h"
#include "smtp/smtp.h"

struct smtp_client {
	CURL		*curl;
	char		*host, *user, *password, *oauth2_token, *ca_file;
	char		*helo_name;
	struct smtp_conf conf;
	unsigned long	 connections;
	int		 authed;	/* this connection sent AUTH */
	int		 unauth;	/* MAIL FROM went out without it */
	char		 errbuf[CURL_ERROR_SIZE];
};

struct smtp_upload {
	const char	*p;
	size_t		 left;
};

static char *
smtp_dup(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void
smtp_wipe(char *s)
{
	if (s != NULL) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

struct smtp_client *
smtp_client_new(const struct smtp_conf *conf)
{
	struct smtp_client *c = xcalloc(1, sizeof(*c));
	static int inited;

	if (!inited) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		inited = 1;
	}
	c->conf = *conf;
	c->host = smtp_dup(conf->host);
	c->user = smtp_dup(conf->user);
	c->password = smtp_dup(conf->password);
	c->oauth2_token = smtp_dup(conf->oauth2_token);
	c->ca_file = smtp_dup(conf->ca_file);
	c->helo_name = smtp_dup(conf->helo_name);
	return c;
}

void
smtp_client_free(struct smtp_client *c)
{
	if (c == NULL)
		return;
	if (c->curl != NULL)
		curl_easy_cleanup(c->curl);
	free(c->host);
	free(c->user);
	smtp_wipe(c->password);
	smtp_wipe(c->oauth2_token);
	free(c->ca_file);
	free(c->helo_name);
	free(c);
}

unsigned long
smtp_client_connections(const struct smtp_client *c)
{
	return c->connections;
}

static size_t
smtp_read(char *dst, size_t size, size_t nmemb, void *arg)
{
	struct smtp_upload *u = arg;
	size_t n = size * nmemb;

	if (n > u->left)
		n = u->left;
	memcpy(dst, u->p, n);
	u->p += n;
	u->left -= n;
	return n;
}

/* Count new connections (CURLOPT_OPENSOCKETFUNCTION is called for each). */
static curl_socket_t
smtp_open_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct smtp_client *c = arg;

	(void)purpose;
	c->connections++;
	c->authed = 0;
	return socket(a->family, a->socktype, a->protocol);
}

/*
 * libcurl sends a message without logging in when the server advertises
 * no AUTH, even with a user and password set.  Credentials in the
 * configuration mean "only as this user": watch the commands that go out
 * (never logged: AUTH carries the secret) and note a MAIL FROM that was
 * not preceded by AUTH on this connection; smtp_header() then stops the
 * transaction before any recipient or data is sent.
 */
static int
smtp_debug(CURL *h, curl_infotype type, char *data, size_t size, void *arg)
{
	struct smtp_client *c = arg;

	(void)h;
	if (type != CURLINFO_HEADER_OUT)
		return 0;
	if (size >= 5 && strncasecmp(data, "AUTH ", 5) == 0)
		c->authed = 1;
	else if (size >= 10 && strncasecmp(data, "MAIL FROM:", 10) == 0 &&
	    c->user != NULL && !c->authed)
		c->unauth = 1;
	return 0;
}

/* Every server reply line passes here; returning less than given makes
 * curl abort the transfer (CURLE_WRITE_ERROR). */
static size_t
smtp_header(char *data, size_t size, size_t nitems, void *arg)
{
	struct smtp_client *c = arg;

	(void)data;
	return c->unauth ? 0 : size * nitems;
}

static int
smtp_setup(struct smtp_client *c, struct err *err)
{
	char url[1024];
	CURL *h;

	if (c->curl != NULL)
		return 0;
	if ((h = curl_easy_init()) == NULL)
		return err_set(err, ERR_TEMP, "cannot set up libcurl");
	snprintf(url, sizeof(url), "%s://%s:%u/%s",
	    c->conf.tls == SMTP_TLS_IMPLICIT ? "smtps" : "smtp", c->host,
	    c->conf.port, c->helo_name ? c->helo_name : "");
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, c->errbuf);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	/* STARTTLS is mandatory unless tls = none was written: never
	 * CURLUSESSL_TRY, which would send AUTH in the clear. */
	if (c->conf.tls != SMTP_TLS_NONE)
		curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (c->ca_file != NULL)
		curl_easy_setopt(h, CURLOPT_CAINFO, c->ca_file);
	if (c->user != NULL) {
		curl_easy_setopt(h, CURLOPT_USERNAME, c->user);
		if (c->oauth2_token != NULL)
			curl_easy_setopt(h, CURLOPT_XOAUTH2_BEARER,
			    c->oauth2_token);
		else if (c->password != NULL)
			curl_easy_setopt(h, CURLOPT_PASSWORD, c->password);
	}
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)c->conf.timeout_s);
	/* A stall of timeout_s fails the transfer; a slow but moving one
	 * goes on. */
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, (long)c->conf.timeout_s);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, smtp_read);
	curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, smtp_open_socket);
	curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, c);
	/* Verbose only feeds smtp_debug(), which prints nothing. */
	curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
	curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, smtp_debug);
	curl_easy_setopt(h, CURLOPT_DEBUGDATA, c);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, smtp_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, c);
	c->curl = h;
	return 0;
}

/* curl dot-stuffs "\r\n." but not "." after a bare LF: make every line
 * end CRLF first. */
static void
smtp_crlf(const char *msg, size_t len, struct buf *out)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (msg[i] == '\n' && (i == 0 || msg[i - 1] != '\r'))
			buf_addc(out, '\r');
		else if (msg[i] == '\r' && (i + 1 == len || msg[i + 1] != '\n')) {
			buf_adds(out, "\r\n");
			continue;
		}
		buf_addc(out, msg[i]);
	}
	if (len == 0 || msg[len - 1] != '\n')
		buf_adds(out, "\r\n");
}

int
smtp_client_send(struct smtp_client *c, const char *from, const char *rcpt,
    const char *msg, size_t len, int *conn_r, struct err *err)
{
	struct curl_slist *rcpts = NULL;
	struct smtp_upload up;
	struct buf b;
	char env_from[512];
	CURLcode rc;
	long code = 0;
	enum err_class cls;

	*conn_r = 1;
	if (smtp_setup(c, err) == -1)
		return -1;
	buf_init(&b, BUF_NOLIMIT);
	smtp_crlf(msg, len, &b);
	up.p = b.data;
	up.left = b.len;
	snprintf(env_from, sizeof(env_from), "<%s>", from ? from : "");
	rcpts = curl_slist_append(NULL, rcpt);
	curl_easy_setopt(c->curl, CURLOPT_MAIL_FROM, env_from);
	curl_easy_setopt(c->curl, CURLOPT_MAIL_RCPT, rcpts);
	curl_easy_setopt(c->curl, CURLOPT_READDATA, &up);
	curl_easy_setopt(c->curl, CURLOPT_INFILESIZE_LARGE,
	    (curl_off_t)b.len);
	c->errbuf[0] = '\0';
	c->unauth = 0;
	rc = curl_easy_perform(c->curl);
	curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_setopt(c->curl, CURLOPT_MAIL_RCPT, NULL);
	curl_slist_free_all(rcpts);
	buf_release(&b);
	if (rc == CURLE_OK)
		return 0;
	if (c->unauth)
		return err_set(err, ERR_CONFIG, "smtp %s:%u: the server offers "
		    "no AUTH, but [smtp] user is set: not sending without "
		    "logging in (use its submission port, or remove user for "
		    "a relay that needs no login)", c->host, c->conf.port);

	switch (rc) {
	case CURLE_LOGIN_DENIED:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_USE_SSL_FAILED:
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
		cls = ERR_CONFIG;
		break;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SSL_CONNECT_ERROR:
		cls = ERR_TEMP;
		break;
	default:
		/* The server answered this message: its code decides. */
		if (code >= 500 && code < 600) {
			cls = ERR_MSG;
			*conn_r = 0;
		} else if (code >= 400 && code < 500) {
			cls = ERR_TEMP;
			*conn_r = 0;
		} else {
			cls = ERR_TEMP;
		}
		break;
	}
	/* After an error curl may have dropped the connection; the next
	 * send reconnects on its own. */
	if (code > 0)
		return err_set(err, cls, "smtp %s:%u: %s (%ld)", c->host,
		    c->conf.port, c->errbuf[0] ? c->errbuf :
		    curl_easy_strerror(rc), code);
	return err_set(err, cls, "smtp %s:%u: %s", c->host, c->conf.port,
	    c->errbuf[0] ? c->errbuf : curl_easy_strerror(rc));
}

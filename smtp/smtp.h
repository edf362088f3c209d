/*
 * smtp/: the only place that uses libcurl.  client.c sends prepared
 * messages over one SMTP connection (TLS required unless tls = none is
 * written explicitly, certificate chain and host name verified, AUTH
 * PLAIN/LOGIN or XOAUTH2); outbox.c takes the due rows of the store's
 * outbox and sends them in one batch over one connection, scheduling
 * retries and giving up as the configuration says.
 */
#ifndef MO_SMTP_H
#define MO_SMTP_H

#include <stddef.h>
#include <time.h>

#include "common/error.h"

struct store;

enum smtp_tls {
	SMTP_TLS_IMPLICIT,	/* TLS from the first byte (465) */
	SMTP_TLS_STARTTLS,	/* STARTTLS required; refused without it */
	SMTP_TLS_NONE,		/* plaintext: loopback tests only */
};

struct smtp_conf {
	const char	*host;
	unsigned int	 port;
	enum smtp_tls	 tls;
	const char	*user;		/* NULL: no AUTH */
	const char	*password;	/* AUTH PLAIN/LOGIN */
	const char	*oauth2_token;	/* XOAUTH2 when set */
	const char	*ca_file;	/* PEM trust anchors; NULL: system */
	const char	*helo_name;	/* NULL: curl's default */
	unsigned int	 timeout_s;	/* connect, and any stall */
};

struct smtp_client;

/* A client for conf (copied, strings included; secrets are wiped on
 * free).  Nothing is connected until the first send. */
struct smtp_client	*smtp_client_new(const struct smtp_conf *);

/* Close the connection and free everything.  NULL is fine. */
void			 smtp_client_free(struct smtp_client *);

/*
 * Send msg[0..len) (a complete message; bare LFs are turned into CRLF)
 * from the envelope sender from to rcpt, over the open connection or a
 * new one.  Returns 0, or -1 with err:
 *   ERR_TEMP    a 4xx reply, a timeout, a refused or lost connection
 *   ERR_MSG     a 5xx reply: this message will never be taken as it is
 *   ERR_CONFIG  login refused, certificate not trusted, no STARTTLS,
 *               or a user is set and the server offers no AUTH (nothing
 *               is sent unauthenticated then)
 * *conn_r is set to 1 when the failure concerns the connection (nothing
 * was sent, the next message would fail the same way), 0 when it was
 * this message only.
 */
int	smtp_client_send(struct smtp_client *, const char *from,
	    const char *rcpt, const char *msg, size_t len, int *conn_r,
	    struct err *);

/* How many connections the client opened so far (for tests). */
unsigned long smtp_client_connections(const struct smtp_client *);

struct smtp_outbox_stats {
	unsigned int	sent, retried, failed, gave_up;
	int		config_error;	/* the server refused our setup */
};

/* The secret of the account, fetched only when a connection needs it:
 * 0 with *secret_r (the caller gives it to wipe), or -1 with err
 * (ERR_CONFIG: fix the configuration; ERR_TEMP: try again later). */
struct smtp_secret {
	int	(*read)(void *arg, char **secret_r, struct err *);
	void	(*wipe)(char *secret);
	void	 *arg;
	int	  oauth2;	/* an XOAUTH2 token, not a password */
};

/* What the outbox sender needs: the server (its password or token left
 * NULL: filled from secret), the envelope sender and the retry policy. */
struct smtp_outbox_conf {
	struct smtp_conf	 server;
	const struct smtp_secret *secret;	/* NULL: no AUTH secret */
	const char		*from;
	long			 retry_initial;	/* seconds */
	long			 retry_max;	/* seconds */
	long			 give_up_after;	/* seconds */
	long			 hold;		/* seconds a reply a person
						   triggered waits, for undo */
};

/*
 * Send every reply of the outbox that is due at now over one connection
 * to conf's server (the secret is read only when something is due);
 * a reply a person triggered only once it has waited conf->hold
 * seconds ([reply] undo_seconds), so undo can take it back.
 * Each row ends sent, scheduled for a retry with exponential backoff
 * (retry_initial doubling up to retry_max), or failed with a
 * "reply_failed" flag on its order (a 5xx, or still unsent after
 * give_up_after).  A configuration-class failure (login refused,
 * untrusted certificate, no AUTH for the configured user, a secret that
 * cannot be read) is logged once and sets stats->config_error; its
 * replies stay queued.  Returns 0 with *stats, or -1 with err when the
 * store fails (a failing server is not an error of this call).
 */
int	smtp_outbox_send(struct store *, const struct smtp_outbox_conf *conf,
	    time_t now, struct smtp_outbox_stats *stats, struct err *);

struct config_webhook;

struct smtp_webhook_stats {
	unsigned	sent, retried, failed;
};

/* Post up to a batch of the webhook events due at `due` (smtp/webhook.c),
 * each signed with the time it is posted and its outcome recorded in the
 * store as it comes; a retry is due a wait after its attempt, so with
 * the same `due` a later call does not try it again.  -1 with err on a store
 * error, an unreadable secret (ERR_CONFIG) or a URL that is neither
 * https nor to this machine (ERR_CONFIG). */
int	smtp_webhook_send(struct store *, const struct config_webhook *,
	    time_t due, struct smtp_webhook_stats *, struct err *);

#endif

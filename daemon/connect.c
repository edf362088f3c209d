/*
 * Connection settings from the configuration: the one place where the
 * [imap] and [smtp] sections become imap/'s and smtp/'s own settings, so
 * neither of those folders needs config/.  Secrets stay where they live
 * until a connection needs them (config_secret_read()).
 */
#include "config.h"

#include <string.h>

#include "daemon/daemon.h"
#include "imap/imap.h"
#include "smtp/smtp.h"

static int
connect_oauth2(const struct config_secret *s)
{
	return s->oauth2_token_file != NULL || s->oauth2_token_command != NULL;
}

void
connect_imap_conf(const struct config_imap *c, const char *secret,
    struct imap_conf *ic)
{
	memset(ic, 0, sizeof(*ic));
	ic->host = c->host;
	ic->port = (unsigned int)c->port;
	ic->tls = c->tls == CONFIG_TLS_IMPLICIT ? IMAP_TLS_IMPLICIT :
	    c->tls == CONFIG_TLS_STARTTLS ? IMAP_TLS_STARTTLS : IMAP_TLS_NONE;
	ic->user = c->user;
	ic->ca_file = c->ca_file;
	ic->timeout_s = (unsigned int)c->timeout;
	if (connect_oauth2(&c->secret))
		ic->oauth2_token = secret;
	else
		ic->password = secret;
}

/* smtp_secret.read over a struct config_secret. */
static int
connect_secret_read(void *arg, char **secret_r, struct err *err)
{
	return config_secret_read(arg, secret_r, err);
}

void
connect_smtp_outbox(const struct config_smtp *c, struct smtp_secret *sec,
    struct smtp_outbox_conf *oc)
{
	const struct config_secret *s = &c->secret;

	memset(oc, 0, sizeof(*oc));
	oc->server.host = c->host;
	oc->server.port = (unsigned int)c->port;
	oc->server.tls = c->tls == CONFIG_TLS_IMPLICIT ? SMTP_TLS_IMPLICIT :
	    c->tls == CONFIG_TLS_STARTTLS ? SMTP_TLS_STARTTLS : SMTP_TLS_NONE;
	oc->server.user = c->user;
	oc->server.ca_file = c->ca_file;
	oc->server.helo_name = c->helo_name;
	oc->server.timeout_s = (unsigned int)c->timeout;
	oc->from = c->from;
	oc->retry_initial = c->retry_initial;
	oc->retry_max = c->retry_max;
	oc->give_up_after = c->give_up_after * 3600;
	/* The secret is read only for a user with a source for it. */
	if (c->user != NULL && (s->password_file != NULL ||
	    s->password_credential != NULL || connect_oauth2(s))) {
		memset(sec, 0, sizeof(*sec));
		sec->read = connect_secret_read;
		sec->wipe = config_secret_wipe;
		sec->arg = (void *)s;
		sec->oauth2 = connect_oauth2(s);
		oc->secret = sec;
	}
}

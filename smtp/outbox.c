/*
 * The outbox sender: due rows out over one connection; see smtp.h.
 *
 * A row is marked sent only after the server took the message, in its own
 * commit, so a crash in between sends the same message (same Message-ID)
 * again rather than losing it: receivers and threads cope with a
 * duplicate, a customer does not cope with silence.
 */
#include "config.h"

#include <string.h>

#include "common/log.h"
#include "smtp/smtp.h"
#include "store/outbox.h"

#define SMTP_BATCH	50	/* rows per call; the rest wait for the next */

/* A failure that is not this message's fault: schedule it again (or
 * give up when it is too old).  quiet: the reason was logged already,
 * once for the whole batch. */
static int
smtp_outbox_retry(struct store *st, const struct smtp_outbox_conf *c,
    const struct store_outbox_item *it, const char *why, int quiet,
    time_t now, struct smtp_outbox_stats *stats, struct err *err)
{
	struct store_outbox_retry r;
	int gave;

	r.initial = c->retry_initial;
	r.max = c->retry_max;
	r.give_up = c->give_up_after;
	if ((gave = store_outbox_retry(st, it->id, &r, why, now, err)) == -1)
		return -1;
	if (gave) {
		stats->gave_up++;
		log_err("reply <%s> to %s: given up after %d attempts: %s",
		    it->message_id, it->rcpt, it->attempts + 1, why);
	} else {
		stats->retried++;
		if (!quiet)
			log_warnx("reply <%s> to %s: %s; will retry",
			    it->message_id, it->rcpt, why);
	}
	return 0;
}

int
smtp_outbox_send(struct store *st, const struct smtp_outbox_conf *c,
    time_t now, struct smtp_outbox_stats *stats, struct err *err)
{
	struct store_outbox_item *items;
	struct smtp_client *cl = NULL;
	struct smtp_conf sc;
	struct err serr;
	char *secret = NULL;
	int n, i, conn, quiet;

	memset(stats, 0, sizeof(*stats));
	if ((n = store_outbox_due(st, now, c->hold, SMTP_BATCH, &items,
	    err)) <= 0)
		return n;
	err_clear(&serr);
	if (c->secret != NULL && c->secret->read(c->secret->arg, &secret,
	    &serr) == -1) {
		/* Every due reply waits for the secret to come back. */
		stats->config_error = serr.cls == ERR_CONFIG;
		for (i = 0; i < n; i++)
			if (smtp_outbox_retry(st, c, &items[i], serr.msg, 0,
			    now, stats, err) == -1)
				goto fail;
		store_outbox_items_free(items, (size_t)n);
		return 0;
	}
	sc = c->server;
	if (c->secret != NULL && c->secret->oauth2)
		sc.oauth2_token = secret;
	else if (c->secret != NULL)
		sc.password = secret;
	cl = smtp_client_new(&sc);
	if (c->secret != NULL)
		c->secret->wipe(secret);
	for (i = 0; i < n; i++) {
		struct store_outbox_item *it = &items[i];

		err_clear(&serr);
		if (smtp_client_send(cl, c->from, it->rcpt, it->msg, it->len,
		    &conn, &serr) == 0) {
			if (store_outbox_sent(st, it->id, now, err) == -1)
				goto fail;
			stats->sent++;
			log_info("reply <%s> sent to %s", it->message_id,
			    it->rcpt);
			continue;
		}
		if (serr.cls == ERR_MSG) {
			if (store_outbox_fail(st, it->id, serr.msg, err) == -1)
				goto fail;
			stats->failed++;
			log_err("reply <%s> to %s refused: %s; flagged for the "
			    "operator", it->message_id, it->rcpt, serr.msg);
			continue;
		}
		quiet = serr.cls == ERR_CONFIG;
		if (quiet) {
			stats->config_error = 1;
			log_err("%s; %d repl%s stay queued", serr.msg,
			    conn ? n - i : 1, conn && n - i > 1 ? "ies" : "y");
		}
		if (smtp_outbox_retry(st, c, it, serr.msg, quiet, now, stats,
		    err) == -1)
			goto fail;
		if (!conn)
			continue;
		/* The server is unreachable or refuses us: the rest of the
		 * batch would fail the same way. */
		for (i++; i < n; i++)
			if (smtp_outbox_retry(st, c, &items[i], serr.msg,
			    quiet, now, stats, err) == -1)
				goto fail;
	}
	smtp_client_free(cl);
	store_outbox_items_free(items, (size_t)n);
	return 0;
fail:
	smtp_client_free(cl);
	store_outbox_items_free(items, (size_t)n);
	return -1;
}

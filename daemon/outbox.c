/*
 * mailorderd's side of replies: the reply settings from the
 * configuration (reply/settings.c; the parse worker queues replies with
 * each order), send
 * what the outbox holds after every batch and whenever a retry falls due,
 * and put a copy of each sent reply into the shop's Sent folder through
 * the inbox its order's mail came from.
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include "common/log.h"
#include "daemon/daemon.h"
#include "imap/imap.h"
#include "reply/reply.h"
#include "smtp/smtp.h"
#include "store/outbox.h"
#include "store/webhook.h"

#define OUTBOX_COPY_BATCH	50
/* How often an idle daemon looks for replies queued by someone else (an
 * operator's `mailorder approve`): they have no IMAP event to wake us. */
#define OUTBOX_POLL		15

/* Does the shop send any reply without a person deciding? */
static int
outbox_automatic(const struct config *c)
{
	return c->reply.confirm_accepted || c->reply.acknowledge_flagged ||
	    c->reply.no_order_reply == CONFIG_NO_ORDER_RECEIPT;
}

void
outbox_setup(struct daemon *d)
{
	const struct config *c = d->conf;

	reply_settings_release(&d->reply);
	reply_settings_init(&d->reply, c, REPLY_SETTINGS_AUTOMATIC);
	d->replies = c->smtp.enabled && c->smtp.from != NULL &&
	    outbox_automatic(c);
	d->outbox_due = d->replies ? time(NULL) : 0;
}

void
outbox_release(struct daemon *d)
{
	reply_settings_release(&d->reply);
}

int
outbox_check(const struct config *c, struct err *err)
{
	if (!c->smtp.enabled || c->smtp.from == NULL || !outbox_automatic(c))
		return 0;
	return reply_templates_check(c->reply.templates, err);
}

/* The connected inbox a sent reply's copy goes to: the one its order's
 * mail came from, else (mail that came another way) the first
 * connected one.  NULL: none is connected now. */
static struct inbox *
outbox_copy_inbox(struct daemon *d, const char *mailbox)
{
	struct inbox *first = NULL;
	size_t i;

	for (i = 0; i < d->ninboxes; i++) {
		struct inbox *in = &d->inboxes[i];

		if (mailbox != NULL && strcmp(in->key, mailbox) == 0)
			return in->session != NULL ? in : NULL;
		if (first == NULL && in->session != NULL)
			first = in;
	}
	return first;
}

/* Copy sent replies into the Sent folder through the source of the inbox
 * their order came from; those that cannot be copied now (that inbox not
 * connected) wait for a later round. */
static void
outbox_copy(struct daemon *d)
{
	const char *folder = d->conf->smtp.sent_folder;
	struct store_outbox_item *items;
	struct source src;
	struct inbox *in;
	struct err err;
	int n, i;

	if (folder == NULL || *folder == '\0' || d->ninboxes == 0)
		return;
	err_clear(&err);
	if ((n = store_outbox_uncopied(d->store, OUTBOX_COPY_BATCH, &items,
	    &err)) <= 0) {
		if (n == -1)
			log_warnx("sent copies: %s", err.msg);
		return;
	}
	for (i = 0; i < n; i++) {
		if ((in = outbox_copy_inbox(d, items[i].mailbox)) == NULL)
			continue;
		imap_source_init(&src, in->session, in->key, in->uidvalidity);
		err_clear(&err);
		if (src.ops->append(src.h, folder, items[i].msg, items[i].len,
		    &err) == -1 ||
		    store_outbox_copied(d->store, items[i].id, &err) == -1) {
			log_warnx("reply <%s>: no copy in '%s': %s",
			    items[i].message_id, folder, err.msg);
			break;
		}
	}
	store_outbox_items_free(items, (size_t)n);
}

void
outbox_send(struct daemon *d, int now_due)
{
	struct smtp_outbox_stats stats;
	struct smtp_outbox_conf oc;
	struct smtp_secret sec;
	struct err err;
	time_t now = time(NULL), when;
	int r;

	if (!d->conf->smtp.enabled)
		return;
	if (now_due)
		d->outbox_due = now;
	err_clear(&err);
	if (d->outbox_due != 0 && d->outbox_due <= now) {
		notify_status(d, "sending replies");
		connect_smtp_outbox(&d->conf->smtp, &sec, &oc);
		oc.hold = d->conf->reply.undo_seconds;
		if (smtp_outbox_send(d->store, &oc, now, &stats, &err) == -1)
			log_warnx("outbox: %s", err.msg);
		else if (stats.config_error && d->once)
			/* cron must hear of it: exit EX_CONFIG. */
			d->once_failed = ERR_CONFIG;
		else if (stats.sent + stats.retried + stats.failed +
		    stats.gave_up > 0)
			log_debug("outbox: %u sent, %u to retry, %u refused, "
			    "%u given up", stats.sent, stats.retried,
			    stats.failed, stats.gave_up);
		notify_watchdog();
	}
	err_clear(&err);
	if ((r = store_outbox_next_due(d->store,
	    d->conf->reply.undo_seconds, &when, &err)) == -1) {
		log_warnx("outbox: %s", err.msg);
		d->outbox_due = now + 5;
	} else {
		d->outbox_due = r ? when : 0;
	}
}

/* When the next webhook event falls due (an operator's action queues one
 * due now), so a wait ends in time to post it. */
static void
outbox_webhook_refresh(struct daemon *d)
{
	struct err err;
	time_t when;
	int r;

	d->webhook_due = 0;
	if (!d->conf->webhook.enabled)
		return;
	err_clear(&err);
	if ((r = store_webhook_next_due(d->store, &when, &err)) == -1) {
		log_warnx("webhook: %s", err.msg);
		d->webhook_due = time(NULL) + 5;
	} else if (r)
		d->webhook_due = when;
}

/* Post the webhook events that are due: those the round's orders and
 * operators queued, and retries whose wait is over. */
static void
outbox_webhooks(struct daemon *d)
{
	struct smtp_webhook_stats stats;
	struct err err;

	if (!d->conf->webhook.enabled)
		return;
	err_clear(&err);
	if (smtp_webhook_send(d->store, &d->conf->webhook, time(NULL), &stats,
	    &err) == -1)
		log_warnx("webhook: %s", err.msg);
	else if (stats.sent + stats.retried + stats.failed > 0)
		log_debug("webhook: %u delivered, %u to retry, %u failed",
		    stats.sent, stats.retried, stats.failed);
	notify_watchdog();
	outbox_webhook_refresh(d);
}

void
outbox_cycle(struct daemon *d)
{
	/* New orders may have queued replies: look at the outbox now. */
	outbox_send(d, 1);
	outbox_copy(d);
	outbox_webhooks(d);
}

void
outbox_refresh(struct daemon *d)
{
	struct err err;
	time_t when;
	int r;

	outbox_webhook_refresh(d);
	if (!d->conf->smtp.enabled)
		return;
	err_clear(&err);
	if ((r = store_outbox_next_due(d->store,
	    d->conf->reply.undo_seconds, &when, &err)) == -1)
		log_warnx("outbox: %s", err.msg);
	else
		d->outbox_due = r ? when : 0;
}

unsigned int
outbox_poll_interval(const struct daemon *d)
{
	return d->conf->smtp.enabled || d->conf->webhook.enabled ?
	    OUTBOX_POLL : 0;
}

unsigned int
outbox_wait_limit(const struct daemon *d, unsigned int seconds)
{
	time_t now = time(NULL), due = d->outbox_due;

	/* The sooner of the next reply and the next webhook event. */
	if (d->webhook_due != 0 && (due == 0 || d->webhook_due < due))
		due = d->webhook_due;
	if (due == 0)
		return seconds;
	if (due <= now)
		return 0;
	if ((time_t)seconds > due - now)
		return (unsigned int)(due - now);
	return seconds;
}

/*
 * One inbox: connect (with backoff), run the batch protocol
 * (ingest/batch.c) over it as a mail source, and wait for news (IDLE or
 * the poll interval), waking up for signals and the watchdog.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "daemon/daemon.h"
#include "imap/imap.h"
#include "ingest/batch.h"

#define INBOX_BACKOFF_MIN	1
#define INBOX_BACKOFF_MAX	300
#define INBOX_AUTH_BACKOFF	300	/* a refused login is not retried fast */
#define INBOX_IDLE_MAX		(25 * 60)	/* RFC 2177: re-IDLE before 29 min */

void
inbox_disconnect(struct inbox *in)
{
	if (in->session != NULL) {
		imap_logout(in->session);
		imap_session_free(in->session);
	}
	in->session = NULL;
}

/* Exponential backoff with jitter, so several daemons (or inboxes) that
 * lost the same server do not come back in lockstep.  --once makes one
 * attempt: the log says so rather than promise a retry. */
static void
inbox_backoff(struct daemon *d, struct inbox *in, const struct err *err)
{
	unsigned int base;

	report_inbox_error(d, in, err);
	if (d->once) {
		log_warnx("imap %s: %s; --once: not retried (exit status %d)",
		    in->key, err->msg, err->cls == ERR_CONFIG ? EX_CONFIG :
		    EX_TEMPFAIL);
		return;
	}

	if (err->cls == ERR_CONFIG) {
		base = INBOX_AUTH_BACKOFF;
	} else {
		base = in->backoff ? in->backoff * 2 : INBOX_BACKOFF_MIN;
		if (base > INBOX_BACKOFF_MAX)
			base = INBOX_BACKOFF_MAX;
	}
	in->backoff = base;
	in->next_try = time(NULL) + base / 2 + 1 +
	    (time_t)(random() % (base / 2 + 1));
	log_warnx("imap %s: %s; retrying in %ld s", in->key, err->msg,
	    (long)(in->next_try - time(NULL)));
}

static int
inbox_connect(struct daemon *d, struct inbox *in, struct err *err)
{
	const struct config_imap *c = in->conf;
	struct imap_conf ic;
	char *secret = NULL;
	uint32_t uidnext;

	if (config_secret_read(&c->secret, &secret, err) == -1)
		return -1;
	connect_imap_conf(c, secret, &ic);
	if (ic.oauth2_token != NULL)
		report_inbox_token(d, in, secret);
	in->session = imap_connect(&ic, err);
	config_secret_wipe(secret);
	if (in->session == NULL)
		return -1;
	if (imap_create_folder_if_missing(in->session, c->failed_folder,
	    err) == -1 || (c->processed_folder != NULL &&
	    imap_create_folder_if_missing(in->session, c->processed_folder,
	    err) == -1) || imap_select(in->session, c->mailbox,
	    &in->uidvalidity, &uidnext, err) == -1) {
		inbox_disconnect(in);
		return -1;
	}
	in->idle = c->idle && imap_has_idle(in->session);
	in->backoff = 0;
	log_info("imap %s: connected, uidvalidity %u%s", in->key,
	    in->uidvalidity, in->idle ? ", using IDLE" : "");
	(void)d;
	return 0;
}

static int
inbox_tick(void *arg)
{
	struct daemon *d = arg;

	notify_watchdog();
	return d->stop;
}

static void
inbox_fetched(void *arg)
{
	notify_status(arg, "processing");
}

/* Confirmations go out with the batch, before its messages are filed. */
static void
inbox_settled(void *arg)
{
	struct daemon *d = arg;

	if (d->replies)
		outbox_send(d, 1);
}

int
inbox_cycle(struct daemon *d, struct inbox *in, struct err *err)
{
	const struct config_imap *c = in->conf;
	struct ingest_batcher bt;
	struct ingest_filing f;
	struct source src;
	int fatal;

	if (in->session == NULL) {
		if (time(NULL) < in->next_try)
			return 0;
		if (inbox_connect(d, in, err) == -1) {
			inbox_backoff(d, in, err);
			if (d->once && d->once_failed != ERR_CONFIG)
				d->once_failed = err->cls;
			return 0;
		}
	}
	memset(&bt, 0, sizeof(bt));
	bt.store = d->store;
	bt.worker = d->worker;
	bt.max_attempts = DAEMON_MAX_ATTEMPTS;
	bt.counts = &d->counts;
	bt.hooks.tick = inbox_tick;
	bt.hooks.fetched = inbox_fetched;
	bt.hooks.settled = inbox_settled;
	bt.hooks.arg = d;
	memset(&f, 0, sizeof(f));
	f.failed_folder = c->failed_folder;
	f.processed_folder = c->after_processing == CONFIG_AFTER_MOVE ?
	    c->processed_folder : NULL;
	f.seen = c->after_processing == CONFIG_AFTER_SEEN;
	f.batch_max_bytes = c->batch_max_bytes;
	f.batch_max_messages = (unsigned int)c->batch_max_messages;
	imap_source_init(&src, in->session, in->key, in->uidvalidity);
	if (ingest_batch_cycle(&bt, &src, &f, &fatal, err) == 0) {
		report_inbox_ok(d, in);
		return 0;
	}
	if (fatal)
		return -1;
	inbox_disconnect(in);
	if (!d->stop)
		inbox_backoff(d, in, err);
	if (d->once && d->once_failed == ERR_NONE)
		d->once_failed = err->cls;
	return 0;
}

static void
inbox_sleep(struct daemon *d, unsigned int seconds)
{
	unsigned int wd = notify_watchdog_interval();
	unsigned int step;

	while (seconds > 0 && !d->stop && !d->reload) {
		step = wd && wd < seconds ? wd : seconds;
		daemon_nap(d, step);	/* a signal cuts it short */
		seconds -= step;
		notify_watchdog();
	}
}

void
inbox_wait(struct daemon *d, struct inbox *in)
{
	unsigned int wd = notify_watchdog_interval();
	unsigned int chunk = INBOX_IDLE_MAX, waited = 0;
	struct err err;
	int r;

	if (in->session == NULL || !in->idle || d->ninboxes > 1) {
		time_t now = time(NULL);
		unsigned int s = (unsigned int)in->conf->poll_interval;

		if (in->session == NULL && in->next_try > now &&
		    (unsigned int)(in->next_try - now) < s)
			s = (unsigned int)(in->next_try - now);
		inbox_sleep(d, outbox_wait_limit(d, s));
		return;
	}
	if (wd && wd < chunk)
		chunk = wd;
	if (outbox_poll_interval(d) && outbox_poll_interval(d) < chunk)
		chunk = outbox_poll_interval(d);
	notify_status(d, "waiting for mail (IDLE)");
	while (!d->stop && !d->reload && waited < INBOX_IDLE_MAX) {
		unsigned int step = outbox_wait_limit(d, chunk);

		/* A reply's retry falls due: back to the loop to send it. */
		if (step == 0)
			return;
		err_clear(&err);
		r = imap_idle_wait(in->session, step, &err);
		notify_watchdog();
		if (r == 1) {
			log_debug("imap %s: the server announced new mail",
			    in->key);
			return;
		}
		if (r == -1) {
			if (d->stop || d->reload)
				return;
			inbox_disconnect(in);
			inbox_backoff(d, in, &err);
			return;
		}
		waited += step;
		outbox_refresh(d);
	}
}

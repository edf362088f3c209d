/*
 * One inbox: connect (with backoff), fetch new mail in batches, hand each
 * message to the parse worker, and file it away only after its order is
 * committed.  The order of those steps is what makes a crash at any point
 * harmless: a message is either still in the inbox (and its second
 * arrival finds the first one's record by its identity) or filed with its
 * order stored.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "daemon/daemon.h"
#include "engine/engine.h"
#include "imap/imap.h"
#include "ingest/record.h"
#include "ingest/worker.h"
#include "store/mailbox.h"
#include "store/order.h"

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
 * lost the same server do not come back in lockstep. */
static void
inbox_backoff(struct inbox *in, const struct err *err)
{
	unsigned int base;

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
	int oauth;

	memset(&ic, 0, sizeof(ic));
	ic.host = c->host;
	ic.port = (unsigned int)c->port;
	ic.tls = c->tls == CONFIG_TLS_IMPLICIT ? IMAP_TLS_IMPLICIT :
	    c->tls == CONFIG_TLS_STARTTLS ? IMAP_TLS_STARTTLS : IMAP_TLS_NONE;
	ic.user = c->user;
	ic.ca_file = c->ca_file;
	ic.timeout_s = (unsigned int)c->timeout;
	if (config_secret_read(&c->secret, &secret, err) == -1)
		return -1;
	oauth = c->secret.oauth2_token_file != NULL ||
	    c->secret.oauth2_token_command != NULL;
	if (oauth)
		ic.oauth2_token = secret;
	else
		ic.password = secret;
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

static void
inbox_count(struct daemon *d, const struct ingest_outcome *out)
{
	if (out->already)
		d->counts.duplicates++;
	else if (strcmp(out->status, "accepted") == 0)
		d->counts.accepted++;
	else if (strcmp(out->status, "ignored") == 0)
		d->counts.ignored++;
	else
		d->counts.flagged++;
}

struct inbox_item {
	int64_t			id;
	char			key[ENGINE_IDENTITY_MAX];
	char			state[STORE_STATE_MAX];
	int			attempts;
	int			handled;	/* its fate is (or will be) committed */
	int			failed;		/* goes to the failed folder */
	int			parsed;		/* has an order in the worker's group */
	char			why[ERR_MSG_MAX];
	struct ingest_outcome	out;
};

struct inbox_batch {
	struct daemon		*d;
	struct inbox		*in;
	struct inbox_item	*items;
};

/* Step 1: record every message of the batch, in one transaction, before
 * any of them is parsed. */
static int
inbox_record(struct inbox_batch *b, const struct imap_message *msgs,
    size_t n, struct err *err)
{
	struct store *st = b->d->store;
	struct store_message m;
	size_t i;

	if (store_begin(st, err) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		struct inbox_item *it = &b->items[i];

		if (engine_message_identity(msgs[i].raw, msgs[i].len, it->key,
		    sizeof(it->key)) == -1) {
			store_rollback(st);
			return err_set(err, ERR_FATAL, "cannot hash message");
		}
		memset(&m, 0, sizeof(m));
		m.dedupe_key = it->key;
		m.message_id = strncmp(it->key, "mid:", 4) == 0 ?
		    it->key + 4 : NULL;
		m.mailbox = b->in->key;
		m.uidvalidity = b->in->uidvalidity;
		m.uid = msgs[i].uid;
		m.raw = msgs[i].raw;
		m.rawlen = msgs[i].len;
		if (store_message_record(st, &m, &it->id, it->state,
		    &it->attempts, err) == -1) {
			store_rollback(st);
			return -1;
		}
	}
	return store_commit(st, err);
}

/* Step 2: run the batch through the worker as one group, so its orders
 * commit together.  A message that kills the worker fails on its own; the
 * orders of the group it took down with it are sent again to the next
 * worker.  Failures are recorded after the group commits (the group holds
 * the write lock until then). */
static int
inbox_parse(struct inbox_batch *b, const struct imap_message *msgs,
    size_t n, struct err *err)
{
	struct daemon *d = b->d;
	size_t *queue = xcalloc(n + 1, sizeof(*queue));
	size_t *pending = xcalloc(n + 1, sizeof(*pending));
	size_t qh = 0, qn = 0, np = 0, i, j;
	int rc = 0, pid;

	for (i = 0; i < n; i++) {
		struct inbox_item *it = &b->items[i];

		if (strcmp(it->state, "done") == 0) {
			log_info("uid %u (%s): already processed, filing it",
			    msgs[i].uid, it->key);
			it->handled = 1;
		} else if (strcmp(it->state, "failed") == 0 ||
		    it->attempts > DAEMON_MAX_ATTEMPTS) {
			log_warnx("uid %u (%s): giving up after %d attempts",
			    msgs[i].uid, it->key, it->attempts - 1);
			snprintf(it->why, sizeof(it->why), "the parser failed "
			    "on this message several times");
			it->handled = it->failed = 1;
		} else {
			queue[qn++] = i;
		}
	}
	while (qh < qn && !d->stop) {
		struct inbox_item *it = &b->items[j = queue[qh++]];
		int r, lost;

		pid = worker_pid(d->worker);
		err_clear(err);
		r = worker_ingest_group(d->worker, it->id, msgs[j].raw,
		    msgs[j].len, &it->out, err);
		/* The group is gone when the worker died with this message,
		 * or died before it and was started again for it. */
		lost = pid != -1 && worker_pid(d->worker) != pid;
		if (r == -1 && err->cls != ERR_MSG) {
			if (err->cls == ERR_CONFIG || err->cls == ERR_FATAL) {
				d->fatal = 1;
				d->fatal_err = *err;
			}
			rc = -1;
			break;
		}
		if (r == -1) {
			log_warnx("uid %u (%s): %s", msgs[j].uid, it->key,
			    err->msg);
			snprintf(it->why, sizeof(it->why), "%s", err->msg);
			it->handled = it->failed = 1;
			d->counts.failed++;
			err_clear(err);
		}
		if (lost && np > 0) {
			size_t *q2 = xcalloc(n + np + 1, sizeof(*q2)), k = 0;

			log_warnx("the parser died; processing %zu message%s "
			    "again", np, np == 1 ? "" : "s");
			for (i = 0; i < np; i++) {
				b->items[pending[i]].parsed = 0;
				q2[k++] = pending[i];
			}
			for (i = qh; i < qn; i++)
				q2[k++] = queue[i];
			free(queue);
			queue = q2;
			qh = 0;
			qn = k;
			np = 0;
		}
		if (r == 0) {
			it->parsed = 1;
			pending[np++] = j;
		}
		notify_watchdog();
	}
	if (np > 0 && worker_commit(d->worker, err) == -1) {
		/* Lost with the worker: these stay in the inbox and come
		 * back next cycle. */
		for (i = 0; i < np; i++)
			b->items[pending[i]].parsed = 0;
		rc = -1;
		np = 0;
	}
	for (i = 0; i < np; i++) {
		struct inbox_item *it = &b->items[pending[i]];

		it->handled = 1;
		log_info("uid %u (%s): order %s %s", msgs[pending[i]].uid,
		    it->key, it->out.ref, it->out.status);
		inbox_count(d, &it->out);
	}
	free(queue);
	free(pending);
	return rc;
}

/* Failures are recorded once the group has committed. */
static int
inbox_record_failures(struct inbox_batch *b, size_t n, struct err *err)
{
	struct ingest_outcome out;
	size_t i;

	for (i = 0; i < n; i++)
		if (b->items[i].failed && ingest_record_failure(b->d->store,
		    b->items[i].id, b->items[i].why, &out, err) == -1)
			return -1;
	return 0;
}

/* Step 3: file the handled messages, each group with one command, only
 * now that their fate is committed. */
static int
inbox_file(struct inbox_batch *b, const struct imap_message *msgs,
    size_t n, struct err *err)
{
	const struct config_imap *c = b->in->conf;
	uint32_t *ok = xcalloc(n + 1, sizeof(*ok));
	uint32_t *bad = xcalloc(n + 1, sizeof(*bad));
	size_t i, nok = 0, nbad = 0;
	int rc;

	for (i = 0; i < n; i++) {
		if (!b->items[i].handled)
			continue;
		if (b->items[i].failed)
			bad[nbad++] = msgs[i].uid;
		else
			ok[nok++] = msgs[i].uid;
	}
	rc = imap_move_uids(b->in->session, bad, nbad, c->failed_folder, err);
	if (rc == 0 && c->after_processing == CONFIG_AFTER_MOVE &&
	    c->processed_folder != NULL)
		rc = imap_move_uids(b->in->session, ok, nok,
		    c->processed_folder, err);
	else if (rc == 0)
		rc = imap_set_seen_uids(b->in->session, ok, nok, err);
	free(ok);
	free(bad);
	return rc;
}

static int
inbox_batch(const struct imap_message *msgs, size_t n, void *arg,
    struct err *err)
{
	struct inbox_batch *b = arg;
	struct daemon *d = b->d;
	struct err ferr;
	size_t prefix;
	int rc;

	b->items = xcalloc(n, sizeof(*b->items));
	if (inbox_record(b, msgs, n, err) == -1) {
		free(b->items);
		return -1;
	}
	rc = inbox_parse(b, msgs, n, err);
	err_clear(&ferr);
	if (inbox_record_failures(b, n, &ferr) == -1 && rc == 0) {
		*err = ferr;
		rc = -1;
	}
	/* Confirmations go out with the batch, before its messages are
	 * filed: a customer waits for them, the filing does not. */
	if (d->replies)
		outbox_send(d, 1);
	/* File what was handled even when the batch stopped early; the rest
	 * stays in the inbox for the next cycle. */
	err_clear(&ferr);
	if (inbox_file(b, msgs, n, &ferr) == -1 && rc == 0) {
		*err = ferr;
		rc = -1;
	}
	for (prefix = 0; prefix < n && b->items[prefix].handled; prefix++)
		;
	if (rc == 0 && prefix > 0 && b->in->conf->after_processing ==
	    CONFIG_AFTER_SEEN && store_cursor_set(d->store, b->in->key,
	    b->in->uidvalidity, msgs[prefix - 1].uid + 1, err) == -1)
		rc = -1;
	if (rc == 0 && (d->stop || prefix < n))
		rc = err_set(err, ERR_TEMP, "stopping");
	free(b->items);
	b->items = NULL;
	return rc;
}

int
inbox_cycle(struct daemon *d, struct inbox *in, struct err *err)
{
	const struct config_imap *c = in->conf;
	struct inbox_batch b = { d, in, NULL };
	uint32_t first = 1, next;
	int n;

	if (in->session == NULL) {
		if (time(NULL) < in->next_try)
			return 0;
		if (inbox_connect(d, in, err) == -1) {
			inbox_backoff(in, err);
			if (d->once && d->once_failed != ERR_CONFIG)
				d->once_failed = err->cls;
			return 0;
		}
	}
	/* With mail moved away after processing, whatever is in the inbox
	 * is new or not yet filed; only \Seen mode needs the cursor. */
	if (c->after_processing == CONFIG_AFTER_SEEN &&
	    store_cursor_get(d->store, in->key, in->uidvalidity, &first,
	    err) == -1)
		return -1;
	for (;;) {
		n = imap_fetch_messages(in->session, first,
		    c->batch_max_bytes, (unsigned int)c->batch_max_messages,
		    inbox_batch, &b, &next, err);
		if (n == -1) {
			if (d->fatal) {
				*err = d->fatal_err;
				return -1;
			}
			inbox_disconnect(in);
			if (!d->stop)
				inbox_backoff(in, err);
			if (d->once && d->once_failed == ERR_NONE)
				d->once_failed = err->cls;
			return 0;
		}
		notify_status(d, "processing");
		if (n == 0 || d->stop)
			break;
		first = next;
	}
	return 0;
}

static void
inbox_sleep(struct daemon *d, unsigned int seconds)
{
	unsigned int wd = notify_watchdog_interval();
	unsigned int step;

	while (seconds > 0 && !d->stop && !d->reload) {
		step = wd && wd < seconds ? wd : seconds;
		sleep(step);	/* a signal cuts it short */
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
		if (r == 1)
			return;
		if (r == -1) {
			if (d->stop || d->reload)
				return;
			inbox_disconnect(in);
			inbox_backoff(in, &err);
			return;
		}
		waited += step;
		outbox_refresh(d);
	}
}

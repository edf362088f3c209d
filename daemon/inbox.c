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
#include <sysexits.h>
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

struct inbox_item {
	int64_t			id;
	uint32_t		uid;
	char			key[ENGINE_IDENTITY_MAX];
	char			state[STORE_STATE_MAX];
	int			attempts;
	int			handled;	/* its fate is committed */
	int			failed;		/* goes to the failed folder */
	char			why[ERR_MSG_MAX];
};

/* One fetched batch on its way: recorded, parsed by the worker as one
 * group, then filed.  The worker parses one batch while the daemon files
 * the one before and fetches the one after. */
struct inbox_group {
	size_t			 n;
	struct inbox_item	*items;
	struct worker_item	*work;		/* given to the worker */
	size_t			*widx;		/* work[k] is items[widx[k]] */
	size_t			 nwork;
	int			 settled;	/* the worker is done with it */
	struct timespec		 t0;
	long			 ms_record, ms_wait;
};

struct inbox_batch {
	struct daemon		*d;
	struct inbox		*in;
	struct inbox_group	*prev;		/* parsing, or waiting to be filed */
	uint32_t		 cursor;	/* \Seen mode: filed below this */
};

static long
inbox_ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 +
	    (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static struct inbox_group *
inbox_group_new(const struct imap_message *msgs, size_t n)
{
	struct inbox_group *g = xcalloc(1, sizeof(*g));
	size_t i;

	clock_gettime(CLOCK_MONOTONIC, &g->t0);
	g->n = n;
	g->items = xcalloc(n + 1, sizeof(*g->items));
	g->work = xcalloc(n + 1, sizeof(*g->work));
	g->widx = xcalloc(n + 1, sizeof(*g->widx));
	for (i = 0; i < n; i++)
		g->items[i].uid = msgs[i].uid;
	return g;
}

static void
inbox_group_free(struct inbox_group *g)
{
	if (g == NULL)
		return;
	free(g->items);
	free(g->work);
	free(g->widx);
	free(g);
}

/* Step 1: record every message of the batch, in one transaction, before
 * any of them is parsed: a message that takes the daemon down is then
 * known by its attempt count when it comes back. */
static int
inbox_record(struct inbox_batch *b, struct inbox_group *g,
    const struct imap_message *msgs, struct err *err)
{
	struct store *st = b->d->store;
	struct store_message m;
	size_t i;

	if (store_begin(st, err) == -1)
		return -1;
	for (i = 0; i < g->n; i++) {
		struct inbox_item *it = &g->items[i];

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
	/* \Seen mode: the previous batch is filed now; move the cursor in
	 * the same commit. */
	if (b->cursor != 0 && store_cursor_set(st, b->in->key,
	    b->in->uidvalidity, b->cursor, err) == -1) {
		store_rollback(st);
		return -1;
	}
	b->cursor = 0;
	return store_commit(st, err);
}

static void
inbox_item_fail(struct inbox_item *it, const char *why)
{
	snprintf(it->why, sizeof(it->why), "%s", why);
	it->handled = it->failed = 1;
}

/* Step 2: hand the messages that still need parsing to the worker. */
static int
inbox_start(struct inbox_batch *b, struct inbox_group *g, struct err *err)
{
	size_t i;

	g->nwork = 0;
	for (i = 0; i < g->n; i++) {
		struct inbox_item *it = &g->items[i];

		if (strcmp(it->state, "done") == 0) {
			log_info("uid %u (%s): already processed, filing it",
			    it->uid, it->key);
			it->handled = 1;
		} else if (strcmp(it->state, "failed") == 0 ||
		    it->attempts > DAEMON_MAX_ATTEMPTS) {
			log_warnx("uid %u (%s): giving up after %d attempts",
			    it->uid, it->key, it->attempts - 1);
			inbox_item_fail(it, "the parser failed on this "
			    "message several times");
		} else {
			g->work[g->nwork].msg_id = it->id;
			g->widx[g->nwork++] = i;
		}
	}
	if (g->nwork == 0)
		return 0;
	return worker_group_start(b->d->worker, g->work, g->nwork, err);
}

static int
inbox_tick(void *arg)
{
	struct daemon *d = arg;

	notify_watchdog();
	return d->stop;
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

static int
inbox_worker_error(struct daemon *d, const struct err *err)
{
	if (err->cls == ERR_CONFIG || err->cls == ERR_FATAL) {
		d->fatal = 1;
		d->fatal_err = *err;
	}
	return -1;
}

/* Wait for the worker to finish the group.  A message that crashes or
 * hangs the worker fails on its own; its group's other orders went down
 * with the worker, so they are given to a new one. */
static int
inbox_wait_group(struct inbox_batch *b, struct inbox_group *g,
    struct err *err)
{
	struct daemon *d = b->d;
	struct inbox_item *it;
	size_t culprit;

	while (g->nwork > 0) {
		err_clear(err);
		if (worker_group_wait(d->worker, &culprit, inbox_tick, d,
		    err) == 0)
			return 0;
		if (err->cls != ERR_MSG)
			return inbox_worker_error(d, err);
		it = &g->items[g->widx[culprit]];
		log_warnx("uid %u (%s): %s", it->uid, it->key, err->msg);
		inbox_item_fail(it, err->msg);
		d->counts.failed++;
		g->nwork--;
		memmove(&g->work[culprit], &g->work[culprit + 1],
		    (g->nwork - culprit) * sizeof(*g->work));
		memmove(&g->widx[culprit], &g->widx[culprit + 1],
		    (g->nwork - culprit) * sizeof(*g->widx));
		if (g->nwork == 0)
			break;
		log_warnx("the parser died; processing %zu message%s again",
		    g->nwork, g->nwork == 1 ? "" : "s");
		err_clear(err);
		if (worker_group_start(d->worker, g->work, g->nwork,
		    err) == -1)
			return inbox_worker_error(d, err);
	}
	return 0;
}

/* Take in what the worker reported for each message. */
static int
inbox_take_results(struct inbox_batch *b, struct inbox_group *g,
    struct err *err)
{
	struct daemon *d = b->d;
	size_t k;
	int rc = 0;

	for (k = 0; k < g->nwork; k++) {
		struct worker_item *w = &g->work[k];
		struct inbox_item *it = &g->items[g->widx[k]];

		if (w->rc == 0) {
			it->handled = 1;
			log_info("uid %u (%s): order %s %s", it->uid, it->key,
			    w->out.ref, w->out.status);
			inbox_count(d, &w->out);
		} else if (w->err.cls == ERR_MSG) {
			log_warnx("uid %u (%s): %s", it->uid, it->key,
			    w->err.msg);
			inbox_item_fail(it, w->err.msg);
			d->counts.failed++;
		} else if (rc == 0) {
			*err = w->err;
			rc = inbox_worker_error(d, err);
		}
	}
	return rc;
}

/* Failures are recorded once the group has committed (the worker holds
 * the write lock until then). */
static int
inbox_record_failures(struct inbox_batch *b, struct inbox_group *g,
    struct err *err)
{
	struct ingest_outcome out;
	size_t i;

	for (i = 0; i < g->n; i++)
		if (g->items[i].failed && ingest_record_failure(b->d->store,
		    g->items[i].id, g->items[i].why, &out, err) == -1)
			return -1;
	return 0;
}

/* Step 3: see the previous batch through the worker.  Returns -1 when it
 * was not wholly handled (the rest stays in the inbox for next time). */
static int
inbox_settle(struct inbox_batch *b, struct err *err)
{
	struct inbox_group *g = b->prev;
	struct daemon *d = b->d;
	struct timespec t;
	struct err ferr;
	size_t i;
	int rc;

	if (g == NULL || g->settled)
		return 0;
	g->settled = 1;
	clock_gettime(CLOCK_MONOTONIC, &t);
	rc = inbox_wait_group(b, g, err);
	if (rc == 0)
		rc = inbox_take_results(b, g, err);
	g->ms_wait = inbox_ms_since(&t);
	err_clear(&ferr);
	if (inbox_record_failures(b, g, &ferr) == -1 && rc == 0) {
		*err = ferr;
		rc = -1;
	}
	/* Confirmations go out with the batch, before its messages are
	 * filed: a customer waits for them, the filing does not. */
	if (d->replies)
		outbox_send(d, 1);
	for (i = 0; rc == 0 && i < g->n; i++)
		if (!g->items[i].handled)
			rc = err_set(err, ERR_TEMP, "stopping");
	if (rc == 0 && d->stop)
		rc = err_set(err, ERR_TEMP, "stopping");
	return rc;
}

/* Step 4: file the handled messages, each kind with one command, only
 * now that their fate is committed. */
static int
inbox_file(struct inbox_batch *b, struct inbox_group *g, struct err *err)
{
	const struct config_imap *c = b->in->conf;
	uint32_t *ok = xcalloc(g->n + 1, sizeof(*ok));
	uint32_t *bad = xcalloc(g->n + 1, sizeof(*bad));
	size_t i, nok = 0, nbad = 0, prefix;
	int rc;

	for (i = 0; i < g->n; i++) {
		if (!g->items[i].handled)
			continue;
		if (g->items[i].failed)
			bad[nbad++] = g->items[i].uid;
		else
			ok[nok++] = g->items[i].uid;
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
	for (prefix = 0; prefix < g->n && g->items[prefix].handled; prefix++)
		;
	if (rc == 0 && prefix > 0 && c->after_processing == CONFIG_AFTER_SEEN)
		b->cursor = g->items[prefix - 1].uid + 1;
	log_debug("imap %s: batch of %zu: record %ld ms, waited %ld ms for "
	    "the parser, %ld ms in all", b->in->key, g->n, g->ms_record,
	    g->ms_wait, inbox_ms_since(&g->t0));
	return rc;
}

/* A fetched batch: settle the previous one, record and start this one,
 * then file the previous one while the worker parses this one. */
static int
inbox_batch(const struct imap_message *msgs, size_t n, void *arg,
    struct err *err)
{
	struct inbox_batch *b = arg;
	struct inbox_group *g;
	struct err ferr;

	if (inbox_settle(b, err) == -1)
		return -1;
	g = inbox_group_new(msgs, n);
	if (inbox_record(b, g, msgs, err) == -1) {
		inbox_group_free(g);
		return -1;
	}
	g->ms_record = inbox_ms_since(&g->t0);
	if (inbox_start(b, g, err) == -1) {
		inbox_group_free(g);
		return inbox_worker_error(b->d, err);
	}
	err_clear(&ferr);
	if (b->prev != NULL && inbox_file(b, b->prev, &ferr) == -1) {
		/* The new group is in flight: settle it before going. */
		inbox_group_free(b->prev);
		b->prev = g;
		*err = ferr;
		return -1;
	}
	inbox_group_free(b->prev);
	b->prev = g;
	return 0;
}

/* The end of a cycle: the last batch through the worker and filed (when
 * the connection is still there). */
static int
inbox_finish(struct inbox_batch *b, struct err *err)
{
	struct err ferr;
	int rc;

	rc = inbox_settle(b, err);
	err_clear(&ferr);
	if (b->prev != NULL && b->in->session != NULL &&
	    inbox_file(b, b->prev, &ferr) == -1 && rc == 0) {
		*err = ferr;
		rc = -1;
	}
	inbox_group_free(b->prev);
	b->prev = NULL;
	if (b->cursor != 0 && store_cursor_set(b->d->store, b->in->key,
	    b->in->uidvalidity, b->cursor, err) == -1)
		rc = -1;
	b->cursor = 0;
	return rc;
}

int
inbox_cycle(struct daemon *d, struct inbox *in, struct err *err)
{
	const struct config_imap *c = in->conf;
	struct inbox_batch b = { d, in, NULL, 0 };
	uint32_t first = 1, next;
	struct err ferr;
	int n, total;

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
	/* With mail moved away after processing, whatever is in the inbox
	 * is new or not yet filed; only \Seen mode needs the cursor. */
	if (c->after_processing == CONFIG_AFTER_SEEN &&
	    store_cursor_get(d->store, in->key, in->uidvalidity, &first,
	    err) == -1)
		return -1;
	/* Rounds until one finds nothing: mail that arrived while the last
	 * batch was settled, answered and filed is taken now, not when the
	 * server next announces something (Dovecot waits 500 ms to). */
	for (;;) {
		total = 0;
		do {
			n = imap_fetch_messages(in->session, first,
			    c->batch_max_bytes,
			    (unsigned int)c->batch_max_messages,
			    inbox_batch, &b, &next, err);
			notify_status(d, "processing");
			first = next;
			total += n > 0 ? n : 0;
		} while (n > 0 && !d->stop);
		if (n == -1) {
			/* The batch in flight still settles; err says why
			 * we stop. */
			err_clear(&ferr);
			(void)inbox_finish(&b, &ferr);
			break;
		}
		if (inbox_finish(&b, err) == -1)
			break;
		if (total == 0 || d->stop) {
			report_inbox_ok(d, in);
			return 0;
		}
	}
	if (d->fatal) {
		*err = d->fatal_err;
		return -1;
	}
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

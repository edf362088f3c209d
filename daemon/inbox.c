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

/* Put a message where it belongs after its fate is committed. */
static int
inbox_file(struct inbox *in, uint32_t uid, int failed, struct err *err)
{
	const struct config_imap *c = in->conf;

	if (failed)
		return imap_move(in->session, uid, c->failed_folder, err);
	if (c->after_processing == CONFIG_AFTER_MOVE &&
	    c->processed_folder != NULL)
		return imap_move(in->session, uid, c->processed_folder, err);
	return imap_set_seen(in->session, uid, err);
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

struct inbox_batch {
	struct daemon	*d;
	struct inbox	*in;
};

/* Record the arrival, run the worker, file the message.  A temporary
 * failure stops the batch: the message stays in the inbox for the next
 * cycle. */
static int
inbox_message(uint32_t uid, const char *raw, size_t len, void *arg,
    struct err *err)
{
	struct inbox_batch *b = arg;
	struct daemon *d = b->d;
	struct inbox *in = b->in;
	struct store_message m;
	struct ingest_outcome out;
	char key[ENGINE_IDENTITY_MAX], state[STORE_STATE_MAX];
	int64_t id;
	int attempts, failed = 0;

	if (d->stop)
		return err_set(err, ERR_TEMP, "stopping");
	if (engine_message_identity(raw, len, key, sizeof(key)) == -1)
		return err_set(err, ERR_FATAL, "cannot hash message");
	memset(&m, 0, sizeof(m));
	m.dedupe_key = key;
	m.message_id = strncmp(key, "mid:", 4) == 0 ? key + 4 : NULL;
	m.mailbox = in->key;
	m.uidvalidity = in->uidvalidity;
	m.uid = uid;
	m.raw = raw;
	m.rawlen = len;
	if (store_message_arrive(d->store, &m, &id, state, &attempts,
	    err) == -1)
		return -1;
	memset(&out, 0, sizeof(out));
	if (strcmp(state, "done") == 0) {
		log_info("uid %u (%s): already processed, filing it", uid, key);
		out.already = 1;
	} else if (strcmp(state, "failed") == 0 ||
	    attempts > DAEMON_MAX_ATTEMPTS) {
		log_warnx("uid %u (%s): giving up after %d attempts", uid, key,
		    attempts - 1);
		if (ingest_record_failure(d->store, id, "the parser failed on "
		    "this message several times", &out, err) == -1)
			return -1;
		failed = 1;
	} else if (worker_ingest(d->worker, id, raw, len, &out, err) == -1) {
		if (err->cls == ERR_CONFIG || err->cls == ERR_FATAL) {
			d->fatal = 1;
			d->fatal_err = *err;
		}
		if (err->cls != ERR_MSG)
			return -1;
		log_warnx("uid %u (%s): %s", uid, key, err->msg);
		if (ingest_record_failure(d->store, id, err->msg, &out,
		    err) == -1)
			return -1;
		failed = 1;
		d->counts.failed++;
	} else {
		log_info("uid %u (%s): order %s %s", uid, key, out.ref,
		    out.status);
		inbox_count(d, &out);
	}
	err_clear(err);
	if (inbox_file(in, uid, failed, err) == -1)
		return -1;
	if (in->conf->after_processing == CONFIG_AFTER_SEEN &&
	    store_cursor_set(d->store, in->key, in->uidvalidity, uid + 1,
	    err) == -1)
		return -1;
	notify_watchdog();
	return 0;
}

int
inbox_cycle(struct daemon *d, struct inbox *in, struct err *err)
{
	const struct config_imap *c = in->conf;
	struct inbox_batch b = { d, in };
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
		n = imap_fetch_batch(in->session, first,
		    c->batch_max_bytes, (unsigned int)c->batch_max_messages,
		    inbox_message, &b, &next, err);
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
		inbox_sleep(d, s);
		return;
	}
	if (wd && wd < chunk)
		chunk = wd;
	notify_status(d, "waiting for mail (IDLE)");
	while (!d->stop && !d->reload && waited < INBOX_IDLE_MAX) {
		err_clear(&err);
		r = imap_idle_wait(in->session, chunk, &err);
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
		waited += chunk;
	}
}

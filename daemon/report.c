/*
 * What the daemon tells the outside after each cycle: its state file,
 * read by `mailorder status`, and the metrics textfile when [metrics]
 * textfile is set.  Glue over health/; a failure to write either is
 * logged and costs nothing else.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "daemon/daemon.h"
#include "health/health.h"
#include "store/health.h"

/* The daemon's record of inbox key, kept across reloads (which rebuild
 * the inboxes). */
static struct health_inbox *
report_inbox(struct daemon *d, const char *key)
{
	struct health_state *s = &d->health;
	size_t i;

	for (i = 0; i < s->ninboxes; i++)
		if (strcmp(s->inboxes[i].key, key) == 0)
			return &s->inboxes[i];
	if (s->ninboxes >= HEALTH_MAX_INBOXES)
		return NULL;
	memset(&s->inboxes[s->ninboxes], 0, sizeof(s->inboxes[0]));
	snprintf(s->inboxes[s->ninboxes].key, sizeof(s->inboxes[0].key), "%s",
	    key);
	return &s->inboxes[s->ninboxes++];
}

void
report_start(struct daemon *d)
{
	struct err err;

	d->health.pid = (long)getpid();
	d->health.started = time(NULL);
	d->health.once = d->once;
	/* Latency is measured for orders from now on. */
	err_clear(&err);
	if (store_health_last_order(d->store, &d->latency_after, &err) == -1)
		log_warnx("%s", err.msg);
}

void
report_inbox_ok(struct daemon *d, const struct inbox *in)
{
	struct health_inbox *h = report_inbox(d, in->key);

	if (h != NULL)
		h->last_ok = time(NULL);
}

void
report_inbox_error(struct daemon *d, const struct inbox *in,
    const struct err *err)
{
	struct health_inbox *h = report_inbox(d, in->key);

	if (h == NULL)
		return;
	h->last_error_at = time(NULL);
	h->fetch_errors++;
	snprintf(h->last_error, sizeof(h->last_error), "%s", err->msg);
}

void
report_inbox_token(struct daemon *d, const struct inbox *in,
    const char *token)
{
	struct health_inbox *h = report_inbox(d, in->key);

	if (h != NULL)
		h->token_expires = health_token_expiry(token);
}

static void
report_observe(void *arg, double s)
{
	health_latency_observe(arg, s);
}

/* The state of the inboxes configured now, in their order. */
void
report_state(struct daemon *d, struct health_state *out)
{
	const struct ingest_counts *c = &d->counts;
	size_t i;

	*out = d->health;
	out->ninboxes = 0;
	for (i = 0; i < d->ninboxes && i < HEALTH_MAX_INBOXES; i++) {
		const struct health_inbox *h = report_inbox(d,
		    d->inboxes[i].key);

		if (h != NULL)
			out->inboxes[out->ninboxes++] = *h;
	}
	out->outcomes[HEALTH_ACCEPTED] = c->accepted;
	out->outcomes[HEALTH_FLAGGED] = c->flagged;
	out->outcomes[HEALTH_IGNORED] = c->ignored;
	out->outcomes[HEALTH_FAILED] = c->failed;
	out->outcomes[HEALTH_DUPLICATE] = c->duplicates;
}

static void
report_metrics(struct daemon *d, const struct health_state *s)
{
	struct store_health h;
	struct err err;
	struct buf b;

	err_clear(&err);
	if (store_health_read(d->store, &h, &err) == -1) {
		log_warnx("metrics: %s", err.msg);
		return;
	}
	buf_init(&b, BUF_NOLIMIT);
	health_metrics_format(s, &h, s->cycle, &b);
	if (health_file_replace(d->conf->metrics_textfile, buf_str(&b), b.len,
	    &err) == -1)
		log_warnx("metrics: %s", err.msg);
	buf_release(&b);
}

void
report_cycle(struct daemon *d)
{
	struct health_state *s = xmalloc(sizeof(*s));
	struct err err;
	char *path;

	err_clear(&err);
	if (store_health_latencies(d->store, &d->latency_after, report_observe,
	    &d->health.latency, &err) == -1)
		log_warnx("metrics: %s", err.msg);
	d->health.cycle = time(NULL);
	report_state(d, s);
	path = health_state_path(d->conf->store_path);
	if (health_state_write(path, s, &err) == -1)
		log_warnx("status: %s", err.msg);
	free(path);
	if (d->conf->metrics_textfile != NULL)
		report_metrics(d, s);
	free(s);
}

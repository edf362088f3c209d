/*
 * [alerts]: the daemon's own view of `mailorder status` (it holds the
 * store, so its own absence is never among the problems), turned into
 * mail for a person through the outbox.  Glue over health/ and the
 * outbox; the once-per-period rule lives in the alert's Message-ID
 * (health/alert.c).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "daemon/daemon.h"
#include "health/health.h"
#include "store/health.h"
#include "store/outbox.h"

/* Queue msg unless this period's copy is queued already.  Returns 1
 * when queued, 0 when not, -1 on a store error (logged). */
static int
alerts_queue(struct daemon *d, const char *kind, const char *msgid,
    const struct buf *msg, time_t now)
{
	struct err err;
	int64_t id;

	err_clear(&err);
	if (store_begin(d->store, &err) == -1)
		goto fail;
	if (store_outbox_insert(d->store, 0, kind, msgid, d->conf->alerts_to,
	    buf_str(msg), msg->len, now, 0, &id, &err) == -1) {
		store_rollback(d->store);
		if (err.cls == ERR_INPUT)
			return 0;	/* sent this period already */
		goto fail;
	}
	if (store_commit(d->store, &err) == -1)
		goto fail;
	return 1;
fail:
	log_warnx("alerts: %s", err.msg);
	return -1;
}

static void
alerts_conf(const struct daemon *d, struct health_alert_conf *c)
{
	c->from = d->reply.conf.from;
	c->from_name = d->reply.conf.from_name;
	c->to = d->conf->alerts_to;
	c->hostname = d->reply.conf.hostname;
	c->period = d->conf->alerts_period_hours * 3600;
}

/* The problems mailorder status would report now. */
static int
alerts_problems(struct daemon *d, time_t now, struct health_report *r)
{
	struct health_limits lim;
	struct err err;

	memset(r, 0, sizeof(*r));
	r->now = now;
	r->running = 1;
	r->pid = (long)getpid();
	r->have_state = 1;
	report_state(d, &r->state);
	err_clear(&err);
	if (store_health_read(d->store, &r->store, &err) == -1) {
		log_warnx("alerts: %s", err.msg);
		return -1;
	}
	health_limits_init(&lim, d->conf);
	health_report_judge(r, &lim);
	return 0;
}

static int
alerts_digest(struct daemon *d, const struct health_alert_conf *c,
    const struct store_health *h, time_t now)
{
	struct store_day y;
	struct tm tm;
	struct err err;
	char msgid[512];
	struct buf msg;
	int rc = 0;

	localtime_r(&now, &tm);
	if (!d->conf->alerts_digest ||
	    tm.tm_hour < d->conf->alerts_digest_hour)
		return 0;
	err_clear(&err);
	if (store_health_day(d->store, now, &y, &err) == -1) {
		log_warnx("alerts: %s", err.msg);
		return 0;
	}
	buf_init(&msg, BUF_NOLIMIT);
	if (health_digest_compose(c, h, &y, now, &msg, msgid,
	    sizeof(msgid)) == 0)
		rc = alerts_queue(d, "digest", msgid, &msg, now) == 1;
	buf_release(&msg);
	return rc;
}

void
alerts_cycle(struct daemon *d)
{
	struct health_alert_conf c;
	struct health_report *r;
	time_t now = time(NULL);
	char msgid[512];
	struct buf msg;
	size_t i;
	int queued = 0;

	if (d->conf->alerts_to == NULL || !d->replies)
		return;
	alerts_conf(d, &c);
	r = xmalloc(sizeof(*r));
	if (alerts_problems(d, now, r) == -1) {
		free(r);
		return;
	}
	for (i = 0; i < r->nproblems; i++) {
		buf_init(&msg, BUF_NOLIMIT);
		if (health_alert_compose(&c, r->problems[i].key,
		    r->problems[i].level, r->problems[i].text, now, &msg,
		    msgid, sizeof(msgid)) == 0 &&
		    alerts_queue(d, "alert", msgid, &msg, now) == 1) {
			log_info("alert to %s: %s", c.to, r->problems[i].text);
			queued++;
		}
		buf_release(&msg);
	}
	queued += alerts_digest(d, &c, &r->store, now);
	free(r);
	if (queued > 0)
		outbox_refresh(d);
}

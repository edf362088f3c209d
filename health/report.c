/*
 * The status report: gathered from the lock, the daemon's state file and
 * the store, judged against [status] limits, printed.  See health.h.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json.h"
#include "config/conf.h"
#include "health/health.h"
#include "store/lock.h"

int
health_report_collect(struct store *st, const char *db_path, time_t now,
    struct health_report *r, struct err *err)
{
	char *path;
	size_t i;
	int rc;

	memset(r, 0, sizeof(*r));
	r->now = now;
	if ((rc = store_lock_holder(db_path, &r->pid, r->holder,
	    sizeof(r->holder), err)) == -1)
		return -1;
	r->running = rc;
	path = health_state_path(db_path);
	rc = health_state_read(path, &r->state, err);
	free(path);
	if (rc == -1)
		return -1;
	r->have_state = rc;
	if (store_health_read(st, &r->store, err) == -1)
		return -1;
	for (i = 0; i < r->state.ninboxes; i++)
		if (store_health_backlog(st, r->state.inboxes[i].key,
		    &r->state.inboxes[i].backlog, err) == -1)
			return -1;
	return 0;
}

void
health_limits_init(struct health_limits *lim, const struct config *conf)
{
	const struct config_status *c = &conf->status;

	lim->inbox_warning = c->inbox_warning_minutes * 60;
	lim->inbox_critical = c->inbox_critical_minutes * 60;
	lim->flagged_warning = c->flagged_warning_hours * 3600;
	lim->flagged_critical = c->flagged_critical_hours * 3600;
	lim->reply_warning = c->reply_warning_minutes * 60;
	lim->token_warning = c->token_warning_days * 86400;
	lim->webhook_warning = conf->webhook.enabled ?
	    c->webhook_warning_minutes * 60 : 0;
}

const char *
health_level_name(enum health_level l)
{
	return l == HEALTH_OK ? "ok" : l == HEALTH_WARNING ? "warning" :
	    "critical";
}

static void
report_problem(struct health_report *r, enum health_level l,
    const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
report_problem(struct health_report *r, enum health_level l,
    const char *key, const char *fmt, ...)
{
	va_list ap;

	if (l > r->level)
		r->level = l;
	if (r->nproblems >= HEALTH_MAX_PROBLEMS)
		return;
	r->problems[r->nproblems].level = l;
	snprintf(r->problems[r->nproblems].key,
	    sizeof(r->problems[r->nproblems].key), "%s", key);
	va_start(ap, fmt);
	vsnprintf(r->problems[r->nproblems].text,
	    sizeof(r->problems[r->nproblems].text), fmt, ap);
	va_end(ap);
	r->nproblems++;
}

/* "3 h 20 min" and the like, for a person. */
static const char *
report_age(long s, char *buf, size_t n)
{
	if (s < 120)
		snprintf(buf, n, "%ld s", s);
	else if (s < 7200)
		snprintf(buf, n, "%ld min", s / 60);
	else if (s < 172800)
		snprintf(buf, n, "%ld h %ld min", s / 3600, s / 60 % 60);
	else
		snprintf(buf, n, "%ld days", s / 86400);
	return buf;
}

static void
judge_daemon(struct health_report *r, const struct health_limits *lim)
{
	char a[32];
	long age = (long)(r->now - r->state.cycle);

	if (r->running)
		return;
	/* A daemon run from cron (--once) is gone between runs. */
	if (r->have_state && r->state.once && r->state.cycle > 0 &&
	    age <= lim->inbox_warning)
		return;
	if (r->have_state && r->state.cycle > 0)
		report_problem(r, HEALTH_CRITICAL, "daemon", "mailorderd is "
		    "not running (its last cycle ended %s ago)",
		    report_age(age, a, sizeof(a)));
	else
		report_problem(r, HEALTH_CRITICAL, "daemon", "mailorderd is "
		    "not running and has never run on this store");
}

static void
judge_inbox(struct health_report *r, const struct health_inbox *in,
    const struct health_limits *lim)
{
	time_t since = in->last_ok ? in->last_ok : r->state.started;
	long age = (long)(r->now - since);
	char a[32], key[sizeof(in->key) + 16];

	snprintf(key, sizeof(key), "inbox-stale %s", in->key);
	if (age > lim->inbox_critical)
		report_problem(r, HEALTH_CRITICAL, key, "inbox %s: not "
		    "fetched for %s", in->key, report_age(age, a, sizeof(a)));
	else if (age > lim->inbox_warning)
		report_problem(r, HEALTH_WARNING, key, "inbox %s: not "
		    "fetched for %s", in->key, report_age(age, a, sizeof(a)));
	snprintf(key, sizeof(key), "inbox-error %s", in->key);
	if (in->last_error_at > in->last_ok)
		report_problem(r, HEALTH_WARNING, key, "inbox %s: the last "
		    "fetch failed: %s", in->key, in->last_error);
	snprintf(key, sizeof(key), "token %s", in->key);
	if (lim->token_warning > 0 && in->token_expires > 0 &&
	    (age = (long)(in->token_expires - r->now)) < lim->token_warning)
		report_problem(r, HEALTH_WARNING, key, "inbox %s: its OAuth2 "
		    "token %s %s", in->key, age > 0 ? "expires in" :
		    "expired", report_age(age > 0 ? age : -age, a,
		    sizeof(a)));
}

static void
judge_store(struct health_report *r, const struct health_limits *lim)
{
	const struct store_health *h = &r->store;
	long age;
	char a[32];
	int64_t failed = store_counts_get(&h->outbox, "failed");

	if (h->oldest_flagged > 0) {
		age = (long)(r->now - h->oldest_flagged);
		if (age > lim->flagged_critical || age > lim->flagged_warning)
			report_problem(r, age > lim->flagged_critical ?
			    HEALTH_CRITICAL : HEALTH_WARNING, "queue",
			    "queue: the oldest of %lld flagged orders has "
			    "waited %s", (long long)h->flagged,
			    report_age(age, a, sizeof(a)));
	}
	if (failed > 0)
		report_problem(r, HEALTH_WARNING, "outbox-failed",
		    "outbox: %lld %s given up", (long long)failed,
		    failed == 1 ? "reply was" : "replies were");
	if (h->oldest_queued > 0 &&
	    (age = (long)(r->now - h->oldest_queued)) > lim->reply_warning)
		report_problem(r, HEALTH_WARNING, "outbox-slow",
		    "outbox: a reply has waited %s to be sent",
		    report_age(age, a, sizeof(a)));
}

/*
 * Webhook events are never critical: the orders behind them are in the
 * store and their replies went out, so intake works; what is late is
 * another system's copy, and `mailorder webhook retry` sends a failed
 * event again with the same key.  The same weight as a reply given up
 * on.
 */
static void
judge_webhooks(struct health_report *r, const struct health_limits *lim)
{
	const struct store_health *h = &r->store;
	int64_t failed = store_counts_get(&h->webhooks, "failed");
	long age;
	char a[32];

	if (!r->webhooks)
		return;
	if (failed > 0)
		report_problem(r, HEALTH_WARNING, "webhook-failed",
		    "webhooks: %lld %s failed, the latest %s ago: %s (see "
		    "mailorder webhook)", (long long)failed, failed == 1 ?
		    "event" : "events", report_age((long)(r->now -
		    h->webhook_failed_at), a, sizeof(a)), h->webhook_error);
	if (h->oldest_webhook > 0 &&
	    (age = (long)(r->now - h->oldest_webhook)) > lim->webhook_warning)
		report_problem(r, HEALTH_WARNING, "webhook-slow",
		    "webhooks: an event has waited %s to be delivered",
		    report_age(age, a, sizeof(a)));
}

void
health_report_judge(struct health_report *r, const struct health_limits *lim)
{
	size_t i;

	r->level = HEALTH_OK;
	r->nproblems = 0;
	judge_daemon(r, lim);
	if (r->running || r->have_state)
		for (i = 0; i < r->state.ninboxes; i++)
			judge_inbox(r, &r->state.inboxes[i], lim);
	judge_store(r, lim);
	r->webhooks = lim->webhook_warning > 0;
	judge_webhooks(r, lim);
}

/* A time for a person: "2026-12-03 05:41 (3 min ago)", or "never". */
static void
text_time(struct buf *b, time_t now, time_t t, const char *none)
{
	char day[32], a[32];
	struct tm tm;

	if (t == 0) {
		buf_adds(b, none);
		return;
	}
	gmtime_r(&t, &tm);
	strftime(day, sizeof(day), "%Y-%m-%d %H:%M:%SZ", &tm);
	buf_addf(b, "%s (%s ago)", day, report_age((long)(now - t), a,
	    sizeof(a)));
}

static void
text_webhooks(const struct health_report *r, struct buf *b)
{
	const struct store_health *h = &r->store;

	if (!r->webhooks) {
		buf_adds(b, "webhooks: not configured (no [webhook] section)\n");
		return;
	}
	buf_addf(b, "webhooks: %lld queued, %lld failed, oldest queued ",
	    (long long)store_counts_get(&h->webhooks, "queued"),
	    (long long)store_counts_get(&h->webhooks, "failed"));
	text_time(b, r->now, h->oldest_webhook, "-");
	buf_adds(b, ", last failed ");
	text_time(b, r->now, h->webhook_failed_at, "-");
	if (h->webhook_failed_at != 0)
		buf_addf(b, ": %s", h->webhook_error);
	buf_addc(b, '\n');
}

void
health_report_text(const struct health_report *r, struct buf *b)
{
	const struct store_health *h = &r->store;
	size_t i;
	char a[32];

	buf_addf(b, "status: %s\n", health_level_name(r->level));
	for (i = 0; i < r->nproblems; i++)
		buf_addf(b, "  %s: %s\n", health_level_name(
		    r->problems[i].level), r->problems[i].text);
	if (r->running) {
		buf_addf(b, "daemon: %s, PID %ld", r->holder, r->pid);
		if (r->have_state && r->state.pid == r->pid)
			buf_addf(b, ", up %s", report_age((long)(r->now -
			    r->state.started), a, sizeof(a)));
		buf_addc(b, '\n');
	} else
		buf_adds(b, "daemon: not running\n");
	for (i = 0; i < r->state.ninboxes; i++) {
		const struct health_inbox *in = &r->state.inboxes[i];

		buf_addf(b, "inbox %s:\n  last fetched: ", in->key);
		text_time(b, r->now, in->last_ok, "never");
		buf_adds(b, "\n  last error:   ");
		if (in->last_error_at == 0)
			buf_adds(b, "none");
		else {
			text_time(b, r->now, in->last_error_at, "none");
			buf_addf(b, ": %s", in->last_error);
		}
		buf_addf(b, "\n  backlog:      %lld\n", (long long)in->backlog);
		if (in->token_expires > 0) {
			buf_adds(b, "  oauth2 token: expires ");
			text_time(b, r->now, in->token_expires, "-");
			buf_addc(b, '\n');
		}
	}
	buf_addf(b, "queue: %lld flagged, oldest ", (long long)h->flagged);
	text_time(b, r->now, h->oldest_flagged, "-");
	buf_addf(b, "\noutbox: %lld queued, %lld held, %lld failed, oldest "
	    "queued ", (long long)store_counts_get(&h->outbox, "queued"),
	    (long long)h->held, (long long)store_counts_get(&h->outbox,
	    "failed"));
	text_time(b, r->now, h->oldest_queued, "-");
	buf_addc(b, '\n');
	text_webhooks(r, b);
	buf_addf(b, "store: %lld bytes\n", (long long)h->size_bytes);
}

static void
json_time(struct buf *b, const char *name, time_t t)
{
	char day[32];
	struct tm tm;

	buf_addf(b, "\"%s\":", name);
	if (t == 0) {
		buf_adds(b, "null");
		return;
	}
	gmtime_r(&t, &tm);
	strftime(day, sizeof(day), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_add_str(b, day);
}

static void
json_inboxes(const struct health_report *r, struct buf *b)
{
	size_t i;

	buf_adds(b, "\"inboxes\":[");
	for (i = 0; i < r->state.ninboxes; i++) {
		const struct health_inbox *in = &r->state.inboxes[i];

		buf_adds(b, i ? ",{\"key\":" : "{\"key\":");
		json_add_str(b, in->key);
		buf_addc(b, ',');
		json_time(b, "last_fetch", in->last_ok);
		buf_addc(b, ',');
		json_time(b, "last_error_at", in->last_error_at);
		buf_adds(b, ",\"last_error\":");
		json_add_str(b, in->last_error_at ? in->last_error : NULL);
		buf_addf(b, ",\"fetch_errors\":%llu,\"backlog\":%lld,",
		    (unsigned long long)in->fetch_errors,
		    (long long)in->backlog);
		json_time(b, "token_expires", in->token_expires);
		buf_addc(b, '}');
	}
	buf_addc(b, ']');
}

/* The counts are there without a [webhook] too: events queued before
 * it was removed are still in the store. */
static void
json_webhooks(const struct health_report *r, struct buf *b)
{
	const struct store_health *h = &r->store;

	buf_addf(b, "\"webhooks\":{\"configured\":%s,\"queued\":%lld,"
	    "\"failed\":%lld,\"sent\":%lld,", r->webhooks ? "true" : "false",
	    (long long)store_counts_get(&h->webhooks, "queued"),
	    (long long)store_counts_get(&h->webhooks, "failed"),
	    (long long)store_counts_get(&h->webhooks, "sent"));
	json_time(b, "oldest_queued", h->oldest_webhook);
	buf_addc(b, ',');
	json_time(b, "last_failed", h->webhook_failed_at);
	buf_adds(b, ",\"last_error\":");
	json_add_str(b, h->webhook_failed_at ? h->webhook_error : NULL);
	buf_addc(b, '}');
}

void
health_report_json(const struct health_report *r, struct buf *b)
{
	const struct store_health *h = &r->store;
	size_t i;

	buf_adds(b, "{\"status\":");
	json_add_str(b, health_level_name(r->level));
	buf_adds(b, ",\"problems\":[");
	for (i = 0; i < r->nproblems; i++) {
		buf_adds(b, i ? ",{\"level\":" : "{\"level\":");
		json_add_str(b, health_level_name(r->problems[i].level));
		buf_adds(b, ",\"text\":");
		json_add_str(b, r->problems[i].text);
		buf_addc(b, '}');
	}
	buf_addf(b, "],\"daemon\":{\"running\":%s,\"pid\":", r->running ?
	    "true" : "false");
	if (r->running)
		buf_addf(b, "%ld", r->pid);
	else
		buf_adds(b, "null");
	buf_addc(b, ',');
	json_time(b, "started", r->running && r->state.pid == r->pid ?
	    r->state.started : 0);
	buf_addc(b, ',');
	json_time(b, "last_cycle", r->state.cycle);
	buf_adds(b, "},");
	json_inboxes(r, b);
	buf_addf(b, ",\"queue\":{\"flagged\":%lld,", (long long)h->flagged);
	json_time(b, "oldest", h->oldest_flagged);
	buf_addf(b, "},\"outbox\":{\"queued\":%lld,\"held\":%lld,"
	    "\"failed\":%lld,\"sent\":%lld,",
	    (long long)store_counts_get(&h->outbox, "queued"),
	    (long long)h->held, (long long)store_counts_get(&h->outbox,
	    "failed"), (long long)store_counts_get(&h->outbox, "sent"));
	json_time(b, "oldest_queued", h->oldest_queued);
	buf_addc(b, ',');
	json_time(b, "oldest_failed", h->oldest_failed);
	buf_adds(b, "},");
	json_webhooks(r, b);
	buf_addf(b, ",\"store\":{\"bytes\":%lld}}\n",
	    (long long)h->size_bytes);
}

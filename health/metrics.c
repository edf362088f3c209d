/*
 * The Prometheus text exposition format (version 0.0.4): "# HELP" and
 * "# TYPE" once per metric, then one sample per line, label values
 * escaped (backslash, double quote, newline).  Counters are the daemon's
 * since it started (Prometheus' rate() copes with the reset at a
 * restart); gauges are read from the store at the end of each cycle.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "health/health.h"

static void
metric_head(struct buf *b, const char *name, const char *type,
    const char *help)
{
	buf_addf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void
metric_label(struct buf *b, const char *v)
{
	buf_addc(b, '"');
	for (; *v != '\0'; v++) {
		if (*v == '\\' || *v == '"')
			buf_addc(b, '\\');
		if (*v == '\n')
			buf_adds(b, "\\n");
		else
			buf_addc(b, *v);
	}
	buf_addc(b, '"');
}

static int
metric_has(const struct store_counts *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->c[i].name, name) == 0)
			return 1;
	return 0;
}

static void
metric_counts(struct buf *b, const char *name, const char *label,
    const struct store_counts *c, const char *const *always)
{
	size_t i;

	/* States that exist but are empty right now still get a 0, so an
	 * alert on them has a series to look at. */
	for (i = 0; always != NULL && always[i] != NULL; i++)
		if (!metric_has(c, always[i]))
			buf_addf(b, "%s{%s=\"%s\"} 0\n", name, label,
			    always[i]);
	for (i = 0; i < c->n; i++) {
		buf_addf(b, "%s{%s=", name, label);
		metric_label(b, c->c[i].name);
		buf_addf(b, "} %lld\n", (long long)c->c[i].n);
	}
}

static void
metrics_daemon(const struct health_state *s, struct buf *b)
{
	size_t i;

	metric_head(b, "mailorder_messages_total", "counter",
	    "Messages decided since mailorderd started, by outcome.");
	for (i = 0; i < HEALTH_OUTCOMES; i++)
		buf_addf(b, "mailorder_messages_total{status=\"%s\"} %llu\n",
		    health_outcome_names[i],
		    (unsigned long long)s->outcomes[i]);
	metric_head(b, "mailorder_fetch_errors_total", "counter",
	    "Failed connections and fetches, by inbox.");
	for (i = 0; i < s->ninboxes; i++) {
		buf_adds(b, "mailorder_fetch_errors_total{inbox=");
		metric_label(b, s->inboxes[i].key);
		buf_addf(b, "} %llu\n",
		    (unsigned long long)s->inboxes[i].fetch_errors);
	}
	metric_head(b, "mailorder_inbox_last_fetch_timestamp_seconds",
	    "gauge", "When each inbox was last read without an error.");
	for (i = 0; i < s->ninboxes; i++) {
		buf_adds(b, "mailorder_inbox_last_fetch_timestamp_seconds"
		    "{inbox=");
		metric_label(b, s->inboxes[i].key);
		buf_addf(b, "} %lld\n", (long long)s->inboxes[i].last_ok);
	}
	metric_head(b, "mailorder_oauth2_token_expiry_timestamp_seconds",
	    "gauge", "When the OAuth2 token of the last login expires "
	    "(JWTs only; 0: unknown).");
	for (i = 0; i < s->ninboxes; i++) {
		buf_adds(b, "mailorder_oauth2_token_expiry_timestamp_seconds"
		    "{inbox=");
		metric_label(b, s->inboxes[i].key);
		buf_addf(b, "} %lld\n", (long long)s->inboxes[i].token_expires);
	}
	metric_head(b, "mailorder_order_latency_seconds", "histogram",
	    "From the Date: of an order mail to its order in the store.");
	for (i = 0; i < HEALTH_LATENCY_BUCKETS; i++)
		buf_addf(b, "mailorder_order_latency_seconds_bucket"
		    "{le=\"%g\"} %llu\n", health_latency_bounds[i],
		    (unsigned long long)s->latency.le[i]);
	buf_addf(b, "mailorder_order_latency_seconds_bucket{le=\"+Inf\"} "
	    "%llu\nmailorder_order_latency_seconds_sum %.3f\n"
	    "mailorder_order_latency_seconds_count %llu\n",
	    (unsigned long long)s->latency.count, s->latency.sum,
	    (unsigned long long)s->latency.count);
	metric_head(b, "mailorder_start_time_seconds", "gauge",
	    "When mailorderd started.");
	buf_addf(b, "mailorder_start_time_seconds %lld\n",
	    (long long)s->started);
}

void
health_metrics_format(const struct health_state *s,
    const struct store_health *h, time_t now, struct buf *b)
{
	/* The states of both outboxes, replies and webhook events. */
	static const char *const states[] = { "queued", "sent", "failed",
	    NULL };

	metrics_daemon(s, b);
	metric_head(b, "mailorder_flags", "gauge",
	    "Open flags of orders waiting for a person, by code.");
	metric_counts(b, "mailorder_flags", "code", &h->flags, NULL);
	metric_head(b, "mailorder_replies", "gauge",
	    "Replies in the outbox by state; held: kept back by policy.");
	metric_counts(b, "mailorder_replies", "state", &h->outbox,
	    states);
	buf_addf(b, "mailorder_replies{state=\"held\"} %lld\n",
	    (long long)h->held);
	metric_head(b, "mailorder_webhook_events", "gauge",
	    "Webhook events by state: queued (not delivered yet), failed "
	    "(given up on), sent.");
	metric_counts(b, "mailorder_webhook_events", "state", &h->webhooks,
	    states);
	metric_head(b, "mailorder_webhook_oldest_queued_age_seconds", "gauge",
	    "How long the oldest webhook event not delivered yet has waited "
	    "(0: none).");
	buf_addf(b, "mailorder_webhook_oldest_queued_age_seconds %lld\n",
	    h->oldest_webhook ? (long long)(now - h->oldest_webhook) : 0LL);
	metric_head(b, "mailorder_queue_depth", "gauge",
	    "Orders waiting for a person.");
	buf_addf(b, "mailorder_queue_depth %lld\n", (long long)h->flagged);
	metric_head(b, "mailorder_queue_oldest_age_seconds", "gauge",
	    "How long the oldest waiting order has waited (0: none).");
	buf_addf(b, "mailorder_queue_oldest_age_seconds %lld\n",
	    h->oldest_flagged ? (long long)(now - h->oldest_flagged) : 0LL);
	metric_head(b, "mailorder_store_size_bytes", "gauge",
	    "Pages in use in the SQLite store.");
	buf_addf(b, "mailorder_store_size_bytes %lld\n",
	    (long long)h->size_bytes);
	metric_head(b, "mailorder_last_cycle_timestamp_seconds", "gauge",
	    "When mailorderd last finished a cycle (this file's time).");
	buf_addf(b, "mailorder_last_cycle_timestamp_seconds %lld\n",
	    (long long)now);
}

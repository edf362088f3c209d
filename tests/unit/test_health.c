/*
 * health/: the state file round trip, the judgement (ok, warning,
 * critical) and the Prometheus text format.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "health/health.h"

#define NOW	1796276462

static void
test_state_round_trip(void **state)
{
	char dir[] = "/tmp/mo-health.XXXXXX", path[128];
	struct health_state s, r;
	struct err err;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/shop.db.state", dir);
	memset(&s, 0, sizeof(s));
	s.pid = 4242;
	s.started = NOW - 3600;
	s.cycle = NOW;
	s.once = 1;
	s.outcomes[HEALTH_ACCEPTED] = 41;
	s.outcomes[HEALTH_FLAGGED] = 3;
	health_latency_observe(&s.latency, 4);
	health_latency_observe(&s.latency, 90000);
	s.ninboxes = 2;
	snprintf(s.inboxes[0].key, sizeof(s.inboxes[0].key),
	    "shop@example.test@imap.example.test:993/My Orders");
	s.inboxes[0].last_ok = NOW - 60;
	snprintf(s.inboxes[1].key, sizeof(s.inboxes[1].key), "b@x:993/INBOX");
	s.inboxes[1].last_error_at = NOW - 5;
	s.inboxes[1].fetch_errors = 7;
	s.inboxes[1].token_expires = NOW + 3600;
	/* an error text with a newline must stay on its line */
	snprintf(s.inboxes[1].last_error, sizeof(s.inboxes[1].last_error),
	    "login refused\nfake 1");
	err_clear(&err);
	assert_int_equal(health_state_write(path, &s, &err), 0);
	assert_int_equal(health_state_read(path, &r, &err), 1);
	assert_int_equal(r.pid, 4242);
	assert_int_equal(r.started, NOW - 3600);
	assert_int_equal(r.cycle, NOW);
	assert_int_equal(r.once, 1);
	assert_int_equal(r.outcomes[HEALTH_ACCEPTED], 41);
	assert_int_equal(r.outcomes[HEALTH_FLAGGED], 3);
	assert_int_equal(r.latency.count, 2);
	assert_int_equal(r.latency.le[0], 1);
	assert_int_equal(r.latency.le[HEALTH_LATENCY_BUCKETS - 1], 1);
	assert_int_equal(r.ninboxes, 2);
	assert_string_equal(r.inboxes[0].key, s.inboxes[0].key);
	assert_int_equal(r.inboxes[0].last_ok, NOW - 60);
	assert_int_equal(r.inboxes[1].fetch_errors, 7);
	assert_int_equal(r.inboxes[1].token_expires, NOW + 3600);
	assert_string_equal(r.inboxes[1].last_error, "login refused fake 1");
	unlink(path);
	assert_int_equal(health_state_read(path, &r, &err), 0);
	/* a file that is no state file is named with its line */
	{
		FILE *fp = fopen(path, "w");

		fputs("mailorderd-state 1\npid twelve\n", fp);
		fclose(fp);
	}
	assert_int_equal(health_state_read(path, &r, &err), -1);
	assert_non_null(strstr(err.msg, "shop.db.state:2:"));
	unlink(path);
	rmdir(dir);
}

static const struct health_limits limits = {
	.token_warning = 3 * 86400,
	.inbox_warning = 30 * 60, .inbox_critical = 120 * 60,
	.flagged_warning = 4 * 3600, .flagged_critical = 24 * 3600,
	.reply_warning = 60 * 60,
	.webhook_warning = 30 * 60,
};

/* A daemon that runs, one inbox read a minute ago, nothing waiting. */
static void
healthy(struct health_report *r)
{
	memset(r, 0, sizeof(*r));
	r->now = NOW;
	r->running = 1;
	r->pid = 99;
	r->have_state = 1;
	r->state.pid = 99;
	r->state.started = NOW - 7200;
	r->state.cycle = NOW - 60;
	r->state.ninboxes = 1;
	snprintf(r->state.inboxes[0].key, sizeof(r->state.inboxes[0].key),
	    "shop@localhost:993/INBOX");
	r->state.inboxes[0].last_ok = NOW - 60;
}

static void
outbox_set(struct health_report *r, const char *state, int64_t n)
{
	struct store_counts *c = &r->store.outbox;

	snprintf(c->c[c->n].name, sizeof(c->c[c->n].name), "%s", state);
	c->c[c->n++].n = n;
}

static void
webhooks_set(struct health_report *r, const char *state, int64_t n)
{
	struct store_counts *c = &r->store.webhooks;

	snprintf(c->c[c->n].name, sizeof(c->c[c->n].name), "%s", state);
	c->c[c->n++].n = n;
}

static void
test_judge_table(void **state)
{
	static const struct {
		const char		*what;
		enum health_level	 level;
		const char		*text;
	} cases[] = {
		{ "healthy", HEALTH_OK, NULL },
		{ "stopped", HEALTH_CRITICAL, "mailorderd is not running" },
		{ "cron", HEALTH_OK, NULL },
		{ "cron-late", HEALTH_CRITICAL, "last cycle ended 45 min ago" },
		{ "never", HEALTH_CRITICAL, "has never run" },
		{ "stale", HEALTH_WARNING, "not fetched for 40 min" },
		{ "dead", HEALTH_CRITICAL, "not fetched for 3 h 0 min" },
		{ "error", HEALTH_WARNING, "the last fetch failed: login" },
		{ "old-error", HEALTH_OK, NULL },
		{ "flagged", HEALTH_WARNING, "oldest of 3 flagged orders" },
		{ "flagged-day", HEALTH_CRITICAL, "has waited 2 days" },
		{ "flagged-new", HEALTH_OK, NULL },
		{ "failed", HEALTH_WARNING, "1 reply was given up" },
		{ "slow-reply", HEALTH_WARNING, "a reply has waited 90 min" },
		{ "token-soon", HEALTH_WARNING, "OAuth2 token expires in 2 days" },
		{ "token-later", HEALTH_OK, NULL },
		{ "token-unknown", HEALTH_OK, NULL },
		{ "webhook-failed", HEALTH_WARNING, "webhooks: 2 events "
		    "failed, the latest 5 min ago: HTTP 410" },
		{ "webhook-slow", HEALTH_WARNING, "an event has waited 45 min "
		    "to be delivered" },
		{ "webhook-fresh", HEALTH_OK, NULL },
		/* Never critical, however long and however many. */
		{ "webhook-days", HEALTH_WARNING, "has waited 3 days" },
		/* No [webhook]: what is left in the store is not judged. */
		{ "webhook-off", HEALTH_OK, NULL },
	};
	struct health_limits lim;
	struct health_report r;
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *w = cases[i].what;
		int found = 0;

		healthy(&r);
		lim = limits;
		if (strcmp(w, "stopped") == 0)
			r.running = 0;	/* a minute ago: still critical */
		else if (strcmp(w, "cron") == 0) {
			r.running = 0;
			r.state.once = 1;
		} else if (strcmp(w, "cron-late") == 0) {
			r.running = 0;
			r.state.once = 1;
			r.state.cycle = NOW - 45 * 60;
			r.state.inboxes[0].last_ok = NOW - 45 * 60;
		} else if (strcmp(w, "never") == 0) {
			r.running = 0;
			r.have_state = 0;
			memset(&r.state, 0, sizeof(r.state));
		} else if (strcmp(w, "stale") == 0)
			r.state.inboxes[0].last_ok = NOW - 40 * 60;
		else if (strcmp(w, "dead") == 0)
			r.state.inboxes[0].last_ok = NOW - 3 * 3600;
		else if (strcmp(w, "error") == 0 || strcmp(w, "old-error") == 0) {
			r.state.inboxes[0].last_error_at = w[0] == 'e' ?
			    NOW - 10 : NOW - 600;
			snprintf(r.state.inboxes[0].last_error,
			    sizeof(r.state.inboxes[0].last_error),
			    "login refused");
		} else if (strncmp(w, "flagged", 7) == 0) {
			r.store.flagged = 3;
			r.store.oldest_flagged = NOW - (w[7] == '\0' ?
			    5 * 3600 : w[8] == 'd' ? 2 * 86400 : 600);
		} else if (strcmp(w, "failed") == 0)
			outbox_set(&r, "failed", 1);
		else if (strncmp(w, "token-", 6) == 0)
			r.state.inboxes[0].token_expires = w[6] == 's' ?
			    NOW + 2 * 86400 + 60 : w[6] == 'l' ?
			    NOW + 30 * 86400 : 0;
		else if (strcmp(w, "slow-reply") == 0) {
			outbox_set(&r, "queued", 2);
			r.store.oldest_queued = NOW - 90 * 60;
		} else if (strncmp(w, "webhook-", 8) == 0) {
			webhooks_set(&r, "queued", 1);
			r.store.oldest_webhook = NOW - (w[8] == 's' ? 45 * 60 :
			    w[8] == 'd' ? 3 * 86400 : 10 * 60);
		}
		if (strcmp(w, "webhook-failed") == 0 ||
		    strcmp(w, "webhook-days") == 0 ||
		    strcmp(w, "webhook-off") == 0) {
			webhooks_set(&r, "failed", 2);
			r.store.webhook_failed_at = NOW - 5 * 60;
			snprintf(r.store.webhook_error,
			    sizeof(r.store.webhook_error), "HTTP 410");
		}
		if (strcmp(w, "webhook-off") == 0) {
			lim.webhook_warning = 0;
			r.store.oldest_webhook = NOW - 3 * 86400;
		}
		health_report_judge(&r, &lim);
		if (r.level != cases[i].level)
			fail_msg("%s: level %d, expected %d", w, r.level,
			    cases[i].level);
		for (j = 0; j < r.nproblems; j++)
			if (cases[i].text != NULL &&
			    strstr(r.problems[j].text, cases[i].text) != NULL)
				found = 1;
		if (cases[i].text != NULL && !found)
			fail_msg("%s: no problem says '%s' (%zu problems, "
			    "first '%s')", w, cases[i].text, r.nproblems,
			    r.nproblems ? r.problems[0].text : "");
		if (cases[i].text == NULL)
			assert_int_equal(r.nproblems, 0);
	}
}

static void
test_report_output(void **state)
{
	struct health_report r;
	struct buf b;

	(void)state;
	healthy(&r);
	r.store.flagged = 2;
	r.store.oldest_flagged = NOW - 5 * 3600;
	r.state.inboxes[0].backlog = 4;
	outbox_set(&r, "queued", 1);
	health_report_judge(&r, &limits);
	buf_init(&b, BUF_NOLIMIT);
	health_report_text(&r, &b);
	assert_non_null(strstr(buf_str(&b), "status: warning\n"));
	assert_non_null(strstr(buf_str(&b), "daemon: "));
	assert_non_null(strstr(buf_str(&b), "PID 99, up 2 h 0 min\n"));
	assert_non_null(strstr(buf_str(&b), "  backlog:      4\n"));
	assert_non_null(strstr(buf_str(&b), "queue: 2 flagged, oldest "));
	buf_reset(&b);
	health_report_json(&r, &b);
	assert_non_null(strstr(buf_str(&b), "{\"status\":\"warning\","));
	assert_non_null(strstr(buf_str(&b), "\"daemon\":{\"running\":true,"
	    "\"pid\":99,\"started\":\"2026-12-03T03:41:02Z\""));
	assert_non_null(strstr(buf_str(&b), "\"backlog\":4,\"token_expires\":null}"));
	assert_non_null(strstr(buf_str(&b), "\"queue\":{\"flagged\":2,"));
	assert_non_null(strstr(buf_str(&b), "\"outbox\":{\"queued\":1,"
	    "\"held\":0,\"failed\":0,"));
	buf_release(&b);
}

/* The webhooks line and object: counts, the oldest queued, the latest
 * failure and its error; "not configured" without a [webhook]. */
static void
test_report_webhooks(void **state)
{
	struct health_limits lim = limits;
	struct health_report r;
	struct buf b;

	(void)state;
	healthy(&r);
	webhooks_set(&r, "failed", 2);
	webhooks_set(&r, "queued", 1);
	webhooks_set(&r, "sent", 7);
	r.store.oldest_webhook = NOW - 120;
	r.store.webhook_failed_at = NOW - 60;
	snprintf(r.store.webhook_error, sizeof(r.store.webhook_error),
	    "HTTP \"410\"");
	health_report_judge(&r, &lim);
	buf_init(&b, BUF_NOLIMIT);
	health_report_text(&r, &b);
	assert_non_null(strstr(buf_str(&b), "  warning: webhooks: 2 events "
	    "failed, the latest 60 s ago: HTTP \"410\" (see mailorder "
	    "webhook)\n"));
	assert_non_null(strstr(buf_str(&b), "\nwebhooks: 1 queued, 2 failed, "
	    "oldest queued 2026-12-03 05:39:02Z (2 min ago), last failed "
	    "2026-12-03 05:40:02Z (60 s ago): HTTP \"410\"\nstore: "));
	buf_reset(&b);
	health_report_json(&r, &b);
	assert_non_null(strstr(buf_str(&b), ",\"webhooks\":{\"configured\":"
	    "true,\"queued\":1,\"failed\":2,\"sent\":7,\"oldest_queued\":"
	    "\"2026-12-03T05:39:02Z\",\"last_failed\":\"2026-12-03T05:40:02Z\","
	    "\"last_error\":\"HTTP \\\"410\\\"\"},\"store\":"));

	lim.webhook_warning = 0;
	health_report_judge(&r, &lim);
	assert_int_equal(r.level, HEALTH_OK);
	buf_reset(&b);
	health_report_text(&r, &b);
	assert_non_null(strstr(buf_str(&b), "\nwebhooks: not configured"));
	assert_null(strstr(buf_str(&b), "queued, 2 failed"));
	buf_reset(&b);
	health_report_json(&r, &b);
	assert_non_null(strstr(buf_str(&b), "\"webhooks\":{\"configured\":"
	    "false,\"queued\":1,"));
	buf_release(&b);
}

/* Every line is a comment or "name{labels} value"; each metric has HELP
 * and TYPE before its samples; the histogram is cumulative. */
static void
test_metrics_format(void **state)
{
	struct health_state s;
	struct store_health h;
	struct buf b;
	char *text, *line, *save = NULL, *sent;
	int samples = 0;

	(void)state;
	memset(&s, 0, sizeof(s));
	memset(&h, 0, sizeof(h));
	s.started = NOW - 100;
	s.outcomes[HEALTH_ACCEPTED] = 5;
	s.ninboxes = 1;
	snprintf(s.inboxes[0].key, sizeof(s.inboxes[0].key),
	    "a\"b\\c@host:993/IN\nBOX");
	s.inboxes[0].fetch_errors = 2;
	health_latency_observe(&s.latency, 3);
	health_latency_observe(&s.latency, 100);
	h.flagged = 3;
	h.oldest_flagged = NOW - 50;
	h.outbox.n = 1;		/* present with 0: one sample, not two */
	snprintf(h.outbox.c[0].name, sizeof(h.outbox.c[0].name), "sent");
	h.flags.n = 1;
	snprintf(h.flags.c[0].name, sizeof(h.flags.c[0].name),
	    "sender_unverified");
	h.flags.c[0].n = 2;
	h.webhooks.n = 1;
	snprintf(h.webhooks.c[0].name, sizeof(h.webhooks.c[0].name),
	    "failed");
	h.webhooks.c[0].n = 4;
	h.oldest_webhook = NOW - 70;
	buf_init(&b, BUF_NOLIMIT);
	health_metrics_format(&s, &h, NOW, &b);
	text = buf_detach(&b, NULL);
	assert_non_null(strstr(text, "mailorder_messages_total{status="
	    "\"accepted\"} 5\n"));
	assert_non_null(strstr(text, "mailorder_fetch_errors_total{inbox="
	    "\"a\\\"b\\\\c@host:993/IN\\nBOX\"} 2\n"));
	assert_non_null(strstr(text, "mailorder_flags{code="
	    "\"sender_unverified\"} 2\n"));
	assert_non_null(strstr(text, "mailorder_queue_depth 3\n"));
	assert_non_null(strstr(text, "mailorder_queue_oldest_age_seconds 50\n"));
	assert_non_null(strstr(text, "mailorder_replies{state=\"failed\"} 0\n"));
	assert_non_null(sent = strstr(text, "mailorder_replies{state=\"sent\"} 0\n"));
	assert_null(strstr(sent + 1, "mailorder_replies{state=\"sent\"}"));
	assert_non_null(strstr(text, "# TYPE mailorder_webhook_events gauge\n"));
	assert_non_null(strstr(text,
	    "mailorder_webhook_events{state=\"failed\"} 4\n"));
	assert_non_null(strstr(text,
	    "mailorder_webhook_events{state=\"queued\"} 0\n"));
	assert_non_null(strstr(text,
	    "mailorder_webhook_events{state=\"sent\"} 0\n"));
	assert_non_null(strstr(text,
	    "mailorder_webhook_oldest_queued_age_seconds 70\n"));
	assert_non_null(strstr(text,
	    "mailorder_order_latency_seconds_bucket{le=\"5\"} 1\n"));
	assert_non_null(strstr(text,
	    "mailorder_order_latency_seconds_bucket{le=\"120\"} 2\n"));
	assert_non_null(strstr(text,
	    "mailorder_order_latency_seconds_bucket{le=\"+Inf\"} 2\n"));
	assert_non_null(strstr(text, "mailorder_order_latency_seconds_count 2\n"));
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		const char *sp = strrchr(line, ' ');
		char *end;

		if (strncmp(line, "# HELP mailorder_", 17) == 0 ||
		    strncmp(line, "# TYPE mailorder_", 17) == 0)
			continue;
		assert_int_equal(strncmp(line, "mailorder_", 10), 0);
		assert_non_null(sp);
		(void)strtod(sp + 1, &end);
		if (*end != '\0')
			fail_msg("not a number at the end of '%s'", line);
		samples++;
	}
	assert_true(samples > 20);
	free(text);
}

static void
test_token_expiry(void **state)
{
	(void)state;
	assert_int_equal(health_token_expiry("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzaG9wQGV4YW1wbGUudGVzdCIsImV4cCI6IDE3OTYyODAwMDAsImlhdCI6MTc5NjI3NjQwMH0.c2ln"), 1796280000);
	assert_int_equal(health_token_expiry("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"), 0);
	assert_int_equal(health_token_expiry("ya29.a0AfH6SMBx-opaque"), 0);
	assert_int_equal(health_token_expiry("a.!!!.c"), 0);
	assert_int_equal(health_token_expiry(NULL), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_round_trip),
		cmocka_unit_test(test_judge_table),
		cmocka_unit_test(test_report_output),
		cmocka_unit_test(test_report_webhooks),
		cmocka_unit_test(test_metrics_format),
		cmocka_unit_test(test_token_expiry),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * mailorder webhook [list | send | retry ID]
 *
 * The webhook events not delivered yet; post those that are due now (as
 * mailorderd does after every round, for a shop without the daemon or a
 * test); queue a failed event again.  Argument parsing and printing
 * only: the queue is store/webhook.c's, the posting smtp/webhook.c's.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "config/conf.h"
#include "smtp/smtp.h"
#include "store/webhook.h"

static int
webhook_row(void *arg, int64_t id, const char *ref, const char *event,
    const char *key, const char *state, int attempts, time_t next,
    const char *error)
{
	char when[32] = "-";
	struct tm tm;

	(void)arg;
	(void)ref;
	if (strcmp(state, "queued") == 0 && gmtime_r(&next, &tm) != NULL)
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	printf("%-6lld %-8s %-30s %-8s %8d %-20s %s\n", (long long)id, event,
	    key, state, attempts, when, error ? error : "");
	return 0;
}

static int
webhook_list(struct cli_ctx *ctx)
{
	struct store *st;
	struct err err;
	int status;

	if ((st = cli_store_read(ctx, &status)) == NULL)
		return status;
	printf("%-6s %-8s %-30s %-8s %8s %-20s %s\n", "ID", "EVENT", "KEY",
	    "STATE", "ATTEMPTS", "NEXT", "LAST ERROR");
	err_clear(&err);
	return store_webhook_pending(st, webhook_row, NULL, &err) == -1 ?
	    cli_fail(&err) : EX_OK;
}

static int
webhook_send(struct cli_ctx *ctx)
{
	struct smtp_webhook_stats stats, all = { 0, 0, 0 };
	struct store *st;
	struct err err;
	time_t start = time(NULL);
	int status, round;

	if (!ctx->conf->webhook.enabled) {
		fprintf(stderr, "mailorder: no [webhook] section in the "
		    "configuration\n");
		return EX_CONFIG;
	}
	if ((st = cli_store(ctx, &status)) == NULL)
		return status;
	/* Batch after batch of what was due when the run started: every
	 * event a batch takes leaves that set (sent, failed, or due after
	 * its wait, which is after the start), so each is tried once and
	 * this ends; the bound is for a clock that jumps back. */
	for (round = 0; round < 10000; round++) {
		err_clear(&err);
		if (smtp_webhook_send(st, &ctx->conf->webhook, start,
		    &stats, &err) == -1)
			return cli_fail(&err);
		all.sent += stats.sent;
		all.retried += stats.retried;
		all.failed += stats.failed;
		if (stats.sent + stats.retried + stats.failed == 0)
			break;
	}
	printf("webhook: %u delivered, %u to retry, %u failed\n", all.sent,
	    all.retried, all.failed);
	return EX_OK;
}

static int
webhook_retry(struct cli_ctx *ctx, const char *arg)
{
	struct store *st;
	struct err err;
	char *end;
	long long id = strtoll(arg, &end, 10);
	int status, rc;

	if (*arg == '\0' || *end != '\0' || id <= 0) {
		fprintf(stderr, "mailorder: '%s' is not an event ID\n", arg);
		return EX_USAGE;
	}
	if ((st = cli_store(ctx, &status)) == NULL)
		return status;
	err_clear(&err);
	if ((rc = store_webhook_requeue(st, id, &err)) == -1)
		return cli_fail(&err);
	if (rc == 0) {
		fprintf(stderr, "mailorder: no failed webhook event %lld\n", id);
		return EX_DATAERR;
	}
	printf("webhook event %lld queued again\n", id);
	return EX_OK;
}

static int
cmd_webhook_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	if (argc == 1 || (argc == 2 && strcmp(argv[1], "list") == 0))
		return webhook_list(ctx);
	if (argc == 2 && strcmp(argv[1], "send") == 0)
		return webhook_send(ctx);
	if (argc == 3 && strcmp(argv[1], "retry") == 0)
		return webhook_retry(ctx, argv[2]);
	return cli_usage(&cmd_webhook);
}

const struct cli_command cmd_webhook = {
	.name = "webhook",
	.args = "[list | send | retry ID]",
	.summary = "show, post or retry the webhook events",
	.help = "list (the default): events not delivered yet, queued or\n"
	    "failed, with their attempts and last error.\n"
	    "send: post the events that are due now (mailorderd does this\n"
	    "after every round).\n"
	    "retry ID: queue a failed event again, with the same key.\n",
	.exec = cmd_webhook_exec,
};

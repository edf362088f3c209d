/*
 * mailorder status [--json]
 *
 * Is intake working?  Glue over health/: the report, printed, and the
 * monitoring-plugin exit status (0 ok, 1 warning, 2 critical, 3 when it
 * cannot even be asked), so the command drops into Nagios, Icinga,
 * Zabbix or a cron mail as it is.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "common/buf.h"
#include "common/xmalloc.h"
#include "health/health.h"

#define STATUS_UNKNOWN	3
 * What is waiting and what is stuck: orders from mail by status, replies
 * in the outbox and webhook events by state.  Failed replies and events
 * are what an operator must look at (`mailorder webhook` lists the
 * events).  Parsing and printing only.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "common/buf.h"
#include "common/json.h"
#include "store/report.h"

struct status_ctx {
	struct buf	 b;
	int		 json;
	char		 kind[16];
	int64_t		 failed;	/* webhook events */
};

static int
status_count(void *arg, const char *kind, const char *state, int64_t n)
{
	struct status_ctx *sc = arg;
	int first = strcmp(sc->kind, kind) != 0;

	if (strcmp(kind, "webhook") == 0 && strcmp(state, "failed") == 0)
		sc->failed = n;
	if (sc->json) {
		if (first)
			buf_addf(&sc->b, "%s\"%s\":{", sc->kind[0] ? "}," : "",
			    kind);
		else
			buf_addc(&sc->b, ',');
		json_add_str(&sc->b, state);
		buf_addf(&sc->b, ":%lld", (long long)n);
	} else {
		if (first)
			buf_addf(&sc->b, "%s%-9s", sc->kind[0] ? "\n" : "",
			    kind);
		buf_addf(&sc->b, "%s %lld %s", first ? "" : ",",
		    (long long)n, state);
	}
	snprintf(sc->kind, sizeof(sc->kind), "%s", kind);
	return 0;
}

static int
cmd_status_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json",	no_argument,	NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	struct health_report *r;
	struct health_limits lim;
	struct store *st;
	struct err err;
	struct buf b;
	int ch, json = 0, status;

	while ((ch = getopt_long(argc, argv, "j", opts, NULL)) != -1) {
		if (ch != 'j') {
			(void)cli_usage(&cmd_status);
			return STATUS_UNKNOWN;
		}
		json = 1;
	}
	if (optind != argc) {
		(void)cli_usage(&cmd_status);
		return STATUS_UNKNOWN;
	}
	/* No store to read is as bad as it gets for intake. */
	if ((st = cli_store_read(ctx, &status)) == NULL)
		return HEALTH_CRITICAL;
	r = xcalloc(1, sizeof(*r));
	err_clear(&err);
	if (health_report_collect(st, ctx->db_path, time(NULL), r,
	    &err) == -1) {
		fprintf(stderr, "mailorder: %s\n", err.msg);
		free(r);
		return HEALTH_CRITICAL;
	}
	health_limits_init(&lim, ctx->conf);
	health_report_judge(r, &lim);
	buf_init(&b, BUF_NOLIMIT);
	if (json)
		health_report_json(r, &b);
	else
		health_report_text(r, &b);
	fputs(buf_str(&b), stdout);
	buf_release(&b);
	status = (int)r->level;
	free(r);
	return status;
	struct status_ctx sc;
	struct store *st;
	struct err err;
	int status;

	memset(&sc, 0, sizeof(sc));
	if (argc == 2 && strcmp(argv[1], "--json") == 0)
		sc.json = 1;
	else if (argc != 1)
		return cli_usage(&cmd_status);
	if ((st = cli_store_read(ctx, &status)) == NULL)
		return status;
	buf_init(&sc.b, BUF_NOLIMIT);
	if (sc.json)
		buf_addc(&sc.b, '{');
	err_clear(&err);
	if (store_report_counts(st, status_count, &sc, &err) == -1) {
		buf_release(&sc.b);
		return cli_fail(&err);
	}
	if (sc.json)
		buf_adds(&sc.b, sc.kind[0] ? "}}\n" : "}\n");
	else {
		buf_adds(&sc.b, sc.kind[0] ? "\n" : "nothing yet\n");
		if (sc.failed > 0)
			buf_addf(&sc.b, "%lld webhook event%s failed: see "
			    "mailorder webhook, and retry with mailorder "
			    "webhook retry ID\n", (long long)sc.failed,
			    sc.failed == 1 ? "" : "s");
	}
	fputs(buf_str(&sc.b), stdout);
	buf_release(&sc.b);
	return EX_OK;
}

const struct cli_command cmd_status = {
	.name = "status",
	.args = "[--json]",
	.summary = "is intake working? (exit 0 ok, 1 warning, 2 critical)",
	.help = "The daemon (PID, uptime), each inbox (last fetch, last\n"
	    "error, backlog), the queue (flagged orders, the oldest), the\n"
	    "outbox (queued, held, failed, the oldest) and the store's size,\n"
	    "judged against [status] in mailorder.conf.  Exit status as for\n"
	    "a monitoring plugin: 0 ok, 1 warning, 2 critical, 3 unknown\n"
	    "(a usage error).  --json prints one object.\n",
	.summary = "what is waiting and what failed: orders, replies, webhooks",
	.help = "Orders from mail by status, replies in the outbox and webhook\n"
	    "events by state (queued, sent, failed).\n",
	.exec = cmd_status_exec,
};

/*
 * mailorder status [--json]
 *
 * Is intake working?  Glue over health/: the report, printed, and the
 * monitoring-plugin exit status (0 ok, 1 warning, 2 critical, 3 when it
 * cannot even be asked), so the command drops into Nagios, Icinga,
 * Zabbix or a cron mail as it is.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "common/buf.h"
#include "common/xmalloc.h"
#include "health/health.h"

#define STATUS_UNKNOWN	3

static int
cmd_status_exec(struct cli_run *run)
{
	struct cli_ctx *ctx = run->ctx;
	struct health_report *r;
	struct health_limits lim;
	struct store *st;
	struct err err;
	struct buf b;
	int json = cli_opt_has(run, 'j'), status;

	/* No store to read is as bad as it gets for intake: opened here,
	 * not by the framework, for that exit status. */
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
}

const struct cli_command cmd_status = {
	.name = "status",
	.nmin = 0,
	.nmax = 0,
	.usage_status = STATUS_UNKNOWN,
	.opts = {
		{ 'j', "json", NULL, "one JSON object", 0, NULL },
	},
	.summary = "is intake working? (exit 0 ok, 1 warning, 2 critical)",
	.help = "The daemon (PID, uptime), each inbox (last fetch, last\n"
	    "error, backlog), the queue (flagged orders, the oldest), the\n"
	    "outbox (queued, held, failed, the oldest), the webhook events\n"
	    "(queued, failed, the oldest, the latest failure) and the\n"
	    "store's size, judged against [status] in mailorder.conf.  Exit\n"
	    "status as for a monitoring plugin: 0 ok, 1 warning, 2\n"
	    "critical, 3 unknown (a usage error).  --json prints one\n"
	    "object.\n",
	.exec = cmd_status_exec,
};

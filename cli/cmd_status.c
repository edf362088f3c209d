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
	.exec = cmd_status_exec,
};

/*
 * mailorder history CUSTOMER [--limit N] [--json]
 *
 * A customer's past orders, newest first: the imported history and the
 * orders from mail that were accepted or shipped.  What "the usual" and
 * "same as last time" are checked against.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/operator.h"
#include "common/buf.h"
#include "common/json.h"
#include "store/customer.h"

struct history_ctx {
	int	json;
};

static int
history_row(void *arg, const char *ref, const char *date, const char *status,
    const char *items)
{
	struct history_ctx *hc = arg;
	struct buf b;

	buf_init(&b, BUF_NOLIMIT);
	if (hc->json) {
		buf_adds(&b, "{\"ref\":");
		json_add_str(&b, ref);
		buf_adds(&b, ",\"date\":");
		json_add_str(&b, date);
		buf_adds(&b, ",\"status\":");
		json_add_str(&b, status);
		buf_adds(&b, ",\"items\":");
		json_add_str(&b, items);
		buf_adds(&b, "}\n");
	} else
		buf_addf(&b, "%-12s %-10s %-9s %s\n", ref, date, status,
		    items ? items : "");
	fputs(buf_str(&b), stdout);
	buf_release(&b);
	return 0;
}

static int
cmd_history_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "limit",	required_argument,	NULL, 'l' },
		{ "json",	no_argument,		NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	struct history_ctx hc = { 0 };
	struct store *st;
	struct err err;
	char id[STORE_CUSTOMER_ID_MAX];
	int ch, rc, limit = 0, status = EX_OK;

	while ((ch = getopt_long(argc, argv, "l:j", opts, NULL)) != -1) {
		switch (ch) {
		case 'l':
			if (cli_op_version(optarg, &limit) == -1)
				return EX_USAGE;
			break;
		case 'j':
			hc.json = 1;
			break;
		default:
			return cli_usage(&cmd_history);
		}
	}
	if (optind + 1 != argc)
		return cli_usage(&cmd_history);
	if ((st = cli_store_read(ctx, &status)) == NULL)
		return status;
	err_clear(&err);
	if ((rc = store_customer_lookup(st, argv[optind], id, sizeof(id),
	    &err)) == -1)
		return cli_fail(&err);
	if (rc == 0) {
		fprintf(stderr, "mailorder: no customer '%s'\n", argv[optind]);
		return EX_DATAERR;
	}
	if (!hc.json)
		printf("%-12s %-10s %-9s %s\n", "ORDER", "DATE", "STATUS",
		    "ITEMS");
	if (store_operator_history(st, id, limit, history_row, &hc,
	    &err) == -1)
		return cli_fail(&err);
	return EX_OK;
}

const struct cli_command cmd_history = {
	.name = "history",
	.args = "CUSTOMER [--limit N] [--json]",
	.summary = "show a customer's past orders",
	.help = "Newest first: imported history and accepted or shipped\n"
	    "orders from mail.  --json prints one object per order.\n",
	.exec = cmd_history_exec,
};

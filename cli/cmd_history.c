/*
 * mailorder history CUSTOMER [--limit N] [--json]
 *
 * A customer's past orders, newest first: the imported history and the
 * orders from mail that were accepted or shipped.  What "the usual" and
 * "same as last time" are checked against.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "store/operator.h"
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

#define HISTORY_LIMIT_MAX	1000000000

/* --limit N: a positive number. */
static int
history_limit_check(const char *arg)
{
	int v;

	if (cli_number(arg, HISTORY_LIMIT_MAX, &v) == -1) {
		fprintf(stderr, "mailorder: '%s' is not a number of orders\n",
		    arg);
		return -1;
	}
	return 0;
}

static int
cmd_history_exec(struct cli_run *run)
{
	struct history_ctx hc = { 0 };
	struct store *st = run->store;
	struct err err;
	char id[STORE_CUSTOMER_ID_MAX];
	const char *lim = cli_opt_get(run, 'l');
	int rc, limit = 0;

	hc.json = cli_opt_has(run, 'j');
	if (lim != NULL)
		(void)cli_number(lim, HISTORY_LIMIT_MAX, &limit);	/* checked by getopt */
	err_clear(&err);
	if ((rc = store_customer_lookup(st, run->argv[0], id, sizeof(id),
	    &err)) == -1)
		return cli_fail(&err);
	if (rc == 0) {
		fprintf(stderr, "mailorder: no customer '%s'\n",
		    run->argv[0]);
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
	.operands = "CUSTOMER",
	.nmin = 1,
	.nmax = 1,
	.store = CLI_STORE_READ,
	.opts = {
		{ 'l', "limit", "N", "the newest N orders only", 0,
		    history_limit_check },
		{ 'j', "json", NULL, "one JSON object per order", 0, NULL },
	},
	.summary = "show a customer's past orders",
	.help = "Newest first: imported history and accepted or shipped\n"
	    "orders from mail.  --json prints one object per order.\n",
	.exec = cmd_history_exec,
};

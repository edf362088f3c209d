/*
 * mailorder ask ORDER --message FILE [--version N]
 * mailorder ask ORDER --substitute LINE=SKU [--message FILE] [--version N]
 *
 * Ask the customer about an order in the operator's own words; the
 * question goes through the outbox and the order stays waiting for the
 * answer.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/operator.h"

/* --substitute LINE=SKU, checked as getopt meets it. */
static int
ask_subst_parse(const char *arg, int *line_r, const char **sku_r)
{
	const char *eq = strchr(arg, '=');
	char num[16];

	if (eq == NULL || eq == arg || eq[1] == '\0' ||
	    (size_t)(eq - arg) >= sizeof(num))
		return -1;
	memcpy(num, arg, (size_t)(eq - arg));
	num[eq - arg] = '\0';
	*sku_r = eq + 1;
	return cli_number(num, 100000, line_r);
}

static int
ask_subst_check(const char *arg)
{
	const char *sku;
	int line;

	if (ask_subst_parse(arg, &line, &sku) == -1) {
		fprintf(stderr, "mailorder: --substitute wants LINE=SKU (2=DECAF-"
		    "1KG), not '%s'\n", arg);
		return -1;
	}
	return 0;
}

static int
cmd_ask_check(const struct cli_run *run)
{
	if (!cli_opt_has(run, 'm') && !cli_opt_has(run, 's'))
		return cli_usage(run->cmd);
	return EX_OK;
}

static int
cmd_ask_exec(struct cli_run *run)
{
	struct review_target t = { run->order_id, run->version };
	struct review_result res;
	struct err err;
	const char *sku;
	int line, rc;

	err_clear(&err);
	if (cli_opt_has(run, 's')) {
		(void)ask_subst_parse(cli_opt_get(run, 's'), &line, &sku);
		rc = review_ask_substitute(&run->op->review, &t, line, sku,
		    run->message, &res, &err);
	} else
		rc = review_ask(&run->op->review, &t, run->message, &res,
		    &err);
	if (rc == -1)
		return cli_fail(&err);
	if (cli_opt_has(run, 's'))
		printf("MO-%lld: line %d is %s now, if the customer agrees; "
		    "the order stays waiting\n", (long long)run->order_id,
		    line, sku);
	else
		printf("MO-%lld: question recorded; the order stays waiting\n",
		    (long long)run->order_id);
	cli_op_report(run->op, &res, "question");
	return EX_OK;
}

const struct cli_command cmd_ask = {
	.name = "ask",
	CLI_ORDER_ACTION,
	.opts = {
		{ 'm', "message", "FILE", "the question ('-': standard "
		    "input)", CLI_OPT_MESSAGE, NULL },
		{ 's', "substitute", "LINE=SKU", "propose SKU for line LINE",
		    0, ask_subst_check },
		CLI_OPT_VERSION,
	},
	.summary = "ask the customer about an order",
	.help = "FILE ('-': standard input) is the text of the question; it\n"
	    "is sent through the outbox and kept in the audit log.  The\n"
	    "order stays flagged.  --version N refuses (exit 75) when the\n"
	    "order has changed since you saw version N.\n"
	    "--substitute LINE=SKU, for a product out of stock: the line\n"
	    "gets SKU (it must be available) and the question, made from\n"
	    "both products' names, asks whether it will do; --message adds\n"
	    "your words.  Undo puts the line back.\n",
	.check = cmd_ask_check,
	.exec = cmd_ask_exec,
};

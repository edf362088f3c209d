/*
 * mailorder approve ORDER [--note TEXT] [--version N]
 *
 * Accept a flagged order as it stands now: every line has a product, the
 * flags are resolved, and the confirmation goes to the outbox in the same
 * transaction.
 */
#include "config.h"

#include <stdio.h>

#include "cli/operator.h"

static int
cmd_approve_exec(struct cli_run *run)
{
	struct review_target t = { run->order_id, run->version };
	struct review_result res;
	struct err err;

	err_clear(&err);
	if (review_approve_note(&run->op->review, &t, cli_opt_get(run, 'n'),
	    &res, &err) == -1)
		return cli_fail(&err);
	printf("MO-%lld approved\n", (long long)run->order_id);
	cli_op_report(run->op, &res, "confirmation");
	return EX_OK;
}

const struct cli_command cmd_approve = {
	.name = "approve",
	CLI_ORDER_ACTION,
	.opts = {
		{ 'n', "note", "TEXT", "a personal line for the confirmation",
		    0, NULL },
		CLI_OPT_VERSION,
	},
	.summary = "accept a flagged order and queue its confirmation",
	.help = "Every line must have a product (see 'mailorder edit').  The\n"
	    "order's flags are resolved and the confirmation is queued in\n"
	    "the outbox.  --note TEXT adds your personal line to it (\"Thanks\n"
	    "Dana, the new blend is in this week\"), signed with your name.\n"
	    "--version N refuses (exit 75) when the order has\n"
	    "changed since you saw version N ('show --json' prints it).\n",
	.exec = cmd_approve_exec,
};

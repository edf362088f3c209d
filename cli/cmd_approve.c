/*
 * mailorder approve ORDER [--version N]
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
	if (review_approve(&run->op->review, &t, &res, &err) == -1)
		return cli_fail(&err);
	printf("MO-%lld approved\n", (long long)run->order_id);
	cli_op_report(run->op, &res, "confirmation");
	return EX_OK;
}

const struct cli_command cmd_approve = {
	.name = "approve",
	CLI_ORDER_ACTION,
	.opts = { CLI_OPT_VERSION },
	.summary = "accept a flagged order and queue its confirmation",
	.help = "Every line must have a product (see 'mailorder edit').  The\n"
	    "order's flags are resolved and the confirmation is queued in\n"
	    "the outbox.  --version N refuses (exit 75) when the order has\n"
	    "changed since you saw version N ('show --json' prints it).\n",
	.exec = cmd_approve_exec,
};

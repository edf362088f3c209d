/*
 * mailorder ask ORDER --message FILE [--version N]
 *
 * Ask the customer about an order in the operator's own words; the
 * question goes through the outbox and the order stays waiting for the
 * answer.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli/operator.h"

static int
cmd_ask_exec(struct cli_run *run)
{
	struct review_target t = { run->order_id, run->version };
	struct review_result res;
	struct err err;

	err_clear(&err);
	if (review_ask(&run->op->review, &t, run->message, &res, &err) == -1)
		return cli_fail(&err);
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
		    "input)", CLI_OPT_REQUIRED | CLI_OPT_MESSAGE, NULL },
		CLI_OPT_VERSION,
	},
	.summary = "ask the customer about an order",
	.help = "FILE ('-': standard input) is the text of the question; it\n"
	    "is sent through the outbox and kept in the audit log.  The\n"
	    "order stays flagged.  --version N refuses (exit 75) when the\n"
	    "order has changed since you saw version N.\n",
	.exec = cmd_ask_exec,
};

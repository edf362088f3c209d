/*
 * mailorder reject ORDER --reason TEXT [--message FILE] [--version N]
 *
 * Archive an order that is not one (or cannot be filled) with a reason
 * for the audit log, and optionally a personal reply to the customer.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli/operator.h"

static int
cmd_reject_check(const struct cli_run *run)
{
	if (*cli_opt_get(run, 'r') == '\0')
		return cli_usage(run->cmd);
	return EX_OK;
}

static int
cmd_reject_exec(struct cli_run *run)
{
	struct review_target t = { run->order_id, run->version };
	struct review_result res;
	struct err err;
	const char *reason = cli_opt_get(run, 'r');

	err_clear(&err);
	if (review_reject(&run->op->review, &t, reason, run->message, &res,
	    &err) == -1)
		return cli_fail(&err);
	printf("MO-%lld rejected: %s\n", (long long)run->order_id, reason);
	if (run->message != NULL)
		cli_op_report(run->op, &res, "reply");
	return EX_OK;
}

const struct cli_command cmd_reject = {
	.name = "reject",
	CLI_ORDER_ACTION,
	.opts = {
		{ 'r', "reason", "TEXT", "why, for the audit log",
		    CLI_OPT_REQUIRED, NULL },
		{ 'm', "message", "FILE", "a reply to the customer ('-': "
		    "standard input)", CLI_OPT_MESSAGE, NULL },
		CLI_OPT_VERSION,
	},
	.summary = "archive an order with a reason, optionally replying",
	.help = "The order becomes 'rejected'; the reason goes to the audit\n"
	    "log.  With --message FILE ('-': standard input) that text is\n"
	    "sent to the customer through the outbox; without it nothing is\n"
	    "sent.  --version N refuses (exit 75) when the order has changed\n"
	    "since you saw version N.\n",
	.check = cmd_reject_check,
	.exec = cmd_reject_exec,
};

/*
 * mailorder undo ORDER [--version N]
 *
 * Take back the last action on an order while its reply is still waiting
 * in the outbox: the order, its lines and flags are put back, the reply is
 * cancelled, and an alias or address the action taught is forgotten.
 */
#include "config.h"

#include <stdio.h>

#include "cli/operator.h"

static int
cmd_undo_exec(struct cli_run *run)
{
	struct review_target t = { run->order_id, run->version };
	struct review_result res;
	struct err err;

	err_clear(&err);
	if (review_undo(&run->op->review, &t, &res, &err) == -1)
		return cli_fail(&err);
	printf("MO-%lld: %s undone\n", (long long)run->order_id,
	    res.undone);
	return EX_OK;
}

const struct cli_command cmd_undo = {
	.name = "undo",
	CLI_ORDER_ACTION,
	.opts = { CLI_OPT_VERSION },
	.summary = "take back the last action on an order",
	.help = "Possible while the action's reply is still queued in the\n"
	    "outbox (not sent).  Repeat to take back earlier actions.\n"
	    "--version N refuses (exit 75) when the order has changed since\n"
	    "you saw version N.\n",
	.exec = cmd_undo_exec,
};

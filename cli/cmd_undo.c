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
cmd_undo_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	struct store_operator_ctx oc;
	struct cli_op op;
	struct store *st;
	struct err err;
	const char *what = NULL;
	int64_t id;
	int version, status;

	if ((status = cli_op_order_args(&cmd_undo, argc, argv, &id,
	    &version)) != EX_OK)
		return status;
	if ((st = cli_store(ctx, &status)) == NULL ||
	    cli_op_init(ctx, &op, &status) == -1)
		return status;
	cli_op_ctx(&op, &oc, id, version, 0);
	err_clear(&err);
	if (store_operator_undo(st, &oc, &what, &err) == -1)
		status = cli_fail(&err);
	else
		printf("MO-%lld: %s undone\n", (long long)id, what);
	cli_op_release(&op);
	return status;
}

const struct cli_command cmd_undo = {
	.name = "undo",
	.args = "ORDER [--version N]",
	.summary = "take back the last action on an order",
	.help = "Possible while the action's reply is still queued in the\n"
	    "outbox (not sent).  Repeat to take back earlier actions.\n"
	    "--version N refuses (exit 75) when the order has changed since\n"
	    "you saw version N.\n",
	.exec = cmd_undo_exec,
};

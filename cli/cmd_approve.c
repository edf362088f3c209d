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
cmd_approve_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	struct store_operator_ctx oc;
	struct cli_op op;
	struct store *st;
	struct err err;
	int64_t id;
	int version, status;

	if ((status = cli_op_order_args(&cmd_approve, argc, argv, &id,
	    &version)) != EX_OK)
		return status;
	if ((st = cli_store(ctx, &status)) == NULL ||
	    cli_op_init(ctx, &op, &status) == -1)
		return status;
	cli_op_ctx(&op, &oc, id, version, 1);
	err_clear(&err);
	if (store_operator_approve(st, &oc, &err) == -1)
		status = cli_fail(&err);
	else {
		printf("MO-%lld approved\n", (long long)id);
		cli_op_report(&op, "confirmation");
	}
	cli_op_release(&op);
	return status;
}

const struct cli_command cmd_approve = {
	.name = "approve",
	.args = "ORDER [--version N]",
	.summary = "accept a flagged order and queue its confirmation",
	.help = "Every line must have a product (see 'mailorder edit').  The\n"
	    "order's flags are resolved and the confirmation is queued in\n"
	    "the outbox.  --version N refuses (exit 75) when the order has\n"
	    "changed since you saw version N ('show --json' prints it).\n",
	.exec = cmd_approve_exec,
};

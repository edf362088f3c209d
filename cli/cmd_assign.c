/*
 * mailorder assign ADDRESS CUSTOMER [--name NAME]
 *
 * Say who an unknown sender is.  The address is remembered for the
 * customer (later mail from it resolves by itself), and the open orders
 * already received from it get the customer.
 */
#include "config.h"

#include <stdio.h>

#include "cli/operator.h"
#include "store/customer.h"

static int
cmd_assign_check(const struct cli_run *run)
{
	return *run->argv[1] == '\0' ? cli_usage(run->cmd) : EX_OK;
}

static int
cmd_assign_exec(struct cli_run *run)
{
	struct review_result res;
	struct err err;
	const char *addr = run->argv[0];
	char id[STORE_CUSTOMER_ID_MAX];
	int n;

	err_clear(&err);
	/* The customer as stored, for the message: "acme" is ACME. */
	if (store_customer_lookup(run->store, run->argv[1], id, sizeof(id),
	    &err) == -1 ||
	    review_assign_address(&run->op->review, addr, id,
	    cli_opt_get(run, 'n'), &res, &err) == -1)
		return cli_fail(&err);
	n = res.assigned;
	printf("%s is %s now; %d open order%s assigned\n", addr, id, n,
	    n == 1 ? "" : "s");
	return EX_OK;
}

const struct cli_command cmd_assign = {
	.name = "assign",
	.operands = "ADDRESS CUSTOMER",
	.nmin = 2,
	.nmax = 2,
	.store = CLI_STORE_WRITE,
	.flags = CLI_CMD_REVIEW,
	.opts = {
		{ 'n', "name", "NAME", "create CUSTOMER with this name", 0,
		    NULL },
	},
	.summary = "remember a sender address as a customer's",
	.help = "ADDRESS is user@domain, or @domain for the whole domain.\n"
	    "Open orders from that address without a customer get CUSTOMER\n"
	    "and lose their unknown_sender flag; later mail from it resolves\n"
	    "by itself.  An unknown CUSTOMER is refused (exit 65) unless\n"
	    "--name gives the name to create it with.\n",
	.check = cmd_assign_check,
	.exec = cmd_assign_exec,
};

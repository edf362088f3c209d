/*
 * mailorder assign ADDRESS CUSTOMER [--name NAME]
 *
 * Say who an unknown sender is.  The address is remembered for the
 * customer (later mail from it resolves by itself), and the open orders
 * already received from it get the customer.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>

#include "cli/operator.h"
#include "store/customer.h"

static int
cmd_assign_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name",	required_argument,	NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	struct store *st;
	struct err err;
	const char *name = NULL;
	char id[STORE_CUSTOMER_ID_MAX];
	int ch, n = 0, status = EX_OK;

	while ((ch = getopt_long(argc, argv, "n:", opts, NULL)) != -1) {
		if (ch != 'n')
			return cli_usage(&cmd_assign);
		name = optarg;
	}
	if (optind + 2 != argc || *argv[optind + 1] == '\0')
		return cli_usage(&cmd_assign);
	if ((st = cli_store(ctx, &status)) == NULL)
		return status;
	err_clear(&err);
	/* The customer as stored, for the message: "acme" is ACME. */
	if (store_customer_lookup(st, argv[optind + 1], id, sizeof(id),
	    &err) == -1 ||
	    store_operator_assign_address(st, store_operator_login(),
	    argv[optind], id, name, &n, &err) == -1)
		return cli_fail(&err);
	printf("%s is %s now; %d open order%s assigned\n", argv[optind],
	    id, n, n == 1 ? "" : "s");
	return EX_OK;
}

const struct cli_command cmd_assign = {
	.name = "assign",
	.args = "ADDRESS CUSTOMER [--name NAME]",
	.summary = "remember a sender address as a customer's",
	.help = "ADDRESS is user@domain, or @domain for the whole domain.\n"
	    "Open orders from that address without a customer get CUSTOMER\n"
	    "and lose their unknown_sender flag; later mail from it resolves\n"
	    "by itself.  An unknown CUSTOMER is refused (exit 65) unless\n"
	    "--name gives the name to create it with.\n",
	.exec = cmd_assign_exec,
};

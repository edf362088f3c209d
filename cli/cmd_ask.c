/*
 * mailorder ask ORDER --message FILE [--version N]
 *
 * Ask the customer about an order in the operator's own words; the
 * question goes through the outbox and the order stays waiting for the
 * answer.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/operator.h"

static int
cmd_ask_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "message",	required_argument,	NULL, 'm' },
		{ "version",	required_argument,	NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct store_operator_ctx oc;
	struct cli_op op;
	struct store *st;
	struct err err;
	const char *file = NULL;
	char *text = NULL;
	int64_t id;
	int ch, version = 0, status = EX_OK;

	while ((ch = getopt_long(argc, argv, "m:V:", opts, NULL)) != -1) {
		switch (ch) {
		case 'm':
			file = optarg;
			break;
		case 'V':
			if (cli_op_version(optarg, &version) == -1)
				return EX_USAGE;
			break;
		default:
			return cli_usage(&cmd_ask);
		}
	}
	if (optind + 1 != argc || file == NULL)
		return cli_usage(&cmd_ask);
	if (cli_order_id(argv[optind], &id) == -1)
		return EX_USAGE;
	if (cli_op_read_message(file, &text, &status) == -1)
		return status;
	if ((st = cli_store(ctx, &status)) == NULL ||
	    cli_op_init(ctx, &op, &status) == -1) {
		free(text);
		return status;
	}
	op.extra.text = text;
	cli_op_ctx(&op, &oc, id, version, 1);
	err_clear(&err);
	if (store_operator_ask(st, &oc, text, &err) == -1)
		status = cli_fail(&err);
	else {
		printf("MO-%lld: question recorded; the order stays "
		    "waiting\n", (long long)id);
		cli_op_report(&op, "question");
	}
	cli_op_release(&op);
	free(text);
	return status;
}

const struct cli_command cmd_ask = {
	.name = "ask",
	.args = "ORDER --message FILE [--version N]",
	.summary = "ask the customer about an order",
	.help = "FILE ('-': standard input) is the text of the question; it\n"
	    "is sent through the outbox and kept in the audit log.  The\n"
	    "order stays flagged.  --version N refuses (exit 75) when the\n"
	    "order has changed since you saw version N.\n",
	.exec = cmd_ask_exec,
};

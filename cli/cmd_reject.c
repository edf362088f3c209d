/*
 * mailorder reject ORDER --reason TEXT [--message FILE] [--version N]
 *
 * Archive an order that is not one (or cannot be filled) with a reason
 * for the audit log, and optionally a personal reply to the customer.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/operator.h"

static int
cmd_reject_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "reason",	required_argument,	NULL, 'r' },
		{ "message",	required_argument,	NULL, 'm' },
		{ "version",	required_argument,	NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct store_operator_ctx oc;
	struct cli_op op;
	struct store *st;
	struct err err;
	const char *file = NULL, *reason = NULL;
	char *text = NULL;
	int64_t id;
	int ch, version = 0, status = EX_OK;

	while ((ch = getopt_long(argc, argv, "r:m:V:", opts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			reason = optarg;
			break;
		case 'm':
			file = optarg;
			break;
		case 'V':
			if (cli_op_version(optarg, &version) == -1)
				return EX_USAGE;
			break;
		default:
			return cli_usage(&cmd_reject);
		}
	}
	if (optind + 1 != argc || reason == NULL || *reason == '\0')
		return cli_usage(&cmd_reject);
	if (cli_order_id(argv[optind], &id) == -1)
		return EX_USAGE;
	if (file != NULL && cli_op_read_message(file, &text, &status) == -1)
		return status;
	if ((st = cli_store(ctx, &status)) == NULL ||
	    cli_op_init(ctx, &op, &status) == -1) {
		free(text);
		return status;
	}
	op.extra.text = text;
	cli_op_ctx(&op, &oc, id, version, text != NULL);
	err_clear(&err);
	if (store_operator_reject(st, &oc, reason, &err) == -1)
		status = cli_fail(&err);
	else {
		printf("MO-%lld rejected: %s\n", (long long)id, reason);
		if (text != NULL)
			cli_op_report(&op, "reply");
	}
	cli_op_release(&op);
	free(text);
	return status;
}

const struct cli_command cmd_reject = {
	.name = "reject",
	.args = "ORDER --reason TEXT [--message FILE] [--version N]",
	.summary = "archive an order with a reason, optionally replying",
	.help = "The order becomes 'rejected'; the reason goes to the audit\n"
	    "log.  With --message FILE ('-': standard input) that text is\n"
	    "sent to the customer through the outbox; without it nothing is\n"
	    "sent.  --version N refuses (exit 75) when the order has changed\n"
	    "since you saw version N.\n",
	.exec = cmd_reject_exec,
};

/*
 * mailorder edit ORDER --line N [--sku SKU] [--quantity Q]
 * mailorder edit ORDER --line N --delete
 * mailorder edit ORDER --add --sku SKU [--quantity Q]
 *
 * Correct the lines of a flagged order.  A new SKU for a line is also
 * remembered for this customer: their words for the item become their
 * alias for the product, so the next mail that says the same resolves by
 * itself (`mailorder parse` then reports the match as "learned").
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/operator.h"
#include "common/qty.h"
#include "rules/rules.h"

static int
edit_number(const char *arg, const char *what, long max, long *v_r)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || v <= 0 || v > max) {
		fprintf(stderr, "mailorder: '%s' is not a %s (1-%ld)\n", arg,
		    what, max);
		return -1;
	}
	*v_r = v;
	return 0;
}

/* The customer's words for the line's item, for learning; NULL when the
 * rules cannot be loaded or find nothing. */
static char *
edit_words(struct cli_ctx *ctx, struct store *st, int64_t id, int line)
{
	const char *const *paths;
	struct ruleset *rs;
	struct err err;
	char *words;
	size_t n;

	n = cli_rule_paths(ctx, &paths);
	err_clear(&err);
	rs = rules_load(paths, n, &err);
	words = cli_op_line_words(st, rs, id, line);
	rules_free(rs);
	return words;
}

static int
cmd_edit_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "line",	required_argument,	NULL, 'l' },
		{ "sku",	required_argument,	NULL, 's' },
		{ "quantity",	required_argument,	NULL, 'q' },
		{ "delete",	no_argument,		NULL, 'd' },
		{ "add",	no_argument,		NULL, 'a' },
		{ "no-learn",	no_argument,		NULL, 'n' },
		{ "version",	required_argument,	NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct store_operator_edit e;
	struct store_operator_ctx oc;
	struct store *st;
	struct err err;
	char *words = NULL;
	int64_t id;
	long v;
	int ch, del = 0, add = 0, learn = 1, version = 0, line = 0;
	int status = EX_OK;

	memset(&e, 0, sizeof(e));
	while ((ch = getopt_long(argc, argv, "l:s:q:danV:", opts,
	    NULL)) != -1) {
		switch (ch) {
		case 'l':
			if (edit_number(optarg, "line number", 100000, &v) == -1)
				return EX_USAGE;
			e.line = (int)v;
			break;
		case 's':
			e.sku = optarg;
			break;
		case 'q':
			if (qty_parse(optarg, &e.quantity) == -1) {
				fprintf(stderr, "mailorder: '%s' is not a "
				    "quantity (a number up to %.0f, at most "
				    "%d decimals)\n", optarg, QTY_MAX,
				    QTY_DECIMALS);
				return EX_USAGE;
			}
			break;
		case 'd':
			del = 1;
			break;
		case 'a':
			add = 1;
			break;
		case 'n':
			learn = 0;
			break;
		case 'V':
			if (cli_op_version(optarg, &version) == -1)
				return EX_USAGE;
			break;
		default:
			return cli_usage(&cmd_edit);
		}
	}
	if (optind + 1 != argc)
		return cli_usage(&cmd_edit);
	/* Exactly one of: --add, --delete, a change to --line N. */
	if (add + del > 1 || (add && (e.line || e.sku == NULL)) ||
	    (del && (!e.line || e.sku || e.quantity)) ||
	    (!add && !del && (!e.line || (!e.sku && !e.quantity))))
		return cli_usage(&cmd_edit);
	e.op = add ? STORE_OPERATOR_LINE_ADD : del ?
	    STORE_OPERATOR_LINE_DELETE : STORE_OPERATOR_LINE_SET;
	if (cli_order_id(argv[optind], &id) == -1)
		return EX_USAGE;
	if ((st = cli_store(ctx, &status)) == NULL)
		return status;
	if (e.op == STORE_OPERATOR_LINE_SET && e.sku != NULL && learn)
		e.alias = words = edit_words(ctx, st, id, e.line);
	memset(&oc, 0, sizeof(oc));
	oc.order_id = id;
	oc.version = version;
	oc.operator = store_operator_login();
	err_clear(&err);
	if (store_operator_edit(st, &oc, &e, &line, &err) == -1)
		status = cli_fail(&err);
	else if (e.op == STORE_OPERATOR_LINE_ADD)
		printf("MO-%lld: line %d added\n", (long long)id, line);
	else if (e.op == STORE_OPERATOR_LINE_DELETE)
		printf("MO-%lld: line %d deleted\n", (long long)id, line);
	else {
		printf("MO-%lld: line %d changed\n", (long long)id, line);
		if (words != NULL)
			printf("learned: '%s' is %s for this customer\n",
			    words, e.sku);
	}
	free(words);
	return status;
}

const struct cli_command cmd_edit = {
	.name = "edit",
	.args = "ORDER --line N [--sku SKU] [--quantity Q] [--no-learn] | "
	    "--line N --delete | --add --sku SKU [--quantity Q] "
	    "[--version N]",
	.summary = "correct the lines of a flagged order",
	.help = "--line N with --sku and/or --quantity changes line N; the\n"
	    "customer's words for the item are remembered as their name for\n"
	    "SKU (not with --no-learn).  --delete removes line N.  --add adds\n"
	    "a line (without --quantity: what the customer took last time,\n"
	    "else 1).  A SKU not in the catalog is refused (exit 65).\n"
	    "--version N refuses (exit 75) when the order has changed since\n"
	    "you saw version N.\n",
	.exec = cmd_edit_exec,
};

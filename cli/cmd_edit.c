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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/operator.h"
#include "common/qty.h"
#include "rules/rules.h"

#define EDIT_LINE_MAX	100000

static int
edit_line_check(const char *arg)
{
	int line;

	if (cli_number(arg, EDIT_LINE_MAX, &line) == -1) {
		fprintf(stderr, "mailorder: '%s' is not a line number "
		    "(1-%d)\n", arg, EDIT_LINE_MAX);
		return -1;
	}
	return 0;
}

static int
edit_quantity_check(const char *arg)
{
	double q;

	if (qty_parse(arg, &q) == -1) {
		fprintf(stderr, "mailorder: '%s' is not a quantity (a number "
		    "up to %.0f, at most %d decimals)\n", arg, QTY_MAX,
		    QTY_DECIMALS);
		return -1;
	}
	return 0;
}

/* The line as the operator gave it: exactly one of --add, --delete, a
 * change to --line N.  -1 when the options do not make one. */
static int
edit_request(const struct cli_run *run, struct review_edit *e)
{
	const char *line = cli_opt_get(run, 'l');
	const char *qty = cli_opt_get(run, 'q');
	int add = cli_opt_has(run, 'a'), del = cli_opt_has(run, 'd');

	memset(e, 0, sizeof(*e));
	if (line != NULL)
		(void)cli_number(line, EDIT_LINE_MAX, &e->line);	/* checked by getopt */
	if (qty != NULL)
		(void)qty_parse(qty, &e->quantity);
	e->sku = cli_opt_get(run, 's');
	if (add + del > 1 || (add && (e->line || e->sku == NULL)) ||
	    (del && (!e->line || e->sku || e->quantity)) ||
	    (!add && !del && (!e->line || (!e->sku && !e->quantity))))
		return -1;
	e->op = add ? REVIEW_LINE_ADD : del ?
	    REVIEW_LINE_DELETE : REVIEW_LINE_SET;
	return 0;
}

static int
cmd_edit_check(const struct cli_run *run)
{
	struct review_edit e;

	return edit_request(run, &e) == -1 ? cli_usage(run->cmd) : EX_OK;
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
cmd_edit_exec(struct cli_run *run)
{
	struct review_target t = { run->order_id, run->version };
	struct review_result res;
	struct review_edit e;
	struct err err;
	char *words = NULL;
	int64_t id = run->order_id;
	int status = EX_OK;

	(void)edit_request(run, &e);	/* checked before the store opened */
	if (e.op == REVIEW_LINE_SET && e.sku != NULL &&
	    !cli_opt_has(run, 'n'))
		e.alias = words = edit_words(run->ctx, run->store, id,
		    e.line);
	err_clear(&err);
	if (review_edit(&run->op->review, &t, &e, &res, &err) == -1)
		status = cli_fail(&err);
	else if (e.op == REVIEW_LINE_ADD)
		printf("MO-%lld: line %d added\n", (long long)id, res.line);
	else if (e.op == REVIEW_LINE_DELETE)
		printf("MO-%lld: line %d deleted\n", (long long)id, res.line);
	else {
		printf("MO-%lld: line %d changed\n", (long long)id, res.line);
		if (words != NULL)
			printf("learned: '%s' is %s for this customer\n",
			    words, e.sku);
	}
	free(words);
	return status;
}

const struct cli_command cmd_edit = {
	.name = "edit",
	CLI_ORDER_ACTION,
	.opts = {
		{ 'l', "line", "N", "the line to change or delete", 0,
		    edit_line_check },
		{ 's', "sku", "SKU", "the product for the line", 0, NULL },
		{ 'q', "quantity", "Q", "the quantity for the line", 0,
		    edit_quantity_check },
		{ 'd', "delete", NULL, "delete line N", 0, NULL },
		{ 'a', "add", NULL, "add a line", 0, NULL },
		{ 'n', "no-learn", NULL, "do not remember the customer's "
		    "words for SKU", 0, NULL },
		CLI_OPT_VERSION,
	},
	.summary = "correct the lines of a flagged order",
	.help = "One of: --line N with --sku and/or --quantity; --line N\n"
	    "--delete; --add --sku SKU [--quantity Q].\n"
	    "--line N with --sku and/or --quantity changes line N; the\n"
	    "customer's words for the item are remembered as their name for\n"
	    "SKU (not with --no-learn).  --delete removes line N.  --add adds\n"
	    "a line (without --quantity: what the customer took last time,\n"
	    "else 1).  A SKU not in the catalog is refused (exit 65).\n"
	    "--version N refuses (exit 75) when the order has changed since\n"
	    "you saw version N.\n",
	.check = cmd_edit_check,
	.exec = cmd_edit_exec,
};

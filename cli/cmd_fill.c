/*
 * mailorder fill ORDER [--from REF | --usual] [--dry-run] [--version N]
 *
 * "Same as last time" in one step: copy the lines of the customer's last
 * order (or of REF, or their usual basket) with their quantities into a
 * flagged order, to edit from there.
 */
#include "config.h"

#include <stdio.h>

#include "cli/operator.h"
#include "common/qty.h"

static void
fill_print(void *arg, const char *sku, double quantity, int added)
{
	char q[QTY_FMT_MAX];

	(void)arg;
	printf("  %s %s %s\n", added ? "+" : "=", qty_format(quantity, q),
	    sku);
}

static int
cmd_fill_check(const struct cli_run *run)
{
	if (cli_opt_has(run, 'f') && cli_opt_has(run, 'u')) {
		fprintf(stderr, "mailorder: --from and --usual do not go "
		    "together\n");
		return EX_USAGE;
	}
	return EX_OK;
}

static int
cmd_fill_exec(struct cli_run *run)
{
	struct review_target t = { run->order_id, run->version };
	struct review_fill f;
	struct review_result res;
	struct err err;

	f.from = cli_opt_get(run, 'f');
	f.usual = cli_opt_has(run, 'u');
	f.dry_run = cli_opt_has(run, 'n');
	f.cb = fill_print;
	f.arg = NULL;
	err_clear(&err);
	if (review_fill(&run->op->review, &t, &f, &res, &err) == -1)
		return cli_fail(&err);
	printf("MO-%lld: %d line%s %s (+ added, = already there)\n",
	    (long long)run->order_id, res.line, res.line == 1 ? "" : "s",
	    f.dry_run ? "would be added" : "added");
	return EX_OK;
}

const struct cli_command cmd_fill = {
	.name = "fill",
	CLI_ORDER_ACTION,
	.opts = {
		{ 'f', "from", "REF", "copy that order of the customer's", 0,
		    NULL },
		{ 'u', "usual", NULL, "copy the customer's usual basket", 0,
		    NULL },
		{ 'n', "dry-run", NULL, "say what would be copied, change "
		    "nothing", 0, NULL },
		CLI_OPT_VERSION,
	},
	.summary = "copy an earlier order's lines into a flagged order",
	.help = "For \"same as last time\": the lines of the customer's last\n"
	    "order (imported history, or accepted or shipped), or of --from\n"
	    "REF, with their quantities, are added to the order; products it\n"
	    "has already keep their line.  --usual copies the usual basket\n"
	    "instead: each product in at least half of the customer's last 6\n"
	    "orders, with the quantity taken most often.  The\n"
	    "history_reference flag is resolved; the order stays flagged for\n"
	    "you to check, edit and approve.  One action: undo takes it all\n"
	    "back.\n",
	.check = cmd_fill_check,
	.exec = cmd_fill_exec,
};

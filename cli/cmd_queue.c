/*
 * mailorder queue
 *
 * The operator's queue: the flagged orders in a terminal (tui/).  This
 * file only wires the operator's actions (review/) and the rules into it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/operator.h"
#include "config/conf.h"
#include "rules/rules.h"
#include "tui/tui.h"

static char *
queue_words(void *arg, struct store *st, int64_t id, int line)
{
	return cli_op_line_words(st, arg, id, line);
}

static int
cmd_queue_check(const struct cli_run *run)
{
	(void)run;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "mailorder: queue needs a terminal (use "
		    "'mailorder list' in scripts)\n");
		return EX_USAGE;
	}
	return EX_OK;
}

static int
cmd_queue_exec(struct cli_run *run)
{
	struct cli_ctx *ctx = run->ctx;
	struct cli_op *op = run->op;
	struct tui_conf tc;
	struct ruleset *rs;
	struct err err;
	const char *const *paths;
	size_t n;
	int status = EX_OK;

	/* Without rules nothing is learned from the customer's words, but
	 * the queue still works. */
	n = cli_rule_paths(ctx, &paths);
	err_clear(&err);
	rs = rules_load(paths, n, &err);
	memset(&tc, 0, sizeof(tc));
	tc.review = &op->review;
	tc.db_path = ctx->db_path;
	tc.config = ctx->conf;
	tc.undo_seconds = ctx->conf->reply.undo_seconds;
	tc.line_words = queue_words;
	tc.words_arg = rs;
	err_clear(&err);
	if (tui_run(&tc, &err) == -1)
		status = cli_fail(&err);
	rules_free(rs);
	return status;
}

const struct cli_command cmd_queue = {
	.name = "queue",
	.nmin = 0,
	.nmax = 0,
	.store = CLI_STORE_WRITE,
	.flags = CLI_CMD_REVIEW,
	.summary = "review flagged orders in the terminal",
	.help = "Oldest first.  j/k or arrows move, Enter opens an order, /\n"
	    "searches, ? lists every key, q quits.  See the operator's guide\n"
	    "in README.md.\n",
	.check = cmd_queue_check,
	.exec = cmd_queue_exec,
};

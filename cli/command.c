/*
 * Running a declared command: what every command used to repeat (getopt,
 * the order argument, the message file, opening the store, the reply
 * set-up, releasing it all) done once from its struct cli_command, and
 * the usage line and --help generated from the same declaration.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/operator.h"
#include "common/buf.h"

#define CLI_MESSAGE_MAX	(64 * 1024)
#define CLI_VERSION_MAX	1000000000

int
cli_number(const char *arg, int max, int *v_r)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || v <= 0 || v > max)
		return -1;
	*v_r = (int)v;
	return 0;
}

int
cli_version_check(const char *arg)
{
	int v;

	if (cli_number(arg, CLI_VERSION_MAX, &v) == -1) {
		fprintf(stderr, "mailorder: '%s' is not an order version\n",
		    arg);
		return -1;
	}
	return 0;
}

static int
command_opt_index(const struct cli_command *cmd, int ch)
{
	int i;

	for (i = 0; i < CLI_OPTS_MAX && cmd->opts[i].ch != 0; i++)
		if (cmd->opts[i].ch == ch)
			return i;
	return -1;
}

const char *
cli_opt_get(const struct cli_run *run, int ch)
{
	int i = command_opt_index(run->cmd, ch);

	return i == -1 ? NULL : run->val[i];
}

int
cli_opt_has(const struct cli_run *run, int ch)
{
	return cli_opt_get(run, ch) != NULL;
}

/* "ORDER --message FILE [--version N]" */
static void
command_synopsis(const struct cli_command *cmd, struct buf *b)
{
	const struct cli_opt *o;
	int i, req;

	buf_adds(b, cmd->target == CLI_TARGET_ORDER ? "ORDER" :
	    cmd->operands != NULL ? cmd->operands : "");
	for (i = 0; i < CLI_OPTS_MAX && cmd->opts[i].ch != 0; i++) {
		o = &cmd->opts[i];
		req = (o->flags & CLI_OPT_REQUIRED) != 0;
		buf_addf(b, "%s%s--%s", b->len > 0 ? " " : "", req ? "" : "[",
		    o->name);
		if (o->meta != NULL)
			buf_addf(b, " %s", o->meta);
		if (!req)
			buf_addc(b, ']');
	}
}

int
cli_usage(const struct cli_command *cmd)
{
	struct buf b;

	buf_init(&b, BUF_NOLIMIT);
	command_synopsis(cmd, &b);
	fprintf(stderr, "usage: mailorder %s %s\n", cmd->name, buf_str(&b));
	buf_release(&b);
	return EX_USAGE;
}

int
cli_help(const struct cli_command *cmd)
{
	const struct cli_opt *o;
	struct buf b, left;
	int i;

	buf_init(&b, BUF_NOLIMIT);
	command_synopsis(cmd, &b);
	printf("usage: mailorder %s %s\n\n%s\n%s", cmd->name, buf_str(&b),
	    cmd->summary, cmd->help);
	for (i = 0; i < CLI_OPTS_MAX && cmd->opts[i].ch != 0; i++) {
		o = &cmd->opts[i];
		buf_init(&left, BUF_NOLIMIT);
		buf_addf(&left, "-%c, --%s%s%s", o->ch, o->name,
		    o->meta != NULL ? " " : "", o->meta != NULL ? o->meta : "");
		printf("%s  %-22s %s\n", i == 0 ? "\noptions:\n" : "",
		    buf_str(&left), o->help);
		buf_release(&left);
	}
	buf_release(&b);
	return EX_OK;
}

/* getopt over the declared options, in the permuting mode so options
 * may follow the operands; then the operand count and the required
 * options. */
static int
command_parse(struct cli_run *run, int argc, char **argv)
{
	const struct cli_command *cmd = run->cmd;
	struct option longopts[CLI_OPTS_MAX + 1];
	char optstring[2 * CLI_OPTS_MAX + 1];
	const struct cli_opt *o;
	size_t n = 0;
	int i, ch;

	memset(longopts, 0, sizeof(longopts));
	for (i = 0; i < CLI_OPTS_MAX && cmd->opts[i].ch != 0; i++) {
		o = &cmd->opts[i];
		longopts[i].name = o->name;
		longopts[i].has_arg = o->meta != NULL ? required_argument :
		    no_argument;
		longopts[i].val = o->ch;
		optstring[n++] = (char)o->ch;
		if (o->meta != NULL)
			optstring[n++] = ':';
	}
	optstring[n] = '\0';
	/* Afresh (0, not 1), whatever main() parsed before. */
	optind = 0;
	while ((ch = getopt_long(argc, argv, optstring, longopts,
	    NULL)) != -1) {
		if ((i = command_opt_index(cmd, ch)) == -1)
			return cli_usage(cmd);
		o = &cmd->opts[i];
		if (o->check != NULL && o->check(optarg) == -1)
			return EX_USAGE;
		run->val[i] = o->meta != NULL ? optarg : "";
	}
	run->argc = argc - optind;
	run->argv = argv + optind;
	if (cmd->target == CLI_TARGET_ORDER ? run->argc != 1 :
	    run->argc < cmd->nmin || (cmd->nmax >= 0 && run->argc > cmd->nmax))
		return cli_usage(cmd);
	for (i = 0; i < CLI_OPTS_MAX && cmd->opts[i].ch != 0; i++)
		if ((cmd->opts[i].flags & CLI_OPT_REQUIRED) &&
		    run->val[i] == NULL)
			return cli_usage(cmd);
	return EX_OK;
}

/* The order operand and --version. */
static int
command_resolve(struct cli_run *run)
{
	const char *v;

	if (run->cmd->target == CLI_TARGET_ORDER &&
	    cli_order_id(run->argv[0], &run->order_id) == -1)
		return EX_USAGE;
	if ((v = cli_opt_get(run, 'V')) != NULL &&
	    cli_number(v, CLI_VERSION_MAX, &run->version) == -1)
		return EX_USAGE;	/* checked by getopt already */
	return EX_OK;
}

/* Read a message file ("-": standard input), at most 64 KiB, into a
 * malloc'd string.  The exit status after printing why, or EX_OK. */
static int
command_read_message(const char *path, char **text_r)
{
	FILE *fp;
	struct buf b;
	char chunk[4096];
	size_t n;
	int status = EX_OK;

	*text_r = NULL;
	if (strcmp(path, "-") == 0)
		fp = stdin;
	else if ((fp = fopen(path, "r")) == NULL) {
		fprintf(stderr, "mailorder: cannot open '%s': %s\n", path,
		    strerror(errno));
		return EX_NOINPUT;
	}
	buf_init(&b, CLI_MESSAGE_MAX);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (buf_add(&b, chunk, n) == -1) {
			fprintf(stderr, "mailorder: '%s' is longer than "
			    "%d bytes\n", path, CLI_MESSAGE_MAX);
			status = EX_DATAERR;
			break;
		}
	if (fp != stdin)
		fclose(fp);
	if (status != EX_OK) {
		buf_release(&b);
		return status;
	}
	*text_r = buf_detach(&b, NULL);
	if (**text_r == '\0') {
		fprintf(stderr, "mailorder: '%s' is empty\n", path);
		free(*text_r);
		*text_r = NULL;
		return EX_DATAERR;
	}
	return EX_OK;
}

/* The message file, the store and the reply set-up, in that order: a
 * mistyped file name must not create a database. */
static int
command_open(struct cli_run *run, struct cli_op *op)
{
	const struct cli_command *cmd = run->cmd;
	int i, status = EX_OK;

	for (i = 0; i < CLI_OPTS_MAX && cmd->opts[i].ch != 0; i++)
		if ((cmd->opts[i].flags & CLI_OPT_MESSAGE) &&
		    run->val[i] != NULL &&
		    (status = command_read_message(run->val[i],
		    &run->message)) != EX_OK)
			return status;
	if (cmd->store == CLI_STORE_READ)
		run->store = cli_store_read(run->ctx, &status);
	else if (cmd->store == CLI_STORE_WRITE)
		run->store = cli_store(run->ctx, &status);
	if (cmd->store != CLI_STORE_NONE && run->store == NULL)
		return status;
	if (cmd->flags & CLI_CMD_REVIEW) {
		cli_op_init(op, run->ctx, run->store);
		run->op = op;
	}
	return EX_OK;
}

int
cli_command_run(const struct cli_command *cmd, struct cli_ctx *ctx,
    int argc, char **argv)
{
	struct cli_run run;
	struct cli_op op;
	int status;

	if (cmd->exec_argv != NULL) {
		optind = 0;
		return cmd->exec_argv(ctx, argc, argv);
	}
	memset(&run, 0, sizeof(run));
	run.ctx = ctx;
	run.cmd = cmd;
	if ((status = command_parse(&run, argc, argv)) == EX_USAGE &&
	    cmd->usage_status != 0)
		return cmd->usage_status;
	if (status == EX_OK &&
	    (status = command_resolve(&run)) == EX_OK &&
	    (cmd->check == NULL || (status = cmd->check(&run)) == EX_OK) &&
	    (status = command_open(&run, &op)) == EX_OK)
		status = cmd->exec(&run);
	if (run.op != NULL)
		cli_op_release(run.op);
	free(run.message);
	return status;
}

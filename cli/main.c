/*
 * mailorder: the operator's tool.  Parses the global options, finds the
 * command in the table and runs it; everything else lives in cmd_*.c and
 * the modules below them.
 */
#include "config.h"

#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "store/store.h"

#define CLI_DEFAULT_DB MO_LOCALSTATEDIR "/mailorder.db"

struct store *
cli_store(struct cli_ctx *ctx, int *status_r)
{
	struct err err;

	if (ctx->store != NULL)
		return ctx->store;
	err_clear(&err);
	if ((ctx->store = store_open(ctx->db_path, 0, &err)) == NULL)
		*status_r = cli_fail(&err);
	return ctx->store;
}

int
cli_fail(const struct err *err)
{
	fprintf(stderr, "mailorder: %s\n", err->msg);
	switch (err->cls) {
	case ERR_TEMP:
		return EX_TEMPFAIL;
	case ERR_MSG:
		return EX_DATAERR;
	case ERR_CONFIG:
		return EX_CONFIG;
	default:
		return EX_SOFTWARE;
	}
}

int
cli_usage(const struct cli_command *cmd)
{
	fprintf(stderr, "usage: mailorder %s %s\n", cmd->name, cmd->args);
	return EX_USAGE;
}

int
cli_help(const struct cli_command *cmd)
{
	printf("usage: mailorder %s %s\n\n%s\n%s", cmd->name, cmd->args,
	    cmd->summary, cmd->help);
	return EX_OK;
}

int
cli_wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0)
			return 1;
	}
	return 0;
}

static void
main_usage(void)
{
	fprintf(stderr, "usage: mailorder [--db PATH] [--config PATH] "
	    "[--rules PATH] COMMAND [ARGS]\n"
	    "Run 'mailorder help' for the list of commands.\n");
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db",		required_argument,	NULL, 'd' },
		{ "config",	required_argument,	NULL, 'c' },
		{ "rules",	required_argument,	NULL, 'r' },
		{ "verbose",	no_argument,		NULL, 'v' },
		{ "version",	no_argument,		NULL, 'V' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cli_command *cmd;
	struct cli_ctx ctx;
	int ch, status;

	xmalloc_tune();
	setlocale(LC_ALL, "");
	log_init("mailorder", LOG_LEVEL_WARNING);
	memset(&ctx, 0, sizeof(ctx));
	if ((ctx.db_path = getenv("MAILORDER_DB")) == NULL)
		ctx.db_path = CLI_DEFAULT_DB;

	/* "+": stop at the command name, its options are its own. */
	while ((ch = getopt_long(argc, argv, "+d:c:r:vVh", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			ctx.db_path = optarg;
			break;
		case 'c':
			ctx.config_path = optarg;
			break;
		case 'r':
			ctx.rules_path = optarg;
			break;
		case 'v':
			log_set_level(LOG_LEVEL_DEBUG);
			break;
		case 'V':
			printf("mailorder %s\n", PACKAGE_VERSION);
			return EX_OK;
		case 'h': {
			char *hargv[] = { "help", NULL };

			return cli_command_find("help")->exec(&ctx, 1, hargv);
		}
		default:
			main_usage();
			return EX_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		main_usage();
		return EX_USAGE;
	}
	if ((cmd = cli_command_find(argv[0])) == NULL) {
		fprintf(stderr, "mailorder: unknown command '%s' "
		    "(try 'mailorder help')\n", argv[0]);
		return EX_USAGE;
	}
	if (cli_wants_help(argc, argv))
		return cli_help(cmd);
	optind = 1;	/* let the command run getopt on its own argv */
	status = cmd->exec(&ctx, argc, argv);
	store_close(ctx.store);
	return status;
}

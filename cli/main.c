/*
 * mailorder: the operator's tool.  Parses the global options, finds the
 * command in the table and runs it; everything else lives in cmd_*.c and
 * the modules below them.
 */
#include "config.h"

#include <getopt.h>
#include <locale.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "store/store.h"

int
cli_fail(const struct err *err)
{
	fprintf(stderr, "mailorder: %s\n", err->msg);
	switch (err->cls) {
	case ERR_TEMP:
		return EX_TEMPFAIL;
	case ERR_MSG:
	case ERR_INPUT:
		return EX_DATAERR;
	case ERR_CONFIG:
		return EX_CONFIG;
	default:
		return EX_SOFTWARE;
	}
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

/* The global options in their long form may also come after the command
 * name ("mailorder list --config FILE"): take them out of the command's
 * argv, up to a "--".  Returns 0, or -1 when one lacks its value. */
static int
main_global_args(struct cli_ctx *ctx, int *argc, char **argv)
{
	static const struct {
		const char	*name;
		size_t		 off;
	} opts[] = {
		{ "--db", offsetof(struct cli_ctx, db_path) },
		{ "--config", offsetof(struct cli_ctx, config_path) },
		{ "--rules", offsetof(struct cli_ctx, rules_path) },
	};
	int i, o, n = 1;
	size_t k, len;
	const char *val;

	for (i = 1; i < *argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			while (i < *argc)
				argv[n++] = argv[i++];
			break;
		}
		val = NULL;
		for (k = 0; k < sizeof(opts) / sizeof(opts[0]); k++) {
			len = strlen(opts[k].name);
			if (strncmp(argv[i], opts[k].name, len) != 0)
				continue;
			if (argv[i][len] == '=')
				val = argv[i] + len + 1;
			else if (argv[i][len] == '\0' && i + 1 < *argc)
				val = argv[++i];
			else if (argv[i][len] == '\0')
				return -1;
			else
				continue;
			*(const char **)((char *)ctx + opts[k].off) = val;
			break;
		}
		if (val != NULL)
			continue;
		if (strcmp(argv[i], "--verbose") == 0) {
			log_set_level(LOG_LEVEL_DEBUG);
			continue;
		}
		argv[n++] = argv[i];
	}
	for (o = n; o < *argc; o++)
		argv[o] = NULL;
	*argc = n;
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

			return cli_command_run(cli_command_find("help"), &ctx,
			    1, hargv);
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
	if (main_global_args(&ctx, &argc, argv) == -1) {
		main_usage();
		return EX_USAGE;
	}
	/* help needs no configuration: it must work when that is broken. */
	if (!(cmd->flags & CLI_CMD_NO_CONFIG) &&
	    cli_ctx_setup(&ctx, &status) == -1)
		return status;
	status = cli_command_run(cmd, &ctx, argc, argv);
	cli_ctx_release(&ctx);
	return status;
}

/*
 * mailorder help [COMMAND]
 */
#include "config.h"

#include <stdio.h>

#include "cli/cli.h"

static int
cmd_help_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct cli_command *cmd;
	size_t i;

	if (argc > 2)
		return cli_usage(&cmd_help);
	if (argc == 2) {
		if ((cmd = cli_command_find(argv[1])) == NULL) {
			fprintf(stderr, "mailorder: unknown command '%s'\n",
			    argv[1]);
			return EX_USAGE;
		}
		return cli_help(cmd);
	}
	printf("usage: mailorder [--db PATH] [--config PATH] [--rules PATH] "
	    "COMMAND [ARGS]\n"
	    "       mailorder --version\n\n"
	    "commands:\n");
	for (i = 0; cli_commands[i] != NULL; i++)
		printf("  %-10s %s\n", cli_commands[i]->name,
		    cli_commands[i]->summary);
	printf("\nRun 'mailorder COMMAND --help' for a command's options.\n");
	return EX_OK;
}

const struct cli_command cmd_help = {
	.name = "help",
	.args = "[COMMAND]",
	.summary = "list the commands, or describe one",
	.help = "Without COMMAND, list every command.  With it, print that\n"
	    "command's usage and options.\n",
	.exec = cmd_help_exec,
};

/*
 * mailorder help [COMMAND]
 */
#include "config.h"

#include <stdio.h>

#include "cli/cli.h"

static int
cmd_help_exec(struct cli_run *run)
{
	const struct cli_command *cmd;
	size_t i;

	if (run->argc == 1) {
		if ((cmd = cli_command_find(run->argv[0])) == NULL) {
			fprintf(stderr, "mailorder: unknown command '%s'\n",
			    run->argv[0]);
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
	.operands = "[COMMAND]",
	.nmin = 0,
	.nmax = 1,
	/* It must work when the configuration is broken. */
	.flags = CLI_CMD_NO_CONFIG,
	.summary = "list the commands, or describe one",
	.help = "Without COMMAND, list every command.  With it, print that\n"
	    "command's usage and options.\n",
	.exec = cmd_help_exec,
};

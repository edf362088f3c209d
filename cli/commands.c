/*
 * The command table, built from cli/commands.def: every command's entry
 * is declared and listed from its one line there.
 */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "cli/cli.h"

#define CLI_COMMAND(name) extern const struct cli_command cmd_##name;
#include "cli/commands.def"
#undef CLI_COMMAND

const struct cli_command *const cli_commands[] = {
#define CLI_COMMAND(name) &cmd_##name,
#include "cli/commands.def"
#undef CLI_COMMAND
	NULL,
};

const struct cli_command *
cli_command_find(const char *name)
{
	size_t i;

	for (i = 0; cli_commands[i] != NULL; i++)
		if (strcmp(cli_commands[i]->name, name) == 0)
			return cli_commands[i];
	return NULL;
}

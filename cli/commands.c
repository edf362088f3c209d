/*
 * The command table.  Adding a command: write cli/cmd_<name>.c exporting
 * cmd_<name>, list it here and in cli/local.mk.
 */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "cli/cli.h"

const struct cli_command *const cli_commands[] = {
	&cmd_help,
	&cmd_import,
	&cmd_ingest,
	&cmd_list,
	&cmd_parse,
	&cmd_replay,
	&cmd_preview,
	&cmd_show,
	&cmd_queue,
	&cmd_approve,
	&cmd_edit,
	&cmd_ask,
	&cmd_reject,
	&cmd_assign,
	&cmd_ship,
	&cmd_undo,
	&cmd_history,
	&cmd_status,
	&cmd_backup,
	&cmd_catalog,
	&cmd_send,
	&cmd_report,
	&cmd_export,
	&cmd_webhook,
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

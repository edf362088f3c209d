# mailorder: the operator's command-line tool.  One file per command
# (one line each below); cli/commands.def holds the table.
bin_PROGRAMS += mailorder
mailorder_SOURCES = \
	cli/main.c \
	cli/cli.h \
	cli/command.c \
	cli/commands.c \
	cli/context.c \
	cli/operator.c cli/operator.h \
	cli/order_ref.c \
	cli/rules_path.c \
	cli/cmd_approve.c \
	cli/cmd_ask.c \
	cli/cmd_assign.c \
	cli/cmd_backup.c \
	cli/cmd_edit.c \
	cli/cmd_fill.c \
	cli/cmd_export.c \
	cli/cmd_help.c \
	cli/cmd_history.c \
	cli/cmd_import.c \
	cli/cmd_ingest.c \
	cli/cmd_list.c \
	cli/cmd_parse.c \
	cli/cmd_preview.c \
	cli/cmd_queue.c \
	cli/cmd_reject.c \
	cli/cmd_replay.c \
	cli/cmd_catalog.c \
	cli/cmd_send.c \
	cli/cmd_report.c \
	cli/cmd_ship.c \
	cli/cmd_show.c \
	cli/cmd_status.c \
	cli/cmd_undo.c \
	cli/cmd_webhook.c
EXTRA_DIST += cli/commands.def
mailorder_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
mailorder_LDADD = $(MO_LIBS)

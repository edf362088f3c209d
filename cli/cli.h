/*
 * The mailorder command-line tool: shared context and the command table.
 * Each command lives in cli/cmd_<name>.c and exports one struct
 * cli_command; cli/commands.c lists them.
 */
#ifndef MO_CLI_H
#define MO_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <sysexits.h>

#include "common/error.h"

struct store;
struct ruleset;
struct config;

struct cli_ctx {
	const char	*db_path;	/* --db, $MAILORDER_DB, or [store] path */
	const char	*config_path;	/* --config; NULL: the default if present */
	const char	*rules_path;	/* --rules; NULL: the configured rules */
	struct config	*conf;		/* loaded by cli_ctx_setup() */
	struct store	*store;		/* opened on first use by cli_store() */
};

struct cli_command {
	const char	*name;
	const char	*args;		/* e.g. "catalog|customers|history FILE" */
	const char	*summary;	/* one line for `mailorder help` */
	const char	*help;		/* the rest of `mailorder CMD --help` */
	int		(*exec)(struct cli_ctx *, int argc, char **argv);
};

extern const struct cli_command *const cli_commands[];

/* One per cli/cmd_<name>.c. */
extern const struct cli_command cmd_help;
extern const struct cli_command cmd_import;
extern const struct cli_command cmd_parse;
extern const struct cli_command cmd_replay;
extern const struct cli_command cmd_preview;
extern const struct cli_command cmd_ingest;
extern const struct cli_command cmd_list;
extern const struct cli_command cmd_show;
extern const struct cli_command cmd_approve;
extern const struct cli_command cmd_edit;
extern const struct cli_command cmd_ask;
extern const struct cli_command cmd_reject;
extern const struct cli_command cmd_assign;
extern const struct cli_command cmd_ship;
extern const struct cli_command cmd_history;
extern const struct cli_command cmd_undo;
extern const struct cli_command cmd_queue;
extern const struct cli_command cmd_status;
extern const struct cli_command cmd_backup;
extern const struct cli_command cmd_catalog;
extern const struct cli_command cmd_send;
extern const struct cli_command cmd_report;
extern const struct cli_command cmd_export;
extern const struct cli_command cmd_webhook;

const struct cli_command *cli_command_find(const char *name);

/* Load the configuration (--config, else the default file when it
 * exists; every problem printed as FILE:LINE) and settle the store path:
 * --db, else $MAILORDER_DB, else [store] path.  Returns 0, or -1 with
 * *status_r EX_CONFIG.  cli_ctx_release() closes the store and frees the
 * configuration. */
int		 cli_ctx_setup(struct cli_ctx *, int *status_r);
void		 cli_ctx_release(struct cli_ctx *);

/* Open the store named by the context (once).  On failure print one line
 * to stderr and return NULL; *status_r gets the exit status to use. */
struct store	*cli_store(struct cli_ctx *, int *status_r);

/* The same for a command that only reads: the store must exist, and one
 * the user cannot write is opened read-only. */
struct store	*cli_store_read(struct cli_ctx *, int *status_r);

/* Load the rules named by the context (--rules, else [rules] paths).  On
 * failure print one line and return NULL with *status_r set. */
struct ruleset	*cli_rules(struct cli_ctx *, int *status_r);

/* The rule paths cli_rules() would load (borrowed from the context);
 * returns how many. */
size_t		 cli_rule_paths(const struct cli_ctx *,
		    const char *const **paths_r);

/* Parse an order number ("MO-54" or "54"); print an error and return -1
 * when it is not one. */
int		 cli_order_id(const char *, int64_t *id_r);

/* Print "usage: mailorder CMD ARGS" to stderr; return EX_USAGE. */
int		 cli_usage(const struct cli_command *);

/* Print a command's full help to stdout; return EX_OK. */
int		 cli_help(const struct cli_command *);

/* Print "mailorder: MSG" for err and return the sysexits status that fits
 * its class. */
int		 cli_fail(const struct err *);

/* True when argv has -h or --help before any "--". */
int		 cli_wants_help(int argc, char **argv);

#endif

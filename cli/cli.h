/*
 * The mailorder command-line tool: shared context and the command table.
 * Each command lives in cli/cmd_<name>.c and exports one struct
 * cli_command declaring its options, operands and what it needs;
 * cli/commands.def lists them, one line each.
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

/*
 * A command declares what it needs; cli/command.c parses and resolves it
 * before exec runs (the model is tmux's cmd_entry):
 *
 *	const struct cli_command cmd_approve = {
 *		.name = "approve",
 *		.target = CLI_TARGET_ORDER,
 *		.store = CLI_STORE_WRITE,
 *		.flags = CLI_CMD_REVIEW,
 *		.opts = { CLI_OPT_VERSION },
 *		.summary = "...", .help = "...",
 *		.exec = cmd_approve_exec,
 *	};
 *
 * and adds one line CLI_COMMAND(approve) to cli/commands.def.  Options
 * may come anywhere on the line, before or after the operands; --help
 * and the usage line are generated from the declaration.
 */
#define CLI_OPTS_MAX	12

/* cli_opt.flags */
#define CLI_OPT_REQUIRED	0x01	/* the command needs it */
#define CLI_OPT_MESSAGE		0x02	/* a file ('-': stdin) read into
					 * cli_run.message before the
					 * store opens */

struct cli_opt {
	int		 ch;		/* short option, and the key */
	const char	*name;		/* long option */
	const char	*meta;		/* its value ("FILE"); NULL: a flag */
	const char	*help;		/* one line for --help */
	unsigned int	 flags;
	/* Checks a value as getopt meets it: 0, or -1 after printing
	 * why (exit 64). */
	int		(*check)(const char *);
};

/* Parse a number from 1 to max without a word: 0, or -1. */
int	cli_number(const char *, int max, int *v_r);

/* The --version N of the commands that change an order: optimistic
 * locking against what the operator saw.  Resolved into cli_run.version. */
int	cli_version_check(const char *);
#define CLI_OPT_VERSION { 'V', "version", "N", \
	"refuse (exit 75) when the order changed since version N", 0, \
	cli_version_check }

enum cli_target {
	CLI_TARGET_NONE = 0,
	CLI_TARGET_ORDER,		/* one operand, ORDER: MO-N or N
					 * (.operands and the counts are
					 * implied) */
};

enum cli_store_mode {
	CLI_STORE_NONE = 0,
	CLI_STORE_READ,			/* must exist; read-only if need be */
	CLI_STORE_WRITE,
};

/* cli_command.flags */
#define CLI_CMD_NO_CONFIG	0x01	/* runs without the configuration */
#define CLI_CMD_REVIEW		0x02	/* sets up cli_run.op: the operator's
					 * actions (review/) and replies */

/* What the commands acting on one order (approve, ask, edit, reject,
 * ship, undo) declare alike. */
#define CLI_ORDER_ACTION \
	.target = CLI_TARGET_ORDER, .store = CLI_STORE_WRITE, \
	.flags = CLI_CMD_REVIEW

struct cli_op;

/* What exec gets: the parsed line and what the declaration asked for. */
struct cli_run {
	struct cli_ctx			*ctx;
	const struct cli_command	*cmd;
	int				 argc;	/* the operands only */
	char				**argv;
	const char			*val[CLI_OPTS_MAX]; /* by cmd->opts
						 * index; "" for a flag */
	int64_t				 order_id;	/* CLI_TARGET_ORDER */
	int				 version;	/* --version; 0: none */
	char				*message;	/* CLI_OPT_MESSAGE */
	struct store			*store;		/* .store */
	struct cli_op			*op;		/* CLI_CMD_REVIEW */
};

struct cli_command {
	const char		*name;
	const char		*operands;	/* "ORDER", "FILE.eml..." */
	int			 nmin, nmax;	/* operand count; nmax -1: any */
	enum cli_target		 target;
	enum cli_store_mode	 store;
	unsigned int		 flags;
	struct cli_opt		 opts[CLI_OPTS_MAX]; /* ends at ch 0 */
	/* The exit status of a usage error; 0: EX_USAGE (status answers
	 * 3, "unknown", as a monitoring plugin must). */
	int			 usage_status;
	const char		*summary;	/* one line for `mailorder help` */
	const char		*help;		/* the rest of --help */
	/* Optional: checks the line after the operands are resolved and
	 * before anything is opened.  EX_OK, or the exit status after
	 * printing why. */
	int			(*check)(const struct cli_run *);
	/* Returns the exit status (sysexits.h). */
	int			(*exec)(struct cli_run *);
	/* Not yet declared: the command parses its own argv (argv[0] its
	 * name; getopt starts afresh) and opens what it needs; .operands
	 * is then its whole usage.  For commands still to be ported. */
	int			(*exec_argv)(struct cli_ctx *, int, char **);
};

/* NULL-terminated, in the order of cli/commands.def. */
extern const struct cli_command *const cli_commands[];

const struct cli_command *cli_command_find(const char *name);

/* Run cmd on its argv (argv[0] is its name): parse, resolve, open, exec,
 * release.  Returns the exit status. */
int	cli_command_run(const struct cli_command *, struct cli_ctx *,
	    int argc, char **argv);

/* The value of option ch (borrowed), or NULL when not given; for a flag
 * "" when given. */
const char	*cli_opt_get(const struct cli_run *, int ch);
int		 cli_opt_has(const struct cli_run *, int ch);

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

/* Print "usage: mailorder CMD ARGS" (generated from the declaration)
 * to stderr; return EX_USAGE. */
int		 cli_usage(const struct cli_command *);

/* Print a command's full help, generated from its declaration, to
 * stdout; return EX_OK. */
int		 cli_help(const struct cli_command *);

/* Print "mailorder: MSG" for err and return the sysexits status that fits
 * its class. */
int		 cli_fail(const struct err *);

/* True when argv has -h or --help before any "--". */
int		 cli_wants_help(int argc, char **argv);

#endif

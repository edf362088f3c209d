/*
 * mailorder backup FILE
 *
 * A consistent copy of the store, taken while mailorderd runs, checked
 * with PRAGMA integrity_check before it is put at FILE.  Glue over
 * store/backup.c.
 */
#include "config.h"

#include <stdio.h>

#include "cli/cli.h"
#include "store/backup.h"

/* "-" is no file to back up into. */
static int
cmd_backup_check(const struct cli_run *run)
{
	return run->argv[0][0] == '-' ? cli_usage(run->cmd) : EX_OK;
}

static int
cmd_backup_exec(struct cli_run *run)
{
	struct store_backup_info info;
	struct err err;

	err_clear(&err);
	if (store_backup(run->store, run->argv[0], &info, &err) == -1) {
		fprintf(stderr, "mailorder: %s\n", err.msg);
		return err.cls == ERR_TEMP ? EX_TEMPFAIL :
		    err.cls == ERR_FATAL ? EX_SOFTWARE : EX_CANTCREAT;
	}
	printf("backed up %s to %s: %lld bytes, %lld orders, %lld messages, "
	    "integrity ok\n", run->ctx->db_path, run->argv[0],
	    (long long)info.bytes,
	    (long long)info.orders, (long long)info.messages);
	return EX_OK;
}

const struct cli_command cmd_backup = {
	.name = "backup",
	.operands = "FILE",
	.nmin = 1,
	.nmax = 1,
	.store = CLI_STORE_READ,
	.summary = "copy the store, consistently, while mailorderd runs",
	.help = "FILE must not exist.  The copy is one moment of the store\n"
	    "(SQLite's VACUUM INTO), checked with PRAGMA integrity_check\n"
	    "before it is renamed into place.  To restore it, stop\n"
	    "mailorderd and put FILE in place of the store (and remove the\n"
	    "store's -wal and -shm files).  Exit 73 when FILE exists or\n"
	    "cannot be written, 70 when the copy fails its check, 75 when\n"
	    "the store is busy.\n",
	.check = cmd_backup_check,
	.exec = cmd_backup_exec,
};

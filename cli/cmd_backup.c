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

static int
cmd_backup_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	struct store_backup_info info;
	struct store *st;
	struct err err;
	int status;

	if (argc != 2 || argv[1][0] == '-')
		return cli_usage(&cmd_backup);
	if ((st = cli_store_read(ctx, &status)) == NULL)
		return status;
	err_clear(&err);
	if (store_backup(st, argv[1], &info, &err) == -1) {
		fprintf(stderr, "mailorder: %s\n", err.msg);
		return err.cls == ERR_TEMP ? EX_TEMPFAIL :
		    err.cls == ERR_FATAL ? EX_SOFTWARE : EX_CANTCREAT;
	}
	printf("backed up %s to %s: %lld bytes, %lld orders, %lld messages, "
	    "integrity ok\n", ctx->db_path, argv[1], (long long)info.bytes,
	    (long long)info.orders, (long long)info.messages);
	return EX_OK;
}

const struct cli_command cmd_backup = {
	.name = "backup",
	.args = "FILE",
	.summary = "copy the store, consistently, while mailorderd runs",
	.help = "FILE must not exist.  The copy is one moment of the store\n"
	    "(SQLite's VACUUM INTO), checked with PRAGMA integrity_check\n"
	    "before it is renamed into place.  To restore it, stop\n"
	    "mailorderd and put FILE in place of the store (and remove the\n"
	    "store's -wal and -shm files).  Exit 73 when FILE exists or\n"
	    "cannot be written, 70 when the copy fails its check, 75 when\n"
	    "the store is busy.\n",
	.exec = cmd_backup_exec,
};

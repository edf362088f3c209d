/*
 * mailorder backup: see store/backup.h.  VACUUM INTO rather than the
 * online backup API: the backup API restarts its copy whenever another
 * connection writes between two steps (or holds the read lock for the
 * whole copy when run in one step, which is what VACUUM INTO does too),
 * and VACUUM INTO writes a compact file without the free pages.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/xmalloc.h"
#include "store/backup.h"
#include "store/store_int.h"

/* Check the copy at path: integrity_check says "ok", and count what it
 * holds.  Returns 0, or -1 with err. */
static int
backup_check(const char *path, struct store_backup_info *info,
    struct err *err)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	const char *what;
	int rc = -1;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		err_set(err, ERR_FATAL, "cannot open the copy '%s': %s", path,
		    sqlite3_errmsg(db));
		goto out;
	}
	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL) !=
	    SQLITE_OK || sqlite3_step(s) != SQLITE_ROW) {
		err_set(err, ERR_FATAL, "cannot check the copy '%s': %s", path,
		    sqlite3_errmsg(db));
		goto out;
	}
	what = (const char *)sqlite3_column_text(s, 0);
	if (what == NULL || strcmp(what, "ok") != 0) {
		err_set(err, ERR_FATAL, "the copy '%s' fails its integrity "
		    "check: %s", path, what ? what : "(no answer)");
		goto out;
	}
	sqlite3_finalize(s);
	if (sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM orders),"
	    " (SELECT count(*) FROM messages)", -1, &s, NULL) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_ROW) {
		err_set(err, ERR_FATAL, "cannot read the copy '%s': %s", path,
		    sqlite3_errmsg(db));
		goto out;
	}
	info->orders = sqlite3_column_int64(s, 0);
	info->messages = sqlite3_column_int64(s, 1);
	rc = 0;
out:
	sqlite3_finalize(s);
	sqlite3_close(db);
	return rc;
}

/* fsync the file and the folder it is in, so the rename lasts. */
static int
backup_sync(const char *tmp, const char *path, struct err *err)
{
	char *dir = xstrdup(path);
	int fd, rc = 0;

	if ((fd = open(tmp, O_RDONLY | O_CLOEXEC)) == -1 || fsync(fd) == -1)
		rc = err_set(err, ERR_CONFIG, "cannot sync '%s': %s", tmp,
		    strerror(errno));
	if (fd != -1)
		close(fd);
	if (rc == 0 && rename(tmp, path) == -1)
		rc = err_set(err, ERR_CONFIG, "cannot rename onto '%s': %s",
		    path, strerror(errno));
	if (rc == 0 && (fd = open(dirname(dir), O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) != -1) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
	return rc;
}

int
store_backup(struct store *st, const char *path, struct store_backup_info *info,
    struct err *err)
{
	sqlite3_stmt *s;
	struct stat sb;
	char *tmp;
	int rc;

	memset(info, 0, sizeof(*info));
	if (lstat(path, &sb) == 0)
		return err_set(err, ERR_CONFIG, "'%s' exists: a backup never "
		    "overwrites a file", path);
	xasprintf(&tmp, "%s.%ld.tmp", path, (long)getpid());
	(void)unlink(tmp);
	if (sqlite3_prepare_v2(st->db, "VACUUM INTO ?1", -1, &s, NULL) !=
	    SQLITE_OK) {
		free(tmp);
		return store_fail(st, err, "prepare backup");
	}
	sqlite3_bind_text(s, 1, tmp, -1, SQLITE_TRANSIENT);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		(void)store_fail(st, err, "back up");
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		if (err->cls != ERR_TEMP)
			err->cls = ERR_CONFIG;	/* most likely the folder */
		err_prefix(err, "'%s'", path);
		(void)unlink(tmp);
		free(tmp);
		return -1;
	}
	if (stat(tmp, &sb) == 0)
		info->bytes = (int64_t)sb.st_size;
	if (backup_check(tmp, info, err) == -1 ||
	    backup_sync(tmp, path, err) == -1) {
		(void)unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

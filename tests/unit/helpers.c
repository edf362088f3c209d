/*
 * Shared unit-test helpers; see helpers.h.
 */
#include "config.h"

#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "tests/unit/helpers.h"

void
th_tmpdir(char *dir, const char *name)
{
	snprintf(dir, TH_DIR_MAX, "/tmp/mo-%s.XXXXXX", name);
	if (mkdtemp(dir) == NULL)
		fail_msg("cannot make a folder from '%s'", dir);
}

static int
th_rm_one(const char *path, const struct stat *sb, int flag,
    struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int
th_rmdir(const char *dir)
{
	return nftw(dir, th_rm_one, 16, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : -1;
}

long
th_db_int(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	long v = -1;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(s) == SQLITE_ROW)
		v = (long)sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

void
th_db_exec(const char *path, const char *sql)
{
	char *msg = NULL;
	sqlite3 *db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(db);
}

/*
 * What the unit tests share: a temporary folder made and removed, and
 * one integer read from a database file.  Failures fail the test.
 */
#ifndef MO_TESTS_HELPERS_H
#define MO_TESTS_HELPERS_H

#include <stddef.h>

#define TH_DIR_MAX	64

/* Make a fresh folder /tmp/mo-NAME.XXXXXX into dir (TH_DIR_MAX). */
void	th_tmpdir(char *dir, const char *name);

/* Remove dir and everything below it; 0, or -1 when something stayed. */
int	th_rmdir(const char *dir);

/* The first column of the first row sql returns from the database at
 * path (over its own connection), or -1 when it returns no row. */
long	th_db_int(const char *path, const char *sql);

/* Run sql (any number of statements) on the database at path. */
void	th_db_exec(const char *path, const char *sql);

#endif

/*
 * Why a database path cannot be used, said in the user's terms before
 * SQLite tries it: SQLite only ever says "unable to open database file"
 * or "attempt to write a readonly database", whatever the cause.  An
 * operator meets these first (not in the store's group, a copy on a
 * read-only disk, a typo in [store] path).
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/xmalloc.h"
#include "store/store_int.h"

/* The directory part of path ("." for a bare name), malloc'd. */
static char *
store_dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

/* "owner alice:mailorder, mode 0640" for st. */
static void
store_owner(const struct stat *st, char *buf, size_t len)
{
	struct passwd *pw = getpwuid(st->st_uid);
	struct group *gr = getgrgid(st->st_gid);
	char u[32], g[32];

	if (pw != NULL)
		snprintf(u, sizeof(u), "%s", pw->pw_name);
	else
		snprintf(u, sizeof(u), "%lu", (unsigned long)st->st_uid);
	if (gr != NULL)
		snprintf(g, sizeof(g), "%s", gr->gr_name);
	else
		snprintf(g, sizeof(g), "%lu", (unsigned long)st->st_gid);
	snprintf(buf, len, "owner %s:%s, mode %04o", u, g,
	    (unsigned int)(st->st_mode & 07777));
}

/* stat(path) failed with EACCES: name the nearest directory above it
 * that can be seen but not entered. */
static int
store_dir_denied(const char *path, const char *what, struct err *err)
{
	char *dir = store_dir_of(path), *up, who[96];
	struct stat st;

	while (stat(dir, &st) == -1 && errno == EACCES &&
	    strcmp(dir, "/") != 0) {
		up = store_dir_of(dir);
		free(dir);
		dir = up;
	}
	store_owner(&st, who, sizeof(who));
	err_set(err, ERR_CONFIG, "cannot %s database '%s': %s (directory "
	    "'%s': %s)", what, path, strerror(EACCES), dir, who);
	free(dir);
	return -1;
}

/* The path does not exist: fine for a writer that will create it in an
 * existing directory, not for a reader. */
static int
store_missing(const char *path, const char *dir, int flags, struct err *err)
{
	struct stat st;

	if (flags & STORE_READONLY)
		return err_set(err, ERR_CONFIG, "no database '%s' (mailorderd "
		    "or 'mailorder import' creates it)", path);
	if (stat(dir, &st) == -1 && errno == ENOENT)
		return err_set(err, ERR_CONFIG, "cannot create database '%s': "
		    "no directory '%s'", path, dir);
	return 0;
}

int
store_path_check(const char *path, int flags, int *readonly_r,
    struct err *err)
{
	char *dir = store_dir_of(path), who[96];
	struct stat st, dst;
	int rc = 0, e;

	*readonly_r = 0;
	if (stat(path, &st) == -1) {
		if (errno == EACCES)
			rc = store_dir_denied(path, (flags & STORE_READONLY) ?
			    "read" : "open", err);
		else if (errno == ENOENT)
			rc = store_missing(path, dir, flags, err);
		else
			rc = err_set(err, ERR_CONFIG, "cannot open database "
			    "'%s': %s", path, strerror(errno));
	} else if (access(path, R_OK) == -1) {
		e = errno;
		store_owner(&st, who, sizeof(who));
		rc = err_set(err, ERR_CONFIG, "cannot read database '%s': %s "
		    "(%s)", path, strerror(e), who);
	} else if (access(path, W_OK) == -1) {
		/* A reader can do without; a writer cannot. */
		e = errno;
		*readonly_r = 1;
		store_owner(&st, who, sizeof(who));
		if (!(flags & STORE_READONLY))
			rc = err_set(err, ERR_CONFIG, "cannot write database "
			    "'%s': %s (%s)", path, strerror(e), who);
	} else if (access(dir, W_OK) == -1 && (e = errno,
	    stat(dir, &dst) == 0)) {
		/* SQLite keeps PATH-wal and PATH-shm beside the file. */
		*readonly_r = 1;
		store_owner(&dst, who, sizeof(who));
		if (!(flags & STORE_READONLY))
			rc = err_set(err, ERR_CONFIG, "cannot write database "
			    "'%s': %s: its directory '%s' (%s) holds its "
			    "journal", path, strerror(e), dir, who);
	}
	free(dir);
	return rc;
}

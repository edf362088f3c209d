/*
 * The store's lock file; see store/lock.h.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/xmalloc.h"
#include "store/lock.h"

struct store_lock {
	int	 fd;
	char	*path;
};

/* The holder, for the refusal: its PID from the kernel, its name from
 * what it wrote into the file (which may lag behind: then "a process"). */
static int
store_lock_busy(int fd, const char *db_path, struct err *err)
{
	struct flock fl;
	char buf[128], name[64] = "a process";
	ssize_t n;
	long pid = 0, wpid;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK)
		pid = (long)fl.l_pid;
	if ((n = pread(fd, buf, sizeof(buf) - 1, 0)) > 0) {
		buf[n] = '\0';
		if (sscanf(buf, "%ld %63s", &wpid, name) != 2 || wpid != pid)
			snprintf(name, sizeof(name), "a process");
	}
	if (pid <= 0)
		return err_set(err, ERR_TEMP, "'%s' is in use (lock "
		    "'%s.lock')", db_path, db_path);
	return err_set(err, ERR_TEMP, "'%s' is in use by %s (PID %ld)",
	    db_path, name, pid);
}

struct store_lock *
store_lock_take(const char *db_path, const char *who, struct err *err)
{
	struct store_lock *l = xcalloc(1, sizeof(*l));
	struct flock fl;
	char line[96];
	int len;

	xasprintf(&l->path, "%s.lock", db_path);
	if ((l->fd = open(l->path, O_RDWR | O_CREAT | O_CLOEXEC,
	    0660)) == -1) {
		err_set(err, ERR_CONFIG, "cannot open lock file '%s': %s",
		    l->path, strerror(errno));
		goto fail;
	}
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(l->fd, F_SETLK, &fl) == -1) {
		if (errno == EACCES || errno == EAGAIN)
			store_lock_busy(l->fd, db_path, err);
		else
			err_set(err, ERR_CONFIG, "cannot lock '%s': %s",
			    l->path, strerror(errno));
		goto fail;
	}
	len = snprintf(line, sizeof(line), "%ld %s\n", (long)getpid(), who);
	if (ftruncate(l->fd, 0) == -1 ||
	    pwrite(l->fd, line, (size_t)len, 0) != len) {
		err_set(err, ERR_CONFIG, "cannot write lock file '%s': %s",
		    l->path, strerror(errno));
		goto fail;
	}
	return l;
fail:
	store_lock_release(l);
	return NULL;
}

int
store_lock_holder(const char *db_path, long *pid_r, char *who_r,
    size_t wholen, struct err *err)
{
	struct flock fl;
	char *path, buf[128], name[64] = "a process";
	long wpid;
	ssize_t n;
	int fd;

	*pid_r = 0;
	xasprintf(&path, "%s.lock", db_path);
	/* F_GETLK needs no write access: operators only read the file. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		int e = errno;

		free(path);
		if (e == ENOENT)
			return 0;
		return err_set(err, ERR_CONFIG, "cannot open lock file "
		    "'%s.lock': %s", db_path, strerror(e));
	}
	free(path);
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(fd, F_GETLK, &fl) == -1) {
		close(fd);
		return err_set(err, ERR_CONFIG, "cannot test lock '%s.lock': %s",
		    db_path, strerror(errno));
	}
	if (fl.l_type == F_UNLCK) {
		close(fd);
		return 0;
	}
	*pid_r = (long)fl.l_pid;
	if ((n = pread(fd, buf, sizeof(buf) - 1, 0)) > 0) {
		buf[n] = '\0';
		if (sscanf(buf, "%ld %63s", &wpid, name) != 2 || wpid != *pid_r)
			snprintf(name, sizeof(name), "a process");
	}
	close(fd);
	if (who_r != NULL && wholen > 0)
		snprintf(who_r, wholen, "%s", name);
	return 1;
}

void
store_lock_release(struct store_lock *l)
{
	if (l == NULL)
		return;
	/* The file keeps the last PID: a reader only believes it when the
	 * kernel names the same PID as the holder. */
	if (l->fd != -1)
		close(l->fd);
	free(l->path);
	free(l);
}

/*
 * Fetching account secrets from where mailorder.conf says they live: a
 * file, a systemd credential or a token command.  They are read only when
 * a connection needs them, so a rotated token is picked up without a
 * restart, and they never pass through an error message or the log.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/xmalloc.h"
#include "config/conf.h"

#define SECRET_MAX	(64 * 1024)	/* an OAuth2 token is a few KiB */

/* Keep the first line of buf[0..len), without its CR LF, as a new string.
 * buf is wiped. */
static int
secret_take(char *buf, size_t len, const char *label, const char *what,
    char **secret_r, struct err *err)
{
	size_t n;

	for (n = 0; n < len && buf[n] != '\n' && buf[n] != '\0'; n++)
		;
	while (n > 0 && buf[n - 1] == '\r')
		n--;
	if (n == 0) {
		explicit_bzero(buf, len);
		return err_set(err, ERR_CONFIG, "%s: %s is empty", label,
		    what);
	}
	*secret_r = xstrndup(buf, n);
	explicit_bzero(buf, len);
	return 0;
}

static int
secret_file_read(const char *label, const char *kind, const char *path,
    char **secret_r, struct err *err)
{
	char what[512], *buf;
	struct stat sb;
	ssize_t n;
	size_t len = 0;
	int fd, r;

	snprintf(what, sizeof(what), "%s '%s'", kind, path);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1)
		return err_set(err, ERR_CONFIG, "%s: cannot open %s: %s",
		    label, what, strerror(errno));
	if (fstat(fd, &sb) == -1) {
		r = errno;
		close(fd);
		return err_set(err, ERR_CONFIG, "%s: cannot stat %s: %s",
		    label, what, strerror(r));
	}
	if (!S_ISREG(sb.st_mode)) {
		close(fd);
		return err_set(err, ERR_CONFIG, "%s: %s is not a regular file",
		    label, what);
	}
	/* Refuse rather than warn: a secret others can read has leaked
	 * already, and a warning in a log is easy to miss. */
	if (sb.st_mode & (S_IROTH | S_IWOTH)) {
		close(fd);
		return err_set(err, ERR_CONFIG, "%s: %s can be read by other "
		    "users; refusing it (chmod o-rw, and change the secret)",
		    label, what);
	}
	if (sb.st_size > SECRET_MAX) {
		close(fd);
		return err_set(err, ERR_CONFIG, "%s: %s is larger than %d "
		    "bytes", label, what, SECRET_MAX);
	}
	buf = xmalloc(SECRET_MAX);
	while (len < SECRET_MAX) {
		n = read(fd, buf + len, SECRET_MAX - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			r = errno;
			close(fd);
			explicit_bzero(buf, len);
			free(buf);
			return err_set(err, ERR_CONFIG, "%s: cannot read %s: "
			    "%s", label, what, strerror(r));
		}
		if (n == 0)
			break;
		len += n;
	}
	close(fd);
	r = secret_take(buf, len, label, what, secret_r, err);
	free(buf);
	return r;
}

static long
ms_left(const struct timespec *deadline)
{
	struct timespec now;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (deadline->tv_sec - now.tv_sec) * 1000 +
	    (deadline->tv_nsec - now.tv_nsec) / 1000000;
	return ms < 0 ? 0 : ms;
}

/* Start the token command with stdin from /dev/null and stdout into a
 * pipe: *pid_r and the pipe's read end *fd_r. */
static int
secret_command_start(const struct config_secret *s, pid_t *pid_r, int *fd_r,
    struct err *err)
{
	int fds[2], devnull, r;
	pid_t pid;

	if ((devnull = open("/dev/null", O_RDWR | O_CLOEXEC)) == -1)
		return err_set(err, ERR_TEMP, "%s: cannot open '/dev/null': "
		    "%s", s->label, strerror(errno));
	if (pipe2(fds, O_CLOEXEC) == -1) {
		r = errno;
		close(devnull);
		return err_set(err, ERR_TEMP, "%s: pipe: %s", s->label,
		    strerror(r));
	}
	if ((pid = fork()) == -1) {
		r = errno;
		close(devnull);
		close(fds[0]);
		close(fds[1]);
		return err_set(err, ERR_TEMP, "%s: fork: %s", s->label,
		    strerror(r));
	}
	if (pid == 0) {
		/* Its own process group, so a timeout also kills whatever
		 * the shell started. */
		setpgid(0, 0);
		if (dup2(devnull, 0) == -1 || dup2(fds[1], 1) == -1)
			_exit(127);
		execl("/bin/sh", "sh", "-c", s->oauth2_token_command,
		    (char *)NULL);
		_exit(127);
	}
	setpgid(pid, pid);	/* both sides, to win the race */
	close(devnull);
	close(fds[1]);
	*pid_r = pid;
	*fd_r = fds[0];
	return 0;
}

/* Read the command's output into buf (at most SECRET_MAX; the rest is
 * drained) until it ends or the deadline passes: 1 when it did. */
static int
secret_command_read(int fd, const struct timespec *deadline, char *buf,
    size_t *len_r)
{
	struct pollfd pfd;
	char drain[512];
	size_t len = 0;
	ssize_t n;
	int r;

	pfd.fd = fd;
	pfd.events = POLLIN;
	for (;;) {
		r = poll(&pfd, 1, (int)ms_left(deadline));
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0) {
			*len_r = len;
			return 1;
		}
		/* Past the limit, keep draining so the command is not
		 * killed by SIGPIPE half-way. */
		if (len < SECRET_MAX)
			n = read(fd, buf + len, SECRET_MAX - len);
		else
			n = read(fd, drain, sizeof(drain));
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (len < SECRET_MAX)
			len += n;
	}
	*len_r = len;
	return 0;
}

/* The output has ended; give the command the rest of its time to exit.
 * 1 when it did not (it is killed then), 0 with *status_r. */
static int
secret_command_reap(pid_t pid, const struct timespec *deadline, int timedout,
    int *status_r)
{
	int r;

	while (!timedout) {
		r = waitpid(pid, status_r, WNOHANG);
		if (r == pid)
			return 0;
		if (r == -1 && errno != EINTR) {
			*status_r = 0;
			return 0;
		}
		if (ms_left(deadline) == 0)
			timedout = 1;
		else
			usleep(10000);
	}
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	while (waitpid(pid, status_r, 0) == -1 && errno == EINTR)
		;
	return 1;
}

static int
secret_command_run(const struct config_secret *s, char **secret_r,
    struct err *err)
{
	struct timespec deadline;
	char *buf;
	size_t len;
	pid_t pid = -1;
	long timeout = s->timeout > 0 ? s->timeout : 60;
	int fd = -1, status = 0, r, timedout;

	if (secret_command_start(s, &pid, &fd, err) == -1)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout;
	buf = xmalloc(SECRET_MAX);
	timedout = secret_command_read(fd, &deadline, buf, &len);
	close(fd);
	timedout = secret_command_reap(pid, &deadline, timedout, &status);
	if (timedout || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		explicit_bzero(buf, len);
		free(buf);
	}
	if (timedout)
		return err_set(err, ERR_TEMP, "%s: oauth2_token_command did "
		    "not finish within %ld seconds", s->label, timeout);
	if (WIFSIGNALED(status))
		return err_set(err, ERR_TEMP, "%s: oauth2_token_command was "
		    "killed by signal %d", s->label, WTERMSIG(status));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return err_set(err, ERR_TEMP, "%s: oauth2_token_command "
		    "failed with exit status %d", s->label,
		    WEXITSTATUS(status));
	r = secret_take(buf, len, s->label, "the output of "
	    "oauth2_token_command", secret_r, err);
	free(buf);
	return r;
}

int
config_secret_read(const struct config_secret *s, char **secret_r,
    struct err *err)
{
	const char *dir;
	char *path;
	int r;

	*secret_r = NULL;
	if (s->password_file != NULL)
		return secret_file_read(s->label, "password_file",
		    s->password_file, secret_r, err);
	if (s->oauth2_token_file != NULL)
		return secret_file_read(s->label, "oauth2_token_file",
		    s->oauth2_token_file, secret_r, err);
	if (s->password_credential != NULL) {
		dir = getenv("CREDENTIALS_DIRECTORY");
		if (dir == NULL || *dir == '\0')
			return err_set(err, ERR_CONFIG, "%s: credential '%s' "
			    "needs $CREDENTIALS_DIRECTORY (LoadCredential= "
			    "in the service unit)", s->label,
			    s->password_credential);
		xasprintf(&path, "%s/%s", dir, s->password_credential);
		r = secret_file_read(s->label, "credential", path, secret_r,
		    err);
		free(path);
		return r;
	}
	if (s->oauth2_token_command != NULL)
		return secret_command_run(s, secret_r, err);
	return err_set(err, ERR_CONFIG, "%s: no secret is configured",
	    s->label);
}

void
config_secret_wipe(char *secret)
{
	if (secret == NULL)
		return;
	explicit_bzero(secret, strlen(secret));
	free(secret);
}

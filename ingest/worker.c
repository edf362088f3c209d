/*
 * Parse worker process; see worker.h.
 *
 * Protocol over a socketpair: the parent writes a request header and the
 * raw message; the child answers with one fixed-size reply.  The child
 * sends a first reply right after start-up, so a bad rule file is
 * reported as a configuration error instead of as a crash.
 */
#include "config.h"

#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "ingest/worker.h"
#include "rules/rules.h"
#include "store/mailbox.h"
#include "store/store.h"

enum worker_op {
	WORKER_OP_ONE,		/* process and commit one message */
	WORKER_OP_GROUP,	/* process it inside the open group */
	WORKER_OP_COMMIT,	/* commit the group */
};

struct worker_request {
	int64_t		msg_id;
	uint64_t	len;
	int32_t		op;
};

struct worker_reply {
	int32_t			rc;	/* 0 or -1 */
	int32_t			cls;	/* enum err_class when rc is -1 */
	struct ingest_outcome	out;
	char			msg[ERR_MSG_MAX];
};

struct worker {
	struct worker_conf	 conf;
	char			*store_path;
	char			**rule_paths;
	char			*reply_strs[4];	/* from, from_name, templates, hostname */
	char			**reply_own;
	pid_t			 pid;
	int			 fd;
};

struct worker *
worker_new(const struct worker_conf *conf)
{
	struct worker *w = xcalloc(1, sizeof(*w));
	size_t i;

	w->conf = *conf;
	w->store_path = xstrdup(conf->store_path);
	w->rule_paths = xcalloc(conf->nrule_paths + 1, sizeof(char *));
	for (i = 0; i < conf->nrule_paths; i++)
		w->rule_paths[i] = xstrdup(conf->rule_paths[i]);
	w->conf.store_path = w->store_path;
	w->conf.rule_paths = (const char *const *)w->rule_paths;
	w->conf.reply.from = w->reply_strs[0] = conf->reply.from ?
	    xstrdup(conf->reply.from) : NULL;
	w->conf.reply.from_name = w->reply_strs[1] = conf->reply.from_name ?
	    xstrdup(conf->reply.from_name) : NULL;
	w->conf.reply.templates = w->reply_strs[2] = conf->reply.templates ?
	    xstrdup(conf->reply.templates) : NULL;
	w->conf.reply.hostname = w->reply_strs[3] = conf->reply.hostname ?
	    xstrdup(conf->reply.hostname) : NULL;
	w->reply_own = xcalloc(conf->reply.nown + 1, sizeof(char *));
	for (i = 0; i < conf->reply.nown; i++)
		w->reply_own[i] = xstrdup(conf->reply.own[i]);
	w->conf.reply.own = (const char *const *)w->reply_own;
	w->pid = -1;
	w->fd = -1;
	return w;
}

int
worker_pid(const struct worker *w)
{
	return w->pid;
}

static void
worker_stop(struct worker *w)
{
	int status;

	if (w->fd != -1)
		close(w->fd);
	w->fd = -1;
	if (w->pid > 0) {
		kill(w->pid, SIGKILL);
		while (waitpid(w->pid, &status, 0) == -1 && errno == EINTR)
			;
	}
	w->pid = -1;
}

void
worker_restart(struct worker *w)
{
	worker_stop(w);
}

void
worker_free(struct worker *w)
{
	size_t i;

	if (w == NULL)
		return;
	worker_stop(w);
	for (i = 0; i < w->conf.nrule_paths; i++)
		free(w->rule_paths[i]);
	free(w->rule_paths);
	for (i = 0; i < 4; i++)
		free(w->reply_strs[i]);
	for (i = 0; i < w->conf.reply.nown; i++)
		free(w->reply_own[i]);
	free(w->reply_own);
	free(w->store_path);
	free(w);
}

static int
io_full(int fd, void *p, size_t n, int writing)
{
	char *c = p;
	ssize_t r;

	while (n > 0) {
		r = writing ? write(fd, c, n) : read(fd, c, n);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		c += r;
		n -= (size_t)r;
	}
	return 0;
}

/* ---- the child ---- */

static void
child_reply(int fd, int rc, const struct err *err,
    const struct ingest_outcome *out)
{
	struct worker_reply rep;

	memset(&rep, 0, sizeof(rep));
	rep.rc = rc;
	if (rc == -1) {
		rep.cls = (int32_t)err->cls;
		memcpy(rep.msg, err->msg, sizeof(rep.msg));
	} else if (out != NULL) {
		rep.out = *out;
	}
	if (io_full(fd, &rep, sizeof(rep), 1) == -1)
		_exit(0);
}

static void
child_limits(const struct worker_conf *conf)
{
#if !defined(__SANITIZE_ADDRESS__)
	struct rlimit rl;

	/* ASan reserves terabytes of address space, so the limit is only
	 * set in normal builds. */
	if (conf->mem_limit > 0) {
		rl.rlim_cur = rl.rlim_max = conf->mem_limit;
		setrlimit(RLIMIT_AS, &rl);
	}
#endif
	/* Die with the daemon, never outlive it. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
}

/* Fault injection for the integration tests: when
 * MAILORDER_TEST_CRASH_MARKER is set, a message containing that text
 * crashes the worker the way a libetpan bug would.  Never set in
 * production; the daemon must survive it either way. */
static void
child_fault_injection(const char *raw, size_t len)
{
	const char *marker = getenv("MAILORDER_TEST_CRASH_MARKER");
	const char *slow = getenv("MAILORDER_TEST_SLOW_MS");

	/* MAILORDER_TEST_SLOW_MS: make each parse take that long, so a test
	 * can kill the daemon while a batch is in flight. */
	if (slow != NULL && atoi(slow) > 0)
		usleep((useconds_t)atoi(slow) * 1000);

	if (marker != NULL && *marker != '\0' &&
	    memmem(raw, len, marker, strlen(marker)) != NULL)
		raise(SIGSEGV);
}

/* A group's orders are written in one transaction that WORKER_OP_COMMIT
 * commits: one fsync for a whole fetched batch.  Each order still has
 * its own savepoint inside it (store_begin nests). */
static int child_in_group;

static void
child_one(const struct worker_conf *conf, int fd, struct store *st,
    struct engine *eng, int64_t *catver)
{
	struct ingest_replies replies = { conf->reply.from ? &conf->reply :
	    NULL, conf->confirm_accepted, conf->acknowledge_flagged };
	struct worker_request req;
	struct engine_result res;
	struct ingest_outcome out;
	struct err err;
	int64_t v;
	char *raw;

	if (io_full(fd, &req, sizeof(req), 0) == -1)
		_exit(0);	/* the parent closed: done */
	err_clear(&err);
	if (req.op == WORKER_OP_COMMIT) {
		if (child_in_group && store_commit(st, &err) == -1)
			child_reply(fd, -1, &err, NULL);
		else
			child_reply(fd, 0, NULL, NULL);
		child_in_group = 0;
		return;
	}
	if (req.op == WORKER_OP_GROUP && !child_in_group) {
		if (store_begin(st, &err) == -1) {
			/* Drain the message before answering. */
			raw = xmalloc(req.len + 1);
			if (io_full(fd, raw, req.len, 0) == -1)
				_exit(0);
			free(raw);
			child_reply(fd, -1, &err, NULL);
			return;
		}
		child_in_group = 1;
	}
	raw = xmalloc(req.len + 1);
	if (io_full(fd, raw, req.len, 0) == -1)
		_exit(0);
	err_clear(&err);
	if (store_catalog_version(st, &v, &err) == 0 && v != *catver) {
		if (engine_reload_catalog(eng, &err) == 0)
			*catver = v;
		else
			log_warnx("catalog reload failed: %s", err.msg);
		err_clear(&err);
	}
	memset(&out, 0, sizeof(out));
	child_fault_injection(raw, req.len);
	if (engine_process(eng, raw, req.len, &res, &err) == -1) {
		child_reply(fd, -1, &err, NULL);
	} else {
		if (ingest_record_result_reply(st, eng, req.msg_id, &res,
		    &replies, &out, &err) == -1)
			child_reply(fd, -1, &err, NULL);
		else
			child_reply(fd, 0, NULL, &out);
		engine_result_release(&res);
	}
	free(raw);
}

static void __attribute__((noreturn))
child_main(const struct worker_conf *conf, int fd)
{
	struct ruleset *rules;
	struct engine *eng;
	struct store *st;
	struct err err;
	int64_t catver = 0;

	child_limits(conf);
	err_clear(&err);
	if ((st = store_open(conf->store_path, 0, &err)) == NULL ||
	    (rules = rules_load((const char **)conf->rule_paths,
	    conf->nrule_paths, &err)) == NULL ||
	    store_catalog_version(st, &catver, &err) == -1 ||
	    (eng = engine_new(st, rules, &conf->policy, &err)) == NULL) {
		if (err.cls == ERR_FATAL)
			err.cls = ERR_CONFIG;
		child_reply(fd, -1, &err, NULL);
		_exit(1);
	}
	if (!rules_jit_active(rules))
		log_warnx("pcre2 JIT is not available (is MemoryDenyWriteExecute= "
		    "set?): matching falls back to the slower interpreter");
	child_reply(fd, 0, NULL, NULL);
	for (;;)
		child_one(conf, fd, st, eng, &catver);
}

/* ---- the parent ---- */

/* Wait for one reply, at most timeout_s seconds. */
static int
worker_read_reply(struct worker *w, struct worker_reply *rep,
    unsigned int timeout_s, struct err *err)
{
	struct pollfd pfd = { w->fd, POLLIN, 0 };
	int r, status = 0;

	do
		r = poll(&pfd, 1, (int)timeout_s * 1000);
	while (r == -1 && errno == EINTR);
	if (r == 0) {
		worker_stop(w);
		return err_set(err, ERR_MSG, "the parser took longer than "
		    "%u s on this message", timeout_s);
	}
	if (r == 1 && io_full(w->fd, rep, sizeof(*rep), 0) == 0)
		return 0;
	close(w->fd);
	w->fd = -1;
	while (waitpid(w->pid, &status, 0) == -1 && errno == EINTR)
		;
	w->pid = -1;
	if (WIFSIGNALED(status))
		return err_set(err, ERR_MSG, "the parser crashed on this "
		    "message (signal %d)", WTERMSIG(status));
	return err_set(err, ERR_MSG, "the parser exited on this message "
	    "(status %d)", WEXITSTATUS(status));
}

static int
worker_start(struct worker *w, struct err *err)
{
	struct worker_reply rep;
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1)
		return err_set(err, ERR_TEMP, "socketpair: %s",
		    strerror(errno));
	fflush(NULL);
	if ((pid = fork()) == -1) {
		close(sv[0]);
		close(sv[1]);
		return err_set(err, ERR_TEMP, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		close(sv[0]);
		child_main(&w->conf, sv[1]);
	}
	close(sv[1]);
	w->pid = pid;
	w->fd = sv[0];
	if (worker_read_reply(w, &rep, 60, err) == -1) {
		err->cls = ERR_CONFIG;
		return err_prefix(err, "cannot start the parser");
	}
	if (rep.rc == -1) {
		worker_stop(w);
		return err_set(err, (enum err_class)rep.cls, "%s", rep.msg);
	}
	return 0;
}

static int
worker_send(struct worker *w, int op, int64_t msg_id, const char *raw,
    size_t len, struct ingest_outcome *out, struct err *err);

int
worker_ingest(struct worker *w, int64_t msg_id, const char *raw, size_t len,
    struct ingest_outcome *out, struct err *err)
{
	return worker_send(w, WORKER_OP_ONE, msg_id, raw, len, out, err);
}

int
worker_ingest_group(struct worker *w, int64_t msg_id, const char *raw,
    size_t len, struct ingest_outcome *out, struct err *err)
{
	return worker_send(w, WORKER_OP_GROUP, msg_id, raw, len, out, err);
}

int
worker_commit(struct worker *w, struct err *err)
{
	struct worker_request req = { 0, 0, WORKER_OP_COMMIT };
	struct worker_reply rep;

	if (w->pid == -1)
		return 0;	/* no worker, no group */
	if (io_full(w->fd, &req, sizeof(req), 1) == -1) {
		worker_stop(w);
		return err_set(err, ERR_TEMP, "the parser died before its "
		    "orders were committed");
	}
	if (worker_read_reply(w, &rep, w->conf.timeout_s, err) == -1) {
		err->cls = ERR_TEMP;
		return -1;
	}
	if (rep.rc == -1)
		return err_set(err, (enum err_class)rep.cls, "%s", rep.msg);
	return 0;
}

static int
worker_send(struct worker *w, int op, int64_t msg_id, const char *raw,
    size_t len, struct ingest_outcome *out, struct err *err)
{
	struct worker_request req = { msg_id, len, op };
	struct worker_reply rep;

	if (w->pid == -1 && worker_start(w, err) == -1)
		return -1;
	if (io_full(w->fd, &req, sizeof(req), 1) == -1 ||
	    io_full(w->fd, (void *)raw, len, 1) == -1) {
		/* Died between messages: start afresh and try once more.
		 * (Within a group the caller notices the lost orders by
		 * the new PID.) */
		worker_stop(w);
		if (worker_start(w, err) == -1)
			return -1;
		if (io_full(w->fd, &req, sizeof(req), 1) == -1 ||
		    io_full(w->fd, (void *)raw, len, 1) == -1) {
			worker_stop(w);
			return err_set(err, ERR_TEMP, "cannot reach the parser");
		}
	}
	if (worker_read_reply(w, &rep, w->conf.timeout_s, err) == -1)
		return -1;
	if (rep.rc == -1)
		return err_set(err, (enum err_class)rep.cls, "%s", rep.msg);
	*out = rep.out;
	return 0;
}

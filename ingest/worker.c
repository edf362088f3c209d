/*
 * Parse worker process; see worker.h.
 *
 * Protocol over a socketpair: the parent writes a request header and
 * either one raw message (WORKER_OP_ONE) or the IDs of a group of
 * recorded messages (WORKER_OP_GROUP); the child answers with one
 * fixed-size reply, after a group's commit followed by one reply per
 * message.  The child sends a first reply right after start-up, so a bad
 * rule file is reported as a configuration error instead of as a crash.
 *
 * During a group the parent does not wait message by message: it goes
 * back to IMAP, and learns where the child is from a shared page (the
 * item in hand and since when), which is all it needs to pin a crash or
 * a hang on one message.
 */
#include "config.h"

#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <dirent.h>
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
#include "store/webhook.h"

enum worker_op {
	WORKER_OP_ONE,		/* process and commit one message */
	WORKER_OP_GROUP,	/* process recorded messages, one commit */
};

struct worker_request {
	int64_t		msg_id;
	uint64_t	len;	/* ONE: bytes of raw; GROUP: number of IDs */
	int32_t		op;
};

/* The shared page.  Written by the child, read by the parent, except
 * cancel, which goes the other way. */
struct worker_progress {
	int64_t		index;		/* group item in hand; -1: none */
	int64_t		started_ms;	/* when it began (CLOCK_MONOTONIC) */
	int32_t		cancel;		/* parent: stop after this item */
};

struct worker_reply {
	int32_t			rc;	/* 0 or -1 */
	int32_t			cls;	/* enum err_class when rc is -1 */
	struct ingest_outcome	out;
	char			msg[ERR_MSG_MAX];
};

#define WORKER_REPLY_STRS	6

struct worker {
	struct worker_conf	 conf;
	char			*store_path;
	char			**rule_paths;
	char			*reply_strs[WORKER_REPLY_STRS];	/* see worker_new */
	char			**reply_own;
	pid_t			 pid;
	int			 fd;
	struct worker_progress	*pg;		/* shared with the child */
	struct worker_item	*group;		/* in flight, or NULL */
	size_t			 ngroup;
};

static int64_t
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void
progress_set(struct worker_progress *pg, int64_t index)
{
	__atomic_store_n(&pg->started_ms, now_ms(), __ATOMIC_RELAXED);
	__atomic_store_n(&pg->index, index, __ATOMIC_RELEASE);
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

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
	w->conf.reply.from = w->reply_strs[0] = dup_or_null(conf->reply.from);
	w->conf.reply.from_name = w->reply_strs[1] =
	    dup_or_null(conf->reply.from_name);
	w->conf.reply.templates = w->reply_strs[2] =
	    dup_or_null(conf->reply.templates);
	w->conf.reply.hostname = w->reply_strs[3] =
	    dup_or_null(conf->reply.hostname);
	w->conf.reply.person = w->reply_strs[4] =
	    dup_or_null(conf->reply.person);
	w->conf.reply.msgid_domain = w->reply_strs[5] =
	    dup_or_null(conf->reply.msgid_domain);
	w->reply_own = xcalloc(conf->reply.nown + 1, sizeof(char *));
	for (i = 0; i < conf->reply.nown; i++)
		w->reply_own[i] = xstrdup(conf->reply.own[i]);
	w->conf.reply.own = (const char *const *)w->reply_own;
	w->pid = -1;
	w->fd = -1;
	/* Mapped before any fork, so every child shares it. */
	w->pg = mmap(NULL, sizeof(*w->pg), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (w->pg == MAP_FAILED)
		fatal("mmap");
	w->pg->index = -1;
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
	for (i = 0; i < WORKER_REPLY_STRS; i++)
		free(w->reply_strs[i]);
	for (i = 0; i < w->conf.reply.nown; i++)
		free(w->reply_own[i]);
	free(w->reply_own);
	free(w->store_path);
	munmap(w->pg, sizeof(*w->pg));
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
reply_fill(struct worker_reply *rep, int rc, const struct err *err,
    const struct ingest_outcome *out)
{
	memset(rep, 0, sizeof(*rep));
	rep->rc = rc;
	if (rc == -1) {
		rep->cls = (int32_t)err->cls;
		memcpy(rep->msg, err->msg, sizeof(rep->msg));
	} else if (out != NULL) {
		rep->out = *out;
	}
}

static void
child_reply(int fd, int rc, const struct err *err,
    const struct ingest_outcome *out)
{
	struct worker_reply rep;

	reply_fill(&rep, rc, err, out);
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
	/* A crash must end the child whatever handler its parent had (a
	 * test framework's, say): the parent pins it on the message. */
	signal(SIGSEGV, SIG_DFL);
	signal(SIGBUS, SIG_DFL);
	signal(SIGILL, SIG_DFL);
	signal(SIGFPE, SIG_DFL);
	signal(SIGABRT, SIG_DFL);
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
	/* MAILORDER_TEST_HANG_MARKER: a message that makes the parser loop
	 * forever (the parent's time limit must catch it). */
	marker = getenv("MAILORDER_TEST_HANG_MARKER");
	if (marker != NULL && *marker != '\0' &&
	    memmem(raw, len, marker, strlen(marker)) != NULL)
		for (;;)
			pause();
}


/* Everything the child needs between requests. */
struct child {
	const struct worker_conf	*conf;
	int				 fd;
	struct store			*st;
	struct engine			*eng;
	int64_t				 catver;
	struct worker_progress		*pg;
};

/* The journal's record of attachments that were not read: why an image
 * or a vCard was ignored, why an order-like one was not read (that one
 * is also a flag on the order).  Names are the sender's: printable
 * bytes only, cut at 80. */
static void
child_log_attachments(int64_t msg_id, const struct engine_result *res)
{
	const struct parser_attachment *a;
	char name[81];
	size_t i, k;

	for (i = 0; i < res->msg.nattachments; i++) {
		a = &res->msg.attachments[i];
		if (a->status == PARSER_ATTACH_READ)
			continue;
		for (k = 0; a->filename != NULL && a->filename[k] != '\0' &&
		    k < sizeof(name) - 1; k++)
			name[k] = (unsigned char)a->filename[k] < 0x20 ||
			    a->filename[k] == 0x7f ? '?' : a->filename[k];
		name[k] = '\0';
		log_info("message %lld (%s): attachment '%s' %s: %s",
		    (long long)msg_id, res->msg.message_id ?
		    res->msg.message_id : "no Message-ID", name,
		    a->status == PARSER_ATTACH_IGNORED ? "ignored" :
		    "not read", a->reason ? a->reason : "");
	}
}

/* Run one message through the engine and record its order. */
static void
child_process(struct child *c, int64_t msg_id, const char *raw, size_t len,
    struct worker_reply *rep)
{
	const struct worker_conf *conf = c->conf;
	struct ingest_replies replies = { conf->reply.from ? &conf->reply :
	    NULL, conf->confirm_accepted, conf->acknowledge_flagged,
	    conf->receipt, conf->acknowledge_unknown };
	struct engine_result res;
	struct ingest_outcome out;
	struct err err;
	int64_t v;

	err_clear(&err);
	if (store_catalog_version(c->st, &v, &err) == 0 && v != c->catver) {
		if (engine_reload_catalog(c->eng, &err) == 0)
			c->catver = v;
		else
			log_warnx("catalog reload failed: %s", err.msg);
		err_clear(&err);
	}
	memset(&out, 0, sizeof(out));
	child_fault_injection(raw, len);
	if (engine_process(c->eng, raw, len, &res, &err) == -1) {
		reply_fill(rep, -1, &err, NULL);
		return;
	}
	if (ingest_record_result_reply(c->st, c->eng, msg_id, &res,
	    &replies, &out, &err) == -1)
		reply_fill(rep, -1, &err, NULL);
	else {
		reply_fill(rep, 0, NULL, &out);
		child_log_attachments(msg_id, &res);
	}
	engine_result_release(&res);
}

static void
child_one(struct child *c, const struct worker_request *req)
{
	struct worker_reply rep;
	char *raw;

	raw = xmalloc(req->len + 1);
	if (io_full(c->fd, raw, req->len, 0) == -1)
		_exit(0);
	child_process(c, req->msg_id, raw, req->len, &rep);
	free(raw);
	if (io_full(c->fd, &rep, sizeof(rep), 1) == -1)
		_exit(0);
}

/* A group's orders are written in one transaction: one fsync for a whole
 * fetched batch.  Each order still has its own savepoint inside it
 * (store_begin nests).  The replies go out after the commit, so the
 * parent never hears of an order that is not stored. */
static void
child_group(struct child *c, const struct worker_request *req)
{
	size_t i, n = req->len;
	int64_t *ids = xreallocarray(NULL, n + 1, sizeof(*ids));
	struct worker_reply *reps = xcalloc(n + 1, sizeof(*reps));
	struct worker_reply head;
	struct err err;
	size_t len;
	char *raw;

	if (io_full(c->fd, ids, n * sizeof(*ids), 0) == -1)
		_exit(0);
	err_clear(&err);
	reply_fill(&head, 0, NULL, NULL);
	if (store_begin(c->st, &err) == -1) {
		reply_fill(&head, -1, &err, NULL);
		n = 0;
	}
	for (i = 0; i < n; i++) {
		if (__atomic_load_n(&c->pg->cancel, __ATOMIC_ACQUIRE)) {
			err_set(&err, ERR_TEMP, "stopping");
			reply_fill(&reps[i], -1, &err, NULL);
			continue;
		}
		progress_set(c->pg, (int64_t)i);
		err_clear(&err);
		if (store_message_raw(c->st, ids[i], &raw, &len, &err) == -1) {
			reply_fill(&reps[i], -1, &err, NULL);
			continue;
		}
		child_process(c, ids[i], raw, len, &reps[i]);
		free(raw);
	}
	progress_set(c->pg, -1);
	err_clear(&err);
	if (head.rc == 0 && store_commit(c->st, &err) == -1) {
		/* The orders noted in the cached histories are gone. */
		engine_history_flush(c->eng);
		reply_fill(&head, -1, &err, NULL);
	}
	if (io_full(c->fd, &head, sizeof(head), 1) == -1 ||
	    (head.rc == 0 && io_full(c->fd, reps, n * sizeof(*reps), 1) == -1))
		_exit(0);
	free(ids);
	free(reps);
}

static void
child_request(struct child *c)
{
	struct worker_request req;

	if (io_full(c->fd, &req, sizeof(req), 0) == -1)
		_exit(0);	/* the parent closed: done */
	if (req.op == WORKER_OP_GROUP)
		child_group(c, &req);
	else
		child_one(c, &req);
}

/* An inherited IMAP or SMTP connection would stay open here after the
 * daemon dropped it, and the server would never see it close.  Only
 * sockets go: SQLite keeps process-wide state about the database files
 * the daemon has open, and closing those descriptors under it breaks
 * its locking in this process. */
static void
child_close_sockets(int keep)
{
	struct dirent *de;
	struct stat st;
	DIR *dir;
	int fd;

	if ((dir = opendir("/proc/self/fd")) == NULL)
		return;
	while ((de = readdir(dir)) != NULL) {
		fd = atoi(de->d_name);
		if (fd <= 2 || fd == keep || fd == dirfd(dir))
			continue;
		if (fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode))
			close(fd);
	}
	closedir(dir);
}

static void __attribute__((noreturn))
child_main(const struct worker_conf *conf, int fd, struct worker_progress *pg)
{
	struct ruleset *rules;
	struct engine *eng;
	struct store *st;
	struct child c;
	struct err err;
	int64_t catver = 0;

	child_close_sockets(fd);
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
	store_webhook_events(st, conf->webhook_events);
	if (!rules_jit_active(rules))
		log_warnx("pcre2 JIT is not available (is MemoryDenyWriteExecute= "
		    "set?): matching falls back to the slower interpreter");
	child_reply(fd, 0, NULL, NULL);
	c.conf = conf;
	c.fd = fd;
	c.st = st;
	c.eng = eng;
	c.catver = catver;
	c.pg = pg;
	for (;;)
		child_request(&c);
}

/* ---- the parent ---- */

/* The child is gone (EOF on its socket): reap it and say how it died. */
static int
worker_reap(struct worker *w, struct err *err)
{
	int status = 0;

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

/* Wait for one reply, at most timeout_s seconds. */
static int
worker_read_reply(struct worker *w, struct worker_reply *rep,
    unsigned int timeout_s, struct err *err)
{
	struct pollfd pfd = { w->fd, POLLIN, 0 };
	int r;

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
	return worker_reap(w, err);
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
		child_main(&w->conf, sv[1], w->pg);
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

/* Write a request (and its payload) to the child, starting one if none
 * is running; a child found dead between requests is replaced once. */
static int
worker_request(struct worker *w, const struct worker_request *req,
    const void *payload, size_t len, struct err *err)
{
	int tries;

	for (tries = 0; tries < 2; tries++) {
		if (w->pid == -1 && worker_start(w, err) == -1)
			return -1;
		if (io_full(w->fd, (void *)req, sizeof(*req), 1) == 0 &&
		    io_full(w->fd, (void *)payload, len, 1) == 0)
			return 0;
		worker_stop(w);
	}
	return err_set(err, ERR_TEMP, "cannot reach the parser");
}

int
worker_ingest(struct worker *w, int64_t msg_id, const char *raw, size_t len,
    struct ingest_outcome *out, struct err *err)
{
	struct worker_request req = { msg_id, len, WORKER_OP_ONE };
	struct worker_reply rep;

	if (worker_request(w, &req, raw, len, err) == -1)
		return -1;
	if (worker_read_reply(w, &rep, w->conf.timeout_s, err) == -1)
		return -1;
	if (rep.rc == -1)
		return err_set(err, (enum err_class)rep.cls, "%s", rep.msg);
	*out = rep.out;
	return 0;
}

int
worker_group_start(struct worker *w, struct worker_item *items, size_t n,
    struct err *err)
{
	struct worker_request req = { 0, n, WORKER_OP_GROUP };
	int64_t *ids = xreallocarray(NULL, n + 1, sizeof(*ids));
	size_t i;
	int r;

	for (i = 0; i < n; i++)
		ids[i] = items[i].msg_id;
	__atomic_store_n(&w->pg->cancel, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&w->pg->index, -1, __ATOMIC_RELEASE);
	r = worker_request(w, &req, ids, n * sizeof(*ids), err);
	free(ids);
	if (r == -1)
		return -1;
	w->group = items;
	w->ngroup = n;
	return 0;
}

/* Has the message in hand run past the time limit? */
static int
worker_overdue(const struct worker *w, size_t *culprit)
{
	int64_t i = __atomic_load_n(&w->pg->index, __ATOMIC_ACQUIRE);
	int64_t t = __atomic_load_n(&w->pg->started_ms, __ATOMIC_RELAXED);

	if (i < 0 || now_ms() - t <= (int64_t)w->conf.timeout_s * 1000)
		return 0;
	*culprit = (size_t)i;
	return 1;
}

/* The child died during the group: the item it was on is the culprit. */
static int
worker_group_died(struct worker *w, size_t *culprit, struct err *err)
{
	int64_t i = __atomic_load_n(&w->pg->index, __ATOMIC_ACQUIRE);

	worker_reap(w, err);
	if (i < 0 || (size_t)i >= w->ngroup)
		return err_set(err, ERR_TEMP, "the parser died between "
		    "messages");
	*culprit = (size_t)i;
	return -1;
}

static int
worker_group_read(struct worker *w, size_t *culprit, struct err *err)
{
	struct worker_reply head, *reps;
	size_t i, n = w->ngroup;

	if (io_full(w->fd, &head, sizeof(head), 0) == -1)
		return worker_group_died(w, culprit, err);
	if (head.rc == -1)
		return err_set(err, (enum err_class)head.cls, "%s", head.msg);
	reps = xcalloc(n + 1, sizeof(*reps));
	if (io_full(w->fd, reps, n * sizeof(*reps), 0) == -1) {
		/* Committed, then died: the next cycle finds these done. */
		free(reps);
		worker_reap(w, err);
		return err_set(err, ERR_TEMP, "the parser died after its "
		    "orders were committed");
	}
	for (i = 0; i < n; i++) {
		struct worker_item *it = &w->group[i];

		it->rc = reps[i].rc;
		err_clear(&it->err);
		memset(&it->out, 0, sizeof(it->out));
		if (it->rc == -1)
			err_set(&it->err, (enum err_class)reps[i].cls, "%s",
			    reps[i].msg);
		else
			it->out = reps[i].out;
	}
	free(reps);
	return 0;
}

int
worker_group_wait(struct worker *w, size_t *culprit, int (*tick)(void *),
    void *arg, struct err *err)
{
	struct pollfd pfd;
	int r;

	if (w->group == NULL)
		return err_set(err, ERR_FATAL, "no group in flight");
	for (;;) {
		pfd.fd = w->fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		r = poll(&pfd, 1, 1000);
		if (r == 1)
			break;
		if (r == -1 && errno != EINTR) {
			w->group = NULL;
			worker_stop(w);
			return err_set(err, ERR_TEMP, "poll: %s",
			    strerror(errno));
		}
		if (tick != NULL && tick(arg))
			__atomic_store_n(&w->pg->cancel, 1, __ATOMIC_RELEASE);
		if (worker_overdue(w, culprit)) {
			w->group = NULL;
			worker_stop(w);
			return err_set(err, ERR_MSG, "the parser took longer "
			    "than %u s on this message", w->conf.timeout_s);
		}
	}
	r = worker_group_read(w, culprit, err);
	w->group = NULL;
	return r;
}

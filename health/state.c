/*
 * The daemon's state file: "NAME VALUE" lines, the value running to the
 * end of the line, so an inbox key or an error text may hold spaces.
 * Written whole into a temporary file and renamed over the old one, so
 * a reader never sees half a file.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/xmalloc.h"
#include "health/health.h"

#define STATE_MAGIC	"mailorderd-state 1"

const char *const health_outcome_names[HEALTH_OUTCOMES] = {
	"accepted", "flagged", "ignored", "failed", "duplicate",
};

const double health_latency_bounds[HEALTH_LATENCY_BUCKETS] = {
	5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 86400,
};

void
health_latency_observe(struct health_latency *l, double s)
{
	size_t i;

	for (i = 0; i < HEALTH_LATENCY_BUCKETS; i++)
		if (s <= health_latency_bounds[i])
			l->le[i]++;
	l->count++;
	l->sum += s;
}

char *
health_state_path(const char *db_path)
{
	char *p;

	xasprintf(&p, "%s.state", db_path);
	return p;
}

int
health_file_replace(const char *path, const char *text, size_t len,
    struct err *err)
{
	char *tmp;
	int fd, e;

	/* Not "*.prom": node_exporter must not read it half-written. */
	xasprintf(&tmp, "%s.%ld.tmp", path, (long)getpid());
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0644)) == -1) {
		e = errno;
		free(tmp);
		return err_set(err, ERR_TEMP, "cannot write '%s': %s", path,
		    strerror(e));
	}
	(void)fchmod(fd, 0644);	/* whatever the umask: others read it */
	if (write(fd, text, len) != (ssize_t)len || fsync(fd) == -1) {
		e = errno;
		close(fd);
		unlink(tmp);
		free(tmp);
		return err_set(err, ERR_TEMP, "cannot write '%s': %s", path,
		    strerror(e ? e : EIO));
	}
	close(fd);
	if (rename(tmp, path) == -1) {
		e = errno;
		unlink(tmp);
		free(tmp);
		return err_set(err, ERR_TEMP, "cannot rename onto '%s': %s",
		    path, strerror(e));
	}
	free(tmp);
	return 0;
}

/* A value on one line: control characters become spaces. */
static void
state_put(struct buf *b, const char *name, const char *v)
{
	buf_addf(b, "%s ", name);
	for (; *v != '\0'; v++)
		buf_addc(b, (unsigned char)*v < ' ' || *v == 0x7f ? ' ' : *v);
	buf_addc(b, '\n');
}

int
health_state_write(const char *path, const struct health_state *s,
    struct err *err)
{
	struct buf b;
	size_t i;
	int rc;

	buf_init(&b, BUF_NOLIMIT);
	buf_addf(&b, "%s\npid %ld\nstarted %lld\ncycle %lld\nonce %d\n",
	    STATE_MAGIC, s->pid, (long long)s->started, (long long)s->cycle,
	    s->once);
	for (i = 0; i < HEALTH_OUTCOMES; i++)
		buf_addf(&b, "outcome %s %llu\n", health_outcome_names[i],
		    (unsigned long long)s->outcomes[i]);
	buf_addf(&b, "latency_count %llu\nlatency_sum %.3f\n",
	    (unsigned long long)s->latency.count, s->latency.sum);
	for (i = 0; i < HEALTH_LATENCY_BUCKETS; i++)
		buf_addf(&b, "latency_le %zu %llu\n", i,
		    (unsigned long long)s->latency.le[i]);
	for (i = 0; i < s->ninboxes; i++) {
		const struct health_inbox *in = &s->inboxes[i];

		state_put(&b, "inbox", in->key);
		buf_addf(&b, "last_ok %lld\nlast_error_at %lld\n"
		    "fetch_errors %llu\ntoken_expires %lld\n",
		    (long long)in->last_ok, (long long)in->last_error_at,
		    (unsigned long long)in->fetch_errors,
		    (long long)in->token_expires);
		state_put(&b, "last_error", in->last_error);
	}
	rc = health_file_replace(path, buf_str(&b), b.len, err);
	buf_release(&b);
	return rc;
}

static int
state_outcome(struct health_state *s, const char *v)
{
	char name[32];
	unsigned long long n;
	size_t i;

	if (sscanf(v, "%31s %llu", name, &n) != 2)
		return -1;
	for (i = 0; i < HEALTH_OUTCOMES; i++)
		if (strcmp(name, health_outcome_names[i]) == 0)
			s->outcomes[i] = n;
	return 0;
}

/* One "NAME VALUE" line into s; -1 when it makes no sense. */
static int
state_line(struct health_state *s, const char *name, const char *v)
{
	struct health_inbox *in = s->ninboxes > 0 ?
	    &s->inboxes[s->ninboxes - 1] : NULL;
	unsigned long long u;
	long long t;
	size_t i;

	if (strcmp(name, "pid") == 0)
		return sscanf(v, "%ld", &s->pid) == 1 ? 0 : -1;
	if (strcmp(name, "once") == 0)
		return sscanf(v, "%d", &s->once) == 1 ? 0 : -1;
	if (strcmp(name, "started") == 0 || strcmp(name, "cycle") == 0) {
		if (sscanf(v, "%lld", &t) != 1)
			return -1;
		*(name[0] == 's' ? &s->started : &s->cycle) = (time_t)t;
		return 0;
	}
	if (strcmp(name, "outcome") == 0)
		return state_outcome(s, v);
	if (strcmp(name, "latency_count") == 0)
		return sscanf(v, "%llu", &u) == 1 ?
		    (s->latency.count = u, 0) : -1;
	if (strcmp(name, "latency_sum") == 0)
		return sscanf(v, "%lf", &s->latency.sum) == 1 ? 0 : -1;
	if (strcmp(name, "latency_le") == 0)
		return sscanf(v, "%zu %llu", &i, &u) == 2 &&
		    i < HEALTH_LATENCY_BUCKETS ? (s->latency.le[i] = u, 0) : -1;
	if (strcmp(name, "inbox") == 0) {
		if (s->ninboxes >= HEALTH_MAX_INBOXES)
			return 0;	/* more than we show */
		in = &s->inboxes[s->ninboxes++];
		memset(in, 0, sizeof(*in));
		snprintf(in->key, sizeof(in->key), "%s", v);
		return 0;
	}
	if (in == NULL)
		return -1;
	if (strcmp(name, "last_ok") == 0 ||
	    strcmp(name, "last_error_at") == 0) {
		if (sscanf(v, "%lld", &t) != 1)
			return -1;
		*(name[5] == 'o' ? &in->last_ok : &in->last_error_at) =
		    (time_t)t;
		return 0;
	}
	if (strcmp(name, "token_expires") == 0) {
		if (sscanf(v, "%lld", &t) != 1)
			return -1;
		in->token_expires = (time_t)t;
		return 0;
	}
	if (strcmp(name, "fetch_errors") == 0)
		return sscanf(v, "%llu", &u) == 1 ?
		    (in->fetch_errors = u, 0) : -1;
	if (strcmp(name, "last_error") == 0) {
		snprintf(in->last_error, sizeof(in->last_error), "%s", v);
		return 0;
	}
	return 0;	/* a newer daemon's field: skipped */
}

int
health_state_read(const char *path, struct health_state *s, struct err *err)
{
	char line[1024], *sp;
	FILE *fp;
	int lineno = 0, rc = 1;

	memset(s, 0, sizeof(*s));
	if ((fp = fopen(path, "re")) == NULL) {
		if (errno == ENOENT)
			return 0;
		return err_set(err, ERR_CONFIG, "cannot open '%s': %s", path,
		    strerror(errno));
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		line[strcspn(line, "\n")] = '\0';
		if (lineno == 1) {
			if (strcmp(line, STATE_MAGIC) != 0) {
				rc = err_set(err, ERR_CONFIG, "%s:1: not a "
				    "mailorderd state file", path);
				break;
			}
			continue;
		}
		if ((sp = strchr(line, ' ')) == NULL)
			sp = line + strlen(line);
		else
			*sp++ = '\0';
		if (state_line(s, line, sp) == -1) {
			rc = err_set(err, ERR_CONFIG, "%s:%d: unreadable '%s'",
			    path, lineno, line);
			break;
		}
	}
	fclose(fp);
	return rc;
}

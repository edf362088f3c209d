/*
 * Export runs; see export.h.  Without --new an export reads only.  With
 * --new it (1) finishes any run of the format that an earlier process
 * committed but did not finish writing, from the bytes kept in the store,
 * (2) in one write transaction picks the orders whose version the format
 * has not had, renders them, and records the run with its items and
 * files, (3) writes the files and marks the run done.  A crash before
 * (2) commits exports nothing; after it, the next run writes the same
 * bytes under the same names: each order version lands exactly once.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/xmalloc.h"
#include "export/export.h"
#include "store/export.h"

static const char *const export_formats[] = { "csv", "json", "ubl" };

const char *
export_format_name(enum export_format f)
{
	return export_formats[f];
}

int
export_format_parse(const char *s, enum export_format *f_r)
{
	size_t i;

	for (i = 0; i < sizeof(export_formats) / sizeof(export_formats[0]);
	    i++)
		if (strcmp(s, export_formats[i]) == 0) {
			*f_r = (enum export_format)i;
			return 0;
		}
	return -1;
}

/* Write body to dir/name whole or not at all: a temporary file, synced,
 * renamed, and the directory synced so the rename survives a crash. */
static int
export_write(const char *dir, const char *name, const void *body,
    size_t len, struct err *err)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	const char *p = body;
	ssize_t n;
	int fd, dfd;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    sizeof(path) || (size_t)snprintf(tmp, sizeof(tmp), "%s/.%s.tmp",
	    dir, name) >= sizeof(tmp))
		return err_set(err, ERR_MSG, "path too long in '%s'", dir);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0644)) == -1)
		return err_set(err, ERR_MSG, "cannot write '%s': %s", tmp,
		    strerror(errno));
	for (; len > 0; p += n, len -= (size_t)n)
		if ((n = write(fd, p, len)) < 0) {
			if (errno == EINTR) {
				n = 0;
				continue;
			}
			goto fail;
		}
	if (fsync(fd) == -1)
		goto fail;
	close(fd);
	if (rename(tmp, path) == -1)
		return err_set(err, ERR_MSG, "cannot rename '%s' to '%s': %s",
		    tmp, path, strerror(errno));
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		(void)fsync(dfd);
		close(dfd);
	}
	return 0;
fail:
	err_set(err, ERR_MSG, "cannot write '%s': %s", tmp, strerror(errno));
	close(fd);
	unlink(tmp);
	return -1;
}

/* The orders picked, in id order. */
struct export_pick {
	int64_t	*ids;
	int	*versions;
	size_t	 n;
};

static int
export_pick_add(void *arg, int64_t id, int version)
{
	struct export_pick *p = arg;

	p->ids = xreallocarray(p->ids, p->n + 1, sizeof(*p->ids));
	p->versions = xreallocarray(p->versions, p->n + 1,
	    sizeof(*p->versions));
	p->ids[p->n] = id;
	p->versions[p->n++] = version;
	return 0;
}

/* A rendered file. */
struct export_file {
	char	 name[64];
	char	*body;
	size_t	 len;
};

struct export_files {
	struct export_file	*v;
	size_t			 n;
};

static void
export_files_add(struct export_files *f, const char *name, struct buf *b)
{
	f->v = xreallocarray(f->v, f->n + 1, sizeof(*f->v));
	snprintf(f->v[f->n].name, sizeof(f->v[f->n].name), "%s", name);
	f->v[f->n].body = buf_detach(b, &f->v[f->n].len);
	if (f->v[f->n].body == NULL)
		f->v[f->n].body = xstrdup("");
	f->n++;
}

static void
export_files_release(struct export_files *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		free(f->v[i].body);
	free(f->v);
	memset(f, 0, sizeof(*f));
}

/* Render the picked orders: one file for CSV and JSON (named `name`),
 * one per order for UBL. */
static int
export_render(struct store *st, const struct export_opts *o,
    const struct export_pick *p, const char *name, struct export_files *f,
    struct err *err)
{
	struct buf b;
	char ubl_name[64];
	size_t i;
	int rc = 0;

	buf_init(&b, BUF_NOLIMIT);
	if (o->format == EXPORT_CSV)
		export_csv_header(&b);
	for (i = 0; rc == 0 && i < p->n; i++) {
		switch (o->format) {
		case EXPORT_CSV:
			rc = export_csv_order(st, p->ids[i], &b, err);
			break;
		case EXPORT_JSON:
			rc = export_json_order(st, p->ids[i], &b, err);
			break;
		case EXPORT_UBL:
			if ((rc = export_ubl_order(st, p->ids[i], o, &b,
			    ubl_name, err)) == 0)
				export_files_add(f, ubl_name, &b);
			break;
		}
	}
	if (rc == 0 && o->format != EXPORT_UBL)
		export_files_add(f, name, &b);
	buf_release(&b);
	return rc;
}

static void
export_filter(const struct export_opts *o, struct store_export_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->since = o->since;
	f->until = o->until;
	f->statuses = o->statuses;
	if (o->new_only)
		f->new_for = export_format_name(o->format);
}

static int
export_files_write(const char *dir, const struct export_files *f,
    struct export_result *res, struct err *err)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		if (export_write(dir, f->v[i].name, f->v[i].body, f->v[i].len,
		    err) == -1)
			return -1;
		if (res->files++ == 0)
			snprintf(res->first, sizeof(res->first), "%s/%s", dir,
			    f->v[i].name);
	}
	return 0;
}

/* Without --new: read, render, write to the stream or the directory. */
static int
export_plain(struct store *st, const struct export_opts *o, FILE *out,
    struct export_result *res, struct err *err)
{
	struct store_export_filter f;
	struct export_pick p = { 0 };
	struct export_files files = { 0 };
	char name[64];
	int rc = -1;
	size_t i;

	export_filter(o, &f);
	snprintf(name, sizeof(name), "mailorder-export.%s",
	    o->format == EXPORT_JSON ? "jsonl" : export_format_name(o->format));
	if (store_read_begin(st, err) == -1)
		return -1;
	if (store_export_select(st, &f, export_pick_add, &p, err) == -1 ||
	    export_render(st, o, &p, name, &files, err) == -1) {
		store_read_end(st);
		goto out;
	}
	store_read_end(st);
	res->orders = p.n;
	if (o->out != NULL)
		rc = export_files_write(o->out, &files, res, err);
	else {
		for (i = 0; i < files.n; i++)
			fwrite(files.v[i].body, 1, files.v[i].len, out);
		rc = 0;
	}
out:
	export_files_release(&files);
	free(p.ids);
	free(p.versions);
	return rc;
}

struct export_recover {
	struct store		*st;
	const char		*dir;
	struct export_result	*res;
	struct err		*err;
	int64_t			*runs;
	char			**dirs;
	size_t			 nruns;
};

static int
export_open_run(void *arg, int64_t run_id, const char *dir)
{
	struct export_recover *r = arg;

	r->runs = xreallocarray(r->runs, r->nruns + 1, sizeof(*r->runs));
	r->dirs = xreallocarray(r->dirs, r->nruns + 1, sizeof(*r->dirs));
	r->runs[r->nruns] = run_id;
	r->dirs[r->nruns++] = xstrdup(dir);
	return 0;
}

/* A file of an unfinished run: written again unless it is there (then
 * the earlier process renamed it before it stopped). */
static int
export_recover_file(void *arg, const char *name, const void *body,
    size_t len)
{
	struct export_recover *r = arg;
	char path[PATH_MAX];
	struct stat sb;

	snprintf(path, sizeof(path), "%s/%s", r->dir, name);
	if (stat(path, &sb) == 0)
		return 0;
	if (export_write(r->dir, name, body, len, r->err) == -1)
		return -1;
	r->res->recovered++;
	return 0;
}

static int
export_recover(struct store *st, const struct export_opts *o,
    struct export_result *res, struct err *err)
{
	struct export_recover r;
	size_t i;
	int rc = 0;

	memset(&r, 0, sizeof(r));
	r.st = st;
	r.res = res;
	r.err = err;
	if (store_export_runs_open(st, export_format_name(o->format),
	    export_open_run, &r, err) == -1)
		rc = -1;
	for (i = 0; rc == 0 && i < r.nruns; i++) {
		r.dir = r.dirs[i];
		if (store_export_run_files(st, r.runs[i], export_recover_file,
		    &r, err) != 0 || store_export_run_done(st, r.runs[i],
		    err) == -1)
			rc = -1;
	}
	for (i = 0; i < r.nruns; i++)
		free(r.dirs[i]);
	free(r.dirs);
	free(r.runs);
	return rc;
}

/* Step (2): pick, render and record in one transaction. */
static int
export_commit_run(struct store *st, const struct export_opts *o,
    const char *dir, struct export_files *files, int64_t *run_r,
    size_t *n_r, struct err *err)
{
	struct store_export_filter f;
	struct export_pick p = { 0 };
	char name[64];
	size_t i;
	int rc = -1;

	*run_r = 0;
	export_filter(o, &f);
	if (store_begin(st, err) == -1)
		return -1;
	if (store_export_select(st, &f, export_pick_add, &p, err) == -1)
		goto out;
	if ((*n_r = p.n) == 0) {
		rc = 0;
		goto out;
	}
	if (store_export_run_new(st, export_format_name(o->format), dir,
	    run_r, err) == -1)
		goto out;
	snprintf(name, sizeof(name), "mailorder-%06lld.%s", (long long)*run_r,
	    o->format == EXPORT_JSON ? "jsonl" : export_format_name(o->format));
	for (i = 0; i < p.n; i++)
		if (store_export_item_add(st, *run_r, p.ids[i], p.versions[i],
		    err) == -1)
			goto out;
	if (export_render(st, o, &p, name, files, err) == -1)
		goto out;
	for (i = 0; i < files->n; i++)
		if (store_export_file_add(st, *run_r, files->v[i].name,
		    files->v[i].body, files->v[i].len, err) == -1)
			goto out;
	rc = store_commit(st, err);
out:
	if (rc == -1 || *n_r == 0)
		store_rollback(st);
	free(p.ids);
	free(p.versions);
	return rc;
}

static int
export_new(struct store *st, const struct export_opts *o,
    struct export_result *res, struct err *err)
{
	struct export_files files = { 0 };
	char dir[PATH_MAX];
	int64_t run;
	int rc;

	/* The run remembers where its files go, wherever a later
	 * recovery is started from. */
	if (realpath(o->out, dir) == NULL)
		return err_set(err, ERR_MSG, "cannot use '%s': %s", o->out,
		    strerror(errno));
	if (export_recover(st, o, res, err) == -1)
		return -1;
	if ((rc = export_commit_run(st, o, dir, &files, &run, &res->orders,
	    err)) == 0 && run > 0 &&
	    (rc = export_files_write(dir, &files, res, err)) == 0)
		rc = store_export_run_done(st, run, err);
	export_files_release(&files);
	return rc;
}

int
export_run(struct store *st, const struct export_opts *o, FILE *out,
    struct export_result *res, struct err *err)
{
	struct stat sb;

	memset(res, 0, sizeof(*res));
	if (o->out == NULL && (o->new_only || o->format == EXPORT_UBL))
		return err_set(err, ERR_MSG, "%s needs --out DIR",
		    o->new_only ? "--new" : "--format ubl");
	if (o->out != NULL && (stat(o->out, &sb) == -1 ||
	    !S_ISDIR(sb.st_mode)))
		return err_set(err, ERR_MSG, "--out '%s' is not a directory",
		    o->out);
	return o->new_only ? export_new(st, o, res, err) :
	    export_plain(st, o, out, res, err);
}

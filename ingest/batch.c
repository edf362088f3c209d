/*
 * The batch protocol over a mail source; see batch.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "engine/engine.h"
#include "ingest/batch.h"
#include "ingest/record.h"
#include "ingest/worker.h"
#include "store/mailbox.h"
#include "store/order.h"

struct batch_item {
	int64_t			id;
	uint32_t		uid;
	char			key[ENGINE_IDENTITY_MAX];
	enum store_message_state state;
	int			attempts;
	int			handled;	/* its fate is committed */
	int			failed;		/* goes to the failed folder */
	char			why[ERR_MSG_MAX];
};

/* One fetched batch on its way: recorded, parsed by the worker as one
 * group, then filed. */
struct batch_group {
	size_t			 n;
	struct batch_item	*items;
	struct worker_item	*work;		/* given to the worker */
	size_t			*widx;		/* work[k] is items[widx[k]] */
	size_t			 nwork;
	int			 settled;	/* the worker is done with it */
	struct timespec		 t0;
	long			 ms_record, ms_wait;
};

/* One cycle over one source. */
struct batch {
	const struct ingest_batcher	*bt;
	struct source			*src;
	const struct ingest_filing	*filing;
	struct batch_group		*prev;	/* parsing, or to be filed */
	uint32_t			 cursor; /* seen mode: filed below */
	/* Handled, to be filed with the next flush. */
	uint32_t			*file_ok, *file_bad;
	size_t				 nfile_ok, nfile_bad, file_cap;
	uint32_t			 file_cursor; /* cursor once filed */
	size_t				 nhandled; /* in this cycle */
	int				 fatal;	/* the worker cannot go on */
	struct err			 fatal_err;
};

static long
batch_ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 +
	    (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static int
batch_tick(void *arg)
{
	const struct ingest_batcher *bt = arg;

	return bt->hooks.tick != NULL ? bt->hooks.tick(bt->hooks.arg) : 0;
}

static struct batch_group *
batch_group_new(const struct source_message *msgs, size_t n)
{
	struct batch_group *g = xcalloc(1, sizeof(*g));
	size_t i;

	clock_gettime(CLOCK_MONOTONIC, &g->t0);
	g->n = n;
	g->items = xcalloc(n + 1, sizeof(*g->items));
	g->work = xcalloc(n + 1, sizeof(*g->work));
	g->widx = xcalloc(n + 1, sizeof(*g->widx));
	for (i = 0; i < n; i++)
		g->items[i].uid = msgs[i].uid;
	return g;
}

static void
batch_group_free(struct batch_group *g)
{
	if (g == NULL)
		return;
	free(g->items);
	free(g->work);
	free(g->widx);
	free(g);
}

/* An error of the worker's that ends the cycle and the daemon. */
static int
batch_worker_error(struct batch *b, const struct err *err)
{
	if (err->cls == ERR_CONFIG || err->cls == ERR_FATAL) {
		b->fatal = 1;
		b->fatal_err = *err;
	}
	return -1;
}

/* Step 1: record every message of the batch, in one transaction. */
static int
batch_record(struct batch *b, struct batch_group *g,
    const struct source_message *msgs, struct err *err)
{
	struct store *st = b->bt->store;
	struct store_message m;
	size_t i;

	if (store_begin(st, err) == -1)
		return -1;
	for (i = 0; i < g->n; i++) {
		struct batch_item *it = &g->items[i];

		if (engine_message_identity(msgs[i].raw, msgs[i].len, it->key,
		    sizeof(it->key)) == -1) {
			store_rollback(st);
			return err_set(err, ERR_FATAL, "cannot hash message");
		}
		memset(&m, 0, sizeof(m));
		m.dedupe_key = it->key;
		m.message_id = strncmp(it->key, "mid:", 4) == 0 ?
		    it->key + 4 : NULL;
		m.mailbox = b->src->key;
		m.uidvalidity = b->src->uidvalidity;
		m.uid = msgs[i].uid;
		m.raw = msgs[i].raw;
		m.rawlen = msgs[i].len;
		if (store_message_record(st, &m, &it->id, &it->state,
		    &it->attempts, err) == -1) {
			store_rollback(st);
			return -1;
		}
	}
	/* Seen mode: the previous batch is filed now; move the cursor in
	 * the same commit. */
	if (b->cursor != 0 && store_cursor_set(st, b->src->key,
	    b->src->uidvalidity, b->cursor, err) == -1) {
		store_rollback(st);
		return -1;
	}
	b->cursor = 0;
	return store_commit(st, err);
}

static void
batch_item_fail(struct batch_item *it, const char *why)
{
	snprintf(it->why, sizeof(it->why), "%s", why);
	it->handled = it->failed = 1;
}

/* What the record says before any parsing: done before (file it), or
 * given up on (fail it). */
static void
batch_classify(struct batch *b, struct batch_group *g)
{
	size_t i;

	for (i = 0; i < g->n; i++) {
		struct batch_item *it = &g->items[i];

		if (it->state == STORE_MESSAGE_DONE) {
			log_info("uid %u (%s): already processed, filing it",
			    it->uid, it->key);
			it->handled = 1;
		} else if (it->state == STORE_MESSAGE_FAILED ||
		    it->attempts > b->bt->max_attempts) {
			log_warnx("uid %u (%s): giving up after %d attempts",
			    it->uid, it->key, it->attempts - 1);
			batch_item_fail(it, "the parser failed on this "
			    "message several times");
		}
	}
}

/* The worker's list: every message not handled yet.  Built afresh for
 * the first start and after a crash (the culprit is handled by then). */
static void
batch_plan(struct batch_group *g)
{
	size_t i;

	g->nwork = 0;
	for (i = 0; i < g->n; i++) {
		if (g->items[i].handled)
			continue;
		memset(&g->work[g->nwork], 0, sizeof(g->work[g->nwork]));
		g->work[g->nwork].msg_id = g->items[i].id;
		g->widx[g->nwork++] = i;
	}
}

/* Step 2: hand the messages that still need parsing to the worker. */
static int
batch_start(struct batch *b, struct batch_group *g, struct err *err)
{
	batch_classify(b, g);
	batch_plan(g);
	if (g->nwork == 0)
		return 0;
	return worker_group_start(b->bt->worker, g->work, g->nwork, err);
}

static void
batch_count(struct batch *b, const struct ingest_outcome *out)
{
	struct ingest_counts *c = b->bt->counts;

	if (out->already)
		c->duplicates++;
	else if (out->status == ENGINE_ACCEPTED)
		c->accepted++;
	else if (out->status == ENGINE_IGNORED)
		c->ignored++;
	else
		c->flagged++;
}

/* Wait for the worker to finish the group.  A message that crashes or
 * hangs the worker fails on its own; its group's other orders went down
 * with the worker, so they are given to a new one. */
static int
batch_wait_group(struct batch *b, struct batch_group *g, struct err *err)
{
	struct batch_item *it;
	size_t culprit;

	while (g->nwork > 0) {
		err_clear(err);
		if (worker_group_wait(b->bt->worker, &culprit, batch_tick,
		    (void *)b->bt, err) == 0)
			return 0;
		if (err->cls != ERR_MSG)
			return batch_worker_error(b, err);
		it = &g->items[g->widx[culprit]];
		log_warnx("uid %u (%s): %s", it->uid, it->key, err->msg);
		batch_item_fail(it, err->msg);
		b->bt->counts->failed++;
		batch_plan(g);
		if (g->nwork == 0)
			break;
		log_warnx("the parser died; processing %zu message%s again",
		    g->nwork, g->nwork == 1 ? "" : "s");
		err_clear(err);
		if (worker_group_start(b->bt->worker, g->work, g->nwork,
		    err) == -1)
			return batch_worker_error(b, err);
	}
	return 0;
}

/* Take in what the worker reported for each message. */
static int
batch_take_results(struct batch *b, struct batch_group *g, struct err *err)
{
	size_t k;
	int rc = 0;

	for (k = 0; k < g->nwork; k++) {
		struct worker_item *w = &g->work[k];
		struct batch_item *it = &g->items[g->widx[k]];

		if (w->rc == 0) {
			it->handled = 1;
			log_info("uid %u (%s): order %s %s", it->uid, it->key,
			    w->out.ref, ingest_outcome_name(&w->out));
			batch_count(b, &w->out);
		} else if (w->err.cls == ERR_MSG) {
			log_warnx("uid %u (%s): %s", it->uid, it->key,
			    w->err.msg);
			batch_item_fail(it, w->err.msg);
			b->bt->counts->failed++;
		} else if (rc == 0) {
			*err = w->err;
			rc = batch_worker_error(b, err);
		}
	}
	return rc;
}

/* Failures are recorded once the group has committed (the worker holds
 * the write lock until then). */
static int
batch_record_failures(struct batch *b, struct batch_group *g,
    struct err *err)
{
	struct ingest_outcome out;
	size_t i;

	for (i = 0; i < g->n; i++)
		if (g->items[i].failed && ingest_record_failure(b->bt->store,
		    g->items[i].id, g->items[i].why, &out, err) == -1)
			return -1;
	return 0;
}

/* Step 3: see the previous batch through the worker.  Returns -1 when it
 * was not wholly handled (the rest stays in the source for next time). */
static int
batch_settle(struct batch *b, struct err *err)
{
	struct batch_group *g = b->prev;
	struct timespec t;
	struct err ferr;
	size_t i;
	int rc;

	if (g == NULL || g->settled)
		return 0;
	g->settled = 1;
	clock_gettime(CLOCK_MONOTONIC, &t);
	rc = batch_wait_group(b, g, err);
	if (rc == 0)
		rc = batch_take_results(b, g, err);
	g->ms_wait = batch_ms_since(&t);
	err_clear(&ferr);
	if (batch_record_failures(b, g, &ferr) == -1 && rc == 0) {
		*err = ferr;
		rc = -1;
	}
	if (b->bt->hooks.settled != NULL)
		b->bt->hooks.settled(b->bt->hooks.arg);
	for (i = 0; rc == 0 && i < g->n; i++)
		if (!g->items[i].handled)
			rc = err_set(err, ERR_TEMP, "stopping");
	if (rc == 0 && batch_tick((void *)b->bt))
		rc = err_set(err, ERR_TEMP, "stopping");
	return rc;
}

/* File what was handled since the last flush, each kind with one
 * command: failures to the failed folder, the rest moved or marked. */
static int
batch_flush(struct batch *b, struct err *err)
{
	const struct ingest_filing *f = b->filing;
	const struct source *src = b->src;
	struct timespec t;
	int rc;

	if (b->nfile_ok + b->nfile_bad == 0)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &t);
	rc = src->ops->move(src->h, b->file_bad, b->nfile_bad,
	    f->failed_folder, err);
	if (rc == 0 && !f->seen && f->processed_folder != NULL)
		rc = src->ops->move(src->h, b->file_ok, b->nfile_ok,
		    f->processed_folder, err);
	else if (rc == 0)
		rc = src->ops->seen(src->h, b->file_ok, b->nfile_ok, err);
	/* Filing is the server's work: its time apart tells the server's
	 * cost from ours as a mailbox grows. */
	log_debug("%s: filed %zu message%s in %ld ms", src->key,
	    b->nfile_ok + b->nfile_bad, b->nfile_ok + b->nfile_bad == 1 ?
	    "" : "s", batch_ms_since(&t));
	if (rc == 0 && f->seen && b->file_cursor != 0)
		b->cursor = b->file_cursor;
	b->nfile_ok = b->nfile_bad = 0;
	b->file_cursor = 0;
	return rc;
}

/* How many handled messages wait before a flush: one batch at first,
 * so that a move stays shorter than the worker's next batch (which it
 * overlaps), then an eighth of what the cycle has handled, up to
 * INGEST_FILE_MAX: with 500-message batches a 100,000-message backlog
 * is filed with 35 moves instead of 200, a 10,000 one with 14 instead
 * of 20. */
static size_t
batch_file_threshold(const struct batch *b)
{
	const struct ingest_filing *f = b->filing;
	size_t max = f->file_max_messages ? f->file_max_messages :
	    INGEST_FILE_MAX, t = b->nhandled / 8;

	if (t < f->batch_max_messages)
		t = f->batch_max_messages;
	return t < max ? t : max;
}

/* Step 4: the handled messages wait to be filed, only now that their
 * fate is committed; flushed once enough wait. */
static int
batch_file(struct batch *b, struct batch_group *g, struct err *err)
{
	const struct ingest_filing *f = b->filing;
	size_t i, prefix;

	if (b->file_cap < b->nfile_ok + b->nfile_bad + g->n) {
		b->file_cap = b->nfile_ok + b->nfile_bad + g->n;
		b->file_ok = xreallocarray(b->file_ok, b->file_cap + 1,
		    sizeof(*b->file_ok));
		b->file_bad = xreallocarray(b->file_bad, b->file_cap + 1,
		    sizeof(*b->file_bad));
	}
	for (i = 0; i < g->n; i++) {
		if (!g->items[i].handled)
			continue;
		if (g->items[i].failed)
			b->file_bad[b->nfile_bad++] = g->items[i].uid;
		else
			b->file_ok[b->nfile_ok++] = g->items[i].uid;
		b->nhandled++;
	}
	for (prefix = 0; prefix < g->n && g->items[prefix].handled; prefix++)
		;
	if (prefix > 0 && f->seen)
		b->file_cursor = g->items[prefix - 1].uid + 1;
	log_debug("%s: batch of %zu: record %ld ms, waited %ld ms for the "
	    "parser, %ld ms in all", b->src->key, g->n, g->ms_record,
	    g->ms_wait, batch_ms_since(&g->t0));
	if (b->nfile_ok + b->nfile_bad < batch_file_threshold(b))
		return 0;
	return batch_flush(b, err);
}

/* A fetched batch: settle the previous one, record and start this one,
 * then file the previous one while the worker parses this one. */
static int
batch_arrived(const struct source_message *msgs, size_t n, void *arg,
    struct err *err)
{
	struct batch *b = arg;
	struct batch_group *g;
	struct err ferr;

	if (batch_settle(b, err) == -1)
		return -1;
	g = batch_group_new(msgs, n);
	if (batch_record(b, g, msgs, err) == -1) {
		batch_group_free(g);
		return -1;
	}
	g->ms_record = batch_ms_since(&g->t0);
	if (batch_start(b, g, err) == -1) {
		batch_group_free(g);
		return batch_worker_error(b, err);
	}
	err_clear(&ferr);
	if (b->prev != NULL && batch_file(b, b->prev, &ferr) == -1) {
		/* The new group is in flight: settle it before going. */
		batch_group_free(b->prev);
		b->prev = g;
		*err = ferr;
		return -1;
	}
	batch_group_free(b->prev);
	b->prev = g;
	return 0;
}

/* The end of a round: the last batch through the worker and filed. */
static int
batch_finish(struct batch *b, struct err *err)
{
	struct err ferr;
	int rc;

	rc = batch_settle(b, err);
	err_clear(&ferr);
	if (((b->prev != NULL && batch_file(b, b->prev, &ferr) == -1) ||
	    batch_flush(b, &ferr) == -1) && rc == 0) {
		*err = ferr;
		rc = -1;
	}
	batch_group_free(b->prev);
	b->prev = NULL;
	if (b->cursor != 0 && store_cursor_set(b->bt->store, b->src->key,
	    b->src->uidvalidity, b->cursor, err) == -1)
		rc = -1;
	b->cursor = 0;
	return rc;
}

/* Rounds until one finds nothing: mail that arrived while the last batch
 * was settled, answered and filed is taken now, not when the source
 * next announces something (Dovecot waits 500 ms to). */
static int
batch_rounds(struct batch *b, uint32_t first, struct err *err)
{
	const struct ingest_filing *f = b->filing;
	struct source *src = b->src;
	uint32_t next;
	struct err ferr;
	int n, total;

	for (;;) {
		total = 0;
		do {
			n = src->ops->fetch(src->h, first, f->batch_max_bytes,
			    f->batch_max_messages, batch_arrived, b, &next,
			    err);
			if (b->bt->hooks.fetched != NULL)
				b->bt->hooks.fetched(b->bt->hooks.arg);
			first = next;
			total += n > 0 ? n : 0;
		} while (n > 0 && !batch_tick((void *)b->bt));
		if (n == -1) {
			/* The batch in flight still settles; err says why
			 * we stop. */
			err_clear(&ferr);
			(void)batch_finish(b, &ferr);
			return -1;
		}
		if (batch_finish(b, err) == -1)
			return -1;
		if (total == 0 || batch_tick((void *)b->bt))
			return 0;
	}
}

int
ingest_batch_cycle(const struct ingest_batcher *bt, struct source *src,
    const struct ingest_filing *f, int *fatal_r, struct err *err)
{
	struct batch b;
	uint32_t first = 1;
	int rc;

	memset(&b, 0, sizeof(b));
	b.bt = bt;
	b.src = src;
	b.filing = f;
	*fatal_r = 0;
	/* With mail moved away after processing, whatever is in the source
	 * is new or not yet filed; only seen mode needs the cursor. */
	if (f->seen && store_cursor_get(bt->store, src->key,
	    src->uidvalidity, &first, err) == -1) {
		*fatal_r = 1;
		return -1;
	}
	rc = batch_rounds(&b, first, err);
	free(b.file_ok);
	free(b.file_bad);
	if (rc == 0)
		return 0;
	if (b.fatal) {
		*fatal_r = 1;
		*err = b.fatal_err;
	}
	return -1;
}

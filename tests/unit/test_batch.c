/*
 * ingest/batch.c over a fixture mail source: the record -> parse ->
 * settle -> file protocol with the real store and the real worker
 * process, without a mail server.  The fixture keeps its messages in
 * memory with the folder each is in, so a test sees exactly what was
 * filed where, and can make a fetch fail half way.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "common/buf.h"
#include "engine/engine.h"
#include "import/import.h"
#include "ingest/batch.h"
#include "ingest/worker.h"
#include "store/store.h"
#include "tests/unit/helpers.h"

#define FIX_MAX		48

struct fix_msg {
	uint32_t	 uid;
	char		*raw;
	size_t		 len;
	const char	*folder;	/* "INBOX", or where it was moved */
	int		 seen;
};

struct fixture {
	char		 dir[64];
	char		 path[128];
	char		 rules[1024];
	struct store	*st;
	struct worker	*w;
	struct fix_msg	 msgs[FIX_MAX];
	size_t		 n;
	uint32_t	 last_first;	/* the first UID the last fetch asked */
	int		 fail_after;	/* batches before the fetch fails; 0: never */
	int		 moves;		/* move commands with any message */
	struct ingest_counts counts;
	struct source	 src;
};

/* ---- the fixture source ---- */

static int
fix_fetch(void *h, uint32_t first, size_t max_bytes, unsigned int max_count,
    source_batch_cb *cb, void *arg, uint32_t *next_r, struct err *err)
{
	struct fixture *f = h;
	struct source_message batch[FIX_MAX];
	size_t i, nb = 0, total = 0, batches = 0;

	(void)max_bytes;
	f->last_first = first;
	*next_r = first;
	/* One listing, then batch after batch from it, like IMAP. */
	for (i = 0; i <= f->n; i++) {
		if (i < f->n && (f->msgs[i].uid < first ||
		    strcmp(f->msgs[i].folder, "INBOX") != 0))
			continue;
		if (i < f->n) {
			batch[nb].uid = f->msgs[i].uid;
			batch[nb].raw = f->msgs[i].raw;
			batch[nb++].len = f->msgs[i].len;
		}
		if (nb == 0 || (i < f->n && nb < max_count))
			continue;
		if (f->fail_after > 0 && batches == (size_t)f->fail_after)
			return err_set(err, ERR_TEMP, "connection lost");
		if (cb(batch, nb, arg, err) == -1)
			return -1;
		*next_r = batch[nb - 1].uid + 1;
		total += nb;
		batches++;
		nb = 0;
	}
	return (int)total;
}

static struct fix_msg *
fix_find(struct fixture *f, uint32_t uid)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (f->msgs[i].uid == uid)
			return &f->msgs[i];
	fail_msg("no uid %u", uid);
	return NULL;
}

static int
fix_move(void *h, const uint32_t *uids, size_t n, const char *folder,
    struct err *err)
{
	size_t i;

	(void)err;
	if (n > 0)
		((struct fixture *)h)->moves++;
	for (i = 0; i < n; i++)
		fix_find(h, uids[i])->folder = folder;
	return 0;
}

static int
fix_seen(void *h, const uint32_t *uids, size_t n, struct err *err)
{
	size_t i;

	(void)err;
	for (i = 0; i < n; i++)
		fix_find(h, uids[i])->seen = 1;
	return 0;
}

static int
fix_append(void *h, const char *folder, const char *msg, size_t len,
    struct err *err)
{
	(void)h;
	(void)folder;
	(void)msg;
	(void)len;
	return err_set(err, ERR_CONFIG, "no folders for copies here");
}

static const struct source_ops fix_ops = {
	fix_fetch, fix_move, fix_seen, fix_append,
};

/* ---- set-up ---- */

static void
fix_add_file(struct fixture *f, const char *name)
{
	char path[1024];
	struct buf b;
	char chunk[4096];
	size_t n;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/examples/mail/%s",
	    getenv("top_srcdir") ? getenv("top_srcdir") : "..", name);
	assert_non_null(fp = fopen(path, "rb"));
	buf_init(&b, BUF_NOLIMIT);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&b, chunk, n);
	fclose(fp);
	f->msgs[f->n].uid = (uint32_t)(f->n + 1);
	f->msgs[f->n].len = b.len;
	f->msgs[f->n].raw = buf_detach(&b, NULL);
	f->msgs[f->n++].folder = "INBOX";
}

static void
fix_add_text(struct fixture *f, const char *text)
{
	f->msgs[f->n].uid = (uint32_t)(f->n + 1);
	f->msgs[f->n].raw = strdup(text);
	f->msgs[f->n].len = strlen(text);
	f->msgs[f->n++].folder = "INBOX";
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	const char *top = getenv("top_srcdir") ? getenv("top_srcdir") : "..";
	struct import_stats stats;
	struct worker_conf wc;
	const char *paths[1];
	char csv[1024];
	struct err err;

	th_tmpdir(f->dir, "batch");
	snprintf(f->path, sizeof(f->path), "%s/test.db", f->dir);
	snprintf(f->rules, sizeof(f->rules), "%s/rules/en.rules", top);
	err_clear(&err);
	if ((f->st = store_open(f->path, 0, &err)) == NULL)
		return -1;
	snprintf(csv, sizeof(csv), "%s/examples/catalog.csv", top);
	if (import_catalog(f->st, csv, &stats, &err) == -1)
		return -1;
	snprintf(csv, sizeof(csv), "%s/examples/customers.csv", top);
	if (import_customers(f->st, csv, &stats, &err) == -1)
		return -1;
	/* The worker is forked on the first group and reads this then. */
	setenv("MAILORDER_TEST_CRASH_MARKER", "CRASH-THE-PARSER", 1);
	memset(&wc, 0, sizeof(wc));
	paths[0] = f->rules;
	wc.store_path = f->path;
	wc.rule_paths = paths;
	wc.nrule_paths = 1;
	engine_policy_default(&wc.policy);
	wc.timeout_s = 20;
	f->w = worker_new(&wc);
	f->src.ops = &fix_ops;
	f->src.h = f;
	f->src.key = "test@fixture/INBOX";
	f->src.uidvalidity = 7;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	size_t i;

	worker_free(f->w);
	store_close(f->st);
	for (i = 0; i < f->n; i++)
		free(f->msgs[i].raw);
	if (th_rmdir(f->dir) != 0)
		return -1;
	free(f);
	return 0;
}

static int
cycle(struct fixture *f, const struct ingest_filing *fl, int *fatal_r,
    struct err *err)
{
	struct ingest_batcher bt;

	memset(&bt, 0, sizeof(bt));
	bt.store = f->st;
	bt.worker = f->w;
	bt.max_attempts = 10;
	bt.counts = &f->counts;
	err_clear(err);
	return ingest_batch_cycle(&bt, &f->src, fl, fatal_r, err);
}

static struct ingest_filing
filing(int seen, unsigned int batch)
{
	struct ingest_filing fl;

	memset(&fl, 0, sizeof(fl));
	fl.failed_folder = "Failed";
	fl.processed_folder = seen ? NULL : "Processed";
	fl.seen = seen;
	fl.batch_max_bytes = 1 << 20;
	fl.batch_max_messages = batch;
	return fl;
}

static unsigned long
counted(const struct ingest_counts *c)
{
	return c->accepted + c->flagged + c->ignored + c->failed;
}

/* ---- the tests ---- */

/* Five messages in batches of two: every one recorded, parsed, its order
 * stored, and moved to Processed only after that. */
static void
test_cycle_files_each(void **state)
{
	struct fixture *f = *state;
	struct ingest_filing fl = filing(0, 2);
	struct err err;
	size_t i;
	int fatal;

	fix_add_file(f, "plain-order.eml");
	fix_add_file(f, "unusual-quantity.eml");
	fix_add_file(f, "out-of-office.eml");
	fix_add_file(f, "html-table-order.eml");
	fix_add_file(f, "csv-order-sheet.eml");
	assert_int_equal(cycle(f, &fl, &fatal, &err), 0);
	for (i = 0; i < f->n; i++)
		assert_string_equal(f->msgs[i].folder, "Processed");
	assert_int_equal(counted(&f->counts), 5);
	assert_int_equal(f->counts.failed, 0);
	/* A small backlog: a move a batch, each overlapping the next
	 * batch's parsing. */
	assert_int_equal(f->moves, 3);
	assert_int_equal(th_db_int(f->path, "SELECT count(*) FROM messages WHERE "
	    "state = 'done' AND mailbox = 'test@fixture/INBOX'"), 5);
	assert_int_equal(th_db_int(f->path, "SELECT count(*) FROM orders WHERE "
	    "message_id IS NOT NULL"), 5);
	/* A second cycle finds nothing and records nothing twice. */
	assert_int_equal(cycle(f, &fl, &fatal, &err), 0);
	assert_int_equal(counted(&f->counts), 5);
	assert_int_equal(th_db_int(f->path, "SELECT count(*) FROM messages"), 5);
}

/* A longer backlog is filed in growing groups (an eighth of what was
 * handled, here at most three): fewer moves than batches, and every
 * message filed. */
static void
test_filing_is_grouped(void **state)
{
	struct fixture *f = *state;
	struct ingest_filing fl = filing(0, 1);
	struct err err;
	char text[256];
	size_t i;
	int fatal;

	fl.file_max_messages = 3;
	for (i = 0; i < 40; i++) {
		snprintf(text, sizeof(text), "From: buyer@example.test\r\n"
		    "Message-ID: <g%zu@example.test>\r\nSubject: order\r\n"
		    "\r\n3 bags of house blend\r\n", i);
		fix_add_text(f, text);
	}
	assert_int_equal(cycle(f, &fl, &fatal, &err), 0);
	assert_true(f->moves < 40);
	assert_true(f->moves >= 40 / 3);
	for (i = 0; i < f->n; i++)
		assert_string_equal(f->msgs[i].folder, "Processed");
	assert_int_equal(counted(&f->counts), 40);
}

/* Handled but not filed when the cycle broke off (a crash, a lost
 * connection): the next cycle finds the mail again, knows it, and only
 * files it; nothing is recorded or ordered twice. */
static void
test_unfiled_mail_is_only_filed(void **state)
{
	struct fixture *f = *state;
	struct ingest_filing fl = filing(0, 2);
	struct err err;
	size_t i;
	int fatal;

	fix_add_file(f, "plain-order.eml");
	fix_add_file(f, "unusual-quantity.eml");
	fix_add_file(f, "html-table-order.eml");
	assert_int_equal(cycle(f, &fl, &fatal, &err), 0);
	/* As if the daemon had died before its move. */
	for (i = 0; i < f->n; i++)
		f->msgs[i].folder = "INBOX";
	assert_int_equal(cycle(f, &fl, &fatal, &err), 0);
	for (i = 0; i < f->n; i++)
		assert_string_equal(f->msgs[i].folder, "Processed");
	assert_int_equal(counted(&f->counts), 3);
	assert_int_equal(th_db_int(f->path, "SELECT count(*) FROM messages"), 3);
	assert_int_equal(th_db_int(f->path, "SELECT count(*) FROM orders WHERE "
	    "message_id IS NOT NULL"), 3);
}

/* A message that crashes the parser in the middle of a batch goes to
 * Failed alone; the batch's others are parsed again by a new worker. */
static void
test_crash_is_isolated(void **state)
{
	struct fixture *f = *state;
	struct ingest_filing fl = filing(0, 3);
	struct err err;
	int fatal;

	fix_add_file(f, "plain-order.eml");
	fix_add_text(f, "From: x@example.test\r\nMessage-ID: <crash@t>\r\n"
	    "Subject: boom\r\n\r\nCRASH-THE-PARSER\r\n");
	fix_add_file(f, "unusual-quantity.eml");
	assert_int_equal(cycle(f, &fl, &fatal, &err), 0);
	assert_string_equal(f->msgs[0].folder, "Processed");
	assert_string_equal(f->msgs[1].folder, "Failed");
	assert_string_equal(f->msgs[2].folder, "Processed");
	assert_int_equal(f->counts.failed, 1);
	assert_int_equal(counted(&f->counts), 3);
	assert_int_equal(th_db_int(f->path, "SELECT count(*) FROM orders WHERE "
	    "message_id IS NOT NULL"), 3);
}

/* Seen mode: mail stays, marked seen, and the cursor in the store says
 * where the next cycle starts. */
static void
test_seen_mode_cursor(void **state)
{
	struct fixture *f = *state;
	struct ingest_filing fl = filing(1, 10);
	struct err err;
	int fatal;

	fix_add_file(f, "plain-order.eml");
	fix_add_file(f, "out-of-office.eml");
	assert_int_equal(cycle(f, &fl, &fatal, &err), 0);
	assert_string_equal(f->msgs[0].folder, "INBOX");
	assert_int_equal(f->msgs[0].seen, 1);
	assert_int_equal(f->msgs[1].seen, 1);
	assert_int_equal(cycle(f, &fl, &fatal, &err), 0);
	assert_int_equal(f->last_first, 3);
	assert_int_equal(counted(&f->counts), 2);
}

/* The connection breaks after the first batch: that one is still
 * settled and filed, the cycle says ERR_TEMP (not fatal), and the next
 * cycle takes the rest without recording anything twice. */
static void
test_fetch_failure_keeps_what_was_done(void **state)
{
	struct fixture *f = *state;
	struct ingest_filing fl = filing(0, 2);
	struct err err;
	int fatal;

	fix_add_file(f, "plain-order.eml");
	fix_add_file(f, "unusual-quantity.eml");
	fix_add_file(f, "html-table-order.eml");
	f->fail_after = 1;
	assert_int_equal(cycle(f, &fl, &fatal, &err), -1);
	assert_int_equal(err.cls, ERR_TEMP);
	assert_int_equal(fatal, 0);
	assert_string_equal(f->msgs[0].folder, "Processed");
	assert_string_equal(f->msgs[1].folder, "Processed");
	assert_string_equal(f->msgs[2].folder, "INBOX");
	f->fail_after = 0;
	assert_int_equal(cycle(f, &fl, &fatal, &err), 0);
	assert_string_equal(f->msgs[2].folder, "Processed");
	assert_int_equal(counted(&f->counts), 3);
	assert_int_equal(th_db_int(f->path, "SELECT count(*) FROM messages"), 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_cycle_files_each, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_filing_is_grouped, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_unfiled_mail_is_only_filed,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_crash_is_isolated, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_seen_mode_cursor, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_fetch_failure_keeps_what_was_done, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * mailorder ingest FILE.eml...
 *
 * Record messages and their orders exactly as mailorderd does for mail it
 * fetches: the message is recorded first, parsed in an isolated worker,
 * and stored with its order in one transaction; a message already
 * recorded (same Message-ID, or same bytes) is not recorded twice.  For
 * mail that reaches the shop some other way, and for tests.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/buf.h"
#include "engine/engine.h"
#include "config/conf.h"
#include "ingest/policy.h"
#include "ingest/record.h"
#include "ingest/worker.h"
#include "store/lock.h"
#include "store/order.h"
#include "store/store.h"

static int
ingest_read(const char *path, size_t max, struct buf *b, struct err *err)
{
	char chunk[65536];
	size_t n;
	FILE *fp;

	buf_init(b, max);
	if ((fp = fopen(path, "rb")) == NULL)
		return err_set(err, ERR_MSG, "cannot open '%s': %s", path,
		    strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (buf_add(b, chunk, n) == -1) {
			fclose(fp);
			buf_release(b);
			return err_set(err, ERR_MSG, "'%s' is larger than the "
			    "%zu byte limit for a message", path, max);
		}
	fclose(fp);
	return 0;
}

static int
ingest_one(struct store *st, struct worker *w, const char *path, size_t max)
{
	struct store_message m;
	struct ingest_outcome out;
	enum store_message_state state;
	char key[ENGINE_IDENTITY_MAX];
	struct buf raw;
	struct err err;
	int64_t id;
	int attempts;

	err_clear(&err);
	if (ingest_read(path, max, &raw, &err) == -1) {
		fprintf(stderr, "mailorder: %s\n", err.msg);
		return -1;
	}
	if (engine_message_identity(raw.data ? raw.data : "", raw.len, key,
	    sizeof(key)) == -1) {
		buf_release(&raw);
		return -1;
	}
	memset(&m, 0, sizeof(m));
	m.dedupe_key = key;
	m.raw = raw.data ? raw.data : "";
	m.rawlen = raw.len;
	memset(&out, 0, sizeof(out));
	if (store_message_arrive(st, &m, &id, &state, &attempts, &err) == -1)
		goto fail;
	if (state != STORE_MESSAGE_RECEIVED) {
		printf("%s: already recorded\n", path);
		buf_release(&raw);
		return 0;
	}
	if (worker_ingest(w, id, m.raw, raw.len, &out, &err) == -1) {
		if (err.cls != ERR_MSG)
			goto fail;
		fprintf(stderr, "mailorder: %s: %s\n", path, err.msg);
		if (ingest_record_failure(st, id, err.msg, &out, &err) == -1)
			goto fail;
		printf("%s: %s flagged (unreadable)\n", path, out.ref);
		buf_release(&raw);
		return -1;	/* recorded, but the exit status says so */
	}
	printf("%s: %s %s\n", path, out.ref,
	    ingest_outcome_name(&out));
	buf_release(&raw);
	return 0;
fail:
	fprintf(stderr, "mailorder: %s: %s\n", path, err.msg);
	buf_release(&raw);
	return -1;
}

static int
cmd_ingest_exec(struct cli_run *run)
{
	struct cli_ctx *ctx = run->ctx;
	struct worker_conf wc;
	const char *const *paths;
	struct store_lock *lock;
	struct worker *w;
	struct err err;
	int i, failed = 0;
	/* The daemon's pipeline: beside a running mailorderd both would
	 * take up the same recorded messages. */
	err_clear(&err);
	if ((lock = store_lock_take(ctx->db_path, "mailorder-ingest",
	    &err)) == NULL) {
		if (err.cls == ERR_TEMP)
			err_prefix(&err, "cannot ingest");
		return cli_fail(&err);
	}
	memset(&wc, 0, sizeof(wc));
	wc.store_path = ctx->db_path;
	wc.nrule_paths = cli_rule_paths(ctx, &paths);
	wc.rule_paths = paths;
	ingest_policy_init(&wc.policy, ctx->conf);
	wc.timeout_s = (unsigned int)ctx->conf->policy.parse_timeout;
	if (ctx->conf->webhook.enabled)
		wc.webhook_events = ctx->conf->webhook.event_mask;
	w = worker_new(&wc);
	for (i = 0; i < run->argc; i++)
		if (ingest_one(run->store, w, run->argv[i],
		    wc.policy.limits.max_message) == -1)
			failed++;
	worker_free(w);
	store_lock_release(lock);
	return failed ? EX_DATAERR : EX_OK;
}

const struct cli_command cmd_ingest = {
	.name = "ingest",
	.operands = "FILE.eml...",
	.nmin = 1,
	.nmax = -1,
	.store = CLI_STORE_WRITE,
	.summary = "record messages and their orders, as mailorderd does",
	.help = "Each message is recorded, parsed in an isolated worker\n"
	    "process and stored with its order in one transaction.  A message\n"
	    "recorded before (same Message-ID, or the same bytes) is not\n"
	    "recorded again.  Prints the order number and status per file.\n",
	.exec = cmd_ingest_exec,
};

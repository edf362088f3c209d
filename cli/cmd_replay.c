/*
 * mailorder replay [--rules PATH] [--since DATE] [--customer ID] [--json]
 *
 * Re-run stored messages through the engine with the current rule set
 * (or an edited one) and print what would change against the engine's
 * first reading of each: lines added, removed or changed, and status
 * changes.  Each message sees the history it saw when it arrived, so an
 * order never answers its own "same as last time".  Writes nothing.
 * Exit status: 0 when nothing would change, 1 when something would, like
 * diff(1).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/buf.h"
#include "common/json.h"
#include "common/qty.h"
#include "engine/engine.h"
#include "engine/replay.h"
#include "ingest/policy.h"
#include "rules/rules.h"
#include "store/order.h"
#include "store/replay.h"
#include "store/store.h"

struct replay_opts {
	const char	*since;
	const char	*customer;
	int		 json;
};

static const char *const replay_sign[] = { "+", "-", "~" };
static const char *const replay_word[] = { "added", "removed", "changed" };

static void
replay_print_text(const struct store_replay_msg *m,
    const struct replay_diff *d, const struct engine *eng)
{
	char a[QTY_FMT_MAX], b[QTY_FMT_MAX];
	const struct replay_change *c;
	const char *name;
	size_t i;

	printf("%s (message %lld, %.10s, \"%s\", %s): %s", m->order_ref ?
	    m->order_ref : "no order", (long long)m->id,
	    m->received_at ? m->received_at : "?",
	    m->subject ? m->subject : "", m->customer ? m->customer :
	    "unknown sender", d->old_status);
	if (d->status_changed)
		printf(" -> %s", d->new_status);
	putchar('\n');
	if (d->customer_changed)
		printf("  customer %s -> %s\n", d->old_customer ?
		    d->old_customer : "unknown", d->new_customer ?
		    d->new_customer : "unknown");
	for (i = 0; i < d->nchanges; i++) {
		c = &d->changes[i];
		name = c->sku ? engine_product_name(eng, c->sku) : NULL;
		printf("  %s %s %s", replay_sign[c->kind], c->sku ? c->sku :
		    "(no product)", c->kind == REPLAY_REMOVED ?
		    qty_format(c->old_qty, a) : qty_format(c->new_qty, a));
		if (c->kind == REPLAY_CHANGED)
			printf(" (was %s)", qty_format(c->old_qty, b));
		printf("  %s%s\"%s\"\n", name ? name : "", name ? " " : "",
		    c->text ? c->text : "");
	}
}

static void
replay_json_change(struct buf *o, const struct replay_change *c)
{
	char q[QTY_FMT_MAX];

	buf_adds(o, "{\"change\":");
	json_add_str(o, replay_word[c->kind]);
	buf_adds(o, ",\"sku\":");
	json_add_str(o, c->sku);
	buf_addf(o, ",\"old_quantity\":%s", c->kind == REPLAY_ADDED ? "null" :
	    qty_format(c->old_qty, q));
	buf_addf(o, ",\"new_quantity\":%s", c->kind == REPLAY_REMOVED ?
	    "null" : qty_format(c->new_qty, q));
	buf_adds(o, ",\"text\":");
	json_add_str(o, c->text);
	buf_addc(o, '}');
}

static void
replay_print_json(const struct store_replay_msg *m,
    const struct replay_diff *d)
{
	struct buf o;
	size_t i;

	buf_init(&o, BUF_NOLIMIT);
	buf_addf(&o, "{\"message\":%lld,\"order\":", (long long)m->id);
	json_add_str(&o, m->order_ref);
	buf_adds(&o, ",\"received_at\":");
	json_add_str(&o, m->received_at);
	buf_adds(&o, ",\"subject\":");
	json_add_str(&o, m->subject);
	buf_adds(&o, ",\"old_customer\":");
	json_add_str(&o, d->old_customer);
	buf_adds(&o, ",\"new_customer\":");
	json_add_str(&o, d->new_customer);
	buf_adds(&o, ",\"old_status\":");
	json_add_str(&o, d->old_status);
	buf_adds(&o, ",\"new_status\":");
	json_add_str(&o, d->new_status);
	buf_adds(&o, ",\"lines\":[");
	for (i = 0; i < d->nchanges; i++) {
		if (i > 0)
			buf_addc(&o, ',');
		replay_json_change(&o, &d->changes[i]);
	}
	buf_adds(&o, "]}\n");
	fputs(buf_str(&o), stdout);
	buf_release(&o);
}

/* Replay one message: 1 when its reading would change, 0 when not, -1
 * when it could not be replayed (said on stderr). */
static int
replay_one(struct store *st, struct engine *eng, int64_t id,
    const struct replay_opts *o)
{
	struct store_replay_msg m;
	struct engine_result res;
	struct replay_diff d;
	struct err err;
	size_t len;
	char *raw;
	int changed;

	err_clear(&err);
	if (store_replay_msg(st, id, &m, &err) == -1)
		goto fail;
	if (store_message_raw(st, id, &raw, &len, &err) == -1) {
		store_replay_msg_release(&m);
		goto fail;
	}
	engine_history_before(eng, id, m.received_at);
	if (engine_process(eng, raw, len, &res, &err) == -1) {
		free(raw);
		store_replay_msg_release(&m);
		goto fail;
	}
	free(raw);
	if ((changed = replay_compare(&m, &res, &d)) != 0) {
		if (o->json)
			replay_print_json(&m, &d);
		else
			replay_print_text(&m, &d, eng);
	}
	replay_diff_release(&d);
	engine_result_release(&res);
	store_replay_msg_release(&m);
	return changed;
fail:
	fprintf(stderr, "mailorder: replay: message %lld: %s\n",
	    (long long)id, err.msg);
	return -1;
}

static int
replay_date_ok(const char *s)
{
	int y, mo, d;
	char end;

	return strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d%c", &y, &mo, &d,
	    &end) == 3 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31;
}

static int
replay_since_check(const char *arg)
{
	if (!replay_date_ok(arg)) {
		fprintf(stderr, "mailorder: replay: --since '%s' is not a "
		    "date (YYYY-MM-DD)\n", arg);
		return -1;
	}
	return 0;
}

static int
replay_run(struct store *st, struct engine *eng, const struct replay_opts *o)
{
	size_t n, i, changed = 0, failed = 0;
	int64_t *ids;
	struct err err;
	int r;

	err_clear(&err);
	if (store_replay_ids(st, o->since, o->customer, &ids, &n, &err) == -1)
		return cli_fail(&err);
	for (i = 0; i < n; i++) {
		if ((r = replay_one(st, eng, ids[i], o)) == -1)
			failed++;
		else
			changed += (size_t)r;
	}
	free(ids);
	if (o->json)
		printf("{\"replayed\":%zu,\"changed\":%zu,\"failed\":%zu}\n",
		    n, changed, failed);
	else
		printf("replayed %zu message%s: %zu would change%s\n", n,
		    n == 1 ? "" : "s", changed, failed ? ", some could not "
		    "be read (above)" : "");
	fflush(stdout);
	if (failed)
		return EX_DATAERR;
	return changed ? 1 : EX_OK;
}

static int
cmd_replay_exec(struct cli_run *run)
{
	struct cli_ctx *ctx = run->ctx;
	struct store *st = run->store;
	struct engine_policy policy;
	struct replay_opts o;
	struct ruleset *rules;
	struct engine *eng;
	struct err err;
	int status = EX_OK;

	memset(&o, 0, sizeof(o));
	o.since = cli_opt_get(run, 's');
	o.customer = cli_opt_get(run, 'c');
	o.json = cli_opt_has(run, 'j');
	/* -r PATH (--rules is taken as the global option anywhere). */
	if (cli_opt_has(run, 'r'))
		ctx->rules_path = cli_opt_get(run, 'r');
	if ((rules = cli_rules(ctx, &status)) == NULL)
		return status;
	ingest_policy_init(&policy, ctx->conf);
	err_clear(&err);
	if ((eng = engine_new(st, rules, &policy, &err)) == NULL) {
		rules_free(rules);
		return cli_fail(&err);
	}
	status = replay_run(st, eng, &o);
	engine_free(eng);
	rules_free(rules);
	return status;
}

const struct cli_command cmd_replay = {
	.name = "replay",
	.nmin = 0,
	.nmax = 0,
	.store = CLI_STORE_READ,
	.opts = {
		{ 'r', "rules", "PATH", "read with these rules instead of "
		    "[rules] paths", 0, NULL },
		{ 's', "since", "DATE", "only mail received on or after DATE "
		    "(YYYY-MM-DD)", 0, replay_since_check },
		{ 'c', "customer", "ID", "only that customer's mail", 0, NULL },
		{ 'j', "json", NULL, "one JSON object per changed message, "
		    "then a summary", 0, NULL },
	},
	.summary = "show what edited rules would change in stored mail",
	.help = "Read the stored messages again with the current rules (or\n"
	    "the rule file or directory given with --rules) and today's\n"
	    "catalog, and print each message whose reading would change\n"
	    "against what the engine read when it arrived: lines added (+),\n"
	    "removed (-) or with another quantity (~), and a new status or\n"
	    "customer.  Each message is read with the history it had when\n"
	    "it arrived.  Writes nothing; an operator's corrections to an\n"
	    "order are not compared, only the engine's readings.  With\n"
	    "--json the summary is {\"replayed\":N,\"changed\":N,\"failed\":N}.\n\n"
	    "Exit status: 0 when nothing would change, 1 when something\n"
	    "would, 65 when a stored message could not be read again.\n",
	.exec = cmd_replay_exec,
};

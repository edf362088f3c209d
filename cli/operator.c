/*
 * Glue for the operator's commands and the queue; see cli/operator.h.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/operator.h"
#include "common/buf.h"
#include "common/xmalloc.h"
#include "config/conf.h"
#include "rules/rules.h"
#include "store/query.h"

int
cli_op_init(struct cli_ctx *ctx, struct cli_op *op, int *status_r)
{
	memset(op, 0, sizeof(*op));
	op->conf = ctx->conf;
	(void)status_r;
	if (gethostname(op->hostname, sizeof(op->hostname) - 1) == -1)
		snprintf(op->hostname, sizeof(op->hostname), "localhost");
	op->replies = op->conf->smtp.enabled;
	op->rconf.from = op->conf->smtp.from;
	op->rconf.from_name = op->conf->smtp.from_name;
	op->rconf.templates = op->conf->reply.templates;
	op->rconf.hostname = op->conf->smtp.helo_name != NULL ?
	    op->conf->smtp.helo_name : op->hostname;
	/* A person decided: the limits for automatic replies (per hour,
	 * mail too old) must not swallow the confirmation they asked for. */
	op->rconf.max_per_hour = 0;
	op->rconf.max_age_hours = 0;
	op->rconf.manual = 1;
	return 0;
}

void
cli_op_release(struct cli_op *op)
{
	op->conf = NULL;	/* the context's */
}

int
cli_op_reply(void *arg, struct store *st, int64_t order_id,
    enum store_operator_action action, int64_t *outbox_id_r, struct err *err)
{
	struct cli_op *op = arg;
	enum reply_kind kind;
	int rc;

	switch (action) {
	case STORE_OPERATOR_APPROVE:
		kind = REPLY_CONFIRMATION;
		break;
	case STORE_OPERATOR_ASK:
		kind = REPLY_QUESTION;
		break;
	case STORE_OPERATOR_REJECT:
		kind = REPLY_REJECTION;
		break;
	case STORE_OPERATOR_SHIP:
		kind = REPLY_SHIPPING;
		break;
	default:
		return 1;
	}
	/* Without [smtp] nothing is ever sent: queueing would only fill
	 * the outbox with mail that cannot leave. */
	if (!op->replies)
		return 1;
	rc = reply_queue(st, &op->rconf, order_id, kind, &op->extra,
	    outbox_id_r, err);
	if (rc == 0)
		op->outbox_id = *outbox_id_r;
	return rc;
}

void
cli_op_ctx(struct cli_op *op, struct store_operator_ctx *c, int64_t id,
    int version, int reply)
{
	memset(c, 0, sizeof(*c));
	c->order_id = id;
	c->version = version;
	c->operator = store_operator_login();
	if (reply) {
		c->reply = cli_op_reply;
		c->reply_arg = op;
	}
}

void
cli_op_report(const struct cli_op *op, const char *what)
{
	if (op->outbox_id > 0)
		printf("%s queued (outbox %lld)\n", what,
		    (long long)op->outbox_id);
	else if (!op->replies)
		printf("no %s sent: no [smtp] section in the configuration\n",
		    what);
	else
		printf("no %s sent (reply policy)\n", what);
}

struct words_ctx {
	int	 line;
	char	*text;		/* the line's words in the email */
	char	*quoted;	/* from its unknown_product flag */
};

static int
words_line(void *arg, int no, const char *sku, const char *name, double qty,
    const char *unit, const char *text, const char *rule)
{
	struct words_ctx *w = arg;

	if (no == w->line && text != NULL)
		w->text = xstrdup(text);
	return 0;
}

static int
words_flag(void *arg, const char *code, const char *text, int line_no,
    int resolved)
{
	struct words_ctx *w = arg;
	const char *a, *b;

	/* engine/: "no product in the catalog matches 'ITEM'" and "'ITEM'
	 * could mean more than one product". */
	if (line_no != w->line || strcmp(code, "unknown_product") != 0 ||
	    text == NULL || w->quoted != NULL)
		return 0;
	if ((a = strchr(text, '\'')) != NULL &&
	    (b = strrchr(text, '\'')) != NULL && b > a + 1)
		w->quoted = xstrndup(a + 1, (size_t)(b - a - 1));
	return 0;
}

char *
cli_op_line_words(struct store *st, const struct ruleset *rs,
    int64_t order_id, int line)
{
	struct words_ctx w;
	struct rules_result rr;
	struct err err;
	char *item = NULL;

	memset(&w, 0, sizeof(w));
	w.line = line;
	err_clear(&err);
	if (store_order_lines(st, order_id, words_line, &w, &err) == -1 ||
	    store_order_flags(st, order_id, words_flag, NULL, &w, &err) == -1)
		goto done;
	if (rs != NULL && w.text != NULL &&
	    rules_extract(rs, w.text, strlen(w.text), time(NULL), NULL, &rr,
	    &err) == 0) {
		if (rr.nlines > 0 && rr.lines[0].item != NULL &&
		    *rr.lines[0].item != '\0')
			item = xstrdup(rr.lines[0].item);
		rules_result_release(&rr);
	}
	if (item == NULL && w.quoted != NULL) {
		item = w.quoted;
		w.quoted = NULL;
	}
done:
	free(w.text);
	free(w.quoted);
	return item;
}

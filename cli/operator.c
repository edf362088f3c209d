/*
 * Glue for the operator's commands and the queue; see cli/operator.h.
 */
#include "config.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/operator.h"
#include "common/xmalloc.h"
#include "config/conf.h"
#include "rules/rules.h"
#include "store/query.h"

const char *
cli_login(void)
{
	static char name[64];
	struct passwd *pw;
	const char *s;

	if ((s = getenv("LOGNAME")) != NULL && *s != '\0')
		snprintf(name, sizeof(name), "%s", s);
	else if ((pw = getpwuid(getuid())) != NULL)
		snprintf(name, sizeof(name), "%s", pw->pw_name);
	else
		snprintf(name, sizeof(name), "uid %lu",
		    (unsigned long)getuid());
	return name;
}

/*
 * The name an operator signs with: the one [operators] gives their login
 * name, else the full name of their account (the GECOS field up to its
 * first comma), never the login name itself ("root" signs nothing unless
 * [operators] names someone for it).  NULL when there is none: the shop
 * signs.
 */
const char *
cli_signer(const struct config *conf)
{
	static char name[128];
	struct passwd *pw;
	const char *login = cli_login(), *named;
	size_t n;

	if ((named = config_operator(conf, login)) != NULL)
		return named;
	if ((pw = getpwnam(login)) == NULL && (pw = getpwuid(getuid())) ==
	    NULL)
		return NULL;
	if (pw->pw_gecos == NULL || (n = strcspn(pw->pw_gecos, ",")) == 0 ||
	    n >= sizeof(name))
		return NULL;
	memcpy(name, pw->pw_gecos, n);
	name[n] = '\0';
	if (strcmp(name, pw->pw_name) == 0 || strcmp(name, login) == 0)
		return NULL;
	return name;
}

void
cli_op_init(struct cli_op *op, const struct cli_ctx *ctx, struct store *st)
{
	memset(op, 0, sizeof(*op));
	reply_settings_init(&op->replies, ctx->conf, REPLY_SETTINGS_MANUAL);
	op->review.store = st;
	op->review.operator = cli_login();
	op->review.signer = cli_signer(ctx->conf);
	/* Without [smtp] nothing is ever sent: queueing would only fill
	 * the outbox with mail that cannot leave. */
	op->review.replies = op->replies.enabled ? &op->replies.conf : NULL;
}

void
cli_op_release(struct cli_op *op)
{
	reply_settings_release(&op->replies);
}

void
cli_op_report(const struct cli_op *op, const struct review_result *res,
    const char *what)
{
	if (res->outbox_id > 0)
		printf("%s queued (outbox %lld)\n", what,
		    (long long)res->outbox_id);
	else if (op->review.replies == NULL)
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

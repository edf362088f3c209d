/*
 * mailorder report [customer ID | due] [--since DATE] [--until DATE]
 *     [--top N] [--min-orders N] [--json | --html FILE]
 *
 * Argument parsing and printing only: the figures and their renderings
 * are insight/'s.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "common/buf.h"
#include "insight/insight.h"
#include "store/customer.h"

#define REPORT_WEEKS_DEFAULT 12

struct report_args {
	struct insight_period	 period;
	int			 json;
	const char		*html;		/* --html FILE */
	int			 top;
	int			 min_orders;
	const char		*what;		/* NULL, "customer", "due" */
	const char		*id;
};

static int
report_day(const char *opt, const char *s, long *day_r)
{
	if (insight_day_parse(s, day_r) == -1 || strlen(s) != 10) {
		fprintf(stderr, "mailorder: %s '%s' is not a date "
		    "(YYYY-MM-DD)\n", opt, s);
		return -1;
	}
	return 0;
}

static int
report_count(const char *opt, const char *s, int min, int *n_r)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < min || v > 100000) {
		fprintf(stderr, "mailorder: %s '%s' is not a number from %d\n",
		    opt, s, min);
		return -1;
	}
	*n_r = (int)v;
	return 0;
}

static int
report_parse(int argc, char **argv, struct report_args *a)
{
	static const struct option opts[] = {
		{ "since",	required_argument,	NULL, 's' },
		{ "until",	required_argument,	NULL, 'u' },
		{ "top",	required_argument,	NULL, 't' },
		{ "min-orders",	required_argument,	NULL, 'm' },
		{ "json",	no_argument,		NULL, 'j' },
		{ "html",	required_argument,	NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int ch, since = 0, rc = 0;

	memset(a, 0, sizeof(*a));
	a->top = 10;
	a->min_orders = 4;
	a->period.until = insight_day_today();
	while (rc == 0 && (ch = getopt_long(argc, argv, "", opts,
	    NULL)) != -1) {
		switch (ch) {
		case 's':
			rc = report_day("--since", optarg, &a->period.since);
			since = 1;
			break;
		case 'u':
			rc = report_day("--until", optarg, &a->period.until);
			break;
		case 't':
			rc = report_count("--top", optarg, 1, &a->top);
			break;
		case 'm':
			rc = report_count("--min-orders", optarg, 2,
			    &a->min_orders);
			break;
		case 'j':
			a->json = 1;
			break;
		case 'h':
			a->html = optarg;
			break;
		default:
			return cli_usage(&cmd_report);
		}
	}
	if (rc != 0)
		return EX_USAGE;
	if (optind < argc)
		a->what = argv[optind++];
	if (a->what != NULL && strcmp(a->what, "customer") == 0 &&
	    optind < argc)
		a->id = argv[optind++];
	if (optind != argc || (a->what != NULL &&
	    strcmp(a->what, "due") != 0 && (strcmp(a->what, "customer") != 0 ||
	    a->id == NULL)))
		return cli_usage(&cmd_report);
	if (!since)	/* 12 whole weeks, today's included */
		a->period.since = a->period.until - 7 * REPORT_WEEKS_DEFAULT + 1;
	if (a->period.since > a->period.until) {
		fprintf(stderr, "mailorder: --since is after --until\n");
		return EX_USAGE;
	}
	return EX_OK;
}

static int
report_shop(struct store *st, const struct report_args *a, struct buf *b,
    struct err *err)
{
	struct insight_shop s;
	int rc;

	if ((rc = insight_shop_load(st, &a->period, a->top, &s, err)) == 0)
		(a->html ? insight_shop_html : a->json ?
		    insight_shop_json : insight_shop_text)(&s, b);
	insight_shop_release(&s);
	return rc;
}

/* 1 done, 0 no such customer (said on stderr), -1 err. */
static int
report_customer(struct store *st, const struct report_args *a,
    struct buf *b, struct err *err)
{
	struct insight_customer c;
	char id[STORE_CUSTOMER_ID_MAX];
	int rc;

	memset(&c, 0, sizeof(c));
	if ((rc = store_customer_lookup(st, a->id, id, sizeof(id), err)) == 1)
		rc = insight_customer_load(st, id, a->period.until, a->top, &c,
		    err);
	if (rc == 1)
		(a->html ? insight_customer_html : a->json ?
		    insight_customer_json : insight_customer_text)(&c, b);
	else if (rc == 0)
		fprintf(stderr, "mailorder: no customer '%s'\n", a->id);
	insight_customer_release(&c);
	return rc;
}

static int
report_due(struct store *st, const struct report_args *a, struct buf *b,
    struct err *err)
{
	struct insight_due_list l;
	int rc;

	if ((rc = insight_due_load(st, a->period.until, a->min_orders, &l,
	    err)) == 0)
		(a->html ? insight_due_html : a->json ?
		    insight_due_json : insight_due_text)(&l, b);
	insight_due_release(&l);
	return rc;
}

static int
report_print(const struct buf *b)
{
	fputs(buf_str(b), stdout);
	return fflush(stdout) == 0 ? EX_OK : EX_IOERR;
}

/* The page goes to FILE whole: a temporary file beside it, renamed. */
static int
report_write(const char *path, const struct buf *b)
{
	char tmp[4096];
	FILE *fp;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp) ||
	    (fp = fopen(tmp, "w")) == NULL) {
		fprintf(stderr, "mailorder: cannot write '%s': %s\n", tmp,
		    strerror(errno));
		return EX_CANTCREAT;
	}
	if (fwrite(b->data, 1, b->len, fp) != b->len || fclose(fp) != 0 ||
	    rename(tmp, path) == -1) {
		fprintf(stderr, "mailorder: cannot write '%s': %s\n", path,
		    strerror(errno));
		unlink(tmp);
		return EX_CANTCREAT;
	}
	printf("wrote %s\n", path);
	return EX_OK;
}

static int
cmd_report_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	struct report_args a;
	struct store *st;
	struct err err;
	struct buf b;
	int rc, status;

	if ((status = report_parse(argc, argv, &a)) != EX_OK)
		return status;
	if ((st = cli_store_read(ctx, &status)) == NULL)
		return status;
	err_clear(&err);
	buf_init(&b, BUF_NOLIMIT);
	if (a.what == NULL)
		rc = report_shop(st, &a, &b, &err);
	else if (strcmp(a.what, "due") == 0)
		rc = report_due(st, &a, &b, &err);
	else if ((rc = report_customer(st, &a, &b, &err)) == 0) {
		buf_release(&b);
		return EX_DATAERR;
	}
	if (rc == -1) {
		buf_release(&b);
		return cli_fail(&err);
	}
	status = a.html ? report_write(a.html, &b) : report_print(&b);
	buf_release(&b);
	return status;
}

const struct cli_command cmd_report = {
	.name = "report",
	.args = "[customer ID | due] [--since DATE] [--until DATE] [--top N] "
	    "[--min-orders N] [--json | --html FILE]",
	.summary = "what the shop sold and how orders were handled",
	.help = "Without a subject: the shop over a period (default the last\n"
	    "12 weeks up to today, UTC): orders from mail per week, the\n"
	    "touchless rate (accepted with no operator action but shipping),\n"
	    "flags by code, median and p90 time from the mail's arrival to\n"
	    "the confirmation leaving, operator actions per day, and the top\n"
	    "--top N (10) products and customers by orders, with each top\n"
	    "customer's product mix (shares of their lines).\n"
	    "customer ID: one customer's profile as of --until (today): first\n"
	    "and last order, rhythm (median days between order days) and\n"
	    "when the next order is due, the top --top N products with their\n"
	    "usual quantity and share of orders, what they stopped buying and\n"
	    "what is new (the last 91 days), this quarter against the last,\n"
	    "and their recent orders.\n"
	    "due: customers with sales on at least --min-orders N (4) days\n"
	    "whose last order is more than 1.5 times their median gap ago.\n"
	    "--json prints the same as one JSON object; --html FILE writes\n"
	    "it as one self-contained page with inline SVG charts (orders\n"
	    "per week, touchless rate, operator actions, a customer's\n"
	    "product mix), readable offline and printable.\n",
	.exec = cmd_report_exec,
};

/*
 * mailorder export [--format csv|json|ubl] [--since DATE] [--until DATE]
 *     [--status S,...] [--out DIR] [--new]
 *
 * Argument parsing and printing only: the formats and the --new cursor
 * are export/'s.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "config/conf.h"
#include "export/export.h"
#include "insight/day.h"
#include "store/query.h"

#define EXPORT_STATUSES_MAX 8

static int
export_date(const char *opt, const char *s)
{
	long day;

	if (insight_day_parse(s, &day) == -1 || strlen(s) != 10) {
		fprintf(stderr, "mailorder: %s '%s' is not a date "
		    "(YYYY-MM-DD)\n", opt, s);
		return -1;
	}
	return 0;
}

/* "accepted,shipped" into v (pointing into s, which is modified). */
static int
export_statuses(char *s, const char *v[EXPORT_STATUSES_MAX + 1])
{
	char *tok, *save = NULL;
	size_t n = 0, i;

	for (tok = strtok_r(s, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; store_order_statuses[i] != NULL; i++)
			if (strcmp(tok, store_order_statuses[i]) == 0)
				break;
		if (store_order_statuses[i] == NULL || n ==
		    EXPORT_STATUSES_MAX) {
			fprintf(stderr, "mailorder: --status '%s' is not a "
			    "status (accepted, flagged, ignored, rejected, "
			    "shipped)\n", tok);
			return -1;
		}
		v[n++] = store_order_statuses[i];
	}
	v[n] = NULL;
	return n > 0 ? 0 : -1;
}

static int
export_parse(int argc, char **argv, struct export_opts *o,
    const char *statuses[EXPORT_STATUSES_MAX + 1])
{
	static const struct option opts[] = {
		{ "format",	required_argument,	NULL, 'f' },
		{ "since",	required_argument,	NULL, 's' },
		{ "until",	required_argument,	NULL, 'u' },
		{ "status",	required_argument,	NULL, 'S' },
		{ "out",	required_argument,	NULL, 'o' },
		{ "new",	no_argument,		NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (export_format_parse(optarg, &o->format) == -1) {
				fprintf(stderr, "mailorder: --format '%s' is "
				    "not csv, json or ubl\n", optarg);
				return EX_USAGE;
			}
			break;
		case 's':
		case 'u':
			if (export_date(ch == 's' ? "--since" : "--until",
			    optarg) == -1)
				return EX_USAGE;
			*(ch == 's' ? &o->since : &o->until) = optarg;
			break;
		case 'S':
			if (export_statuses(optarg, statuses) == -1)
				return EX_USAGE;
			o->statuses = statuses;
			break;
		case 'o':
			o->out = optarg;
			break;
		case 'n':
			o->new_only = 1;
			break;
		default:
			return cli_usage(&cmd_export);
		}
	}
	return optind == argc ? EX_OK : cli_usage(&cmd_export);
}

static int
cmd_export_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	static const char *const sold[] = { "accepted", "shipped", NULL };
	const char *statuses[EXPORT_STATUSES_MAX + 1];
	struct export_opts o;
	struct export_result res;
	struct store *st;
	struct err err;
	int status;

	memset(&o, 0, sizeof(o));
	o.statuses = sold;
	if ((status = export_parse(argc, argv, &o, statuses)) != EX_OK)
		return status;
	o.seller_name = ctx->conf->smtp.from_name;
	o.seller_email = ctx->conf->smtp.from;
	/* --new moves the cursor: it writes to the store. */
	st = o.new_only ? cli_store(ctx, &status) :
	    cli_store_read(ctx, &status);
	if (st == NULL)
		return status;
	err_clear(&err);
	if (export_run(st, &o, stdout, &res, &err) == -1) {
		fflush(stdout);
		return err.cls == ERR_MSG ? (fprintf(stderr, "mailorder: %s\n",
		    err.msg), EX_CANTCREAT) : cli_fail(&err);
	}
	if (res.recovered > 0)
		printf("wrote %zu file%s of an unfinished earlier export\n",
		    res.recovered, res.recovered == 1 ? "" : "s");
	if (o.out != NULL && res.files > 0)
		printf("exported %zu order%s into %s%s\n", res.orders,
		    res.orders == 1 ? "" : "s", res.first, res.files > 1 ?
		    " and the files beside it" : "");
	else if (o.out != NULL)
		printf("nothing new to export\n");
	return fflush(stdout) == 0 ? EX_OK : EX_IOERR;
}

const struct cli_command cmd_export = {
	.name = "export",
	.args = "[--format csv|json|ubl] [--since DATE] [--until DATE] "
	    "[--status S,...] [--out DIR] [--new]",
	.summary = "write orders out for finance and ERP software",
	.help = "Orders from mail, by default accepted and shipped ones, whose\n"
	    "order date is within --since and --until.\n"
	    "csv (the default): one row per order line, with the columns\n"
	    "  order_ref, received_at, customer_id, customer_name, po_number,\n"
	    "  requested_date, line_no, sku, product_name, quantity, unit,\n"
	    "  status, carrier, tracking.\n"
	    "json: JSON Lines, one order per line as `show --json` prints it.\n"
	    "ubl: one OASIS UBL 2.1 Order document per order (needs --out).\n"
	    "--out DIR writes files into DIR instead of standard output.\n"
	    "--new exports only orders, and later versions of orders, that no\n"
	    "earlier --new run of the same format exported; it needs --out.\n"
	    "A run that stopped half-way is finished by the next one.\n",
	.exec = cmd_export_exec,
};

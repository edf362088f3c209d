/*
 * mailorder list [--status S] [--flag CODE] [--customer ID] [--limit N |
 *     --all] [--json]
 *
 * The newest orders that came in by mail (200 unless told), oldest
 * first.  Without --status: every status (flagged, accepted, ignored,
 * ...).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "common/buf.h"
#include "common/json.h"
#include "reply/reply.h"
#include "store/export.h"
#include "store/query.h"

struct list_ctx {
	struct store	*st;
	int		 json;
	int		 n;
	struct err	*err;
};

static int
list_row(void *arg, const struct store_order_row *r)
{
	struct list_ctx *lc = arg;
	char *carrier = NULL, *tracking = NULL, shipped[160] = "", name[64];
	struct buf b;

	lc->n++;
	/* "Where is my order?": a shipped one says how it went. */
	if (strcmp(r->status, "shipped") == 0) {
		if (store_order_shipment(lc->st, r->id, &carrier, &tracking,
		    lc->err) == -1)
			return -1;
		if (carrier != NULL) {
			reply_carrier_name(carrier, name, sizeof(name));
			snprintf(shipped, sizeof(shipped), "%s %s", name,
			    tracking);
		}
	}
	buf_init(&b, BUF_NOLIMIT);
	if (lc->json) {
		buf_addf(&b, "{\"id\":%lld,\"ref\":", (long long)r->id);
		json_add_str(&b, r->ref);
		buf_adds(&b, ",\"status\":");
		json_add_str(&b, r->status);
		buf_adds(&b, ",\"customer\":");
		json_add_str(&b, r->customer_id);
		buf_adds(&b, ",\"from\":");
		json_add_str(&b, r->from_addr);
		buf_adds(&b, ",\"subject\":");
		json_add_str(&b, r->subject);
		buf_adds(&b, ",\"received\":");
		json_add_str(&b, r->created_at);
		buf_adds(&b, ",\"flags\":");
		json_add_str(&b, r->flag_codes ? r->flag_codes : "");
		buf_adds(&b, ",\"carrier\":");
		json_add_str(&b, carrier);
		buf_adds(&b, ",\"tracking\":");
		json_add_str(&b, tracking);
		buf_addf(&b, ",\"lines\":%d,\"version\":%d}\n", r->nlines,
		    r->version);
	} else {
		buf_addf(&b, "%-7s %-16.16s %-8s %-10.10s %-28.28s %2d  %s\n",
		    r->ref, r->created_at ? r->created_at : "", r->status,
		    r->customer_id ? r->customer_id : "?",
		    r->flag_codes ? r->flag_codes : shipped, r->nlines,
		    r->subject ? r->subject : "");
	}
	fputs(buf_str(&b), stdout);
	buf_release(&b);
	free(carrier);
	free(tracking);
	return 0;
}

/* A status nothing can have lists nothing, silently: say so instead. */
static int
list_status_check(const char *status)
{
	struct buf b;
	size_t i;

	for (i = 0; store_order_statuses[i] != NULL; i++)
		if (strcasecmp(status, store_order_statuses[i]) == 0)
			return 0;
	buf_init(&b, BUF_NOLIMIT);
	for (i = 0; store_order_statuses[i] != NULL; i++)
		buf_addf(&b, "%s%s", i ? ", " : "", store_order_statuses[i]);
	fprintf(stderr, "mailorder: unknown status '%s' (%s)\n", status,
	    buf_str(&b));
	buf_release(&b);
	return -1;
}

#define LIST_LIMIT	200	/* a year of a busy shop is 500,000 orders */
#define LIST_LIMIT_MAX	100000000

static int
list_limit_check(const char *arg)
{
	int v;

	if (cli_number(arg, LIST_LIMIT_MAX, &v) == -1) {
		fprintf(stderr, "mailorder: '%s' is not a number of orders\n",
		    arg);
		return -1;
	}
	return 0;
}

static int
cmd_list_exec(struct cli_run *run)
{
	struct store_order_filter f;
	struct list_ctx lc;
	struct err err;

	memset(&f, 0, sizeof(f));
	memset(&lc, 0, sizeof(lc));
	lc.st = run->store;
	lc.err = &err;
	f.status = cli_opt_get(run, 's');
	f.flag = cli_opt_get(run, 'f');
	f.customer = cli_opt_get(run, 'c');
	lc.json = cli_opt_has(run, 'j');
	f.limit = LIST_LIMIT;
	if (cli_opt_has(run, 'n'))
		f.limit = strtol(cli_opt_get(run, 'n'), NULL, 10);
	if (cli_opt_has(run, 'a'))
		f.limit = 0;
	if (!lc.json)
		printf("%-7s %-16s %-8s %-10s %-28s %2s  %s\n", "ORDER",
		    "RECEIVED", "STATUS", "CUSTOMER", "FLAGS / SHIPPED", "LN",
		    "SUBJECT");
	err_clear(&err);
	if (store_orders_foreach(run->store, &f, list_row, &lc, &err) == -1)
		return cli_fail(&err);
	/* On standard error, so that a pipe reads only the orders. */
	if (f.limit > 0 && lc.n == f.limit)
		fprintf(stderr, "mailorder: the newest %ld orders shown; "
		    "--limit N or --all for more\n", f.limit);
	return EX_OK;
}

const struct cli_command cmd_list = {
	.name = "list",
	.nmin = 0,
	.nmax = 0,
	.store = CLI_STORE_READ,
	.opts = {
		{ 's', "status", "S", "only orders with this status", 0,
		    list_status_check },
		{ 'f', "flag", "CODE", "only orders with this open flag", 0,
		    NULL },
		{ 'c', "customer", "ID", "only this customer's orders", 0,
		    NULL },
		{ 'n', "limit", "N", "the newest N orders (200)", 0,
		    list_limit_check },
		{ 'a', "all", NULL, "every order, however many", 0, NULL },
		{ 'j', "json", NULL, "one JSON object per order", 0, NULL },
	},
	.summary = "list the orders that came in by mail",
	.help = "The newest 200 orders (--limit N, --all), complaints\n"
	    "waiting for a person first, then oldest first.\n"
	    "--status accepted|flagged|ignored|... keeps one status, --flag\n"
	    "CODE the orders with that open flag\n"
	    "(history_reference, unknown_product, unusual_quantity,\n"
	    "unknown_sender, no_items, unreadable), --customer one customer.\n"
	    "--json prints one object per order, one per line.\n",
	.exec = cmd_list_exec,
};

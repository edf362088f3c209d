/*
 * mailorder show ORDER [--json]
 *
 * One order as the operator needs it: who, what the engine read, the
 * lines, every flag with its candidate products, the whole conversation
 * (the customer's mail and answers, our replies, with times) and the
 * lines the answers offer.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "config/conf.h"
#include "common/buf.h"
#include "common/json.h"
#include "common/qty.h"
#include "export/export.h"
#include "reply/reply.h"
#include "store/export.h"
#include "store/query.h"
#include "store/thread.h"

struct show_ctx {
	struct buf	b;
	int		json;
	int		nlines, nflags, ncands, nthread, noffered;
	long		undo_seconds;	/* [reply]: a person's reply waits */
	time_t		now;
};

/* Seconds until a queued reply a person triggered leaves (its undo
 * window), 0 when it may leave now or is no such reply. */
static long
show_leaves_in(const struct show_ctx *sc, const struct store_thread_item *it)
{
	time_t at = store_thread_leaves_at(it, sc->undo_seconds);

	return at > sc->now ? (long)(at - sc->now) : 0;
}

static int
show_head(void *arg, const struct store_order_row *r)
{
	struct show_ctx *sc = arg;
	struct buf *b = &sc->b;

	if (sc->json) {
		buf_addf(b, "{\"id\":%lld,\"ref\":", (long long)r->id);
		json_add_str(b, r->ref);
		buf_adds(b, ",\"status\":");
		json_add_str(b, r->status);
		buf_adds(b, ",\"customer\":");
		json_add_str(b, r->customer_id);
		buf_adds(b, ",\"from\":");
		json_add_str(b, r->from_addr);
		buf_adds(b, ",\"subject\":");
		json_add_str(b, r->subject);
		buf_adds(b, ",\"po_number\":");
		json_add_str(b, r->po_number);
		buf_adds(b, ",\"requested_date\":");
		json_add_str(b, r->requested_date);
		buf_addf(b, ",\"version\":%d", r->version);
		return 0;
	}
	buf_addf(b, "Order:    %s (%s)\n", r->ref, r->status);
	buf_addf(b, "Customer: %s%s%s%s\n", r->customer_id ? r->customer_id :
	    "(unknown sender)", r->customer_name ? " (" : "",
	    r->customer_name ? r->customer_name : "",
	    r->customer_name ? ")" : "");
	buf_addf(b, "From:     %s\n", r->from_addr ? r->from_addr : "");
	buf_addf(b, "Subject:  %s\n", r->subject ? r->subject : "");
	buf_addf(b, "Received: %s\n", r->created_at ? r->created_at : "");
	if (r->po_number != NULL)
		buf_addf(b, "PO:       %s\n", r->po_number);
	if (r->requested_date != NULL)
		buf_addf(b, "Deliver:  %s\n", r->requested_date);
	return 0;
}

static int
show_line(void *arg, int no, const char *sku, const char *name, double qty,
    const char *unit, const char *text, const char *rule)
{
	struct show_ctx *sc = arg;
	struct buf *b = &sc->b;
	char q[QTY_FMT_MAX];

	qty_format(qty, q);
	if (sc->json) {
		buf_adds(b, sc->nlines++ ? ",{\"sku\":" : ",\"lines\":[{\"sku\":");
		json_add_str(b, sku);
		buf_addf(b, ",\"quantity\":%s,\"unit\":", q);
		json_add_str(b, unit);
		buf_adds(b, ",\"text\":");
		json_add_str(b, text);
		buf_adds(b, ",\"rule\":");
		json_add_str(b, rule);
		buf_addc(b, '}');
		return 0;
	}
	if (sc->nlines++ == 0)
		buf_adds(b, "Lines:\n");
	buf_addf(b, "  %2d. %5s %-8s %-14s %s\n", no, q, unit ? unit : "",
	    sku ? sku : "?", name ? name : "(no product)");
	/* The customer's words; a line a person added has none. */
	if (text != NULL && *text != '\0')
		buf_addf(b, "        \"%s\"\n", text);
	return 0;
}

static int
show_flag(void *arg, const char *code, const char *text, int line_no,
    int resolved)
{
	struct show_ctx *sc = arg;
	struct buf *b = &sc->b;

	if (sc->json) {
		if (sc->nflags > 0)
			buf_adds(b, "]}");	/* the previous flag's candidates */
		buf_adds(b, sc->nflags++ ? ",{\"code\":" :
		    ",\"flags\":[{\"code\":");
		json_add_str(b, code);
		buf_adds(b, ",\"text\":");
		json_add_str(b, text);
		if (line_no > 0)
			buf_addf(b, ",\"line\":%d", line_no);
		else
			buf_adds(b, ",\"line\":null");
		buf_addf(b, ",\"resolved\":%s,\"candidates\":[",
		    resolved ? "true" : "false");
		sc->ncands = 0;
		return 0;
	}
	if (sc->nflags++ == 0)
		buf_adds(b, "Flags:\n");
	buf_addf(b, "  ! %s%s: %s\n", code, resolved ? " (resolved)" : "",
	    text ? text : "");
	return 0;
}

static int
show_cand(void *arg, const char *code, int rank, const char *sku,
    const char *name, double score)
{
	struct show_ctx *sc = arg;
	struct buf *b = &sc->b;

	if (sc->json) {
		if (sc->ncands++ > 0)
			buf_addc(b, ',');
		json_add_str(b, sku);
		return 0;
	}
	buf_addf(b, "      %d) %-14s %s\n", rank, sku, name ? name : "");
	return 0;
}

/* An answer's text, indented under its line in the conversation. */
static void
show_quote(struct buf *b, const char *text)
{
	const char *p, *nl;

	for (p = text; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		buf_addf(b, "      |%s%.*s\n", (nl ? nl == p : *p == '\0') ?
		    "" : " ", (int)(nl ? nl - p : (long)strlen(p)), p);
		if (nl == NULL)
			break;
	}
}

static int
show_thread(void *arg, const struct store_thread_item *it)
{
	struct show_ctx *sc = arg;
	struct buf *b = &sc->b;

	if (sc->json) {
		buf_adds(b, sc->nthread++ ? ",{\"direction\":" :
		    ",\"thread\":[{\"direction\":");
		json_add_str(b, it->out ? "out" : "in");
		buf_adds(b, ",\"at\":");
		json_add_str(b, it->at);
		buf_adds(b, it->out ? ",\"to\":" : ",\"from\":");
		json_add_str(b, it->who);
		buf_adds(b, it->out ? ",\"kind\":" : ",\"subject\":");
		json_add_str(b, it->what);
		if (it->out) {
			buf_adds(b, ",\"state\":");
			json_add_str(b, it->state);
			buf_addf(b, ",\"leaves_in\":%ld", show_leaves_in(sc,
			    it));
		} else {
			buf_addf(b, ",\"answer\":%s", it->first ? "false" :
			    "true");
			buf_adds(b, ",\"text\":");
			json_add_str(b, it->text);
		}
		buf_adds(b, ",\"message_id\":");
		json_add_str(b, it->message_id);
		buf_addc(b, '}');
		return 0;
	}
	if (sc->nthread++ == 0)
		buf_adds(b, "Conversation:\n");
	if (it->out && show_leaves_in(sc, it) > 0)
		buf_addf(b, "  %s  out  %s to %s (queued: leaves in %ld s "
		    "unless undone)\n", it->at ? it->at : "",
		    it->what ? it->what : "", it->who ? it->who : "",
		    show_leaves_in(sc, it));
	else if (it->out)
		buf_addf(b, "  %s  out  %s to %s (%s)\n", it->at ? it->at : "",
		    it->what ? it->what : "", it->who ? it->who : "",
		    it->state ? it->state : "");
	else
		buf_addf(b, "  %s  in   %s from %s: %s\n", it->at ? it->at : "",
		    it->first ? "mail" : "answer", it->who ? it->who : "",
		    it->what ? it->what : "");
	if (!it->out && !it->first && it->text != NULL)
		show_quote(b, it->text);
	return 0;
}

static int
show_offered(void *arg, const char *message_id, const char *at, int no,
    const char *sku, const char *name, double qty, const char *unit,
    const char *text)
{
	struct show_ctx *sc = arg;
	struct buf *b = &sc->b;
	char q[QTY_FMT_MAX];

	qty_format(qty, q);
	if (sc->json) {
		buf_adds(b, sc->noffered++ ? ",{\"message_id\":" :
		    ",\"offered\":[{\"message_id\":");
		json_add_str(b, message_id);
		buf_adds(b, ",\"at\":");
		json_add_str(b, at);
		buf_addf(b, ",\"line\":%d,\"sku\":", no);
		json_add_str(b, sku);
		buf_addf(b, ",\"quantity\":%s,\"unit\":", q);
		json_add_str(b, unit);
		buf_adds(b, ",\"text\":");
		json_add_str(b, text);
		buf_addc(b, '}');
		return 0;
	}
	if (sc->noffered++ == 0)
		buf_adds(b, "Offered by the customer's answers (not applied):\n");
	buf_addf(b, "  %s %5s %-8s %-14s %s\n        \"%s\"\n", at ? at : "",
	    q, unit ? unit : "", sku ? sku : "?", name ? name : "(no product)",
	    text ? text : "");
	return 0;
}

/* Where a shipped order went: "Shipped:  UPS, tracking 1Z999" (JSON:
 * carrier and tracking, null until shipped), so "where is my order?"
 * can be answered from here. */
static int
show_shipment(struct store *st, int64_t id, struct show_ctx *sc,
    struct err *err)
{
	char *carrier, *tracking, name[128];
	int rc;

	if (sc->json)
		return export_json_shipment(st, id, &sc->b, err);
	if ((rc = store_order_shipment(st, id, &carrier, &tracking,
	    err)) == -1)
		return -1;
	if (rc == 1) {
		reply_carrier_name(carrier, name, sizeof(name));
		buf_addf(&sc->b, "Shipped:  %s, tracking %s\n", name, tracking);
	}
	free(carrier);
	free(tracking);
	return 0;
}

/* The conversation and the offered lines, after the flags. */
static int
show_conversation(struct store *st, int64_t id, struct show_ctx *sc,
    struct err *err)
{
	if (store_thread_foreach(st, id, show_thread, sc, err) == -1)
		return -1;
	if (sc->json)
		buf_adds(&sc->b, sc->nthread ? "]" : ",\"thread\":[]");
	if (store_thread_offered(st, id, show_offered, sc, err) == -1)
		return -1;
	if (sc->json)
		buf_adds(&sc->b, sc->noffered ? "]" : ",\"offered\":[]");
	return 0;
}

static int
cmd_show_exec(struct cli_run *run)
{
	struct show_ctx sc;
	struct store *st = run->store;
	struct err err;
	int64_t id = run->order_id;
	char *text = NULL;
	int found;

	memset(&sc, 0, sizeof(sc));
	sc.json = cli_opt_has(run, 'j');
	sc.undo_seconds = run->ctx->conf->reply.undo_seconds;
	sc.now = time(NULL);
	buf_init(&sc.b, BUF_NOLIMIT);
	err_clear(&err);
	if ((found = store_order_row(st, id, show_head, &sc, &err)) != 1) {
		buf_release(&sc.b);
		if (found == -1)
			return cli_fail(&err);
		fprintf(stderr, "mailorder: no order MO-%lld\n",
		    (long long)id);
		return EX_DATAERR;
	}
	if (show_shipment(st, id, &sc, &err) == -1) {
		buf_release(&sc.b);
		return cli_fail(&err);
	}
	if (store_order_lines(st, id, show_line, &sc, &err) == -1)
		goto fail;
	if (sc.json)	/* close the lines before the flags begin */
		buf_adds(&sc.b, sc.nlines ? "]" : ",\"lines\":[]");
	if (store_order_flags(st, id, show_flag, show_cand, &sc, &err) == -1 ||
	    store_order_text(st, id, &text, &err) == -1)
		goto fail;
	if (sc.json)
		buf_adds(&sc.b, sc.nflags ? "]}]" : ",\"flags\":[]");
	if (show_conversation(st, id, &sc, &err) == -1)
		goto fail;
	if (sc.json) {
		buf_adds(&sc.b, ",\"text\":");
		json_add_str(&sc.b, text);
		buf_adds(&sc.b, "}\n");
	} else if (text != NULL) {
		buf_addf(&sc.b, "Text the engine read:\n%s\n", text);
	}
	fputs(buf_str(&sc.b), stdout);
	buf_release(&sc.b);
	free(text);
	return EX_OK;
fail:
	buf_release(&sc.b);
	free(text);
	return cli_fail(&err);
}

const struct cli_command cmd_show = {
	.name = "show",
	.target = CLI_TARGET_ORDER,
	.store = CLI_STORE_READ,
	.opts = {
		{ 'j', "json", NULL, "one JSON object", 0, NULL },
	},
	.summary = "show one order with its lines, flags, candidates and "
	    "conversation",
	.help = "ORDER is the order number, MO-123 or 123.  Shows the whole\n"
	    "conversation, in and out with times: the customer's mail, our\n"
	    "replies and the customer's answers to them (with their text),\n"
	    "and the lines the answers offer as changes.\n",
	.exec = cmd_show_exec,
};

/*
 * JSON Lines export: one order per line, the object `mailorder show
 * --json` prints less the conversation (thread and offered lines;
 * tests/export.sh compares the two order by order).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/json.h"
#include "common/qty.h"
#include "export/export.h"
#include "store/export.h"
#include "store/query.h"

struct json_ctx {
	struct buf	*b;
	int		 nlines, nflags, ncands;
};

static int
json_head(void *arg, const struct store_order_row *r)
{
	struct buf *b = ((struct json_ctx *)arg)->b;

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

static int
json_line(void *arg, int no, const char *sku, const char *name, double qty,
    const char *unit, const char *text, const char *rule)
{
	struct json_ctx *c = arg;
	char q[QTY_FMT_MAX];

	(void)no;
	(void)name;
	buf_adds(c->b, c->nlines++ ? ",{\"sku\":" : ",\"lines\":[{\"sku\":");
	json_add_str(c->b, sku);
	buf_addf(c->b, ",\"quantity\":%s,\"unit\":", qty_format(qty, q));
	json_add_str(c->b, unit);
	buf_adds(c->b, ",\"text\":");
	json_add_str(c->b, text);
	buf_adds(c->b, ",\"rule\":");
	json_add_str(c->b, rule);
	buf_addc(c->b, '}');
	return 0;
}

static int
json_flag(void *arg, const char *code, const char *text, int line_no,
    int resolved)
{
	struct json_ctx *c = arg;

	if (c->nflags > 0)
		buf_adds(c->b, "]}");	/* the previous flag's candidates */
	buf_adds(c->b, c->nflags++ ? ",{\"code\":" : ",\"flags\":[{\"code\":");
	json_add_str(c->b, code);
	buf_adds(c->b, ",\"text\":");
	json_add_str(c->b, text);
	if (line_no > 0)
		buf_addf(c->b, ",\"line\":%d", line_no);
	else
		buf_adds(c->b, ",\"line\":null");
	buf_addf(c->b, ",\"resolved\":%s,\"candidates\":[",
	    resolved ? "true" : "false");
	c->ncands = 0;
	return 0;
}

static int
json_cand(void *arg, const char *code, int rank, const char *sku,
    const char *name, double score)
{
	struct json_ctx *c = arg;

	(void)code;
	(void)rank;
	(void)name;
	(void)score;
	if (c->ncands++ > 0)
		buf_addc(c->b, ',');
	json_add_str(c->b, sku);
	return 0;
}

int
export_json_shipment(struct store *st, int64_t id, struct buf *b,
    struct err *err)
{
	char *carrier, *tracking;

	if (store_order_shipment(st, id, &carrier, &tracking, err) == -1)
		return -1;
	buf_adds(b, ",\"carrier\":");
	json_add_str(b, carrier);
	buf_adds(b, ",\"tracking\":");
	json_add_str(b, tracking);
	free(carrier);
	free(tracking);
	return 0;
}

int
export_json_order(struct store *st, int64_t id, struct buf *b,
    struct err *err)
{
	struct json_ctx c;
	char *text = NULL;
	int rc;

	memset(&c, 0, sizeof(c));
	c.b = b;
	if ((rc = store_order_row(st, id, json_head, &c, err)) != 1) {
		if (rc == 0)
			err_set(err, ERR_MSG, "no order MO-%lld", (long long)id);
		return -1;
	}
	if (export_json_shipment(st, id, b, err) == -1)
		return -1;
	if (store_order_lines(st, id, json_line, &c, err) == -1)
		return -1;
	buf_adds(b, c.nlines ? "]" : ",\"lines\":[]");
	if (store_order_flags(st, id, json_flag, json_cand, &c, err) == -1 ||
	    store_order_text(st, id, &text, err) == -1)
		return -1;
	buf_adds(b, c.nflags ? "]}]" : ",\"flags\":[]");
	buf_adds(b, ",\"text\":");
	json_add_str(b, text);
	buf_adds(b, "}\n");
	free(text);
	return 0;
}

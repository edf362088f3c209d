/*
 * CSV export: RFC 4180, UTF-8, a header row, one row per order line (an
 * order without lines gets one row with the line columns empty).  The
 * columns are documented in the README and mailorder(1); their order
 * never changes, new ones go at the end.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/qty.h"
#include "export/export.h"
#include "store/export.h"
#include "store/query.h"

static void
csv_field(struct buf *b, const char *s, int last)
{
	if (s != NULL && strpbrk(s, ",\"\r\n") != NULL) {
		buf_addc(b, '"');
		for (; *s != '\0'; s++) {
			if (*s == '"')
				buf_addc(b, '"');
			buf_addc(b, *s);
		}
		buf_addc(b, '"');
	} else if (s != NULL)
		buf_adds(b, s);
	buf_adds(b, last ? "\r\n" : ",");
}

void
export_csv_header(struct buf *b)
{
	buf_adds(b, "order_ref,received_at,customer_id,customer_name,"
	    "po_number,requested_date,line_no,sku,product_name,quantity,unit,"
	    "status,carrier,tracking\r\n");
}

struct csv_ctx {
	struct buf			*b;
	struct store_export_head	 h;	/* strings copied below */
	char				*copy;	/* owns h's strings */
	int				 nlines;
};

/* One row: the order's columns around the line's. */
static void
csv_row(struct csv_ctx *c, const char *no, const char *sku, const char *name,
    const char *qty, const char *unit)
{
	const struct store_export_head *h = &c->h;

	csv_field(c->b, h->ref, 0);
	csv_field(c->b, h->received_at, 0);
	csv_field(c->b, h->customer_id, 0);
	csv_field(c->b, h->customer_name, 0);
	csv_field(c->b, h->po_number, 0);
	csv_field(c->b, h->requested_date, 0);
	csv_field(c->b, no, 0);
	csv_field(c->b, sku, 0);
	csv_field(c->b, name, 0);
	csv_field(c->b, qty, 0);
	csv_field(c->b, unit, 0);
	csv_field(c->b, h->status, 0);
	csv_field(c->b, h->carrier, 0);
	csv_field(c->b, h->tracking, 1);
}

static int
csv_line(void *arg, int no, const char *sku, const char *name, double qty,
    const char *unit, const char *text, const char *rule)
{
	struct csv_ctx *c = arg;
	char n[16], q[QTY_FMT_MAX];

	(void)text;
	(void)rule;
	snprintf(n, sizeof(n), "%d", no);
	csv_row(c, n, sku, name, qty_format(qty, q), unit);
	c->nlines++;
	return 0;
}

/* The head's strings live in the store's statement only during the
 * callback: keep one packed copy. */
static int
csv_head(void *arg, const struct store_export_head *h)
{
	struct csv_ctx *c = arg;
	const char **f[] = { &c->h.ref, &c->h.status, &c->h.received_at,
	    &c->h.order_date, &c->h.customer_id, &c->h.customer_name,
	    &c->h.from_addr, &c->h.subject, &c->h.po_number,
	    &c->h.requested_date, &c->h.carrier, &c->h.tracking };
	struct buf b;
	size_t off[12], i;

	c->h = *h;
	buf_init(&b, BUF_NOLIMIT);
	for (i = 0; i < 12; i++) {
		off[i] = b.len;
		buf_adds(&b, *f[i] != NULL ? *f[i] : "");
		buf_addc(&b, '\0');
	}
	c->copy = buf_detach(&b, NULL);
	for (i = 0; i < 12; i++)
		*f[i] = *f[i] != NULL ? c->copy + off[i] : NULL;
	return 0;
}

int
export_csv_order(struct store *st, int64_t id, struct buf *b,
    struct err *err)
{
	struct csv_ctx c;
	int rc;

	memset(&c, 0, sizeof(c));
	c.b = b;
	if ((rc = store_export_head(st, id, csv_head, &c, err)) != 1) {
		if (rc == 0)
			err_set(err, ERR_MSG, "no order MO-%lld", (long long)id);
		return -1;
	}
	rc = store_order_lines(st, id, csv_line, &c, err);
	if (rc == 0 && c.nlines == 0)
		csv_row(&c, NULL, NULL, NULL, NULL, NULL);
	free(c.copy);
	return rc == -1 ? -1 : 0;
}

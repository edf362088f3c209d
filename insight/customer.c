/*
 * One customer's profile (`mailorder report customer ID`); see
 * insight.h for what each figure means.  A customer's sales are few
 * enough to read whole: one walk of their lines, then everything is
 * counted here.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/qty.h"
#include "common/strmap.h"
#include "common/xmalloc.h"
#include "insight/insight.h"
#include "insight/stats.h"
#include "store/report.h"

/* A product while the lines are read: the quantity on each order. */
struct cust_product {
	struct insight_product	 p;
	double			*qty;		/* per order, in order */
	size_t			 nqty;
	int64_t			 last_order;
	int64_t			 before, within;	/* orders before/in the window */
};

struct cust_walk {
	struct insight_customer	*c;
	struct insight_order	*orders;
	size_t			 norders;
	struct buf		 items;		/* of the order being read */
	int64_t			 order_id;
	long			 prev_day;	/* -1: none yet */
	double			*gaps;
	struct strmap		*products;
	struct cust_product	**pv;		/* the map's values, in order */
	size_t			 npv;
};

static void
cust_order_end(struct cust_walk *w)
{
	if (w->norders > 0)
		w->orders[w->norders - 1].items = buf_detach(&w->items, NULL);
}

static void
cust_order_start(struct cust_walk *w, const struct store_report_line *r,
    long day)
{
	struct insight_customer *c = w->c;
	struct insight_order *o;

	cust_order_end(w);
	w->orders = xreallocarray(w->orders, w->norders + 1,
	    sizeof(*w->orders));
	o = &w->orders[w->norders++];
	o->ref = xstrdup(r->ref);
	o->status = xstrdup(r->status);
	o->items = NULL;
	o->day = day;
	w->order_id = r->order_id;
	c->orders++;
	if (c->first == -1)
		c->first = day;
	c->last = day;
	if (w->prev_day != -1 && day != w->prev_day) {
		w->gaps = xreallocarray(w->gaps, c->ngaps + 1,
		    sizeof(*w->gaps));
		w->gaps[c->ngaps++] = (double)(day - w->prev_day);
	}
	w->prev_day = day;
	if (day >= c->q_this)
		c->q_this_orders++;
	else if (day >= c->q_last)
		c->q_last_orders++;
}

static void
cust_product_line(struct cust_walk *w, const struct store_report_line *r,
    long day)
{
	struct cust_product *p;

	if ((p = strmap_get(w->products, r->sku)) == NULL) {
		p = xcalloc(1, sizeof(*p));
		p->p.sku = xstrdup(r->sku);
		p->p.name = r->name ? xstrdup(r->name) : NULL;
		p->p.first = day;
		strmap_put(w->products, r->sku, p);
		w->pv = xreallocarray(w->pv, w->npv + 1, sizeof(*w->pv));
		w->pv[w->npv++] = p;
	}
	free(p->p.unit);	/* the unit as last written */
	p->p.unit = r->unit ? xstrdup(r->unit) : NULL;
	p->p.last = day;
	if (p->last_order != r->order_id) {
		p->qty = xreallocarray(p->qty, p->nqty + 1, sizeof(*p->qty));
		p->qty[p->nqty++] = 0;
		p->p.orders++;
		if (day >= w->c->window)
			p->within++;
		else
			p->before++;
	}
	p->qty[p->nqty - 1] += r->quantity;
	p->last_order = r->order_id;
}

static int
cust_line(void *arg, const struct store_report_line *r)
{
	struct cust_walk *w = arg;
	char q[QTY_FMT_MAX];
	long day;

	if (insight_day_parse(r->date, &day) == -1 || day > w->c->asof)
		return 0;
	if (w->norders == 0 || r->order_id != w->order_id)
		cust_order_start(w, r, day);
	if (r->sku == NULL)
		return 0;
	if (day >= w->c->q_this)
		w->c->q_this_lines++;
	else if (day >= w->c->q_last)
		w->c->q_last_lines++;
	buf_addf(&w->items, "%s%s %s", w->items.len ? ", " : "",
	    qty_format(r->quantity, q), r->sku);
	cust_product_line(w, r, day);
	return 0;
}

static int
cust_product_cmp(const void *a, const void *b)
{
	const struct insight_product *x = a, *y = b;

	if (x->orders != y->orders)
		return x->orders < y->orders ? 1 : -1;
	return strcmp(x->sku, y->sku);
}

static void
cust_skus_add(char ***v, size_t *n, const char *sku)
{
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = xstrdup(sku);
}

static int
cust_sku_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Products ranked, with their quantities; stopped and new; frees the
 * walk's products. */
static void
cust_products(struct cust_walk *w, int top)
{
	struct insight_customer *c = w->c;
	size_t i;

	c->products = xcalloc(w->npv + 1, sizeof(*c->products));
	for (i = 0; i < w->npv; i++) {
		struct cust_product *p = w->pv[i];

		insight_sort(p->qty, p->nqty);
		p->p.median = insight_median(p->qty, p->nqty);
		p->p.min = p->qty[0];
		p->p.max = p->qty[p->nqty - 1];
		p->p.share = (double)p->p.orders / (double)c->orders;
		if (p->before >= 2 && p->within == 0)
			cust_skus_add(&c->stopped, &c->nstopped, p->p.sku);
		if (p->before == 0 && c->first < c->window)
			cust_skus_add(&c->fresh, &c->nfresh, p->p.sku);
		c->products[c->nproducts++] = p->p;
		free(p->qty);
		free(p);
	}
	qsort(c->products, c->nproducts, sizeof(*c->products),
	    cust_product_cmp);
	for (i = (size_t)top; i < c->nproducts; i++) {
		free(c->products[i].sku);
		free(c->products[i].name);
		free(c->products[i].unit);
	}
	if (c->nproducts > (size_t)top)
		c->nproducts = (size_t)top;
	if (c->nstopped > 1)
		qsort(c->stopped, c->nstopped, sizeof(char *), cust_sku_cmp);
	if (c->nfresh > 1)
		qsort(c->fresh, c->nfresh, sizeof(char *), cust_sku_cmp);
}

/* Rhythm and the recent orders, newest first; takes the walk's orders. */
static void
cust_rhythm(struct cust_walk *w)
{
	struct insight_customer *c = w->c;
	size_t i, n;

	if (c->ngaps > 0) {
		insight_sort(w->gaps, c->ngaps);
		c->gap_median = insight_median(w->gaps, c->ngaps);
		c->due = c->last + (long)(c->gap_median + 0.5);
	}
	n = w->norders < INSIGHT_RECENT_ORDERS ? w->norders :
	    INSIGHT_RECENT_ORDERS;
	c->recent = xcalloc(n + 1, sizeof(*c->recent));
	for (i = 0; i < w->norders; i++) {
		if (i < n)
			c->recent[c->nrecent++] = w->orders[w->norders - 1 - i];
		else {
			free(w->orders[w->norders - 1 - i].ref);
			free(w->orders[w->norders - 1 - i].status);
			free(w->orders[w->norders - 1 - i].items);
		}
	}
	free(w->orders);
	w->orders = NULL;
}

int
insight_customer_load(struct store *st, const char *id, long asof, int top,
    struct insight_customer *c, struct err *err)
{
	struct cust_walk w;
	int found;

	memset(c, 0, sizeof(*c));
	c->asof = asof;
	c->first = c->last = c->due = -1;
	c->window = asof - INSIGHT_RECENT_DAYS + 1;
	c->q_this = insight_day_quarter(asof);
	c->q_last = insight_day_quarter_before(asof);
	if ((found = store_report_customer_name(st, id, &c->name, err)) != 1)
		return found;
	c->id = xstrdup(id);
	memset(&w, 0, sizeof(w));
	w.c = c;
	w.prev_day = -1;
	w.products = strmap_new();
	buf_init(&w.items, BUF_NOLIMIT);
	if (store_read_begin(st, err) == -1 ||
	    store_report_customer_lines(st, id, cust_line, &w, err) == -1) {
		store_read_end(st);
		found = -1;
	} else {
		store_read_end(st);
		cust_order_end(&w);
	}
	/* On failure too: the caller releases whatever was counted. */
	cust_products(&w, top);
	cust_rhythm(&w);
	strmap_free(w.products);
	free(w.pv);
	free(w.gaps);
	buf_release(&w.items);
	return found;
}

void
insight_customer_release(struct insight_customer *c)
{
	size_t i;

	for (i = 0; i < c->nproducts; i++) {
		free(c->products[i].sku);
		free(c->products[i].name);
		free(c->products[i].unit);
	}
	free(c->products);
	for (i = 0; i < c->nstopped; i++)
		free(c->stopped[i]);
	free(c->stopped);
	for (i = 0; i < c->nfresh; i++)
		free(c->fresh[i]);
	free(c->fresh);
	for (i = 0; i < c->nrecent; i++) {
		free(c->recent[i].ref);
		free(c->recent[i].status);
		free(c->recent[i].items);
	}
	free(c->recent);
	free(c->id);
	free(c->name);
	memset(c, 0, sizeof(*c));
}

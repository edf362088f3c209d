/*
 * Regular customers whose usual order is overdue (`mailorder report
 * due`); see insight.h.  One walk of every customer's sale days, in
 * (customer, day) order straight from the orders_customer index; each
 * customer is judged when the walk moves past them.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "insight/insight.h"
#include "insight/stats.h"
#include "store/report.h"

struct due_walk {
	struct insight_due_list	*l;
	char			*id;		/* the customer being read */
	long			 last;
	int64_t			 ndays;
	double			*gaps;
	size_t			 ngaps, cap;
};

static void
due_judge(struct due_walk *w)
{
	struct insight_due_list *l = w->l;
	struct insight_due *d;
	double median;

	if (w->id == NULL || w->ndays < l->min_orders)
		return;
	insight_sort(w->gaps, w->ngaps);
	median = insight_median(w->gaps, w->ngaps);
	if ((double)(l->asof - w->last) <= INSIGHT_DUE_FACTOR * median)
		return;
	l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
	d = &l->v[l->n++];
	memset(d, 0, sizeof(*d));
	d->id = xstrdup(w->id);
	d->orders = w->ndays;
	d->gap_median = median;
	d->last = w->last;
	d->due = w->last + (long)(median + 0.5);
	d->since_last = l->asof - w->last;
}

static int
due_day(void *arg, const char *id, const char *date)
{
	struct due_walk *w = arg;
	long day;

	if (insight_day_parse(date, &day) == -1)
		return 0;
	if (w->id == NULL || strcmp(w->id, id) != 0) {
		due_judge(w);
		free(w->id);
		w->id = xstrdup(id);
		w->ndays = 0;
		w->ngaps = 0;
	} else if (day == w->last)
		return 0;	/* a second order on one day */
	else {
		if (w->ngaps == w->cap) {
			w->cap = w->cap ? w->cap * 2 : 64;
			w->gaps = xreallocarray(w->gaps, w->cap,
			    sizeof(*w->gaps));
		}
		w->gaps[w->ngaps++] = (double)(day - w->last);
	}
	w->last = day;
	w->ndays++;
	return 0;
}

/* The most recently due first: those are still to be won back. */
static int
due_cmp(const void *a, const void *b)
{
	const struct insight_due *x = a, *y = b;

	if (x->due != y->due)
		return x->due < y->due ? 1 : -1;
	return strcmp(x->id, y->id);
}

int
insight_due_load(struct store *st, long asof, int min_orders,
    struct insight_due_list *l, struct err *err)
{
	struct due_walk w;
	char until[INSIGHT_DAY_LEN];
	size_t i;
	int rc = 0;

	memset(l, 0, sizeof(*l));
	memset(&w, 0, sizeof(w));
	l->asof = asof;
	l->min_orders = min_orders;
	w.l = l;
	insight_day_format(asof, until);
	if (store_read_begin(st, err) == -1 ||
	    store_report_sale_days(st, until, due_day, &w, err) == -1)
		rc = -1;
	else
		due_judge(&w);
	free(w.id);
	free(w.gaps);
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), due_cmp);
	for (i = 0; rc == 0 && i < l->n; i++)
		if (store_report_customer_name(st, l->v[i].id, &l->v[i].name,
		    err) == -1)
			rc = -1;
	store_read_end(st);
	return rc;
}

void
insight_due_release(struct insight_due_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].id);
		free(l->v[i].name);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

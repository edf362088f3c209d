/*
 * The shop at a glance (`mailorder report`); see insight.h for what the
 * figures mean.  The store walks the period's orders, then the lines,
 * audit rows, flags, confirmations and arrivals of their id range, each
 * in index order; the walks are merged here through an array indexed by
 * order id (and one by message id), which costs 4 bytes per id in the
 * range and is what keeps a year of a busy shop under a second.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/strmap.h"
#include "common/xmalloc.h"
#include "insight/insight.h"
#include "insight/stats.h"
#include "store/catalog.h"
#include "store/report.h"

enum shop_status {
	SHOP_OTHER,		/* ignored, or a status this build does not know */
	SHOP_IMPORTED,
	SHOP_ACCEPTED,
	SHOP_FLAGGED,
	SHOP_REJECTED,
	SHOP_SHIPPED,
};

#define SHOP_MAIL(s)	((s) >= SHOP_ACCEPTED)
#define SHOP_SALE(s)	((s) == SHOP_IMPORTED || (s) == SHOP_ACCEPTED || \
			 (s) == SHOP_SHIPPED)

struct shop_order {
	int64_t		 id, message_id;
	int64_t		 sent;		/* first confirmation sent; 0: none */
	int64_t		 arrived;	/* 0: unknown */
	long		 day;
	unsigned char	 status;
	unsigned char	 touched;
};

/* A counter kept per flag code, SKU or customer. */
struct shop_tally {
	int64_t		 n, m;
	double		 quantity;
	int64_t		 last;		/* the last order counted */
};

struct shop_walk {
	struct insight_shop	*shop;
	struct shop_order	*o;
	size_t			 n, cap;
	int64_t			 lo, hi, mlo, mhi;
	int32_t			*slot;		/* id - lo -> index in o, or -1 */
	int32_t			*mslot;		/* message id - mlo -> index */
	struct strmap		*flags, *products, *customers;
};

static enum shop_status
shop_status(const char *s)
{
	static const struct { const char *name; enum shop_status st; } t[] = {
		{ "imported", SHOP_IMPORTED }, { "accepted", SHOP_ACCEPTED },
		{ "flagged", SHOP_FLAGGED }, { "rejected", SHOP_REJECTED },
		{ "shipped", SHOP_SHIPPED },
	};
	size_t i;

	for (i = 0; s != NULL && i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(s, t[i].name) == 0)
			return t[i].st;
	return SHOP_OTHER;
}

static struct shop_tally *
shop_tally(struct strmap *m, const char *key)
{
	struct shop_tally *t;

	if ((t = strmap_get(m, key)) == NULL) {
		t = xcalloc(1, sizeof(*t));
		strmap_put(m, key, t);
	}
	return t;
}

static int
shop_order(void *arg, const struct store_report_order *r)
{
	struct shop_walk *w = arg;
	struct shop_order *o;
	long day;

	if (insight_day_parse(r->day, &day) == -1)
		return 0;	/* a malformed day is in no period */
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 1024;
		w->o = xreallocarray(w->o, w->cap, sizeof(*w->o));
	}
	o = &w->o[w->n++];
	memset(o, 0, sizeof(*o));
	o->id = r->id;
	o->message_id = r->message_id;
	o->day = day;
	o->status = (unsigned char)shop_status(r->status);
	if (w->n == 1 || o->id < w->lo)
		w->lo = o->id;
	if (w->n == 1 || o->id > w->hi)
		w->hi = o->id;
	if (SHOP_MAIL(o->status) && o->message_id > 0) {
		if (w->mlo == 0 || o->message_id < w->mlo)
			w->mlo = o->message_id;
		if (o->message_id > w->mhi)
			w->mhi = o->message_id;
	}
	if (SHOP_SALE(o->status) && r->customer_id != NULL)
		shop_tally(w->customers, r->customer_id)->n++;
	return 0;
}

/* The order with id, or NULL when it is not in the period. */
static struct shop_order *
shop_find(const struct shop_walk *w, int64_t id)
{
	int32_t i;

	if (id < w->lo || id > w->hi || (i = w->slot[id - w->lo]) < 0)
		return NULL;
	return &w->o[i];
}

static int32_t *
shop_slots(int64_t lo, int64_t hi)
{
	size_t n = (size_t)(hi - lo + 1);
	int32_t *v = xreallocarray(NULL, n, sizeof(*v));

	memset(v, 0xff, n * sizeof(*v));	/* every slot -1 */
	return v;
}

static int
shop_line(void *arg, int64_t id, const char *sku, double qty)
{
	struct shop_walk *w = arg;
	struct shop_order *o = shop_find(w, id);
	struct shop_tally *t;

	if (o == NULL || sku == NULL || !SHOP_SALE(o->status))
		return 0;
	t = shop_tally(w->products, sku);
	if (t->last != id)
		t->n++;
	t->last = id;
	t->quantity += qty;
	return 0;
}

static int
shop_action(void *arg, int64_t id, const char *action)
{
	struct shop_order *o = shop_find(arg, id);

	if (o != NULL && action != NULL && strcmp(action, "ship") != 0)
		o->touched = 1;
	return 0;
}

static int
shop_flag(void *arg, int64_t id, const char *code)
{
	struct shop_walk *w = arg;
	struct shop_order *o = shop_find(w, id);
	struct shop_tally *t;

	if (o == NULL || code == NULL || !SHOP_MAIL(o->status))
		return 0;
	t = shop_tally(w->flags, code);
	t->n++;
	if (t->last != id)
		t->m++;
	t->last = id;
	return 0;
}

static int
shop_sent(void *arg, int64_t id, const char *iso)
{
	struct shop_order *o = shop_find(arg, id);
	long long t;

	/* An order's earliest comes first: keep it. */
	if (o != NULL && o->sent == 0 && insight_time_parse(iso, &t) == 0)
		o->sent = t;
	return 0;
}

static int
shop_arrived(void *arg, int64_t mid, const char *iso)
{
	struct shop_walk *w = arg;
	long long t;
	int32_t i;

	if (mid >= w->mlo && mid <= w->mhi &&
	    (i = w->mslot[mid - w->mlo]) >= 0 &&
	    insight_time_parse(iso, &t) == 0)
		w->o[i].arrived = t;
	return 0;
}

static int
shop_walk_ranges(struct store *st, struct shop_walk *w, struct err *err)
{
	size_t i;

	w->slot = shop_slots(w->lo, w->hi);
	for (i = 0; i < w->n; i++)
		w->slot[w->o[i].id - w->lo] = (int32_t)i;
	if (store_report_lines(st, w->lo, w->hi, shop_line, w, err) == -1 ||
	    store_report_order_actions(st, w->lo, w->hi, shop_action, w,
	    err) == -1 ||
	    store_report_order_flags(st, w->lo, w->hi, shop_flag, w,
	    err) == -1 ||
	    store_report_confirmations(st, w->lo, w->hi, shop_sent, w,
	    err) == -1)
		return -1;
	if (w->mhi == 0)
		return 0;
	w->mslot = shop_slots(w->mlo, w->mhi);
	for (i = 0; i < w->n; i++)
		if (SHOP_MAIL(w->o[i].status) && w->o[i].message_id > 0)
			w->mslot[w->o[i].message_id - w->mlo] = (int32_t)i;
	return store_report_arrivals(st, w->mlo, w->mhi, shop_arrived, w, err);
}

/* Orders per week, touchless, and the confirmation times. */
static void
shop_count(struct shop_walk *w)
{
	struct insight_shop *s = w->shop;
	long first = insight_day_monday(s->period.since);
	double *lat = xreallocarray(NULL, w->n + 1, sizeof(*lat));
	struct insight_week *wk;
	size_t i, nlat = 0;

	s->nweeks = (size_t)((insight_day_monday(s->period.until) - first) /
	    7 + 1);
	s->weeks = xcalloc(s->nweeks, sizeof(*s->weeks));
	for (i = 0; i < s->nweeks; i++)
		s->weeks[i].monday = first + 7 * (long)i;
	for (i = 0; i < w->n; i++) {
		const struct shop_order *o = &w->o[i];

		wk = &s->weeks[(o->day - first) / 7];
		if (o->status == SHOP_IMPORTED) {
			wk->imported++;
			s->imported++;
		}
		if (SHOP_SALE(o->status))
			s->sales++;
		if (!SHOP_MAIL(o->status))
			continue;
		wk->orders++;
		s->orders++;
		if (SHOP_SALE(o->status) && !o->touched) {
			wk->touchless++;
			s->touchless++;
		}
		if (o->sent > 0 && o->arrived > 0)
			lat[nlat++] = (double)(o->sent - o->arrived);
	}
	/* Selection, not a sort: a year of a busy shop has 400,000
	 * times and sorting them was a twentieth of the report. */
	s->nconfirmed = nlat;
	if (nlat > 0) {
		s->confirm_median = insight_median_select(lat, nlat);
		s->confirm_p90 = insight_percentile_select(lat, nlat, 90);
	}
	free(lat);
}

struct shop_rank_list {
	struct insight_rank	*v;
	size_t			 n;
};

static void
shop_rank_add(const char *key, void *value, void *arg)
{
	struct shop_rank_list *l = arg;
	struct shop_tally *t = value;
	struct insight_rank *r = &l->v[l->n++];

	memset(r, 0, sizeof(*r));
	r->key = xstrdup(key);
	r->n = t->n;
	r->m = t->m;
	r->quantity = t->quantity;
	free(t);
}

/* Flags: on most orders, then most flags raised, then by code. */
static int
shop_flag_cmp(const void *a, const void *b)
{
	const struct insight_rank *x = a, *y = b;

	if (x->m != y->m)
		return x->m < y->m ? 1 : -1;
	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return strcmp(x->key, y->key);
}

/* Products and customers: on most orders, then the larger quantity
 * (customers have none), then by key. */
static int
shop_sale_cmp(const void *a, const void *b)
{
	const struct insight_rank *x = a, *y = b;

	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	if (x->quantity != y->quantity)
		return x->quantity < y->quantity ? 1 : -1;
	return strcmp(x->key, y->key);
}

/* The map's tallies as ranked rows, the first `top` kept (0: all);
 * frees the tallies and the map. */
static struct insight_rank *
shop_ranked(struct strmap *m, int (*cmp)(const void *, const void *),
    size_t top, size_t *n_r)
{
	struct shop_rank_list l;
	size_t i;

	l.v = xcalloc(strmap_count(m) + 1, sizeof(*l.v));
	l.n = 0;
	strmap_foreach(m, shop_rank_add, &l);
	strmap_free(m);
	qsort(l.v, l.n, sizeof(*l.v), cmp);
	if (top > 0 && l.n > top) {
		for (i = top; i < l.n; i++)
			free(l.v[i].key);
		l.n = top;
	}
	*n_r = l.n;
	return l.v;
}

static int
shop_day_action(void *arg, const char *day, const char *action, int64_t n)
{
	struct insight_shop *s = arg;
	struct insight_day_actions *d;
	long dn;

	if (insight_day_parse(day, &dn) == -1)
		return 0;
	if (s->ndays == 0 || s->days[s->ndays - 1].day != dn) {
		s->days = xreallocarray(s->days, s->ndays + 1,
		    sizeof(*s->days));
		d = &s->days[s->ndays++];
		memset(d, 0, sizeof(*d));
		d->day = dn;
	}
	d = &s->days[s->ndays - 1];
	d->actions = xreallocarray(d->actions, d->nactions + 1,
	    sizeof(*d->actions));
	memset(&d->actions[d->nactions], 0, sizeof(*d->actions));
	d->actions[d->nactions].key = xstrdup(action ? action : "");
	d->actions[d->nactions++].n = n;
	d->total += n;
	s->actions += n;
	return 0;
}

static int
shop_names(struct store *st, struct insight_shop *s, struct err *err)
{
	char *unit;
	size_t i;
	int rc;

	for (i = 0; i < s->nproducts; i++) {
		unit = NULL;
		if ((rc = store_product_get(st, s->products[i].key,
		    &s->products[i].name, &unit, err)) == -1)
			return -1;
		free(unit);
	}
	for (i = 0; i < s->ncustomers; i++)
		if (store_report_customer_name(st, s->customers[i].key,
		    &s->customers[i].name, err) == -1)
			return -1;
	return 0;
}

static void
shop_tally_free(const char *key, void *value, void *arg)
{
	(void)key;
	(void)arg;
	free(value);
}

/* After a failure: the maps shop_ranked() did not take. */
static void
shop_map_free(struct strmap *m)
{
	if (m == NULL)
		return;
	strmap_foreach(m, shop_tally_free, NULL);
	strmap_free(m);
}

/* A top customer's lines of the period, by product. */
struct mix_walk {
	const struct insight_period	*p;
	struct strmap			*skus;	/* sku -> int64_t count */
	int64_t				 lines;
};

static int
mix_line(void *arg, const struct store_report_line *r)
{
	struct mix_walk *w = arg;
	int64_t *n;
	long day;

	if (r->sku == NULL || insight_day_parse(r->date, &day) == -1 ||
	    day < w->p->since || day > w->p->until)
		return 0;
	if ((n = strmap_get(w->skus, r->sku)) == NULL) {
		n = xcalloc(1, sizeof(*n));
		strmap_put(w->skus, r->sku, n);
	}
	(*n)++;
	w->lines++;
	return 0;
}

struct mix_pick {
	struct insight_mix	*m;
	const char		*best;
	int64_t			 best_n;
	int64_t			 taken;
};

/* The largest count not taken yet (ties: the smaller SKU). */
static void
mix_best(const char *sku, void *value, void *arg)
{
	struct mix_pick *k = arg;
	int64_t n = *(int64_t *)value;
	size_t i;

	for (i = 0; i < k->m->n; i++)
		if (strcmp(k->m->sku[i], sku) == 0)
			return;
	if (n > k->best_n || (n == k->best_n && k->best != NULL &&
	    strcmp(sku, k->best) < 0)) {
		k->best = sku;
		k->best_n = n;
	}
}

static int
shop_mixes(struct store *st, struct insight_shop *s, struct err *err)
{
	struct mix_walk w;
	struct mix_pick k;
	size_t i;
	int rc = 0;

	s->mixes = xcalloc(s->ncustomers + 1, sizeof(*s->mixes));
	for (i = 0; i < s->ncustomers && rc == 0; i++) {
		memset(&w, 0, sizeof(w));
		w.p = &s->period;
		w.skus = strmap_new();
		rc = store_report_customer_lines(st, s->customers[i].key,
		    mix_line, &w, err);
		memset(&k, 0, sizeof(k));
		k.m = &s->mixes[i];
		k.m->lines = w.lines;
		while (rc == 0 && w.lines > 0 && k.m->n < INSIGHT_MIX_TOP) {
			k.best = NULL;
			k.best_n = 0;
			strmap_foreach(w.skus, mix_best, &k);
			if (k.best == NULL)
				break;
			k.m->sku[k.m->n] = xstrdup(k.best);
			k.m->share[k.m->n++] = (double)k.best_n /
			    (double)w.lines;
			k.taken += k.best_n;
		}
		if (w.lines > 0)
			k.m->other = (double)(w.lines - k.taken) /
			    (double)w.lines;
		shop_map_free(w.skus);
	}
	return rc;
}

int
insight_shop_load(struct store *st, const struct insight_period *p, int top,
    struct insight_shop *s, struct err *err)
{
	struct shop_walk w;
	char since[INSIGHT_DAY_LEN], until[INSIGHT_DAY_LEN];
	int rc = -1;

	memset(s, 0, sizeof(*s));
	memset(&w, 0, sizeof(w));
	s->period = *p;
	w.shop = s;
	w.flags = strmap_new();
	w.products = strmap_new();
	w.customers = strmap_new();
	insight_day_format(p->since, since);
	insight_day_format(p->until, until);
	if (store_read_begin(st, err) == -1)
		goto out;
	if (store_report_orders(st, since, until, shop_order, &w, err) == -1 ||
	    (w.n > 0 && shop_walk_ranges(st, &w, err) == -1) ||
	    store_report_actions(st, since, until, shop_day_action, s,
	    err) == -1)
		goto out;
	shop_count(&w);
	s->flags = shop_ranked(w.flags, shop_flag_cmp, 0, &s->nflags);
	s->products = shop_ranked(w.products, shop_sale_cmp, (size_t)top,
	    &s->nproducts);
	s->customers = shop_ranked(w.customers, shop_sale_cmp, (size_t)top,
	    &s->ncustomers);
	w.flags = w.products = w.customers = NULL;
	if ((rc = shop_names(st, s, err)) == 0)
		rc = shop_mixes(st, s, err);
out:
	store_read_end(st);
	free(w.o);
	free(w.slot);
	free(w.mslot);
	shop_map_free(w.flags);
	shop_map_free(w.products);
	shop_map_free(w.customers);
	return rc;
}

static void
shop_ranks_free(struct insight_rank *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].key);
		free(v[i].name);
	}
	free(v);
}

void
insight_shop_release(struct insight_shop *s)
{
	size_t i, j;

	free(s->weeks);
	shop_ranks_free(s->flags, s->nflags);
	shop_ranks_free(s->products, s->nproducts);
	shop_ranks_free(s->customers, s->ncustomers);
	for (i = 0; i < s->ndays; i++)
		shop_ranks_free(s->days[i].actions, s->days[i].nactions);
	free(s->days);
	for (i = 0; s->mixes != NULL && i < s->ncustomers; i++)
		for (j = 0; j < s->mixes[i].n; j++)
			free(s->mixes[i].sku[j]);
	free(s->mixes);
	memset(s, 0, sizeof(*s));
}

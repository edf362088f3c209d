/*
 * Reading a customer's history for references and quantity checks; see
 * history.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/xmalloc.h"
#include "resolve/catalog.h"
#include "resolve/history.h"
#include "store/history.h"

struct history_load_ctx {
	struct history	*h;
	size_t		 cap;
};

static int
history_add(void *arg, const char *ref, const char *date, const char *sku,
    const char *name, double qty)
{
	struct history_load_ctx *ctx = arg;
	struct history *h = ctx->h;
	struct history_line *l;

	if (h->n == ctx->cap) {
		ctx->cap = ctx->cap ? ctx->cap * 2 : 16;
		h->lines = xreallocarray(h->lines, ctx->cap, sizeof(*h->lines));
	}
	l = &h->lines[h->n++];
	l->order_ref = xstrdup(ref);
	l->date = xstrdup(date);
	l->sku = xstrdup(sku);
	l->quantity = qty;
	return 0;
}

int
history_load(struct store *st, const char *customer_id, int max_orders,
    const struct store_history_cut *cut, struct history *out,
    struct err *err)
{
	struct history_load_ctx ctx = { out, 0 };

	memset(out, 0, sizeof(*out));
	if (customer_id == NULL)
		return 0;
	if (store_history_foreach(st, customer_id, max_orders, cut, history_add,
	    &ctx, err) == -1) {
		history_release(out);
		return -1;
	}
	return 0;
}

void
history_release(struct history *h)
{
	size_t i;

	for (i = 0; i < h->n; i++) {
		free(h->lines[i].order_ref);
		free(h->lines[i].date);
		free(h->lines[i].sku);
	}
	free(h->lines);
	memset(h, 0, sizeof(*h));
}

void
history_add_order(struct history *h, int max_orders, const char *ref,
    const char *date, const char *const *skus, const double *qty, size_t n)
{
	size_t at, i, k, orders;

	/* Newest first; an order of the same date is newer than the ones
	 * already there (its id is higher). */
	for (at = 0; at < h->n && strcmp(h->lines[at].date, date) > 0; at++)
		;
	h->lines = xreallocarray(h->lines, h->n + n + 1, sizeof(*h->lines));
	memmove(&h->lines[at + n], &h->lines[at],
	    (h->n - at) * sizeof(*h->lines));
	for (i = 0; i < n; i++) {
		h->lines[at + i].order_ref = xstrdup(ref);
		h->lines[at + i].date = xstrdup(date);
		h->lines[at + i].sku = xstrdup(skus[i]);
		h->lines[at + i].quantity = qty[i];
	}
	h->n += n;
	if (max_orders <= 0)
		return;
	/* Keep the newest max_orders orders. */
	for (k = 0, orders = 0; k < h->n; k++) {
		if (k == 0 || strcmp(h->lines[k].order_ref,
		    h->lines[k - 1].order_ref) != 0)
			orders++;
		if (orders > (size_t)max_orders)
			break;
	}
	for (i = k; i < h->n; i++) {
		free(h->lines[i].order_ref);
		free(h->lines[i].date);
		free(h->lines[i].sku);
	}
	h->n = k;
}

static const char *const month_names[] = {
	"jan", "feb", "mar", "apr", "may", "jun",
	"jul", "aug", "sep", "oct", "nov", "dec"
};

/* The first day of month m (1-12) of year y as "YYYY-MM-01" into a
 * buffer of at least 16 bytes. */
static void
history_ymd(char *buf, int y, int m)
{
	snprintf(buf, 16, "%04u-%02u-01", (unsigned)y % 10000u,
	    (unsigned)m % 100u);
}

/* Turn a period phrase into a [from, to) range of "YYYY-MM-DD" strings.
 * Returns 0 when the phrase names no period we understand. */
static int
history_period(const char *period, time_t now, char *from, char *to)
{
	struct tm tm, t2;
	int i, month = -1;
	time_t t;

	if (period == NULL || now == 0)
		return 0;
	gmtime_r(&now, &tm);
	for (i = 0; i < 12; i++)
		if (strcasestr(period, month_names[i]) != NULL)
			month = i;
	if (month >= 0) {
		int year = tm.tm_year + 1900 - (month > tm.tm_mon ? 1 : 0);

		history_ymd(from, year, month + 1);
		history_ymd(to, month == 11 ? year + 1 : year,
		    month == 11 ? 1 : month + 2);
		return 1;
	}
	if (strcasestr(period, "last month") != NULL) {
		int m = tm.tm_mon == 0 ? 12 : tm.tm_mon;
		int y = tm.tm_year + 1900 - (tm.tm_mon == 0 ? 1 : 0);

		history_ymd(from, y, m);
		history_ymd(to, tm.tm_year + 1900, tm.tm_mon + 1);
		return 1;
	}
	if (strcasestr(period, "last week") != NULL) {
		t = now - 14 * 86400;
		gmtime_r(&t, &t2);
		strftime(from, 16, "%Y-%m-%d", &t2);
		strftime(to, 16, "%Y-%m-%d", &tm);
		return 1;
	}
	return 0;
}

static int
history_in_period(const struct history_line *l, int have_period,
    const char *from, const char *to)
{
	return !have_period ||
	    (strcmp(l->date, from) >= 0 && strcmp(l->date, to) < 0);
}

static size_t
history_add_candidate(struct history_candidate *out, size_t n, size_t max,
    const struct history_line *l, double score)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(out[i].sku, l->sku) == 0)
			return n;	/* newest occurrence came first */
	if (n == max)
		return n;
	out[n].sku = l->sku;
	out[n].score = score;
	out[n].last_quantity = l->quantity;
	return n + 1;
}

/* Best score first; equal scores keep their newest-first order (an
 * insertion sort is stable, and the lists are a handful long). */
static void
history_sort(struct history_candidate *c, size_t n)
{
	struct history_candidate t;
	size_t i, j;

	for (i = 1; i < n; i++) {
		t = c[i];
		for (j = i; j > 0 && c[j - 1].score < t.score; j--)
			c[j] = c[j - 1];
		c[j] = t;
	}
}

size_t
history_candidates(const struct history *h, struct catalog *cat,
    const char *descriptor, const char *period, time_t now,
    struct history_candidate *out, size_t max)
{
	char from[16], to[16];
	const char *first_ref = NULL;
	int have_period, any = 0;
	size_t i, n = 0;
	double s;

	have_period = history_period(period, now, from, to);
	/* A period that matches no order is ignored rather than emptying
	 * the list: the customer may misremember the month. */
	for (i = 0; have_period && i < h->n; i++)
		any |= history_in_period(&h->lines[i], 1, from, to);
	if (!any)
		have_period = 0;

	for (i = 0; i < h->n; i++) {
		const struct history_line *l = &h->lines[i];

		if (!history_in_period(l, have_period, from, to))
			continue;
		if (descriptor == NULL) {
			/* "Same as last time": the newest order's lines. */
			if (first_ref == NULL)
				first_ref = l->order_ref;
			if (strcmp(l->order_ref, first_ref) != 0)
				break;
			n = history_add_candidate(out, n, max, l, 1.0);
			continue;
		}
		if ((s = catalog_describes(cat, descriptor, l->sku)) >= 0.5)
			n = history_add_candidate(out, n, max, l, s);
	}
	history_sort(out, n);
	return n;
}

int
history_quantity_range(const struct history *h, const char *sku,
    double *min_r, double *max_r)
{
	const char *last_ref = NULL;
	int orders = 0;
	size_t i;

	*min_r = *max_r = 0;
	for (i = 0; i < h->n; i++) {
		const struct history_line *l = &h->lines[i];

		if (strcmp(l->sku, sku) != 0)
			continue;
		if (orders == 0 || l->quantity < *min_r)
			*min_r = l->quantity;
		if (orders == 0 || l->quantity > *max_r)
			*max_r = l->quantity;
		if (last_ref == NULL || strcmp(last_ref, l->order_ref) != 0)
			orders++;
		last_ref = l->order_ref;
	}
	return orders;
}

/*
 * The reports as JSON: one object each, the same figures as the text
 * (field by field in the README and mailorder(1)).  Days are
 * "YYYY-MM-DD"; a rate or median with nothing to measure is null.
 */
#include "config.h"

#include "common/json.h"
#include "common/qty.h"
#include "insight/insight.h"

static void
json_day(struct buf *b, const char *name, long day)
{
	char d[INSIGHT_DAY_LEN];

	buf_addf(b, "\"%s\":", name);
	if (day == -1) {	/* none; no shop has orders from 1969 */
		buf_adds(b, "null");
		return;
	}
	insight_day_format(day, d);
	json_add_str(b, d);
}

/* A number as JSON: whole ones without a point, others to 3 places. */
static void
json_num(struct buf *b, double v)
{
	char q[QTY_FMT_MAX];

	qty_format(v, q);
	buf_adds(b, q);
}

static void
json_rate(struct buf *b, int64_t part, int64_t whole)
{
	if (whole == 0)
		buf_adds(b, "null");
	else
		buf_addf(b, "%.4f", (double)part / (double)whole);
}

static void
json_period(struct buf *b, const struct insight_period *p)
{
	buf_adds(b, "\"period\":{");
	json_day(b, "since", p->since);
	buf_addc(b, ',');
	json_day(b, "until", p->until);
	buf_addc(b, '}');
}

static void
json_weeks(struct buf *b, const struct insight_shop *s)
{
	size_t i;

	buf_adds(b, ",\"weeks\":[");
	for (i = 0; i < s->nweeks; i++) {
		const struct insight_week *w = &s->weeks[i];

		buf_adds(b, i ? ",{" : "{");
		json_day(b, "week", w->monday);
		buf_addf(b, ",\"orders\":%lld,\"touchless\":%lld,"
		    "\"touchless_rate\":", (long long)w->orders,
		    (long long)w->touchless);
		json_rate(b, w->touchless, w->orders);
		buf_addf(b, ",\"imported\":%lld}", (long long)w->imported);
	}
	buf_addc(b, ']');
}

static void
json_flags(struct buf *b, const struct insight_shop *s)
{
	size_t i;

	buf_adds(b, ",\"flags\":[");
	for (i = 0; i < s->nflags; i++) {
		buf_adds(b, i ? ",{\"code\":" : "{\"code\":");
		json_add_str(b, s->flags[i].key);
		buf_addf(b, ",\"flags\":%lld,\"orders\":%lld}",
		    (long long)s->flags[i].n, (long long)s->flags[i].m);
	}
	buf_addc(b, ']');
}

static void
json_actions(struct buf *b, const struct insight_shop *s)
{
	size_t i, j;

	buf_addf(b, ",\"operator_actions\":{\"total\":%lld,\"per_day\":[",
	    (long long)s->actions);
	for (i = 0; i < s->ndays; i++) {
		const struct insight_day_actions *d = &s->days[i];

		buf_adds(b, i ? ",{" : "{");
		json_day(b, "day", d->day);
		buf_addf(b, ",\"total\":%lld,\"actions\":{",
		    (long long)d->total);
		for (j = 0; j < d->nactions; j++) {
			if (j)
				buf_addc(b, ',');
			json_add_str(b, d->actions[j].key);
			buf_addf(b, ":%lld", (long long)d->actions[j].n);
		}
		buf_adds(b, "}}");
	}
	buf_adds(b, "]}");
}

/* A top customer's product mix: shares of their lines in the period. */
static void
json_mix(struct buf *b, const struct insight_mix *m)
{
	size_t i;

	buf_addf(b, ",\"mix\":{\"lines\":%lld,\"products\":[",
	    (long long)m->lines);
	for (i = 0; i < m->n; i++) {
		buf_adds(b, i ? ",{\"sku\":" : "{\"sku\":");
		json_add_str(b, m->sku[i]);
		buf_addf(b, ",\"share\":%.4f}", m->share[i]);
	}
	buf_addf(b, "],\"other\":%.4f}", m->other);
}

static void
json_tops(struct buf *b, const struct insight_shop *s)
{
	size_t i;

	buf_adds(b, ",\"top_products\":[");
	for (i = 0; i < s->nproducts; i++) {
		buf_adds(b, i ? ",{\"sku\":" : "{\"sku\":");
		json_add_str(b, s->products[i].key);
		buf_adds(b, ",\"name\":");
		json_add_str(b, s->products[i].name);
		buf_addf(b, ",\"orders\":%lld,\"quantity\":",
		    (long long)s->products[i].n);
		json_num(b, s->products[i].quantity);
		buf_addc(b, '}');
	}
	buf_adds(b, "],\"top_customers\":[");
	for (i = 0; i < s->ncustomers; i++) {
		buf_adds(b, i ? ",{\"id\":" : "{\"id\":");
		json_add_str(b, s->customers[i].key);
		buf_adds(b, ",\"name\":");
		json_add_str(b, s->customers[i].name);
		buf_addf(b, ",\"orders\":%lld", (long long)s->customers[i].n);
		json_mix(b, &s->mixes[i]);
		buf_addc(b, '}');
	}
	buf_addc(b, ']');
}

void
insight_shop_json(const struct insight_shop *s, struct buf *b)
{
	buf_addc(b, '{');
	json_period(b, &s->period);
	buf_addf(b, ",\"orders\":%lld,\"touchless\":%lld,\"touchless_rate\":",
	    (long long)s->orders, (long long)s->touchless);
	json_rate(b, s->touchless, s->orders);
	buf_addf(b, ",\"imported\":%lld,\"sales\":%lld", (long long)s->imported,
	    (long long)s->sales);
	json_weeks(b, s);
	json_flags(b, s);
	buf_addf(b, ",\"confirmation_seconds\":{\"orders\":%zu,\"median\":",
	    s->nconfirmed);
	if (s->nconfirmed) {
		json_num(b, s->confirm_median);
		buf_adds(b, ",\"p90\":");
		json_num(b, s->confirm_p90);
	} else
		buf_adds(b, "null,\"p90\":null");
	buf_addc(b, '}');
	json_actions(b, s);
	json_tops(b, s);
	buf_adds(b, "}\n");
}

static void
json_skus(struct buf *b, const char *name, char *const *v, size_t n)
{
	size_t i;

	buf_addf(b, ",\"%s\":[", name);
	for (i = 0; i < n; i++) {
		if (i)
			buf_addc(b, ',');
		json_add_str(b, v[i]);
	}
	buf_addc(b, ']');
}

static void
json_products(struct buf *b, const struct insight_customer *c)
{
	size_t i;

	buf_adds(b, ",\"products\":[");
	for (i = 0; i < c->nproducts; i++) {
		const struct insight_product *p = &c->products[i];

		buf_adds(b, i ? ",{\"sku\":" : "{\"sku\":");
		json_add_str(b, p->sku);
		buf_adds(b, ",\"name\":");
		json_add_str(b, p->name);
		buf_adds(b, ",\"unit\":");
		json_add_str(b, p->unit);
		buf_addf(b, ",\"orders\":%lld,\"share\":%.4f,\"quantity\":"
		    "{\"median\":", (long long)p->orders, p->share);
		json_num(b, p->median);
		buf_adds(b, ",\"min\":");
		json_num(b, p->min);
		buf_adds(b, ",\"max\":");
		json_num(b, p->max);
		buf_adds(b, "},");
		json_day(b, "first", p->first);
		buf_addc(b, ',');
		json_day(b, "last", p->last);
		buf_addc(b, '}');
	}
	buf_addc(b, ']');
}

static void
json_quarter(struct buf *b, const char *name, long since, long until,
    int64_t orders, int64_t lines)
{
	buf_addf(b, "\"%s\":{", name);
	json_day(b, "since", since);
	buf_addc(b, ',');
	json_day(b, "until", until);
	buf_addf(b, ",\"orders\":%lld,\"lines\":%lld}", (long long)orders,
	    (long long)lines);
}

void
insight_customer_json(const struct insight_customer *c, struct buf *b)
{
	size_t i;

	buf_adds(b, "{\"id\":");
	json_add_str(b, c->id);
	buf_adds(b, ",\"name\":");
	json_add_str(b, c->name);
	buf_addc(b, ',');
	json_day(b, "asof", c->asof);
	buf_addf(b, ",\"orders\":%lld,", (long long)c->orders);
	json_day(b, "first_order", c->first);
	buf_addc(b, ',');
	json_day(b, "last_order", c->last);
	buf_adds(b, ",\"rhythm\":{\"median_days\":");
	if (c->ngaps)
		json_num(b, c->gap_median);
	else
		buf_adds(b, "null");
	buf_addf(b, ",\"gaps\":%zu,", c->ngaps);
	json_day(b, "next_due", c->due);
	buf_adds(b, ",\"overdue_days\":");
	if (c->due != -1 && c->asof > c->due)
		buf_addf(b, "%ld", c->asof - c->due);
	else
		buf_adds(b, c->due != -1 ? "0" : "null");
	buf_addc(b, '}');
	json_products(b, c);
	buf_adds(b, ",");
	json_day(b, "recent_since", c->window);
	json_skus(b, "stopped", c->stopped, c->nstopped);
	json_skus(b, "new", c->fresh, c->nfresh);
	buf_adds(b, ",\"quarters\":{");
	json_quarter(b, "this", c->q_this, c->asof, c->q_this_orders,
	    c->q_this_lines);
	buf_addc(b, ',');
	json_quarter(b, "last", c->q_last, c->q_this - 1, c->q_last_orders,
	    c->q_last_lines);
	buf_adds(b, "},\"recent_orders\":[");
	for (i = 0; i < c->nrecent; i++) {
		buf_adds(b, i ? ",{\"ref\":" : "{\"ref\":");
		json_add_str(b, c->recent[i].ref);
		buf_addc(b, ',');
		json_day(b, "date", c->recent[i].day);
		buf_adds(b, ",\"status\":");
		json_add_str(b, c->recent[i].status);
		buf_adds(b, ",\"items\":");
		json_add_str(b, c->recent[i].items);
		buf_addc(b, '}');
	}
	buf_adds(b, "]}\n");
}

void
insight_due_json(const struct insight_due_list *l, struct buf *b)
{
	size_t i;

	buf_addc(b, '{');
	json_day(b, "asof", l->asof);
	buf_addf(b, ",\"min_orders\":%d,\"factor\":%g,\"due\":[",
	    l->min_orders, INSIGHT_DUE_FACTOR);
	for (i = 0; i < l->n; i++) {
		const struct insight_due *d = &l->v[i];

		buf_adds(b, i ? ",{\"id\":" : "{\"id\":");
		json_add_str(b, d->id);
		buf_adds(b, ",\"name\":");
		json_add_str(b, d->name);
		buf_addf(b, ",\"orders\":%lld,\"median_days\":",
		    (long long)d->orders);
		json_num(b, d->gap_median);
		buf_addc(b, ',');
		json_day(b, "last_order", d->last);
		buf_addc(b, ',');
		json_day(b, "due", d->due);
		buf_addf(b, ",\"days_since_last\":%ld,\"overdue_days\":%ld}",
		    d->since_last, l->asof - d->due);
	}
	buf_adds(b, "]}\n");
}

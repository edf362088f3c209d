/*
 * The reports as text for a terminal: the same figures as the JSON,
 * laid out to be read.
 */
#include "config.h"

#include "common/qty.h"
#include "insight/insight.h"

static const char *
text_day(long day, char buf[INSIGHT_DAY_LEN])
{
	if (day == -1)
		return "-";
	insight_day_format(day, buf);
	return buf;
}

static void
text_rate(struct buf *b, int64_t part, int64_t whole)
{
	if (whole == 0)
		buf_adds(b, "    -");
	else
		buf_addf(b, "%4.0f%%", 100.0 * (double)part / (double)whole);
}

/* Seconds as "42 s", "3.5 min", "2.1 h". */
static void
text_duration(struct buf *b, double s)
{
	if (s < 120)
		buf_addf(b, "%.0f s", s);
	else if (s < 7200)
		buf_addf(b, "%.1f min", s / 60);
	else
		buf_addf(b, "%.1f h", s / 3600);
}

static void
text_weeks(const struct insight_shop *s, struct buf *b)
{
	char d[INSIGHT_DAY_LEN];
	size_t i;

	buf_adds(b, "\nWeek of      Orders  Touchless  Imported\n");
	for (i = 0; i < s->nweeks; i++) {
		const struct insight_week *w = &s->weeks[i];

		buf_addf(b, "%-10s  %8lld  %5lld ", text_day(w->monday, d),
		    (long long)w->orders, (long long)w->touchless);
		text_rate(b, w->touchless, w->orders);
		buf_addf(b, "  %8lld\n", (long long)w->imported);
	}
}

static void
text_tops(const struct insight_shop *s, struct buf *b)
{
	char q[QTY_FMT_MAX];
	size_t i;

	buf_adds(b, "\nTop products           Orders  Quantity\n");
	for (i = 0; i < s->nproducts; i++)
		buf_addf(b, "  %-14s %-24s %6lld  %8s\n", s->products[i].key,
		    s->products[i].name ? s->products[i].name : "(not in "
		    "catalog)", (long long)s->products[i].n,
		    qty_format(s->products[i].quantity, q));
	buf_adds(b, "\nTop customers                  Orders\n");
	for (i = 0; i < s->ncustomers; i++)
		buf_addf(b, "  %-14s %-24s %6lld\n", s->customers[i].key,
		    s->customers[i].name ? s->customers[i].name : "",
		    (long long)s->customers[i].n);
}

void
insight_shop_text(const struct insight_shop *s, struct buf *b)
{
	char d1[INSIGHT_DAY_LEN], d2[INSIGHT_DAY_LEN];
	size_t i;

	buf_addf(b, "Shop report %s to %s\n\n", text_day(s->period.since, d1),
	    text_day(s->period.until, d2));
	buf_addf(b, "Orders from mail:   %lld (touchless %lld, ",
	    (long long)s->orders, (long long)s->touchless);
	text_rate(b, s->touchless, s->orders);
	buf_addf(b, ")\nImported orders:    %lld\n", (long long)s->imported);
	buf_adds(b, "Mail to confirmed:  ");
	if (s->nconfirmed) {
		buf_adds(b, "median ");
		text_duration(b, s->confirm_median);
		buf_adds(b, ", p90 ");
		text_duration(b, s->confirm_p90);
		buf_addf(b, " (%zu orders)\n", s->nconfirmed);
	} else
		buf_adds(b, "-\n");
	buf_addf(b, "Operator actions:   %lld on %zu days\n",
	    (long long)s->actions, s->ndays);
	text_weeks(s, b);
	buf_adds(b, "\nFlags                   Orders   Flags\n");
	for (i = 0; i < s->nflags; i++)
		buf_addf(b, "  %-20s %8lld %7lld\n", s->flags[i].key,
		    (long long)s->flags[i].m, (long long)s->flags[i].n);
	if (s->nflags == 0)
		buf_adds(b, "  (none)\n");
	text_tops(s, b);
}

static void
text_skus(struct buf *b, const char *label, char *const *v, size_t n)
{
	size_t i;

	buf_addf(b, "%-20s", label);
	for (i = 0; i < n; i++)
		buf_addf(b, "%s%s", i ? ", " : "", v[i]);
	buf_adds(b, n ? "\n" : "-\n");
}

void
insight_customer_text(const struct insight_customer *c, struct buf *b)
{
	char d1[INSIGHT_DAY_LEN], d2[INSIGHT_DAY_LEN], q[3][QTY_FMT_MAX];
	size_t i;

	buf_addf(b, "Customer %s (%s), as of %s\n\n", c->id, c->name,
	    text_day(c->asof, d1));
	buf_addf(b, "Orders:             %lld, first %s, last %s\n",
	    (long long)c->orders, text_day(c->first, d1),
	    text_day(c->last, d2));
	if (c->ngaps)
		buf_addf(b, "Rhythm:             every %s days; next due %s%s\n",
		    qty_format(c->gap_median, q[0]), text_day(c->due, d1),
		    c->asof > c->due ? " (overdue)" : "");
	else
		buf_adds(b, "Rhythm:             - (one order day)\n");
	buf_addf(b, "This quarter:       %lld orders, %lld lines (since %s)\n",
	    (long long)c->q_this_orders, (long long)c->q_this_lines,
	    text_day(c->q_this, d1));
	buf_addf(b, "Last quarter:       %lld orders, %lld lines\n",
	    (long long)c->q_last_orders, (long long)c->q_last_lines);
	text_skus(b, "Stopped buying:", c->stopped, c->nstopped);
	text_skus(b, "New:", c->fresh, c->nfresh);
	buf_adds(b, "\nProducts          Orders  Share  Usual (range)\n");
	for (i = 0; i < c->nproducts; i++) {
		const struct insight_product *p = &c->products[i];

		buf_addf(b, "  %-14s %6lld  %4.0f%%  %s %s (%s-%s)  %s\n",
		    p->sku, (long long)p->orders, 100 * p->share,
		    qty_format(p->median, q[0]), p->unit ? p->unit : "",
		    qty_format(p->min, q[1]), qty_format(p->max, q[2]),
		    p->name ? p->name : "");
	}
	buf_adds(b, "\nRecent orders\n");
	for (i = 0; i < c->nrecent; i++)
		buf_addf(b, "  %-12s %s %-9s %s\n", c->recent[i].ref,
		    text_day(c->recent[i].day, d1), c->recent[i].status,
		    c->recent[i].items ? c->recent[i].items : "");
}

void
insight_due_text(const struct insight_due_list *l, struct buf *b)
{
	char d1[INSIGHT_DAY_LEN], q[QTY_FMT_MAX];
	size_t i;

	buf_addf(b, "Regular customers (%d order days or more) overdue as of "
	    "%s\n", l->min_orders, text_day(l->asof, d1));
	for (i = 0; i < l->n; i++) {
		const struct insight_due *d = &l->v[i];

		buf_addf(b, "  %-10s %-24s orders every %s days; last order %ld "
		    "days ago (due %s)\n", d->id, d->name ? d->name : "",
		    qty_format(d->gap_median, q), d->since_last,
		    text_day(d->due, d1));
	}
	if (l->n == 0)
		buf_adds(b, "  (none)\n");
}

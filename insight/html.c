/*
 * The reports as one self-contained HTML page each: inline CSS and SVG,
 * no script, nothing fetched, fonts the reader has; readable offline and
 * printable.  The page is also well-formed XML (XHTML syntax), so both
 * libxml2's HTML and XML parsers read it (tests/report-html.sh).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "common/qty.h"
#include "common/xmalloc.h"
#include "insight/insight.h"
#include "insight/svg.h"

#define HTML_BLUE	"#3b6ea5"
#define HTML_GREEN	"#2f855a"

static const char html_style[] =
	"body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,"
	"'DejaVu Sans',sans-serif;max-width:60em;margin:2em auto;"
	"padding:0 1em;color:#1a202c}"
	"h1{font-size:1.6em;margin-bottom:0}h2{font-size:1.15em;"
	"margin-top:1.6em;border-bottom:1px solid #cbd5e0}"
	".period{color:#4a5568;margin-top:.2em}"
	"table{border-collapse:collapse;margin:.5em 0}"
	"th,td{padding:.25em .7em;border-bottom:1px solid #e2e8f0;"
	"text-align:left}td.n,th.n{text-align:right;"
	"font-variant-numeric:tabular-nums}"
	"svg.chart{display:block;width:100%;height:auto;margin:.5em 0}"
	"svg text{font-size:12px;fill:#4a5568}svg text.ax{text-anchor:end}"
	"svg text.xl{text-anchor:middle}svg text.yl{text-anchor:end}"
	"svg text.sl{fill:#fff}"
	"@media print{body{margin:0;max-width:none}h2{break-after:avoid}"
	"svg.chart,table{break-inside:avoid}}";

static void
html_open(struct buf *b, const char *title, const char *sub)
{
	buf_adds(b, "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/"
	    "xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
	    "<meta name=\"viewport\" content=\"width=device-width\"/>\n"
	    "<title>");
	svg_text(b, title);
	buf_addf(b, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>",
	    html_style);
	svg_text(b, title);
	buf_adds(b, "</h1>\n<p class=\"period\">");
	svg_text(b, sub);
	buf_adds(b, "</p>\n");
}

static void
html_close(struct buf *b)
{
	buf_adds(b, "<p class=\"period\">Made by mailorder report.</p>\n"
	    "</body>\n</html>\n");
}

static void
html_h2(struct buf *b, const char *s)
{
	buf_adds(b, "<h2>");
	svg_text(b, s);
	buf_adds(b, "</h2>\n");
}

/* A table row of cells; a cell starting with '#' is a number. */
static void
html_row(struct buf *b, const char *tag, const char *const *cells, size_t n)
{
	size_t i;

	buf_adds(b, "<tr>");
	for (i = 0; i < n; i++) {
		int num = cells[i] != NULL && cells[i][0] == '#';

		buf_addf(b, "<%s%s>", tag, num ? " class=\"n\"" : "");
		svg_text(b, cells[i] == NULL ? "" : cells[i] + num);
		buf_addf(b, "</%s>", tag);
	}
	buf_adds(b, "</tr>\n");
}

static const char *
html_day(long day, char buf[INSIGHT_DAY_LEN])
{
	if (day == -1)
		return "-";
	insight_day_format(day, buf);
	return buf;
}

static void
html_duration(char *buf, size_t len, size_t n, double s)
{
	if (n == 0)
		snprintf(buf, len, "#-");
	else if (s < 120)
		snprintf(buf, len, "#%.0f s", s);
	else if (s < 7200)
		snprintf(buf, len, "#%.1f min", s / 60);
	else
		snprintf(buf, len, "#%.1f h", s / 3600);
}

static void
html_shop_summary(const struct insight_shop *s, struct buf *b)
{
	char v[6][64];
	const char *r[2];

	snprintf(v[0], sizeof(v[0]), "#%lld", (long long)s->orders);
	if (s->orders)
		snprintf(v[1], sizeof(v[1]), "#%lld (%.0f%%)",
		    (long long)s->touchless,
		    100.0 * (double)s->touchless / (double)s->orders);
	else
		snprintf(v[1], sizeof(v[1]), "#-");
	html_duration(v[2], sizeof(v[2]), s->nconfirmed, s->confirm_median);
	html_duration(v[3], sizeof(v[3]), s->nconfirmed, s->confirm_p90);
	snprintf(v[4], sizeof(v[4]), "#%lld", (long long)s->actions);
	snprintf(v[5], sizeof(v[5]), "#%lld", (long long)s->imported);
	buf_adds(b, "<table id=\"summary\">\n");
	r[0] = "Orders from mail"; r[1] = v[0]; html_row(b, "td", r, 2);
	r[0] = "Touchless"; r[1] = v[1]; html_row(b, "td", r, 2);
	r[0] = "Mail to confirmation, median"; r[1] = v[2];
	html_row(b, "td", r, 2);
	r[0] = "Mail to confirmation, p90"; r[1] = v[3];
	html_row(b, "td", r, 2);
	r[0] = "Operator actions"; r[1] = v[4]; html_row(b, "td", r, 2);
	r[0] = "Imported orders"; r[1] = v[5]; html_row(b, "td", r, 2);
	buf_adds(b, "</table>\n");
}

static void
html_shop_weeks(const struct insight_shop *s, struct buf *b)
{
	struct svg_point *p = xcalloc(s->nweeks + 1, sizeof(*p));
	char (*lab)[INSIGHT_DAY_LEN] = xcalloc(s->nweeks + 1, sizeof(*lab));
	size_t i;

	for (i = 0; i < s->nweeks; i++) {
		insight_day_format(s->weeks[i].monday, lab[i]);
		p[i].label = lab[i] + 5;	/* "MM-DD" */
		p[i].value = (double)s->weeks[i].orders;
		snprintf(p[i].tip, sizeof(p[i].tip), "week of %s: %lld orders",
		    lab[i], (long long)s->weeks[i].orders);
	}
	html_h2(b, "Orders per week");
	svg_bars(b, "orders-per-week", "Orders from mail per week", p,
	    s->nweeks, HTML_BLUE);
	for (i = 0; i < s->nweeks; i++) {
		p[i].missing = s->weeks[i].orders == 0;
		p[i].value = p[i].missing ? 0 : 100.0 *
		    (double)s->weeks[i].touchless / (double)s->weeks[i].orders;
		snprintf(p[i].tip, sizeof(p[i].tip), "week of %s: %.0f%% "
		    "touchless", lab[i], p[i].value);
	}
	html_h2(b, "Touchless rate");
	svg_line(b, "touchless-rate", "Touchless orders per week, per cent",
	    p, s->nweeks, 100, 1, HTML_GREEN);
	free(p);
	free(lab);
}

static void
html_shop_tables(const struct insight_shop *s, struct buf *b)
{
	static const char *const fh[] = { "Flag", "#Orders", "#Flags" };
	static const char *const ph[] = { "SKU", "Product", "#Orders",
	    "#Quantity" };
	static const char *const ch[] = { "ID", "Customer", "#Orders" };
	char n1[32], n2[32];
	const char *r[4];
	size_t i;

	html_h2(b, "Flags by code");
	buf_adds(b, "<table id=\"flags\">\n");
	html_row(b, "th", fh, 3);
	for (i = 0; i < s->nflags; i++) {
		snprintf(n1, sizeof(n1), "#%lld", (long long)s->flags[i].m);
		snprintf(n2, sizeof(n2), "#%lld", (long long)s->flags[i].n);
		r[0] = s->flags[i].key; r[1] = n1; r[2] = n2;
		html_row(b, "td", r, 3);
	}
	buf_adds(b, "</table>\n");
	html_h2(b, "Top products");
	buf_adds(b, "<table id=\"products\">\n");
	html_row(b, "th", ph, 4);
	for (i = 0; i < s->nproducts; i++) {
		snprintf(n1, sizeof(n1), "#%lld", (long long)s->products[i].n);
		n2[0] = '#';
		qty_format(s->products[i].quantity, n2 + 1);
		r[0] = s->products[i].key; r[1] = s->products[i].name;
		r[2] = n1; r[3] = n2;
		html_row(b, "td", r, 4);
	}
	buf_adds(b, "</table>\n");
	html_h2(b, "Top customers");
	buf_adds(b, "<table id=\"customers\">\n");
	html_row(b, "th", ch, 3);
	for (i = 0; i < s->ncustomers; i++) {
		snprintf(n1, sizeof(n1), "#%lld", (long long)s->customers[i].n);
		r[0] = s->customers[i].key; r[1] = s->customers[i].name;
		r[2] = n1;
		html_row(b, "td", r, 3);
	}
	buf_adds(b, "</table>\n");
}

/* Each top customer's lines of the period by product: a stacked bar. */
static void
html_shop_mixes(const struct insight_shop *s, struct buf *b)
{
	struct svg_row *rows = xcalloc(s->ncustomers + 1, sizeof(*rows));
	struct svg_segment *seg = xcalloc((s->ncustomers + 1) *
	    (INSIGHT_MIX_TOP + 1), sizeof(*seg));
	size_t i, j, n;

	for (i = 0; i < s->ncustomers; i++) {
		const struct insight_mix *m = &s->mixes[i];
		struct svg_segment *sg = seg + i * (INSIGHT_MIX_TOP + 1);

		for (j = n = 0; j < m->n; j++, n++) {
			sg[n].label = m->sku[j];
			sg[n].share = m->share[j];
			snprintf(sg[n].tip, sizeof(sg[n].tip), "%s: %.0f%% of "
			    "%s's lines", m->sku[j], 100 * m->share[j],
			    s->customers[i].key);
		}
		if (m->other > 0) {
			sg[n].share = m->other;
			snprintf(sg[n].tip, sizeof(sg[n].tip), "other products: "
			    "%.0f%%", 100 * m->other);
			n++;
		}
		rows[i].label = s->customers[i].key;
		rows[i].seg = sg;
		rows[i].nseg = n;
	}
	html_h2(b, "Top customers' product mix");
	svg_stack(b, "customer-mix", "Each top customer's order lines by "
	    "product", rows, s->ncustomers);
	free(seg);
	free(rows);
}

static void
html_shop_actions(const struct insight_shop *s, struct buf *b)
{
	struct svg_point *p = xcalloc(s->ndays + 1, sizeof(*p));
	char (*lab)[INSIGHT_DAY_LEN] = xcalloc(s->ndays + 1, sizeof(*lab));
	size_t i;

	for (i = 0; i < s->ndays; i++) {
		insight_day_format(s->days[i].day, lab[i]);
		p[i].label = lab[i] + 5;
		p[i].value = (double)s->days[i].total;
		snprintf(p[i].tip, sizeof(p[i].tip), "%s: %lld actions",
		    lab[i], (long long)s->days[i].total);
	}
	html_h2(b, "Operator actions per day");
	svg_bars(b, "actions-per-day", "Operator actions per day (days with "
	    "actions)", p, s->ndays, "#805ad5");
	free(p);
	free(lab);
}

void
insight_shop_html(const struct insight_shop *s, struct buf *b)
{
	char d1[INSIGHT_DAY_LEN], d2[INSIGHT_DAY_LEN], sub[64];

	snprintf(sub, sizeof(sub), "%s to %s", html_day(s->period.since, d1),
	    html_day(s->period.until, d2));
	html_open(b, "Shop report", sub);
	html_shop_summary(s, b);
	html_shop_weeks(s, b);
	html_shop_actions(s, b);
	html_shop_tables(s, b);
	html_shop_mixes(s, b);
	html_close(b);
}

static void
html_customer_mix(const struct insight_customer *c, struct buf *b)
{
	struct svg_point *p = xcalloc(c->nproducts + 1, sizeof(*p));
	size_t i;

	for (i = 0; i < c->nproducts; i++) {
		p[i].label = c->products[i].sku;
		p[i].value = c->products[i].share;
		snprintf(p[i].tip, sizeof(p[i].tip), "%.0f%% of orders",
		    100 * c->products[i].share);
	}
	html_h2(b, "Product mix");
	svg_hbars(b, "product-mix", "Share of the customer's orders with "
	    "each product", p, c->nproducts);
	free(p);
}

static void
html_customer_products(const struct insight_customer *c, struct buf *b)
{
	static const char *const h[] = { "SKU", "Product", "#Orders",
	    "#Usual", "#Range", "Unit" };
	char n[3][64], q[3][QTY_FMT_MAX];
	const char *r[6];
	size_t i;

	buf_adds(b, "<table id=\"products\">\n");
	html_row(b, "th", h, 6);
	for (i = 0; i < c->nproducts; i++) {
		const struct insight_product *p = &c->products[i];

		snprintf(n[0], sizeof(n[0]), "#%lld", (long long)p->orders);
		snprintf(n[1], sizeof(n[1]), "#%s", qty_format(p->median, q[0]));
		snprintf(n[2], sizeof(n[2]), "#%s-%s", qty_format(p->min, q[1]),
		    qty_format(p->max, q[2]));
		r[0] = p->sku; r[1] = p->name; r[2] = n[0]; r[3] = n[1];
		r[4] = n[2]; r[5] = p->unit;
		html_row(b, "td", r, 6);
	}
	buf_adds(b, "</table>\n");
}

static void
html_customer_facts(const struct insight_customer *c, struct buf *b)
{
	char d[3][INSIGHT_DAY_LEN], v[4][96], q[QTY_FMT_MAX];
	const char *r[2];

	snprintf(v[0], sizeof(v[0]), "%lld, from %s to %s",
	    (long long)c->orders, html_day(c->first, d[0]),
	    html_day(c->last, d[1]));
	if (c->ngaps)
		snprintf(v[1], sizeof(v[1]), "every %s days; next due %s%s",
		    qty_format(c->gap_median, q), html_day(c->due, d[2]),
		    c->asof > c->due ? " (overdue)" : "");
	else
		snprintf(v[1], sizeof(v[1]), "-");
	snprintf(v[2], sizeof(v[2]), "%lld orders, %lld lines",
	    (long long)c->q_this_orders, (long long)c->q_this_lines);
	snprintf(v[3], sizeof(v[3]), "%lld orders, %lld lines",
	    (long long)c->q_last_orders, (long long)c->q_last_lines);
	buf_adds(b, "<table id=\"summary\">\n");
	r[0] = "Orders"; r[1] = v[0]; html_row(b, "td", r, 2);
	r[0] = "Rhythm"; r[1] = v[1]; html_row(b, "td", r, 2);
	r[0] = "This quarter"; r[1] = v[2]; html_row(b, "td", r, 2);
	r[0] = "Last quarter"; r[1] = v[3]; html_row(b, "td", r, 2);
	buf_adds(b, "</table>\n");
}

static void
html_skus(struct buf *b, const char *label, char *const *v, size_t n)
{
	size_t i;

	buf_adds(b, "<p><strong>");
	svg_text(b, label);
	buf_adds(b, "</strong> ");
	for (i = 0; i < n; i++) {
		if (i)
			buf_adds(b, ", ");
		svg_text(b, v[i]);
	}
	buf_adds(b, n ? "</p>\n" : "-</p>\n");
}

void
insight_customer_html(const struct insight_customer *c, struct buf *b)
{
	static const char *const h[] = { "Order", "Date", "Status", "Items" };
	char d[INSIGHT_DAY_LEN], title[256], sub[64];
	const char *r[4];
	size_t i;

	snprintf(title, sizeof(title), "%s (%s)", c->name, c->id);
	snprintf(sub, sizeof(sub), "as of %s", html_day(c->asof, d));
	html_open(b, title, sub);
	html_customer_facts(c, b);
	html_customer_mix(c, b);
	html_customer_products(c, b);
	html_skus(b, "Stopped buying:", c->stopped, c->nstopped);
	html_skus(b, "New:", c->fresh, c->nfresh);
	html_h2(b, "Recent orders");
	buf_adds(b, "<table id=\"recent\">\n");
	html_row(b, "th", h, 4);
	for (i = 0; i < c->nrecent; i++) {
		r[0] = c->recent[i].ref;
		r[1] = html_day(c->recent[i].day, d);
		r[2] = c->recent[i].status;
		r[3] = c->recent[i].items;
		html_row(b, "td", r, 4);
	}
	buf_adds(b, "</table>\n");
	html_close(b);
}

void
insight_due_html(const struct insight_due_list *l, struct buf *b)
{
	static const char *const h[] = { "ID", "Customer", "#Every (days)",
	    "Last order", "#Days ago", "Due" };
	struct svg_point *p = xcalloc(l->n + 1, sizeof(*p));
	char d[2][INSIGHT_DAY_LEN], sub[64], n[2][32], q[QTY_FMT_MAX];
	const char *r[6];
	size_t i;

	snprintf(sub, sizeof(sub), "as of %s", html_day(l->asof, d[0]));
	html_open(b, "Customers whose usual order is overdue", sub);
	for (i = 0; i < l->n; i++) {
		p[i].label = l->v[i].id;
		p[i].value = (double)(l->asof - l->v[i].due);
		snprintf(p[i].tip, sizeof(p[i].tip), "%ld days overdue",
		    l->asof - l->v[i].due);
	}
	svg_hbars(b, "overdue", "Days past the usual order", p,
	    l->n < 30 ? l->n : 30);
	buf_adds(b, "<table id=\"due\">\n");
	html_row(b, "th", h, 6);
	for (i = 0; i < l->n; i++) {
		snprintf(n[0], sizeof(n[0]), "#%s",
		    qty_format(l->v[i].gap_median, q));
		snprintf(n[1], sizeof(n[1]), "#%ld", l->v[i].since_last);
		r[0] = l->v[i].id; r[1] = l->v[i].name; r[2] = n[0];
		r[3] = html_day(l->v[i].last, d[0]); r[4] = n[1];
		r[5] = html_day(l->v[i].due, d[1]);
		html_row(b, "td", r, 6);
	}
	buf_adds(b, "</table>\n");
	html_close(b);
	free(p);
}

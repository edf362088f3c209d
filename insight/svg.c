/*
 * Inline SVG charts; see svg.h.  Every chart is 720 wide in its own
 * units and scales to the page (viewBox); the plot area leaves room
 * for the axis labels.
 */
#include "config.h"

#include <stdio.h>

#include "insight/svg.h"

#define SVG_W		720
#define SVG_H		220
#define SVG_LEFT	48
#define SVG_BOTTOM	28
#define SVG_TOP		12

void
svg_text(struct buf *b, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		switch (*s) {
		case '&': buf_adds(b, "&amp;"); break;
		case '<': buf_adds(b, "&lt;"); break;
		case '>': buf_adds(b, "&gt;"); break;
		case '"': buf_adds(b, "&quot;"); break;
		case '\'': buf_adds(b, "&#39;"); break;
		default: buf_addc(b, *s);
		}
	}
}

static void
svg_open(struct buf *b, const char *id, const char *title, int h)
{
	buf_adds(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"");
	svg_text(b, id);
	buf_addf(b, "\" class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" "
	    "aria-label=\"", SVG_W, h);
	svg_text(b, title);
	buf_adds(b, "\"><title>");
	svg_text(b, title);
	buf_adds(b, "</title>\n");
}

/* The y axis: a base line, the top value and the middle, as text. */
static void
svg_axis(struct buf *b, double max, int percent)
{
	int base = SVG_H - SVG_BOTTOM, mid = (SVG_TOP + base) / 2;

	buf_addf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
	    "stroke=\"#888\"/>\n", SVG_LEFT, base, SVG_W, base);
	buf_addf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
	    "stroke=\"#ddd\"/>\n", SVG_LEFT, SVG_TOP, SVG_W, SVG_TOP);
	buf_addf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
	    "stroke=\"#eee\"/>\n", SVG_LEFT, mid, SVG_W, mid);
	if (percent) {
		buf_addf(b, "<text x=\"%d\" y=\"%d\" class=\"ax\">100%%</text>\n",
		    SVG_LEFT - 6, SVG_TOP + 4);
		buf_addf(b, "<text x=\"%d\" y=\"%d\" class=\"ax\">50%%</text>\n",
		    SVG_LEFT - 6, mid + 4);
	} else {
		buf_addf(b, "<text x=\"%d\" y=\"%d\" class=\"ax\">%.0f</text>\n",
		    SVG_LEFT - 6, SVG_TOP + 4, max);
		buf_addf(b, "<text x=\"%d\" y=\"%d\" class=\"ax\">%.0f</text>\n",
		    SVG_LEFT - 6, mid + 4, max / 2);
	}
	buf_addf(b, "<text x=\"%d\" y=\"%d\" class=\"ax\">0</text>\n",
	    SVG_LEFT - 6, base + 4);
}

/* Labels under the plot, at most about 12 of them. */
static void
svg_labels(struct buf *b, const struct svg_point *p, size_t n, double step)
{
	size_t i, every = n / 12 + 1;

	for (i = 0; i < n; i += every) {
		if (p[i].label == NULL)
			continue;
		buf_addf(b, "<text x=\"%.1f\" y=\"%d\" class=\"xl\">",
		    SVG_LEFT + step * ((double)i + 0.5), SVG_H - 8);
		svg_text(b, p[i].label);
		buf_adds(b, "</text>\n");
	}
}

static double
svg_max(const struct svg_point *p, size_t n)
{
	double max = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (!p[i].missing && p[i].value > max)
			max = p[i].value;
	return max > 0 ? max : 1;
}

void
svg_bars(struct buf *b, const char *id, const char *title,
    const struct svg_point *p, size_t n, const char *color)
{
	double max = svg_max(p, n), step, h;
	int plot = SVG_H - SVG_BOTTOM - SVG_TOP;
	size_t i;

	svg_open(b, id, title, SVG_H);
	svg_axis(b, max, 0);
	step = n ? (double)(SVG_W - SVG_LEFT) / (double)n : 1;
	for (i = 0; i < n; i++) {
		h = p[i].value / max * plot;
		buf_addf(b, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" "
		    "width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>",
		    SVG_LEFT + step * (double)i + step * 0.1,
		    SVG_TOP + plot - h, step * 0.8, h, color);
		svg_text(b, p[i].tip);
		buf_adds(b, "</title></rect>\n");
	}
	svg_labels(b, p, n, step);
	buf_adds(b, "</svg>\n");
}

void
svg_line(struct buf *b, const char *id, const char *title,
    const struct svg_point *p, size_t n, double max, int percent,
    const char *color)
{
	int plot = SVG_H - SVG_BOTTOM - SVG_TOP, open = 0;
	double step, x, y;
	size_t i;

	svg_open(b, id, title, SVG_H);
	svg_axis(b, max, percent);
	step = n ? (double)(SVG_W - SVG_LEFT) / (double)n : 1;
	/* One polyline per run of points with a value. */
	for (i = 0; i <= n; i++) {
		if (i == n || p[i].missing) {
			if (open)
				buf_adds(b, "\"/>\n");
			open = 0;
			continue;
		}
		x = SVG_LEFT + step * ((double)i + 0.5);
		y = SVG_TOP + plot - p[i].value / max * plot;
		if (!open)
			buf_addf(b, "<polyline class=\"line\" fill=\"none\" "
			    "stroke=\"%s\" stroke-width=\"3\" points=\"", color);
		buf_addf(b, "%s%.1f,%.1f", open ? " " : "", x, y);
		open = 1;
	}
	for (i = 0; i < n; i++) {
		if (p[i].missing)
			continue;
		buf_addf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" "
		    "fill=\"%s\"><title>", SVG_LEFT + step * ((double)i + 0.5),
		    SVG_TOP + plot - p[i].value / max * plot, color);
		svg_text(b, p[i].tip);
		buf_adds(b, "</title></circle>\n");
	}
	svg_labels(b, p, n, step);
	buf_adds(b, "</svg>\n");
}

static const char *const svg_palette[] = { "#3b6ea5", "#2f855a",
    "#c05621", "#805ad5", "#b83280", "#2c7a7b", "#975a16", "#4a5568" };

void
svg_stack(struct buf *b, const char *id, const char *title,
    const struct svg_row *r, size_t n)
{
	int row = 30, left = 120, width = SVG_W - left - 10;
	double x, w;
	size_t i, j;

	svg_open(b, id, title, (int)n * row + 8 > 40 ? (int)n * row + 8 : 40);
	for (i = 0; i < n; i++) {
		buf_addf(b, "<text x=\"%d\" y=\"%d\" class=\"yl\">", left - 8,
		    (int)i * row + 24);
		svg_text(b, r[i].label);
		buf_adds(b, "</text>\n");
		for (j = 0, x = left; j < r[i].nseg; j++, x += w) {
			const struct svg_segment *sg = &r[i].seg[j];

			w = sg->share * width;
			/* The last colour is grey: "other". */
			buf_addf(b, "<rect class=\"seg\" x=\"%.1f\" y=\"%d\" "
			    "width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>",
			    x, (int)i * row + 6, w, row - 8,
			    j + 1 == r[i].nseg && sg->label == NULL ? "#cbd5e0" :
			    svg_palette[j % 7]);
			svg_text(b, sg->tip);
			buf_adds(b, "</title></rect>\n");
			if (sg->label != NULL && w > 60) {
				buf_addf(b, "<text x=\"%.1f\" y=\"%d\" "
				    "class=\"sl\" fill=\"#fff\">", x + 4,
				    (int)i * row + 24);
				svg_text(b, sg->label);
				buf_adds(b, "</text>\n");
			}
		}
	}
	buf_adds(b, "</svg>\n");
}

void
svg_hbars(struct buf *b, const char *id, const char *title,
    const struct svg_point *p, size_t n)
{
	const char *const *palette = svg_palette;
	int row = 26, left = 120, h = (int)n * row + 8;
	double max = svg_max(p, n), w;
	size_t i;

	svg_open(b, id, title, h > 40 ? h : 40);
	for (i = 0; i < n; i++) {
		w = p[i].value / max * (SVG_W - left - 130);
		buf_addf(b, "<text x=\"%d\" y=\"%d\" class=\"yl\">", left - 8,
		    (int)i * row + 22);
		svg_text(b, p[i].label);
		buf_addf(b, "</text>\n<rect class=\"bar\" x=\"%d\" y=\"%d\" "
		    "width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>", left,
		    (int)i * row + 6, w, row - 8, palette[i % 8]);
		svg_text(b, p[i].tip);
		buf_addf(b, "</title></rect>\n<text x=\"%.1f\" y=\"%d\" "
		    "class=\"vl\">", left + w + 6, (int)i * row + 22);
		svg_text(b, p[i].tip);
		buf_adds(b, "</text>\n");
	}
	buf_adds(b, "</svg>\n");
}

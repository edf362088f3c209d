/*
 * PDF purchase orders, read with poppler-glib: the words with their
 * positions (poppler_page_get_text_layout), rebuilt into rows by their
 * vertical position and into cells by the horizontal gaps between
 * words, then laid out as aligned text (attach/layout.c).  This is the
 * "stream" way of Tabula and pdfplumber: purchase-order PDFs are tables
 * with a header row, usually without ruling lines a reader could use.
 *
 * A PDF whose pages hold no text (a scanned order) is an error, which
 * the engine flags as unreadable_attachment: an order nobody can read
 * must not pass as an empty one.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <poppler.h>

#include "attach/attach_int.h"
#include "common/xmalloc.h"

/* Two words further apart than this many glyph heights are in different
 * cells.  Measured: a space is 0.24-0.27 of poppler's glyph height
 * (LibreOffice, Chromium, groff), the gap between two table cells whose
 * text fills them 0.43 and up (their padding). */
#define PDF_CELL_GAP	0.35
/* A row further below the one before than this many times the pitch of
 * the rows before it (and more than PDF_BLOCK_MIN heights) starts a new
 * block: a paragraph gap.  Table rows keep one pitch, however airy. */
#define PDF_BLOCK_GAP	1.5
#define PDF_BLOCK_MIN	1.5

struct pdf_word {
	double	 x0, y0, x1, y1;
	size_t	 off, len;	/* in the page's text */
};

struct pdf_page {
	const char		*text;
	struct pdf_word		*w;
	size_t			 n, cap;
};

static void
pdf_word_new(struct pdf_page *p, const PopplerRectangle *r, size_t off,
    size_t len)
{
	struct pdf_word *w;

	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 256;
		p->w = xreallocarray(p->w, p->cap, sizeof(*p->w));
	}
	w = &p->w[p->n++];
	w->x0 = r->x1;
	w->x1 = r->x2;
	w->y0 = r->y1;
	w->y1 = r->y2;
	w->off = off;
	w->len = len;
}

/* Whether glyph r continues word w: next to it on the same line. */
static int
pdf_glyph_joins(const struct pdf_word *w, const PopplerRectangle *r)
{
	double h = w->y1 - w->y0;

	return fabs((w->y0 + w->y1) / 2 - (r->y1 + r->y2) / 2) < h / 2 &&
	    r->x1 - w->x1 < h * 0.25 && r->x1 > w->x0 - 0.5;
}

/* The page's words: runs of glyphs that are no spaces and sit next to
 * each other (poppler's text has one layout rectangle per character). */
static void
pdf_words(struct pdf_page *p, const PopplerRectangle *rects, guint nrects)
{
	const char *s = p->text, *next;
	size_t k = 0;
	int joined = 0;

	for (; *s != '\0' && k < nrects; s = next, k++) {
		struct pdf_word *w;

		next = g_utf8_next_char(s);
		if (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r' ||
		    rects[k].x2 <= rects[k].x1) {
			joined = 0;
			continue;
		}
		w = p->n > 0 ? &p->w[p->n - 1] : NULL;
		if (joined && pdf_glyph_joins(w, &rects[k])) {
			w->len = (size_t)(next - p->text) - w->off;
			w->x1 = fmax(w->x1, rects[k].x2);
			w->y0 = fmin(w->y0, rects[k].y1);
			w->y1 = fmax(w->y1, rects[k].y2);
			continue;
		}
		pdf_word_new(p, &rects[k], (size_t)(s - p->text),
		    (size_t)(next - s));
		joined = 1;
	}
}

static int
word_cmp_y(const void *a, const void *b)
{
	const struct pdf_word *x = a, *y = b;
	double cx = (x->y0 + x->y1) / 2, cy = (y->y0 + y->y1) / 2;

	if (cx != cy)
		return cx < cy ? -1 : 1;
	return x->x0 < y->x0 ? -1 : x->x0 > y->x0;
}

static int
word_cmp_x(const void *a, const void *b)
{
	const struct pdf_word *x = a, *y = b;

	return x->x0 < y->x0 ? -1 : x->x0 > y->x0;
}

/* Lay out one row of words w[0..n): cells where the gaps are wide. */
static int
pdf_row(const struct pdf_page *p, struct pdf_word *w, size_t n, size_t row,
    struct layout *lo)
{
	struct buf cell;
	size_t i;
	double h, x0 = 0;
	int rc = 0;

	qsort(w, n, sizeof(*w), word_cmp_x);
	buf_init(&cell, 64 * 1024);
	for (i = 0; i < n && rc == 0; i++) {
		h = w[i].y1 - w[i].y0;
		if (getenv("MO_PDF_DEBUG") && i > 0)
			fprintf(stderr, "gap %.2f h %.2f ratio %.2f '%.*s'\n", w[i].x0 - w[i - 1].x1, h, (w[i].x0 - w[i - 1].x1) / h, (int)w[i].len, p->text + w[i].off);
		if (i > 0 && w[i].x0 - w[i - 1].x1 > h * PDF_CELL_GAP) {
			rc = layout_add(lo, row, x0, buf_str(&cell), cell.len);
			buf_reset(&cell);
		}
		if (cell.len == 0)
			x0 = w[i].x0;
		else
			(void)buf_addc(&cell, ' ');
		(void)buf_add(&cell, p->text + w[i].off, w[i].len);
	}
	if (rc == 0 && cell.len > 0)
		rc = layout_add(lo, row, x0, buf_str(&cell), cell.len);
	buf_release(&cell);
	return rc;
}

/* The page's words in rows: a word whose middle lies within the row's
 * first word's height is on that row. */
static int
pdf_rows(struct pdf_page *p, size_t *row, struct layout *lo)
{
	size_t i, start = 0;
	double mid, h, last_mid = -1, last_h = 0, pitch = 0;

	qsort(p->w, p->n, sizeof(*p->w), word_cmp_y);
	for (i = 0; i <= p->n; i++) {
		if (i < p->n) {
			mid = (p->w[i].y0 + p->w[i].y1) / 2;
			h = p->w[start].y1 - p->w[start].y0;
			if (i == start || fabs(mid - (p->w[start].y0 +
			    p->w[start].y1) / 2) < h / 2)
				continue;
		}
		mid = (p->w[start].y0 + p->w[start].y1) / 2;
		h = p->w[start].y1 - p->w[start].y0;
		if (getenv("MO_PDF_DEBUG"))
			fprintf(stderr, "row pitch %.2f h %.2f ratio %.2f\n", mid - last_mid, h, (mid - last_mid) / h);
		if (last_mid >= 0 && pitch > 0 && mid - last_mid >
		    PDF_BLOCK_GAP * pitch && mid - last_mid > PDF_BLOCK_MIN *
		    fmax(h, last_h))
			(*row)++;	/* a blank line: a new block */
		if (last_mid >= 0)
			pitch = mid - last_mid;
		last_mid = mid;
		last_h = h;
		if (pdf_row(p, p->w + start, i - start, (*row)++, lo) == -1)
			return -1;
		start = i;
	}
	return 0;
}

static int
pdf_page_read(PopplerPage *page, size_t *row, size_t *nwords,
    struct layout *lo)
{
	struct pdf_page p;
	PopplerRectangle *rects = NULL;
	guint nrects = 0;
	char *text;
	int rc = 0;

	memset(&p, 0, sizeof(p));
	if ((text = poppler_page_get_text(page)) == NULL)
		return 0;
	p.text = text;
	if (poppler_page_get_text_layout(page, &rects, &nrects))
		pdf_words(&p, rects, nrects);
	*nwords += p.n;
	if (p.n > 0)
		rc = pdf_rows(&p, row, lo);
	g_free(rects);
	g_free(text);
	free(p.w);
	return rc;
}

int
attach_pdf_read(const char *data, size_t len,
    const struct attach_limits *lim, struct buf *out, struct err *err)
{
	PopplerDocument *doc;
	PopplerPage *page;
	GError *gerr = NULL;
	GBytes *bytes;
	struct layout lo;
	size_t row = 0, nwords = 0;
	int i, npages, rc = 0;

	bytes = g_bytes_new_static(data, len);
	doc = poppler_document_new_from_bytes(bytes, NULL, &gerr);
	g_bytes_unref(bytes);
	if (doc == NULL) {
		err_set(err, ERR_MSG, "unreadable PDF: %s", gerr != NULL ?
		    gerr->message : "no document");
		g_clear_error(&gerr);
		return -1;
	}
	npages = poppler_document_get_n_pages(doc);
	if (npages < 0 || (unsigned int)npages > lim->max_pages) {
		g_object_unref(doc);
		return err_set(err, ERR_MSG, "%d pages; mailorder reads at "
		    "most %u", npages, lim->max_pages);
	}
	layout_init(&lo, lim->max_cells, 0);
	for (i = 0; i < npages && rc == 0; i++) {
		if ((page = poppler_document_get_page(doc, i)) == NULL)
			continue;
		if (i > 0)
			row++;		/* a new page is a new block */
		if (pdf_page_read(page, &row, &nwords, &lo) == -1)
			rc = err_set(err, ERR_MSG, "more than %zu words",
			    lim->max_cells);
		g_object_unref(page);
	}
	g_object_unref(doc);
	if (rc == 0 && nwords == 0)
		rc = err_set(err, ERR_MSG, "no text in %d page%s: a scanned "
		    "order? nobody can read it but a person", npages,
		    npages == 1 ? "" : "s");
	if (rc == 0 && layout_text(&lo, out) == -1)
		rc = err_set(err, ERR_MSG, "the PDF is longer than %zu bytes "
		    "of text", out->max);
	layout_release(&lo);
	return rc;
}

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
/* A row further below the one before than this many times the usual
 * row distance of the page's tables (and more than PDF_BLOCK_MIN
 * heights) starts a new block. */
#define PDF_BLOCK_GAP	2.0
#define PDF_BLOCK_MIN	2.5

struct pdf_word {
	double	 x0, y0, x1, y1;
	size_t	 off, len;	/* in the page's text */
	size_t	 line;		/* pdf_lines: which line it is on */
	int	 cell_start;	/* pdf_lines: the gap before it is wide */
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

struct pdf_cell {
	double	 x0, x1;
	struct buf text;
};

struct pdf_row {
	double		 mid, h;	/* of its first line */
	double		 last;		/* middle of its last line */
	double		 span_end;	/* where its centred cells say it
					   ends (pdf_line) */
	struct pdf_cell	*c;
	size_t		 n;
};

struct pdf_rows {
	struct pdf_row	*r;
	size_t		 n, cap;
};

static struct pdf_cell *
pdf_cell_new(struct pdf_row *row, size_t at, double x0, double x1)
{
	struct pdf_cell *c;

	row->c = xreallocarray(row->c, row->n + 1, sizeof(*row->c));
	memmove(row->c + at + 1, row->c + at, (row->n - at) * sizeof(*c));
	row->n++;
	c = &row->c[at];
	c->x0 = x0;
	c->x1 = x1;
	buf_init(&c->text, 64 * 1024);
	return c;
}

/* Whether word k starts a column of the page although it follows the
 * word before it closely: a number right-aligned in its column next to
 * a unit left-aligned in the next ("3 bag" in a spreadsheet printed
 * without grid lines).  It does when at least PDF_EDGE_WORDS words of
 * other lines start where it starts, one of them a cell's first word
 * (the column's header, say).  Words of a description that line up by
 * chance ("Cups" under "Cups") start no cell there. */
#define PDF_EDGE_WORDS	3
#define PDF_EDGE_SLACK	0.8	/* points */
#define PDF_EDGE_GAP	0.15	/* heights: a gap at least */

static int
pdf_column_edge(const struct pdf_page *p, size_t k)
{
	const struct pdf_word *w = &p->w[k];
	size_t i, words = 0, cells = 0;

	if (k == 0 || p->w[k - 1].line != w->line || w->x0 - p->w[k - 1].x1 <
	    PDF_EDGE_GAP * (w->y1 - w->y0))
		return 0;
	for (i = 0; i < p->n; i++) {
		if (p->w[i].line == w->line ||
		    fabs(p->w[i].x0 - w->x0) > PDF_EDGE_SLACK)
			continue;
		words++;
		cells += p->w[i].cell_start;
	}
	return cells > 0 && words >= PDF_EDGE_WORDS;
}

/*
 * Line words w[0..n) (sorted by x, indexes first.. in the page) as a
 * row: cells where the gaps are wide or a column starts.  The row's
 * height is its top line's; a cell whose words sit lower than that,
 * centred on a row of several lines, says how far down the row goes
 * (span_end): the lines above that are its wrapped cells.
 */
static void
pdf_line(const struct pdf_page *p, size_t first, size_t n,
    struct pdf_rows *rs)
{
	const struct pdf_word *w = p->w + first;
	struct pdf_row *row;
	struct pdf_cell *c = NULL;
	size_t i, top = 0, nw = 0;
	double cmid = 0, mid;

	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? rs->cap * 2 : 64;
		rs->r = xreallocarray(rs->r, rs->cap, sizeof(*rs->r));
	}
	row = &rs->r[rs->n++];
	memset(row, 0, sizeof(*row));
	for (i = 1; i < n; i++)
		if (w[i].y0 + w[i].y1 < w[top].y0 + w[top].y1)
			top = i;
	row->mid = row->last = row->span_end = (w[top].y0 + w[top].y1) / 2;
	row->h = w[top].y1 - w[top].y0;
	for (i = 0; i <= n; i++) {
		if (i == n || w[i].cell_start || pdf_column_edge(p, first + i)) {
			if (c != NULL && nw > 0 && cmid / (double)nw - row->mid >
			    0.2 * row->h)
				row->span_end = fmax(row->span_end,
				    2 * cmid / (double)nw - row->mid);
			if (i == n)
				break;
			c = pdf_cell_new(row, row->n, w[i].x0, w[i].x1);
			cmid = 0;
			nw = 0;
		} else
			(void)buf_addc(&c->text, ' ');
		(void)buf_add(&c->text, p->text + w[i].off, w[i].len);
		c->x1 = fmax(c->x1, w[i].x1);
		mid = (w[i].y0 + w[i].y1) / 2;
		cmid += mid;
		nw++;
	}
}

static void
pdf_rows_release(struct pdf_rows *rs)
{
	size_t i, k;

	for (i = 0; i < rs->n; i++) {
		for (k = 0; k < rs->r[i].n; k++)
			buf_release(&rs->r[i].c[k].text);
		free(rs->r[i].c);
	}
	free(rs->r);
}

/* The page's words in lines: a word whose middle lies within the
 * line's first word's height is on that line.  Each line sorted by x,
 * its words marked where the gap before them starts a cell. */
static void
pdf_lines(struct pdf_page *p, struct pdf_rows *rs)
{
	size_t i, k, start = 0, line = 0;
	double h, mid0;

	qsort(p->w, p->n, sizeof(*p->w), word_cmp_y);
	for (i = 1; i <= p->n; i++) {
		h = p->w[start].y1 - p->w[start].y0;
		mid0 = (p->w[start].y0 + p->w[start].y1) / 2;
		if (i < p->n && fabs((p->w[i].y0 + p->w[i].y1) / 2 - mid0) <
		    h / 2)
			continue;
		qsort(p->w + start, i - start, sizeof(*p->w), word_cmp_x);
		for (k = start; k < i; k++) {
			p->w[k].line = line;
			p->w[k].cell_start = k == start || p->w[k].x0 -
			    p->w[k - 1].x1 > (p->w[k].y1 - p->w[k].y0) *
			    PDF_CELL_GAP;
		}
		line++;
		start = i;
	}
	for (i = 0, start = 0; i <= p->n; i++) {
		if (i < p->n && p->w[i].line == p->w[start].line)
			continue;
		if (i > start)
			pdf_line(p, start, i - start, rs);
		start = i;
	}
}

static double
overlap(double a0, double a1, double b0, double b1)
{
	return fmin(a1, b1) - fmax(a0, b0);
}

/* Merge row b's cells into row a: a word under a cell of a continues
 * it (a wrapped description, "CHOC-CHIP-" over "COOK"), any other is a
 * cell of its own. */
static void
pdf_row_merge(struct pdf_row *a, struct pdf_row *b)
{
	size_t i, k, best;
	double ov, bestov;
	struct pdf_cell *c;

	for (i = 0; i < b->n; i++) {
		best = a->n;
		bestov = 0;
		for (k = 0; k < a->n; k++) {
			ov = overlap(a->c[k].x0, a->c[k].x1, b->c[i].x0,
			    b->c[i].x1);
			if (ov > bestov) {
				bestov = ov;
				best = k;
			}
		}
		if (best == a->n) {
			for (k = 0; k < a->n && a->c[k].x0 < b->c[i].x0; k++)
				;
			c = pdf_cell_new(a, k, b->c[i].x0, b->c[i].x1);
		} else {
			c = &a->c[best];
			if (c->text.len > 0 &&
			    c->text.data[c->text.len - 1] != '-')
				(void)buf_addc(&c->text, ' ');
			c->x0 = fmin(c->x0, b->c[i].x0);
			c->x1 = fmax(c->x1, b->c[i].x1);
		}
		(void)buf_add(&c->text, buf_str(&b->c[i].text),
		    b->c[i].text.len);
	}
	a->last = b->mid;
}

static int
dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The usual distance between two table rows of the page (rows of two
 * cells or more), in points; 0 when there are none. */
static double
pdf_row_pitch(const struct pdf_rows *rs)
{
	double *d = xcalloc(rs->n + 1, sizeof(*d)), m;
	size_t i, n = 0;

	for (i = 1; i < rs->n; i++)
		if (rs->r[i].n >= 2 && rs->r[i - 1].n >= 2)
			d[n++] = rs->r[i].mid - rs->r[i - 1].last;
	qsort(d, n, sizeof(*d), dbl_cmp);
	m = n > 0 ? d[n / 2] : 0;
	free(d);
	return m;
}

/* Whether the one cell of b sits inside a cell of a other than its
 * first: the second line of a wrapped description. */
static int
pdf_continues(const struct pdf_row *a, const struct pdf_row *b)
{
	size_t k;

	if (b->n != 1 || a->n < 3)
		return 0;
	for (k = 1; k < a->n; k++)
		if (b->c[0].x0 >= a->c[k].x0 - 1 &&
		    b->c[0].x0 < (k + 1 < a->n ? a->c[k + 1].x0 : 1e9))
			return 1;
	return 0;
}

/*
 * Lines that belong to the row above: a line closer than PDF_WRAP_GAP
 * heights (the cells of a row are centred on its height, so a row with
 * a wrapped cell is three lines half a line apart), or a lone cell that
 * continues a column of the row above closer than the rows of the table
 * are to each other.
 */
#define PDF_WRAP_GAP	0.8
#define PDF_WRAP_PITCH	0.75

static void
pdf_rows_join(struct pdf_rows *rs)
{
	double pitch = pdf_row_pitch(rs), d;
	size_t i, k, out = 0;

	for (i = 0; i < rs->n; i++) {
		struct pdf_row *a = out > 0 ? &rs->r[out - 1] : NULL;
		struct pdf_row *b = &rs->r[i];

		d = a != NULL ? b->mid - a->last : 0;
		if (a != NULL && (d < PDF_WRAP_GAP * fmin(a->h, b->h) ||
		    b->mid <= a->span_end + 0.3 * a->h ||
		    (pitch > 0 && d < PDF_WRAP_PITCH * pitch &&
		    pdf_continues(a, b)))) {
			pdf_row_merge(a, b);
			for (k = 0; k < b->n; k++)
				buf_release(&b->c[k].text);
			free(b->c);
			continue;
		}
		rs->r[out++] = *b;
	}
	rs->n = out;
}

struct pdf_span {
	double	 x0, x1;
	size_t	 rows;
	size_t	 last_row;
};

static int
span_cmp(const void *a, const void *b)
{
	const struct pdf_span *x = a, *y = b;

	return x->x0 < y->x0 ? -1 : x->x0 > y->x0;
}

/* How many cells the rows of a block have, as most rows have them at
 * least (the median): rows with fewer (a total, a footer line across
 * the columns) do not decide where the columns are. */
static size_t
pdf_block_cells(const struct pdf_row *r, size_t n)
{
	double *c = xcalloc(n, sizeof(*c));
	size_t i, m;

	for (i = 0; i < n; i++)
		c[i] = (double)r[i].n;
	qsort(c, n, sizeof(*c), dbl_cmp);
	m = (size_t)c[n / 2];
	free(c);
	return m;
}

/* The columns of rows r[0..n): the x ranges their cells cover, merged
 * where they overlap; a range only one row has (a header centred over
 * left-aligned cells) joins its nearest neighbour. */
static size_t
pdf_spans(const struct pdf_row *r, size_t n, struct pdf_span **out_r)
{
	struct pdf_span *sp = NULL;
	size_t i, k, ns = 0, cap = 0, j, full = pdf_block_cells(r, n);

	for (i = 0; i < n; i++)
		for (k = 0; k < r[i].n && r[i].n >= full; k++) {
			if (ns == cap) {
				cap = cap ? cap * 2 : 32;
				sp = xreallocarray(sp, cap, sizeof(*sp));
			}
			sp[ns].x0 = r[i].c[k].x0;
			sp[ns].x1 = r[i].c[k].x1;
			sp[ns].rows = 1;
			sp[ns++].last_row = i;
		}
	qsort(sp, ns, sizeof(*sp), span_cmp);
	for (i = 0, j = 0; i < ns; i++) {
		if (j > 0 && sp[i].x0 <= sp[j - 1].x1) {
			sp[j - 1].x1 = fmax(sp[j - 1].x1, sp[i].x1);
			sp[j - 1].rows += sp[i].rows;
		} else
			sp[j++] = sp[i];
	}
	ns = j;
	for (i = 0; n >= 3 && i < ns && ns > 1; ) {
		if (sp[i].rows > 1) {
			i++;
			continue;
		}
		/* join the nearer neighbour */
		k = i == 0 ? 1 : i + 1 >= ns ? i - 1 :
		    sp[i].x0 - sp[i - 1].x1 <= sp[i + 1].x0 - sp[i].x1 ?
		    i - 1 : i + 1;
		sp[k].x0 = fmin(sp[k].x0, sp[i].x0);
		sp[k].x1 = fmax(sp[k].x1, sp[i].x1);
		sp[k].rows += sp[i].rows;
		memmove(sp + i, sp + i + 1, (ns - i - 1) * sizeof(*sp));
		ns--;
		i = 0;
	}
	*out_r = sp;
	return ns;
}

/* Start every cell of a table block r[0..n) where its column starts,
 * so that a header centred over its column and the values under it
 * line up for the table reader. */
static void
pdf_block_align(struct pdf_row *r, size_t n)
{
	struct pdf_span *sp;
	size_t ns, i, k, s;
	double mid;

	ns = pdf_spans(r, n, &sp);
	for (i = 0; i < n; i++)
		for (k = 0; k < r[i].n; k++) {
			mid = (r[i].c[k].x0 + r[i].c[k].x1) / 2;
			for (s = 0; s < ns; s++)
				if (mid >= sp[s].x0 - 0.5 &&
				    mid <= sp[s].x1 + 0.5) {
					r[i].c[k].x0 = sp[s].x0;
					break;
				}
		}
	free(sp);
}

/* Whether a gap of more than PDF_BLOCK_GAP usual row distances (and
 * PDF_BLOCK_MIN heights) parts row i from the row before it: a page's
 * footer under its table, a new paragraph. */
static int
pdf_gap_before(const struct pdf_rows *rs, size_t i, double pitch)
{
	double d;

	if (i == 0 || pitch <= 0)
		return 0;
	d = rs->r[i].mid - rs->r[i - 1].last;
	return d > PDF_BLOCK_GAP * pitch && d > PDF_BLOCK_MIN * rs->r[i].h;
}

/* Blocks of rows of two cells or more, without a gap: tables. */
static void
pdf_align(struct pdf_rows *rs)
{
	double pitch = pdf_row_pitch(rs);
	size_t i, start;

	for (i = 0; i < rs->n; ) {
		if (rs->r[i].n < 2) {
			i++;
			continue;
		}
		for (start = i++; i < rs->n && rs->r[i].n >= 2 &&
		    !pdf_gap_before(rs, i, pitch); i++)
			;
		if (i - start >= 2)
			pdf_block_align(rs->r + start, i - start);
	}
}

/* The rows into the layout, an empty line at each gap. */
static int
pdf_emit(const struct pdf_rows *rs, size_t *row, struct layout *lo)
{
	double pitch = pdf_row_pitch(rs);
	size_t i, k;

	for (i = 0; i < rs->n; i++) {
		if (pdf_gap_before(rs, i, pitch))
			(*row)++;
		for (k = 0; k < rs->r[i].n; k++)
			if (layout_add(lo, *row, rs->r[i].c[k].x0,
			    buf_str(&rs->r[i].c[k].text),
			    rs->r[i].c[k].text.len) == -1)
				return -1;
		(*row)++;
	}
	return 0;
}

/* Whether the page is a picture with no text on it: an image covering
 * PDF_SCAN_AREA of the page with fewer than PDF_SCAN_WORDS words over
 * it.  An OCR'd scan has its words over the image and reads. */
#define PDF_SCAN_AREA	0.4
#define PDF_SCAN_WORDS	5

static int
pdf_page_is_scan(PopplerPage *page, const struct pdf_page *p)
{
	GList *maps, *l;
	double pw, ph, area;
	size_t i, inside;
	int scan = 0;

	poppler_page_get_size(page, &pw, &ph);
	maps = poppler_page_get_image_mapping(page);
	for (l = maps; l != NULL && !scan; l = l->next) {
		PopplerImageMapping *m = l->data;
		PopplerRectangle *a = &m->area;

		area = fabs((a->x2 - a->x1) * (a->y2 - a->y1));
		if (pw <= 0 || ph <= 0 || area < PDF_SCAN_AREA * pw * ph)
			continue;
		for (i = 0, inside = 0; i < p->n; i++)
			if (p->w[i].x0 >= fmin(a->x1, a->x2) &&
			    p->w[i].x1 <= fmax(a->x1, a->x2) &&
			    p->w[i].y0 >= fmin(a->y1, a->y2) &&
			    p->w[i].y1 <= fmax(a->y1, a->y2))
				inside++;
		scan = inside < PDF_SCAN_WORDS;
	}
	poppler_page_free_image_mapping(maps);
	return scan;
}

static int
pdf_page_read(PopplerPage *page, size_t *row, size_t *nwords, int *scan,
    struct layout *lo)
{
	struct pdf_page p;
	struct pdf_rows rs;
	PopplerRectangle *rects = NULL;
	guint nrects = 0;
	char *text;
	int rc = 0;

	memset(&p, 0, sizeof(p));
	memset(&rs, 0, sizeof(rs));
	if ((text = poppler_page_get_text(page)) == NULL)
		return 0;
	p.text = text;
	if (poppler_page_get_text_layout(page, &rects, &nrects))
		pdf_words(&p, rects, nrects);
	*nwords += p.n;
	if (pdf_page_is_scan(page, &p))
		*scan = 1;
	else if (p.n > 0) {
		pdf_lines(&p, &rs);
		pdf_rows_join(&rs);
		pdf_align(&rs);
		rc = pdf_emit(&rs, row, lo);
	}
	pdf_rows_release(&rs);
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
	int i, npages, rc = 0, scan = 0;

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
		if (pdf_page_read(page, &row, &nwords, &scan, &lo) == -1)
			rc = err_set(err, ERR_MSG, "more than %zu words",
			    lim->max_cells);
		g_object_unref(page);
	}
	g_object_unref(doc);
	if (rc == 0 && scan)
		rc = err_set(err, ERR_MSG, "a page is a picture with no text "
		    "on it: a scanned order? nobody can read it but a person");
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

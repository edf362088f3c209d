/*
 * Positioned cells to aligned text; see attach_int.h.  The text is what
 * rules/table.c reads as a space-aligned table: cells two or more spaces
 * apart, each under its header's column.  Widths are counted in bytes,
 * not characters, because the table reader places cells by byte offset.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "attach/attach_int.h"
#include "common/xmalloc.h"

#define LAYOUT_GAP	2	/* spaces between two cells at least */
#define LAYOUT_COLS_MAX	1024	/* grid columns laid out; wider is cut */

void
layout_init(struct layout *l, size_t max_cells, int grid)
{
	memset(l, 0, sizeof(*l));
	l->max_cells = max_cells;
	l->grid = grid;
}

void
layout_release(struct layout *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		free(l->cells[i].text);
	free(l->cells);
	memset(l, 0, sizeof(*l));
}

/* A cell's text on one line, single spaces, no '|' (the table reader
 * would take it for a cell border). */
static char *
layout_clean(const char *s, size_t len, size_t *len_r)
{
	char *out = xmalloc(len + 1);
	size_t i, n = 0;
	int space = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		    c == '|' || c == '\v' || c == '\f') {
			space = n > 0;
			continue;
		}
		if (c < 0x20 || c == 0x7f)
			continue;
		if (space)
			out[n++] = ' ';
		space = 0;
		out[n++] = (char)c;
	}
	out[n] = '\0';
	*len_r = n;
	return out;
}

int
layout_add(struct layout *l, size_t row, double x, const char *text,
    size_t len)
{
	struct layout_cell *c;
	size_t n;
	char *t;

	t = layout_clean(text, len, &n);
	if (n == 0) {
		free(t);
		return 0;
	}
	if (l->n >= l->max_cells) {
		free(t);
		return -1;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->cells = xreallocarray(l->cells, l->cap, sizeof(*l->cells));
	}
	c = &l->cells[l->n++];
	c->row = row;
	c->x = x;
	c->text = t;
	c->len = n;
	return 0;
}

static int
cell_cmp(const void *a, const void *b)
{
	const struct layout_cell *x = a, *y = b;

	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	if (x->x != y->x)
		return x->x < y->x ? -1 : 1;
	return 0;
}

/* Where each grid column starts: columns no cell uses take no room. */
static size_t *
layout_grid_starts(const struct layout *l)
{
	size_t *width = xcalloc(LAYOUT_COLS_MAX + 1, sizeof(*width));
	size_t i, c, at = 0;

	for (i = 0; i < l->n; i++) {
		c = (size_t)l->cells[i].x;
		if (c < LAYOUT_COLS_MAX && l->cells[i].len > width[c])
			width[c] = l->cells[i].len;
	}
	for (c = 0; c <= LAYOUT_COLS_MAX; c++) {
		size_t w = width[c];

		width[c] = at;		/* now the start */
		if (w > 0)
			at += w + LAYOUT_GAP;
	}
	return width;
}

static int
layout_pad(struct buf *out, size_t *col, size_t to)
{
	for (; *col < to; (*col)++)
		if (buf_addc(out, ' ') == -1)
			return -1;
	return 0;
}

int
layout_text(struct layout *l, struct buf *out)
{
	size_t *starts = NULL, i, col = 0, row = 0, to;
	int rc = -1;

	qsort(l->cells, l->n, sizeof(*l->cells), cell_cmp);
	if (l->grid)
		starts = layout_grid_starts(l);
	for (i = 0; i < l->n; i++) {
		const struct layout_cell *c = &l->cells[i];

		if (c->x < 0 || (l->grid && c->x >= LAYOUT_COLS_MAX))
			continue;
		if (i == 0 || c->row != row) {
			if (i > 0 && buf_addc(out, '\n') == -1)
				goto out;
			/* a gap in the rows: the next block */
			if (i > 0 && c->row > row + 1 &&
			    buf_addc(out, '\n') == -1)
				goto out;
			row = c->row;
			col = 0;
		}
		to = l->grid ? starts[(size_t)c->x] :
		    (size_t)floor(c->x / ATTACH_LAYOUT_UNIT);
		if (col > 0 && to < col + LAYOUT_GAP)
			to = col + LAYOUT_GAP;
		if (layout_pad(out, &col, to) == -1 ||
		    buf_add(out, c->text, c->len) == -1)
			goto out;
		col += c->len;
	}
	if (l->n > 0 && buf_addc(out, '\n') == -1)
		goto out;
	rc = 0;
out:
	free(starts);
	return rc;
}

int
attach_serial_date(double serial, char out[11])
{
	struct tm tm;
	time_t t;

	/* 1899-12-30 is -25569 days from the Unix epoch */
	if (!(serial >= 1 && serial < 2958466))
		return -1;
	t = (time_t)floor(serial - 25569) * 86400;
	if (gmtime_r(&t, &tm) == NULL)
		return -1;
	return strftime(out, 11, "%Y-%m-%d", &tm) == 10 ? 0 : -1;
}

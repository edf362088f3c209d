/*
 * Inline SVG charts for the HTML reports: drawn from numbers into a
 * buffer, no script, no fonts but the reader's own, readable when
 * printed.  Labels are escaped here.
 */
#ifndef MO_INSIGHT_SVG_H
#define MO_INSIGHT_SVG_H

#include <stddef.h>

#include "common/buf.h"

/* One bar or point: a label under it (may be NULL: none shown), its
 * value, and the text of its tooltip. */
struct svg_point {
	const char	*label;
	double		 value;
	int		 missing;	/* a line chart skips it */
	char		 tip[96];
};

/* Vertical bars, one per point. */
void	svg_bars(struct buf *, const char *id, const char *title,
	    const struct svg_point *, size_t n, const char *color);
/* A line through the points on a 0..max scale; percent labels the axis
 * in per cent of max. */
void	svg_line(struct buf *, const char *id, const char *title,
	    const struct svg_point *, size_t n, double max, int percent,
	    const char *color);
/* Horizontal bars, labelled on the left, each its own colour from a
 * small palette. */
void	svg_hbars(struct buf *, const char *id, const char *title,
	    const struct svg_point *, size_t n);

/* One horizontal bar per row, split into segments by share (0..1,
 * adding up to at most 1), each with its tooltip; a segment's label is
 * written on it when there is room. */
struct svg_segment {
	const char	*label;
	double		 share;
	char		 tip[96];
};
struct svg_row {
	const char		*label;
	const struct svg_segment *seg;
	size_t			 nseg;
};
void	svg_stack(struct buf *, const char *id, const char *title,
	    const struct svg_row *, size_t n);

/* Text escaped for HTML and SVG (& < > " '). */
void	svg_text(struct buf *, const char *);

#endif

/*
 * Quantities.  An order line's quantity is a number in the catalog's unit,
 * and that is not always whole: "half a tray", "1.5 kg of cheddar",
 * "500g" of something sold by the kilo.  They are kept as doubles rounded
 * to QTY_DECIMALS places, so that what is stored, shown and sent is the
 * same number everywhere, and written without a fraction when whole.
 */
#ifndef MO_QTY_H
#define MO_QTY_H

#include <stddef.h>

#define QTY_DECIMALS	3
#define QTY_MAX		1000000.0	/* larger is not an order line */
#define QTY_FMT_MAX	32		/* room for any quantity, with NUL */

/* q rounded to QTY_DECIMALS places. */
double	 qty_round(double q);

/* 1 when q is a whole number (after rounding). */
int	 qty_is_whole(double q);

/* q as text into buf (QTY_FMT_MAX bytes): "3", "0.5", "1.25"; returns buf. */
char	*qty_format(double q, char *buf);

/* Read a quantity written by a person or a file: digits with an optional
 * decimal point or comma and at most QTY_DECIMALS decimals ("3", "1.5",
 * "0,75"), no sign, no exponent, white space around it allowed.  Returns
 * 0 with *q set, or -1 when s is not such a number or is not in
 * (0, QTY_MAX]. */
int	 qty_parse(const char *s, double *q);

#endif

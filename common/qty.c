/*
 * Quantities; see qty.h.
 */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/qty.h"

double
qty_round(double q)
{
	return round(q * 1000.0) / 1000.0;
}

int
qty_is_whole(double q)
{
	q = qty_round(q);
	return q == floor(q);
}

char *
qty_format(double q, char *buf)
{
	size_t n;

	q = qty_round(q);
	if (!isfinite(q) || fabs(q) >= 1e15) {
		snprintf(buf, QTY_FMT_MAX, "0");
		return buf;
	}
	if (q == floor(q)) {
		snprintf(buf, QTY_FMT_MAX, "%.0f", q);
		return buf;
	}
	snprintf(buf, QTY_FMT_MAX, "%.*f", QTY_DECIMALS, q);
	n = strlen(buf);
	while (n > 0 && buf[n - 1] == '0')
		buf[--n] = '\0';
	return buf;
}

int
qty_parse(const char *s, double *q)
{
	double v = 0, scale = 1;
	int digits = 0, decimals = -1;

	while (isspace((unsigned char)*s))
		s++;
	for (; *s != '\0'; s++) {
		if (isdigit((unsigned char)*s)) {
			if (decimals >= 0) {
				if (++decimals > QTY_DECIMALS)
					return -1;
				scale /= 10;
				v += (*s - '0') * scale;
			} else if ((v = v * 10 + (*s - '0')) > QTY_MAX)
				return -1;
			digits++;
		} else if ((*s == '.' || *s == ',') && decimals < 0 &&
		    digits > 0 && isdigit((unsigned char)s[1]))
			decimals = 0;
		else
			break;
	}
	while (isspace((unsigned char)*s))
		s++;
	if (*s != '\0' || digits == 0)
		return -1;
	v = qty_round(v);
	if (v <= 0 || v > QTY_MAX)
		return -1;
	*q = v;
	return 0;
}

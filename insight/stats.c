/*
 * Medians and percentiles; see stats.h.
 */
#include "config.h"

#include <stdlib.h>

#include "insight/stats.h"

static int
stats_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void
insight_sort(double *v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof(*v), stats_cmp);
}

double
insight_median(const double *v, size_t n)
{
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double
insight_percentile(const double *v, size_t n, int p)
{
	/* ceil(p * n / 100) in integers, so 90% of 10 is exactly 9. */
	size_t rank = ((size_t)p * n + 99) / 100;

	return v[rank > 0 ? rank - 1 : 0];
}

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

/* The k-th smallest of v[0..n) (Hoare's selection, middle pivot); v is
 * reordered so that v[k] holds it and nothing smaller comes after. */
static double
stats_select(double *v, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1, i, j;
	double pivot, t;

	while (lo < hi) {
		pivot = v[lo + (hi - lo) / 2];
		i = lo;
		j = hi;
		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				t = v[i];
				v[i] = v[j];
				v[j] = t;
				i++;
				if (j-- == 0)
					break;
			}
		}
		if (k <= j && j != (size_t)-1)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			break;
	}
	return v[k];
}

double
insight_median_select(double *v, size_t n)
{
	double hi = stats_select(v, n, n / 2), lo;
	size_t i;

	if (n % 2)
		return hi;
	/* The largest below the upper middle: all of them are in
	 * v[0..n/2) after the selection. */
	lo = v[0];
	for (i = 1; i < n / 2; i++)
		if (v[i] > lo)
			lo = v[i];
	return (lo + hi) / 2;
}

double
insight_percentile_select(double *v, size_t n, int p)
{
	size_t rank = ((size_t)p * n + 99) / 100;

	return stats_select(v, n, rank > 0 ? rank - 1 : 0);
}

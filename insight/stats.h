/*
 * The few statistics the report shows, over arrays the caller owns.
 */
#ifndef MO_INSIGHT_STATS_H
#define MO_INSIGHT_STATS_H

#include <stddef.h>

/* Sort v[0..n) ascending. */
void	insight_sort(double *v, size_t n);

/* Of a sorted v[0..n), n > 0: the median (the mean of the middle two
 * when n is even) and the nearest-rank percentile p (0 < p <= 100): the
 * smallest value with at least p% of the values at or below it,
 * v[ceil(p/100 * n) - 1]. */
double	insight_median(const double *v, size_t n);
double	insight_percentile(const double *v, size_t n, int p);

/* The same two of an unsorted v[0..n), n > 0, in linear time; v is
 * reordered. */
double	insight_median_select(double *v, size_t n);
double	insight_percentile_select(double *v, size_t n, int p);

#endif

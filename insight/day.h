/*
 * Calendar days as numbers (days since 1970-01-01, UTC), for the
 * report's periods, weeks, quarters and rhythms.  Proleptic Gregorian,
 * the algorithm of Howard Hinnant's "chrono-compatible low-level date
 * algorithms".
 */
#ifndef MO_INSIGHT_DAY_H
#define MO_INSIGHT_DAY_H

#define INSIGHT_DAY_LEN 11	/* "YYYY-MM-DD" and its NUL */

/* "YYYY-MM-DD" (and nothing after it but a 'T' time) into *day_r: 0,
 * or -1 when s is no such date (2026-02-30 included). */
int	insight_day_parse(const char *s, long *day_r);
void	insight_day_format(long day, char buf[INSIGHT_DAY_LEN]);
/* "YYYY-MM-DDTHH:MM:SSZ" (the store's times) into Unix time: 0, or -1
 * when s is not one. */
int	insight_time_parse(const char *s, long long *t_r);
/* Today in UTC. */
long	insight_day_today(void);
/* The Monday on or before day. */
long	insight_day_monday(long day);
/* The first day of day's calendar quarter, and of the quarter before. */
long	insight_day_quarter(long day);
long	insight_day_quarter_before(long day);

#endif

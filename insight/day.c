/*
 * Calendar days as numbers; see day.h.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "insight/day.h"

static long
day_from_civil(long y, unsigned m, unsigned d)
{
	long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

static void
day_to_civil(long z, long *y_r, unsigned *m_r, unsigned *d_r)
{
	long era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d_r = doy - (153 * mp + 2) / 5 + 1;
	*m_r = mp < 10 ? mp + 3 : mp - 9;
	*y_r = (long)yoe + era * 400 + (*m_r <= 2);
}

/* n digits at s as a number, or -1: by hand, since a report parses a
 * day per order and sscanf() was a tenth of a year's report. */
static long
day_digits(const char *s, int n)
{
	long v = 0;
	int i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int
insight_day_parse(const char *s, long *day_r)
{
	long y, m, d, yy;
	unsigned mm, dd;

	if (s == NULL || strlen(s) < 10 || s[4] != '-' || s[7] != '-' ||
	    (s[10] != '\0' && s[10] != 'T') ||
	    (y = day_digits(s, 4)) < 0 || (m = day_digits(s + 5, 2)) < 1 ||
	    m > 12 || (d = day_digits(s + 8, 2)) < 1 || d > 31)
		return -1;
	*day_r = day_from_civil(y, (unsigned)m, (unsigned)d);
	if (d <= 28)
		return 0;
	day_to_civil(*day_r, &yy, &mm, &dd);	/* 2026-02-30 is not a day */
	return yy == y && mm == m && dd == d ? 0 : -1;
}

int
insight_time_parse(const char *s, long long *t_r)
{
	long day, h, m, sec;

	if (insight_day_parse(s, &day) == -1 || s[10] != 'T' ||
	    (h = day_digits(s + 11, 2)) < 0 || h > 23 || s[13] != ':' ||
	    (m = day_digits(s + 14, 2)) < 0 || m > 59 || s[16] != ':' ||
	    (sec = day_digits(s + 17, 2)) < 0 || sec > 60 ||
	    (s[19] != 'Z' && s[19] != '\0'))
		return -1;
	*t_r = (long long)day * 86400 + h * 3600 + m * 60 + sec;
	return 0;
}

void
insight_day_format(long day, char buf[INSIGHT_DAY_LEN])
{
	char tmp[48];	/* what the compiler thinks three numbers can take */
	long y;
	unsigned m, d;

	day_to_civil(day, &y, &m, &d);
	snprintf(tmp, sizeof(tmp), "%04ld-%02u-%02u", y % 10000, m, d);
	memcpy(buf, tmp, INSIGHT_DAY_LEN - 1);
	buf[INSIGHT_DAY_LEN - 1] = '\0';
}

long
insight_day_today(void)
{
	return (long)(time(NULL) / 86400);
}

long
insight_day_monday(long day)
{
	/* 1970-01-01 was a Thursday: day 0 is weekday 3 counting from
	 * Monday as 0. */
	long wd = ((day % 7) + 7 + 3) % 7;

	return day - wd;
}

long
insight_day_quarter(long day)
{
	long y;
	unsigned m, d;

	day_to_civil(day, &y, &m, &d);
	return day_from_civil(y, (m - 1) / 3 * 3 + 1, 1);
}

long
insight_day_quarter_before(long day)
{
	return insight_day_quarter(insight_day_quarter(day) - 1);
}

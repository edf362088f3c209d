/*
 * Requested delivery dates: turns the pieces a "date" rule captured
 * ("friday", "3" + "march", "12/03", "tomorrow") into YYYY-MM-DD relative
 * to the message's date.  The words themselves come from the rule file's
 * month/weekday/relative lines, so another language needs no C change.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rules/rules_int.h"

/* A number written in digits, or -1. */
static long
date_digits(const char *s)
{
	char *end;
	long v;

	if (s == NULL || !isdigit((unsigned char)*s))
		return -1;
	v = strtol(s, &end, 10);
	if (*end != '\0' || v > 9999)
		return -1;
	return v;
}

/* A number in digits or a word from list l. */
static long
date_value(const struct ruleset *rs, enum rules_wordlist l, const char *s)
{
	const struct rules_word *w;
	long v;

	if (s == NULL)
		return -1;
	if ((v = date_digits(s)) != -1)
		return v;
	w = rules_word_find(rs, l, s, strlen(s));
	return w != NULL ? w->value : -1;
}

static int
date_leap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
date_valid(long y, long m, long d)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1)
		return 0;
	return d <= mdays[m - 1] + (m == 2 && date_leap(y));
}

/* y, m and d are checked by the callers; the wide buffer only keeps the
 * compiler's truncation warning quiet. */
static void
date_put(char out[11], long y, long m, long d)
{
	char tmp[64];

	snprintf(tmp, sizeof(tmp), "%04ld-%02ld-%02ld", y, m, d);
	memcpy(out, tmp, 10);
	out[10] = '\0';
}

/* now + days, in calendar days. */
static void
date_add_days(const struct tm *now, long days, char out[11])
{
	struct tm tm = *now;
	time_t t;

	tm.tm_mday += (int)days;
	tm.tm_hour = 12;
	tm.tm_min = tm.tm_sec = 0;
	t = timegm(&tm);
	gmtime_r(&t, &tm);
	date_put(out, tm.tm_year + 1900L, tm.tm_mon + 1L, tm.tm_mday);
}

/* Days from (y, m, d) back to now's day: how far ahead the date is. */
static long
date_ahead(const struct tm *now, long y, long m, long d)
{
	struct tm a = *now, b;

	memset(&b, 0, sizeof(b));
	b.tm_year = (int)y - 1900;
	b.tm_mon = (int)m - 1;
	b.tm_mday = (int)d;
	b.tm_hour = a.tm_hour = 12;
	a.tm_min = a.tm_sec = 0;
	return (long)((timegm(&b) - timegm(&a)) / 86400);
}

/* The year of day/month: the one given, else the next such date on or
 * after now.  0 when the date does not exist. */
static long
date_year(const struct tm *tm, const char *year, long m, long d)
{
	long y;

	if (year != NULL) {
		if ((y = date_digits(year)) < 0)
			return 0;
		if (y < 100)
			y += 2000;
		return date_valid(y, m, d) ? y : 0;
	}
	y = tm->tm_year + 1900;
	if (m < tm->tm_mon + 1 || (m == tm->tm_mon + 1 && d < tm->tm_mday))
		y++;
	if (date_valid(y, m, d))
		return y;
	/* 29 February: the next leap year */
	if (m == 2 && d == 29 && date_valid(y + (4 - y % 4), m, d))
		return y + (4 - y % 4);
	return 0;
}

/* "02/12": the configured order, unless only the other one gives a date
 * that is soon (see rules.h). */
static int
date_numeric(const struct ruleset *rs, const struct rules_date_parts *p,
    const struct tm *tm, long *y_r, long *m_r, long *d_r)
{
	long a = date_digits(p->first), b = date_digits(p->second);
	long m1 = rs->date_dmy ? b : a, d1 = rs->date_dmy ? a : b;
	long y1 = date_year(tm, p->year, m1, d1), y2, ah1, ah2;

	y2 = date_year(tm, p->year, d1, m1);
	ah1 = y1 ? date_ahead(tm, y1, m1, d1) : -1;
	ah2 = y2 ? date_ahead(tm, y2, d1, m1) : -1;
	/* with the year written, only a date in the past is wrong */
	if ((ah1 < 0 || (ah1 > RULES_DATE_AHEAD && p->year == NULL)) &&
	    ah2 >= 0 && ah2 <= RULES_DATE_AHEAD) {
		*y_r = y2;
		*m_r = d1;
		*d_r = m1;
		return 0;
	}
	if (y1 == 0)
		return -1;
	*y_r = y1;
	*m_r = m1;
	*d_r = d1;
	return 0;
}

int
rules_date_resolve(const struct ruleset *rs,
    const struct rules_date_parts *p, time_t now, char out[11])
{
	struct tm tm;
	long y, m, d, wd, cur;

	if (gmtime_r(&now, &tm) == NULL)
		return -1;
	if (p->relative != NULL) {
		if ((d = date_value(rs, WORDS_RELATIVE, p->relative)) < 0)
			return -1;
		date_add_days(&tm, d, out);
		return 0;
	}
	if (p->weekday != NULL) {
		/* 1 = Monday .. 7 = Sunday; tm_wday has 0 = Sunday */
		if ((wd = date_value(rs, WORDS_WEEKDAY, p->weekday)) < 1 ||
		    wd > 7)
			return -1;
		cur = tm.tm_wday == 0 ? 7 : tm.tm_wday;
		d = (wd - cur + 7) % 7;
		date_add_days(&tm, d == 0 ? 7 : d, out);
		return 0;
	}
	if (p->first != NULL && p->second != NULL) {
		if (date_numeric(rs, p, &tm, &y, &m, &d) == -1)
			return -1;
		date_put(out, y, m, d);
		return 0;
	}
	d = date_digits(p->day);
	if (p->month != NULL)
		m = date_value(rs, WORDS_MONTH, p->month);
	else {
		/* "the 2nd": this month's, or next month's when it is past */
		m = tm.tm_mon + 1 + (d < tm.tm_mday);
		if (m > 12)
			m = 1;
	}
	if ((y = date_year(&tm, p->year, m, d)) == 0)
		return -1;
	date_put(out, y, m, d);
	return 0;
}

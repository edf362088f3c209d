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

/* now + days, in local calendar days (noon avoids DST edges). */
static void
date_add_days(const struct tm *now, long days, char out[11])
{
	struct tm tm = *now;

	tm.tm_mday += (int)days;
	tm.tm_hour = 12;
	tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	mktime(&tm);
	date_put(out, tm.tm_year + 1900L, tm.tm_mon + 1L, tm.tm_mday);
}

int
rules_date_resolve(const struct ruleset *rs,
    const struct rules_date_parts *p, time_t now, char out[11])
{
	struct tm tm;
	long y, m, d, wd, cur;

	if (localtime_r(&now, &tm) == NULL)
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
		m = date_digits(rs->date_dmy ? p->second : p->first);
		d = date_digits(rs->date_dmy ? p->first : p->second);
	} else {
		m = date_value(rs, WORDS_MONTH, p->month);
		d = date_digits(p->day);
	}
	if (p->year != NULL) {
		if ((y = date_digits(p->year)) < 0)
			return -1;
		if (y < 100)
			y += 2000;
		if (!date_valid(y, m, d))
			return -1;
		date_put(out, y, m, d);
		return 0;
	}
	/* no year: the next such date on or after now */
	y = tm.tm_year + 1900;
	if (m < tm.tm_mon + 1 || (m == tm.tm_mon + 1 && d < tm.tm_mday))
		y++;
	if (!date_valid(y, m, d)) {
		/* 29 February: the next leap year */
		if (m == 2 && d == 29 && date_valid(y + (4 - y % 4), m, d))
			y += 4 - y % 4;
		else
			return -1;
	}
	date_put(out, y, m, d);
	return 0;
}

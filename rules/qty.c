/*
 * Quantities and units: what a number a person wrote is worth ("two",
 * "1.5", "1 1/2", "half a"), and how a unit they wrote relates to the
 * one the shop sells in ("ratio dozen 12 each").  The words come from
 * the rule files; this file only knows how digits and fractions look.
 */
#include "config.h"

#include <ctype.h>
#include <string.h>

#include "common/qty.h"
#include "rules/rules_int.h"

/* "½", "¼", "¾": two bytes in UTF-8. */
static double
quantity_vulgar(const unsigned char *s)
{
	if (s[0] != 0xc2)
		return -1;
	switch (s[1]) {
	case 0xbc:
		return 0.25;
	case 0xbd:
		return 0.5;
	case 0xbe:
		return 0.75;
	}
	return -1;
}

/* Digits: "3", "1,000", "1.5", "0,75" (a comma before other than three
 * digits is a decimal comma), an optional fraction after a space or
 * glued ("1 1/2", "1½"), or a fraction alone ("3/4"). */
static double
quantity_digits(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *end = p + len;
	double v = 0, scale, f;
	int n;

	/* a fraction alone */
	if (len == 3 && isdigit(p[0]) && p[1] == '/' && isdigit(p[2]))
		return p[2] > p[0] && p[0] > '0' ? (double)(p[0] - '0') /
		    (p[2] - '0') : -1;
	for (n = 0; p < end && (isdigit(*p) || (*p == ',' && end - p >= 4 &&
	    isdigit(p[1]) && isdigit(p[2]) && isdigit(p[3]) &&
	    (end - p == 4 || !isdigit(p[4])) && n > 0)); p++) {
		if (*p == ',')
			continue;
		v = v * 10 + (*p - '0');
		if (v > RULES_QUANTITY_MAX)
			return RULES_QUANTITY_MAX + 1;
		n++;
	}
	if (n == 0)
		return -1;
	if (p < end && (*p == '.' || *p == ',') && end - p >= 2 &&
	    isdigit(p[1])) {
		for (p++, scale = 0.1; p < end && isdigit(*p); p++) {
			v += (*p - '0') * scale;
			scale /= 10;
		}
	}
	if (p < end && (f = quantity_vulgar(p)) > 0) {
		v += f;
		p += 2;
	} else if (end - p == 4 && p[0] == ' ' && isdigit(p[1]) &&
	    p[2] == '/' && isdigit(p[3]) && p[3] > p[1] && p[1] > '0') {
		v += (double)(p[1] - '0') / (p[3] - '0');
		p += 4;
	}
	return p == end ? qty_round(v) : -1;
}

/* "twenty-four", "twenty four": a tens word and a units word. */
static double
quantity_compound(const struct ruleset *rs, const char *s, size_t len)
{
	const struct rules_word *a, *b;
	size_t i;

	for (i = 1; i + 1 < len; i++) {
		if (s[i] != '-' && s[i] != ' ')
			continue;
		a = rules_word_find(rs, WORDS_NUMBER, s, i);
		b = rules_word_find(rs, WORDS_NUMBER, s + i + 1, len - i - 1);
		if (a != NULL && b != NULL && a->value >= 20 &&
		    a->value <= 90 && (long)a->value % 10 == 0 &&
		    b->value >= 1 && b->value <= 9 && b->value == (long)b->value)
			return a->value + b->value;
	}
	return -1;
}

double
rules_quantity_parse(const struct ruleset *rs, const char *s, size_t len)
{
	const struct rules_word *w;
	double v;

	while (len > 0 && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	if (len == 0)
		return -1;
	if (len == 2 && (v = quantity_vulgar((const unsigned char *)s)) > 0)
		return v;
	if (isdigit((unsigned char)s[0]))
		return quantity_digits(s, len);
	if ((w = rules_word_find(rs, WORDS_NUMBER, s, len)) != NULL)
		return w->value;
	return quantity_compound(rs, s, len);
}

/* The longest unit word that s[0..len) starts with (whole words only);
 * its length in *n_r. */
static const struct rules_word *
unit_prefix(const struct ruleset *rs, const char *s, size_t len, size_t *n_r)
{
	const struct rules_word *w;
	size_t n;

	for (n = len; n > 0; n--) {
		if (n < len && isalnum((unsigned char)s[n]))
			continue;
		if ((w = rules_word_find(rs, WORDS_UNIT, s, n)) != NULL) {
			*n_r = n;
			return w;
		}
	}
	return NULL;
}

double
rules_quantity_cell(const struct ruleset *rs, const char *s, size_t len,
    const char **unit_r)
{
	const struct rules_word *u = NULL;
	size_t i, n;
	double q;

	*unit_r = NULL;
	while (len > 0 && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len > 0 && (isspace((unsigned char)s[len - 1]) ||
	    s[len - 1] == '.'))
		len--;
	/* "x4" and "4x" */
	if (len > 1 && (s[0] == 'x' || s[0] == 'X')) {
		s++;
		len--;
	} else if (len > 1 && (s[len - 1] == 'x' || s[len - 1] == 'X') &&
	    isdigit((unsigned char)s[len - 2]))
		len--;
	if ((q = rules_quantity_parse(rs, s, len)) > 0)
		return q;
	/* "4 cases", "1.5kg": the number, then a unit */
	for (i = 0; i < len && !isalpha((unsigned char)s[i]); i++)
		;
	if (i > 0 && i < len && (u = unit_prefix(rs, s + i, len - i, &n)) !=
	    NULL && i + n == len && (q = rules_quantity_parse(rs, s, i)) > 0) {
		*unit_r = u->canon;
		return q;
	}
	/* "a dozen", "a case" */
	if (len > 2 && (s[0] == 'a' || s[0] == 'A') && s[1] == ' ' &&
	    (u = rules_word_find(rs, WORDS_UNIT, s + 2, len - 2)) != NULL) {
		*unit_r = u->canon;
		return 1;
	}
	return -1;
}

int
rules_unit_convert(const struct ruleset *rs, double q, const char *from,
    const char *to, double *q_r)
{
	const struct rules_ratio *ra;
	const char *f, *t;
	size_t i;

	if (from == NULL || to == NULL)
		return -1;
	f = rules_unit_canon(rs, from);
	t = rules_unit_canon(rs, to);
	if (f == NULL)
		f = from;
	if (t == NULL)
		t = to;
	if (strcmp(f, t) == 0) {
		*q_r = q;
		return 0;
	}
	for (i = 0; i < rs->nratios; i++) {
		ra = &rs->ratios[i];
		if (strcmp(ra->from, f) == 0 && (strcmp(ra->to, t) == 0 ||
		    strcmp(ra->to, "*") == 0)) {
			*q_r = qty_round(q * ra->factor);
			return 0;
		}
		if (strcmp(ra->from, t) == 0 && strcmp(ra->to, f) == 0) {
			*q_r = qty_round(q / ra->factor);
			return 0;
		}
	}
	return -1;
}

int
rules_unit_is_measure(const struct ruleset *rs, const char *unit)
{
	const char *u = rules_unit_canon(rs, unit);
	size_t i;

	if (u == NULL)
		u = unit;
	if (u == NULL)
		return 0;
	if (rules_word_find(rs, WORDS_MEASURE, u, strlen(u)) != NULL)
		return 1;
	/* a count ("dozen" of anything) converts to every unit */
	for (i = 0; i < rs->nratios; i++)
		if (strcmp(rs->ratios[i].to, "*") != 0 &&
		    (strcmp(rs->ratios[i].from, u) == 0 ||
		    strcmp(rs->ratios[i].to, u) == 0))
			return 1;
	return 0;
}

/*
 * What makes text that no rule read matter to a person: a number that
 * could be a quantity (not a time, date, price, phone number, house
 * number, postcode or size), product words, an order phrase or a
 * question.  The reader keeps such text as a residue; small talk ("Hope
 * you're well", "see the attached sheet") it lets go.
 */
#include "config.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "rules/rules_int.h"

/* Words that carry nothing on their own: an order phrase with only these
 * around it ("we need them by Friday please") asks for nothing new. */
static int
word_is_empty(const char *w, size_t n)
{
	static const char *const empty[] = {
		"a", "all", "also", "an", "and", "any", "are", "as", "asap",
		"be", "by", "can", "could", "deliver", "delivered", "delivery",
		"do", "for", "get", "have", "i", "if", "in", "is", "it",
		"like", "me", "need", "of", "on", "or", "our", "please", "pls",
		"possible", "send", "so", "soon", "thank", "thanks", "that",
		"the", "them", "these", "this", "those", "to", "us", "want",
		"we", "will", "would", "you", "everything", "week", "today",
		"tomorrow", "morning", "afternoon", "usual", "time", "d", "ll",
		"s", "m", "ve", "re", "just", "much", "many", "u",
		"order", "again", "thx", "ty", "cheers", "put", "down",
		"following", "below", "process", "restock", "list", "items",
		"item", "here", "there", "before", "after", "until", "am",
		"pm", "early", "latest", "usual", "normal", "way", "ok",
		"hi", "hello", "thanks", "regards", "best", "kind", "x", "xx",
	};
	size_t i;

	for (i = 0; i < sizeof(empty) / sizeof(empty[0]); i++)
		if (strlen(empty[i]) == n && strncasecmp(w, empty[i], n) == 0)
			return 1;
	return 0;
}

/* The word before s[i], lower-cased into w (empty at the start), and
 * whether a ':' or '|' stood between ("Total: 674.20"). */
static int
word_before(const char *s, size_t i, char *w, size_t wlen)
{
	size_t e = i, b, n;
	int colon = 0;

	while (e > 0 && strchr(" #.:|", s[e - 1]) != NULL) {
		colon |= s[e - 1] == ':' || s[e - 1] == '|';
		e--;
	}
	for (b = e; b > 0 && isalpha((unsigned char)s[b - 1]); b--)
		;
	n = e - b < wlen - 1 ? e - b : wlen - 1;
	for (e = 0; e < n; e++)
		w[e] = (char)tolower((unsigned char)s[b + e]);
	w[n] = '\0';
	return colon;
}

static int
word_listed(const char *w, const char *const *list)
{
	size_t k;

	for (k = 0; list[k] != NULL; k++)
		if (strcmp(w, list[k]) == 0)
			return 1;
	return 0;
}

/* "week 48", "floor 3", "order no 1102": a number naming something. */
/* "before 9", "at 10:30", "between 10 and 2": a time, unless what
 * follows the number says it counts something ("after 3 more of the
 * rainbow bags", "by 2 x 5 kg"). */
static int
number_is_time(const char *s, size_t len, size_t i)
{
	static const char *const counting[] = { "more", "extra", "of", "x",
	    "bags", "boxes", "cases", "packs", "trays", NULL };
	size_t j = i, b, k;

	while (j < len && isdigit((unsigned char)s[j]))
		j++;
	while (j < len && s[j] == ' ')
		j++;
	for (b = j; j < len && isalpha((unsigned char)s[j]); j++)
		;
	for (k = 0; j > b && counting[k] != NULL; k++)
		if (strlen(counting[k]) == j - b &&
		    strncasecmp(s + b, counting[k], j - b) == 0)
			return 0;
	return 1;
}

/* "10 and 2": the number at s[i] ends a range that began with one. */
static int
number_after_number(const char *s, size_t i)
{
	size_t e = i;

	while (e > 0 && s[e - 1] == ' ')
		e--;
	if (e < 3 || strncasecmp(s + e - 3, "and", 3) != 0)
		return 0;
	e -= 3;
	while (e > 0 && s[e - 1] == ' ')
		e--;
	return e > 0 && isdigit((unsigned char)s[e - 1]);
}

int
rules_text_number_is_label(const char *s, size_t len, size_t i)
{
	/* right before the number: "week 48", "Dock 4", "Dec 12" */
	static const char *const times[] = { "before", "after", "until",
	    "till", "at", "around", "from", "between", "by", NULL };
	static const char *const labels[] = { "week", "wk", "room", "floor",
	    "jan", "january", "feb", "february", "mar", "march", "apr",
	    "april", "may", "jun", "june", "jul", "july", "aug", "august",
	    "sep", "sept", "september", "oct", "october", "nov", "november",
	    "dec", "december", "mon", "monday", "tue", "tuesday", "wed",
	    "wednesday", "thu", "thursday", "fri", "friday", "sat",
	    "saturday", "sun", "sunday", "term", "year", "grade", "class",
	    "suite", "unit", "no", "number", "ref",
	    "invoice", "po", "account", "table", "dock", "door", "bay",
	    "level", "gate", "aisle", "page", "building", "site", "store",
	    "branch", "route", "ext", "extension", "box", "apt", "flat",
	    NULL };
	/* through a colon too: "Total: 674.20", "Revision: 0"; but not
	 * "Friday: 3 sacks", which is what Friday's order is */
	static const char *const fields[] = { "total", "subtotal", "amount",
	    "price", "cost", "balance", "tax", "vat", "net", "gross",
	    "revision", "rev", "version", "terms", "page", "ref", "id",
	    "code", "no", "number", "invoice", "po", "account", "phone",
	    "tel", "fax", NULL };
	char w[16];
	int colon;

	colon = word_before(s, i, w, sizeof(w));
	if (word_listed(w, fields) || (!colon && word_listed(w, labels)))
		return 1;
	/* "before 9", "at 10:30", "between 10 and 2" are times; "after 3
	 * more of the rainbow bags" and "and 4 punnets" are not */
	if (!colon && strcmp(w, "and") == 0)
		return number_after_number(s, i);
	return !colon && word_listed(w, times) && number_is_time(s, len, i);
}

/* "7 Bruntsfield Place", "1200 Ridge Rd": a house number. */
int
rules_text_number_is_address(const char *s, size_t len, size_t j)
{
	static const char *const streets[] = { "street", "st", "road", "rd",
	    "avenue", "ave", "lane", "ln", "drive", "dr", "place", "pl",
	    "way", "court", "ct", "close", "crescent", "terrace", "square",
	    "sq", "plaza", "park", "parade", "row", "hill", "parkway",
	    "pkwy", "highway", "hwy", "boulevard", "blvd", "circle", "mews",
	    "gardens", "walk", "grove", "green", "market", "estate", "mall",
	    "industrial", NULL };
	size_t w, b, k;

	/* an address is written in capitals, and its first word is a
	 * name ("Gloucester Road"), so "1 box green tea" is none */
	for (w = 0; w < 4 && j < len; w++) {
		while (j < len && (s[j] == ' ' || s[j] == ',' || s[j] == '.'))
			j++;
		for (b = j; j < len && (isalpha((unsigned char)s[j]) ||
		    s[j] == '\'' || (unsigned char)s[j] >= 0x80); j++)
			;
		if (j == b || !isupper((unsigned char)s[b]))
			return 0;
		for (k = 0; w > 0 && streets[k] != NULL; k++)
			if (strlen(streets[k]) == j - b &&
			    strncasecmp(s + b, streets[k], j - b) == 0)
				return 1;
	}
	return 0;
}

/* Digits in groups apart by spaces, dashes, dots or brackets ("020 7946
 * 0321", "(555) 017-2040"), seven or more in all: a phone number.
 * Returns where it ends, or i when it is none. */
size_t
rules_text_phone_end(const char *s, size_t len, size_t i)
{
	size_t j = i, digits = 0, end = i, k;

	while (j < len && isdigit((unsigned char)s[j])) {
		while (j < len && isdigit((unsigned char)s[j])) {
			digits++;
			j++;
		}
		end = j;
		for (k = j; k < len && k - j < 3 && strchr(" -.()", s[k]) != NULL;
		    k++)
			;
		if (k > j && k < len && isdigit((unsigned char)s[k]))
			j = k;
		else
			break;
	}
	return digits >= 7 && end > i ? end : i;
}

/* "30 days", "2 hours", "5%": how long or how much, not how many. */
static int
number_is_duration(const char *s, size_t len, size_t j)
{
	static const char *const words[] = { "day", "days", "week", "weeks",
	    "month", "months", "year", "years", "hour", "hours", "hr", "hrs",
	    "min", "mins", "minute", "minutes", "percent", "people",
	    "staff", "guests", "person", "persons", "times", "kids",
	    "children", "pupils", "students", "members", "employees",
	    "covers", "seats", "beds", "rooms", "tables", "locations",
	    "sites", "shops", "stores", "branches", "buildings", NULL };
	size_t b, k;

	while (j < len && s[j] == ' ')
		j++;
	for (b = j; j < len && isalpha((unsigned char)s[j]); j++)
		;
	for (k = 0; j > b && words[k] != NULL; k++)
		if (strlen(words[k]) == j - b &&
		    strncasecmp(s + b, words[k], j - b) == 0)
			return 1;
	return 0;
}

/* A number that could be a quantity: digits not part of a time, date,
 * price, percentage, phone number or ordinal, or a number word. */
int
rules_text_has_quantity(const struct ruleset *rs, const char *s, size_t len)
{
	const struct rules_word *w;
	size_t i, j, k;

	for (i = 0; i < len; i = j) {
		for (; i < len && !isalnum((unsigned char)s[i]) &&
		    (unsigned char)s[i] < 0x80; i++)
			;
		for (j = i; j < len && (isalnum((unsigned char)s[j]) ||
		    (unsigned char)s[j] >= 0x80 || s[j] == '\'' ||
		    ((s[j] == '.' || s[j] == ',' || s[j] == ':' || s[j] == '/' ||
		    s[j] == '-') && j + 1 < len &&
		    isalnum((unsigned char)s[j + 1]) && j > i &&
		    isdigit((unsigned char)s[j - 1]))); j++)
			;
		if (j == i) {
			j = i + 1;
			continue;
		}
		if (isdigit((unsigned char)s[i]) &&
		    (k = rules_text_phone_end(s, len, i)) > i) {
			j = k;
			continue;
		}
		if (isdigit((unsigned char)s[i])) {
			if (rules_text_number_is_label(s, len, i))
				continue;
			for (k = i; k < j && (isdigit((unsigned char)s[k]) ||
			    s[k] == '.' || s[k] == ','); k++)
				;
			/* 10:30, 12/03, 555-0199, 2026-12-01, "20-person" */
			if (memchr(s + i, ':', j - i) != NULL ||
			    memchr(s + i, '/', j - i) != NULL ||
			    memchr(s + i, '-', j - i) != NULL)
				continue;
			if (i > 0 && strchr("$#+\xa3", s[i - 1]) != NULL)
				continue;
			if (k < j && (strncasecmp(s + k, "st", 2) == 0 ||
			    strncasecmp(s + k, "nd", 2) == 0 ||
			    strncasecmp(s + k, "rd", 2) == 0 ||
			    strncasecmp(s + k, "th", 2) == 0 ||
			    strncasecmp(s + k, "am", 2) == 0 ||
			    strncasecmp(s + k, "pm", 2) == 0))
				continue;
			if (j < len && s[j] == '%')
				continue;
			/* 16oz, 500ml, a postcode's 4HN: letters glued to
			 * digits make a size or a code; only "3x" counts */
			if (k < j && !(j - k == 1 && (s[k] == 'x' ||
			    s[k] == 'X')))
				continue;
			if (rules_text_number_is_address(s, len, j) ||
			    number_is_duration(s, len, j))
				continue;
			/* 0 is none; a five-figure number is a code, a ZIP or
			 * an account, not what anyone orders by mail */
			if (k - i >= 5 || (k - i == 1 && s[i] == '0'))
				continue;
			if (j < len && (s[j] == '"' || strncmp(s + j,
			    "\xe2\x80\x9d", 3) == 0))
				continue;	/* 9" */
			if (k - i >= 7)
				continue;	/* phone and account numbers */
			if (k - i == 4 && (s[i] == '1' || s[i] == '2') &&
			    (s[i + 1] == '9' || s[i + 1] == '0'))
				continue;	/* a year */
			return 1;
		}
		w = rules_word_find(rs, WORDS_NUMBER, s + i, j - i);
		if (w != NULL && w->value >= 2)
			return 1;
	}
	return 0;
}

/* 1 when s[0..len) has a word that is not an empty one. */
int
rules_text_has_content(const char *s, size_t len)
{
	size_t i, j;

	for (i = 0; i < len; i = j) {
		for (; i < len && !isalpha((unsigned char)s[i]) &&
		    (unsigned char)s[i] < 0x80; i++)
			;
		for (j = i; j < len && (isalpha((unsigned char)s[j]) ||
		    (unsigned char)s[j] >= 0x80); j++)
			;
		if (j > i && !word_is_empty(s + i, j - i))
			return 1;
	}
	return 0;
}

int
rules_text_has_any(const char *s, size_t len, const char *const *words)
{
	size_t i, j, k;

	for (i = 0; i < len; i = j) {
		for (; i < len && !isalpha((unsigned char)s[i]); i++)
			;
		for (j = i; j < len && isalpha((unsigned char)s[j]); j++)
			;
		for (k = 0; j > i && words[k] != NULL; k++)
			if (strlen(words[k]) == j - i &&
			    strncasecmp(s + i, words[k], j - i) == 0)
				return 1;
	}
	return 0;
}


/* "the following", "below", a line ending in ":": words that introduce
 * a list.  Only a number in them can matter. */
static int
is_intro(const char *s, size_t len)
{
	static const char *const words[] = { "following", "below",
	    "as follows", "attached", "this week's order", NULL };
	size_t i, k;

	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	if (len > 0 && s[len - 1] == ':')
		return 1;
	for (i = 0; i < len; i++)
		for (k = 0; words[k] != NULL; k++)
			if (len - i >= strlen(words[k]) && strncasecmp(s + i,
			    words[k], strlen(words[k])) == 0)
				return 1;
	return 0;
}

int
rules_ctx_residue_why(struct rules_ctx *x, const char *s, size_t len)
{
	struct rules_mention m;
	int why = 0;

	if (is_intro(s, len))
		return rules_text_has_quantity(x->rs, s, len) ?
		    RULES_RESIDUE_QUANTITY : 0;
	if (rules_text_has_quantity(x->rs, s, len))
		why |= RULES_RESIDUE_QUANTITY;
	memset(&m, 0, sizeof(m));
	if (x->lex != NULL && x->lex->mention != NULL &&
	    x->lex->mention(x->lex->arg, s, len, &m) >= RULES_HINT && !m.weak)
		why |= RULES_RESIDUE_MENTION;
	/* a question is small talk unless it names a product or a number
	 * ("do you take credit cards?" is for a person, but it does not
	 * make the order unread) */
	if (rules_ctx_match(x, RULE_LEAD, s, len) &&
	    rules_text_has_content(s, len))
		why |= RULES_RESIDUE_PHRASE;
	if (why != 0 && rules_ctx_match(x, RULE_NOT_ORDER, s, len))
		why |= RULES_RESIDUE_QUESTION;
	return why;
}


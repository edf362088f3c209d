/*
 * Tokens for matching what customers write against catalog names.
 * Deliberately simple English-centred rules: this runs for every order
 * line, and anything it gets wrong ends as a flag for a person, not as a
 * wrong product.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resolve/text.h"

/* Every list here is in strcmp order (word_in searches by halves). */
static const char *const filler_words[] = {
	"a", "about", "again", "all", "also", "an", "and", "another", "any",
	"approx", "around", "asap", "both", "cheers", "each", "extra", "fab",
	"for", "good", "great", "just", "lovely", "more", "my", "nice",
	"normal", "of", "ok", "okay", "only", "our", "please", "pls", "plz",
	"roughly", "same", "some", "ta", "thanks", "the", "their", "these",
	"this", "those", "thx", "too", "total", "ty", "us", "usual", "x",
	"xx", "your", NULL
};

/* Words that only point at something ("that chocolate thing we got"). */
static const char *const vague_words[] = {
	"again", "bigger", "but", "did", "from", "get", "got", "had", "have",
	"in", "it", "kind", "last", "like", "lot", "one", "ones", "order",
	"ordered", "same", "smaller", "stuff", "that", "them", "these",
	"thing", "things", "this", "those", "time", "usual", "we", "which",
	"with", "you", NULL
};

/* Is w in list?  The word lists are kept in strcmp order and searched
 * by halves: tokenising runs for every way every clause can be read,
 * and comparing each word with every list entry was a twentieth of
 * the time per message. */
static int
word_in(const char *w, const char *const *list, size_t n)
{
	size_t lo = 0, hi = n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(w, list[mid])) == 0)
			return 1;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}
/* n leaves out the NULL that ends each list */
#define WORD_IN(w, list) word_in((w), (list), \
	sizeof(list) / sizeof((list)[0]) - 1)

static int
text_has_alpha(const char *s)
{
	for (; *s != '\0'; s++)
		if (isalpha((unsigned char)*s))
			return 1;
	return 0;
}

int
text_has_digit(const char *s)
{
	for (; *s != '\0'; s++)
		if (isdigit((unsigned char)*s))
			return 1;
	return 0;
}

/* Strip an English plural so "cups" meets "cup" and "boxes" meets "box".
 * Words with digits ("12oz") and short words are left alone. */
static void
text_stem(char *w)
{
	size_t n = strlen(w);

	if (n <= 3 || text_has_digit(w) || (unsigned char)w[n - 1] >= 0x80)
		return;
	if (n > 4 && strcmp(w + n - 3, "ies") == 0) {
		strcpy(w + n - 3, "y");
	} else if (n > 4 && strcmp(w + n - 2, "ie") == 0) {
		/* "brownie" meets "brownies", "cookie" "cookies" */
		strcpy(w + n - 2, "y");
	} else if (n > 5 && strcmp(w + n - 3, "oes") == 0) {
		w[n - 2] = '\0';	/* tomatoes, potatoes */
	} else if (n > 5 && strcmp(w + n - 3, "ves") == 0 &&
	    strcmp(w + n - 4, "aves") == 0) {
		strcpy(w + n - 3, "f");	/* loaves */
	} else if (n > 4 && (strcmp(w + n - 4, "ches") == 0 ||
	    strcmp(w + n - 4, "shes") == 0 || strcmp(w + n - 3, "xes") == 0 ||
	    strcmp(w + n - 4, "sses") == 0)) {
		w[n - 2] = '\0';
	} else if (w[n - 1] == 's' && w[n - 2] != 's' && w[n - 2] != 'u' &&
	    w[n - 2] != 'i') {
		w[n - 1] = '\0';
	}
}

/* Measures written after a size: "12 oz", "500 ml", "1 kg". */
static const char *const size_words[] = {
	"cl", "cm", "count", "ct", "g", "in", "inch", "inches", "kg", "l",
	"lb", "lbs", "ltr", "ml", "mm", "oz", "pack", "pk", NULL
};

/* Containers whose count a product's name gives: "box of 36". */
static const char *const count_words[] = {
	"bag", "box", "carton", "case", "pack", "packet", "roll", "sleeve",
	"tin", "tub", "tube", NULL
};

/*
 * One way to write a size or a pack count, so that what the customer
 * writes meets what the catalog says: "8 inch", "8in" and 8" are "8in";
 * "80ct", "80 count", "pk16", "16pk", "16 pack", "x12", "box of 80" and
 * "(dozen)" are "80ct", "16ct", "12ct".  w is a token, changed in place.
 */
/* "75cl" and "750ml", "1l" and "1000ml", "0.5kg" and "500g": one size
 * written in the smaller unit. */
static int
text_metric(char *w)
{
	static const struct { const char *u, *to; double f; } m[] = {
		{ "ml", "ml", 1 }, { "cl", "ml", 10 }, { "l", "ml", 1000 },
		{ "ltr", "ml", 1000 }, { "litre", "ml", 1000 },
		{ "liter", "ml", 1000 }, { "g", "g", 1 }, { "kg", "g", 1000 },
	};
	char *end;
	double v;
	size_t i;

	if (!isdigit((unsigned char)w[0]))
		return 0;
	v = strtod(w, &end);
	if (end == w || v <= 0 || v > 100000)
		return 0;
	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (strcmp(end, m[i].u) == 0) {
			snprintf(w, TEXT_MAX_TOKEN, "%g%s", v * m[i].f, m[i].to);
			return 1;
		}
	return 0;
}

static void
text_size(char *w, int letters)
{
	size_t n = strlen(w), d;

	if (text_metric(w))
		return;

	for (d = 0; d < n && isdigit((unsigned char)w[d]); d++)
		;
	if (d > 0 && d < n && (strcmp(w + d, "inch") == 0 ||
	    strcmp(w + d, "inche") == 0 || strcmp(w + d, "inches") == 0))
		strcpy(w + d, "in");
	else if (d > 0 && d < n && (strcmp(w + d, "count") == 0 ||
	    strcmp(w + d, "pk") == 0 || strcmp(w + d, "pack") == 0 ||
	    strcmp(w + d, "pcs") == 0 || strcmp(w + d, "pc") == 0))
		strcpy(w + d, "ct");
	else if (d == 0 && (w[0] == 'x' || (w[0] == 'p' && w[1] == 'k')) &&
	    isdigit((unsigned char)w[w[0] == 'x' ? 1 : 2])) {
		size_t o = w[0] == 'x' ? 1 : 2, k;

		for (k = o; k < n && isdigit((unsigned char)w[k]); k++)
			;
		if (k == n && n - o + 3 < TEXT_MAX_TOKEN) {
			memmove(w, w + o, n - o);
			strcpy(w + n - o, "ct");
		}
	} else if (strcmp(w, "dozen") == 0)
		strcpy(w, "12ct");
	/* "100/bx", "96/cs": how many in the box */
	else if (d > 0 && w[d] == '/')
		strcpy(w + d, "ct");
	/* "gloves M", "tee L": a size letter, written in capitals ("(m)"
	 * after fabric is a metre) */
	else if (n == 1 && !letters)
		;
	else if (strcmp(w, "s") == 0 || strcmp(w, "sm") == 0)
		strcpy(w, "small");
	else if (strcmp(w, "m") == 0 || strcmp(w, "med") == 0)
		strcpy(w, "medium");
	else if (strcmp(w, "l") == 0 || strcmp(w, "lg") == 0)
		strcpy(w, "large");
}

/* Words between two tokens that keep them apart: "oat milk for the
 * kitchen" is oat milk, and the kitchen is somewhere else. */
static const char *const gap_words[] = {
	"along", "alongside", "and", "as", "at", "but", "by", "each", "for",
	"from", "in", "including", "instead", "into", "next", "not", "on",
	"or", "per", "please", "plus", "rather", "so", "then", "to",
	"together", "via", "when", "with", "without", NULL
};

struct text_state {
	struct text_tokens	*out;
	struct text_spans	*spans;
	int			 descriptor;
	int			 gap;	/* a break since the last token */
	int			 punct;	/* made by punctuation */
	const char		*src;	/* the text, for the case of letters */
};

static void
text_push(struct text_state *ts, char *w, size_t so, size_t eo)
{
	struct text_tokens *out = ts->out;

	/* Glue a bare unit to the number before it: "12 oz" -> "12oz"
	 * (but "1 hot choc" is one and a hot choc). */
	if (out->n > 0 && !ts->gap && WORD_IN(w, size_words) &&
	    text_has_digit(out->tok[out->n - 1]) &&
	    isdigit((unsigned char)out->tok[out->n - 1][strlen(out->tok[out->n - 1]) - 1])) {
		char *prev = out->tok[out->n - 1];

		if (strlen(prev) + strlen(w) < TEXT_MAX_TOKEN) {
			strcat(prev, w);
			text_size(prev, 0);
			if (ts->spans != NULL)
				ts->spans->eo[out->n - 1] = eo;
			return;
		}
	}
	if (WORD_IN(w, gap_words))
		ts->gap = 1;
	if (WORD_IN(w, filler_words) ||
	    (ts->descriptor && WORD_IN(w, vague_words)))
		return;
	text_stem(w);
	text_size(w, ts->src != NULL &&
	    isupper((unsigned char)ts->src[so]));
	/* "box of 36": the count after a container is its pack size */
	if (out->n > 0 && isdigit((unsigned char)w[0]) && !text_has_alpha(w) &&
	    WORD_IN(out->tok[out->n - 1], count_words) &&
	    strlen(w) + 3 < TEXT_MAX_TOKEN)
		strcat(w, "ct");
	if (out->n < TEXT_MAX_TOKENS) {
		if (ts->spans != NULL) {
			ts->spans->so[out->n] = so;
			ts->spans->eo[out->n] = eo;
			ts->spans->gap[out->n] = (uint8_t)ts->gap;
			ts->spans->punct[out->n] = (uint8_t)ts->punct;
		}
		strcpy(out->tok[out->n++], w);
	}
	ts->gap = 0;
	ts->punct = 0;
}

void
text_tokenize_n(const char *s, size_t len, int descriptor,
    struct text_tokens *out, struct text_spans *spans)
{
	const unsigned char *p = (const unsigned char *)s;
	struct text_state ts = { out, spans, descriptor, 0, 0, s };
	char w[TEXT_MAX_TOKEN];
	size_t wn = 0, i, start = 0;

	out->n = 0;
	for (i = 0;; i++) {
		int c = i < len ? p[i] : 0;

		if (c != 0 && (isalnum(c) || c >= 0x80 || (c == '.' && wn > 0 &&
		    isdigit((unsigned char)w[wn - 1]) && i + 1 < len &&
		    isdigit(p[i + 1])))) {
			if (wn == 0)
				start = i;
			if (wn + 1 < sizeof(w))
				w[wn++] = (char)tolower(c);
			continue;
		}
		if (c == '\'' && wn > 0 && i + 1 < len && isalpha(p[i + 1]))
			continue;	/* "men's" -> "mens" */
		/* "100/bx": a count per package stays one word */
		if (c == '/' && wn > 0 && wn + 1 < sizeof(w) &&
		    isdigit((unsigned char)w[0]) && i + 1 < len &&
		    isalpha(p[i + 1]) && (i + 2 >= len || !isalpha(p[i + 2]) ||
		    i + 3 >= len || !isalpha(p[i + 3]))) {
			w[wn++] = '/';
			continue;
		}
		/* "s/s", "w/o", "n/a": one abbreviation, not two size
		 * letters */
		if (c == '/' && wn == 1 && isalpha((unsigned char)w[0]) &&
		    i + 1 < len && isalpha(p[i + 1]) &&
		    (i + 2 >= len || !isalnum(p[i + 2]))) {
			w[wn++] = '/';
			continue;
		}
		/* 9" is 9 inches */
		if (wn > 0 && isdigit((unsigned char)w[wn - 1]) && (c == '"' ||
		    (c == 0xe2 && i + 2 < len && p[i + 1] == 0x80 &&
		    p[i + 2] == 0x9d)) && wn + 3 < sizeof(w)) {
			w[wn++] = 'i';
			w[wn++] = 'n';
		}
		if (wn > 0) {
			w[wn] = '\0';
			text_push(&ts, w, start, i);
			wn = 0;
		}
		if (c == 0)
			break;
		/* punctuation keeps words apart; "12oz" and "9\"" do not */
		if (strchr(",;:()[]!?/|", c) != NULL ||
		    (c == '-' && i > 0 && p[i - 1] == ' '))
			ts.gap = ts.punct = 1;
	}
}

void
text_tokenize(const char *s, int descriptor, struct text_tokens *out)
{
	text_tokenize_n(s, strlen(s), descriptor, out, NULL);
}

char *
text_join(const struct text_tokens *t, int sep, char *buf, size_t n)
{
	size_t i, len = 0, l;

	if (n == 0)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < t->n; i++) {
		l = strlen(t->tok[i]);
		if (len + l + 2 > n)
			break;
		if (i > 0 && sep != 0)
			buf[len++] = (char)sep;
		memcpy(buf + len, t->tok[i], l);
		len += l;
		buf[len] = '\0';
	}
	return buf;
}

size_t
text_distance(const char *a, size_t alen, const char *b, size_t blen,
    size_t max)
{
	size_t row0[TEXT_MAX_TOKEN + 1], row1[TEXT_MAX_TOKEN + 1];
	size_t row2[TEXT_MAX_TOKEN + 1];
	size_t *pp = row0, *p = row1, *c = row2, *t;
	size_t i, j, best;

	if (alen > TEXT_MAX_TOKEN || blen > TEXT_MAX_TOKEN)
		return max + 1;
	if ((alen > blen ? alen - blen : blen - alen) > max)
		return max + 1;
	for (j = 0; j <= blen; j++)
		p[j] = j;
	for (i = 1; i <= alen; i++) {
		c[0] = i;
		best = c[0];
		for (j = 1; j <= blen; j++) {
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t v = p[j] + 1;

			if (c[j - 1] + 1 < v)
				v = c[j - 1] + 1;
			if (p[j - 1] + cost < v)
				v = p[j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			c[j] = v;
			if (v < best)
				best = v;
		}
		if (best > max)
			return max + 1;
		t = pp; pp = p; p = c; c = t;
	}
	return p[blen] > max ? max + 1 : p[blen];
}

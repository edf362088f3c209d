/*
 * Word handling shared by the catalog index and history matching:
 * normalising item text into comparable tokens, and edit distance.
 */
#ifndef MO_RESOLVE_TEXT_H
#define MO_RESOLVE_TEXT_H

#include <stddef.h>
#include <stdint.h>

#define TEXT_MAX_TOKENS	16
#define TEXT_MAX_TOKEN	48

struct text_tokens {
	size_t	n;
	char	tok[TEXT_MAX_TOKENS][TEXT_MAX_TOKEN];
};

/* Where each token was in the text, for finding a product's words
 * inside a longer phrase.  gap: a break came before the token since the
 * previous one (punctuation, or a word such as "for", "with", "and"), so
 * the two do not describe the same thing. */
struct text_spans {
	size_t	so[TEXT_MAX_TOKENS], eo[TEXT_MAX_TOKENS];
	uint8_t	gap[TEXT_MAX_TOKENS];	/* a break before the token */
	uint8_t	punct[TEXT_MAX_TOKENS];	/* that break is punctuation
					   (",", " - ", "("), not a word
					   such as "for" */
};

/* Split s into lower-case, singular tokens: ASCII letters lower-cased,
 * punctuation dropped ("1.5l" keeps its dot), a number glued to the unit
 * that follows it ("12 oz" -> "12oz"), plurals stemmed ("boxes" -> "box",
 * "cups" -> "cup"), and filler words ("the", "of", "please", ...) left out.
 * With descriptor set, vague words ("thing", "stuff", "ones", "we",
 * "got") are left out too.  Extra tokens past TEXT_MAX_TOKENS are
 * dropped. */
void	text_tokenize(const char *s, int descriptor, struct text_tokens *out);

/* The same for s[0..len), with spans (may be NULL). */
void	text_tokenize_n(const char *s, size_t len, int descriptor,
	    struct text_tokens *out, struct text_spans *spans);

/* The tokens joined with single spaces (sep ' ') or nothing (sep 0) into
 * buf of size n; returns buf. */
char	*text_join(const struct text_tokens *, int sep, char *buf, size_t n);

/* Damerau-Levenshtein (optimal string alignment) distance between a and
 * b, or max+1 as soon as it is certain to exceed max. */
size_t	text_distance(const char *a, size_t alen, const char *b, size_t blen,
	    size_t max);

/* 1 when the token contains a digit (such tokens never match fuzzily:
 * "12oz" must not become "16oz"). */
int	text_has_digit(const char *);

#endif

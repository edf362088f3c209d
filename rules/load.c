/*
 * The rule-file loader: reads rule files (or drop-in directories of
 * them), checks every line, expands {MACRO}s and compiles each pattern
 * with PCRE2 once, so matching later never has to look at the text of a
 * rule again.  Every problem a user can cause is reported as
 * "FILE:LINE: reason" with class ERR_CONFIG.
 */
#include "config.h"

#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"
#include "common/xmalloc.h"
#include "rules/rules_int.h"

#define RULES_FILE_MAX		(1024 * 1024)	/* a rule file is small */
#define RULES_PATTERN_MAX	(64 * 1024)	/* after macro expansion */
#define RULES_MACRO_DEPTH	16

#define RULES_COMPILE_FLAGS \
	(PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF | PCRE2_CASELESS)

static const struct {
	const char	*word;
	enum rule_kind	 kind;
} rule_kinds[] = {
	{ "line",		RULE_LINE },
	{ "ref",		RULE_REF },
	{ "po",			RULE_PO },
	{ "date",		RULE_DATE },
	{ "ignore",		RULE_IGNORE },
	{ "stop",		RULE_STOP },
	{ "guard",		RULE_GUARD },
	{ "split",		RULE_SPLIT },
	{ "tail",		RULE_TAIL },
	{ "lead",		RULE_LEAD },
	{ "auto-subject",	RULE_AUTO_SUBJECT },
	{ "not-order",		RULE_NOT_ORDER },
	{ "known-line",		RULE_KNOWN_LINE },
	{ "negation",		RULE_NEGATION },
	{ "correction",		RULE_CORRECTION },
};

/* The data kinds, and the macro each one generates. */
static const struct {
	const char		*word;
	const char		*macro;
	enum rules_wordlist	 list;
	long			 min, max;
} word_kinds[] = {
	{ "number",	"NUMBER",	WORDS_NUMBER,	0, RULES_QUANTITY_MAX },
	{ "unit",	"UNIT",		WORDS_UNIT,	0, 0 },
	{ "month",	"MONTH",	WORDS_MONTH,	1, 12 },
	{ "weekday",	"WEEKDAY",	WORDS_WEEKDAY,	1, 7 },
	{ "relative",	"RELATIVE",	WORDS_RELATIVE,	0, 366 },
	{ "qualifier",	"QUALIFIER",	WORDS_QUALIFIER, 0, 0 },
	{ "column",	"COLUMN",	WORDS_COLUMN,	0, 0 },
	{ "measure",	"MEASURE",	WORDS_MEASURE,	0, 0 },
};

/* "column ROLE WORD...": the roles a header word can give a column. */
static const char *const role_names[ROLE_NROLES] = {
	[ROLE_QUANTITY] = "quantity", [ROLE_ITEM] = "item",
	[ROLE_CODE] = "code", [ROLE_UNIT] = "unit", [ROLE_PRICE] = "price",
	[ROLE_LINE] = "line", [ROLE_OTHER] = "other",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Where the parser is, for "FILE:LINE: " prefixes. */
struct loadpos {
	const char	*file;
	int		 line;
};

static int
load_error(struct err *e, const struct loadpos *pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
load_error(struct err *e, const struct loadpos *pos, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_setv(e, ERR_CONFIG, fmt, ap);
	va_end(ap);
	return err_prefix(e, "%s:%d", pos->file, pos->line);
}

static struct ruleset *
ruleset_new(void)
{
	struct ruleset *rs;

	rs = xcalloc(1, sizeof(*rs));
	rs->jit = 1;
	rs->mctx = pcre2_match_context_create(NULL);
	rs->jstack = pcre2_jit_stack_create(32 * 1024, 512 * 1024, NULL);
	if (rs->mctx == NULL || rs->jstack == NULL) {
		rules_free(rs);
		return NULL;
	}
	pcre2_set_match_limit(rs->mctx, RULES_MATCH_LIMIT);
	pcre2_set_depth_limit(rs->mctx, RULES_DEPTH_LIMIT);
	pcre2_jit_stack_assign(rs->mctx, NULL, rs->jstack);
	return rs;
}

void
rules_free(struct ruleset *rs)
{
	size_t i, l;

	if (rs == NULL)
		return;
	for (i = 0; i < rs->nrules; i++) {
		free(rs->rules[i].name);
		free(rs->rules[i].source);
		pcre2_match_data_free(rs->rules[i].md);
		pcre2_code_free(rs->rules[i].code);
	}
	free(rs->rules);
	for (l = 0; l < RULE_NKINDS; l++)
		free(rs->bykind[l]);
	for (i = 0; i < rs->nratios; i++) {
		free(rs->ratios[i].from);
		free(rs->ratios[i].to);
	}
	free(rs->ratios);
	for (l = 0; l < WORDS_NLISTS; l++) {
		strmap_free(rs->wordmap[l]);
		for (i = 0; i < rs->nwords[l]; i++) {
			/* a unit's canon is the text of its first word */
			free(rs->words[l][i].text);
		}
		free(rs->words[l]);
	}
	for (i = 0; i < rs->ndefines; i++) {
		free(rs->defines[i].name);
		free(rs->defines[i].value);
	}
	free(rs->defines);
	for (i = 0; i < rs->nfiles; i++)
		free(rs->files[i]);
	free(rs->files);
	pcre2_match_context_free(rs->mctx);
	pcre2_jit_stack_free(rs->jstack);
	free(rs);
}

size_t
rules_count(const struct ruleset *rs)
{
	return rs->nrules;
}

int
rules_jit_active(const struct ruleset *rs)
{
	return rs->jit;
}

/* Lowercase, with runs of white space folded to one space, so "A  Dozen"
 * finds "a dozen". */
static char *
word_fold(const char *s, size_t len)
{
	char *out, *o;
	size_t i;
	int space = 0;

	out = o = xmalloc(len + 1);
	for (i = 0; i < len; i++) {
		if (isspace((unsigned char)s[i])) {
			space = (o != out);
			continue;
		}
		if (space)
			*o++ = ' ';
		space = 0;
		*o++ = (char)tolower((unsigned char)s[i]);
	}
	*o = '\0';
	return out;
}

/* Folding into a small buffer: this runs for every word the reader looks
 * up, and words longer than the buffer are in no list. */
const struct rules_word *
rules_word_find(const struct ruleset *rs, enum rules_wordlist l,
    const char *text, size_t len)
{
	char key[128];
	size_t i, o = 0;
	int space = 0;

	if (rs->wordmap[l] == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		if (isspace((unsigned char)text[i])) {
			space = o > 0;
			continue;
		}
		if (o + 2 >= sizeof(key))
			return NULL;
		if (space)
			key[o++] = ' ';
		space = 0;
		key[o++] = (char)tolower((unsigned char)text[i]);
	}
	key[o] = '\0';
	return strmap_get(rs->wordmap[l], key);
}

/* The lookup maps, built once every file is read (the word arrays do not
 * move after that). */
static void
ruleset_index_words(struct ruleset *rs)
{
	size_t l, i;

	for (l = 0; l < WORDS_NLISTS; l++) {
		if (rs->nwords[l] == 0)
			continue;
		rs->wordmap[l] = strmap_new();
		/* the first definition of a word wins, as before */
		for (i = rs->nwords[l]; i-- > 0; )
			strmap_put(rs->wordmap[l], rs->words[l][i].text,
			    &rs->words[l][i]);
	}
}

int
rules_word_is_qualifier(const struct ruleset *rs, const char *word,
    size_t len)
{
	return rules_word_find(rs, WORDS_QUALIFIER, word, len) != NULL;
}

int
rules_word_is_unit(const struct ruleset *rs, const char *word, size_t len)
{
	return rules_word_find(rs, WORDS_UNIT, word, len) != NULL;
}

const char *
rules_unit_canon(const struct ruleset *rs, const char *word)
{
	const struct rules_word *w;

	if (word == NULL)
		return NULL;
	w = rules_word_find(rs, WORDS_UNIT, word, strlen(word));
	return w != NULL ? w->canon : NULL;
}

enum rules_role
rules_column_role(const struct ruleset *rs, const char *s, size_t len)
{
	const struct rules_word *w;
	char buf[64];
	size_t i, n = 0;

	/* "Qty:", "Ext. Price", "Qty (cases)" and "Description." name the
	 * same columns as the words without the dots and the note */
	for (i = 0; i < len && n + 1 < sizeof(buf); i++) {
		if (s[i] == '(')
			break;
		if (s[i] != '.' && s[i] != ':')
			buf[n++] = s[i];
	}
	while (n > 0 && isspace((unsigned char)buf[n - 1]))
		n--;
	if (n == 0)
		return ROLE_NONE;
	w = rules_word_find(rs, WORDS_COLUMN, buf, n);
	return w != NULL ? (enum rules_role)w->value : ROLE_NONE;
}

/*
 * Split off the next white-space separated token at *pp; a token may be
 * "quoted" to hold spaces.  Returns 1 with *tok_r and *len_r set, 0 at the
 * end of the line, -1 on an unterminated quote.
 */
static int
next_token(const char **pp, const char *end, const char **tok_r,
    size_t *len_r)
{
	const char *p = *pp, *q;

	while (p < end && isspace((unsigned char)*p))
		p++;
	if (p == end) {
		*pp = p;
		return 0;
	}
	if (*p == '"') {
		q = memchr(p + 1, '"', (size_t)(end - p - 1));
		if (q == NULL)
			return -1;
		*tok_r = p + 1;
		*len_r = (size_t)(q - p - 1);
		*pp = q + 1;
		return 1;
	}
	for (q = p; q < end && !isspace((unsigned char)*q); q++)
		;
	*tok_r = p;
	*len_r = (size_t)(q - p);
	*pp = q;
	return 1;
}

static int
token_is(const char *tok, size_t len, const char *word)
{
	return strlen(word) == len && strncasecmp(tok, word, len) == 0;
}

/* A number value: digits with an optional fraction ("12", "0.5"). */
static int
parse_value(const char *tok, size_t len, double min, double max,
    double *v_r)
{
	char buf[32], *end;
	double v;

	if (len == 0 || len >= sizeof(buf) ||
	    !isdigit((unsigned char)tok[0]))
		return -1;
	memcpy(buf, tok, len);
	buf[len] = '\0';
	errno = 0;
	v = strtod(buf, &end);
	if (errno != 0 || *end != '\0' || !(v >= min && v <= max))
		return -1;
	*v_r = v;
	return 0;
}

static int
parse_long(const char *tok, size_t len, long min, long max, long *v_r)
{
	char buf[32], *end;
	long v;

	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, tok, len);
	buf[len] = '\0';
	errno = 0;
	v = strtol(buf, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*v_r = v;
	return 0;
}

static void
word_add(struct ruleset *rs, enum rules_wordlist l, const char *tok,
    size_t len, double value, char *canon)
{
	struct rules_word *w;

	rs->words[l] = xreallocarray(rs->words[l], rs->nwords[l] + 1,
	    sizeof(*rs->words[l]));
	w = &rs->words[l][rs->nwords[l]++];
	w->text = word_fold(tok, len);
	w->value = value;
	w->canon = canon != NULL ? canon : w->text;
}

/* "column ROLE WORD...": header words that give a column its role. */
static int
parse_column(struct ruleset *rs, const char *p, const char *end,
    const struct loadpos *pos, struct err *e)
{
	const char *tok;
	size_t len, n = 0;
	int role, r;

	if (next_token(&p, end, &tok, &len) != 1)
		return load_error(e, pos, "column needs a role and words");
	for (role = 1; role < ROLE_NROLES; role++)
		if (token_is(tok, len, role_names[role]))
			break;
	if (role == ROLE_NROLES)
		return load_error(e, pos, "unknown column role '%.*s' (one of "
		    "quantity, item, code, unit, price, line, other)",
		    (int)len, tok);
	while ((r = next_token(&p, end, &tok, &len)) == 1) {
		if (len == 0)
			return load_error(e, pos, "empty word");
		word_add(rs, WORDS_COLUMN, tok, len, role, NULL);
		n++;
	}
	if (r == -1)
		return load_error(e, pos, "unterminated quote");
	if (n == 0)
		return load_error(e, pos, "column needs at least one word");
	return 0;
}

/* "ratio FROM FACTOR TO...": one FROM is FACTOR of each TO.  The units
 * are looked up when the whole set is read, so a ratio may name a unit
 * a later file defines. */
static int
parse_ratio(struct ruleset *rs, const char *p, const char *end,
    const struct loadpos *pos, struct err *e)
{
	const char *from, *tok;
	size_t flen, len, n = 0;
	struct rules_ratio *ra;
	double f;
	int r;

	if (next_token(&p, end, &from, &flen) != 1 ||
	    next_token(&p, end, &tok, &len) != 1)
		return load_error(e, pos, "ratio needs a unit, a factor and "
		    "units");
	if (parse_value(tok, len, 1e-9, 1e9, &f) == -1 || f <= 0)
		return load_error(e, pos, "bad ratio factor '%.*s'", (int)len,
		    tok);
	while ((r = next_token(&p, end, &tok, &len)) == 1) {
		rs->ratios = xreallocarray(rs->ratios, rs->nratios + 1,
		    sizeof(*rs->ratios));
		ra = &rs->ratios[rs->nratios++];
		ra->from = word_fold(from, flen);
		ra->to = word_fold(tok, len);
		ra->factor = f;
		n++;
	}
	if (r == -1)
		return load_error(e, pos, "unterminated quote");
	if (n == 0)
		return load_error(e, pos, "ratio needs at least one unit after "
		    "the factor");
	return 0;
}

/*
 * The data lines: number WORD VALUE, unit CANON ALIAS..., month N WORD...,
 * weekday N WORD..., relative DAYS WORD...
 */
static int
parse_words(struct ruleset *rs, size_t k, const char *p, const char *end,
    const struct loadpos *pos, struct err *e)
{
	const char *tok, *first = NULL;
	size_t len, firstlen = 0, nwords = 0;
	enum rules_wordlist l = word_kinds[k].list;
	char *canon = NULL;
	double value = 0;
	long lv;
	int r;

	if (l == WORDS_COLUMN)
		return parse_column(rs, p, end, pos, e);
	if (l == WORDS_NUMBER) {
		if ((r = next_token(&p, end, &first, &firstlen)) == 1)
			r = next_token(&p, end, &tok, &len);
		if (r == -1)
			return load_error(e, pos, "unterminated quote");
		if (r == 0)
			return load_error(e, pos,
			    "number needs a word and a value");
		if (parse_value(tok, len, 0, word_kinds[k].max, &value) == -1)
			return load_error(e, pos, "bad number value '%.*s'",
			    (int)len, tok);
		if (next_token(&p, end, &tok, &len) != 0)
			return load_error(e, pos, "number takes one word "
			    "(quote words with spaces)");
		word_add(rs, l, first, firstlen, value, NULL);
		return 0;
	}
	if (l != WORDS_UNIT && l != WORDS_QUALIFIER && l != WORDS_MEASURE) {
		if (next_token(&p, end, &tok, &len) != 1 ||
		    parse_long(tok, len, word_kinds[k].min, word_kinds[k].max,
		    &lv) == -1)
			return load_error(e, pos, "%s needs a number from "
			    "%ld to %ld first", word_kinds[k].word,
			    word_kinds[k].min, word_kinds[k].max);
		value = (double)lv;
	}
	while ((r = next_token(&p, end, &tok, &len)) == 1) {
		if (len == 0)
			return load_error(e, pos, "empty word");
		word_add(rs, l, tok, len, value, canon);
		if (l == WORDS_UNIT && canon == NULL)
			canon = rs->words[l][rs->nwords[l] - 1].text;
		nwords++;
	}
	if (r == -1)
		return load_error(e, pos, "unterminated quote");
	if (nwords == 0)
		return load_error(e, pos, "%s needs at least one word",
		    word_kinds[k].word);
	return 0;
}

static int
macro_name_valid(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || !isupper((unsigned char)s[0]))
		return 0;
	for (i = 1; i < len; i++)
		if (!isupper((unsigned char)s[i]) &&
		    !isdigit((unsigned char)s[i]) && s[i] != '_')
			return 0;
	return 1;
}

static int
macro_is_generated(const char *s, size_t len)
{
	size_t k;

	for (k = 0; k < NELEM(word_kinds); k++)
		if (strlen(word_kinds[k].macro) == len &&
		    strncmp(word_kinds[k].macro, s, len) == 0)
			return 1;
	return 0;
}

static int
parse_define(struct ruleset *rs, const char *p, const char *end,
    const struct loadpos *pos, struct err *e)
{
	const char *name;
	size_t len, i;

	if (next_token(&p, end, &name, &len) != 1)
		return load_error(e, pos, "define needs a name and a pattern");
	if (!macro_name_valid(name, len))
		return load_error(e, pos, "bad macro name '%.*s' (use "
		    "A-Z, 0-9 and _, starting with a letter)", (int)len, name);
	if (macro_is_generated(name, len))
		return load_error(e, pos, "macro name '%.*s' is reserved "
		    "(it is made from the data lines)", (int)len, name);
	while (p < end && isspace((unsigned char)*p))
		p++;
	while (end > p && isspace((unsigned char)end[-1]))
		end--;
	if (p == end)
		return load_error(e, pos, "missing pattern for macro '%.*s'",
		    (int)len, name);
	/* a later define replaces an earlier one, so a drop-in file can
	 * change a macro every rule uses */
	for (i = 0; i < rs->ndefines; i++) {
		if (strlen(rs->defines[i].name) == len &&
		    strncmp(rs->defines[i].name, name, len) == 0) {
			free(rs->defines[i].value);
			rs->defines[i].value = xstrndup(p, (size_t)(end - p));
			return 0;
		}
	}
	rs->defines = xreallocarray(rs->defines, rs->ndefines + 1,
	    sizeof(*rs->defines));
	rs->defines[rs->ndefines].name = xstrndup(name, len);
	rs->defines[rs->ndefines].value = xstrndup(p, (size_t)(end - p));
	rs->ndefines++;
	return 0;
}

static int
parse_set(struct ruleset *rs, const char *p, const char *end,
    const struct loadpos *pos, struct err *e)
{
	const char *key, *val;
	size_t klen, vlen;

	if (next_token(&p, end, &key, &klen) != 1 ||
	    next_token(&p, end, &val, &vlen) != 1)
		return load_error(e, pos, "set needs a name and a value");
	if (token_is(key, klen, "date-order")) {
		if (token_is(val, vlen, "mdy"))
			rs->date_dmy = 0;
		else if (token_is(val, vlen, "dmy"))
			rs->date_dmy = 1;
		else
			return load_error(e, pos, "date-order is 'mdy' or "
			    "'dmy', not '%.*s'", (int)vlen, val);
		return 0;
	}
	return load_error(e, pos, "unknown setting '%.*s'", (int)klen, key);
}

static int
parse_rule(struct ruleset *rs, enum rule_kind kind, const char *p,
    const char *end, const struct loadpos *pos, struct err *e)
{
	const char *name;
	struct rule *r;
	size_t len, i;

	if (next_token(&p, end, &name, &len) != 1)
		return load_error(e, pos, "missing rule name");
	while (p < end && isspace((unsigned char)*p))
		p++;
	while (end > p && isspace((unsigned char)end[-1]))
		end--;
	if (p == end)
		return load_error(e, pos, "missing pattern for rule '%.*s'",
		    (int)len, name);
	for (i = 0; i < rs->nrules; i++) {
		r = &rs->rules[i];
		if (strlen(r->name) == len && strncmp(r->name, name, len) == 0)
			return load_error(e, pos, "duplicate rule name '%.*s' "
			    "(first at %s:%d)", (int)len, name, r->file,
			    r->line);
	}
	rs->rules = xreallocarray(rs->rules, rs->nrules + 1,
	    sizeof(*rs->rules));
	r = &rs->rules[rs->nrules++];
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->name = xstrndup(name, len);
	r->file = pos->file;
	r->line = pos->line;
	r->source = xstrndup(p, (size_t)(end - p));
	return 0;
}

static int
parse_line(struct ruleset *rs, const char *p, const char *end,
    const struct loadpos *pos, struct err *e)
{
	const char *kw;
	size_t len, k;

	if (next_token(&p, end, &kw, &len) != 1)
		return 0;
	if (kw[0] == '#')
		return 0;
	for (k = 0; k < NELEM(rule_kinds); k++)
		if (token_is(kw, len, rule_kinds[k].word))
			return parse_rule(rs, rule_kinds[k].kind, p, end, pos,
			    e);
	for (k = 0; k < NELEM(word_kinds); k++)
		if (token_is(kw, len, word_kinds[k].word))
			return parse_words(rs, k, p, end, pos, e);
	if (token_is(kw, len, "define"))
		return parse_define(rs, p, end, pos, e);
	if (token_is(kw, len, "set"))
		return parse_set(rs, p, end, pos, e);
	if (token_is(kw, len, "ratio"))
		return parse_ratio(rs, p, end, pos, e);
	return load_error(e, pos, "unknown kind '%.*s'", (int)len, kw);
}

static int
parse_buffer(struct ruleset *rs, const char *name, const char *data,
    size_t len, struct err *e)
{
	struct loadpos pos;
	const char *p = data, *end = data + len, *nl;

	rs->files = xreallocarray(rs->files, rs->nfiles + 1,
	    sizeof(*rs->files));
	rs->files[rs->nfiles] = xstrdup(name);
	pos.file = rs->files[rs->nfiles++];
	pos.line = 0;
	if (memchr(data, '\0', len) != NULL) {
		pos.line = 1;
		return load_error(e, &pos, "NUL byte in rule file");
	}
	while (p < end) {
		pos.line++;
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if (parse_line(rs, p, nl, &pos, e) == -1)
			return -1;
		p = nl + 1;
	}
	return 0;
}

/* Longest words first, so "half a dozen" wins over "a dozen". */
static int
word_cmp_len(const void *a, const void *b)
{
	const struct rules_word *const *wa = a, *const *wb = b;
	size_t la = strlen((*wa)->text), lb = strlen((*wb)->text);

	if (la != lb)
		return la < lb ? 1 : -1;
	return strcmp((*wa)->text, (*wb)->text);
}

/* The alternation of every word in list l, as a non-capturing group. */
static void
macro_generate(const struct ruleset *rs, enum rules_wordlist l,
    struct buf *out)
{
	const struct rules_word **sorted;
	const char *s;
	size_t i, n = rs->nwords[l];

	if (n == 0) {
		buf_adds(out, "(?!)");	/* no data: never matches */
		return;
	}
	sorted = xreallocarray(NULL, n, sizeof(*sorted));
	for (i = 0; i < n; i++)
		sorted[i] = &rs->words[l][i];
	qsort(sorted, n, sizeof(*sorted), word_cmp_len);
	buf_adds(out, "(?:");
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(out, '|');
		for (s = sorted[i]->text; *s != '\0'; s++) {
			if (*s == ' ')
				buf_adds(out, "\\s+");
			else {
				if (strchr("\\^$.|?*+()[]{}-#", *s) != NULL)
					buf_addc(out, '\\');
				buf_addc(out, *s);
			}
		}
	}
	buf_addc(out, ')');
	free(sorted);
}

/*
 * Copy src to out with every {NAME} replaced by its macro.  The argument
 * of an escape such as \p{L} or \x{41} and a quantifier like {1,3} are
 * left alone: only upper-case names are macros.
 */
static int
macro_expand(const struct ruleset *rs, const char *src, struct buf *out,
    int depth, struct err *e)
{
	const char *p = src, *close;
	size_t i, k, len;

	if (depth > RULES_MACRO_DEPTH)
		return err_set(e, ERR_CONFIG, "macros nested too deeply "
		    "(a loop?)");
	while (*p != '\0') {
		if (*p == '\\' && p[1] != '\0') {
			buf_add(out, p, 2);
			p += 2;
			/* only these escapes take a {...} argument; \b{NAME}
			 * is a word boundary and then a macro */
			if (*p == '{' && strchr("pPxogkN", p[-1]) != NULL) {
				close = strchr(p, '}');
				len = close ? (size_t)(close - p + 1) :
				    strlen(p);
				buf_add(out, p, len);
				p += len;
			}
			continue;
		}
		if (*p != '{' || (close = strchr(p, '}')) == NULL ||
		    !macro_name_valid(p + 1, (size_t)(close - p - 1))) {
			buf_addc(out, *p++);
			continue;
		}
		len = (size_t)(close - p - 1);
		for (k = 0; k < NELEM(word_kinds); k++) {
			if (strlen(word_kinds[k].macro) == len &&
			    strncmp(word_kinds[k].macro, p + 1, len) == 0)
				break;
		}
		if (k < NELEM(word_kinds)) {
			macro_generate(rs, word_kinds[k].list, out);
			p = close + 1;
			continue;
		}
		for (i = 0; i < rs->ndefines; i++)
			if (strlen(rs->defines[i].name) == len &&
			    strncmp(rs->defines[i].name, p + 1, len) == 0)
				break;
		if (i == rs->ndefines)
			return err_set(e, ERR_CONFIG, "unknown macro {%.*s}",
			    (int)len, p + 1);
		if (macro_expand(rs, rs->defines[i].value, out, depth + 1,
		    e) == -1)
			return -1;
		p = close + 1;
	}
	return 0;
}

static int
rule_has_group(const struct rule *r, const char *name)
{
	return pcre2_substring_nametable_scan(r->code, (PCRE2_SPTR)name,
	    NULL, NULL) > 0;
}

static int
rule_compile(struct ruleset *rs, struct rule *r, struct err *e)
{
	struct loadpos pos = { r->file, r->line };
	struct buf pat;
	char pmsg[256];
	uint32_t flags = RULES_COMPILE_FLAGS;
	PCRE2_SIZE erroff;
	int errcode, expanded;

	buf_init(&pat, RULES_PATTERN_MAX);
	if (macro_expand(rs, r->source, &pat, 0, e) == -1) {
		buf_release(&pat);
		err_prefix(e, "rule '%s'", r->name);
		return err_prefix(e, "%s:%d", pos.file, pos.line);
	}
	if (pat.len >= RULES_PATTERN_MAX) {
		buf_release(&pat);
		return load_error(e, &pos, "rule '%s': pattern too long after "
		    "macro expansion", r->name);
	}
	expanded = strcmp(buf_str(&pat), r->source) != 0;
	/* these two look at a whole text or subject, where ^ and $ should
	 * mean a line */
	if (r->kind == RULE_NOT_ORDER)
		flags |= PCRE2_MULTILINE;
	r->code = pcre2_compile((PCRE2_SPTR)buf_str(&pat), pat.len, flags,
	    &errcode, &erroff, NULL);
	buf_release(&pat);
	if (r->code == NULL) {
		pcre2_get_error_message(errcode, (PCRE2_UCHAR *)pmsg,
		    sizeof(pmsg));
		return load_error(e, &pos, "rule '%s': %s at offset %zu%s",
		    r->name, pmsg, (size_t)erroff,
		    expanded ? " (after macro expansion)" : "");
	}
	r->jit = pcre2_jit_compile(r->code, PCRE2_JIT_COMPLETE) == 0;
	if (!r->jit)
		rs->jit = 0;
	r->md = pcre2_match_data_create_from_pattern(r->code, NULL);
	if (r->md == NULL)
		return load_error(e, &pos, "out of memory");
	switch (r->kind) {
	case RULE_LINE:
	case RULE_KNOWN_LINE:
		if (!rule_has_group(r, "item"))
			return load_error(e, &pos, "line rule '%s' has no "
			    "(?<item>...) group", r->name);
		break;
	case RULE_CORRECTION:
		if (!rule_has_group(r, "quantity"))
			return load_error(e, &pos, "correction rule '%s' has "
			    "no (?<quantity>...) group", r->name);
		break;
	case RULE_PO:
		if (!rule_has_group(r, "value"))
			return load_error(e, &pos, "po rule '%s' has no "
			    "(?<value>...) group", r->name);
		break;
	case RULE_DATE:
		if (!rule_has_group(r, "day") &&
		    !rule_has_group(r, "weekday") &&
		    !rule_has_group(r, "relative") &&
		    !(rule_has_group(r, "first") &&
		    rule_has_group(r, "second")))
			return load_error(e, &pos, "date rule '%s' needs "
			    "(?<day>) (with (?<month>) or alone), (?<weekday>), "
			    "(?<relative>) or (?<first>) and (?<second>)",
			    r->name);
		break;
	default:
		break;
	}
	return 0;
}

/* Ratios name units as people spell them ("pieces"); keep canonical
 * names so a lookup needs no folding. */
static void
ruleset_canon_ratios(struct ruleset *rs)
{
	const char *c;
	size_t i;

	for (i = 0; i < rs->nratios; i++) {
		if ((c = rules_unit_canon(rs, rs->ratios[i].from)) != NULL) {
			free(rs->ratios[i].from);
			rs->ratios[i].from = xstrdup(c);
		}
		if ((c = rules_unit_canon(rs, rs->ratios[i].to)) != NULL) {
			free(rs->ratios[i].to);
			rs->ratios[i].to = xstrdup(c);
		}
	}
}

static int
ruleset_compile(struct ruleset *rs, struct err *e)
{
	struct rule *r;
	size_t i;

	ruleset_index_words(rs);
	ruleset_canon_ratios(rs);
	if (rs->nrules == 0)
		rs->jit = 0;
	for (i = 0; i < rs->nrules; i++) {
		r = &rs->rules[i];
		if (rule_compile(rs, r, e) == -1)
			return -1;
		/* the matcher walks one kind at a time */
		rs->bykind[r->kind] = xreallocarray(rs->bykind[r->kind],
		    rs->nbykind[r->kind] + 1, sizeof(*rs->bykind[r->kind]));
		rs->bykind[r->kind][rs->nbykind[r->kind]++] = r;
	}
	return 0;
}

struct ruleset *
rules_load_buffer(const char *name, const char *data, size_t len,
    struct err *e)
{
	struct ruleset *rs;

	if ((rs = ruleset_new()) == NULL) {
		err_set(e, ERR_FATAL, "cannot set up pcre2 match context");
		return NULL;
	}
	if (parse_buffer(rs, name, data, len, e) == -1 ||
	    ruleset_compile(rs, e) == -1) {
		rules_free(rs);
		return NULL;
	}
	return rs;
}

static int
load_file(struct ruleset *rs, const char *path, struct err *e)
{
	struct buf b;
	char chunk[8192];
	size_t n;
	FILE *fp;
	int r;

	if ((fp = fopen(path, "r")) == NULL)
		return err_set(e, ERR_CONFIG, "cannot open '%s': %s", path,
		    strerror(errno));
	buf_init(&b, RULES_FILE_MAX);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if (buf_add(&b, chunk, n) == -1) {
			fclose(fp);
			buf_release(&b);
			return err_set(e, ERR_CONFIG, "rule file '%s' is "
			    "larger than %d bytes", path, RULES_FILE_MAX);
		}
	}
	if (ferror(fp)) {
		r = err_set(e, ERR_CONFIG, "cannot read '%s': %s", path,
		    strerror(errno));
		fclose(fp);
		buf_release(&b);
		return r;
	}
	fclose(fp);
	r = parse_buffer(rs, path, buf_str(&b), b.len, e);
	buf_release(&b);
	return r;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A drop-in directory: its *.rules files in byte order of their names,
 * so "10-local.rules" comes after "00-base.rules" in any locale. */
static int
load_dir(struct ruleset *rs, const char *dir, struct err *e)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL, *path;
	size_t n = 0, i, len;
	int r = 0;

	if ((d = opendir(dir)) == NULL)
		return err_set(e, ERR_CONFIG, "cannot open '%s': %s", dir,
		    strerror(errno));
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len <= 6 ||
		    strcmp(de->d_name + len - 6, ".rules") != 0)
			continue;
		names = xreallocarray(names, n + 1, sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < n; i++) {
		if (r == 0) {
			xasprintf(&path, "%s/%s", dir, names[i]);
			r = load_file(rs, path, e);
			free(path);
		}
		free(names[i]);
	}
	free(names);
	return r;
}

/* After a failed stat(): a path that does not exist and is not named
 * *.rules is a drop-in directory nobody has made yet (the shipped default
 * names $SYSCONFDIR/rules.d), and an absent drop-in adds nothing.  A
 * missing rule file is still an error. */
static int
rules_dropin_missing(const char *path)
{
	size_t len = strlen(path);

	return errno == ENOENT &&
	    (len < 6 || strcmp(path + len - 6, ".rules") != 0);
}

struct ruleset *
rules_load(const char *const *paths, size_t n, struct err *e)
{
	struct ruleset *rs;
	struct stat st;
	size_t i;
	int r;

	if ((rs = ruleset_new()) == NULL) {
		err_set(e, ERR_FATAL, "cannot set up pcre2 match context");
		return NULL;
	}
	for (i = 0; i < n; i++) {
		if (stat(paths[i], &st) == -1) {
			if (rules_dropin_missing(paths[i]))
				continue;
			err_set(e, ERR_CONFIG, "cannot open '%s': %s",
			    paths[i], strerror(errno));
			goto fail;
		}
		if (S_ISDIR(st.st_mode))
			r = load_dir(rs, paths[i], e);
		else
			r = load_file(rs, paths[i], e);
		if (r == -1)
			goto fail;
	}
	if (ruleset_compile(rs, e) == -1)
		goto fail;
	return rs;
fail:
	rules_free(rs);
	return NULL;
}

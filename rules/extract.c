/*
 * Matching: runs a loaded ruleset over a cleaned text, line by line, and
 * collects order lines, references to earlier orders, the PO number and
 * the requested delivery date.  The checks that are not regular
 * expressions live here: quantity range, "the item has a letter and is
 * not just a unit", and "a field's value is not an order line".
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/xmalloc.h"
#include "rules/rules_int.h"

#define RULES_FIELDS_MAX	8	/* field matches remembered per line */
#define RULES_PIECES_MAX	32	/* items on one line */
#define RULES_LEADS_MAX		4	/* lead matches tried per sentence */

struct span {
	size_t	so, eo;
};

/* One line being matched. */
struct xline {
	const struct ruleset	*rs;
	struct rules_result	*out;
	struct err		*e;
	int			 failed;
	const char		*s;	/* the line, not NUL-terminated */
	size_t			 len;
	size_t			 base;	/* offset of s in the text */
	time_t			 now;
	struct span		 fields[RULES_FIELDS_MAX];
	size_t			 nfields;
};

/*
 * Run rule r on s[0..len) from start.  Returns 1 on a match, 0 on no
 * match.  Hitting a limit counts as no match but is noted, because a
 * hostile line must not stop the rest of the text from being read.
 */
static int
rule_run(const struct ruleset *rs, const struct rule *r, const char *s,
    size_t len, size_t start, int *limit_hit, int *failed, struct err *e)
{
	int rc;

	/* the fast path skips checks that PCRE2_MATCH_INVALID_UTF makes
	 * unnecessary; it is most of the cost of a failing match */
	if (r->jit)
		rc = pcre2_jit_match(r->code, (PCRE2_SPTR)s, len, start, 0,
		    r->md, rs->mctx);
	else
		rc = pcre2_match(r->code, (PCRE2_SPTR)s, len, start, 0, r->md,
		    rs->mctx);
	if (rc >= 0)
		return 1;
	switch (rc) {
	case PCRE2_ERROR_NOMATCH:
	case PCRE2_ERROR_PARTIAL:
		return 0;
	case PCRE2_ERROR_MATCHLIMIT:
	case PCRE2_ERROR_DEPTHLIMIT:
	case PCRE2_ERROR_HEAPLIMIT:
	case PCRE2_ERROR_JIT_STACKLIMIT:
		if (limit_hit != NULL)
			*limit_hit = 1;
		return 0;
	default:
		if (failed != NULL && !*failed) {
			PCRE2_UCHAR msg[128];

			pcre2_get_error_message(rc, msg, sizeof(msg));
			err_set(e, ERR_MSG, "rule '%s' (%s:%d): %s", r->name,
			    r->file, r->line, (const char *)msg);
			*failed = 1;
		}
		return 0;
	}
}

static int
xrun(struct xline *x, const struct rule *r, const char *s, size_t len)
{
	return rule_run(x->rs, r, s, len, 0, &x->out->limit_hit, &x->failed,
	    x->e);
}

/* The span of named group name in r's last match; 0 when unset.  With
 * (?J) a name may belong to several groups: the first one set counts. */
static int
group_span(const struct rule *r, const char *name, struct span *sp)
{
	PCRE2_SPTR first, last, ent;
	PCRE2_SIZE *ov;
	uint32_t n;
	int size;

	size = pcre2_substring_nametable_scan(r->code, (PCRE2_SPTR)name,
	    &first, &last);
	if (size <= 0)
		return 0;
	ov = pcre2_get_ovector_pointer(r->md);
	for (ent = first; ent <= last; ent += size) {
		n = ((uint32_t)ent[0] << 8) | ent[1];
		if (n < pcre2_get_ovector_count(r->md) &&
		    ov[2 * n] != PCRE2_UNSET && ov[2 * n + 1] >= ov[2 * n]) {
			sp->so = ov[2 * n];
			sp->eo = ov[2 * n + 1];
			return 1;
		}
	}
	return 0;
}

static void
match_span(const struct rule *r, struct span *sp)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->md);

	sp->so = ov[0];
	sp->eo = ov[1];
}

/* Strip white space from both ends of s[sp]. */
static void
span_trim(const char *s, struct span *sp)
{
	while (sp->so < sp->eo && isspace((unsigned char)s[sp->so]))
		sp->so++;
	while (sp->eo > sp->so && isspace((unsigned char)s[sp->eo - 1]))
		sp->eo--;
}

static char *
group_dup(const struct rule *r, const char *s, const char *name)
{
	struct span sp;

	if (!group_span(r, name, &sp))
		return NULL;
	span_trim(s, &sp);
	if (sp.so == sp.eo)
		return NULL;
	return xstrndup(s + sp.so, sp.eo - sp.so);
}

/* "3", "1,000" or a number word; -1 when it is neither. */
static long
quantity_parse(const struct ruleset *rs, const char *s, size_t len)
{
	const struct rules_word *w;
	long v = 0;
	size_t i;

	if (len > 0 && isdigit((unsigned char)s[0])) {
		for (i = 0; i < len; i++) {
			if (s[i] == ',')
				continue;
			if (!isdigit((unsigned char)s[i]))
				return -1;
			v = v * 10 + (s[i] - '0');
			if (v > RULES_QUANTITY_MAX)
				return RULES_QUANTITY_MAX + 1;
		}
		return v;
	}
	w = rules_word_find(rs, WORDS_NUMBER, s, len);
	return w != NULL ? w->value : -1;
}

static int
word_prefix(const char *s, const struct span *sp, const char *w)
{
	size_t n = strlen(w);

	return sp->eo - sp->so > n && strncasecmp(s + sp->so, w, n) == 0 &&
	    isspace((unsigned char)s[sp->so + n]);
}

static int
word_suffix(const char *s, const struct span *sp, const char *w)
{
	size_t n = strlen(w);

	return sp->eo - sp->so > n &&
	    strncasecmp(s + sp->eo - n, w, n) == 0 &&
	    !isalnum((unsigned char)s[sp->eo - n - 1]);
}

/* "of the house blend, please." -> "house blend" */
static void
item_trim(const char *s, struct span *sp)
{
	static const char *const lead[] = { "of", "the", "some", "those",
	    "these" };
	static const char *const trail[] = { "please", "pls", "plz",
	    "thanks", "thank you", "as well", "too", "also",
	    "to the order", "to my order", "to our order", "to the delivery",
	    "to that", "to it" };
	size_t i;
	int again;

	do {
		again = 0;
		span_trim(s, sp);
		while (sp->eo > sp->so &&
		    strchr(".,;:!?-", s[sp->eo - 1]) != NULL) {
			sp->eo--;
			again = 1;
		}
		for (i = 0; i < sizeof(lead) / sizeof(lead[0]); i++) {
			if (word_prefix(s, sp, lead[i])) {
				sp->so += strlen(lead[i]);
				again = 1;
			}
		}
		for (i = 0; i < sizeof(trail) / sizeof(trail[0]); i++) {
			if (word_suffix(s, sp, trail[i])) {
				sp->eo -= strlen(trail[i]);
				again = 1;
			}
		}
	} while (again && sp->so < sp->eo);
	span_trim(s, sp);
}

static int
has_letter(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (isalpha((unsigned char)s[i]) ||
		    (unsigned char)s[i] >= 0xc0)
			return 1;
	return 0;
}

/*
 * "2 bottles of descaler to our next delivery", "sparkling water ASAP":
 * cut the item where a tail rule matches inside it, then trim again.  A
 * match at the very start is not a tail (the item would be empty), and
 * the loop is bounded because each cut makes the item shorter.
 */
static void
item_tail_cut(struct xline *x, struct span *item)
{
	const struct rule *r;
	struct span m;
	size_t i;
	int cut;

	do {
		cut = 0;
		for (i = 0; i < x->rs->nbykind[RULE_TAIL]; i++) {
			r = x->rs->bykind[RULE_TAIL][i];
			if (item->eo <= item->so)
				return;
			if (!xrun(x, r, x->s + item->so, item->eo - item->so))
				continue;
			match_span(r, &m);
			if (m.so == 0)
				continue;
			item->eo = item->so + m.so;
			item_trim(x->s, item);
			cut = 1;
		}
	} while (cut);
}

static int
overlaps_field(const struct xline *x, const struct span *sp)
{
	size_t i;

	for (i = 0; i < x->nfields; i++)
		if (sp->so < x->fields[i].eo && x->fields[i].so < sp->eo)
			return 1;
	return 0;
}

/* Build an order line from rule r's match; 0 when the guards refuse it. */
static int
line_make(struct xline *x, const struct rule *r)
{
	struct rules_line *ln;
	struct span item, qty, unit, m;
	const struct rules_word *w;
	long q = 1;
	size_t i;

	if (!group_span(r, "item", &item))
		return 0;
	if (group_span(r, "quantity", &qty)) {
		span_trim(x->s, &qty);
		q = quantity_parse(x->rs, x->s + qty.so, qty.eo - qty.so);
		if (overlaps_field(x, &qty))
			return 0;
	}
	if (q < 1 || q > RULES_QUANTITY_MAX)
		return 0;
	/* "3 bags of house blend by Friday": the date is not the item */
	for (i = 0; i < x->nfields; i++)
		if (x->fields[i].so > item.so && x->fields[i].so < item.eo)
			item.eo = x->fields[i].so;
	item_trim(x->s, &item);
	item_tail_cut(x, &item);
	if (!has_letter(x->s + item.so, item.eo - item.so))
		return 0;
	if (rules_word_find(x->rs, WORDS_UNIT, x->s + item.so,
	    item.eo - item.so) != NULL)
		return 0;

	x->out->lines = xreallocarray(x->out->lines, x->out->nlines + 1,
	    sizeof(*x->out->lines));
	ln = &x->out->lines[x->out->nlines++];
	memset(ln, 0, sizeof(*ln));
	ln->item = xstrndup(x->s + item.so, item.eo - item.so);
	ln->quantity = q;
	if (group_span(r, "unit", &unit)) {
		span_trim(x->s, &unit);
		w = rules_word_find(x->rs, WORDS_UNIT, x->s + unit.so,
		    unit.eo - unit.so);
		ln->unit = w != NULL ? xstrdup(w->canon) :
		    xstrndup(x->s + unit.so, unit.eo - unit.so);
	}
	ln->sku = group_dup(r, x->s, "sku");
	match_span(r, &m);
	ln->off = x->base + m.so;
	ln->len = m.eo - m.so;
	ln->rule = r->name;
	return 1;
}

static void
ref_make(struct xline *x, const struct rule *r)
{
	struct rules_ref *ref;
	struct span qty, d, m;
	long q;

	x->out->refs = xreallocarray(x->out->refs, x->out->nrefs + 1,
	    sizeof(*x->out->refs));
	ref = &x->out->refs[x->out->nrefs++];
	memset(ref, 0, sizeof(*ref));
	if (group_span(r, "descriptor", &d)) {
		item_trim(x->s, &d);
		if (d.so < d.eo)
			ref->descriptor = xstrndup(x->s + d.so, d.eo - d.so);
	}
	ref->period = group_dup(r, x->s, "period");
	if (group_span(r, "quantity", &qty)) {
		span_trim(x->s, &qty);
		q = quantity_parse(x->rs, x->s + qty.so, qty.eo - qty.so);
		if (q > 0 && q <= RULES_QUANTITY_MAX)
			ref->quantity = q;
	}
	match_span(r, &m);
	ref->off = x->base + m.so;
	ref->len = m.eo - m.so;
	ref->rule = r->name;
}

static int
any_match(struct xline *x, enum rule_kind kind, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < x->rs->nbykind[kind]; i++)
		if (xrun(x, x->rs->bykind[kind][i], s, len))
			return 1;
	return 0;
}

/*
 * Make *sub the part sp of x, trimmed, as a line of its own: its fields
 * are moved to the new offsets.  Returns 0 when the part is empty.
 */
static int
xline_sub(const struct xline *x, struct span sp, struct xline *sub)
{
	size_t j;

	span_trim(x->s, &sp);
	if (sp.so == sp.eo)
		return 0;
	*sub = *x;
	sub->s = x->s + sp.so;
	sub->len = sp.eo - sp.so;
	sub->base = x->base + sp.so;
	sub->nfields = 0;
	for (j = 0; j < x->nfields; j++) {
		if (x->fields[j].eo <= sp.so || x->fields[j].so >= sp.eo)
			continue;
		sub->fields[sub->nfields].so = x->fields[j].so > sp.so ?
		    x->fields[j].so - sp.so : 0;
		sub->fields[sub->nfields].eo = x->fields[j].eo - sp.so;
		sub->nfields++;
	}
	return 1;
}

/*
 * One piece of a line: a reference, else the first line rule whose match
 * passes the guards.  Returns 1 when the piece gave something (or, inside
 * a split line, is just "thanks"), 0 otherwise.  The piece is matched as
 * if it were a line of its own, so ^ and $ work.
 */
static int
piece_eval(struct xline *x, size_t so, size_t eo, int split)
{
	struct xline px;
	const struct rule *r;
	struct span sp = { so, eo };
	size_t i;
	int ok = 0;

	if (!xline_sub(x, sp, &px))
		return split;
	if (split && any_match(&px, RULE_IGNORE, px.s, px.len))
		ok = 1;
	for (i = 0; !ok && i < x->rs->nbykind[RULE_REF]; i++) {
		r = x->rs->bykind[RULE_REF][i];
		if (xrun(&px, r, px.s, px.len)) {
			ref_make(&px, r);
			ok = 1;
		}
	}
	for (i = 0; !ok && i < x->rs->nbykind[RULE_LINE]; i++) {
		r = x->rs->bykind[RULE_LINE][i];
		if (xrun(&px, r, px.s, px.len) && line_make(&px, r))
			ok = 1;
	}
	x->failed |= px.failed;
	return ok;
}

static void
result_truncate(struct rules_result *out, size_t nlines, size_t nrefs)
{
	while (out->nlines > nlines) {
		out->nlines--;
		free(out->lines[out->nlines].item);
		free(out->lines[out->nlines].unit);
		free(out->lines[out->nlines].sku);
	}
	while (out->nrefs > nrefs) {
		out->nrefs--;
		free(out->refs[out->nrefs].descriptor);
		free(out->refs[out->nrefs].period);
	}
}

/* "3 bags of blend and two cases of cups": cut at each separator a
 * split rule finds, and keep the cut only if every piece gives an order
 * line or a reference; "House Blend, 3" is one line. */
static int
line_split(struct xline *x)
{
	const struct rule *r;
	struct span seps[RULES_PIECES_MAX], m;
	size_t i, nsep = 0, start, nlines, nrefs, from;

	for (i = 0; i < x->rs->nbykind[RULE_SPLIT] && nsep == 0; i++) {
		r = x->rs->bykind[RULE_SPLIT][i];
		start = 0;
		while (nsep < RULES_PIECES_MAX - 1 && start < x->len &&
		    rule_run(x->rs, r, x->s, x->len, start,
		    &x->out->limit_hit, &x->failed, x->e)) {
			match_span(r, &m);
			if (m.eo == m.so) {	/* empty: not a separator */
				start = m.eo + 1;
				continue;
			}
			seps[nsep++] = m;
			start = m.eo;
		}
	}
	if (nsep == 0)
		return 0;
	nlines = x->out->nlines;
	nrefs = x->out->nrefs;
	from = 0;
	for (i = 0; i <= nsep; i++) {
		if (!piece_eval(x, from, i < nsep ? seps[i].so : x->len, 1)) {
			result_truncate(x->out, nlines, nrefs);
			return 0;
		}
		if (i < nsep)
			from = seps[i].eo;
	}
	return 1;
}

static void
date_try(struct xline *x, const struct rule *r)
{
	struct rules_date_parts p;
	struct span m;
	char out[11];
	char *parts[7];
	static const char *const names[7] = { "year", "month", "day",
	    "weekday", "relative", "first", "second" };
	size_t i;
	int ok;

	for (i = 0; i < 7; i++)
		parts[i] = group_dup(r, x->s, names[i]);
	p.year = parts[0];
	p.month = parts[1];
	p.day = parts[2];
	p.weekday = parts[3];
	p.relative = parts[4];
	p.first = parts[5];
	p.second = parts[6];
	ok = rules_date_resolve(x->rs, &p, x->now, out) == 0;
	for (i = 0; i < 7; i++)
		free(parts[i]);
	if (!ok)
		return;
	match_span(r, &m);
	if (x->nfields < RULES_FIELDS_MAX)
		x->fields[x->nfields++] = m;
	if (x->out->requested_date == NULL) {
		x->out->requested_date = xstrdup(out);
		span_trim(x->s, &m);
		x->out->requested_date_text = xstrndup(x->s + m.so,
		    m.eo - m.so);
	}
}

/* PO numbers and dates; their spans are remembered so that "PO 4711" or
 * "by 12/03" never turn into order lines. */
static void
line_fields(struct xline *x)
{
	const struct rule *r;
	struct span m;
	size_t i;
	int po = 0, date = 0;

	for (i = 0; i < x->rs->nrules; i++) {
		r = &x->rs->rules[i];
		if (r->kind == RULE_PO && !po && xrun(x, r, x->s, x->len)) {
			po = 1;
			match_span(r, &m);
			if (x->nfields < RULES_FIELDS_MAX)
				x->fields[x->nfields++] = m;
			if (x->out->po_number == NULL)
				x->out->po_number = group_dup(r, x->s,
				    "value");
		} else if (r->kind == RULE_DATE && !date &&
		    xrun(x, r, x->s, x->len)) {
			date = 1;
			date_try(x, r);
		}
	}
}

/*
 * Where the sentence starting at from ends: after a run of '.', '!' or
 * '?' followed by white space and an upper-case letter ("...from Acme.
 * Please send").  A '.' only ends a sentence after a word of three or
 * more characters, so "Mr. Smith", "St. Louis" and "P.O. Box" stay
 * whole; and never before a digit ("approx. 3", "Ste. 200").  Returns
 * the end of the sentence (the punctuation included) and sets *next_r
 * to where the next one starts; len when the line has no more.
 */
static int
sentence_stop(char c)
{
	return c == '.' || c == '!' || c == '?';
}

static size_t
sentence_end(const char *s, size_t len, size_t from, size_t *next_r)
{
	size_t i, j, pe, w;

	for (i = from; i < len; i++) {
		if (!sentence_stop(s[i]) || i == from)
			continue;
		if (!isalnum((unsigned char)s[i - 1]) &&
		    (unsigned char)s[i - 1] < 0x80)
			continue;
		for (j = i; j < len && sentence_stop(s[j]); j++)
			;
		if (j >= len || !isspace((unsigned char)s[j]))
			continue;
		pe = j;
		while (j < len && isspace((unsigned char)s[j]))
			j++;
		if (j >= len || !isupper((unsigned char)s[j]))
			continue;
		if (s[i] == '.') {
			for (w = i; w > from && !isspace((unsigned char)
			    s[w - 1]) && !sentence_stop(s[w - 1]); w--)
				;
			if (i - w < 3)
				continue;
		}
		*next_r = j;
		return pe;
	}
	*next_r = len;
	return len;
}

/*
 * The order lines and references of one sentence: split at list
 * separators, else read whole.  When that gives nothing, the sentence is
 * read again from where a lead rule matches, so that "We're low on a few
 * things - could you send 2 bags of decaf" is read from "could".  Only
 * sentences that gave nothing pay for the lead search, and only for the
 * first few matches: each one reads the rest of the sentence again, and
 * "could you could you ..." must not make that quadratic.
 */
static void
sentence_read(struct xline *x)
{
	const struct rule *r;
	struct xline sub;
	struct span m;
	size_t i, start, tries = 0;
	int ok = 0;

	if (line_split(x) || piece_eval(x, 0, x->len, 0))
		return;
	for (i = 0; !ok && i < x->rs->nbykind[RULE_LEAD]; i++) {
		r = x->rs->bykind[RULE_LEAD][i];
		for (start = 0; !ok && start < x->len &&
		    tries < RULES_LEADS_MAX && rule_run(x->rs, r, x->s, x->len,
		    start, &x->out->limit_hit, &x->failed, x->e);
		    start = m.so + 1) {
			match_span(r, &m);
			if (m.so == 0)
				continue;
			tries++;
			m.eo = x->len;
			if (!xline_sub(x, m, &sub))
				break;
			ok = line_split(&sub) || piece_eval(&sub, 0, sub.len, 0);
			x->failed |= sub.failed;
		}
	}
}

/* One sentence of a line, s[so..eo): fields, guards, then its order
 * lines and references, as if it were a line of its own. */
static void
sentence_eval(struct xline *x, size_t so, size_t eo)
{
	struct xline sx;
	struct span sp = { so, eo };

	if (!xline_sub(x, sp, &sx))
		return;
	sx.nfields = 0;
	line_fields(&sx);
	if (!any_match(&sx, RULE_GUARD, sx.s, sx.len))
		sentence_read(&sx);
	x->failed |= sx.failed;
}

/* Cut a line at RULES_LINE_MAX without splitting a UTF-8 sequence. */
static size_t
line_cap(const char *s, size_t len)
{
	if (len <= RULES_LINE_MAX)
		return len;
	len = RULES_LINE_MAX;
	while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
		len--;
	return len;
}

int
rules_extract(const struct ruleset *rs, const char *text, size_t len,
    time_t now, struct rules_result *out, struct err *e)
{
	struct xline x;
	const char *p, *tend, *nl;
	size_t linelen, from, end, next;

	memset(out, 0, sizeof(*out));
	if (len > RULES_TEXT_MAX) {
		len = RULES_TEXT_MAX;
		out->truncated = 1;
	}
	memset(&x, 0, sizeof(x));
	x.rs = rs;
	x.out = out;
	x.e = e;
	x.now = now;
	for (p = text, tend = text + len; p < tend; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(tend - p))) == NULL)
			nl = tend;
		linelen = (size_t)(nl - p);
		if (linelen > 0 && p[linelen - 1] == '\r')
			linelen--;
		if (linelen > RULES_LINE_MAX) {
			linelen = line_cap(p, linelen);
			out->truncated = 1;
		}
		x.s = p;
		x.len = linelen;
		x.base = (size_t)(p - text);
		x.nfields = 0;
		if (any_match(&x, RULE_STOP, x.s, x.len))
			break;
		if (any_match(&x, RULE_IGNORE, x.s, x.len))
			continue;
		/* a guarded line ("Tel: ...") gives fields and nothing else,
		 * whatever its sentences say */
		if (any_match(&x, RULE_GUARD, x.s, x.len)) {
			line_fields(&x);
			continue;
		}
		/* "Hi, it's Renée from Acme. Please send 4 bags of house
		 * blend.": each sentence is read on its own, so that the
		 * line rules see an order's lead-in at their start */
		end = sentence_end(x.s, x.len, 0, &next);
		if (end == x.len) {
			line_fields(&x);
			sentence_read(&x);
			continue;
		}
		for (from = 0; from < x.len; from = next) {
			end = sentence_end(x.s, x.len, from, &next);
			sentence_eval(&x, from, end);
		}
	}
	return x.failed ? -1 : 0;
}

void
rules_result_release(struct rules_result *out)
{
	result_truncate(out, 0, 0);
	free(out->lines);
	free(out->refs);
	free(out->po_number);
	free(out->requested_date);
	free(out->requested_date_text);
	memset(out, 0, sizeof(*out));
}

int
rules_subject_is_automatic(const struct ruleset *rs, const char *subject)
{
	size_t i, len;

	if (subject == NULL)
		return 0;
	len = line_cap(subject, strlen(subject));
	for (i = 0; i < rs->nbykind[RULE_AUTO_SUBJECT]; i++)
		if (rule_run(rs, rs->bykind[RULE_AUTO_SUBJECT][i], subject,
		    len, 0, NULL, NULL, NULL))
			return 1;
	return 0;
}

int
rules_text_not_order(const struct ruleset *rs, const char *text,
    size_t len, const char **rule_r)
{
	const struct rule *r;
	size_t i;

	if (len > RULES_TEXT_MAX)
		len = RULES_TEXT_MAX;
	for (i = 0; i < rs->nbykind[RULE_NOT_ORDER]; i++) {
		r = rs->bykind[RULE_NOT_ORDER][i];
		if (rule_run(rs, r, text, len, 0, NULL, NULL, NULL)) {
			if (rule_r != NULL)
				*rule_r = r->name;
			return 1;
		}
	}
	return 0;
}

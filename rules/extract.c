/*
 * Reading a cleaned text: tables go to the table reader (table.c); every
 * other line is cut into sentences and the sentences into clauses, and
 * each clause is read as order lines, a reference to an earlier order, a
 * negation or a correction.  The PO number and the requested date are
 * taken from wherever they are.
 *
 * A clause can often be read more than one way: "12oz cups 3" as 12 of
 * "oz cups 3" or as 3 of "12oz cups"; "put us down for two bags of dark
 * roast" from its start or from "two".  Every way the line patterns
 * allow is tried, and the lexicon (the catalog, through the engine)
 * says which reading names a product.  Whatever gave nothing but holds a
 * number, product words or an order phrase is kept as a residue, so the
 * engine can show a person what was not understood instead of dropping
 * it.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/qty.h"
#include "common/xmalloc.h"
#include "rules/rules_int.h"

#define RULES_FIELDS_MAX	8	/* field matches remembered per line */
#define RULES_PIECES_MAX	32	/* items on one line */
#define RULES_LEADS_MAX		4	/* lead matches tried per sentence */
#define RULES_STARTS_MAX	8	/* places a clause is read from */
#define RULES_DEPTH_MAX		8	/* remainders read again, nested */
#define RULES_JUNK_MAX		1	/* stray words before an item, when the
					   reading starts at a bare number */

struct span {
	size_t	so, eo;
};

/* One line, sentence or clause being read. */
struct xline {
	struct rules_ctx	*x;
	const char		*s;	/* not NUL-terminated */
	size_t			 len;
	size_t			 base;	/* offset of s in the text */
	struct span		 fields[RULES_FIELDS_MAX];
	size_t			 nfields;
};

/* One way of reading a clause as an order line. */
struct cand {
	const struct rule	*r;
	size_t			 start;	/* where in the clause it starts */
	int			 trusted;	/* start 0, or after a lead */
	double			 q;
	const char		*unit;	/* canonical; borrowed */
	struct span		 item;	/* in the clause */
	struct span		 raw;	/* the item group before trimming */
	struct span		 match;	/* in the clause */
	struct rules_mention	 m;	/* relative to item */
	char			 synth[256];	/* the item, when it points at
						   earlier words ("it", "the
						   32 oz ones"); "" none */
	int			 junk;	/* stray words before the mention */
	int			 sure;
	int			 rank;	/* 0: no reading */
};

int
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
	return rule_run(x->x->rs, r, s, len, 0, &x->x->out->limit_hit,
	    &x->x->failed, x->x->e);
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
	const struct ruleset *rs = x->x->rs;
	const struct rule *r;
	struct span m;
	size_t i;
	int cut;

	do {
		cut = 0;
		for (i = 0; i < rs->nbykind[RULE_TAIL]; i++) {
			r = rs->bykind[RULE_TAIL][i];
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

int
rules_ctx_match(struct rules_ctx *x, enum rule_kind kind, const char *s,
    size_t len)
{
	size_t i;

	for (i = 0; i < x->rs->nbykind[kind]; i++)
		if (rule_run(x->rs, x->rs->bykind[kind][i], s, len, 0,
		    &x->out->limit_hit, &x->failed, x->e))
			return 1;
	return 0;
}

static int
any_match(struct xline *x, enum rule_kind kind, const char *s, size_t len)
{
	return rules_ctx_match(x->x, kind, s, len);
}

struct rules_line *
rules_ctx_line(struct rules_ctx *x, const char *item, size_t item_off,
    size_t item_len, double q, const char *unit, size_t off, size_t len,
    const char *rule)
{
	struct rules_result *out = x->out;
	struct rules_line *ln;
	struct rules_mention m;

	if (out->nlines >= RULES_LINES_MAX) {
		out->truncated = 1;
		return NULL;
	}
	out->lines = xreallocarray(out->lines, out->nlines + 1,
	    sizeof(*out->lines));
	ln = &out->lines[out->nlines++];
	memset(ln, 0, sizeof(*ln));
	ln->item = xstrdup(item != NULL ? item : "");
	ln->item_off = item_off;
	ln->item_len = item_len;
	ln->quantity = qty_round(q);
	ln->unit = unit != NULL ? xstrdup(unit) : NULL;
	ln->off = off;
	ln->len = len;
	ln->rule = rule;
	ln->mention = rules_ctx_mention(x, item_off, item_len, &m);
	if (ln->mention >= RULES_HINT && !m.weak && m.eo > m.so) {
		x->ante.off = item_off + m.so;
		x->ante.len = m.eo - m.so;
		x->ante.residue = (size_t)-1;
	}
	return ln;
}

void
rules_ctx_residue(struct rules_ctx *x, size_t off, size_t len, int why)
{
	struct rules_result *out = x->out;
	struct rules_residue *r;
	struct rules_mention m;

	if (why == 0 || len == 0)
		return;
	if (out->nresidues >= RULES_RESIDUES_MAX) {
		out->truncated = 1;
		return;
	}
	out->residues = xreallocarray(out->residues, out->nresidues + 1,
	    sizeof(*out->residues));
	r = &out->residues[out->nresidues++];
	r->off = off;
	r->len = len;
	r->why = why;
	if ((why & RULES_RESIDUE_MENTION) &&
	    rules_ctx_mention(x, off, len, &m) >= RULES_HINT && m.eo > m.so) {
		x->ante.off = off + m.so;
		x->ante.len = m.eo - m.so;
		x->ante.residue = out->nresidues - 1;
	}
}

double
rules_ctx_mention(struct rules_ctx *x, size_t off, size_t len,
    struct rules_mention *m)
{
	memset(m, 0, sizeof(*m));
	if (x->lex == NULL || x->lex->mention == NULL || len == 0 ||
	    off > x->len || len > x->len - off)
		return 0;
	return x->lex->mention(x->lex->arg, x->text + off, len, m);
}

/* Keep text[so, eo) of x as unread when it matters.  The fields in it
 * ("by Friday", "PO 4711") were read and do not count. */
static void
xresidue_mask(struct xline *x, size_t so, size_t eo, int mask)
{
	struct span sp = { so, eo };
	size_t i, a, b;
	char *t;

	span_trim(x->s, &sp);
	while (sp.so < sp.eo && strchr(",;:-&+", x->s[sp.so]) != NULL)
		sp.so++;
	span_trim(x->s, &sp);
	if (sp.so == sp.eo)
		return;
	t = xstrndup(x->s + sp.so, sp.eo - sp.so);
	for (i = 0; i < x->nfields; i++) {
		a = x->fields[i].so > sp.so ? x->fields[i].so : sp.so;
		b = x->fields[i].eo < sp.eo ? x->fields[i].eo : sp.eo;
		if (a < b)
			memset(t + (a - sp.so), ' ', b - a);
	}
	rules_ctx_residue(x->x, x->base + sp.so, sp.eo - sp.so,
	    rules_ctx_residue_why(x->x, t, sp.eo - sp.so) & mask);
	free(t);
}

/* What of a guarded line still matters: a quantity with product words. */
static int
guarded_mask(struct xline *x)
{
	struct rules_mention m;

	if (rules_ctx_mention(x->x, x->base, x->len, &m) >= RULES_SURE &&
	    !m.weak && rules_text_has_quantity(x->x->rs, x->s, x->len))
		return RULES_RESIDUE_QUANTITY | RULES_RESIDUE_MENTION;
	return 0;
}

static void
xresidue(struct xline *x, size_t so, size_t eo)
{
	xresidue_mask(x, so, eo, ~0);
}

/* After a line, "and ..." with words in it, fields aside: unread. */
static void
xresidue_more(struct xline *x, size_t so, size_t eo)
{
	static const char *const more_words[] = { "whatever", "some", "any",
	    "more", "few", "extra", "another", "other", "others", "couple",
	    "lots", "bunch", "anything", "something", "rest", NULL };
	size_t i, a, b;
	char *t;
	int why;

	t = xstrndup(x->s + so, eo - so);
	for (i = 0; i < x->nfields; i++) {
		a = x->fields[i].so > so ? x->fields[i].so : so;
		b = x->fields[i].eo < eo ? x->fields[i].eo : eo;
		if (a < b)
			memset(t + (a - so), ' ', b - a);
	}
	why = rules_ctx_residue_why(x->x, t, eo - so);
	/* "plus whatever greens look good", "and some of the new ones":
	 * more goods, unread; ", delivered before 8am" is about these */
	if (rules_text_has_content(t, eo - so) && rules_text_has_any(t,
	    eo - so, more_words))
		why |= RULES_RESIDUE_PHRASE;
	rules_ctx_residue(x->x, x->base + so, eo - so, why);
	free(t);
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

/* Words in s[so, eo) that are not filler ("of", "the", "our"): what
 * stands between a reading's quantity and the product it names. */
static int
junk_words(const char *s, size_t so, size_t eo)
{
	static const char *const filler[] = { "a", "an", "any", "extra",
	    "fresh", "more", "my", "of", "our", "some", "that", "the",
	    "these", "those", "your", "x" };
	size_t i, j, k;
	int n = 0;

	for (i = so; i < eo; i = j) {
		for (; i < eo && !isalnum((unsigned char)s[i]) &&
		    (unsigned char)s[i] < 0x80; i++)
			;
		for (j = i; j < eo && (isalnum((unsigned char)s[j]) ||
		    (unsigned char)s[j] >= 0x80 || s[j] == '\''); j++)
			;
		if (j == i)
			break;
		for (k = 0; k < sizeof(filler) / sizeof(filler[0]); k++)
			if (strlen(filler[k]) == j - i &&
			    strncasecmp(s + i, filler[k], j - i) == 0)
				break;
		if (k == sizeof(filler) / sizeof(filler[0]))
			n++;
	}
	return n;
}

/* "those new ones", "the other stuff": words that name no product, so a
 * person must say which ("3 of those new ones Jo mentioned" is unread,
 * not an unknown product). */
static int
item_is_vague(const char *s, size_t n)
{
	static const char *const vague[] = { "ones", "one", "thing",
	    "things", "stuff", "bits", "new", "other", "those", "these",
	    "them", "it", "that", "this", "kind", "sort", "type", "same",
	    "whatever", "lot", "the", "of", "some", "more", "few", "a", "an",
	    "any", "you", "we", "i", "mentioned", "said", "recommend",
	    "think", NULL };
	size_t i, j, k;

	for (i = 0; i < n; i = j) {
		for (; i < n && !isalnum((unsigned char)s[i]); i++)
			;
		for (j = i; j < n && (isalnum((unsigned char)s[j]) ||
		    s[j] == '\''); j++)
			;
		if (j == i)
			break;
		for (k = 0; vague[k] != NULL; k++)
			if (strlen(vague[k]) == j - i &&
			    strncasecmp(s + i, vague[k], j - i) == 0)
				break;
		if (vague[k] == NULL)
			return 0;
	}
	return 1;
}

/* "2 for a wedding", "10 and 2": an item never starts with these. */
static int
item_starts_badly(const char *s, size_t n)
{
	static const char *const words[] = { "for", "to", "at", "on", "in",
	    "by", "with", "from", "per", "than", "between", "and", "or",
	    "but", "if", "when", "because", "so", "is", "are", "was", "were",
	    NULL };
	size_t k, l;

	for (k = 0; words[k] != NULL; k++) {
		l = strlen(words[k]);
		if (n >= l && strncasecmp(s, words[k], l) == 0 &&
		    (n == l || !isalnum((unsigned char)s[l])))
			return 1;
	}
	return 0;
}

/*
 * "6 balls of it", "the 32 oz ones", "4 cases" (after "we're out of
 * jumbo rolls"): an item that only points back.  Builds in c->synth the
 * words it has of its own ("32 oz") and the last product words seen;
 * 0 when the item is no such pointer or nothing came before.
 */
static int
item_points_back(struct xline *x, struct cand *c)
{
	static const char *const back[] = { "it", "them", "these", "those",
	    "one", "ones", "same", "that", "this", NULL };
	static const char *const skip[] = { "of", "the", "some", "more",
	    "a", "an", "to", "order", "please", "pls", "asap", "this",
	    NULL };
	const char *s = x->s + c->item.so;
	size_t n = c->item.eo - c->item.so, i, j, k, o = 0;
	/* no item at all points back only with a unit ("4 cases"); a bare
	 * number ("at 8:30") does not */
	int pointer = n == 0 && c->unit != NULL, own = 0;
	struct rules_mention m;

	if (x->x->ante.len == 0 || x->x->lex == NULL)
		return 0;
	if (n > 0 && rules_ctx_mention(x->x, x->base + c->item.so, n, &m) >=
	    RULES_HINT && !m.weak)
		return 0;
	for (i = 0; i < n; i = j) {
		for (; i < n && !isalnum((unsigned char)s[i]); i++)
			;
		for (j = i; j < n && (isalnum((unsigned char)s[j]) ||
		    s[j] == '\''); j++)
			;
		if (j == i)
			break;
		for (k = 0; back[k] != NULL; k++)
			if (strlen(back[k]) == j - i &&
			    strncasecmp(s + i, back[k], j - i) == 0)
				break;
		if (back[k] != NULL) {
			pointer = 1;
			continue;
		}
		for (k = 0; skip[k] != NULL; k++)
			if (strlen(skip[k]) == j - i &&
			    strncasecmp(s + i, skip[k], j - i) == 0)
				break;
		if (skip[k] != NULL)
			continue;
		if (o + (j - i) + 2 >= sizeof(c->synth))
			return 0;
		memcpy(c->synth + o, s + i, j - i);
		o += j - i;
		c->synth[o++] = ' ';
		own++;
	}
	/* "4 cases asap" has no item at all; "blue ones" points back */
	if (!pointer || own > 2 || o + x->x->ante.len + 1 >= sizeof(c->synth)) {
		c->synth[0] = '\0';
		return 0;
	}
	memcpy(c->synth + o, x->x->text + x->x->ante.off, x->x->ante.len);
	c->synth[o + x->x->ante.len] = '\0';
	return 1;
}
/* "half a dozen cases of still water", "a dozen bottles of lime": a
 * unit that counts others (a ratio to "*") and then the unit counted.
 * The quantity is in the second unit, and the item starts after it. */
static void
item_second_unit(struct xline *x, struct cand *c)
{
	const struct rules_word *w;
	size_t i = c->item.so, j;
	double q;

	if (c->unit == NULL)
		return;
	for (j = i; j < c->item.eo && (isalpha((unsigned char)x->s[j]) ||
	    x->s[j] == '\''); j++)
		;
	if (j == i || (w = rules_word_find(x->x->rs, WORDS_UNIT, x->s + i,
	    j - i)) == NULL || strcmp(w->canon, c->unit) == 0 ||
	    rules_unit_is_measure(x->x->rs, w->canon) ||
	    rules_unit_convert(x->x->rs, c->q, c->unit, w->canon, &q) != 0)
		return;
	c->q = q;
	c->unit = w->canon;
	while (j < c->item.eo && isspace((unsigned char)x->s[j]))
		j++;
	if (j + 2 < c->item.eo && strncasecmp(x->s + j, "of", 2) == 0 &&
	    isspace((unsigned char)x->s[j + 2]))
		j += 3;
	c->item.so = j;
	item_trim(x->s, &c->item);
}


/* Fill c from rule r's match on x->s[start..]; 0 when the checks refuse
 * it (a quantity out of range or inside a field, an item that is only a
 * unit or has no letter). */
static int
cand_make(struct xline *x, const struct rule *r, size_t start,
    struct cand *c)
{
	const struct rules_word *w;
	struct span qty, unit;
	size_t i;

	memset(c, 0, sizeof(*c));
	c->r = r;
	c->start = start;
	c->q = 1;
	if (!group_span(r, "item", &c->item))
		return 0;
	match_span(r, &c->match);
	c->item.so += start;
	c->item.eo += start;
	c->raw = c->item;
	c->match.so += start;
	c->match.eo += start;
	if (group_span(r, "quantity", &qty)) {
		qty.so += start;
		qty.eo += start;
		span_trim(x->s, &qty);
		c->q = rules_quantity_parse(x->x->rs, x->s + qty.so,
		    qty.eo - qty.so);
		/* "117 Gloucester Road" is where, "0117 496 0331" whom to
		 * call, not how many */
		if (overlaps_field(x, &qty) || rules_text_number_is_address(x->s,
		    x->len, qty.eo) || (x->s[qty.so] == '0' && qty.eo - qty.so >
		    1 && isdigit((unsigned char)x->s[qty.so + 1])) ||
		    (isdigit((unsigned char)x->s[qty.so]) && rules_text_phone_end(
		    x->s, x->len, qty.so) > qty.so))
			return 0;
	}
	if (!(c->q > 0) || c->q > RULES_QUANTITY_MAX)
		return 0;
	if (group_span(r, "unit", &unit)) {
		unit.so += start;
		unit.eo += start;
		span_trim(x->s, &unit);
		w = rules_word_find(x->x->rs, WORDS_UNIT, x->s + unit.so,
		    unit.eo - unit.so);
		c->unit = w != NULL ? w->canon : NULL;
	}
	/* "3 bags of house blend by Friday": the date is not the item */
	for (i = 0; i < x->nfields; i++)
		if (x->fields[i].so > c->item.so &&
		    x->fields[i].so < c->item.eo)
			c->item.eo = x->fields[i].so;
	item_trim(x->s, &c->item);
	item_second_unit(x, c);
	item_tail_cut(x, &c->item);
	if (c->item.eo < c->item.so)
		c->item.eo = c->item.so;
	if (item_points_back(x, c))
		;
	else if (!has_letter(x->s + c->item.so, c->item.eo - c->item.so) ||
	    item_starts_badly(x->s + c->item.so, c->item.eo - c->item.so) ||
	    item_is_vague(x->s + c->item.so, c->item.eo - c->item.so))
		return 0;
	else if (rules_word_find(x->x->rs, WORDS_UNIT, x->s + c->item.so,
	    c->item.eo - c->item.so) != NULL)
		return 0;
	return 1;
}

/* Is s[so, eo) a number with letters glued to it ("750ml")? */
static int
glued_unit(const char *s, size_t so, size_t eo)
{
	size_t i = so;

	while (i < eo && !isdigit((unsigned char)s[i]))
		i++;
	while (i < eo && (isdigit((unsigned char)s[i]) || s[i] == '.' ||
	    s[i] == ','))
		i++;
	return i < eo && i > so && isalpha((unsigned char)s[i]);
}

/* How good reading c is; the best one wins.  A product beats none,
 * fewer stray words beat more, a trusted start beats a bare number, an
 * earlier start beats a later one. */
static void
cand_rank(struct xline *x, struct cand *c)
{
	struct rules_ctx *xc = x->x;

	c->rank = 1;
	if (xc->lex == NULL)
		return;
	if (c->synth[0] != '\0') {
		/* pointing back is only as good as what it points at */
		memset(&c->m, 0, sizeof(c->m));
		c->sure = xc->lex->mention(xc->lex->arg, c->synth,
		    strlen(c->synth), &c->m) >= RULES_SURE;
		c->rank = c->sure ? 150 : 0;
		return;
	}
	rules_ctx_mention(xc, x->base + c->item.so, c->item.eo - c->item.so,
	    &c->m);
	c->sure = c->m.score >= RULES_SURE;
	c->junk = c->m.score > 0 ? junk_words(x->s, c->item.so,
	    c->item.so + c->m.so) : 0;
	/* a bare number after the item is its quantity only when the
	 * item is a product and little else ("Granary 4", not "oat milk
	 * as per the standing sheet, row 6") */
	/* a measure glued to a number inside a sentence is a size ("100
	 * cases still water 750ml glass"), not where a line starts */
	if (!c->trusted && c->unit != NULL &&
	    rules_unit_is_measure(xc->rs, c->unit) &&
	    c->match.so + 1 < x->len && glued_unit(x->s, c->match.so,
	    c->item.so)) {
		c->rank = 0;
		return;
	}
	if (c->r->kind == RULE_KNOWN_LINE && (!c->sure ||
	    junk_words(x->s, c->item.so + c->m.eo, c->item.eo) >
	    RULES_JUNK_MAX))
		c->rank = 0;
	/* "2 blu", "4 of the fuzzy ones Jenna mentioned": with no unit and
	 * no product word it is not known to be an item at all ("3 bags of
	 * unicorn dust" is, an unknown one) */
	else if (c->unit == NULL && c->m.score <= 0)
		c->rank = 0;
	else if (!c->trusted && (c->m.score < RULES_HINT ||
	    c->junk > RULES_JUNK_MAX))
		c->rank = 0;
	/* a number inside the item before its product is another line
	 * ("20 people coming, so 3 boxes of tea") */
	else if (c->m.score > 0 && rules_text_has_quantity(xc->rs, x->s + c->item.so,
	    c->m.so))
		c->rank = 0;
	else
		c->rank = 100 * (c->sure ? 2 : c->m.score >= RULES_HINT) +
		    10 * (c->junk == 0) + 5 * c->trusted;
}

static int
cand_better(const struct cand *a, const struct cand *b)
{
	if (b->rank == 0)
		return a->rank > 0;
	if (a->rank != b->rank)
		return a->rank > b->rank;
	return a->start < b->start;
}

/* Where a clause may be read from: its start, after each lead match,
 * and at each word that is a number. */
static size_t
clause_starts(struct xline *x, size_t *starts, int *trusted)
{
	const struct ruleset *rs = x->x->rs;
	const struct rule *r;
	struct span m;
	size_t n = 0, i, j, start;

	starts[n] = 0;
	trusted[n++] = 1;
	for (i = 0; i < rs->nbykind[RULE_LEAD] && n < RULES_STARTS_MAX; i++) {
		r = rs->bykind[RULE_LEAD][i];
		for (start = 0; n < RULES_STARTS_MAX && start < x->len &&
		    rule_run(rs, r, x->s, x->len, start, &x->x->out->limit_hit,
		    &x->x->failed, x->x->e); start = m.so + 1) {
			match_span(r, &m);
			if (m.so == 0)
				continue;
			starts[n] = m.so;
			trusted[n++] = 1;
		}
	}
	if (x->x->lex == NULL)
		return n;
	for (i = 1; i < x->len && n < RULES_STARTS_MAX; i++) {
		/* not inside a word, a time, a date or a decimal */
		if (isalnum((unsigned char)x->s[i - 1]) ||
		    (unsigned char)x->s[i - 1] >= 0x80 ||
		    strchr(":./-,", x->s[i - 1]) != NULL)
			continue;
		for (j = i; j < x->len && isalnum((unsigned char)x->s[j]); j++)
			;
		if (j == i || (!isdigit((unsigned char)x->s[i]) &&
		    rules_word_find(rs, WORDS_NUMBER, x->s + i, j - i) == NULL &&
		    !(j - i <= 2 && (x->s[i] == 'a' || x->s[i] == 'A'))))
			continue;
		/* "Dock 4", "week 48", "before 9" */
		if (isdigit((unsigned char)x->s[i]) &&
		    rules_text_number_is_label(x->s, x->len, i))
			continue;
		starts[n] = i;
		trusted[n++] = 0;
	}
	return n;
}

/* The best reading of clause x as one order line; 0 when there is none. */
static int
cand_best(struct xline *x, struct cand *best)
{
	const struct ruleset *rs = x->x->rs;
	size_t starts[RULES_STARTS_MAX];
	int trusted[RULES_STARTS_MAX];
	struct cand c;
	size_t n, si, i;

	memset(best, 0, sizeof(*best));
	n = clause_starts(x, starts, trusted);
	for (si = 0; si < n; si++) {
		for (i = 0; i < rs->nrules; i++) {
			const struct rule *r = &rs->rules[i];

			if ((r->kind != RULE_LINE && r->kind != RULE_KNOWN_LINE)
			    || (r->kind == RULE_KNOWN_LINE && x->x->lex == NULL))
				continue;
			if (!rule_run(rs, r, x->s + starts[si],
			    x->len - starts[si], 0, &x->x->out->limit_hit,
			    &x->x->failed, x->x->e) ||
			    !cand_make(x, r, starts[si], &c))
				continue;
			c.trusted = trusted[si];
			cand_rank(x, &c);
			if (cand_better(&c, best))
				*best = c;
			/* without a lexicon the first reading wins */
			if (x->x->lex == NULL && best->rank > 0)
				return 1;
		}
		/* a sure reading from an earlier start needs no later one */
		if (best->sure && best->junk == 0)
			break;
	}
	return best->rank > 0;
}

static void
ref_make(struct xline *x, const struct rule *r)
{
	struct rules_result *out = x->x->out;
	struct rules_ref *ref;
	struct span qty, d, m;
	double q;

	out->refs = xreallocarray(out->refs, out->nrefs + 1,
	    sizeof(*out->refs));
	ref = &out->refs[out->nrefs++];
	memset(ref, 0, sizeof(*ref));
	if (group_span(r, "descriptor", &d)) {
		item_trim(x->s, &d);
		if (d.so < d.eo)
			ref->descriptor = xstrndup(x->s + d.so, d.eo - d.so);
	}
	ref->period = group_dup(r, x->s, "period");
	if (group_span(r, "quantity", &qty)) {
		span_trim(x->s, &qty);
		q = rules_quantity_parse(x->x->rs, x->s + qty.so,
		    qty.eo - qty.so);
		if (q > 0 && q <= RULES_QUANTITY_MAX)
			ref->quantity = q;
	}
	match_span(r, &m);
	ref->off = x->base + m.so;
	ref->len = m.eo - m.so;
	ref->rule = r->name;
}

/* Does item hold the words w[0, n), whole ("the Harbourside cans" holds
 * "cans", not "can")? */
static int
item_has_words(const char *item, const char *w, size_t n)
{
	size_t len = strlen(item), i;

	for (i = 0; i + n <= len; i++)
		if ((i == 0 || !isalnum((unsigned char)item[i - 1])) &&
		    strncasecmp(item + i, w, n) == 0 && (i + n == len ||
		    !isalnum((unsigned char)item[i + n])))
			return 1;
	return 0;
}

/* "make that 5, not 3": the last line (or the one the item names) gets
 * the new quantity.  1 when a correction rule took the clause. */
static int
correction_try(struct xline *x)
{
	const struct ruleset *rs = x->x->rs;
	struct rules_result *out = x->x->out;
	const struct rule *r;
	struct span qty, item;
	size_t i, l;
	double q;

	for (i = 0; i < rs->nbykind[RULE_CORRECTION]; i++) {
		r = rs->bykind[RULE_CORRECTION][i];
		if (!xrun(x, r, x->s, x->len) || !group_span(r, "quantity",
		    &qty))
			continue;
		span_trim(x->s, &qty);
		q = rules_quantity_parse(rs, x->s + qty.so, qty.eo - qty.so);
		if (!(q > 0) || q > RULES_QUANTITY_MAX || out->nlines == 0)
			return 0;
		l = out->nlines - 1;
		if (group_span(r, "item", &item)) {
			item_trim(x->s, &item);
			for (l = out->nlines; l-- > 0; )
				if (item.eo > item.so && item_has_words(
				    out->lines[l].item, x->s + item.so,
				    item.eo - item.so))
					break;
			if (l == (size_t)-1)
				return 0;
		}
		out->lines[l].quantity = qty_round(q);
		return 1;
	}
	return 0;
}

static int piece_read(struct xline *, size_t, size_t, int);

/* A clause about something else than ordering, with no order phrase;
 * remarks in brackets aside ("12 vegan croissants (do you do them
 * now?)" is an order). */
static int
clause_not_order(struct xline *x)
{
	char *t = xstrndup(x->s, x->len);
	size_t i, depth = 0;
	int r;

	for (i = 0; i < x->len; i++) {
		if (t[i] == '(')
			depth++;
		if (depth > 0) {
			if (t[i] == ')')
				depth--;
			t[i] = ' ';
		}
	}
	r = any_match(x, RULE_NOT_ORDER, t, x->len) &&
	    !any_match(x, RULE_LEAD, t, x->len);
	free(t);
	return r;
}

/* The residue the antecedent was in is explained by the line that
 * points at it. */
static void
ante_used(struct rules_ctx *x)
{
	struct rules_result *out = x->out;
	size_t r = x->ante.residue;

	if (r == (size_t)-1 || r >= out->nresidues)
		return;
	memmove(&out->residues[r], &out->residues[r + 1],
	    (out->nresidues - r - 1) * sizeof(*out->residues));
	out->nresidues--;
	x->ante.residue = (size_t)-1;
}

/* The text of residue rs as ref's change. */
static void
ref_change(struct xline *x, struct rules_ref *ref,
    const struct rules_residue *rs)
{
	const char *t = x->x->text + rs->off;
	size_t n = rs->len;

	while (n > 0 && strchr(", ;&-", t[n - 1]) != NULL)
		n--;
	if (n >= 4 && strncasecmp(t + n - 4, " and", 4) == 0)
		n -= 4;
	free(ref->change);
	ref->change = xstrndup(t, n);
}

/* A reference, and what the clause says after it: another line ("same
 * again, but make it 4 bags of house blend"), or a change to the
 * reference ("the usual but double the oat milk"). */
static int
ref_try(struct xline *x, int depth)
{
	const struct ruleset *rs = x->x->rs;
	struct rules_result *out = x->x->out;
	const struct rule *r;
	struct span m, rest;
	size_t i, ref, nlines, nres;

	for (i = 0; i < rs->nbykind[RULE_REF]; i++) {
		r = rs->bykind[RULE_REF][i];
		if (!xrun(x, r, x->s, x->len))
			continue;
		match_span(r, &m);
		ref_make(x, r);
		ref = out->nrefs - 1;
		rest.so = m.eo;
		rest.eo = x->len;
		span_trim(x->s, &rest);
		while (rest.so < rest.eo && strchr(",;:.!-", x->s[rest.so]))
			rest.so++;
		span_trim(x->s, &rest);
		if (rest.so == rest.eo || depth >= RULES_DEPTH_MAX)
			return 1;
		nlines = out->nlines;
		nres = out->nresidues;
		if (piece_read(x, rest.so, rest.eo, depth + 1) &&
		    out->nlines > nlines) {
			/* "same again, but double the croissants, and 2
			 * loaves": what came before the new line is the
			 * change to the old order, not unread text */
			if (out->nresidues > nres) {
				ref_change(x, &out->refs[ref],
				    &out->residues[nres]);
				out->nresidues = nres;
			}
			return 1;
		}
		if (rules_text_has_content(x->s + rest.so, rest.eo - rest.so))
			out->refs[ref].change = xstrndup(x->s + rest.so,
			    rest.eo - rest.so);
		return 1;
	}
	return 0;
}

static int
starts_word(const char *s, size_t n, const char *w)
{
	size_t l = strlen(w);

	return n >= l && strncasecmp(s, w, l) == 0 &&
	    (n == l || !isalnum((unsigned char)s[l]));
}

/* ", and", "plus", "& also": another thing follows */
static int
starts_more(const char *s, size_t n)
{
	static const char *const words[] = { "and", "plus", "also", "&",
	    "+", "as well as", NULL };
	size_t k, l, i = 0;

	while (i < n && (s[i] == ',' || s[i] == ';' || isspace((unsigned char)
	    s[i])))
		i++;
	if (i > 0 && i < n && (s[0] == ',' || s[0] == ';'))
		return 1;
	for (k = 0; words[k] != NULL; k++) {
		l = strlen(words[k]);
		if (n - i > l && strncasecmp(s + i, words[k], l) == 0 &&
		    !isalnum((unsigned char)s[i + l]))
			return 1;
	}
	return 0;
}

/* Where in s[so, eo) a ", plus" / "; and" / " and also" starts another
 * thing; eo when nowhere. */
static size_t
more_after(const char *s, size_t so, size_t eo)
{
	size_t i;

	for (i = so; i < eo; i++)
		if ((s[i] == ',' || s[i] == ';') && starts_more(s + i, eo - i))
			return i;
	return eo;
}

static int
starts_context(const char *s, size_t n)
{
	static const char *const preps[] = { "for", "to", "in", "on", "at",
	    "with", "from", "by", "into", "as", "if", "so", "when", "because",
	    "since", "please", "thanks", NULL };
	size_t k, l;

	for (k = 0; preps[k] != NULL; k++) {
		l = strlen(preps[k]);
		if (n > l && strncasecmp(s, preps[k], l) == 0 &&
		    !isalnum((unsigned char)s[l]))
			return 1;
	}
	return 0;
}

/* How many words s[0, n) holds. */
static size_t
count_words(const char *s, size_t n)
{
	size_t i, w = 0;
	int in = 0;

	for (i = 0; i < n; i++) {
		if (isalnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80) {
			w += !in;
			in = 1;
		} else if (s[i] != '\'')
			in = 0;
	}
	return w;
}

/* After a line's product, the rest of its item: another line when it has
 * a number ("2 decaf 4 milk"), unread when it names a product, else
 * words about the line ("for the kitchen"). */
static void
line_rest(struct xline *x, const struct cand *c, size_t li, int depth)
{
	struct rules_mention m;
	struct span rest;
	size_t nl, more;

	if (x->x->lex == NULL || c->m.score <= 0 || c->synth[0] != '\0')
		return;
	/* what the item's words held after the product, before tails and
	 * fields were cut from it */
	rest.so = c->item.so + c->m.eo;
	rest.eo = c->raw.eo;
	span_trim(x->s, &rest);
	if (rest.so >= rest.eo)
		return;
	/* "instead of 3", "not 3": a correction of this very line */
	if (starts_word(x->s + rest.so, rest.eo - rest.so, "instead") ||
	    starts_word(x->s + rest.so, rest.eo - rest.so, "rather") ||
	    starts_word(x->s + rest.so, rest.eo - rest.so, "not"))
		return;
	/* "(sliced please)", "(we've a class of 13 starting in January)":
	 * a remark on it, unless it names a product */
	if (x->s[rest.so] == '(') {
		/* a remark that names a product, or that makes the item
		 * another ("Aran (mustard)": the Aran is not sold in
		 * mustard), is not a remark on this one */
		if (rules_ctx_mention(x->x, x->base + rest.so,
		    rest.eo - rest.so, &m) >= RULES_HINT && !m.weak)
			xresidue(x, rest.so, rest.eo);
		else if (c->sure && count_words(x->s + rest.so,
		    rest.eo - rest.so) <= 3 && rules_ctx_mention(x->x,
		    x->base + c->item.so, rest.eo - c->item.so, &m) <
		    RULES_SURE)
			rules_ctx_residue(x->x, x->base + rest.so,
			    rest.eo - rest.so, RULES_RESIDUE_MENTION);
		return;
	}
	/* "for the kitchen", "in the blue tubs": about the line, up to
	 * where the clause goes on to something else ("to the 5th floor,
	 * plus whatever you think") */
	if (starts_context(x->s + rest.so, rest.eo - rest.so) &&
	    !rules_text_has_quantity(x->x->rs, x->s + rest.so, rest.eo - rest.so)) {
		if ((more = more_after(x->s, rest.so, rest.eo)) < rest.eo)
			xresidue_more(x, more, rest.eo);
		return;
	}
	/* ", plus whatever greens look good": more, that no rule read */
	if (starts_more(x->s + rest.so, rest.eo - rest.so) &&
	    !rules_text_has_quantity(x->x->rs, x->s + rest.so, rest.eo - rest.so)) {
		xresidue_more(x, rest.so, rest.eo);
		return;
	}
	if (rules_text_has_quantity(x->x->rs, x->s + rest.so, rest.eo - rest.so) &&
	    depth < RULES_DEPTH_MAX) {
		nl = x->x->out->nlines;
		if (!piece_read(x, rest.so, rest.eo, depth + 1) ||
		    x->x->out->nlines == nl)
			xresidue(x, rest.so, rest.eo);
		else if (li < nl && x->base + rest.so > x->x->out->lines[li].off)
			/* the line's words end where the next line starts */
			x->x->out->lines[li].len = x->base + rest.so -
			    x->x->out->lines[li].off;
		return;
	}
	if (rules_ctx_mention(x->x, x->base + rest.so, rest.eo - rest.so,
	    &m) >= RULES_HINT && !m.weak)
		xresidue(x, rest.so, rest.eo);
}

/*
 * One clause: a negation, a correction, a reference, or an order line.
 * Returns 1 when the clause was understood (which may mean: it is
 * nothing to order), 0 when it gave nothing.  The clause is matched as
 * if it were a line of its own, so ^ and $ work.
 */
static int
piece_read(struct xline *x, size_t so, size_t eo, int depth)
{
	struct xline px;
	struct span sp = { so, eo };
	struct cand c;
	struct rules_line *ln;
	char *item;

	if (!xline_sub(x, sp, &px))
		return 1;
	/* "Hi," before "2 boxes of ...", "thanks" after: nothing to read */
	if (any_match(&px, RULE_IGNORE, px.s, px.len) ||
	    any_match(&px, RULE_NEGATION, px.s, px.len) ||
	    correction_try(&px) || ref_try(&px, depth))
		return 1;
	if (!cand_best(&px, &c))
		return 0;
	/* "we got 3 bags last week", "what would 50m of calico cost?",
	 * "12 skeins of Aran teal from our last order are from two dye
	 * lots": a number in a sentence about something else, with no
	 * order phrase, is not ordered */
	if (clause_not_order(&px))
		return 0;
	/* the words before the line: its order phrase, or more that
	 * matters ("we're low on oat milk - could you send 2 bags") */
	if (c.start > 0)
		xresidue_mask(&px, 0, c.start, ~RULES_RESIDUE_PHRASE);
	if (c.synth[0] != '\0') {
		/* the words pointed at are read now, not unread */
		ante_used(px.x);
		item = xstrdup(c.synth);
	} else
		item = xstrndup(px.s + c.item.so, c.item.eo - c.item.so);
	ln = rules_ctx_line(px.x, item, px.base + c.item.so,
	    c.item.eo - c.item.so, c.q, c.unit, px.base + c.match.so,
	    c.match.eo - c.match.so, c.r->name);
	free(item);
	if (ln != NULL)
		ln->sku = group_dup(c.r, px.s + c.start, "sku");
	line_rest(&px, &c, ln != NULL ? (size_t)(ln - px.x->out->lines) :
	    (size_t)-1, depth);
	return 1;
}

/* A split of a line into pieces at a split rule's matches; the number of
 * separators found (0: none). */
static size_t
line_seps(struct xline *x, struct span *seps)
{
	const struct ruleset *rs = x->x->rs;
	const struct rule *r;
	struct span m;
	size_t i, nsep = 0, start;

	for (i = 0; i < rs->nbykind[RULE_SPLIT] && nsep == 0; i++) {
		r = rs->bykind[RULE_SPLIT][i];
		start = 0;
		while (nsep < RULES_PIECES_MAX - 1 && start < x->len &&
		    rule_run(rs, r, x->s, x->len, start,
		    &x->x->out->limit_hit, &x->x->failed, x->x->e)) {
			match_span(r, &m);
			if (m.eo == m.so) {	/* empty: not a separator */
				start = m.eo + 1;
				continue;
			}
			seps[nsep++] = m;
			start = m.eo;
		}
	}
	return nsep;
}

static void
result_truncate(struct rules_result *out, size_t nlines, size_t nrefs,
    size_t nresidues)
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
		free(out->refs[out->nrefs].change);
	}
	out->nresidues = nresidues;
}

/*
 * "3 bags of blend and two cases of cups": cut at each separator a split
 * rule finds.  When every piece is understood the cut stands; when not,
 * the line is read whole ("House Blend, 3" is one line), and when that
 * gives nothing either, the pieces that were understood are kept and the
 * others are unread.  Returns 1 when anything was understood.
 */
static int
line_split(struct xline *x)
{
	struct rules_result *out = x->x->out;
	struct span seps[RULES_PIECES_MAX];
	size_t i, nsep, nl = out->nlines, nr = out->nrefs,
	    nres = out->nresidues, from;
	int ok, all = 1, any = 0, bad[RULES_PIECES_MAX];

	if ((nsep = line_seps(x, seps)) == 0)
		return 0;
	for (i = 0, from = 0; i <= nsep; i++) {
		ok = piece_read(x, from, i < nsep ? seps[i].so : x->len, 0);
		bad[i] = !ok;
		all &= ok;
		any |= ok;
		if (i < nsep)
			from = seps[i].eo;
	}
	if (all)
		return 1;
	result_truncate(out, nl, nr, nres);
	if (piece_read(x, 0, x->len, 0))
		return 1;
	if (!any)
		return 0;
	for (i = 0, from = 0; i <= nsep; i++) {
		if (!piece_read(x, from, i < nsep ? seps[i].so : x->len, 0) &&
		    bad[i])
			xresidue(x, from, i < nsep ? seps[i].so : x->len);
		if (i < nsep)
			from = seps[i].eo;
	}
	return 1;
}

/* "delivery Friday", "needed by", "required": a date for the goods. */
static int
date_is_delivery(const char *s, size_t n)
{
	static const char *const words[] = { "deliver", "need", "requir",
	    "arriv", "due", NULL };
	size_t i, k;

	for (i = 0; i < n; i++)
		for (k = 0; words[k] != NULL; k++)
			if (n - i >= strlen(words[k]) && strncasecmp(s + i,
			    words[k], strlen(words[k])) == 0)
				return 1;
	return 0;
}

static void
date_try(struct xline *x, const struct rule *r)
{
	struct rules_result *out = x->x->out;
	struct rules_date_parts p;
	struct span m;
	char buf[11];
	char *parts[7];
	static const char *const names[7] = { "year", "month", "day",
	    "weekday", "relative", "first", "second" };
	size_t i;
	int ok, strong;

	for (i = 0; i < 7; i++)
		parts[i] = group_dup(r, x->s, names[i]);
	p.year = parts[0];
	p.month = parts[1];
	p.day = parts[2];
	p.weekday = parts[3];
	p.relative = parts[4];
	p.first = parts[5];
	p.second = parts[6];
	ok = rules_date_resolve(x->x->rs, &p, x->x->now, buf) == 0;
	for (i = 0; i < 7; i++)
		free(parts[i]);
	if (!ok)
		return;
	match_span(r, &m);
	if (x->nfields < RULES_FIELDS_MAX)
		x->fields[x->nfields++] = m;
	/* the first date, unless a later one says it is for the delivery
	 * ("the dinner is on Saturday; for delivery Friday 4th") */
	strong = date_is_delivery(x->s + m.so, m.eo - m.so);
	if (out->requested_date == NULL || (strong && !x->x->date_strong)) {
		free(out->requested_date);
		free(out->requested_date_text);
		out->requested_date = xstrdup(buf);
		span_trim(x->s, &m);
		out->requested_date_text = xstrndup(x->s + m.so, m.eo - m.so);
		x->x->date_strong = strong;
	}
}

/* PO numbers and dates; their spans are remembered so that "PO 4711" or
 * "by 12/03" never turn into order lines. */
static void
line_fields(struct xline *x)
{
	const struct ruleset *rs = x->x->rs;
	const struct rule *r;
	struct span m;
	size_t i;
	int po = 0, date = 0;

	for (i = 0; i < rs->nrules; i++) {
		r = &rs->rules[i];
		if (r->kind == RULE_PO && !po && xrun(x, r, x->s, x->len)) {
			po = 1;
			match_span(r, &m);
			if (x->nfields < RULES_FIELDS_MAX)
				x->fields[x->nfields++] = m;
			if (x->x->out->po_number == NULL)
				x->x->out->po_number = group_dup(r, x->s,
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
 * unread if it holds anything that looks like part of an order.
 */
static void
sentence_read(struct xline *x)
{
	if (line_split(x) || piece_read(x, 0, x->len, 0))
		return;
	xresidue(x, 0, x->len);
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
	if (any_match(&sx, RULE_IGNORE, sx.s, sx.len) ||
	    any_match(&sx, RULE_GUARD, sx.s, sx.len))
		return;
	sentence_read(&sx);
}

/* A list marker: "- ", "* ", "• ", "1. ", "2) ", "(3) ", "#4 ".  Its
 * number is the item's place in the list, never its quantity. */
static size_t
list_marker(const char *s, size_t len)
{
	size_t i = 0, d;

	while (i < len && isspace((unsigned char)s[i]))
		i++;
	if (i < len && strchr("-*>", s[i]) != NULL && i + 1 < len &&
	    isspace((unsigned char)s[i + 1]))
		return i + 2;
	if (i + 2 < len && ((unsigned char)s[i] == 0xe2 &&
	    (unsigned char)s[i + 1] == 0x80 &&
	    ((unsigned char)s[i + 2] == 0xa2 ||
	    (unsigned char)s[i + 2] == 0x93)))
		return i + 3;		/* "•", "–" */
	if (i + 1 < len && (unsigned char)s[i] == 0xc2 &&
	    (unsigned char)s[i + 1] == 0xb7)
		return i + 2;		/* "·" */
	if (i < len && (s[i] == '(' || s[i] == '#'))
		i++;
	for (d = i; i < len && i - d < 3 && isdigit((unsigned char)s[i]); i++)
		;
	if (i == d || i - d > 2 || i >= len)
		return 0;
	if ((s[i] == '.' || s[i] == ')' || s[i] == ':') && i + 1 < len &&
	    isspace((unsigned char)s[i + 1]))
		return i + 2;
	return 0;
}

/* One line that is not part of a table. */
static void
line_read(struct rules_ctx *x, const struct rules_span *ln)
{
	struct xline xl;
	size_t from, end, next, mk;

	memset(&xl, 0, sizeof(xl));
	xl.x = x;
	xl.s = x->text + ln->off;
	xl.len = ln->len;
	xl.base = ln->off;
	/* "Order for Friday please:" is a list's heading, and its date */
	if (any_match(&xl, RULE_IGNORE, xl.s, xl.len)) {
		line_fields(&xl);
		return;
	}
	/* a guarded line ("Tel: ...") gives fields and nothing else,
	 * whatever its sentences say; but a guard that took a number and
	 * product words is shown to a person, not trusted */
	if (any_match(&xl, RULE_GUARD, xl.s, xl.len)) {
		line_fields(&xl);
		xresidue_mask(&xl, 0, xl.len, guarded_mask(&xl));
		return;
	}
	if ((mk = list_marker(xl.s, xl.len)) > 0) {
		xl.s += mk;
		xl.len -= mk;
		xl.base += mk;
	}
	/* "Hi, it's Renée from Acme. Please send 4 bags of house blend.":
	 * each sentence is read on its own, so that the line rules see an
	 * order's lead-in at their start */
	end = sentence_end(xl.s, xl.len, 0, &next);
	if (end == xl.len) {
		line_fields(&xl);
		sentence_read(&xl);
		return;
	}
	for (from = 0; from < xl.len; from = next) {
		end = sentence_end(xl.s, xl.len, from, &next);
		sentence_eval(&xl, from, end);
	}
}

/* A table's rows may hold the PO number and the date ("PO Number: |
 * 4500118833"); the table reader takes only lines. */
static void
table_fields(struct rules_ctx *x, const struct rules_span *lines, size_t n)
{
	struct xline xl;
	size_t i;

	for (i = 0; i < n; i++) {
		memset(&xl, 0, sizeof(xl));
		xl.x = x;
		xl.s = x->text + lines[i].off;
		xl.len = lines[i].len;
		xl.base = lines[i].off;
		line_fields(&xl);
	}
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

/* The text's lines (without their newlines, cut at RULES_LINE_MAX). */
static struct rules_span *
text_lines(struct rules_ctx *x, size_t *n_r)
{
	struct rules_span *lines = NULL;
	const char *p, *nl, *tend = x->text + x->len;
	size_t n = 0, cap = 0, len;

	for (p = x->text; p < tend; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(tend - p))) == NULL)
			nl = tend;
		len = (size_t)(nl - p);
		if (len > 0 && p[len - 1] == '\r')
			len--;
		if (len > RULES_LINE_MAX) {
			len = line_cap(p, len);
			x->out->truncated = 1;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			lines = xreallocarray(lines, cap, sizeof(*lines));
		}
		lines[n].off = (size_t)(p - x->text);
		lines[n++].len = len;
	}
	*n_r = n;
	return lines;
}

/* "P.S. could you add ...": reading goes on after a closing for this. */
static int
line_is_ps(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && isspace((unsigned char)s[i]))
		i++;
	return len - i >= 3 && (s[i] == 'p' || s[i] == 'P') &&
	    (s[i + 1] == 's' || s[i + 1] == 'S' || (s[i + 1] == '.' &&
	    (s[i + 2] == 's' || s[i + 2] == 'S')));
}

static void
ctx_init(struct rules_ctx *x, const struct ruleset *rs, const char *text,
    size_t len, time_t now, const struct rules_lexicon *lex,
    struct rules_result *out, struct err *e)
{
	memset(x, 0, sizeof(*x));
	x->rs = rs;
	x->lex = lex;
	x->out = out;
	x->e = e;
	x->now = now;
	x->text = text;
	x->len = len;
	x->ante.residue = (size_t)-1;
}

int
rules_extract(const struct ruleset *rs, const char *text, size_t len,
    time_t now, const struct rules_lexicon *lex, struct rules_result *out,
    struct err *e)
{
	struct rules_ctx x;
	struct rules_span *lines;
	size_t n, i, used;
	int stopped = 0;

	memset(out, 0, sizeof(*out));
	if (len > RULES_TEXT_MAX) {
		len = RULES_TEXT_MAX;
		out->truncated = 1;
	}
	ctx_init(&x, rs, text, len, now, lex, out, e);
	lines = text_lines(&x, &n);
	for (i = 0; i < n; i++) {
		const char *s = text + lines[i].off;

		if (stopped && !line_is_ps(s, lines[i].len))
			continue;
		stopped = 0;
		if (rules_ctx_match(&x, RULE_STOP, s, lines[i].len)) {
			stopped = 1;
			continue;
		}
		if ((used = rules_table_read(&x, lines, n, i, 0)) > 0) {
			table_fields(&x, lines + i, used);
			i += used - 1;
			continue;
		}
		line_read(&x, &lines[i]);
	}
	free(lines);
	return x.failed ? -1 : 0;
}

int
rules_extract_sheet(const struct ruleset *rs, const char *text, size_t len,
    const struct rules_lexicon *lex, struct rules_result *out, struct err *e)
{
	struct rules_ctx x;
	struct rules_span *lines;
	size_t n;

	if (len > RULES_TEXT_MAX) {
		len = RULES_TEXT_MAX;
		out->truncated = 1;
	}
	ctx_init(&x, rs, text, len, 0, lex, out, e);
	lines = text_lines(&x, &n);
	if (n > 0)
		rules_table_read(&x, lines, n, 0, 1);
	free(lines);
	return x.failed ? -1 : 0;
}

void
rules_result_release(struct rules_result *out)
{
	result_truncate(out, 0, 0, 0);
	free(out->lines);
	free(out->refs);
	free(out->residues);
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

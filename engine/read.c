/*
 * Reading an order: the rules find lines, references and fields in the
 * cleaned text (asking the catalog, through the lexicon below, which
 * words name products), and this file turns them into the engine's
 * lines and flags.  Each line's item is resolved to a SKU only when that
 * is certain: one product clearly ahead, no word beside it naming
 * something else ("decaf" pods when only regular pods exist), or, when
 * two products fit almost equally, the customer's own history saying
 * which one they buy.  Everything else is flagged for a person, and so is
 * any text the rules could not read that looks like part of an order.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/qty.h"
#include "common/xmalloc.h"
#include "engine/engine_int.h"
#include "resolve/catalog.h"
#include "resolve/history.h"
#include "rules/rules.h"

#define ENGINE_PRIOR_ORDERS	2	/* orders that make a product "theirs" */
#define ENGINE_PRIOR_RANGE	0.1	/* how close the rival products are */
#define ENGINE_UNREAD_MAX	200	/* bytes of unread text quoted */

/* What the lexicon needs to resolve an item the way the engine will. */
struct engine_lex {
	struct engine		*e;
	const char		*customer;
	const struct history	*h;
};

struct engine_res {
	struct catalog_mention	 cm;
	const char		*sku;		/* NULL: not sure */
	double			 score;
	const char		*how;
	char			 note[160];
};

static int
lex_is_qualifier(void *arg, const char *w, size_t n)
{
	return rules_word_is_qualifier(arg, w, n);
}

/* The catalog's words are stemmed ("loaves" is "loave"): try the word
 * as the rules know it too. */
static int
lex_is_unit(void *arg, const char *w, size_t n)
{
	char buf[64];

	if (rules_word_is_unit(arg, w, n))
		return 1;
	if (n + 3 > sizeof(buf))
		return 0;
	memcpy(buf, w, n);
	memcpy(buf + n, "s", 2);
	if (rules_word_is_unit(arg, buf, n + 1))
		return 1;
	memcpy(buf + n, "es", 3);
	return rules_word_is_unit(arg, buf, n + 2);
}

/* A match is sure when it is an exact alias/name/SKU (or the customer's
 * own learned alias) that no other product shares, or a close match that
 * clears the threshold with a clear lead over the runner-up. */
static int
engine_match_sure(const struct engine *e, const struct catalog_match *m,
    size_t n)
{
	if (n == 0 || m[0].score < e->policy.match_threshold)
		return 0;
	if (n == 1 || strcmp(m[0].how, "learned") == 0)
		return 1;
	if (m[0].score >= 0.99)
		return m[1].score < 0.99;
	return m[1].score < m[0].score - e->policy.match_margin;
}

/*
 * Two products fit the words almost equally ("the house pods": regular
 * or decaf).  When exactly one of them is in the customer's recent
 * orders, at least ENGINE_PRIOR_ORDERS times, and the others never,
 * that one is what they mean.
 */
/* Of two products the customer buys, the one whose usual quantities
 * hold q; -2 when both or neither do. */
static int
engine_prior_qty(const struct history *h, const struct catalog_mention *cm,
    int a, int b, double q)
{
	double lo, hi;
	int ina, inb;

	if (a < 0)
		return -2;
	history_quantity_range(h, cm->m[a].sku, &lo, &hi);
	ina = q >= lo && q <= hi;
	history_quantity_range(h, cm->m[b].sku, &lo, &hi);
	inb = q >= lo && q <= hi;
	if (ina == inb)
		return -2;
	return ina ? a : b;
}

/* Which candidates fit the words as well as the best: within
 * ENGINE_PRIOR_RANGE of its score, or holding every word the customer
 * wrote (the score of "brownies" against "GF brownies" and "chocolate
 * brownie tray" says only which name is shorter).  Returns how many. */
static size_t
engine_rivals(struct engine *e, const char *text, size_t len,
    const struct catalog_mention *cm, int *rival)
{
	char words[256];
	size_t i, n = 0, wl = cm->eo > cm->so ? cm->eo - cm->so : len;

	snprintf(words, sizeof(words), "%.*s", (int)wl,
	    text + (cm->eo > cm->so ? cm->so : 0));
	for (i = 0; i < cm->n; i++) {
		rival[i] = i == 0 ||
		    cm->m[i].score >= cm->m[0].score - ENGINE_PRIOR_RANGE ||
		    (strcmp(cm->m[0].how, "words") == 0 &&
		    catalog_describes(e->catalog, words, cm->m[i].sku) >= 0.99 &&
		    catalog_describes(e->catalog, words, cm->m[0].sku) >= 0.99);
		n += rival[i];
	}
	return n;
}

/*
 * Products that fit the words alike ("the house pods": regular or
 * decaf).  When exactly one of them is in the customer's recent orders,
 * at least ENGINE_PRIOR_ORDERS times, and the others never, that one is
 * what they mean; when several are, the one whose usual quantity this
 * is.  Returns 1 with res set, 0 when history does not settle it.
 */
static int
engine_prior(const struct engine *e, const struct history *h, double q,
    const int *rival, struct engine_res *res)
{
	const struct catalog_mention *cm = &res->cm;
	double lo, hi, floor = e->policy.match_threshold - 0.15;
	int orders = 0, o, theirs = -1;
	size_t i;

	if (h == NULL || h->n == 0 || cm->n == 0 || cm->m[0].score < floor)
		return 0;
	for (i = 0; i < cm->n; i++) {
		if (!rival[i])
			continue;
		o = history_quantity_range(h, cm->m[i].sku, &lo, &hi);
		if (o >= ENGINE_PRIOR_ORDERS && theirs >= 0 && q > 0)
			theirs = engine_prior_qty(h, cm, theirs, (int)i, q);
		else if (o >= ENGINE_PRIOR_ORDERS && theirs < 0)
			theirs = (int)i;
		else if (o > 0)
			return 0;
		if (theirs == -2)
			return 0;
		if (theirs == (int)i)
			orders = o;
	}
	if (theirs < 0)
		return 0;
	res->sku = cm->m[theirs].sku;
	res->score = cm->m[theirs].score;
	res->how = "history";
	snprintf(res->note, sizeof(res->note), "the words fit more than one "
	    "product; %s is in %d of the customer's last orders", res->sku,
	    orders);
	return 1;
}

static void
engine_sure(struct engine_res *res)
{
	res->sku = res->cm.m[0].sku;
	res->score = res->cm.m[0].score;
	res->how = res->cm.m[0].how;
}

static void
engine_resolve(struct engine *e, const char *text, size_t len,
    const char *customer, const struct history *h, double q,
    struct engine_res *res)
{
	struct catalog_words cw = { lex_is_qualifier, lex_is_unit,
	    (void *)e->rules };
	int rival[CATALOG_MAX_CANDIDATES];

	memset(res, 0, sizeof(*res));
	if (catalog_mention(e->catalog, text, len, customer, &cw,
	    &res->cm) == 0 || res->cm.contra[0] != '\0')
		return;
	/* words the catalog does not know, on the product's words, may
	 * name another product ("Thai basil", "key limes", "disinfectant
	 * wipes"): not sure */
	if (res->cm.extra > 0)
		return;
	/* an alias or name only one product has, or the customer's own
	 * learned word for it, says what they mean whatever they bought */
	if (strcmp(res->cm.m[0].how, "learned") == 0 ||
	    (res->cm.m[0].score >= 0.99 && (res->cm.n == 1 ||
	    res->cm.m[1].score < 0.99))) {
		engine_sure(res);
		return;
	}
	/* products that fit alike: the one this customer buys, when their
	 * history says so; never the one with the shorter name */
	if (engine_rivals(e, text, len, &res->cm, rival) > 1) {
		engine_prior(e, h, q, rival, res);
		return;
	}
	if (engine_match_sure(e, res->cm.m, res->cm.n))
		engine_sure(res);
}

/* Product words, though not one product: an alias or name several
 * products share ("lids"), a qualified one ("decaf pods"), or two words
 * or more that fit well.  One generic word that is half of an alias
 * ("small" of "small cups") is not. */
static int
engine_product_words(const struct engine *e, const struct engine_res *res)
{
	const struct catalog_match *m = &res->cm.m[0];

	if (res->cm.contra[0] != '\0')
		return 1;
	if (strcmp(m->how, "words") != 0 && strcmp(m->how, "fuzzy") != 0)
		return 1;
	return m->score >= e->policy.match_threshold && res->cm.ntok >= 2;
}

/* The rules' question: do these words name a product, and where? */
static double
lex_mention(void *arg, const char *s, size_t len, struct rules_mention *m)
{
	struct engine_lex *lx = arg;
	struct engine_res res;

	engine_resolve(lx->e, s, len, lx->customer, lx->h, 0, &res);
	if (res.cm.n == 0)
		return m->score = 0;
	m->so = res.cm.so;
	m->eo = res.cm.eo;
	m->weak = res.cm.ntok == 1 &&
	    (strcmp(res.cm.m[0].how, "words") == 0 ||
	    strcmp(res.cm.m[0].how, "fuzzy") == 0);
	if (res.sku != NULL)
		return m->score = 1.0;
	if (engine_product_words(lx->e, &res))
		return m->score = (RULES_HINT + RULES_SURE) / 2;
	return m->score = res.cm.m[0].score * RULES_HINT;
}

static void
engine_flag_unknown(struct engine *e, struct engine_result *r, size_t li,
    const struct engine_res *res)
{
	const struct engine_line *l = &r->lines[li];
	const struct catalog_mention *cm = &res->cm;
	struct engine_flag *f;
	size_t i;

	if (cm->contra[0] != '\0')
		f = engine_flag_add(r, "unknown_product", (int)li, "'%s' is "
		    "not a product in the catalog: nothing sold is '%s' %s",
		    l->item, cm->contra, cm->n > 0 ? "as well as the nearest "
		    "ones" : "");
	else if (cm->n > 0 && cm->m[0].score >= e->policy.match_threshold)
		f = engine_flag_add(r, "unknown_product", (int)li, "'%s' could "
		    "mean more than one product", l->item);
	else
		f = engine_flag_add(r, "unknown_product", (int)li, "no product "
		    "in the catalog matches '%s'", l->item);
	for (i = 0; i < cm->n; i++)
		if (cm->m[i].score >= 0.3)
			engine_flag_candidate(f, cm->m[i].sku, cm->m[i].score);
}

/* Does the catalog sell sku in unit (or in one unit converts to)? */
static int
engine_sold_in(struct engine *e, const char *sku, const char *unit)
{
	const char *cu = catalog_unit(e->catalog, sku);
	double q;

	return cu != NULL && rules_unit_convert(e->rules, 1, unit, cu, &q) == 0;
}

/* "Floor cleaner: 1 drum": the words fit the gallon and the drum; the
 * unit says which.  Among the products the words fit nearly as well,
 * the one sold in the unit the customer wrote. */
static void
engine_by_unit(struct engine *e, const struct engine_line *l,
    const char *customer, struct engine_res *res)
{
	struct catalog_match m[CATALOG_MAX_CANDIDATES];
	char words[256];
	size_t i, n;

	if (l->unit == NULL || res->sku == NULL ||
	    engine_sold_in(e, res->sku, l->unit))
		return;
	snprintf(words, sizeof(words), "%.*s", (int)(res->cm.eo - res->cm.so),
	    l->item + res->cm.so);
	n = catalog_match_all(e->catalog, words, customer, m,
	    CATALOG_MAX_CANDIDATES);
	for (i = 0; i < n; i++) {
		if (m[i].score < res->score - 0.15)
			break;
		if (engine_sold_in(e, m[i].sku, l->unit)) {
			res->sku = m[i].sku;
			res->score = m[i].score;
			res->how = "unit";
			snprintf(res->note, sizeof(res->note), "%s is sold by "
			    "the %s", res->sku, l->unit);
			return;
		}
	}
}

static void
engine_resolve_line(struct engine *e, struct engine_result *r, size_t li,
    const struct history *h)
{
	struct engine_line *l = &r->lines[li];
	struct engine_res res;

	engine_resolve(e, l->item, strlen(l->item), r->customer_id, h,
	    l->quantity, &res);
	engine_by_unit(e, l, r->customer_id, &res);
	if (res.sku == NULL) {
		l->score = res.cm.n > 0 ? res.cm.m[0].score : 0;
		engine_flag_unknown(e, r, li, &res);
		return;
	}
	l->sku = xstrdup(res.sku);
	l->score = res.score;
	l->how = res.how;
	if (res.note[0] != '\0')
		l->note = xstrdup(res.note);
}

/* Units of a single thing, which a package holds: "24 bottles" of a
 * juice sold by the "case of 12" are 2 cases; "2 boxes" of it may be 2
 * cases, and are taken as written. */
static const char *const engine_item_units[] = {
	"bar", "bottle", "each", "jar", "piece", "pint", "pot", "roll",
	"sheet", "tin", "tube", "unit", NULL
};

static int
engine_item_unit(const char *u)
{
	size_t i;

	for (i = 0; engine_item_units[i] != NULL; i++)
		if (strcmp(engine_item_units[i], u) == 0)
			return 1;
	return 0;
}

/* The last unit word in s up to a ")" or the end: "x 500-sheet reams)"
 * gives "ream", not the "sheet" of each ream. */
static const char *
engine_last_unit(struct engine *e, const char *s)
{
	const char *u, *last = NULL;
	char word[32];
	size_t n;

	while (*s != '\0' && *s != ')' && *s != '(') {
		while (*s != '\0' && *s != ')' && !isalpha((unsigned char)*s))
			s++;
		for (n = 0; isalpha((unsigned char)s[n]); n++)
			;
		if (n == 0)
			break;
		if (n < sizeof(word)) {
			memcpy(word, s, n);
			word[n] = '\0';
			if ((u = rules_unit_canon(e->rules, word)) != NULL)
				last = u;
		}
		s += n;
	}
	return last;
}

/* How many of which unit one of the product holds, from its name: "Clear
 * Sticky Tape (pack of 8 rolls)" 8 rolls, "Best Bitter Firkin (72
 * pints)" 72 pints, "Juice 1L (case of 12)" 12 of unit (what the
 * customer counts in, when that is a single thing); 0 when the name does
 * not say. */
static double
engine_name_pack(struct engine *e, const char *sku, const char *unit,
    const char **unit_r)
{
	const char *name = engine_product_name(e, sku), *p, *u;
	double n;
	int used, at;

	for (p = name; p != NULL && *p != '\0'; p++) {
		if (strncmp(p, " of ", 4) == 0)
			at = 4;
		else if (*p == '(')
			at = 1;
		else
			continue;
		if (sscanf(p + at, "%lf%n", &n, &used) != 1 || n < 2 ||
		    n > 100000 || n != (double)(long)n)
			continue;
		used += at;
		if ((u = engine_last_unit(e, p + used)) != NULL) {
			*unit_r = u;
			return n;
		}
		if (p[used] == ')' && engine_item_unit(unit)) {
			*unit_r = unit;
			return n;
		}
	}
	return 0;
}

/*
 * The customer's unit into the catalog's: "2 dozen" croissants sold each
 * are 24, rolls sold by the dozen 2, "500g" of cheese sold by the kg
 * 0.5.  A measure no ratio links to the catalog's unit ("2 kg" of beans
 * sold by the bag) is flagged, not guessed; other words for the package
 * ("bottles" of milk sold by the carton) are taken as written.
 */
static void
engine_convert(struct engine *e, struct engine_result *r, size_t li)
{
	struct engine_line *l = &r->lines[li];
	const char *cu, *sub;
	char q[QTY_FMT_MAX], q2[QTY_FMT_MAX], note[96];
	double out, pack;

	if (l->sku == NULL || l->unit == NULL ||
	    (cu = catalog_unit(e->catalog, l->sku)) == NULL)
		return;
	/* "a gross of pencils" sold in boxes of 12 is 144 pencils, 12
	 * boxes, and "a dozen" of them 1 box, not 12: a unit that counts
	 * things counts what the package holds */
	if (strcmp(l->unit, cu) != 0 &&
	    !rules_unit_is_measure(e->rules, l->unit) &&
	    rules_unit_convert(e->rules, 1, l->unit, "each", &out) == 0 &&
	    out > 1 && (pack = engine_name_pack(e, l->sku, "each", &sub)) > 0) {
		l->quantity *= out;
		free(l->unit);
		l->unit = xstrdup(sub);
	}
	if (rules_unit_convert(e->rules, l->quantity, l->unit, cu, &out) ==
	    0) {
		if (out != l->quantity) {
			snprintf(note, sizeof(note), "%s %s = %s %s",
			    qty_format(l->quantity, q), l->unit,
			    qty_format(out, q2), cu);
			free(l->note);
			l->note = xstrdup(note);
			l->quantity = out;
			free(l->unit);
			l->unit = xstrdup(cu);
		}
		return;
	}
	/* "16 rolls" of tape sold in packs of 8 rolls: 2 packs; "12 rolls"
	 * is not a whole number of them, and is asked */
	if ((pack = engine_name_pack(e, l->sku, l->unit, &sub)) > 0 &&
	    strcmp(sub, l->unit) == 0) {
		out = l->quantity / pack;
		if (qty_is_whole(out)) {
			snprintf(note, sizeof(note), "%s %s = %s %s",
			    qty_format(l->quantity, q),
			    l->unit, qty_format(out, q2), cu);
			free(l->note);
			l->note = xstrdup(note);
			l->quantity = out;
			free(l->unit);
			l->unit = xstrdup(cu);
			return;
		}
		engine_flag_candidate(engine_flag_add(r, "unit_mismatch",
		    (int)li, "%s %s of %s, which is sold by the %s of %s: "
		    "how many is that?", qty_format(l->quantity, q), l->unit,
		    l->sku, cu, qty_format(pack, q2)), l->sku, 1.0);
		return;
	}
	/* "1 drum" of something sold by the gallon: how many gallons? */
	if (!rules_unit_is_measure(e->rules, l->unit) &&
	    !rules_unit_is_measure(e->rules, cu))
		return;
	engine_flag_candidate(engine_flag_add(r, "unit_mismatch", (int)li,
	    "%s %s of %s, which is sold by the %s: how many is that?",
	    qty_format(l->quantity, q), l->unit, l->sku, cu), l->sku, 1.0);
}

/*
 * A product the customer has (almost) never had is compared with what the
 * whole shop takes of it: "400 bags" of something no customer has taken
 * more than 20 of in one order is a slip until a person says otherwise,
 * from a new customer as much as from an old one.
 */
static int
engine_check_shop_quantity(struct engine *e, struct engine_result *r,
    size_t li, struct err *err)
{
	const struct engine_line *l = &r->lines[li];
	const struct engine_sku_range *sr;
	char q[QTY_FMT_MAX], qhi[QTY_FMT_MAX];

	if (e->store == NULL)
		return 0;
	if ((sr = engine_sku_range(e, l->sku, err)) == NULL)
		return -1;
	if (sr->lines >= e->policy.min_history_orders &&
	    l->quantity > sr->max * e->policy.unusual_factor)
		engine_flag_candidate(engine_flag_add(r, "unusual_quantity",
		    (int)li, "%s of %s, where no customer has taken more "
		    "than %s in one order", qty_format(l->quantity, q),
		    l->sku, qty_format(sr->max, qhi)), l->sku, 1.0);
	return 0;
}

static int
engine_check_quantity(struct engine *e, struct engine_result *r,
    const struct history *h, size_t li, struct err *err)
{
	const struct engine_line *l = &r->lines[li];
	double fac = e->policy.unusual_factor;
	char q[QTY_FMT_MAX], qlo[QTY_FMT_MAX], qhi[QTY_FMT_MAX];
	double lo, hi;
	int orders;

	if (l->sku == NULL)
		return 0;
	orders = history_quantity_range(h, l->sku, &lo, &hi);
	if (orders < e->policy.min_history_orders)
		return engine_check_shop_quantity(e, r, li, err);
	if (l->quantity > hi * fac || l->quantity * fac < lo)
		engine_flag_candidate(engine_flag_add(r, "unusual_quantity",
		    (int)li, "%s of %s, where %s usually takes %s-%s",
		    qty_format(l->quantity, q), l->sku, r->customer_name ?
		    r->customer_name : r->customer_id, qty_format(lo, qlo),
		    qty_format(hi, qhi)), l->sku, 1.0);
	return 0;
}

/* Each line resolved, converted to the catalog's unit and checked. */
static int
engine_check_lines(struct engine *e, struct engine_result *r,
    const struct history *h, struct err *err)
{
	size_t i;

	for (i = 0; i < r->nlines; i++) {
		if (r->lines[i].sku == NULL)
			engine_resolve_line(e, r, i, h);
		engine_convert(e, r, i);
		if (engine_check_quantity(e, r, h, i, err) == -1)
			return -1;
		engine_check_stock(e, r, i);
	}
	return 0;
}

/* Lines from a rules result; text is what their spans index. */
static void
engine_add_lines(struct engine *e, struct engine_result *r,
    const struct rules_result *rr, const char *text, size_t tlen,
    int in_text)
{
	struct engine_line *l;
	size_t i, j;

	for (i = 0; i < rr->nlines; i++) {
		const struct rules_line *rl = &rr->lines[i];

		if ((l = engine_line_add(r)) == NULL) {
			r->cut = 1;
			break;
		}
		l->quantity = rl->quantity;
		l->unit = rl->unit ? xstrdup(rl->unit) : NULL;
		l->item = xstrdup(rl->item ? rl->item : "");
		l->rule = rl->rule;
		l->off = rl->off;
		l->len = rl->len;
		l->in_text = in_text;
		if (rl->off <= tlen && rl->len <= tlen - rl->off)
			l->text = xstrndup(text + rl->off, rl->len);
		else
			l->text = xstrdup(l->item);
		for (j = 0; !in_text && l->text[j] != '\0'; j++)
			if (l->text[j] == '\t')
				l->text[j] = ',';
		/* a table's code column holds the shop's SKU, or the
		 * customer's own code, which says nothing */
		if (rl->sku != NULL && catalog_name(e->catalog, rl->sku)) {
			l->sku = xstrdup(rl->sku);
			l->score = 1.0;
			l->how = "sku";
		}
	}
}

static void
engine_add_references(struct engine *e, struct engine_result *r,
    const struct rules_result *rr, const struct history *h, time_t now)
{
	struct history_candidate c[ENGINE_MAX_REFERENCED];
	struct engine_flag *f;
	size_t i, j, n;

	for (i = 0; i < rr->nrefs; i++) {
		const struct rules_ref *ref = &rr->refs[i];
		const char *what = ref->descriptor ? ref->descriptor :
		    "their last order";
		const char *chg = ref->change ? ref->change : "";

		if (r->customer_id == NULL) {
			engine_flag_add(r, "history_reference", -1,
			    "refers to an earlier order (%s) but the sender "
			    "is not a known customer%s%s%s", what,
			    *chg ? ", with a change: '" : "", chg,
			    *chg ? "'" : "");
			continue;
		}
		n = history_candidates(h, e->catalog, ref->descriptor,
		    ref->period, now, c, ENGINE_MAX_REFERENCED);
		f = engine_flag_add(r, "history_reference", -1,
		    "refers to an earlier order (%s)%s%s%s%s", what,
		    n > 0 ? "" : " but nothing in the history matches",
		    *chg ? ", with a change: '" : "", chg, *chg ? "'" : "");
		for (j = 0; j < n; j++)
			engine_flag_candidate(f, c[j].sku, c[j].score);
	}
}

/* Does a residue hold what makes it part of an order? */
static int
engine_residue_matters(const struct rules_residue *rs, int order)
{
	int w = rs->why;

	if (w & RULES_RESIDUE_ROW)
		return 1;
	/* beside an order anything that looks like more of it, or a
	 * question about it, needs a person */
	if (order)
		return (w & (RULES_RESIDUE_QUANTITY | RULES_RESIDUE_MENTION |
		    RULES_RESIDUE_PHRASE)) != 0;
	/* a mail with no order in it: questions and complaints are for a
	 * person anyway (no_items); an order that could not be read is
	 * unread text */
	if (w & RULES_RESIDUE_QUESTION)
		return 0;
	return (w & RULES_RESIDUE_QUANTITY) &&
	    (w & (RULES_RESIDUE_MENTION | RULES_RESIDUE_PHRASE));
}

/* "we need some larger cups" above "2 cases of 16oz cups": words that
 * only name products the order already has say nothing new. */
static int
engine_residue_restates(struct engine *e, const struct engine_result *r,
    const char *s, size_t len)
{
	struct engine_res res;
	size_t i, l;

	engine_resolve(e, s, len, r->customer_id, NULL, 0, &res);
	for (i = 0; i < res.cm.n; i++) {
		if (res.cm.m[i].score < res.cm.m[0].score - ENGINE_PRIOR_RANGE)
			break;
		for (l = 0; l < r->nlines; l++)
			if (r->lines[l].sku != NULL &&
			    strcmp(r->lines[l].sku, res.cm.m[i].sku) == 0)
				return 1;
	}
	return 0;
}

static void
engine_add_unread(struct engine *e, struct engine_result *r,
    const struct rules_result *rr, const char *text, size_t tlen, int order)
{
	struct engine_flag *f;
	size_t i, n;

	for (i = 0; i < rr->nresidues; i++) {
		const struct rules_residue *rs = &rr->residues[i];

		if (!engine_residue_matters(rs, order) || rs->off > tlen ||
		    rs->len > tlen - rs->off)
			continue;
		if ((rs->why & (RULES_RESIDUE_QUANTITY | RULES_RESIDUE_ROW)) ==
		    0 && (rs->why & RULES_RESIDUE_MENTION) &&
		    engine_residue_restates(e, r, text + rs->off, rs->len))
			continue;
		n = rs->len > ENGINE_UNREAD_MAX ? ENGINE_UNREAD_MAX : rs->len;
		f = engine_flag_add(r, "unread_text", -1, "not understood: "
		    "'%.*s%s'", (int)n, text + rs->off,
		    n < rs->len ? "..." : "");
		if (f != NULL && text == r->msg.clean.text) {
			f->off = rs->off;
			f->len = rs->len;
		}
	}
}

/* An attached document's head gives the PO number and the requested
 * date when the mail itself names none. */
static void
engine_sheet_fields(const struct rules_result *srr, char **po_r,
    char **date_r)
{
	if (*po_r == NULL && srr->po_number != NULL)
		*po_r = xstrdup(srr->po_number);
	if (*date_r == NULL && srr->requested_date != NULL && srr->nlines > 0)
		*date_r = xstrdup(srr->requested_date);
}

/* Attachments that look like orders but could not be read: a person
 * reads them (a scanned PDF, a legacy .xls, a zip bomb). */
static void
engine_flag_attachments(struct engine_result *r)
{
	const struct parser_attachment *a;
	size_t i;

	for (i = 0; i < r->msg.nattachments; i++) {
		a = &r->msg.attachments[i];
		if (a->status == PARSER_ATTACH_UNREADABLE)
			engine_flag_add(r, "unreadable_attachment", -1,
			    "attachment '%s' not read: %s", a->filename ?
			    a->filename : "(no name)", a->reason);
	}
}

/* Each sheet: a CSV through the header-first sheet reader; a document
 * laid out by attach/ through the same reader as the mail's text
 * (tables found by their header words, head rows as fields), since a
 * purchase order has a head and may repeat its table head per page. */
static int
engine_read_sheets(struct engine *e, struct engine_result *r,
    const struct rules_lexicon *lex, time_t now, char **po_r, char **date_r,
    struct err *err)
{
	const struct parser_sheet *sh;
	struct rules_result srr;
	char *text;
	size_t i, len;
	int rc = 0;

	for (i = 0; i < r->msg.nsheets && rc == 0; i++) {
		sh = &r->msg.sheets[i];
		memset(&srr, 0, sizeof(srr));
		if (sh->laid_out) {
			text = xstrndup(sh->text, sh->len);
			len = sh->len;
			rc = rules_extract(e->rules, text, len, now, lex, &srr,
			    err);
		} else {
			if ((text = engine_sheet_text(sh, &len)) == NULL)
				continue;
			rc = rules_extract_sheet(e->rules, text, len, lex,
			    &srr, err);
		}
		engine_add_lines(e, r, &srr, text, len, 0);
		engine_add_unread(e, r, &srr, text, len, 1);
		engine_sheet_fields(&srr, po_r, date_r);
		if (srr.truncated || srr.limit_hit)
			r->cut = 1;
		rules_result_release(&srr);
		free(text);
	}
	return rc;
}

static int
engine_has_flag(const struct engine_result *r, const char *code)
{
	size_t i;

	for (i = 0; i < r->nflags; i++)
		if (strcmp(r->flags[i].code, code) == 0)
			return 1;
	return 0;
}

int
engine_read(struct engine *e, struct engine_result *r,
    const struct history *h, time_t now, struct err *err)
{
	struct engine_lex lx = { e, r->customer_id, h };
	struct rules_lexicon lex = { lex_mention, &lx };
	const struct clean_text *ct = &r->msg.clean;
	struct rules_result rr;
	char *sheet_po = NULL, *sheet_date = NULL;
	int rc = -1;

	if (rules_extract(e->rules, ct->text, ct->len, now, &lex, &rr,
	    err) == -1)
		return -1;
	engine_add_lines(e, r, &rr, ct->text, ct->len, 1);
	if (engine_read_sheets(e, r, &lex, now, &sheet_po, &sheet_date,
	    err) == -1)
		goto done;
	engine_flag_attachments(r);
	if (engine_check_lines(e, r, h, err) == -1)
		goto done;
	engine_add_references(e, r, &rr, h, now);
	engine_add_unread(e, r, &rr, ct->text, ct->len,
	    r->nlines > 0 || rr.nrefs > 0);
	/* a complaint is answered by a person, whatever else the rules
	 * made of it ("arrived damaged, half the beans are on the floor"
	 * reads as half of some beans) */
	r->complaint = rules_text_complaint(e->rules, ct->text, ct->len);
	if (r->nlines == 0 && rr.nrefs == 0 &&
	    !engine_has_flag(r, "unread_text") &&
	    !engine_has_flag(r, "unreadable_attachment")) {
		engine_flag_add(r, "no_items", -1, "%s", r->complaint ?
		    "no order lines found: a complaint for a person to answer" :
		    "no order lines found: a question, a complaint or a "
		    "thank-you for a person to answer");
	}
	if (rr.limit_hit)
		engine_flag_add(r, "rule_limit", -1, "%s",
		    "a rule hit its match limit; some lines may be missing");
	if (rr.truncated || r->msg.truncated || r->cut)
		engine_flag_add(r, "truncated", -1, "%s", "the mail is longer "
		    "than mailorder reads (or has more lines or parts than "
		    "it keeps); the rest is not in this order");
	if (rr.po_number != NULL)
		r->po_number = xstrdup(rr.po_number);
	else
		r->po_number = sheet_po, sheet_po = NULL;
	/* a question or a thank-you mentions days; only an order is
	 * wanted on one */
	if (rr.requested_date != NULL && (r->nlines > 0 || rr.nrefs > 0))
		r->requested_date = xstrdup(rr.requested_date);
	else
		r->requested_date = sheet_date, sheet_date = NULL;
	rc = 0;
done:
	free(sheet_po);
	free(sheet_date);
	rules_result_release(&rr);
	return rc;
}

/*
 * The engine: parse, extract, resolve, decide.  See engine.h.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/qty.h"
#include "common/xmalloc.h"
#include "engine/engine_int.h"
#include "resolve/catalog.h"
#include "resolve/history.h"
#include "rules/rules.h"
#include "store/customer.h"
#include "store/mailbox.h"
#include "store/store.h"

#define ENGINE_MAX_LINES	500
#define ENGINE_MAX_FLAGS	500
#define ENGINE_MAX_CANDIDATES	5

void
engine_policy_default(struct engine_policy *p)
{
	p->match_threshold = 0.75;
	p->match_margin = 0.05;
	p->unusual_factor = 5.0;
	p->min_history_orders = 3;
	p->history_orders = 10;
	parser_limits_default(&p->limits);
}

struct engine *
engine_new(struct store *st, const struct ruleset *rules,
    const struct engine_policy *policy, struct err *err)
{
	struct engine *e = xcalloc(1, sizeof(*e));

	e->store = st;
	e->rules = rules;
	if (policy != NULL)
		e->policy = *policy;
	else
		engine_policy_default(&e->policy);
	if ((e->catalog = catalog_load(st, err)) == NULL) {
		free(e);
		return NULL;
	}
	return e;
}

static struct engine_hcache *
engine_hcache_find(struct engine *e, const char *customer)
{
	size_t i;

	for (i = 0; i < ENGINE_HISTORY_CACHE; i++)
		if (e->hcache[i].customer != NULL &&
		    strcmp(e->hcache[i].customer, customer) == 0)
			return &e->hcache[i];
	return NULL;
}

static void
engine_hcache_drop(struct engine_hcache *c)
{
	free(c->customer);
	c->customer = NULL;
	history_release(&c->h);
}

void
engine_history_flush(struct engine *e)
{
	size_t i;

	for (i = 0; i < ENGINE_HISTORY_CACHE; i++)
		engine_hcache_drop(&e->hcache[i]);
}

void
engine_note_order(struct engine *e, const struct engine_result *r,
    const char *ref, const char *date)
{
	struct engine_hcache *c;
	const char **skus;
	double *qty;
	size_t i, n = 0;
	struct err err;

	/* Our own write moved the version; anyone else's would have to
	 * wait for our transaction, so this is the version our cache is
	 * now at. */
	err_clear(&err);
	if (store_history_version(e->store, &e->history_version, &err) == -1) {
		engine_history_flush(e);
		return;
	}
	if (r->customer_id == NULL ||
	    (c = engine_hcache_find(e, r->customer_id)) == NULL)
		return;
	/* What history_load reads: orders that happened, lines with a SKU. */
	if (r->status != ENGINE_ACCEPTED)
		return;
	skus = xcalloc(r->nlines + 1, sizeof(*skus));
	qty = xcalloc(r->nlines + 1, sizeof(*qty));
	for (i = 0; i < r->nlines; i++) {
		if (r->lines[i].sku == NULL)
			continue;
		skus[n] = r->lines[i].sku;
		qty[n++] = r->lines[i].quantity;
	}
	/* An order without such lines still takes one of the slots a
	 * load counts; leave that case to a fresh load. */
	if (n == 0)
		engine_hcache_drop(c);
	else
		history_add_order(&c->h, e->policy.history_orders, ref, date,
		    skus, qty, n);
	free(skus);
	free(qty);
}

const struct history *
engine_history(struct engine *e, const char *customer, struct err *err)
{
	struct engine_hcache *slot, *c;
	size_t i;

	if ((c = engine_hcache_find(e, customer)) != NULL) {
		c->used = ++e->hclock;
		return &c->h;
	}
	/* A free slot, else the least recently used one. */
	for (slot = &e->hcache[0], i = 1; i < ENGINE_HISTORY_CACHE &&
	    slot->customer != NULL; i++)
		if (e->hcache[i].customer == NULL ||
		    e->hcache[i].used < slot->used)
			slot = &e->hcache[i];
	engine_hcache_drop(slot);
	if (history_load(e->store, customer, e->policy.history_orders,
	    &slot->h, err) == -1)
		return NULL;
	slot->customer = xstrdup(customer);
	slot->used = ++e->hclock;
	return &slot->h;
}

void
engine_free(struct engine *e)
{
	if (e == NULL)
		return;
	engine_history_flush(e);
	catalog_free(e->catalog);
	free(e);
}

void
engine_set_rules(struct engine *e, const struct ruleset *rules)
{
	e->rules = rules;
}

int
engine_reload_catalog(struct engine *e, struct err *err)
{
	struct catalog *c;

	if ((c = catalog_load(e->store, err)) == NULL)
		return -1;
	catalog_free(e->catalog);
	e->catalog = c;
	return 0;
}

const char *
engine_product_name(const struct engine *e, const char *sku)
{
	return sku != NULL ? catalog_name(e->catalog, sku) : NULL;
}

const char *
engine_status_name(enum engine_status s)
{
	switch (s) {
	case ENGINE_ACCEPTED:
		return "accepted";
	case ENGINE_FLAGGED:
		return "flagged";
	case ENGINE_IGNORED:
		return "ignored";
	}
	return "unknown";
}

struct engine_line *
engine_line_add(struct engine_result *r)
{
	struct engine_line *l;

	if (r->nlines >= ENGINE_MAX_LINES)
		return NULL;
	r->lines = xreallocarray(r->lines, r->nlines + 1, sizeof(*r->lines));
	l = &r->lines[r->nlines++];
	memset(l, 0, sizeof(*l));
	return l;
}

struct engine_flag *
engine_flag_add(struct engine_result *r, const char *code, int line,
    const char *fmt, ...)
{
	struct engine_flag *f;
	va_list ap;

	if (r->nflags >= ENGINE_MAX_FLAGS)
		return NULL;
	r->flags = xreallocarray(r->flags, r->nflags + 1, sizeof(*r->flags));
	f = &r->flags[r->nflags++];
	memset(f, 0, sizeof(*f));
	f->code = code;
	f->line = line;
	va_start(ap, fmt);
	if (vasprintf(&f->text, fmt, ap) == -1)
		f->text = NULL;
	va_end(ap);
	return f;
}

void
engine_flag_candidate(struct engine_flag *f, const char *sku, double score)
{
	size_t i;

	if (f == NULL || f->ncands >= ENGINE_MAX_CANDIDATES)
		return;
	for (i = 0; i < f->ncands; i++)
		if (strcmp(f->cands[i].sku, sku) == 0)
			return;
	f->cands = xreallocarray(f->cands, f->ncands + 1, sizeof(*f->cands));
	f->cands[f->ncands].sku = xstrdup(sku);
	f->cands[f->ncands++].score = score;
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

void
engine_resolve_line(struct engine *e, struct engine_result *r, size_t li)
{
	struct catalog_match m[CATALOG_MAX_CANDIDATES];
	struct engine_line *l = &r->lines[li];
	struct engine_flag *f;
	size_t n, i;

	n = catalog_match(e->catalog, l->item, r->customer_id, m,
	    CATALOG_MAX_CANDIDATES);
	if (engine_match_sure(e, m, n)) {
		l->sku = xstrdup(m[0].sku);
		l->score = m[0].score;
		l->how = m[0].how;
		return;
	}
	l->score = n > 0 ? m[0].score : 0;
	f = engine_flag_add(r, "unknown_product", (int)li,
	    n > 0 && m[0].score >= e->policy.match_threshold ?
	    "'%s' could mean more than one product" :
	    "no product in the catalog matches '%s'", l->item);
	for (i = 0; i < n; i++)
		if (m[i].score >= 0.3)
			engine_flag_candidate(f, m[i].sku, m[i].score);
}

static void
engine_check_quantity(struct engine *e, struct engine_result *r,
    const struct history *h, size_t li)
{
	const struct engine_line *l = &r->lines[li];
	double fac = e->policy.unusual_factor;
	char q[QTY_FMT_MAX], qlo[QTY_FMT_MAX], qhi[QTY_FMT_MAX];
	double lo, hi;
	int orders;

	if (l->sku == NULL)
		return;
	orders = history_quantity_range(h, l->sku, &lo, &hi);
	if (orders < e->policy.min_history_orders)
		return;
	if ((double)l->quantity > (double)hi * fac ||
	    (double)l->quantity * fac < (double)lo)
		engine_flag_candidate(engine_flag_add(r, "unusual_quantity",
		    (int)li, "%s of %s, where %s usually takes %s-%s",
		    qty_format(l->quantity, q), l->sku, r->customer_name ?
		    r->customer_name : r->customer_id, qty_format(lo, qlo),
		    qty_format(hi, qhi)), l->sku, 1.0);
}

static void
engine_add_rule_lines(struct engine *e, struct engine_result *r,
    const struct rules_result *rr)
{
	const struct clean_text *ct = &r->msg.clean;
	struct engine_line *l;
	size_t i;

	for (i = 0; i < rr->nlines; i++) {
		const struct rules_line *rl = &rr->lines[i];

		if ((l = engine_line_add(r)) == NULL)
			break;
		l->quantity = rl->quantity;
		l->unit = rl->unit ? xstrdup(rl->unit) : NULL;
		l->item = xstrdup(rl->item ? rl->item : "");
		l->rule = rl->rule;
		l->off = rl->off;
		l->len = rl->len;
		if (rl->off <= ct->len && rl->len <= ct->len - rl->off)
			l->text = xstrndup(ct->text + rl->off, rl->len);
		else
			l->text = xstrdup(l->item);
	}
}

static void
engine_add_references(struct engine *e, struct engine_result *r,
    const struct rules_result *rr, const struct history *h, time_t now)
{
	struct history_candidate c[ENGINE_MAX_CANDIDATES];
	struct engine_flag *f;
	size_t i, j, n;

	for (i = 0; i < rr->nrefs; i++) {
		const struct rules_ref *ref = &rr->refs[i];
		const char *what = ref->descriptor ? ref->descriptor :
		    "their last order";

		if (r->customer_id == NULL) {
			engine_flag_add(r, "history_reference", -1,
			    "refers to an earlier order (%s) but the sender "
			    "is not a known customer", what);
			continue;
		}
		n = history_candidates(h, e->catalog, ref->descriptor,
		    ref->period, now, c, ENGINE_MAX_CANDIDATES);
		f = engine_flag_add(r, "history_reference", -1,
		    n > 0 ? "refers to an earlier order: %s" :
		    "refers to an earlier order (%s) but nothing in the "
		    "history matches", what);
		for (j = 0; j < n; j++)
			engine_flag_candidate(f, c[j].sku, c[j].score);
	}
}

static void
engine_find_customer(struct engine *e, struct engine_result *r,
    struct err *err)
{
	const char *from = r->msg.from_addr;

	if (from != NULL && store_customer_find(e->store, from,
	    &r->customer_id, &r->customer_name, err) == 1)
		return;
	engine_flag_add(r, "unknown_sender", -1,
	    "'%s' is not the address of a known customer",
	    from ? from : "(no sender)");
}

static enum engine_status
engine_decide(const struct engine_result *r)
{
	size_t i;

	if (r->nlines == 0 || r->nflags > 0)
		return ENGINE_FLAGGED;
	for (i = 0; i < r->nlines; i++)
		if (r->lines[i].sku == NULL)
			return ENGINE_FLAGGED;
	return ENGINE_ACCEPTED;
}

static int
engine_extract(struct engine *e, struct engine_result *r, struct err *err)
{
	static const struct history no_history;
	const struct history *h = &no_history;
	struct rules_result rr;
	time_t now = r->msg.date_ts ? r->msg.date_ts : time(NULL);
	int64_t hv;
	size_t i;

	if (store_history_version(e->store, &hv, err) == -1)
		return -1;
	if (hv != e->history_version) {
		engine_history_flush(e);
		e->history_version = hv;
	}
	engine_find_customer(e, r, err);
	if (err->cls != ERR_NONE)
		return -1;
	if (rules_extract(e->rules, r->msg.clean.text, r->msg.clean.len, now,
	    &rr, err) == -1)
		return -1;
	if (r->customer_id != NULL &&
	    (h = engine_history(e, r->customer_id, err)) == NULL) {
		rules_result_release(&rr);
		return -1;
	}
	engine_add_rule_lines(e, r, &rr);
	for (i = 0; i < r->msg.nsheets; i++)
		engine_sheet_lines(e, &r->msg.sheets[i], r);
	for (i = 0; i < r->nlines; i++) {
		if (r->lines[i].sku == NULL)
			engine_resolve_line(e, r, i);
		engine_check_quantity(e, r, h, i);
	}
	engine_add_references(e, r, &rr, h, now);
	if (r->nlines == 0 && rr.nrefs == 0)
		engine_flag_add(r, "no_items", -1, "%s",
		    "no order lines found: a question, a complaint or a "
		    "thank-you for a person to answer");
	if (rr.limit_hit)
		engine_flag_add(r, "rule_limit", -1, "%s",
		    "a rule hit its match limit; some lines may be missing");
	if (rr.po_number != NULL)
		r->po_number = xstrdup(rr.po_number);
	if (rr.requested_date != NULL)
		r->requested_date = xstrdup(rr.requested_date);
	rules_result_release(&rr);
	return 0;
}

int
engine_process(struct engine *e, const char *raw, size_t len,
    struct engine_result *r, struct err *err)
{
	memset(r, 0, sizeof(*r));
	err_clear(err);
	if (parser_parse(raw, len, &e->policy.limits, &r->msg, err) == -1)
		return -1;
	if ((r->ignore_reason = engine_automatic_reason(&r->msg,
	    e->rules)) != NULL) {
		r->status = ENGINE_IGNORED;
		return 0;
	}
	if (store_read_begin(e->store, err) == -1 ||
	    engine_extract(e, r, err) == -1) {
		store_read_end(e->store);
		engine_result_release(r);
		return -1;
	}
	store_read_end(e->store);
	r->status = engine_decide(r);
	return 0;
}

void
engine_result_release(struct engine_result *r)
{
	size_t i, j;

	parser_msg_release(&r->msg);
	for (i = 0; i < r->nlines; i++) {
		free(r->lines[i].sku);
		free(r->lines[i].unit);
		free(r->lines[i].text);
		free(r->lines[i].item);
	}
	for (i = 0; i < r->nflags; i++) {
		for (j = 0; j < r->flags[i].ncands; j++)
			free(r->flags[i].cands[j].sku);
		free(r->flags[i].cands);
		free(r->flags[i].text);
	}
	free(r->lines);
	free(r->flags);
	free(r->customer_id);
	free(r->customer_name);
	free(r->po_number);
	free(r->requested_date);
	memset(r, 0, sizeof(*r));
}

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
#include "common/strmap.h"
#include "common/xmalloc.h"
#include "engine/engine_int.h"
#include "resolve/catalog.h"
#include "resolve/history.h"
#include "rules/rules.h"
#include "store/customer.h"
#include "store/history.h"
#include "store/mailbox.h"
#include "store/store.h"


void
engine_policy_default(struct engine_policy *p)
{
	p->match_threshold = 0.75;
	p->match_margin = 0.05;
	p->unusual_factor = 5.0;
	p->min_history_orders = 2;
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

static void
engine_sku_range_free(const char *sku, void *range, void *arg)
{
	(void)sku;
	(void)arg;
	free(range);
}

void
engine_history_flush(struct engine *e)
{
	size_t i;

	for (i = 0; i < ENGINE_HISTORY_CACHE; i++)
		engine_hcache_drop(&e->hcache[i]);
	if (e->sku_ranges != NULL) {
		strmap_foreach(e->sku_ranges, engine_sku_range_free, NULL);
		strmap_free(e->sku_ranges);
		e->sku_ranges = NULL;
	}
}

const struct engine_sku_range *
engine_sku_range(struct engine *e, const char *sku, struct err *err)
{
	struct engine_sku_range *r;

	if (e->sku_ranges == NULL)
		e->sku_ranges = strmap_new();
	else if ((r = strmap_get(e->sku_ranges, sku)) != NULL)
		return r;
	r = xcalloc(1, sizeof(*r));
	if (store_history_sku_range(e->store, sku, &e->cut,
	    e->policy.min_history_orders, &r->lines, &r->max, err) == -1) {
		free(r);
		return NULL;
	}
	strmap_put(e->sku_ranges, sku, r);
	return r;
}

/* An accepted order's lines in the shop's ranges, as a fresh lookup
 * would now find them. */
static void
engine_note_sku_ranges(struct engine *e, const struct engine_result *r)
{
	struct engine_sku_range *sr;
	size_t i;

	for (i = 0; e->sku_ranges != NULL && i < r->nlines; i++) {
		if (r->lines[i].sku == NULL ||
		    (sr = strmap_get(e->sku_ranges, r->lines[i].sku)) == NULL)
			continue;
		sr->lines++;
		if (r->lines[i].quantity > sr->max)
			sr->max = r->lines[i].quantity;
	}
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
	/* What history_load reads: orders that happened, lines with a SKU. */
	if (r->status != ENGINE_ACCEPTED)
		return;
	engine_note_sku_ranges(e, r);
	if (r->customer_id == NULL ||
	    (c = engine_hcache_find(e, r->customer_id)) == NULL)
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
	    &e->cut, &slot->h, err) == -1)
		return NULL;
	slot->customer = xstrdup(customer);
	slot->used = ++e->hclock;
	return &slot->h;
}

void
engine_history_before(struct engine *e, int64_t message_id, const char *date)
{
	if (e->cut.before_msg == message_id && (date == NULL ||
	    strncmp(e->cut_date, date, sizeof(e->cut_date) - 1) == 0))
		return;
	engine_history_flush(e);
	e->cut.before_msg = message_id;
	snprintf(e->cut_date, sizeof(e->cut_date), "%s", date ? date : "");
	e->cut.before_date = message_id != 0 ? e->cut_date : NULL;
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

	if (f == NULL || f->ncands >= (strcmp(f->code, "history_reference") ==
	    0 ? ENGINE_MAX_REFERENCED : ENGINE_MAX_CANDIDATES))
		return;
	for (i = 0; i < f->ncands; i++)
		if (strcmp(f->cands[i].sku, sku) == 0)
			return;
	f->cands = xreallocarray(f->cands, f->ncands + 1, sizeof(*f->cands));
	f->cands[f->ncands].sku = xstrdup(sku);
	f->cands[f->ncands++].score = score;
}

static void
engine_find_customer(struct engine *e, struct engine_result *r,
    struct err *err)
{
	const char *from = r->msg.from_addr;

	if (from != NULL && store_customer_find(e->store, from,
	    &r->customer_id, &r->customer_name, err) == 1)
		return;
	/* A near miss of a customer's domain is flagged as such instead:
	 * it must never be taken for that customer. */
	if (err->cls != ERR_NONE || engine_sender_lookalike(e, r, err) != 0)
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
	/* the sender's own clock: "tomorrow" from Chicago at 9 pm */
	time_t now = r->msg.date_ts ? r->msg.date_ts + r->msg.date_tzoff :
	    time(NULL);
	int64_t hv;

	if (store_history_version(e->store, &hv, err) == -1)
		return -1;
	if (hv != e->history_version) {
		engine_history_flush(e);
		e->history_version = hv;
	}
	engine_find_customer(e, r, err);
	if (err->cls != ERR_NONE)
		return -1;
	if (r->customer_id != NULL &&
	    (h = engine_history(e, r->customer_id, err)) == NULL)
		return -1;
	return engine_read(e, r, h, now, err);
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
	engine_sender_auth(e, raw, len, r);
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
		free(r->lines[i].note);
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

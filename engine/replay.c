/*
 * Comparing two readings of one message, line by line.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/qty.h"
#include "common/xmalloc.h"
#include "engine/replay.h"

/* One side of the comparison: a product (or, without one, the words)
 * and its quantity over every line that names it. */
struct replay_item {
	const char	*sku;
	const char	*text;
	double		 qty;
	int		 seen;	/* matched on the other side */
};

static int
replay_same(const struct replay_item *a, const char *sku, const char *text)
{
	if (a->sku != NULL || sku != NULL)
		return a->sku != NULL && sku != NULL &&
		    strcmp(a->sku, sku) == 0;
	return strcmp(a->text ? a->text : "", text ? text : "") == 0;
}

static void
replay_add(struct replay_item *v, size_t *n, const char *sku,
    const char *text, double qty)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (replay_same(&v[i], sku, text)) {
			v[i].qty += qty;
			return;
		}
	v[*n].sku = sku;
	v[*n].text = text;
	v[*n].qty = qty;
	v[*n].seen = 0;
	(*n)++;
}

static void
replay_note(struct replay_diff *d, enum replay_kind kind,
    const struct replay_item *it, double old_qty, double new_qty)
{
	struct replay_change *c;

	d->changes = xreallocarray(d->changes, d->nchanges + 1,
	    sizeof(*d->changes));
	c = &d->changes[d->nchanges++];
	c->kind = kind;
	c->sku = it->sku;
	c->text = it->text;
	c->old_qty = old_qty;
	c->new_qty = new_qty;
}

static int
replay_str_differ(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a != b;
	return strcasecmp(a, b) != 0;
}

static void
replay_lines(const struct store_replay_msg *old,
    const struct engine_result *new, struct replay_diff *d)
{
	struct replay_item *was, *now;
	size_t nwas = 0, nnow = 0, i, j;

	was = xcalloc(old->nlines + 1, sizeof(*was));
	now = xcalloc(new->nlines + 1, sizeof(*now));
	for (i = 0; i < old->nlines; i++)
		replay_add(was, &nwas, old->lines[i].sku, old->lines[i].text,
		    old->lines[i].quantity);
	for (i = 0; i < new->nlines; i++)
		replay_add(now, &nnow, new->lines[i].sku, new->lines[i].text,
		    new->lines[i].quantity);
	for (i = 0; i < nwas; i++) {
		for (j = 0; j < nnow; j++)
			if (!now[j].seen &&
			    replay_same(&now[j], was[i].sku, was[i].text))
				break;
		if (j == nnow) {
			replay_note(d, REPLAY_REMOVED, &was[i], was[i].qty, 0);
			continue;
		}
		now[j].seen = 1;
		if (qty_round(was[i].qty) != qty_round(now[j].qty))
			replay_note(d, REPLAY_CHANGED, &now[j], was[i].qty,
			    now[j].qty);
	}
	for (j = 0; j < nnow; j++)
		if (!now[j].seen)
			replay_note(d, REPLAY_ADDED, &now[j], 0, now[j].qty);
	free(was);
	free(now);
}

int
replay_compare(const struct store_replay_msg *old,
    const struct engine_result *new, struct replay_diff *d)
{
	memset(d, 0, sizeof(*d));
	d->old_status = old->status;
	d->new_status = engine_status_name(new->status);
	d->old_customer = old->customer;
	d->new_customer = new->customer_id;
	d->status_changed = strcmp(d->old_status, d->new_status) != 0;
	d->customer_changed = replay_str_differ(old->customer,
	    new->customer_id);
	replay_lines(old, new, d);
	return d->status_changed || d->customer_changed || d->nchanges > 0;
}

void
replay_diff_release(struct replay_diff *d)
{
	free(d->changes);
	memset(d, 0, sizeof(*d));
}

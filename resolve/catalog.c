/*
 * In-memory catalog index; see catalog.h.
 *
 * Every product contributes keys: its name, its SKU and each alias.  A key
 * is a list of token ids.  Tokens carry an inverse-document-frequency
 * weight, so "house" counts for more than "coffee" in a catalog full of
 * coffee, and an inverted list of the keys that contain them.  A trigram
 * index over the token vocabulary finds typo neighbours without scanning
 * every word.
 */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/strmap.h"
#include "common/xmalloc.h"
#include "resolve/catalog.h"
#include "resolve/text.h"
#include "store/catalog.h"

#define CAT_NONE UINT32_MAX

struct cat_product {
	char		*sku;
	char		*name;
	char		*unit;
	const char	*availability;	/* NULL: available; else static */
	uint32_t	 first_key;	/* chain through cat_key.next_of_product */
};

struct cat_key {
	uint32_t	 product;
	uint32_t	 next_of_product;
	uint32_t	 next_exact;	/* same canonical text */
	uint32_t	 next_joined;	/* same text without spaces */
	const char	*how;
	char		*customer;	/* NULL: everyone */
	float		 totalw;
	uint8_t		 ntok;
	uint32_t	 tok[TEXT_MAX_TOKENS];
};

struct cat_idlist {
	uint32_t	*ids;
	uint32_t	 n, cap;
};

struct cat_token {
	char		*s;
	size_t		 len;
	float		 w;
	struct cat_idlist keys;		/* keys containing the token, once each */
};

struct catalog {
	struct cat_product	*products;
	size_t			 nproducts, capproducts;
	struct strmap		*by_sku;	/* sku -> product index + 1 */
	struct cat_key		*keys;
	size_t			 nkeys, capkeys;
	struct strmap		*exact;		/* canonical -> key index + 1 */
	struct strmap		*joined;	/* squashed -> key index + 1 */
	struct cat_token	*tokens;
	size_t			 ntokens, captokens;
	struct strmap		*vocab;		/* token -> token index + 1 */
	struct strmap		*trigrams;	/* 3 bytes -> struct cat_idlist */
	float			 unknown_w;	/* weight of a word no key has */

	/* Scratch for catalog_match(), sized to nkeys / ntokens. */
	uint32_t		*key_stamp;
	int			*key_last_item;
	float			*key_acc_item, *key_acc_key;
	uint8_t			*key_fuzzy;
	uint32_t		*touched;
	uint32_t		*tok_stamp;
	uint32_t		*prod_stamp;	/* per product: seen this match? */
	float			*prod_score;
	const char		**prod_how;
	uint32_t		*prod_touched;
	uint32_t		 nprod_touched;
	uint32_t		 stamp;		/* generation for key_stamp */
	uint32_t		 tstamp;	/* generation for tok_stamp */
};

static void
idlist_add(struct cat_idlist *l, uint32_t id)
{
	if (l->n > 0 && l->ids[l->n - 1] == id)
		return;		/* a token twice in one key counts once */
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 4;
		l->ids = xreallocarray(l->ids, l->cap, sizeof(*l->ids));
	}
	l->ids[l->n++] = id;
}

/* "^word$": the markers give short words trigrams at their edges, so
 * "gray" and "grey" still share "^gr". */
static size_t
cat_pad(const char *s, size_t len, char *out)
{
	out[0] = '^';
	memcpy(out + 1, s, len);
	out[len + 1] = '$';
	out[len + 2] = '\0';
	return len + 2;
}

static void
cat_trigram_add(struct catalog *c, const char *word, size_t wlen,
    uint32_t id)
{
	char key[4], s[TEXT_MAX_TOKEN + 3];
	struct cat_idlist *l;
	size_t i, len;

	if (wlen > TEXT_MAX_TOKEN)
		return;
	len = cat_pad(word, wlen, s);
	for (i = 0; i + 3 <= len; i++) {
		memcpy(key, s + i, 3);
		key[3] = '\0';
		if ((l = strmap_get(c->trigrams, key)) == NULL) {
			l = xcalloc(1, sizeof(*l));
			strmap_put(c->trigrams, key, l);
		}
		idlist_add(l, id);
	}
}

static uint32_t
cat_token_intern(struct catalog *c, const char *s)
{
	uintptr_t v = (uintptr_t)strmap_get(c->vocab, s);
	struct cat_token *t;

	if (v != 0)
		return (uint32_t)(v - 1);
	if (c->ntokens == c->captokens) {
		c->captokens = c->captokens ? c->captokens * 2 : 256;
		c->tokens = xreallocarray(c->tokens, c->captokens,
		    sizeof(*c->tokens));
	}
	t = &c->tokens[c->ntokens];
	memset(t, 0, sizeof(*t));
	t->s = xstrdup(s);
	t->len = strlen(s);
	strmap_put(c->vocab, s, (void *)(uintptr_t)(c->ntokens + 1));
	if (!text_has_digit(s))
		cat_trigram_add(c, s, t->len, (uint32_t)c->ntokens);
	return (uint32_t)c->ntokens++;
}

static void
cat_chain(struct strmap *m, const char *s, struct cat_key *keys,
    uint32_t id, int exact)
{
	uintptr_t head = (uintptr_t)strmap_get(m, s);
	uint32_t next = head ? (uint32_t)(head - 1) : CAT_NONE;

	if (exact)
		keys[id].next_exact = next;
	else
		keys[id].next_joined = next;
	strmap_put(m, s, (void *)(uintptr_t)(id + 1));
}

static void
cat_key_add(struct catalog *c, uint32_t product, const char *text,
    const char *how, const char *customer)
{
	struct text_tokens tt;
	char canon[512], joined[512];
	struct cat_key *k;
	uint32_t id;
	size_t i;

	text_tokenize(text, 0, &tt);
	if (tt.n == 0)
		return;
	if (c->nkeys == c->capkeys) {
		c->capkeys = c->capkeys ? c->capkeys * 2 : 256;
		c->keys = xreallocarray(c->keys, c->capkeys, sizeof(*c->keys));
	}
	id = (uint32_t)c->nkeys++;
	k = &c->keys[id];
	memset(k, 0, sizeof(*k));
	k->product = product;
	k->how = how;
	k->customer = customer != NULL && *customer != '\0' ?
	    xstrdup(customer) : NULL;
	k->ntok = (uint8_t)tt.n;
	for (i = 0; i < tt.n; i++) {
		k->tok[i] = cat_token_intern(c, tt.tok[i]);
		idlist_add(&c->tokens[k->tok[i]].keys, id);
	}
	k->next_of_product = c->products[product].first_key;
	c->products[product].first_key = id;
	cat_chain(c->exact, text_join(&tt, ' ', canon, sizeof(canon)),
	    c->keys, id, 1);
	cat_chain(c->joined, text_join(&tt, 0, joined, sizeof(joined)),
	    c->keys, id, 0);
}

static int
cat_load_product(void *arg, const char *sku, const char *name,
    const char *unit)
{
	struct catalog *c = arg;
	struct cat_product *p;
	uint32_t id;

	if (c->nproducts == c->capproducts) {
		c->capproducts = c->capproducts ? c->capproducts * 2 : 256;
		c->products = xreallocarray(c->products, c->capproducts,
		    sizeof(*c->products));
	}
	id = (uint32_t)c->nproducts++;
	p = &c->products[id];
	p->sku = xstrdup(sku);
	p->name = xstrdup(name);
	p->unit = unit != NULL ? xstrdup(unit) : NULL;
	p->availability = NULL;
	p->first_key = CAT_NONE;
	strmap_put(c->by_sku, sku, (void *)(uintptr_t)(id + 1));
	cat_key_add(c, id, name, "name", NULL);
	cat_key_add(c, id, sku, "sku", NULL);
	return 0;
}

static int
cat_load_alias(void *arg, const char *alias, const char *sku,
    const char *customer_id)
{
	struct catalog *c = arg;
	uintptr_t p = (uintptr_t)strmap_get(c->by_sku, sku);

	if (p == 0)
		return 0;	/* alias of an inactive product */
	cat_key_add(c, (uint32_t)(p - 1), alias,
	    customer_id != NULL && *customer_id != '\0' ? "learned" : "alias",
	    customer_id);
	return 0;
}

static int
cat_load_availability(void *arg, const char *sku, const char *availability,
    const char *name)
{
	struct catalog *c = arg;
	uintptr_t p = (uintptr_t)strmap_get(c->by_sku, sku);
	const char *canon = store_availability_parse(availability);

	(void)name;
	if (p != 0 && canon != NULL && strcmp(canon, "available") != 0)
		c->products[p - 1].availability = canon;
	return 0;
}

/* Weights need the final document frequencies, so they are computed once
 * everything is loaded. */
static void
cat_weigh(struct catalog *c)
{
	double n = (double)(c->nkeys > 0 ? c->nkeys : 1);
	size_t i, j;

	for (i = 0; i < c->ntokens; i++)
		c->tokens[i].w = (float)log(1.0 + n / c->tokens[i].keys.n);
	c->unknown_w = (float)log(1.0 + n);
	for (i = 0; i < c->nkeys; i++) {
		c->keys[i].totalw = 0;
		for (j = 0; j < c->keys[i].ntok; j++)
			c->keys[i].totalw += c->tokens[c->keys[i].tok[j]].w;
	}
	c->key_stamp = xcalloc(c->nkeys, sizeof(*c->key_stamp));
	c->key_last_item = xcalloc(c->nkeys, sizeof(*c->key_last_item));
	c->key_acc_item = xcalloc(c->nkeys, sizeof(*c->key_acc_item));
	c->key_acc_key = xcalloc(c->nkeys, sizeof(*c->key_acc_key));
	c->key_fuzzy = xcalloc(c->nkeys, 1);
	c->touched = xcalloc(c->nkeys, sizeof(*c->touched));
	c->tok_stamp = xcalloc(c->ntokens, sizeof(*c->tok_stamp));
	c->prod_stamp = xcalloc(c->nproducts, sizeof(*c->prod_stamp));
	c->prod_score = xcalloc(c->nproducts, sizeof(*c->prod_score));
	c->prod_how = xcalloc(c->nproducts, sizeof(*c->prod_how));
	c->prod_touched = xcalloc(c->nproducts, sizeof(*c->prod_touched));
}

struct catalog *
catalog_load(struct store *st, struct err *err)
{
	struct catalog *c = xcalloc(1, sizeof(*c));

	c->by_sku = strmap_new();
	c->exact = strmap_new();
	c->joined = strmap_new();
	c->vocab = strmap_new();
	c->trigrams = strmap_new();
	if (store_products_foreach(st, cat_load_product, c, err) == -1 ||
	    store_aliases_foreach(st, cat_load_alias, c, err) == -1 ||
	    store_products_unavailable_foreach(st, cat_load_availability, c,
	    err) == -1) {
		catalog_free(c);
		return NULL;
	}
	cat_weigh(c);
	return c;
}

static void
cat_free_idlist(const char *key, void *value, void *arg)
{
	struct cat_idlist *l = value;

	free(l->ids);
	free(l);
}

void
catalog_free(struct catalog *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nproducts; i++) {
		free(c->products[i].sku);
		free(c->products[i].name);
		free(c->products[i].unit);
	}
	for (i = 0; i < c->nkeys; i++)
		free(c->keys[i].customer);
	for (i = 0; i < c->ntokens; i++) {
		free(c->tokens[i].s);
		free(c->tokens[i].keys.ids);
	}
	strmap_foreach(c->trigrams, cat_free_idlist, NULL);
	strmap_free(c->trigrams);
	strmap_free(c->by_sku);
	strmap_free(c->exact);
	strmap_free(c->joined);
	strmap_free(c->vocab);
	free(c->products);
	free(c->keys);
	free(c->tokens);
	free(c->key_stamp);
	free(c->key_last_item);
	free(c->key_acc_item);
	free(c->key_acc_key);
	free(c->key_fuzzy);
	free(c->touched);
	free(c->tok_stamp);
	free(c->prod_stamp);
	free(c->prod_score);
	free(c->prod_how);
	free(c->prod_touched);
	free(c);
}

size_t
catalog_size(const struct catalog *c)
{
	return c->nproducts;
}

static const struct cat_product *
cat_product(const struct catalog *c, const char *sku)
{
	uintptr_t p = (uintptr_t)strmap_get(c->by_sku, sku);

	return p ? &c->products[p - 1] : NULL;
}

const char *
catalog_name(const struct catalog *c, const char *sku)
{
	const struct cat_product *p = cat_product(c, sku);

	return p ? p->name : NULL;
}

const char *
catalog_unit(const struct catalog *c, const char *sku)
{
	const struct cat_product *p = cat_product(c, sku);

	return p ? p->unit : NULL;
}

const char *
catalog_availability(const struct catalog *c, const char *sku)
{
	const struct cat_product *p = cat_product(c, sku);

	if (p == NULL)
		return NULL;
	return p->availability != NULL ? p->availability : "available";
}

/*
 * How close a customer's word w is to the catalog word t: 1 for the same
 * word, 0.85 when w is a clear abbreviation ("choc" for "chocolate"),
 * otherwise by edit distance (one slip allowed from 4 letters, two from
 * 8), or 0.  Words with digits must match exactly.
 */
static float
cat_word_sim(const char *w, size_t wl, const char *t, size_t tl)
{
	size_t allowed, d, longest;

	if (wl == tl && memcmp(w, t, wl) == 0)
		return 1.0f;
	if (text_has_digit(w) || text_has_digit(t))
		return 0.0f;
	if (wl >= 4 && tl > wl && memcmp(w, t, wl) == 0)
		return 0.85f;
	allowed = wl >= 8 ? 2 : wl >= 4 ? 1 : 0;
	if (allowed == 0 || (d = text_distance(w, wl, t, tl, allowed)) >
	    allowed)
		return 0.0f;
	longest = wl > tl ? wl : tl;
	return 1.0f - (float)d / (float)longest;
}

struct cat_sim {
	uint32_t	tok;
	float		sim;
};

#define CAT_MAX_SIMS 16

/* The vocabulary words close to w: the word itself, or failing that its
 * typo neighbours found through shared trigrams. */
static size_t
cat_similar_tokens(struct catalog *c, const char *w, struct cat_sim *out)
{
	uintptr_t v = (uintptr_t)strmap_get(c->vocab, w);
	size_t wl = strlen(w), n = 0, i, j, plen;
	char key[4], pw[TEXT_MAX_TOKEN + 3];

	if (v != 0) {
		out[0].tok = (uint32_t)(v - 1);
		out[0].sim = 1.0f;
		return 1;
	}
	if (wl < 4 || wl > TEXT_MAX_TOKEN || text_has_digit(w))
		return 0;
	plen = cat_pad(w, wl, pw);
	c->tstamp++;
	for (i = 0; i + 3 <= plen; i++) {
		struct cat_idlist *l;

		memcpy(key, pw + i, 3);
		key[3] = '\0';
		if ((l = strmap_get(c->trigrams, key)) == NULL)
			continue;
		for (j = 0; j < l->n && n < CAT_MAX_SIMS; j++) {
			uint32_t t = l->ids[j];
			float sim;

			if (c->tok_stamp[t] == c->tstamp)
				continue;
			c->tok_stamp[t] = c->tstamp;
			sim = cat_word_sim(w, wl, c->tokens[t].s,
			    c->tokens[t].len);
			if (sim > 0.0f) {
				out[n].tok = t;
				out[n++].sim = sim;
			}
		}
	}
	return n;
}

/* Keep the best score per product for the current match; products are
 * marked with the match's stamp so nothing needs clearing between
 * matches. */
static void
cat_product_score(struct catalog *c, uint32_t stamp, uint32_t product,
    double score, const char *how)
{
	if (c->prod_stamp[product] != stamp) {
		c->prod_stamp[product] = stamp;
		c->prod_score[product] = (float)score;
		c->prod_how[product] = how;
		c->prod_touched[c->nprod_touched++] = product;
	} else if (score > c->prod_score[product]) {
		c->prod_score[product] = (float)score;
		c->prod_how[product] = how;
	}
}

static int
cat_key_usable(const struct cat_key *k, const char *customer)
{
	return k->customer == NULL ||
	    (customer != NULL && strcmp(k->customer, customer) == 0);
}

static int
cat_match_exact(struct catalog *c, const struct text_tokens *tt,
    const char *customer, uint32_t stamp)
{
	int found = 0;
	char buf[512];
	uintptr_t head;
	uint32_t k;

	head = (uintptr_t)strmap_get(c->exact, text_join(tt, ' ', buf,
	    sizeof(buf)));
	for (k = head ? (uint32_t)(head - 1) : CAT_NONE; k != CAT_NONE;
	    k = c->keys[k].next_exact)
		if (cat_key_usable(&c->keys[k], customer)) {
			cat_product_score(c, stamp, c->keys[k].product,
			    c->keys[k].customer ? 1.0 : 0.99, c->keys[k].how);
			found = 1;
		}
	head = (uintptr_t)strmap_get(c->joined, text_join(tt, 0, buf,
	    sizeof(buf)));
	for (k = head ? (uint32_t)(head - 1) : CAT_NONE; k != CAT_NONE;
	    k = c->keys[k].next_joined)
		if (cat_key_usable(&c->keys[k], customer))
			cat_product_score(c, stamp, c->keys[k].product, 0.95,
			    "joined");
	return found;
}

/* Weighted token overlap.  For each key sharing a (near) word with the
 * text: P = share of the text's weight found in the key, R = share of the
 * key's weight found in the text, combined as F(0.5), which leans on P:
 * "house blend" should match "House Blend Coffee Beans 1kg" although the
 * name has more words. */
static void
cat_match_tokens(struct catalog *c, const struct text_tokens *tt,
    const char *customer, uint32_t stamp)
{
	struct cat_sim sims[CAT_MAX_SIMS];
	uint32_t ntouched = 0;
	float itemw = 0;
	size_t i, j, s, ns;

	for (i = 0; i < tt->n; i++) {
		float w;

		ns = cat_similar_tokens(c, tt->tok[i], sims);
		w = ns > 0 ? c->tokens[sims[0].tok].w : c->unknown_w;
		itemw += w;
		for (s = 0; s < ns; s++) {
			const struct cat_idlist *l = &c->tokens[sims[s].tok].keys;
			float kw = c->tokens[sims[s].tok].w * sims[s].sim;

			for (j = 0; j < l->n; j++) {
				uint32_t k = l->ids[j];

				if (c->key_stamp[k] != stamp) {
					c->key_stamp[k] = stamp;
					c->key_last_item[k] = -1;
					c->key_acc_item[k] = 0;
					c->key_acc_key[k] = 0;
					c->key_fuzzy[k] = 0;
					c->touched[ntouched++] = k;
				}
				c->key_acc_key[k] += kw;
				if (c->key_last_item[k] == (int)i)
					continue;
				c->key_last_item[k] = (int)i;
				c->key_acc_item[k] += w * sims[s].sim;
				if (sims[s].sim < 1.0f)
					c->key_fuzzy[k] = 1;
			}
		}
	}
	for (i = 0; i < ntouched; i++) {
		uint32_t k = c->touched[i];
		double p, rr, f;

		if (!cat_key_usable(&c->keys[k], customer))
			continue;
		p = c->key_acc_item[k] / itemw;
		rr = c->key_acc_key[k] / c->keys[k].totalw;
		if (p > 1)
			p = 1;
		if (rr > 1)
			rr = 1;
		if (p <= 0 || rr <= 0)
			continue;
		f = 1.25 * p * rr / (0.25 * p + rr);
		/* Never let word overlap claim the certainty of an alias. */
		if (f > 0.94)
			f = 0.94;
		cat_product_score(c, stamp, c->keys[k].product, f,
		    c->key_fuzzy[k] ? "fuzzy" : "words");
	}
}

/* Rank products for tokens tt into out (at most max, best first).
 * With all, products that share words are ranked even when an alias is
 * exact. */
static size_t
cat_rank_all(struct catalog *c, const struct text_tokens *tt,
    const char *customer, struct catalog_match *out, size_t max, int all)
{
	uint32_t stamp, i, at[CATALOG_MAX_CANDIDATES];
	size_t n = 0, j;

	if (tt->n == 0 || c->nkeys == 0 || max == 0)
		return 0;
	if (max > CATALOG_MAX_CANDIDATES)
		max = CATALOG_MAX_CANDIDATES;
	stamp = ++c->stamp;
	c->nprod_touched = 0;
	/* Word overlap is capped below an exact match, so when the text is
	 * an alias or name outright it can only add runners-up that change
	 * nothing: skip it, it is the expensive part. */
	if (!cat_match_exact(c, tt, customer, stamp) || all)
		cat_match_tokens(c, tt, customer, stamp);
	/* Insertion of each touched product into the top max, best first;
	 * ties go to the smaller SKU, so results are stable.  Products are
	 * loaded in SKU order, so their index order is SKU order (comparing
	 * the strings was a tenth of the time per message). */
	for (i = 0; i < c->nprod_touched; i++) {
		uint32_t p = c->prod_touched[i];
		double sc = c->prod_score[p];

		if (n == max && (sc < out[n - 1].score ||
		    (sc == out[n - 1].score && p > at[n - 1])))
			continue;
		j = n < max ? n++ : n - 1;
		while (j > 0 && (out[j - 1].score < sc ||
		    (out[j - 1].score == sc && at[j - 1] > p))) {
			out[j] = out[j - 1];
			at[j] = at[j - 1];
			j--;
		}
		out[j].sku = c->products[p].sku;
		out[j].score = sc;
		out[j].how = c->prod_how[p];
		at[j] = p;
	}
	return n;
}

static size_t
cat_rank(struct catalog *c, const struct text_tokens *tt,
    const char *customer, struct catalog_match *out, size_t max)
{
	return cat_rank_all(c, tt, customer, out, max, 0);
}

size_t
catalog_match(struct catalog *c, const char *text, const char *customer,
    struct catalog_match *out, size_t max)
{
	struct text_tokens tt;

	text_tokenize(text, 0, &tt);
	return cat_rank(c, &tt, customer, out, max);
}

size_t
catalog_match_all(struct catalog *c, const char *text, const char *customer,
    struct catalog_match *out, size_t max)
{
	struct text_tokens tt;

	text_tokenize(text, 0, &tt);
	return cat_rank_all(c, &tt, customer, out, max, 1);
}

#define CAT_WINDOW_MAX	6	/* words in a product mention */

/* Does any key of product p hold token tok? */
static int
cat_product_has(const struct catalog *c, uint32_t p, const char *tok)
{
	uintptr_t v = (uintptr_t)strmap_get(c->vocab, tok);
	uint32_t k, t;
	size_t i;

	if (v == 0)
		return 0;
	t = (uint32_t)(v - 1);
	for (k = c->products[p].first_key; k != CAT_NONE;
	    k = c->keys[k].next_of_product)
		for (i = 0; i < c->keys[k].ntok; i++)
			if (c->keys[k].tok[i] == t)
				return 1;
	return 0;
}

/* Does product p have tok, or a word tok is a typo of? */
static int
cat_product_near(const struct catalog *c, uint32_t p, const char *tok)
{
	size_t i, n = strlen(tok);
	uint32_t k;

	if (cat_product_has(c, p, tok))
		return 1;
	for (k = c->products[p].first_key; k != CAT_NONE;
	    k = c->keys[k].next_of_product)
		for (i = 0; i < c->keys[k].ntok; i++) {
			const struct cat_token *t = &c->tokens[c->keys[k].tok[i]];

			if (cat_word_sim(tok, n, t->s, t->len) >= 0.8f)
				return 1;
		}
	return 0;
}

/* A word the catalog could match: in its vocabulary, or a typo of a
 * word in it. */
static int
cat_known(struct catalog *c, const char *tok)
{
	struct cat_sim sims[CAT_MAX_SIMS];

	return cat_similar_tokens(c, tok, sims) > 0;
}

static size_t
cat_rank_window(struct catalog *c, const struct text_tokens *tt, size_t i,
    size_t j, const char *customer, struct catalog_match *out)
{
	struct text_tokens w;

	w.n = j - i;
	memcpy(w.tok, tt->tok + i, w.n * sizeof(tt->tok[0]));
	return cat_rank(c, &w, customer, out, CATALOG_MAX_CANDIDATES);
}

static int
cat_has_alpha(const char *s)
{
	for (; *s != '\0'; s++)
		if (isalpha((unsigned char)*s))
			return 1;
	return 0;
}

/* Is tok, beside the product's words, a sign of another product? */
static int
cat_contradicts(struct catalog *c, uint32_t p, const char *tok,
    const struct catalog_words *cw)
{
	size_t n = strlen(tok);

	if (cw != NULL && cw->is_unit != NULL &&
	    cw->is_unit(cw->arg, tok, n))
		return 0;
	if (cat_product_has(c, p, tok))
		return 0;
	if (cw != NULL && cw->is_qualifier != NULL &&
	    cw->is_qualifier(cw->arg, tok, n))
		return 1;
	/* a size ("20oz", "2l"); a bare number says nothing */
	return (text_has_digit(tok) && cat_has_alpha(tok)) ||
	    strmap_get(c->vocab, tok) != NULL;
}

/* A word the catalog knows (or a qualifier) that product p lacks: what
 * right across a comma or a dash says the item is another. */
static int
cat_word_contradicts(struct catalog *c, uint32_t p, const char *tok,
    const struct catalog_words *cw)
{
	size_t n = strlen(tok);

	if ((cw != NULL && cw->is_unit != NULL && cw->is_unit(cw->arg, tok,
	    n)) || cat_product_has(c, p, tok))
		return 0;
	return (cw != NULL && cw->is_qualifier != NULL &&
	    cw->is_qualifier(cw->arg, tok, n)) ||
	    strmap_get(c->vocab, tok) != NULL;
}

/* A word right beside the product's words: a contradiction, or a word
 * the catalog does not know (which makes a typo-tolerant match less
 * sure: "break room" is not "breakfast tea"). */
static void
cat_beside(struct catalog *c, uint32_t p, const char *tok,
    const struct catalog_words *cw, struct catalog_mention *out)
{
	if (cat_contradicts(c, p, tok, cw))
		snprintf(out->contra, sizeof(out->contra), "%s", tok);
	else if (!cat_product_has(c, p, tok) && cat_has_alpha(tok) &&
	    (cw == NULL ||
	    cw->is_unit == NULL || !cw->is_unit(cw->arg, tok, strlen(tok))))
		out->extra++;
}

static int
memchr_u32(const uint32_t *v, size_t n, uint32_t x)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == x)
			return 1;
	return 0;
}

/* Does tok tell product p from a sibling: is it a word of another
 * product that shares two of p's words, and not one of p's own?  "black"
 * for "HP 410A Cyan Toner" (there is an "HP 410A Black Toner"); not
 * "kitchen" for "House Blend" (the kitchen roll shares nothing). */
static int
cat_sibling_word(const struct catalog *c, uint32_t p, const char *tok)
{
	uintptr_t v = (uintptr_t)strmap_get(c->vocab, tok);
	const struct cat_idlist *l;
	uint32_t q, k, k2, t;
	size_t i, j, shared;

	if (v == 0 || cat_product_has(c, p, tok))
		return 0;
	l = &c->tokens[v - 1].keys;
	for (i = 0; i < l->n && i < 64; i++) {
		if ((q = c->keys[l->ids[i]].product) == p)
			continue;
		shared = 0;
		for (k = c->products[q].first_key; k != CAT_NONE;
		    k = c->keys[k].next_of_product)
			for (j = 0; j < c->keys[k].ntok; j++) {
				t = c->keys[k].tok[j];
				if (t == v - 1)
					continue;
				for (k2 = c->products[p].first_key;
				    k2 != CAT_NONE; k2 = c->keys[k2].next_of_product)
					if (memchr_u32(c->keys[k2].tok,
					    c->keys[k2].ntok, t)) {
						shared++;
						break;
					}
				if (shared >= 2)
					return 1;
			}
	}
	return 0;
}

/* A word of the item beyond the product's own, up to the next number
 * (which starts another item): a sibling's word contradicts it. */
static void
cat_list_word(const struct catalog *c, uint32_t p, const char *tok,
    const struct catalog_words *cw, struct catalog_mention *out)
{
	if (cw != NULL && cw->is_unit != NULL &&
	    cw->is_unit(cw->arg, tok, strlen(tok)))
		return;
	if (cat_sibling_word(c, p, tok))
		snprintf(out->contra, sizeof(out->contra), "%s", tok);
}

/* Around the run [bi, bj) of tt that names out's best product: widen
 * it over the product's own words, look beside and beyond it for words
 * that contradict the product, and set the span. */
static void
cat_mention_settle(struct catalog *c, const struct text_tokens *tt,
    const struct text_spans *sp, size_t bi, size_t bj,
    const struct catalog_words *cw, struct catalog_mention *out)
{
	uint32_t p;
	size_t k;

	p = (uint32_t)((uintptr_t)strmap_get(c->by_sku, out->m[0].sku) - 1);
	/* widen over the product's own words beside the run ("1kg"),
	 * typos of them too ("esspresso pods") */
	while (bi > 0 && !sp->gap[bi] && cat_product_near(c, p, tt->tok[bi - 1]))
		bi--;
	while (bj < tt->n && !sp->gap[bj] && cat_product_near(c, p, tt->tok[bj]))
		bj++;
	/* a bare number starts another item: "2 decaf 4 milk" */
	for (k = bi; k-- > 0 && !sp->gap[k + 1] && out->contra[0] == '\0' &&
	    cat_has_alpha(tt->tok[k]); )
		cat_beside(c, p, tt->tok[k], cw, out);
	for (k = bj; k < tt->n && !sp->gap[k] && out->contra[0] == '\0' &&
	    cat_has_alpha(tt->tok[k]); k++)
		cat_beside(c, p, tt->tok[k], cw, out);
	/* across a comma or an "and": a word that tells it from a sibling
	 * ("one each of black, cyan, magenta and yellow" is four toners,
	 * not the cyan one) */
	for (k = bj; k < tt->n && out->contra[0] == '\0' &&
	    cat_has_alpha(tt->tok[k]); k++)
		cat_list_word(c, p, tt->tok[k], cw, out);
	for (k = bi; k-- > 0 && out->contra[0] == '\0' &&
	    cat_has_alpha(tt->tok[k]); )
		cat_list_word(c, p, tt->tok[k], cw, out);
	/* right across a comma, a dash or a bracket, a catalog word the
	 * product lacks says it is another ("12 skeins of Aran - Mustard"
	 * is no DK Mustard); a word such as "for" starts words about it */
	if (bj < tt->n && sp->punct[bj])
		for (k = bj; k < tt->n && out->contra[0] == '\0' &&
		    cat_has_alpha(tt->tok[k]) && (k == bj || !sp->gap[k]); k++)
			if (cat_word_contradicts(c, p, tt->tok[k], cw))
				snprintf(out->contra, sizeof(out->contra),
				    "%s", tt->tok[k]);
	if (bi > 0 && sp->punct[bi])
		for (k = bi; k-- > 0 && out->contra[0] == '\0' &&
		    cat_has_alpha(tt->tok[k]) && (k + 1 == bi ||
		    !sp->gap[k + 1]); )
			if (cat_word_contradicts(c, p, tt->tok[k], cw))
				snprintf(out->contra, sizeof(out->contra),
				    "%s", tt->tok[k]);
	/* inside the run too: "decaf espresso pods" matched by words */
	for (k = bi; k < bj && out->contra[0] == '\0'; k++)
		if (strcmp(out->m[0].how, "words") == 0 ||
		    strcmp(out->m[0].how, "fuzzy") == 0)
			if (cat_contradicts(c, p, tt->tok[k], cw))
				snprintf(out->contra, sizeof(out->contra),
				    "%s", tt->tok[k]);
	out->so = sp->so[bi];
	out->eo = sp->eo[bj - 1];
	out->ntok = bj - bi;
}

/* A whole text's match this good is kept against a run of it that
 * contradicts its own product. */
#define CAT_WHOLE_MIN	0.75

size_t
catalog_mention(struct catalog *c, const char *text, size_t len,
    const char *customer, const struct catalog_words *cw,
    struct catalog_mention *out)
{
	struct catalog_match tmp[CATALOG_MAX_CANDIDATES];
	struct catalog_mention whole;
	struct text_tokens tt;
	struct text_spans sp;
	uint8_t known[TEXT_MAX_TOKENS];
	size_t i, j, bi = 0, bj, n;
	double best;

	memset(out, 0, sizeof(*out));
	text_tokenize_n(text, len, 0, &tt, &sp);
	if (tt.n == 0)
		return 0;
	out->n = cat_rank(c, &tt, customer, out->m, CATALOG_MAX_CANDIDATES);
	whole = *out;
	bj = tt.n;
	best = out->n > 0 ? out->m[0].score : 0;
	if (best < 0.99 && tt.n > 1) {
		for (i = 0; i < tt.n; i++)
			known[i] = (uint8_t)cat_known(c, tt.tok[i]);
		for (i = 0; i < tt.n; i++) {
			if (!known[i])
				continue;
			for (j = i + 1; j <= tt.n && j - i <= CAT_WINDOW_MAX;
			    j++) {
				if ((i == 0 && j == tt.n) || !known[j - 1])
					continue;
				if ((n = cat_rank_window(c, &tt, i, j,
				    customer, tmp)) == 0)
					continue;
				/* better words win; among equal ones the
				 * first product named, then the longer run */
				if (tmp[0].score > best + 0.02 ||
				    (tmp[0].score >= best - 0.02 &&
				    (i < bi || (i == bi && j - i > bj - bi)))) {
					best = tmp[0].score;
					bi = i;
					bj = j;
					out->n = n;
					memcpy(out->m, tmp, n * sizeof(*tmp));
				}
			}
		}
	}
	if (out->n == 0)
		return 0;
	cat_mention_settle(c, &tt, &sp, bi, bj, cw, out);
	/* a run that contradicts its product while the whole text names
	 * another outright: "still mineral water glass" is the glass
	 * bottle of mineral water, not the "water" of its alias */
	if (out->contra[0] != '\0' && (bi > 0 || bj < tt.n) && whole.n > 0 &&
	    whole.m[0].score >= CAT_WHOLE_MIN) {
		cat_mention_settle(c, &tt, &sp, 0, tt.n, cw, &whole);
		if (whole.contra[0] == '\0')
			*out = whole;
	}
	return out->n;
}

double
catalog_describes(struct catalog *c, const char *descriptor,
    const char *sku)
{
	const struct cat_product *p = cat_product(c, sku);
	struct text_tokens tt;
	double best = 0;
	uint32_t k;
	size_t i, j;

	if (p == NULL)
		return 0;
	text_tokenize(descriptor, 1, &tt);
	if (tt.n == 0)
		return 0;
	for (k = p->first_key; k != CAT_NONE; k = c->keys[k].next_of_product) {
		const struct cat_key *key = &c->keys[k];
		double got = 0;

		for (i = 0; i < tt.n; i++) {
			float sim = 0;

			for (j = 0; j < key->ntok; j++) {
				const struct cat_token *t = &c->tokens[key->tok[j]];
				float s2 = cat_word_sim(tt.tok[i],
				    strlen(tt.tok[i]), t->s, t->len);

				if (s2 > sim)
					sim = s2;
			}
			got += sim;
		}
		if (got / tt.n > best)
			best = got / tt.n;
	}
	return best;
}

/*
 * String hash map: FNV-1a, open addressing, grown at 50% load so probe
 * runs stay short.  No deletion: the catalog index is built once and
 * thrown away whole.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/strmap.h"
#include "common/xmalloc.h"

struct strmap_slot {
	char	*key;
	size_t	 keylen;
	uint32_t hash;
	void	*value;
};

struct strmap {
	struct strmap_slot	*slots;
	size_t			 cap;	/* power of two */
	size_t			 count;
};

static uint32_t
strmap_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

struct strmap *
strmap_new(void)
{
	struct strmap *m = xcalloc(1, sizeof(*m));

	m->cap = 64;
	m->slots = xcalloc(m->cap, sizeof(*m->slots));
	return m;
}

void
strmap_free(struct strmap *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	free(m);
}

static struct strmap_slot *
strmap_find(const struct strmap *m, const char *key, size_t n, uint32_t h)
{
	size_t i = h & (m->cap - 1);

	for (;;) {
		struct strmap_slot *s = &m->slots[i];

		if (s->key == NULL || (s->hash == h && s->keylen == n &&
		    memcmp(s->key, key, n) == 0))
			return s;
		i = (i + 1) & (m->cap - 1);
	}
}

static void
strmap_grow(struct strmap *m)
{
	struct strmap_slot *old = m->slots;
	size_t oldcap = m->cap, i;

	m->cap *= 2;
	m->slots = xcalloc(m->cap, sizeof(*m->slots));
	for (i = 0; i < oldcap; i++) {
		if (old[i].key != NULL)
			*strmap_find(m, old[i].key, old[i].keylen,
			    old[i].hash) = old[i];
	}
	free(old);
}

void *
strmap_put(struct strmap *m, const char *key, void *value)
{
	size_t n = strlen(key);
	uint32_t h = strmap_hash(key, n);
	struct strmap_slot *s;
	void *prev;

	if ((m->count + 1) * 2 > m->cap)
		strmap_grow(m);
	s = strmap_find(m, key, n, h);
	if (s->key != NULL) {
		prev = s->value;
		s->value = value;
		return prev;
	}
	s->key = xstrndup(key, n);
	s->keylen = n;
	s->hash = h;
	s->value = value;
	m->count++;
	return NULL;
}

void *
strmap_getn(const struct strmap *m, const char *key, size_t n)
{
	struct strmap_slot *s = strmap_find(m, key, n, strmap_hash(key, n));

	return s->key != NULL ? s->value : NULL;
}

void *
strmap_get(const struct strmap *m, const char *key)
{
	return strmap_getn(m, key, strlen(key));
}

size_t
strmap_count(const struct strmap *m)
{
	return m->count;
}

void
strmap_foreach(const struct strmap *m,
    void (*fn)(const char *, void *, void *), void *arg)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		if (m->slots[i].key != NULL)
			fn(m->slots[i].key, m->slots[i].value, arg);
}

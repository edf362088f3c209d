/*
 * A string-keyed hash map (open addressing, linear probing).  Used for the
 * in-memory catalog index, where lookups sit on the hot path of every
 * parsed line.  Keys are copied; values are opaque pointers owned by the
 * caller.
 */
#ifndef MO_STRMAP_H
#define MO_STRMAP_H

#include <stddef.h>

struct strmap;

struct strmap	*strmap_new(void);
void		 strmap_free(struct strmap *);

/* Set key to value, replacing any previous value (which is returned so
 * the caller can free it; NULL when there was none). */
void		*strmap_put(struct strmap *, const char *key, void *value);

/* The value for key, or NULL. */
void		*strmap_get(const struct strmap *, const char *key);
void		*strmap_getn(const struct strmap *, const char *key, size_t n);

size_t		 strmap_count(const struct strmap *);

/* Call fn for every entry, in no particular order. */
void		 strmap_foreach(const struct strmap *,
		    void (*fn)(const char *key, void *value, void *arg),
		    void *arg);

#endif

/*
 * What the daemon remembers about each mailbox between runs, and the
 * catalog version it watches to know when to reload its index.
 */
#ifndef MO_STORE_MAILBOX_H
#define MO_STORE_MAILBOX_H

#include <stdint.h>

#include "common/error.h"
#include "store/store.h"

/* The next UID to fetch in mailbox for this uidvalidity: 1 when the
 * mailbox is new to us or its UIDVALIDITY changed (the server renumbered
 * everything; duplicates are then caught by the messages' dedupe key). */
int	store_cursor_get(struct store *, const char *mailbox,
	    uint32_t uidvalidity, uint32_t *next_uid_r, struct err *);

/* Remember that everything below next_uid has been handled. */
int	store_cursor_set(struct store *, const char *mailbox,
	    uint32_t uidvalidity, uint32_t next_uid, struct err *);

/* A number that changes whenever a product or an alias changes. */
int	store_catalog_version(struct store *, int64_t *version_r,
	    struct err *);

/* A number that changes whenever an order changes, from any connection
 * (this one included). */
int	store_history_version(struct store *, int64_t *version_r,
	    struct err *);

/* SQLite's data_version: it changes when another connection commits, so
 * a cache built from this connection's reads can tell it is stale. */
int	store_data_version(struct store *, int64_t *version_r, struct err *);

#endif

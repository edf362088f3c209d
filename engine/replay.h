/*
 * What changes when a stored message is read again (`mailorder
 * replay`): the engine's first reading, kept in the store, against a
 * fresh one with today's rules and catalog.  Lines are compared by
 * product (their quantities summed), lines without a product by their
 * words.
 */
#ifndef MO_ENGINE_REPLAY_H
#define MO_ENGINE_REPLAY_H

#include <stddef.h>

#include "engine/engine.h"
#include "store/replay.h"

enum replay_kind {
	REPLAY_ADDED,
	REPLAY_REMOVED,
	REPLAY_CHANGED,		/* same product, another quantity */
};

struct replay_change {
	enum replay_kind	 kind;
	const char		*sku;	/* NULL: a line without a product */
	const char		*text;	/* the words in the mail */
	double			 old_qty, new_qty;
};

struct replay_diff {
	const char		*old_status, *new_status;
	const char		*old_customer, *new_customer;
	struct replay_change	*changes;	/* borrowed strings: valid
						   while both readings are */
	size_t			 nchanges;
	int			 status_changed, customer_changed;
};

/* Compare the stored reading with the new result; 1 when anything
 * differs, 0 when not. */
int	replay_compare(const struct store_replay_msg *old,
	    const struct engine_result *new, struct replay_diff *);
void	replay_diff_release(struct replay_diff *);

#endif

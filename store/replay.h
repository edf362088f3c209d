/*
 * What `mailorder replay` reads back: the stored messages a shop wants
 * to re-run (by date and customer), and what the engine read in each
 * when it arrived (its status, customer and lines, from the parse_json
 * recorded with the message).
 */
#ifndef MO_STORE_REPLAY_H
#define MO_STORE_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "store/store.h"

/* Ids of the messages the engine read (state done), oldest first: those
 * received on or after since (YYYY-MM-DD; NULL: all) whose reading or
 * order belongs to customer (NULL: any).  *ids_r is malloc'd. */
int	store_replay_ids(struct store *, const char *since,
	    const char *customer, int64_t **ids_r, size_t *n_r, struct err *);

struct store_replay_line {
	char	*sku;		/* NULL: the engine found no product */
	double	 quantity;
	char	*text;		/* the words in the mail */
};

struct store_replay_msg {
	int64_t			 id;
	char			*received_at;	/* YYYY-MM-DDTHH:MM:SSZ */
	char			*subject;
	char			*status;	/* the engine's: accepted, ... */
	char			*customer;	/* NULL: unknown sender */
	char			*order_ref;	/* NULL: no order was made */
	struct store_replay_line *lines;
	size_t			 nlines;
};

/* The message with that id and the engine's first reading of it.
 * ERR_MSG when there is no such message or it has no reading. */
int	store_replay_msg(struct store *, int64_t id, struct store_replay_msg *,
	    struct err *);
void	store_replay_msg_release(struct store_replay_msg *);

#endif

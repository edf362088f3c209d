/*
 * Glue shared by the operator's commands (approve, edit, ask, reject,
 * assign, ship, undo) and the queue: the configuration replies need, the
 * reply callback the store calls inside each action's transaction, and
 * small argument helpers.
 */
#ifndef MO_CLI_OPERATOR_H
#define MO_CLI_OPERATOR_H

#include <stdint.h>

#include "cli/cli.h"
#include "reply/reply.h"
#include "store/operator.h"

struct config;
struct ruleset;

struct cli_op {
	const struct config	*conf;		/* the context's */
	struct reply_conf	 rconf;
	struct reply_extra	 extra;		/* set by the command */
	int			 replies;	/* 0: no [smtp], no replies */
	int64_t			 outbox_id;	/* the reply queued, or 0 */
	char			 hostname[256];
};

/* Set up replies from the context's configuration.  On failure print
 * one line, set *status_r and return -1. */
int	cli_op_init(struct cli_ctx *, struct cli_op *, int *status_r);
void	cli_op_release(struct cli_op *);

/* The store's reply callback (store_operator_reply_fn); arg is a struct
 * cli_op.  Maps each action to its reply kind and calls reply_queue(). */
int	cli_op_reply(void *arg, struct store *, int64_t order_id,
	    enum store_operator_action, int64_t *outbox_id_r, struct err *);

/* Fill an action context for order id with the operator's login name and
 * the reply callback (reply may be 0 for an action without a reply). */
void	cli_op_ctx(struct cli_op *, struct store_operator_ctx *, int64_t id,
	    int version, int reply);

/* Print what happened to the reply: "confirmation queued (outbox 4)". */
void	cli_op_report(const struct cli_op *, const char *what);

/*
 * The customer's words for the item of an order line ("choc thingies"
 * in "2 boxes of choc thingies"), to learn as their alias: the item the
 * rules find in the line's text, else the words quoted in the line's
 * unknown_product flag.  rs may be NULL.  Returns a malloc'd string or
 * NULL when there are no words.
 */
char	*cli_op_line_words(struct store *, const struct ruleset *rs,
	    int64_t order_id, int line);

#endif

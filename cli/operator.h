/*
 * Glue shared by the operator's commands (approve, edit, ask, reject,
 * assign, ship, undo) and the queue: who the operator is and the reply
 * settings review/ acts with, and the customer's words to learn.
 */
#ifndef MO_CLI_OPERATOR_H
#define MO_CLI_OPERATOR_H

#include <stdint.h>

#include "cli/cli.h"
#include "reply/settings.h"
#include "review/review.h"

struct config;
struct ruleset;

struct cli_op {
	struct reply_settings	 replies;	/* from the configuration */
	struct review		 review;	/* what the actions act with */
};

/* The operator's login name: $LOGNAME, else the password entry of the
 * real uid, else "uid N".  Borrowed: a static buffer. */
const char	*cli_login(void);
/* The name the operator signs with ([operators], else their account's
 * full name), or NULL: the shop signs.  Borrowed from conf or a static
 * buffer. */
const char	*cli_signer(const struct config *);

/* Set up the operator's actions on st: the login name and, when [smtp]
 * is set, the replies (the manual kind: no rate or age limits).
 * cli_op_release() frees them. */
void	cli_op_init(struct cli_op *, const struct cli_ctx *, struct store *);
void	cli_op_release(struct cli_op *);

/* Print what happened to the action's reply: "confirmation queued
 * (outbox 4)", or why none was. */
void	cli_op_report(const struct cli_op *, const struct review_result *,
	    const char *what);

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

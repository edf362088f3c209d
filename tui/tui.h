/*
 * tui/: the operator's queue, `mailorder queue` (ncursesw).  One file per
 * screen: list.c (flagged orders), order.c (one order: the email, its
 * lines, flags and candidates, the customer's recent orders), pick.c
 * (catalog search), help.c (every key); tui.c holds the loop's helpers.
 *
 * The queue only reads through store/query.h and store/operator.h and acts
 * through store/operator.h; replies are queued by the caller's callback,
 * so tui/ knows nothing about templates or SMTP.
 */
#ifndef MO_TUI_H
#define MO_TUI_H

#include <stdint.h>

#include "common/error.h"
#include "reply/reply.h"
#include "store/operator.h"

struct tui_conf {
	struct store		*store;
	const char		*db_path;	/* shown in the title */
	const char		*operator;	/* login name for the audit log */
	store_operator_reply_fn	 reply;		/* queues an action's reply */
	void			*reply_arg;
	struct reply_extra	*extra;		/* read by reply: set before acting */
	int64_t			*outbox_id;	/* set by reply when queued */
	int			 replies;	/* 0: replies are not sent */
	/* The customer's words for line's item, to learn (malloc'd or
	 * NULL); may be NULL. */
	char			*(*line_words)(void *arg, struct store *,
				    int64_t order_id, int line);
	void			*words_arg;
};

/*
 * Run the queue until the operator quits.  Sets the locale-aware curses
 * up and restores the terminal on return.  Returns 0, or -1 with err when
 * the terminal cannot be used or the store fails in a way the screen
 * cannot show.
 */
int	tui_run(const struct tui_conf *, struct err *);

#endif

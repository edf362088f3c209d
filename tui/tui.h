/*
 * tui/: the operator's queue, `mailorder queue` (ncursesw).  One file per
 * screen: list.c (flagged orders), order.c (one order: the email, its
 * lines, flags and candidates, the customer's recent orders), pick.c
 * (catalog search), help.c (every key); tui.c holds the loop's helpers.
 *
 * The queue reads through store/query.h and store/operator.h and acts
 * through review/, which queues the replies; tui/ knows nothing about
 * templates or SMTP, nor about the command line that starts it.
 */
#ifndef MO_TUI_H
#define MO_TUI_H

#include <stdint.h>

#include "common/error.h"
#include "review/review.h"

struct config;
struct store;

struct tui_conf {
	/* The store, the operator's login name, the replies (NULL: off). */
	const struct review	*review;
	const char		*db_path;	/* shown in the title */
	const struct config	*config;	/* [carriers], for t; may be
						 * NULL: the built-in ones */
	long			 undo_seconds;	/* [reply]: a person's reply
						 * waits this long */
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

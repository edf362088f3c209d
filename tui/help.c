/*
 * The help screen: every binding of the list and the order view, printed
 * from the same tables the screens dispatch on, so it cannot miss one.
 * It scrolls (j/k) when the terminal is too short for all of them.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "common/xmalloc.h"
#include "tui/tui_int.h"

#define HELP_ROWS_MAX	128

struct help_row {
	char	*text;
	int	 title;
};

static size_t
help_table(struct help_row *rows, size_t n, const char *title,
    const struct tui_key *k)
{
	if (n > 0 && n < HELP_ROWS_MAX)
		rows[n++].text = NULL;		/* blank line */
	if (n < HELP_ROWS_MAX) {
		rows[n].title = 1;
		rows[n++].text = xstrdup(title);
	}
	for (; k->label != NULL && n < HELP_ROWS_MAX; k++) {
		if (k->help == NULL)	/* a second key for the row above */
			continue;
		rows[n].title = 0;
		xasprintf(&rows[n++].text, "  %-12s %s", k->label, k->help);
	}
	return n;
}

void
tui_help_run(struct tui *t)
{
	struct help_row rows[HELP_ROWS_MAX];
	size_t n = 0, i, top = 0;
	int ch, y, h;

	n = help_table(rows, n, "In the list", tui_list_keys);
	n = help_table(rows, n, "In an order", tui_order_keys);
	for (;;) {
		h = LINES - 3;
		if (h < 1)
			h = 1;
		if (top + (size_t)h > n)
			top = n > (size_t)h ? n - (size_t)h : 0;
		erase();
		tui_bar(0, " mailorder queue: keys", "j/k scroll  q:close ");
		for (i = top, y = 1; i < n && y < 1 + h; i++, y++)
			tui_put(y, 1, COLS - 1, rows[i].text, rows[i].title ?
			    A_BOLD | A_UNDERLINE : A_NORMAL, 1);
		tui_bar(LINES - 1, top + (size_t)h < n ?
		    " more below: j or Down" : " end", NULL);
		refresh();
		ch = getch();
		if (ch == 'j' || ch == KEY_DOWN || ch == ' ')
			top += ch == ' ' ? (size_t)h : 1;
		else if ((ch == 'k' || ch == KEY_UP) && top > 0)
			top--;
		else if (ch == 'q' || ch == '?' || ch == 27)
			break;
	}
	for (i = 0; i < n; i++)
		free(rows[i].text);
	(void)t;
}

/*
 * Internals shared by the queue's screens.
 */
#ifndef MO_TUI_INT_H
#define MO_TUI_INT_H

#include <curses.h>
#include <stddef.h>
#include <stdint.h>

#include "tui/tui.h"

#define TUI_MSG_MAX	512
#define TUI_POLL_MS	1000	/* how often the store is checked for news */

/* Colour pairs (plain attributes when the terminal has no colours). */
enum {
	TUI_PAIR_SPAN = 1,	/* words that became an order line */
	TUI_PAIR_FLAG,		/* flag codes */
	TUI_PAIR_ERR,		/* refusals */
};

struct tui {
	const struct tui_conf	*conf;
	struct store		*st;
	char			 msg[TUI_MSG_MAX];	/* bottom line */
	int			 msg_err;
	int64_t			 data_version;
	int			 colors;
};

/* A key binding: the screens look keys up in their table and call fn;
 * help.c prints the same tables, so the help cannot miss a binding. */
struct tui_key {
	int		 key;
	const char	*label;		/* as shown in help: "j, Down" */
	const char	*help;
	int		(*fn)(void *screen);	/* 1: leave the screen */
};

/* A key table's entry for ch, or NULL. */
const struct tui_key	*tui_key_find(const struct tui_key *, int ch);

/* The screens.  Each runs until the operator leaves it. */
int	tui_list_run(struct tui *);
void	tui_order_run(struct tui *, int64_t id);
void	tui_help_run(struct tui *);
/* Search the catalog for words and let the operator pick a product;
 * 1 and sku_r filled, 0 when cancelled. */
int	tui_pick_run(struct tui *, const char *words, char *sku_r,
	    size_t skusz);

extern const struct tui_key tui_list_keys[];
extern const struct tui_key tui_order_keys[];

/* Write s at (y, x) in at most width columns (UTF-8 aware), padding with
 * spaces when pad is set. */
void	tui_put(int y, int x, int width, const char *s, attr_t, int pad);
/* A full-width bar in reverse video with left and right text. */
void	tui_bar(int y, const char *left, const char *right);
/* The message line (bottom row minus one). */
void	tui_msg(struct tui *, int is_err, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	tui_msg_draw(struct tui *, int y);
/* Ask a question on the bottom line; 0 and out filled, -1 cancelled
 * (Escape or empty answer). */
int	tui_prompt(struct tui *, const char *question, char *out, size_t);
/* The same with the answer pre-filled (the current value, to edit):
 * Backspace and ^U edit it, Enter takes it, Escape cancels. */
int	tui_prompt_with(struct tui *, const char *question,
	    const char *initial, char *out, size_t);
/* For an answer that may be left out: 0 and out filled, or 0 and out
 * empty on a bare Enter; -1 only on Escape. */
int	tui_prompt_optional(struct tui *, const char *question, char *out,
	    size_t);
/* y/n question; 1 yes. */
int	tui_confirm(struct tui *, const char *question);
/* 1 when another connection committed since the last call. */
int	tui_changed(struct tui *);
/*
 * Let the operator edit text in $EDITOR (vi when unset); 0 and a malloc'd
 * result, -1 when cancelled or empty.  What initial has from a
 * TUI_SCISSORS line down is help for the operator, and is dropped with
 * that line; everything above it is kept as written, '#' lines too ("#2
 * on your list").  Without that line, every '#' line is dropped.
 */
#define TUI_SCISSORS	"# ------------------------ >8 ------------------------"
int	tui_edit_text(struct tui *, const char *initial, char **text_r);
/* "5m", "3h", "2d" since an ISO 8601 UTC time. */
void	tui_age(const char *iso, char *out, size_t);

#endif

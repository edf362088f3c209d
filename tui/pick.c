/*
 * The catalog search screen: the products whose SKU, name or alias
 * contains the words, to pick one for a line.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "store/operator.h"
#include "tui/tui_int.h"

#define PICK_MAX	200

struct pick {
	char	*sku[PICK_MAX];
	char	*label[PICK_MAX];
	size_t	 n;
};

static int
pick_add(void *arg, const char *sku, const char *name, const char *unit)
{
	struct pick *p = arg;

	if (p->n >= PICK_MAX)
		return 1;
	p->sku[p->n] = xstrdup(sku);
	xasprintf(&p->label[p->n++], "%-14s %s%s%s%s", sku, name,
	    unit ? " (" : "", unit ? unit : "", unit ? ")" : "");
	return 0;
}

int
tui_pick_run(struct tui *t, const char *words, char *sku_r, size_t skusz)
{
	struct pick p;
	struct err err;
	char title[256];
	size_t cur = 0, top = 0, i;
	int ch, y, h, rc = 0, done = 0;

	memset(&p, 0, sizeof(p));
	err_clear(&err);
	if (store_operator_products_search(t->st, words, PICK_MAX, pick_add,
	    &p, &err) == -1) {
		tui_msg(t, 1, "%s", err.msg);
		return 0;
	}
	if (p.n == 0) {
		tui_msg(t, 1, "no product matches '%s'", words);
		return 0;
	}
	snprintf(title, sizeof(title), " products matching '%s': %zu", words,
	    p.n);
	while (!done) {
		h = LINES - 2;
		if (h < 1)
			h = 1;
		if (cur < top)
			top = cur;
		if (cur >= top + (size_t)h)
			top = cur - (size_t)h + 1;
		erase();
		tui_bar(0, title, "Enter:pick  q:cancel ");
		for (i = top, y = 1; i < p.n && y < 1 + h; i++, y++)
			tui_put(y, 0, COLS, p.label[i], i == cur ? A_REVERSE :
			    A_NORMAL, 1);
		refresh();
		ch = getch();
		if ((ch == 'j' || ch == KEY_DOWN) && cur + 1 < p.n)
			cur++;
		else if ((ch == 'k' || ch == KEY_UP) && cur > 0)
			cur--;
		else if (ch == '\n' || ch == KEY_ENTER) {
			snprintf(sku_r, skusz, "%s", p.sku[cur]);
			rc = done = 1;
		} else if (ch == 'q' || ch == 27)
			done = 1;
	}
	for (i = 0; i < p.n; i++) {
		free(p.sku[i]);
		free(p.label[i]);
	}
	return rc;
}

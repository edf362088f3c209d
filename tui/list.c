/*
 * The queue's first screen: the orders waiting for a person, oldest first
 * (age, order, customer, flag codes, line count, subject), with a filter
 * by flag code or customer, a search, and counts per status in the status
 * bar.  It reloads by itself when mailorderd (or another operator) commits.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/xmalloc.h"
#include "store/query.h"
#include "store/outbox.h"
#include "store/webhook.h"
#include "tui/tui_int.h"

struct list_row {
	int64_t	 id;
	char	*ref, *created, *customer, *subject, *flags, *from, *status;
	int	 nlines;
};

struct list_screen {
	struct tui	*t;
	struct list_row	*rows;		/* after filter and search */
	size_t		 n;
	size_t		 cur, top;
	int		 all;		/* every status, not just flagged */
	char		 flag[64];	/* filters; "" = none */
	char		 customer[64];
	char		 search[128];
	long		 counts[6];	/* see list_statuses */
	long		 webhook_failed;	/* events that need `webhook retry` */
	int		 quit;
};

/* The all-orders view holds the newest orders, not a year of them
 * (mailorder list --all has every one). */
#define LIST_ALL_MAX	1000
#define LIST_ALL_MAX_S	"1000"

static const char *const list_statuses[] = {
	"flagged", "accepted", "shipped", "rejected", "ignored", NULL
};

static void
list_clear(struct list_screen *ls)
{
	size_t i;

	for (i = 0; i < ls->n; i++) {
		free(ls->rows[i].ref);
		free(ls->rows[i].created);
		free(ls->rows[i].customer);
		free(ls->rows[i].subject);
		free(ls->rows[i].flags);
		free(ls->rows[i].from);
		free(ls->rows[i].status);
	}
	free(ls->rows);
	ls->rows = NULL;
	ls->n = 0;
}

static int
list_match(const struct list_screen *ls, const struct store_order_row *r)
{
	const char *fields[6];
	size_t i;

	if (ls->search[0] == '\0')
		return 1;
	fields[0] = r->ref;
	fields[1] = r->customer_id;
	fields[2] = r->customer_name;
	fields[3] = r->subject;
	fields[4] = r->from_addr;
	fields[5] = r->flag_codes;
	for (i = 0; i < 6; i++)
		if (fields[i] != NULL && strcasestr(fields[i], ls->search))
			return 1;
	return 0;
}

static char *
dup0(const char *s)
{
	return xstrdup(s != NULL ? s : "");
}

static int
list_add(void *arg, const struct store_order_row *r)
{
	struct list_screen *ls = arg;
	struct list_row *lr;

	/* What waits for a person (flagged, or a reply held back or
	 * failed) is chosen by the query (store_order_filter.waiting). */
	if (!list_match(ls, r))
		return 0;
	ls->rows = xreallocarray(ls->rows, ls->n + 1, sizeof(*ls->rows));
	lr = &ls->rows[ls->n++];
	lr->id = r->id;
	lr->ref = dup0(r->ref);
	lr->created = dup0(r->created_at);
	lr->customer = dup0(r->customer_id ? r->customer_id : "?");
	lr->subject = dup0(r->subject);
	lr->flags = dup0(r->flag_codes);
	lr->from = dup0(r->from_addr);
	lr->status = dup0(r->status);
	lr->nlines = r->nlines;
	return 0;
}

/* The status bar's counts, from the status index (the list itself may
 * hold only what waits). */
static int
list_count(void *arg, const char *status, long n)
{
	struct list_screen *ls = arg;
	size_t i;

	for (i = 0; list_statuses[i] != NULL; i++)
		if (strcmp(status, list_statuses[i]) == 0)
			ls->counts[i] = n;
	return 0;
}

static void
list_load(struct list_screen *ls)
{
	struct store_order_filter f;
	struct err err;
	int64_t keep = ls->n > 0 ? ls->rows[ls->cur].id : 0;
	size_t i;

	list_clear(ls);
	memset(ls->counts, 0, sizeof(ls->counts));
	memset(&f, 0, sizeof(f));
	f.flag = ls->flag[0] ? ls->flag : NULL;
	f.customer = ls->customer[0] ? ls->customer : NULL;
	f.waiting = !ls->all;
	f.limit = LIST_ALL_MAX;
	err_clear(&err);
	if (store_orders_foreach(ls->t->st, &f, list_add, ls, &err) == -1 ||
	    store_order_status_counts(ls->t->st, list_count, ls, &err) == -1 ||
	    store_webhook_failed_count(ls->t->st, &ls->webhook_failed,
	    &err) == -1)
		tui_msg(ls->t, 1, "%s", err.msg);
	/* Stay on the same order when it is still listed. */
	ls->cur = 0;
	for (i = 0; i < ls->n; i++)
		if (ls->rows[i].id == keep)
			ls->cur = i;
}

/* The order column: "MO-60" and "MO-499700" alike stay aligned. */
static int
list_ref_width(const struct list_screen *ls)
{
	size_t i, w = 7;

	for (i = 0; i < ls->n; i++)
		if (ls->rows[i].ref != NULL && strlen(ls->rows[i].ref) > w)
			w = strlen(ls->rows[i].ref);
	return w > 20 ? 20 : (int)w;
}

static void
list_draw(struct list_screen *ls)
{
	char left[512], right[128], line[512], age[16];
	int h = LINES - 4, y, rw = list_ref_width(ls);
	size_t i;

	erase();
	snprintf(left, sizeof(left), " mailorder queue: %s%s%s%s%s%s%s",
	    ls->all ? (ls->n == LIST_ALL_MAX ? "all orders (the newest "
	    LIST_ALL_MAX_S ")" : "all orders") : "flagged orders",
	    ls->flag[0] ? "  flag:" : "", ls->flag,
	    ls->customer[0] ? "  customer:" : "", ls->customer,
	    ls->search[0] ? "  /" : "", ls->search);
	/* Failed webhook events wait for `mailorder webhook retry`. */
	tui_bar(0, left, ls->webhook_failed ? "webhooks failed: mailorder "
	    "webhook  ?:help " : "?:help ");
	/* Every status is listed in the all-orders view: it says which. */
	snprintf(line, sizeof(line), ls->all ?
	    "AGE  %-*s STATUS   CUSTOMER   FLAGS           LN SUBJECT" :
	    "AGE  %-*s CUSTOMER   FLAGS                    LN SUBJECT", rw,
	    "ORDER");
	tui_put(1, 0, COLS, line, A_BOLD, 1);
	if (h < 1)
		h = 1;
	if (ls->cur < ls->top)
		ls->top = ls->cur;
	if (ls->cur >= ls->top + (size_t)h)
		ls->top = ls->cur - (size_t)h + 1;
	for (i = ls->top, y = 2; i < ls->n && y < 2 + h; i++, y++) {
		const struct list_row *r = &ls->rows[i];

		tui_age(r->created, age, sizeof(age));
		if (ls->all)
			snprintf(line, sizeof(line), "%-4s %-*s %-8.8s "
			    "%-10.10s %-15.15s %2d %s", age, rw, r->ref,
			    r->status, r->customer, r->flags, r->nlines,
			    r->subject);
		else
			snprintf(line, sizeof(line), "%-4s %-*s %-10.10s "
			    "%-24.24s %2d %s", age, rw, r->ref, r->customer,
			    r->flags, r->nlines, r->subject);
		tui_put(y, 0, COLS, line, i == ls->cur ? A_REVERSE : A_NORMAL,
		    1);
	}
	if (ls->n == 0)
		tui_put(3, 2, COLS - 2, ls->search[0] || ls->flag[0] ||
		    ls->customer[0] ? "Nothing matches." :
		    "Nothing waiting for you.", A_NORMAL, 0);
	snprintf(left, sizeof(left), " %zu shown", ls->n);
	snprintf(right, sizeof(right), "flagged %ld  accepted %ld  "
	    "shipped %ld  rejected %ld  ignored %ld ", ls->counts[0],
	    ls->counts[1], ls->counts[2], ls->counts[3], ls->counts[4]);
	tui_bar(LINES - 2, left, right);
	tui_msg_draw(ls->t, LINES - 1);
	refresh();
}

static int
list_down(void *arg)
{
	struct list_screen *ls = arg;

	if (ls->cur + 1 < ls->n)
		ls->cur++;
	return 0;
}

static int
list_up(void *arg)
{
	struct list_screen *ls = arg;

	if (ls->cur > 0)
		ls->cur--;
	return 0;
}

static int
list_first(void *arg)
{
	((struct list_screen *)arg)->cur = 0;
	return 0;
}

static int
list_last(void *arg)
{
	struct list_screen *ls = arg;

	ls->cur = ls->n > 0 ? ls->n - 1 : 0;
	return 0;
}

static int
list_open(void *arg)
{
	struct list_screen *ls = arg;

	if (ls->n == 0)
		return 0;
	tui_order_run(ls->t, ls->rows[ls->cur].id);
	list_load(ls);
	return 0;
}

static int
list_search(void *arg)
{
	struct list_screen *ls = arg;
	char buf[128];

	if (tui_prompt(ls->t, "search: ", buf, sizeof(buf)) == 0)
		snprintf(ls->search, sizeof(ls->search), "%s", buf);
	else
		ls->search[0] = '\0';
	list_load(ls);
	tui_msg(ls->t, 0, "%zu match%s", ls->n, ls->n == 1 ? "" : "es");
	return 0;
}

static int
list_filter_flag(void *arg)
{
	struct list_screen *ls = arg;
	char buf[64];

	if (tui_prompt(ls->t, "only flag (history_reference, unknown_product, "
	    "...; empty: all): ", buf, sizeof(buf)) == 0)
		snprintf(ls->flag, sizeof(ls->flag), "%s", buf);
	else
		ls->flag[0] = '\0';
	list_load(ls);
	return 0;
}

static int
list_filter_customer(void *arg)
{
	struct list_screen *ls = arg;
	char buf[64];

	if (tui_prompt(ls->t, "only customer (empty: all): ", buf,
	    sizeof(buf)) == 0)
		snprintf(ls->customer, sizeof(ls->customer), "%s", buf);
	else
		ls->customer[0] = '\0';
	list_load(ls);
	return 0;
}

static int
list_toggle_all(void *arg)
{
	struct list_screen *ls = arg;

	ls->all = !ls->all;
	list_load(ls);
	return 0;
}

static int
list_reload(void *arg)
{
	struct list_screen *ls = arg;

	ls->search[0] = ls->flag[0] = ls->customer[0] = '\0';
	list_load(ls);
	tui_msg(ls->t, 0, "filters cleared");
	return 0;
}

static int
list_help(void *arg)
{
	tui_help_run(((struct list_screen *)arg)->t);
	return 0;
}

static int
list_quit(void *arg)
{
	return 1;
}

const struct tui_key tui_list_keys[] = {
	{ 'j',		"j, Down",	"next order",			list_down },
	{ KEY_DOWN,	"",		NULL,				list_down },
	{ 'k',		"k, Up",	"previous order",		list_up },
	{ KEY_UP,	"",		NULL,				list_up },
	{ 'g',		"g, Home",	"first order",			list_first },
	{ KEY_HOME,	"",		NULL,				list_first },
	{ 'G',		"G, End",	"last order",			list_last },
	{ KEY_END,	"",		NULL,				list_last },
	{ '\n',		"Enter",	"open the order",		list_open },
	{ KEY_ENTER,	"",		NULL,				list_open },
	{ '/',		"/",		"search customer, subject, sender, "
					"flags",			list_search },
	{ 'f',		"f",		"show only one flag code",	list_filter_flag },
	{ 'c',		"c",		"show only one customer",	list_filter_customer },
	{ 'a',		"a",		"all orders / flagged only",	list_toggle_all },
	{ 'x',		"x",		"clear search and filters",	list_reload },
	{ '?',		"?",		"this help",			list_help },
	{ 'q',		"q",		"quit",				list_quit },
	{ 0,		NULL,		NULL,				NULL },
};

int
tui_list_run(struct tui *t)
{
	struct list_screen ls;
	const struct tui_key *k;
	int ch;

	memset(&ls, 0, sizeof(ls));
	ls.t = t;
	list_load(&ls);
	while (!ls.quit) {
		list_draw(&ls);
		ch = getch();
		if (ch == ERR) {	/* poll timeout: did the daemon add any? */
			if (tui_changed(t))
				list_load(&ls);
			continue;
		}
		if (ch == KEY_RESIZE)
			continue;
		t->msg[0] = '\0';
		if ((k = tui_key_find(tui_list_keys, ch)) == NULL) {
			tui_msg(t, 0, "no action on that key; ? lists them");
			continue;
		}
		if (k->fn(&ls) == 1)
			ls.quit = 1;
	}
	list_clear(&ls);
	return 0;
}

/*
 * The order view: the customer's cleaned email with the words that became
 * each line highlighted (quoted lines dimmed), the customer's recent
 * orders beside it, the extracted lines (editable) and the open flags with
 * their numbered candidates.  Every action carries the version the view
 * was loaded at, so a change made meanwhile by someone else is refused and
 * shown, never overwritten.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "common/buf.h"
#include "common/qty.h"
#include "common/xmalloc.h"
#include "review/carrier.h"
#include "review/send.h"
#include "store/customer.h"
#include "store/operator.h"
#include "store/query.h"
#include "store/thread.h"
#include "tui/tui_int.h"

#define ORDER_HISTORY_MAX	8
#define ORDER_SIDE_MIN		27	/* the recent-orders column, at least */
#define ORDER_SIDE_MAX		60	/* and at most */

struct order_line {
	int	 no;
	char	*sku, *name, *unit, *text;
	double	 qty;
};

struct order_cand {
	char	*code, *sku, *name;
	int	 line;		/* the flag's line; 0: none */
};

struct order_flag {
	char	*code, *text;
	int	 line;
};

struct order_screen {
	struct tui		*t;
	int64_t			 id;
	int			 version;
	char			*ref, *status, *customer, *cname, *from;
	char			*subject, *created;
	char			*text;
	struct order_line	*lines;
	size_t			 nlines, cur;
	struct order_flag	*flags;
	size_t			 nflags;
	struct order_cand	*cands;
	size_t			 ncands;
	char			*hist[ORDER_HISTORY_MAX];
	size_t			 nhist;
	char			*thread;	/* the conversation, as text */
	int			 nanswers;	/* the customer's answers */
	time_t			 leaves_at;	/* a person's reply leaves
						 * then; 0: none waits */
	int			 conv;		/* c: the pane shows the
						 * conversation */
	int			 scroll;	/* text pane's first row */
	int			 stale;		/* changed elsewhere */
	int			 gone;
};

static void
order_clear(struct order_screen *os)
{
	size_t i;

	free(os->ref);
	free(os->status);
	free(os->customer);
	free(os->cname);
	free(os->from);
	free(os->subject);
	free(os->created);
	free(os->text);
	for (i = 0; i < os->nlines; i++) {
		free(os->lines[i].sku);
		free(os->lines[i].name);
		free(os->lines[i].unit);
		free(os->lines[i].text);
	}
	free(os->lines);
	for (i = 0; i < os->nflags; i++) {
		free(os->flags[i].code);
		free(os->flags[i].text);
	}
	free(os->flags);
	for (i = 0; i < os->ncands; i++) {
		free(os->cands[i].code);
		free(os->cands[i].sku);
		free(os->cands[i].name);
	}
	free(os->cands);
	for (i = 0; i < os->nhist; i++)
		free(os->hist[i]);
	free(os->thread);
	os->thread = NULL;
	os->nanswers = 0;
	os->leaves_at = 0;
	os->ref = os->status = os->customer = os->cname = os->from = NULL;
	os->subject = os->created = os->text = NULL;
	os->lines = NULL;
	os->flags = NULL;
	os->cands = NULL;
	os->nlines = os->nflags = os->ncands = os->nhist = 0;
}

static char *
dupn(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static int
order_head(void *arg, const struct store_order_row *r)
{
	struct order_screen *os = arg;

	os->version = r->version;
	os->ref = dupn(r->ref);
	os->status = dupn(r->status);
	os->customer = dupn(r->customer_id);
	os->cname = dupn(r->customer_name);
	os->from = dupn(r->from_addr);
	os->subject = dupn(r->subject);
	os->created = dupn(r->created_at);
	return 0;
}

static int
order_line_cb(void *arg, int no, const char *sku, const char *name,
    double qty, const char *unit, const char *text, const char *rule)
{
	struct order_screen *os = arg;
	struct order_line *l;

	os->lines = xreallocarray(os->lines, os->nlines + 1,
	    sizeof(*os->lines));
	l = &os->lines[os->nlines++];
	l->no = no;
	l->sku = dupn(sku);
	l->name = dupn(name);
	l->unit = dupn(unit);
	l->text = dupn(text);
	l->qty = qty;
	return 0;
}

static int
order_flag_cb(void *arg, const char *code, const char *text, int line,
    int resolved)
{
	struct order_screen *os = arg;
	struct order_flag *f;

	if (resolved)
		return 0;
	os->flags = xreallocarray(os->flags, os->nflags + 1,
	    sizeof(*os->flags));
	f = &os->flags[os->nflags++];
	f->code = xstrdup(code);
	f->text = dupn(text);
	f->line = line;
	return 0;
}

static int
order_cand_cb(void *arg, const char *code, int rank, const char *sku,
    const char *name, double score)
{
	struct order_screen *os = arg;
	struct order_cand *c;

	/* Candidates of resolved flags are not offered. */
	if (os->nflags == 0 || strcmp(os->flags[os->nflags - 1].code,
	    code) != 0 || os->ncands >= 9)
		return 0;
	os->cands = xreallocarray(os->cands, os->ncands + 1,
	    sizeof(*os->cands));
	c = &os->cands[os->ncands++];
	c->code = xstrdup(code);
	c->sku = xstrdup(sku);
	c->name = dupn(name);
	c->line = os->flags[os->nflags - 1].line;
	return 0;
}

/* store_order_flags reports candidates of resolved flags too; remember
 * whether the last flag seen was kept. */
struct flag_filter {
	struct order_screen	*os;
	int			 keep;
};

static int
filter_flag(void *arg, const char *code, const char *text, int line,
    int resolved)
{
	struct flag_filter *ff = arg;

	ff->keep = !resolved;
	return order_flag_cb(ff->os, code, text, line, resolved);
}

static int
filter_cand(void *arg, const char *code, int rank, const char *sku,
    const char *name, double score)
{
	struct flag_filter *ff = arg;

	if (!ff->keep)
		return 0;
	return order_cand_cb(ff->os, code, rank, sku, name, score);
}

static int
order_hist_cb(void *arg, const char *ref, const char *date,
    const char *status, const char *items)
{
	struct order_screen *os = arg;

	if (os->nhist >= ORDER_HISTORY_MAX)
		return 1;
	xasprintf(&os->hist[os->nhist++], "%s %s", date ? date : "",
	    items ? items : "");
	return 0;
}

struct thread_ctx {
	struct order_screen	*os;
	struct buf		 b;
};

/* One message of the conversation, for the c view: time, direction,
 * who, what; an answer's text below it. */
static int
order_thread_cb(void *arg, const struct store_thread_item *it)
{
	struct thread_ctx *tc = arg;
	struct buf *b = &tc->b;
	time_t at = store_thread_leaves_at(it, tc->os->t->conf->undo_seconds);
	const char *p, *nl;
	char when[16] = "";

	/* "2026-12-03T15:43:10Z" as "12-03 15:43": the year is this one. */
	if (it->at != NULL && strlen(it->at) >= 16)
		snprintf(when, sizeof(when), "%.5s %.5s", it->at + 5,
		    it->at + 11);
	if (at > tc->os->leaves_at)
		tc->os->leaves_at = at;
	if (it->out) {
		buf_addf(b, "%s out %s to %s (%s)\n", when,
		    it->what ? it->what : "", it->who ? it->who : "",
		    at > 0 ? "waits: u undoes it" : it->state ? it->state : "");
		return 0;
	}
	buf_addf(b, "%s in  %s from %s: %s\n", when,
	    it->first ? "mail" : "answer", it->who ? it->who : "",
	    it->what ? it->what : "");
	if (it->first || it->text == NULL)
		return 0;
	tc->os->nanswers++;
	for (p = it->text; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		buf_addf(b, "    | %.*s\n", (int)(nl - p), p);
		if (*nl == '\0')
			break;
	}
	return 0;
}

static int
order_load_thread(struct order_screen *os, struct err *err)
{
	struct thread_ctx tc;

	tc.os = os;
	buf_init(&tc.b, 1 << 20);
	if (store_thread_foreach(os->t->st, os->id, order_thread_cb, &tc,
	    err) == -1) {
		buf_release(&tc.b);
		return -1;
	}
	os->thread = buf_detach(&tc.b, NULL);
	return 0;
}

static void
order_load(struct order_screen *os)
{
	struct flag_filter ff;
	struct err err;
	size_t cur = os->cur;
	int found;

	order_clear(os);
	os->stale = 0;
	err_clear(&err);
	ff.os = os;
	ff.keep = 0;
	if ((found = store_order_row(os->t->st, os->id, order_head, os,
	    &err)) != 1) {
		if (found == 0)
			tui_msg(os->t, 1, "MO-%lld is gone", (long long)os->id);
		else
			tui_msg(os->t, 1, "%s", err.msg);
		os->gone = 1;
		return;
	}
	if (store_order_lines(os->t->st, os->id, order_line_cb, os,
	    &err) == -1 ||
	    store_order_flags(os->t->st, os->id, filter_flag, filter_cand,
	    &ff, &err) == -1 ||
	    store_order_text(os->t->st, os->id, &os->text, &err) == -1 ||
	    (os->customer != NULL && store_operator_history(os->t->st,
	    os->customer, ORDER_HISTORY_MAX, order_hist_cb, os, &err) == -1) ||
	    order_load_thread(os, &err) == -1)
		tui_msg(os->t, 1, "%s", err.msg);
	os->cur = cur < os->nlines ? cur : 0;
}

/* Attribute of each byte of the text: spans of lines highlighted (the
 * selected line's reversed), quoted lines dimmed. */
static attr_t *
order_attrs(const struct order_screen *os, size_t len)
{
	attr_t *a = xcalloc(len + 1, sizeof(*a));
	attr_t span = os->t->colors ?
	    (attr_t)COLOR_PAIR(TUI_PAIR_SPAN) | A_BOLD : A_BOLD;
	const char *p, *t = os->text;
	size_t i, j, n;

	for (i = 0; i < len; i = j + 1) {
		for (j = i; j < len && t[j] != '\n'; j++)
			;
		if (t[i] == '>')
			for (n = i; n < j; n++)
				a[n] = A_DIM;
	}
	for (i = 0; i < os->nlines; i++) {
		const char *w = os->lines[i].text;

		if (w == NULL || *w == '\0' || (p = strstr(t, w)) == NULL)
			continue;
		n = strlen(w);
		for (j = 0; j < n; j++)
			a[(size_t)(p - t) + j] = i == os->cur ?
			    span | A_REVERSE : span;
	}
	return a;
}

/* The display width of the word at t[i..len): up to a blank or a line end. */
static int
order_word_width(const char *t, size_t i, size_t len)
{
	mbstate_t ps;
	wchar_t wc;
	size_t n;
	int w, sum = 0;

	memset(&ps, 0, sizeof(ps));
	while (i < len) {
		n = mbrtowc(&wc, t + i, len - i, &ps);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&ps, 0, sizeof(ps));
			n = 1;
			wc = L'?';
		}
		if (wc == L' ' || wc == L'\t' || wc == L'\n')
			break;
		sum += (w = wcwidth(wc)) < 0 ? 1 : w;
		i += n;
	}
	return sum;
}

/*
 * The email, wrapped to width at blanks (a word longer than a row is cut),
 * from row scroll, into rows y0..y0+h.
 */
static void
order_draw_text(struct order_screen *os, int y0, int h, int width)
{
	const char *src = os->conv ? os->thread : os->text;
	const char *t = src != NULL ? src : "(no text)";
	size_t len = strlen(t), i = 0, n;
	/* The lines' spans are marked in the email, not the conversation. */
	attr_t *a = os->conv ? xcalloc(len + 1, sizeof(*a)) :
	    order_attrs(os, os->text != NULL ? len : 0);
	mbstate_t ps;
	wchar_t wc;
	int row = 0, col = 0, w;

	memset(&ps, 0, sizeof(ps));
	while (i < len && row < os->scroll + h) {
		n = mbrtowc(&wc, t + i, len - i, &ps);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&ps, 0, sizeof(ps));
			n = 1;
			wc = L'?';
		}
		if (wc == L'\n') {
			row++;
			col = 0;
			i += n;
			continue;
		}
		if ((w = wcwidth(wc)) < 0)
			w = 1;
		if (col > 0 && wc != L' ' && (i == 0 || t[i - 1] == ' ' ||
		    t[i - 1] == '\t')) {
			int ww = order_word_width(t, i, len);

			if (col + ww > width && ww <= width) {
				row++;
				col = 0;
			}
		}
		if (col + w > width) {
			row++;
			col = 0;
		}
		if (col == 0 && wc == L' ' && i > 0 && t[i - 1] != '\n') {
			/* The blank a wrap fell on starts no row. */
			i += n;
			continue;
		}
		if (row >= os->scroll && row < os->scroll + h) {
			attr_t at = src != NULL ? a[i] : A_DIM;

			move(y0 + row - os->scroll, col);
			attron(at);
			if (wc == L'\t' || wc == L'?')
				addch(wc == L'\t' ? ' ' : '?');
			else
				addnstr(t + i, (int)n);
			attroff(at);
		}
		col += w;
		i += n;
	}
	free(a);
}

/*
 * The recent-orders column: two fifths of a wide terminal, so that at 120
 * columns "2026-11-04 3 HB-1KG, 1 CUP-12OZ" is whole; none below 70.
 */
static int
order_side_width(void)
{
	int w = COLS * 2 / 5;

	if (COLS < 70)
		return 0;
	return w < ORDER_SIDE_MIN ? ORDER_SIDE_MIN :
	    w > ORDER_SIDE_MAX ? ORDER_SIDE_MAX : w;
}

/*
 * One recent order from row y on, in w columns: "DATE items", wrapped
 * after a comma when the items do not fit, the continuation indented
 * under the items, so no SKU is cut.  Returns the next free row.
 */
static int
order_draw_hist(const char *entry, int y, int ymax, int x, int w)
{
	const char *p = entry, *cut, *c;
	char *piece;
	size_t left, room;
	int indent = 0;
	const char *sp = strchr(entry, ' ');

	if (sp != NULL && sp - entry < w / 2)
		indent = (int)(sp - entry) + 1;
	while (*p != '\0' && y < ymax) {
		left = strlen(p);
		room = (size_t)(w - (p == entry ? 0 : indent));
		cut = p + left;
		if (left > room) {
			/* The last ", " that leaves the piece within room. */
			cut = NULL;
			for (c = p; (c = strstr(c, ", ")) != NULL &&
			    (size_t)(c + 1 - p) <= room; c += 2)
				cut = c + 1;
			if (cut == NULL)
				cut = p + room;
		}
		piece = xstrndup(p, (size_t)(cut - p));
		tui_put(y++, x + (p == entry ? 0 : indent), w, piece,
		    A_NORMAL, 1);
		free(piece);
		p = cut;
		while (*p == ' ')
			p++;
	}
	return y;
}

/* The title bar's right end: a change elsewhere, else the countdown of
 * a reply a person triggered (u undoes it until then), else the help. */
static const char *
order_bar_right(const struct order_screen *os, char *buf, size_t n)
{
	time_t now = time(NULL);

	if (os->stale)
		return "CHANGED ELSEWHERE: R reloads ";
	if (os->leaves_at > now) {
		snprintf(buf, n, "reply leaves in %lds (u undoes) ",
		    (long)(os->leaves_at - now));
		return buf;
	}
	if (os->nanswers > 0) {
		snprintf(buf, n, "c:conversation (%d answer%s) ?:help ",
		    os->nanswers, os->nanswers == 1 ? "" : "s");
		return buf;
	}
	return "?:help ";
}

static void
order_draw(struct order_screen *os)
{
	char buf[512], age[16], q[QTY_FMT_MAX], right[96];
	int side = order_side_width();
	int th, y, lh, i;
	size_t k;

	erase();
	if (os->gone) {
		tui_bar(0, " (no order)", NULL);
		tui_msg_draw(os->t, LINES - 1);
		refresh();
		return;
	}
	tui_age(os->created, age, sizeof(age));
	snprintf(buf, sizeof(buf), " %s  %s  v%d  %s%s%s%s", os->ref,
	    os->status, os->version, os->customer ? os->customer :
	    "unknown sender", os->cname ? " (" : "", os->cname ? os->cname :
	    "", os->cname ? ")" : "");
	tui_bar(0, buf, order_bar_right(os, right, sizeof(right)));
	snprintf(buf, sizeof(buf), "From %s, %s ago: %s", os->from ?
	    os->from : "?", age, os->subject ? os->subject : "");
	tui_put(1, 0, COLS, buf, A_BOLD, 1);

	/* Lines and flags below, the text gets what is left (at least 3). */
	lh = 1 + (os->nlines > 0 ? (int)os->nlines : 1) +
	    (os->nflags > 0 ? 1 + (int)os->nflags + (int)os->ncands : 0);
	th = LINES - 4 - lh;
	if (th < 3)
		th = 3;
	order_draw_text(os, 2, th, COLS - side - 1);
	if (side > 0) {
		for (y = 2; y < 2 + th; y++)
			mvaddch(y, COLS - side - 1, ACS_VLINE);
		tui_put(2, COLS - side, side, "Recent orders", A_BOLD, 1);
		for (k = 0, y = 3; k < os->nhist && y < 2 + th; k++)
			y = order_draw_hist(os->hist[k], y, 2 + th,
			    COLS - side, side);
		if (os->nhist == 0)
			tui_put(3, COLS - side, side, "(none)", A_DIM, 1);
	}
	y = 2 + th;
	tui_put(y++, 0, COLS, "Lines", A_BOLD | A_UNDERLINE, 1);
	if (os->nlines == 0)
		tui_put(y++, 2, COLS - 2, "(no lines: pick a candidate or A "
		    "to add one; F copies the last order)", A_DIM, 1);
	for (k = 0; k < os->nlines && y < LINES - 2; k++) {
		const struct order_line *l = &os->lines[k];

		snprintf(buf, sizeof(buf), "%c%2d. %5s %-7.7s %-12s %s",
		    k == os->cur ? '>' : ' ', l->no, qty_format(l->qty, q),
		    l->unit ? l->unit : "", l->sku ? l->sku : "?",
		    l->name ? l->name : "(no product: pick one)");
		tui_put(y++, 0, COLS, buf, k == os->cur ? A_REVERSE :
		    A_NORMAL, 1);
	}
	if (os->nflags > 0 && y < LINES - 2)
		tui_put(y++, 0, COLS, "Open flags (1-9 picks a candidate)",
		    A_BOLD | A_UNDERLINE, 1);
	for (k = 0; k < os->nflags && y < LINES - 2; k++) {
		attr_t fa = os->t->colors ?
		    (attr_t)COLOR_PAIR(TUI_PAIR_FLAG) : A_BOLD;

		snprintf(buf, sizeof(buf), " ! %s: %s", os->flags[k].code,
		    os->flags[k].text ? os->flags[k].text : "");
		tui_put(y++, 0, COLS, buf, fa, 1);
		for (i = 0; i < (int)os->ncands && y < LINES - 2; i++) {
			const struct order_cand *c = &os->cands[i];

			if (strcmp(c->code, os->flags[k].code) != 0 ||
			    c->line != os->flags[k].line)
				continue;
			snprintf(buf, sizeof(buf), "     [%d] %-14s %s", i + 1,
			    c->sku, c->name ? c->name : "");
			tui_put(y++, 0, COLS, buf, A_NORMAL, 1);
		}
	}
	tui_bar(LINES - 2, " a:approve m:ask r:reject 1-9:pick s:sku e:qty "
	    "d:del A:add u:undo ?:keys q:back", NULL);
	tui_msg_draw(os->t, LINES - 1);
	refresh();
}

/* Run one action with the view's version; report and reload. */
static int
order_done(struct order_screen *os, int rc, struct err *err,
    const char *done)
{
	if (rc == -1) {
		tui_msg(os->t, 1, "%s", err->msg);
		if (err->cls == ERR_TEMP)
			os->stale = 1;
		return -1;
	}
	tui_msg(os->t, 0, "%s %s", os->ref, done);
	order_load(os);
	return 0;
}

/* The order as this screen shows it: the version the operator saw. */
static struct review_target
order_target(const struct order_screen *os)
{
	struct review_target t;

	t.order_id = os->id;
	t.version = os->version;
	return t;
}

static const char *
order_reply_note(struct order_screen *os, const struct review_result *res,
    const char *kind)
{
	static char note[128];

	if (res->outbox_id > 0)
		snprintf(note, sizeof(note), "%s queued in the outbox", kind);
	else if (os->t->conf->review->replies == NULL)
		snprintf(note, sizeof(note), "no %s: replies are off", kind);
	else
		snprintf(note, sizeof(note), "no %s (reply policy)", kind);
	return note;
}

static int
order_set_line(struct order_screen *os, int line, const char *sku,
    double qty, enum review_edit_op op)
{
	const struct tui_conf *tc = os->t->conf;
	struct review_target t = order_target(os);
	struct review_result res;
	struct review_edit e;
	struct err err;
	char *words = NULL;
	int rc, no = 0;

	memset(&e, 0, sizeof(e));
	e.op = op;
	e.line = line;
	e.sku = sku;
	e.quantity = qty;
	if (op == REVIEW_LINE_SET && sku != NULL &&
	    tc->line_words != NULL)
		e.alias = words = tc->line_words(tc->words_arg, os->t->st,
		    os->id, line);
	err_clear(&err);
	rc = review_edit(tc->review, &t, &e, &res, &err);
	no = res.line;
	if (rc == 0) {
		if (words != NULL)
			tui_msg(os->t, 0, "line %d is %s now; learned '%s' for "
			    "this customer", no, sku, words);
		else
			tui_msg(os->t, 0, "line %d %s", no, op ==
			    REVIEW_LINE_ADD ? "added" : op ==
			    REVIEW_LINE_DELETE ? "deleted" :
			    "changed");
		order_load(os);
	} else {
		tui_msg(os->t, 1, "%s", err.msg);
		if (err.cls == ERR_TEMP)
			os->stale = 1;
	}
	free(words);
	return 0;
}

static struct order_line *
order_cur(struct order_screen *os)
{
	if (os->nlines == 0) {
		tui_msg(os->t, 1, "no line selected");
		return NULL;
	}
	return &os->lines[os->cur];
}

static int
order_down(void *arg)
{
	struct order_screen *os = arg;

	if (os->cur + 1 < os->nlines)
		os->cur++;
	return 0;
}

static int
order_up(void *arg)
{
	struct order_screen *os = arg;

	if (os->cur > 0)
		os->cur--;
	return 0;
}

static int
order_page_down(void *arg)
{
	((struct order_screen *)arg)->scroll += 3;
	return 0;
}

static int
order_page_up(void *arg)
{
	struct order_screen *os = arg;

	os->scroll = os->scroll > 3 ? os->scroll - 3 : 0;
	return 0;
}

/* 1-9: the candidate fills its flag's line, or becomes a new line when
 * the flag has none (a reference to an earlier order). */
static int
order_pick(struct order_screen *os, int n)
{
	const struct order_cand *c;

	if (n < 1 || (size_t)n > os->ncands) {
		tui_msg(os->t, 1, "no candidate %d", n);
		return 0;
	}
	c = &os->cands[n - 1];
	if (c->line > 0)
		return order_set_line(os, c->line, c->sku, 0,
		    REVIEW_LINE_SET);
	return order_set_line(os, 0, c->sku, 0, REVIEW_LINE_ADD);
}

#define PICK_FN(n) \
static int order_pick##n(void *arg) { return order_pick(arg, n); }
PICK_FN(1) PICK_FN(2) PICK_FN(3) PICK_FN(4) PICK_FN(5)
PICK_FN(6) PICK_FN(7) PICK_FN(8) PICK_FN(9)

static int
order_sku(void *arg)
{
	struct order_screen *os = arg;
	struct order_line *l;
	char words[128], sku[64];

	if ((l = order_cur(os)) == NULL)
		return 0;
	if (tui_prompt_with(os->t, "search the catalog for: ",
	    l->text != NULL ? l->text : l->name, words, sizeof(words)) == -1)
		return 0;
	if (tui_pick_run(os->t, words, sku, sizeof(sku)) == 1)
		order_set_line(os, l->no, sku, 0, REVIEW_LINE_SET);
	return 0;
}

static int
order_add(void *arg)
{
	struct order_screen *os = arg;
	char words[128], sku[64];

	if (tui_prompt(os->t, "add a product; search the catalog for: ",
	    words, sizeof(words)) == -1)
		return 0;
	if (tui_pick_run(os->t, words, sku, sizeof(sku)) == 1)
		order_set_line(os, 0, sku, 0, REVIEW_LINE_ADD);
	return 0;
}

static int
order_qty(void *arg)
{
	struct order_screen *os = arg;
	struct order_line *l;
	char buf[32], now[QTY_FMT_MAX];
	double q;

	if ((l = order_cur(os)) == NULL)
		return 0;
	if (tui_prompt_with(os->t, "quantity: ", qty_format(l->qty, now),
	    buf, sizeof(buf)) == -1)
		return 0;
	if (qty_parse(buf, &q) == -1) {
		tui_msg(os->t, 1, "'%s' is not a quantity (up to %.0f)", buf,
		    QTY_MAX);
		return 0;
	}
	return order_set_line(os, l->no, NULL, q, REVIEW_LINE_SET);
}

static int
order_delete(void *arg)
{
	struct order_screen *os = arg;
	struct order_line *l;
	char q[64];

	if ((l = order_cur(os)) == NULL)
		return 0;
	snprintf(q, sizeof(q), "delete line %d? (y/n) ", l->no);
	if (!tui_confirm(os->t, q)) {
		tui_msg(os->t, 0, "kept");
		return 0;
	}
	return order_set_line(os, l->no, NULL, 0, REVIEW_LINE_DELETE);
}

/* The operator's optional note for an approve or a shipment: *note_r
 * is NULL when they pressed Enter alone; -1 when they cancelled. */
static int
order_note_prompt(struct order_screen *os, char *buf, size_t size,
    const char **note_r)
{
	if (tui_prompt_optional(os->t, "note for the customer (Enter: "
	    "none): ", buf, size) == -1)
		return -1;
	*note_r = buf[0] != '\0' ? buf : NULL;
	return 0;
}

static int
order_approve_with(struct order_screen *os, const char *note)
{
	struct review_target t = order_target(os);
	struct review_result res;
	struct err err;
	char done[256];
	int rc;

	err_clear(&err);
	rc = review_approve_note(os->t->conf->review, &t, note, &res, &err);
	snprintf(done, sizeof(done), "approved%s; %s", note != NULL ?
	    " with your note" : "", order_reply_note(os, &res,
	    "confirmation"));
	order_done(os, rc, &err, done);
	return 0;
}

static int
order_approve(void *arg)
{
	return order_approve_with(arg, NULL);
}

/* N: approve with the operator's line in the confirmation ("Thanks
 * Dana, the new blend is in this week"), as approve --note does; a
 * key of its own, so that a plain approve asks nothing. */
static int
order_approve_note(void *arg)
{
	struct order_screen *os = arg;
	char note[512];
	const char *n;

	if (order_note_prompt(os, note, sizeof(note), &n) == -1)
		return 0;
	return order_approve_with(os, n);
}

/*
 * What the editor opens with for a question: nothing the customer would
 * read but what the operator writes.  The question template adds the
 * greeting, the order number and the sign-off; what is unclear and the
 * customer's words are below the scissors line, which is dropped with
 * all that follows it (a '#' line the operator writes above it is kept).
 */
static char *
order_question(const struct order_screen *os)
{
	struct buf b;
	const char *p, *q;
	size_t i;

	buf_init(&b, BUF_NOLIMIT);
	buf_adds(&b, "\n" TUI_SCISSORS "\n# Write your question to the "
	    "customer above that line.  The greeting,\n# the order number and "
	    "the sign-off are added for you.  That line and\n# all below it "
	    "are dropped; an empty message sends nothing.\n#\n"
	    "# What is unclear:\n");
	for (i = 0; i < os->nflags; i++)
		buf_addf(&b, "#   %s: %s\n", os->flags[i].code,
		    os->flags[i].text ? os->flags[i].text : "");
	buf_adds(&b, "#\n# They wrote:\n");
	for (p = os->text != NULL ? os->text : ""; *p != '\0'; p = q) {
		if ((q = strchr(p, '\n')) == NULL)
			q = p + strlen(p);
		buf_adds(&b, "#   ");
		buf_add(&b, p, (size_t)(q - p));
		buf_addc(&b, '\n');
		if (*q == '\n')
			q++;
	}
	return buf_detach(&b, NULL);
}

static int
order_ask(void *arg)
{
	struct order_screen *os = arg;
	struct review_target t = order_target(os);
	struct review_result res;
	struct err err;
	char *initial, *text;
	char done[256];
	int rc;

	initial = order_question(os);
	rc = tui_edit_text(os->t, initial, &text);
	free(initial);
	if (rc == -1)
		return 0;
	if (!tui_confirm(os->t, "send this question? (y/n) ")) {
		tui_msg(os->t, 0, "nothing sent");
		free(text);
		return 0;
	}
	err_clear(&err);
	rc = review_ask(os->t->conf->review, &t, text, &res, &err);
	snprintf(done, sizeof(done), "%s; the order stays waiting",
	    order_reply_note(os, &res, "question"));
	order_done(os, rc, &err, done);
	free(text);
	return 0;
}

static int
order_reject(void *arg)
{
	struct order_screen *os = arg;
	struct review_target t = order_target(os);
	struct err err;
	char reason[256];
	int rc;

	if (tui_prompt(os->t, "reject: reason (for the audit log): ",
	    reason, sizeof(reason)) == -1)
		return 0;
	err_clear(&err);
	rc = review_reject(os->t->conf->review, &t, reason, NULL, NULL, &err);
	order_done(os, rc, &err, "rejected");
	return 0;
}

static int
order_undo(void *arg)
{
	struct order_screen *os = arg;
	struct review_target t = order_target(os);
	struct review_result res;
	struct err err;
	char done[256];
	int rc;

	err_clear(&err);
	rc = review_undo(os->t->conf->review, &t, &res, &err);
	snprintf(done, sizeof(done), "%s undone", rc == 0 ? res.undone : "");
	order_done(os, rc, &err, done);
	return 0;
}

/* F: "same as last time" in one key: the lines of the customer's last
 * order, with their quantities (U: their usual basket), to edit. */
static int
order_fill_with(struct order_screen *os, int usual)
{
	struct review_target t = order_target(os);
	struct review_fill f;
	struct review_result res;
	struct err err;
	char done[128];
	int rc;

	memset(&f, 0, sizeof(f));
	f.usual = usual;
	err_clear(&err);
	rc = review_fill(os->t->conf->review, &t, &f, &res, &err);
	snprintf(done, sizeof(done), "%d line%s copied from %s (u undoes)",
	    rc == 0 ? res.line : 0, rc == 0 && res.line == 1 ? "" : "s",
	    usual ? "the usual basket" : "the last order");
	order_done(os, rc, &err, done);
	return 0;
}

static int
order_fill(void *arg)
{
	return order_fill_with(arg, 0);
}

static int
order_fill_usual(void *arg)
{
	return order_fill_with(arg, 1);
}

/* t: ship an accepted order: carrier, tracking number, for a carrier
 * mailorder does not know the tracking link (checked before anything is
 * queued, as mailorder ship does), and an optional note for the
 * customer. */
static int
order_ship(void *arg)
{
	struct order_screen *os = arg;
	const struct config *conf = os->t->conf->config;
	struct review_target t = order_target(os);
	struct review_shipment sh;
	struct review_result res;
	struct err err;
	char carrier[64], tracking[80], pattern[256], q[1280], done[256];
	char known[1024], note[512];
	const char *why;
	char *url;
	int rc;

	if (tui_prompt(os->t, "ship: carrier: ", carrier,
	    sizeof(carrier)) == -1 ||
	    tui_prompt(os->t, "tracking number: ", tracking,
	    sizeof(tracking)) == -1)
		return 0;
	if (!carrier_tracking_ok(tracking)) {
		tui_msg(os->t, 1, "'%s' is not a tracking number (letters, "
		    "digits and '-', at most 64)", tracking);
		return 0;
	}
	pattern[0] = '\0';
	if (carrier_pattern(conf, carrier) == NULL) {
		carrier_known(conf, known, sizeof(known));
		snprintf(q, sizeof(q), "%s is not one of %s: its tracking link "
		    "with {tracking}: ", carrier, known);
		if (tui_prompt(os->t, q, pattern, sizeof(pattern)) == -1)
			return 0;
		if ((why = carrier_pattern_bad(pattern)) != NULL) {
			tui_msg(os->t, 1, "%s", why);
			return 0;
		}
	}
	memset(&sh, 0, sizeof(sh));
	if (order_note_prompt(os, note, sizeof(note), &sh.note) == -1)
		return 0;
	sh.carrier = carrier_name(conf, carrier);
	sh.tracking = tracking;
	url = carrier_link(conf, sh.carrier, tracking,
	    pattern[0] ? pattern : NULL);
	sh.url = url;
	err_clear(&err);
	rc = review_ship(os->t->conf->review, &t, &sh, &res, &err);
	snprintf(done, sizeof(done), "shipped with %s %s; %s", sh.carrier,
	    tracking, order_reply_note(os, &res, "shipping notice"));
	order_done(os, rc, &err, done);
	free(url);
	return 0;
}

/* S: send the reply policy held back, or put a failed one back in the
 * outbox (as mailorder send does); once, after a y. */
static int
order_send(void *arg)
{
	struct order_screen *os = arg;
	struct err err;
	char what[128];

	if (!tui_confirm(os->t, "send its held or failed reply now? y/n "))
		return 0;
	err_clear(&err);
	if (review_send(os->t->conf->review, os->id, 0, what, sizeof(what),
	    &err) == -1) {
		tui_msg(os->t, 1, "%s", err.msg);
		return 0;
	}
	tui_msg(os->t, 0, "%s", what);
	order_load(os);
	return 0;
}

/*
 * n: who the sender is.  "ACME" names a customer; "NEWCAFE Corner Cafe"
 * (an ID that is not there and a name) creates one, and an ID alone that
 * is not there asks for the name.  Then the sender's address is
 * remembered, or on y the whole domain, for the next mail.
 */
static int
order_assign(void *arg)
{
	struct order_screen *os = arg;
	struct review_target t = order_target(os);
	struct err err;
	char answer[192], name[128], q[256], done[320], dom[128];
	char cid[STORE_CUSTOMER_ID_MAX];
	char *id, *nm = NULL;
	const char *addr = NULL, *at;
	int rc;

	snprintf(q, sizeof(q), "%s is customer (ID; ID and name for a new "
	    "one): ", os->from ? os->from : "the sender");
	if (tui_prompt(os->t, q, answer, sizeof(answer)) == -1)
		return 0;
	id = answer + strspn(answer, " ");
	if ((nm = strchr(id, ' ')) != NULL) {
		*nm++ = '\0';
		nm += strspn(nm, " ");
		if (*nm == '\0')
			nm = NULL;
	}
	err_clear(&err);
	if ((rc = store_customer_lookup(os->t->st, id, cid, sizeof(cid),
	    &err)) == -1) {
		order_done(os, -1, &err, NULL);
		return 0;
	}
	if (rc == 0 && nm == NULL) {
		snprintf(q, sizeof(q), "new customer %s: name: ", id);
		if (tui_prompt(os->t, q, name, sizeof(name)) == -1)
			return 0;
		nm = name;
	}
	if (os->from != NULL && (at = strrchr(os->from, '@')) != NULL &&
	    strlen(at) < sizeof(dom)) {
		snprintf(q, sizeof(q), "every address at %s too (not for "
		    "gmail and the like)? y/n ", at);
		if (tui_confirm(os->t, q)) {
			snprintf(dom, sizeof(dom), "%s", at);
			addr = dom;
		}
	}
	rc = review_assign(os->t->conf->review, &t, addr, id, rc == 0 ? nm :
	    NULL, NULL, &err);
	snprintf(done, sizeof(done), "is %s's now (%s is remembered)", cid,
	    addr != NULL ? addr : "the address");
	order_done(os, rc, &err, done);
	return 0;
}

/* c: the pane shows the conversation (every mail in and out, with times
 * and the answers' text), or the email again. */
static int
order_conversation(void *arg)
{
	struct order_screen *os = arg;

	os->conv = !os->conv;
	os->scroll = 0;
	tui_msg(os->t, 0, os->conv ? "the conversation; c: the email again" :
	    "the email");
	return 0;
}

static int
order_reload(void *arg)
{
	struct order_screen *os = arg;

	order_load(os);
	tui_msg(os->t, 0, "reloaded (version %d)", os->version);
	return 0;
}

static int
order_help(void *arg)
{
	tui_help_run(((struct order_screen *)arg)->t);
	return 0;
}

static int
order_back(void *arg)
{
	return 1;
}

const struct tui_key tui_order_keys[] = {
	{ 'j',		"j, Down",	"next line",			order_down },
	{ KEY_DOWN,	"",		NULL,				order_down },
	{ 'k',		"k, Up",	"previous line",		order_up },
	{ KEY_UP,	"",		NULL,				order_up },
	{ ' ',		"Space, PgDn",	"scroll the email down",	order_page_down },
	{ KEY_NPAGE,	"",		NULL,				order_page_down },
	{ '-',		"-, PgUp",	"scroll the email up",		order_page_up },
	{ KEY_PPAGE,	"",		NULL,				order_page_up },
	{ '1',		"1-9",		"pick that candidate (fills its line, "
					"or adds one)",			order_pick1 },
	{ '2',		"",		NULL,				order_pick2 },
	{ '3',		"",		NULL,				order_pick3 },
	{ '4',		"",		NULL,				order_pick4 },
	{ '5',		"",		NULL,				order_pick5 },
	{ '6',		"",		NULL,				order_pick6 },
	{ '7',		"",		NULL,				order_pick7 },
	{ '8',		"",		NULL,				order_pick8 },
	{ '9',		"",		NULL,				order_pick9 },
	{ 's',		"s",		"search the catalog for the line's "
					"product",			order_sku },
	{ 'e',		"e",		"change the line's quantity",	order_qty },
	{ 'd',		"d",		"delete the line",		order_delete },
	{ 'A',		"A",		"add a line from the catalog",	order_add },
	{ 'F',		"F",		"copy the last order's lines (same as "
					"last time)",			order_fill },
	{ 'U',		"U",		"copy the customer's usual basket",
	    order_fill_usual },
	{ 'a',		"a",		"approve: accept and confirm",	order_approve },
	{ 'N',		"N",		"approve with a note for the customer",
	    order_approve_note },
	{ 'm',		"m",		"ask the customer ($EDITOR)",	order_ask },
	{ 'r',		"r",		"reject with a reason",		order_reject },
	{ 'u',		"u",		"undo the last action",		order_undo },
	{ 't',		"t",		"ship: carrier, tracking number, note",
	    order_ship },
	{ 'S',		"S",		"send its held or failed reply",
	    order_send },
	{ 'n',		"n",		"the sender is customer (or a new one)",
	    order_assign },
	{ 'c',		"c",		"the conversation, or the email",
	    order_conversation },
	{ 'R',		"R, ^L",	"reload",			order_reload },
	{ 12,		"",		NULL,				order_reload },
	{ '?',		"?",		"this help",			order_help },
	{ 'q',		"q, Esc",	"back to the list",		order_back },
	{ 27,		"",		NULL,				order_back },
	{ 0,		NULL,		NULL,				NULL },
};

void
tui_order_run(struct tui *t, int64_t id)
{
	struct order_screen os;
	const struct tui_key *k;
	int ch, opened;

	memset(&os, 0, sizeof(os));
	os.t = t;
	os.id = id;
	t->msg[0] = '\0';
	order_load(&os);
	opened = os.version;
	(void)opened;
	for (;;) {
		order_draw(&os);
		ch = getch();
		if (ch == ERR) {
			/* Someone else committed: say so if it was this
			 * order, but keep what the operator is looking at. */
			if (tui_changed(t) && !os.gone) {
				struct order_screen probe;

				memset(&probe, 0, sizeof(probe));
				probe.t = t;
				probe.id = id;
				order_load(&probe);
				if (probe.version != os.version)
					os.stale = 1;
				order_clear(&probe);
			}
			continue;
		}
		if (ch == KEY_RESIZE)
			continue;
		t->msg[0] = '\0';
		if (os.gone)
			break;
		if ((k = tui_key_find(tui_order_keys, ch)) == NULL) {
			tui_msg(t, 0, "no action on that key; ? lists them");
			continue;
		}
		if (k->fn(&os) == 1)
			break;
	}
	order_clear(&os);
}

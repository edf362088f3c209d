/*
 * Tables: order lines that come as rows of cells.  HTML tables reach
 * here with their cells joined by " | ", spreadsheets pasted into a mail
 * with tabs, and hand-made tables with columns aligned by spaces.
 *
 * A header row gives each column its role (the `column` words of the
 * rule files: "Qty", "Description", "Item code", "Unit", "Price",
 * "Line").  Without one, the roles are read from what the columns hold:
 * numbers counting 1, 2, 3 are line numbers, amounts with decimals are
 * prices, the one other column of numbers is the quantity, and the text
 * column that names products is the item.  When the roles cannot be
 * told apart, the rows are reported unread instead of guessed.  A size
 * in an item cell ("12oz cups") is never the quantity: the quantity
 * comes from its own column.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/xmalloc.h"
#include "rules/rules_int.h"

#define TABLE_CELLS_MAX	16
#define TABLE_ROWS_MAX	1000

enum cell_sep {
	SEP_NONE = 0,
	SEP_TAB,
	SEP_PIPE,
	SEP_SPACES,
};

struct tcell {
	size_t	so, eo;		/* offsets in the text, trimmed */
};

struct trow {
	size_t		line;		/* index into lines */
	size_t		ncells;
	struct tcell	cells[TABLE_CELLS_MAX];
};

struct table {
	struct rules_ctx	*x;
	enum cell_sep		 sep;
	struct trow		*rows;
	size_t			 nrows;
	size_t			 ncols;
	int			 header;	/* rows[0] is the header */
	enum rules_role		 role[TABLE_CELLS_MAX];
	size_t			 colstart[TABLE_CELLS_MAX];	/* SEP_SPACES */
};

static void
cell_add(struct trow *r, const char *t, size_t so, size_t eo)
{
	while (so < eo && isspace((unsigned char)t[so]))
		so++;
	while (eo > so && isspace((unsigned char)t[eo - 1]))
		eo--;
	if (r->ncells < TABLE_CELLS_MAX) {
		r->cells[r->ncells].so = so;
		r->cells[r->ncells].eo = eo;
	}
	r->ncells++;
}

/* A line of "-", "=", "_", "+", "|" and ":" only: a table's rule. */
static int
line_is_rule(const char *s, size_t len)
{
	size_t i, marks = 0;

	for (i = 0; i < len; i++) {
		if (strchr("-=_", s[i]) != NULL)
			marks++;
		else if (strchr("+|: \t", s[i]) == NULL)
			return 0;
	}
	return marks >= 3;
}

/* How a line separates cells: tabs win, then pipes, then runs of two or
 * more spaces inside the line. */
static enum cell_sep
line_sep(const char *s, size_t len)
{
	size_t i;
	int spaces = 0;

	if (memchr(s, '\t', len) != NULL)
		return SEP_TAB;
	if (memchr(s, '|', len) != NULL)
		return SEP_PIPE;
	for (i = 0; i < len && isspace((unsigned char)s[i]); i++)
		;
	for (; i + 1 < len; i++)
		if (s[i] == ' ' && s[i + 1] == ' ')
			spaces = 1;
	return spaces ? SEP_SPACES : SEP_NONE;
}

/* Cut text[off, off + len) into cells; empty cells count, except the ones
 * a pipe puts at either end ("| a | b |"). */
static void
row_split(const char *t, size_t off, size_t len, enum cell_sep sep,
    struct trow *r)
{
	size_t i, start = off, end = off + len;

	r->ncells = 0;
	if (sep == SEP_PIPE) {
		while (start < end && isspace((unsigned char)t[start]))
			start++;
		while (end > start && isspace((unsigned char)t[end - 1]))
			end--;
		if (start < end && t[start] == '|')
			start++;
		if (end > start && t[end - 1] == '|')
			end--;
	} else {
		while (start < end && isspace((unsigned char)t[start]))
			start++;
	}
	for (i = start; i < end; i++) {
		if (sep == SEP_TAB && t[i] == '\t') {
			cell_add(r, t, start, i);
			while (i + 1 < end && t[i + 1] == '\t')
				i++;
			start = i + 1;
		} else if (sep == SEP_PIPE && t[i] == '|') {
			cell_add(r, t, start, i);
			start = i + 1;
		} else if (sep == SEP_SPACES && t[i] == ' ' && i + 1 < end &&
		    t[i + 1] == ' ') {
			cell_add(r, t, start, i);
			while (i + 1 < end && t[i + 1] == ' ')
				i++;
			start = i + 1;
		}
	}
	cell_add(r, t, start, end);
	if (r->ncells > TABLE_CELLS_MAX)
		r->ncells = TABLE_CELLS_MAX;
}

static const char *
cell_text(const struct table *tb, const struct tcell *c, size_t *len_r)
{
	*len_r = c->eo - c->so;
	return tb->x->text + c->so;
}

static int
cell_empty(const struct tcell *c)
{
	return c->eo == c->so;
}

/* "-", "—", "n/a": an order form's way of saying none. */
static int
cell_blank(const struct table *tb, const struct tcell *c)
{
	const char *s;
	size_t n;

	s = cell_text(tb, c, &n);
	return n == 0 || (n == 1 && (s[0] == '-' || s[0] == '0')) ||
	    (n == 3 && strncmp(s, "\xe2\x80\x94", 3) == 0) ||
	    (n == 3 && strncasecmp(s, "n/a", 3) == 0);
}

static double
cell_quantity(const struct table *tb, const struct tcell *c,
    const char **unit_r)
{
	const char *s;
	size_t n;

	s = cell_text(tb, c, &n);
	return rules_quantity_cell(tb->x->rs, s, n, unit_r);
}

/* "$4.50", "4.50", "€12", "12.00 EUR": money, not a quantity. */
static int
cell_is_price(const struct table *tb, const struct tcell *c)
{
	const char *s;
	size_t n, i, dot = 0;

	s = cell_text(tb, c, &n);
	if (n == 0)
		return 0;
	/* The cell is a span of the text, not a string: nothing after it
	 * may be read (the text need not be NUL-terminated, and the next
	 * cell's euro sign is not this one's). */
	if (memchr(s, '$', n) != NULL || memchr(s, '\xa3', n) != NULL ||
	    memmem(s, n, "\xe2\x82\xac", 3) != NULL)
		return 1;
	for (i = 0; i < n; i++) {
		if (s[i] == '.' || s[i] == ',')
			dot = i + 1;
		else if (!isdigit((unsigned char)s[i]))
			return 0;
	}
	return dot > 0 && n - dot == 2;
}

/* One word with a digit or a dash and no spaces: "HB-1KG", "A1234". */
static int
cell_is_code(const struct table *tb, const struct tcell *c)
{
	const char *s;
	size_t n, i;
	int digit = 0, alpha = 0;

	s = cell_text(tb, c, &n);
	if (n == 0 || n > 32)
		return 0;
	for (i = 0; i < n; i++) {
		if (isspace((unsigned char)s[i]))
			return 0;
		if (isdigit((unsigned char)s[i]))
			digit = 1;
		else if (isalpha((unsigned char)s[i]))
			alpha = 1;
	}
	return digit && (alpha || memchr(s, '-', n) != NULL);
}

static int
cell_has_letter(const struct table *tb, const struct tcell *c)
{
	const char *s;
	size_t n, i;

	s = cell_text(tb, c, &n);
	for (i = 0; i < n; i++)
		if (isalpha((unsigned char)s[i]) || (unsigned char)s[i] >= 0xc0)
			return 1;
	return 0;
}

/* The header's roles: every non-empty cell must be a column word, and at
 * least one of them must name a quantity or an item. */
static int
table_header(struct table *tb, const struct trow *r)
{
	const char *s;
	size_t i, n, named = 0;
	enum rules_role role;
	int useful = 0;

	for (i = 0; i < r->ncells; i++) {
		tb->role[i] = ROLE_NONE;
		if (cell_empty(&r->cells[i]))
			continue;
		s = cell_text(tb, &r->cells[i], &n);
		if ((role = rules_column_role(tb->x->rs, s, n)) == ROLE_NONE)
			return 0;
		tb->role[i] = role;
		named++;
		if (role == ROLE_QUANTITY || role == ROLE_ITEM ||
		    role == ROLE_CODE)
			useful = 1;
	}
	return named > 0 && useful;
}

/* Column by column, what the data rows hold; see the top of the file. */
struct colstat {
	size_t	qty, price, code, text, filled;
	size_t	measure;	/* quantities in a measure: "750ml", "2kg" */
	int	seq;		/* 1, 2, 3 ... down the rows */
	double	mention;	/* the lexicon's scores, summed */
};

static void
table_colstats(struct table *tb, size_t first, struct colstat *cs)
{
	const char *unit;
	double q = 0;
	size_t r, c;

	memset(cs, 0, sizeof(*cs) * TABLE_CELLS_MAX);
	for (c = 0; c < tb->ncols; c++)
		cs[c].seq = 1;
	for (r = first; r < tb->nrows; r++) {
		for (c = 0; c < tb->ncols && c < tb->rows[r].ncells; c++) {
			const struct tcell *cl = &tb->rows[r].cells[c];
			struct rules_mention m;

			if (cell_empty(cl))
				continue;
			cs[c].filled++;
			q = -1;
			if (cell_is_price(tb, cl))
				cs[c].price++;
			else if ((q = cell_quantity(tb, cl, &unit)) > 0) {
				cs[c].qty++;
				if (unit != NULL &&
				    rules_unit_is_measure(tb->x->rs, unit))
					cs[c].measure++;
				if (q != (double)(r - first + 1))
					cs[c].seq = 0;
			} else if (cell_is_code(tb, cl))
				cs[c].code++;
			if (cell_has_letter(tb, cl)) {
				cs[c].text++;
				cs[c].mention += rules_ctx_mention(tb->x, cl->so,
				    cl->eo - cl->so, &m);
			}
			if (!(q > 0))
				cs[c].seq = 0;
		}
	}
}

enum infer {
	INFER_NONE,		/* no column of quantities: not an order table */
	INFER_UNSURE,		/* quantities, but which column is which? */
	INFER_OK,
};

/* How many quantity columns hold only measures ("750ml"). */
static size_t
table_measures(const struct table *tb, const struct colstat *cs)
{
	size_t c, n = 0;

	for (c = 0; c < tb->ncols; c++)
		if (tb->role[c] == ROLE_QUANTITY && cs[c].filled > 0 &&
		    cs[c].measure == cs[c].filled)
			n++;
	return n;
}

/* Roles without a header. */
static enum infer
table_infer(struct table *tb, size_t first)
{
	struct colstat cs[TABLE_CELLS_MAX];
	size_t c, nrows = tb->nrows - first, nqty = 0, qcol = 0;
	size_t item = TABLE_CELLS_MAX;

	table_colstats(tb, first, cs);
	for (c = 0; c < tb->ncols; c++) {
		tb->role[c] = ROLE_NONE;
		if (cs[c].filled == 0)
			continue;
		if (cs[c].price == cs[c].filled)
			tb->role[c] = ROLE_PRICE;
		else if (cs[c].qty == cs[c].filled) {
			tb->role[c] = ROLE_QUANTITY;
			nqty++;
			qcol = c;
		}
	}
	/* a column of sizes beside one of counts: "Still water glass |
	 * 750ml | 10" is 10 of the 750ml one */
	for (c = 0; c < tb->ncols && nqty > 1; c++)
		if (tb->role[c] == ROLE_QUANTITY &&
		    cs[c].measure == cs[c].filled && nqty > table_measures(
		    tb, cs)) {
			tb->role[c] = ROLE_OTHER;
			nqty--;
		}
	/* several columns of numbers: one counting 1, 2, 3 is the line
	 * number; a single row cannot tell, unless its first cell is 1 */
	if (nqty > 1) {
		for (c = 0; c < tb->ncols && nqty > 1; c++)
			if (tb->role[c] == ROLE_QUANTITY && cs[c].seq &&
			    (nrows > 1 || c == 0)) {
				tb->role[c] = ROLE_LINE;
				nqty--;
			}
		for (c = 0; c < tb->ncols; c++)
			if (tb->role[c] == ROLE_QUANTITY)
				qcol = c;
	}
	if (nqty != 1)
		return nqty == 0 ? INFER_NONE : INFER_UNSURE;
	/* the item: the text column that names products best, else the
	 * one with the most cells of text that are not codes */
	for (c = 0; c < tb->ncols; c++) {
		if (tb->role[c] != ROLE_NONE || cs[c].text == 0)
			continue;
		if (item == TABLE_CELLS_MAX || cs[c].mention > cs[item].mention ||
		    (cs[c].mention == cs[item].mention &&
		    cs[c].text - cs[c].code > cs[item].text - cs[item].code))
			item = c;
	}
	if (item == TABLE_CELLS_MAX)
		return INFER_UNSURE;
	tb->role[item] = ROLE_ITEM;
	for (c = 0; c < tb->ncols; c++)
		if (tb->role[c] == ROLE_NONE && cs[c].code > 0 &&
		    cs[c].code + 1 >= cs[c].filled && c != qcol)
			tb->role[c] = ROLE_CODE;
	return INFER_OK;
}

/* Space-aligned rows do not all have the same cells: a missing cell
 * shifts the rest.  Put each cell in the header column its middle falls
 * in. */
static void
table_align(struct table *tb, struct trow *r)
{
	struct trow out;
	size_t i, k, mid;

	memset(&out, 0, sizeof(out));
	out.line = r->line;
	out.ncells = tb->ncols;
	for (i = 0; i < tb->ncols; i++)
		out.cells[i].so = out.cells[i].eo = 0;
	for (i = 0; i < r->ncells; i++) {
		mid = (r->cells[i].so + r->cells[i].eo) / 2;
		for (k = tb->ncols; k-- > 1; )
			if (mid >= tb->colstart[k])
				break;
		if (out.cells[k].eo == out.cells[k].so)
			out.cells[k] = r->cells[i];
		else
			out.cells[k].eo = r->cells[i].eo;	/* two in one */
	}
	*r = out;
}

/* Find a row's cell for role; NULL when the row has none. */
static const struct tcell *
row_cell(const struct table *tb, const struct trow *r, enum rules_role role)
{
	size_t c;

	for (c = 0; c < tb->ncols && c < r->ncells; c++)
		if (tb->role[c] == role && !cell_empty(&r->cells[c]))
			return &r->cells[c];
	return NULL;
}

static int
table_has_role(const struct table *tb, enum rules_role role)
{
	size_t c;

	for (c = 0; c < tb->ncols; c++)
		if (tb->role[c] == role)
			return 1;
	return 0;
}

/* Which rule says the row orders nothing: 1 an ignore rule (a
 * greeting), 2 a guard (a total, an address), 0 none.  Under a header
 * the rules read the item cell, not the whole row: "2  DR-1KG  Dark
 * Roast" is no street address because its line number and code come
 * first, and a row dropped for that would be an order line lost
 * without a word.  A quantity cell with words in it is read too: the
 * "Subtotal" of a totals block under the table's first column. */
static int
table_row_guard(const struct table *tb, const struct rules_span *ln,
    const struct tcell *ic, const struct tcell *qc)
{
	struct rules_ctx *x = tb->x;
	const char *s[2];
	size_t n[2], k, ns = 0;
	int kind, g;

	if (!tb->header || ic == NULL) {
		s[ns] = x->text + ln->off;
		n[ns++] = ln->len;
	} else {
		s[ns] = x->text + ic->so;
		n[ns++] = ic->eo - ic->so;
		if (qc != NULL && cell_has_letter(tb, qc)) {
			s[ns] = x->text + qc->so;
			n[ns++] = qc->eo - qc->so;
		}
	}
	for (g = 1; g <= 2; g++) {
		kind = g == 1 ? RULE_IGNORE : RULE_GUARD;
		for (k = 0; k < ns; k++)
			if (rules_ctx_match(x, kind, s[k], n[k]))
				return g;
	}
	return 0;
}

/* One data row: a line, nothing (a form row left empty, a total), or an
 * unread span. */
/* Does the row hold a number and words that surely name a product? */
static int
row_names_product(struct rules_ctx *x, const struct rules_span *ln)
{
	struct rules_mention m;

	return rules_ctx_mention(x, ln->off, ln->len, &m) >= RULES_SURE &&
	    !m.weak && rules_text_has_quantity(x->rs, x->text + ln->off,
	    ln->len);
}

static void
table_row(struct table *tb, const struct trow *r,
    const struct rules_span *ln)
{
	struct rules_ctx *x = tb->x;
	const struct tcell *qc, *ic, *cc, *uc;
	const char *unit = NULL, *s;
	const struct rules_word *w;
	struct rules_line *l;
	char *item = NULL;
	size_t n;
	double q;

	qc = row_cell(tb, r, ROLE_QUANTITY);
	ic = row_cell(tb, r, ROLE_ITEM);
	cc = row_cell(tb, r, ROLE_CODE);
	uc = row_cell(tb, r, ROLE_UNIT);
	/* a guard ("Address ...", "Tel ...") keeps a row from being a
	 * line, but a row with a product's words and a number is shown to
	 * a person, never dropped ("Address labels L7160 | 1 box") */
	switch (table_row_guard(tb, ln, ic, qc)) {
	case 1:
		return;
	case 2:
		if (row_names_product(x, ln))
			rules_ctx_residue(x, ln->off, ln->len,
			    RULES_RESIDUE_ROW | RULES_RESIDUE_MENTION);
		return;
	}
	if (ic == NULL && cc == NULL)
		return;		/* nothing ordered on this row */
	/* "PO Number: | 4500118833", "Delivery date | 07/12/2026": the
	 * key-value rows of a purchase order's head, fields not lines */
	if (ic != NULL && (x->text[ic->eo - 1] == ':' || rules_ctx_match(x,
	    RULE_PO, x->text + ln->off, ln->len) || rules_ctx_match(x,
	    RULE_DATE, x->text + ln->off, ln->len)))
		return;
	if (qc == NULL || cell_blank(tb, qc)) {
		/* an order form lists what the customer could order */
		if (!tb->header)
			rules_ctx_residue(x, ln->off, ln->len, RULES_RESIDUE_ROW);
		return;
	}
	if ((q = cell_quantity(tb, qc, &unit)) <= 0 ||
	    q > RULES_QUANTITY_MAX) {
		rules_ctx_residue(x, ln->off, ln->len, RULES_RESIDUE_ROW |
		    RULES_RESIDUE_QUANTITY);
		return;
	}
	if (unit == NULL && uc != NULL) {
		s = cell_text(tb, uc, &n);
		if ((w = rules_word_find(x->rs, WORDS_UNIT, s, n)) != NULL)
			unit = w->canon;
	}
	if (ic == NULL)
		ic = cc;
	item = xstrndup(x->text + ic->so, ic->eo - ic->so);
	l = rules_ctx_line(x, item, ic->so, ic->eo - ic->so, q, unit, ln->off,
	    ln->len, tb->header ? "table-header" : "table");
	free(item);
	if (l != NULL && cc != NULL && cc != ic)
		l->sku = xstrndup(x->text + cc->so, cc->eo - cc->so);
}

/* Collect the rows of the table starting at lines[i]. */
static size_t
table_collect(struct table *tb, const struct rules_span *lines,
    size_t nlines, size_t i)
{
	const char *t = tb->x->text;
	size_t j, used = 0;

	for (j = i; j < nlines && tb->nrows < TABLE_ROWS_MAX; j++) {
		const struct rules_span *ln = &lines[j];
		struct trow *r;

		if (line_is_rule(t + ln->off, ln->len)) {
			used = j - i + 1;
			continue;
		}
		if (line_sep(t + ln->off, ln->len) != tb->sep)
			break;
		tb->rows = xreallocarray(tb->rows, tb->nrows + 1,
		    sizeof(*tb->rows));
		r = &tb->rows[tb->nrows];
		r->line = j;
		row_split(t, ln->off, ln->len, tb->sep, r);
		if (r->ncells < 2)
			break;
		/* a header row starts a table of its own: a document's head
		 * ("PO Number:  4711") right above its table, or the table
		 * head repeated on the next page of a PDF */
		if (j > i && table_header(tb, r))
			break;
		tb->nrows++;
		used = j - i + 1;
	}
	return used;
}

/* Every data row unread: a table whose columns cannot be told apart.
 * Rows with no number and no product's words ("Supplier: | Quire & Co",
 * a purchase order's head) order nothing and are left out. */
static void
table_unread(struct table *tb, const struct rules_span *lines, size_t first)
{
	const struct rules_span *ln;
	size_t r;
	int why;

	for (r = first; r < tb->nrows; r++) {
		ln = &lines[tb->rows[r].line];
		why = rules_ctx_residue_why(tb->x, tb->x->text + ln->off,
		    ln->len);
		if (why & (RULES_RESIDUE_QUANTITY | RULES_RESIDUE_MENTION))
			rules_ctx_residue(tb->x, ln->off, ln->len,
			    RULES_RESIDUE_ROW | why);
	}
}

/* Space-aligned data rows: cells under the header's columns. */
static void
table_align_rows(struct table *tb, const struct rules_span *lines)
{
	size_t r, c, base;

	for (c = 0; c < tb->ncols; c++)
		tb->colstart[c] = tb->rows[0].cells[c].so -
		    lines[tb->rows[0].line].off;
	for (r = 1; r < tb->nrows; r++) {
		base = lines[tb->rows[r].line].off;
		for (c = 0; c < tb->rows[r].ncells; c++) {
			tb->rows[r].cells[c].so -= base;
			tb->rows[r].cells[c].eo -= base;
		}
		table_align(tb, &tb->rows[r]);
		for (c = 0; c < tb->rows[r].ncells; c++) {
			tb->rows[r].cells[c].so += base;
			tb->rows[r].cells[c].eo += base;
		}
	}
}

size_t
rules_table_read(struct rules_ctx *x, const struct rules_span *lines,
    size_t nlines, size_t i, int header_first)
{
	struct table tb;
	enum infer inf = INFER_OK;
	size_t used, r, first;

	memset(&tb, 0, sizeof(tb));
	tb.x = x;
	tb.sep = header_first ? SEP_TAB :
	    line_sep(x->text + lines[i].off, lines[i].len);
	if (tb.sep == SEP_NONE)
		return 0;
	used = table_collect(&tb, lines, nlines, i);
	/* space-aligned columns are only a table over two rows or more */
	if (tb.nrows == 0 || (tb.sep == SEP_SPACES && tb.nrows < 2))
		goto none;
	for (r = 0; r < tb.nrows; r++)
		if (tb.rows[r].ncells > tb.ncols)
			tb.ncols = tb.rows[r].ncells;
	tb.header = table_header(&tb, &tb.rows[0]);
	first = tb.header || header_first ? 1 : 0;
	if (tb.header) {
		tb.ncols = tb.rows[0].ncells;
		if (tb.sep == SEP_SPACES)
			table_align_rows(&tb, lines);
	} else
		inf = table_infer(&tb, first);
	if (inf == INFER_NONE && !header_first)
		goto none;
	/* a space-aligned block that is no readable table is prose */
	if (inf == INFER_UNSURE && tb.sep == SEP_SPACES && !header_first)
		goto none;
	if (inf != INFER_OK || !table_has_role(&tb, ROLE_QUANTITY))
		table_unread(&tb, lines, first);
	else
		for (r = first; r < tb.nrows; r++)
			table_row(&tb, &tb.rows[r], &lines[tb.rows[r].line]);
	free(tb.rows);
	return used;
none:
	free(tb.rows);
	return 0;
}

/*
 * HTML bodies to plain text with libxml2's forgiving HTML parser.  The
 * result has to read like the plain-text part a mail program would have
 * written: one line per paragraph, and one line per table row, because
 * customers paste order tables and the rules match line by line.
 *
 * The tree is walked without recursion (next/parent pointers) so that a
 * hostile, deeply nested document cannot exhaust the stack.
 */
#include "config.h"

#include <limits.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "parser/parser_int.h"

struct html_out {
	struct buf	*out;
	const xmlNode	*row;		/* the simple table row being written */
	int		 ncells;
	int		 quote;		/* <blockquote> depth */
	int		 pre;		/* <pre> depth */
	int		 bol;		/* at the beginning of a line */
	int		 nl;		/* line breaks just written */
	int		 space;		/* a space is owed before the next word */
	int		 full;
};

static int
html_name_is(const xmlNode *n, const char *const *names)
{
	for (; *names != NULL; names++)
		if (strcasecmp((const char *)n->name, *names) == 0)
			return 1;
	return 0;
}

static const char *const html_skipped[] = {
	"script", "style", "head", "title", "noscript", "template", "object",
	NULL
};
static const char *const html_blocks[] = {
	"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3",
	"h4", "h5", "h6", "table", "tr", "blockquote", "pre", "hr",
	"section", "article", "header", "footer", "address", "form",
	"center", "fieldset", "tbody", "thead", "tfoot", "caption", "body",
	NULL
};
static const char *const html_cells[] = { "td", "th", NULL };

static void
html_emit(struct html_out *h, const char *s, size_t n)
{
	if (h->full)
		return;
	if (parser_text_add(h->out, s, n) == -1)
		h->full = 1;
}

static void
html_newline(struct html_out *h, int max)
{
	if (h->nl >= max)
		return;
	html_emit(h, "\n", 1);
	h->nl++;
	h->bol = 1;
	h->space = 0;
}

static void
html_break(struct html_out *h)
{
	if (!h->bol)
		html_newline(h, 1);
}

static void
html_text(struct html_out *h, const char *s)
{
	const char *p, *word;
	int i;

	for (p = s; *p != '\0' && !h->full; ) {
		if (h->pre && *p == '\n') {
			html_newline(h, 2);
			p++;
			continue;
		}
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
		    *p == '\f' || (p[0] == '\xc2' && p[1] == '\xa0')) {
			if (!h->bol || h->pre)
				h->space = 1;
			p += *p == '\xc2' ? 2 : 1;
			continue;
		}
		if (h->bol)
			for (i = 0; i < h->quote; i++)
				html_emit(h, "> ", 2);
		else if (h->space && h->out->len > 0 &&
		    h->out->data[h->out->len - 1] != ' ')
			html_emit(h, " ", 1);
		word = p;
		while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\n' &&
		    *p != '\r' && *p != '\f' &&
		    !(p[0] == '\xc2' && p[1] == '\xa0'))
			p++;
		html_emit(h, word, (size_t)(p - word));
		h->bol = h->nl = h->space = 0;
	}
}

/*
 * A row is written on one line when it is a data row: no nested table,
 * and either several cells or no block structure inside.  Layout tables
 * (one big cell holding the whole mail) keep their paragraphs.
 */
static int
html_row_is_simple(const xmlNode *tr)
{
	const xmlNode *n = tr->children;
	int cells = 0, blocks = 0;

	while (n != NULL && n != tr) {
		if (n->type == XML_ELEMENT_NODE) {
			if (strcasecmp((const char *)n->name, "table") == 0)
				return 0;
			if (n->parent == tr && html_name_is(n, html_cells))
				cells++;
			else if (html_name_is(n, html_blocks) ||
			    strcasecmp((const char *)n->name, "br") == 0)
				blocks++;
			if (n->children != NULL) {
				n = n->children;
				continue;
			}
		}
		while (n != tr && n->next == NULL)
			n = n->parent;
		if (n != tr)
			n = n->next;
	}
	return cells > 1 || blocks == 0;
}

static void
html_enter(struct html_out *h, const xmlNode *n)
{
	const char *name = (const char *)n->name;

	if (h->row != NULL) {
		/* inside a data row everything stays on the line */
		if (html_name_is(n, html_cells)) {
			if (n->parent == h->row && h->ncells++ > 0) {
				html_emit(h, " | ", 3);
				h->space = 0;
			}
		} else if (html_name_is(n, html_blocks) ||
		    strcasecmp(name, "br") == 0)
			h->space = !h->bol;
		return;
	}
	if (strcasecmp(name, "br") == 0) {
		html_newline(h, 2);
		if (h->nl > 1)
			h->nl = 1;
		return;
	}
	if (strcasecmp(name, "tr") == 0 && html_row_is_simple(n)) {
		html_break(h);
		h->row = n;
		h->ncells = 0;
		return;
	}
	if (html_name_is(n, html_blocks) || html_name_is(n, html_cells))
		html_break(h);
	if (strcasecmp(name, "blockquote") == 0)
		h->quote++;
	else if (strcasecmp(name, "pre") == 0)
		h->pre++;
}

static void
html_leave(struct html_out *h, const xmlNode *n)
{
	const char *name = (const char *)n->name;

	if (h->row != NULL) {
		if (n == h->row) {
			h->row = NULL;
			html_break(h);
		}
		return;
	}
	if (strcasecmp(name, "blockquote") == 0 && h->quote > 0) {
		html_break(h);
		h->quote--;
	} else if (strcasecmp(name, "pre") == 0 && h->pre > 0)
		h->pre--;
	if (strcasecmp(name, "p") == 0) {
		html_break(h);
		html_newline(h, 2);	/* a paragraph ends with a blank line */
	} else if (html_name_is(n, html_blocks) || html_name_is(n, html_cells))
		html_break(h);
}

int
parser_html_to_text(const char *html, size_t n, struct buf *out)
{
	struct html_out h;
	htmlDocPtr doc;
	const xmlNode *root, *node;

	if (n == 0)
		return 0;
	if (n > INT_MAX)
		n = INT_MAX;
	doc = htmlReadMemory(html, (int)n, NULL, "UTF-8", HTML_PARSE_RECOVER |
	    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
	    HTML_PARSE_NOBLANKS);
	if (doc == NULL)
		return 0;
	memset(&h, 0, sizeof(h));
	h.out = out;
	h.bol = 1;
	h.nl = 2;		/* no blank lines at the start */
	root = xmlDocGetRootElement(doc);
	for (node = root; node != NULL && !h.full; ) {
		if (node->type == XML_TEXT_NODE ||
		    node->type == XML_CDATA_SECTION_NODE) {
			if (node->content != NULL)
				html_text(&h, (const char *)node->content);
		} else if (node->type == XML_ELEMENT_NODE &&
		    !html_name_is(node, html_skipped)) {
			html_enter(&h, node);
			if (node->children != NULL) {
				node = node->children;
				continue;
			}
			html_leave(&h, node);
		}
		/* climb until a sibling is found, leaving elements */
		while (node != NULL && node->next == NULL) {
			node = node->parent;
			if (node == NULL || node->type != XML_ELEMENT_NODE)
				node = NULL;
			else
				html_leave(&h, node);
			if (node == root)
				node = NULL;
		}
		if (node != NULL)
			node = node->next;
	}
	xmlFreeDoc(doc);
	return h.full ? -1 : 0;
}

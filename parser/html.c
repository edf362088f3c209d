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
	char		 pend[2048];	/* output not yet in out */
	size_t		 npend;
};

enum {
	HTML_SKIP = 1 << 0,	/* not text: script, style, head */
	HTML_BLOCK = 1 << 1,	/* starts and ends a line */
	HTML_CELL = 1 << 2,
	HTML_BR = 1 << 3,
	HTML_TR = 1 << 4,
	HTML_TABLE = 1 << 5,
	HTML_QUOTE = 1 << 6,
	HTML_PRE = 1 << 7,
	HTML_P = 1 << 8,
};

static const struct {
	const char	*name;
	int		 cls;
} html_elements[] = {
	{ "address", HTML_BLOCK }, { "article", HTML_BLOCK },
	{ "blockquote", HTML_BLOCK | HTML_QUOTE }, { "body", HTML_BLOCK },
	{ "br", HTML_BR }, { "caption", HTML_BLOCK },
	{ "center", HTML_BLOCK }, { "dd", HTML_BLOCK }, { "div", HTML_BLOCK },
	{ "dl", HTML_BLOCK }, { "dt", HTML_BLOCK },
	{ "fieldset", HTML_BLOCK }, { "footer", HTML_BLOCK },
	{ "form", HTML_BLOCK }, { "h1", HTML_BLOCK }, { "h2", HTML_BLOCK },
	{ "h3", HTML_BLOCK }, { "h4", HTML_BLOCK }, { "h5", HTML_BLOCK },
	{ "h6", HTML_BLOCK }, { "head", HTML_SKIP }, { "header", HTML_BLOCK },
	{ "hr", HTML_BLOCK }, { "li", HTML_BLOCK }, { "noscript", HTML_SKIP },
	{ "object", HTML_SKIP }, { "ol", HTML_BLOCK },
	{ "p", HTML_BLOCK | HTML_P }, { "pre", HTML_BLOCK | HTML_PRE },
	{ "script", HTML_SKIP }, { "section", HTML_BLOCK },
	{ "style", HTML_SKIP }, { "table", HTML_BLOCK | HTML_TABLE },
	{ "tbody", HTML_BLOCK }, { "td", HTML_CELL },
	{ "template", HTML_SKIP }, { "tfoot", HTML_BLOCK },
	{ "th", HTML_CELL }, { "thead", HTML_BLOCK }, { "title", HTML_SKIP },
	{ "tr", HTML_BLOCK | HTML_TR }, { "ul", HTML_BLOCK },
};

/* The classes of an element; libxml2 gives HTML names in lower case. */
static int
html_class(const xmlNode *n)
{
	const char *name = (const char *)n->name;
	size_t lo = 0, hi = sizeof(html_elements) / sizeof(html_elements[0]);
	size_t mid;
	int c;

	if (name == NULL)
		return 0;
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if ((c = strcmp(name, html_elements[mid].name)) == 0)
			return html_elements[mid].cls;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

static void
html_flush(struct html_out *h)
{
	if (!h->full && h->npend > 0 &&
	    parser_text_add(h->out, h->pend, h->npend) == -1)
		h->full = 1;
	h->npend = 0;
}

/* Output goes through a small buffer: adding word by word to out cost
 * more than libxml2's parse. */
static void
html_emit(struct html_out *h, const char *s, size_t n)
{
	if (h->full)
		return;
	if (h->npend + n > sizeof(h->pend)) {
		html_flush(h);
		if (n > sizeof(h->pend)) {
			if (!h->full && parser_text_add(h->out, s, n) == -1)
				h->full = 1;
			return;
		}
	}
	memcpy(h->pend + h->npend, s, n);
	h->npend += n;
}

static int
html_last_is_space(const struct html_out *h)
{
	if (h->npend > 0)
		return h->pend[h->npend - 1] == ' ';
	return h->out->len > 0 && h->out->data[h->out->len - 1] == ' ';
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
		else if (h->space && !html_last_is_space(h))
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
			int cls = html_class(n);

			if (cls & HTML_TABLE)
				return 0;
			if (n->parent == tr && (cls & HTML_CELL))
				cells++;
			else if (cls & (HTML_BLOCK | HTML_BR))
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
html_enter(struct html_out *h, const xmlNode *n, int cls)
{
	if (h->row != NULL) {
		/* inside a data row everything stays on the line */
		if (cls & HTML_CELL) {
			if (n->parent == h->row && h->ncells++ > 0) {
				html_emit(h, " | ", 3);
				h->space = 0;
			}
		} else if (cls & (HTML_BLOCK | HTML_BR))
			h->space = !h->bol;
		return;
	}
	if (cls & HTML_BR) {
		html_newline(h, 2);
		if (h->nl > 1)
			h->nl = 1;
		return;
	}
	if ((cls & HTML_TR) && html_row_is_simple(n)) {
		html_break(h);
		h->row = n;
		h->ncells = 0;
		return;
	}
	if (cls & (HTML_BLOCK | HTML_CELL))
		html_break(h);
	if (cls & HTML_QUOTE)
		h->quote++;
	else if (cls & HTML_PRE)
		h->pre++;
}

static void
html_leave(struct html_out *h, const xmlNode *n, int cls)
{
	if (h->row != NULL) {
		if (n == h->row) {
			h->row = NULL;
			html_break(h);
		}
		return;
	}
	if ((cls & HTML_QUOTE) && h->quote > 0) {
		html_break(h);
		h->quote--;
	} else if ((cls & HTML_PRE) && h->pre > 0)
		h->pre--;
	if (cls & HTML_P) {
		html_break(h);
		html_newline(h, 2);	/* a paragraph ends with a blank line */
	} else if (cls & (HTML_BLOCK | HTML_CELL))
		html_break(h);
}

/*
 * The fallback when libxml2 gives up (it stops at 256 levels of nesting,
 * for one): drop the tags, keep the text, break lines at the usual tags.
 */
static int
html_strip(const char *html, size_t n, struct buf *out)
{
	static const struct {
		const char	*ent;
		const char	*text;
	} ents[] = {
		{ "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" },
		{ "&quot;", "\"" }, { "&#39;", "'" }, { "&nbsp;", " " },
	};
	struct html_out h;
	const char *p = html, *end = html + n, *q, *gt;
	size_t i, l;

	memset(&h, 0, sizeof(h));
	h.out = out;
	h.bol = 1;
	h.nl = 2;
	while (p < end && !h.full) {
		if (*p == '<') {
			if ((gt = memchr(p, '>', (size_t)(end - p))) == NULL)
				break;
			l = (size_t)(gt - p);
			if ((l >= 7 && strncasecmp(p, "<script", 7) == 0) ||
			    (l >= 6 && strncasecmp(p, "<style", 6) == 0)) {
				q = strcasestr(gt, p[1] == 's' && p[2] == 'c' ?
				    "</script" : "</style");
				if (q == NULL || q >= end)
					break;
				gt = memchr(q, '>', (size_t)(end - q));
				if (gt == NULL)
					break;
			} else if ((l >= 3 && strncasecmp(p, "<br", 3) == 0) ||
			    (l >= 2 && strncasecmp(p, "<p", 2) == 0) ||
			    (l >= 4 && strncasecmp(p, "<div", 4) == 0) ||
			    (l >= 3 && strncasecmp(p, "<tr", 3) == 0) ||
			    (l >= 3 && strncasecmp(p, "<li", 3) == 0))
				html_break(&h);
			p = gt + 1;
			continue;
		}
		q = p;
		while (q < end && *q != '<' && *q != '&')
			q++;
		if (q > p) {
			char tmp[512];

			/* html_text wants a string */
			while (p < q) {
				l = (size_t)(q - p) < sizeof(tmp) - 1 ?
				    (size_t)(q - p) : sizeof(tmp) - 1;
				while (l > 1 && p + l < q &&
				    ((unsigned char)p[l] & 0xc0) == 0x80)
					l--;
				memcpy(tmp, p, l);
				tmp[l] = '\0';
				html_text(&h, tmp);
				p += l;
			}
			continue;
		}
		if (*p == '&') {
			for (i = 0; i < sizeof(ents) / sizeof(ents[0]); i++) {
				l = strlen(ents[i].ent);
				if ((size_t)(end - p) >= l &&
				    strncasecmp(p, ents[i].ent, l) == 0)
					break;
			}
			if (i < sizeof(ents) / sizeof(ents[0])) {
				html_text(&h, ents[i].text);
				p += strlen(ents[i].ent);
			} else {
				html_text(&h, "&");
				p++;
			}
		}
	}
	html_flush(&h);
	return h.full ? -1 : 0;
}

int
parser_html_to_text(const char *html, size_t n, struct buf *out)
{
	struct html_out h;
	htmlDocPtr doc;
	const xmlNode *root, *node;
	size_t start;
	int cls;

	if (n == 0)
		return 0;
	if (n > INT_MAX)
		n = INT_MAX;
	doc = htmlReadMemory(html, (int)n, NULL, "UTF-8", HTML_PARSE_RECOVER |
	    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
	    HTML_PARSE_NOBLANKS | HTML_PARSE_NODEFDTD | HTML_PARSE_COMPACT);
	if (doc == NULL)
		return html_strip(html, n, out);
	start = out->len;
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
		    !((cls = html_class(node)) & HTML_SKIP)) {
			html_enter(&h, node, cls);
			if (node->children != NULL) {
				node = node->children;
				continue;
			}
			html_leave(&h, node, cls);
		}
		/* climb until a sibling is found, leaving elements */
		while (node != NULL && node->next == NULL) {
			node = node->parent;
			if (node == NULL || node->type != XML_ELEMENT_NODE)
				node = NULL;
			else
				html_leave(&h, node, html_class(node));
			if (node == root)
				node = NULL;
		}
		if (node != NULL)
			node = node->next;
	}
	html_flush(&h);
	xmlFreeDoc(doc);
	if (out->len == start && !h.full)
		return html_strip(html, n, out);
	return h.full ? -1 : 0;
}

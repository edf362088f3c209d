/*
 * Reply templates: a small compiler and renderer; see template.h and
 * templates/FORMAT.md.
 *
 * A template compiles to a tree of nodes (text, placeholder, if, each).
 * Every name is resolved at compile time, so rendering is a walk that
 * cannot fail.  A line holding nothing but a block tag ({{#if}}, {{else}},
 * {{/if}}, {{#each}}, {{/each}}, {{! comment}}) leaves no empty line
 * behind, as in Mustache, so templates can be laid out readably.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/utf8.h"
#include "common/xmalloc.h"
#include "reply/template.h"

#define TEMPLATE_MAX	(64 * 1024)
#define TEMPLATE_DEPTH	16

static const char *const tpl_vars[REPLY_VAR_COUNT] = {
	[REPLY_VAR_SHOP_NAME] = "shop_name",
	[REPLY_VAR_SHOP_ADDRESS] = "shop_address",
	[REPLY_VAR_CUSTOMER_NAME] = "customer_name",
	[REPLY_VAR_SENDER_NAME] = "sender_name",
	[REPLY_VAR_GREETING] = "greeting",
	[REPLY_VAR_NOTE] = "note",
	[REPLY_VAR_ORDER_NUMBER] = "order_number",
	[REPLY_VAR_ORDER_DATE] = "order_date",
	[REPLY_VAR_PO_NUMBER] = "po_number",
	[REPLY_VAR_REQUESTED_DATE] = "requested_date",
	[REPLY_VAR_SUBJECT] = "subject",
	[REPLY_VAR_TEXT] = "text",
	[REPLY_VAR_CARRIER] = "carrier",
	[REPLY_VAR_TRACKING] = "tracking",
	[REPLY_VAR_TRACKING_URL] = "tracking_url",
	[REPLY_VAR_LINE_COUNT] = "line_count",
	[REPLY_VAR_PERSON] = "person",
};

static const char *const tpl_line_vars[REPLY_LVAR_COUNT] = {
	[REPLY_LVAR_NUMBER] = "number",
	[REPLY_LVAR_QUANTITY] = "quantity",
	[REPLY_LVAR_UNIT] = "unit",
	[REPLY_LVAR_PRODUCT] = "product",
	[REPLY_LVAR_SKU] = "sku",
	[REPLY_LVAR_WORDS] = "words",
};

enum tpl_kind { TPL_TEXT, TPL_VAR, TPL_LINE_VAR, TPL_IF, TPL_EACH };

struct tpl_node;

struct tpl_list {
	struct tpl_node	*v;
	size_t		 n, cap;
};

struct tpl_node {
	enum tpl_kind	 kind;
	const char	*text;		/* TPL_TEXT: into the template's copy */
	size_t		 len;
	int		 var;		/* TPL_VAR, TPL_LINE_VAR, TPL_IF */
	int		 line_var;	/* TPL_IF on a line placeholder */
	struct tpl_list	 body;		/* TPL_IF (then), TPL_EACH */
	struct tpl_list	 alt;		/* TPL_IF (else) */
};

struct reply_template {
	char		*src;
	struct tpl_list	 top;
};

/* One open block while compiling. */
struct tpl_open {
	struct tpl_node	*node;
	struct tpl_list	*cur;		/* where nodes go now */
	int		 line;
	int		 has_else;
};

static struct tpl_node *
tpl_add(struct tpl_list *l, enum tpl_kind kind)
{
	struct tpl_node *n;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	n = &l->v[l->n++];
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	return n;
}

static void
tpl_list_free(struct tpl_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		tpl_list_free(&l->v[i].body);
		tpl_list_free(&l->v[i].alt);
	}
	free(l->v);
}

void
reply_template_free(struct reply_template *t)
{
	if (t == NULL)
		return;
	tpl_list_free(&t->top);
	free(t->src);
	free(t);
}

static int
tpl_lookup(const char *const *names, int n, const char *name, size_t len)
{
	int i;

	for (i = 0; i < n; i++)
		if (strlen(names[i]) == len && memcmp(names[i], name, len) == 0)
			return i;
	return -1;
}

/* Resolve a placeholder name: *line_r is set when it is a line's. */
static int
tpl_resolve(const char *file, int line, const char *name, size_t len,
    int in_each, int *var_r, int *line_r, struct err *err)
{
	int v;

	if (len == 0)
		return err_set(err, ERR_CONFIG, "%s:%d: empty placeholder",
		    file, line);
	if ((v = tpl_lookup(tpl_line_vars, REPLY_LVAR_COUNT, name,
	    len)) != -1) {
		if (!in_each)
			return err_set(err, ERR_CONFIG, "%s:%d: '%.*s' is only "
			    "known inside {{#each lines}}", file, line,
			    (int)len, name);
		*var_r = v;
		*line_r = 1;
		return 0;
	}
	if ((v = tpl_lookup(tpl_vars, REPLY_VAR_COUNT, name, len)) != -1) {
		*var_r = v;
		*line_r = 0;
		return 0;
	}
	return err_set(err, ERR_CONFIG, "%s:%d: unknown placeholder '%.*s'",
	    file, line, (int)(len > 60 ? 60 : len), name);
}

static int
tpl_is_space(char c)
{
	return c == ' ' || c == '\t';
}

struct reply_template *
reply_template_parse(const char *file, const char *text, size_t len,
    struct err *err)
{
	struct reply_template *t = xcalloc(1, sizeof(*t));
	struct tpl_open stack[TEMPLATE_DEPTH];
	struct tpl_list *cur;
	struct tpl_node *n;
	const char *s, *p, *end, *tag, *tend, *close, *ls, *q, *open;
	size_t bad, tlen;
	int depth = 0, line = 1, in_each = 0, standalone, var, isline, i;

	if (memchr(text, '\0', len) != NULL || !utf8_valid(text, len, &bad)) {
		if (memchr(text, '\0', len) != NULL)
			bad = (size_t)((const char *)memchr(text, '\0', len) -
			    text);
		for (i = 0, p = text; p < text + bad; p++)
			if (*p == '\n')
				i++;
		err_set(err, ERR_CONFIG, "%s:%d: not UTF-8 text", file, i + 1);
		goto fail;
	}
	t->src = xstrndup(text, len);
	s = t->src;
	end = s + len;
	cur = &t->top;
	p = s;
	while (p < end) {
		if ((tag = strstr(p, "{{")) == NULL)
			tag = end;
		/* Count the lines of the text before the tag. */
		for (q = p; q < tag; q++)
			if (*q == '\n')
				line++;
		if (tag == end) {
			if (tag > p) {
				n = tpl_add(cur, TPL_TEXT);
				n->text = p;
				n->len = (size_t)(tag - p);
			}
			break;
		}
		close = strstr(tag + 2, "}}");
		q = memchr(tag + 2, '\n', (size_t)(end - tag - 2));
		if (close == NULL || (q != NULL && q < close)) {
			err_set(err, ERR_CONFIG, "%s:%d: '{{' is not closed by "
			    "'}}' on the same line", file, line);
			goto fail;
		}
		/* The tag's words, trimmed. */
		open = tag;
		tend = close;
		for (tag += 2; tag < tend && tpl_is_space(*tag); tag++)
			;
		while (tend > tag && tpl_is_space(tend[-1]))
			tend--;
		tlen = (size_t)(tend - tag);
		/* A line holding only a block tag vanishes entirely. */
		standalone = 0;
		if (tlen > 0 && strchr("#/!", *tag) != NULL) {
			standalone = 1;
		} else if (tlen == 4 && memcmp(tag, "else", 4) == 0) {
			standalone = 1;
		}
		ls = close + 2;
		if (standalone) {
			for (q = open; q > s && q[-1] != '\n'; q--)
				if (!tpl_is_space(q[-1]))
					standalone = 0;
			ls = q;		/* line start */
			for (q = close + 2; q < end && *q != '\n'; q++)
				if (!tpl_is_space(*q))
					standalone = 0;
		}
		if ((standalone ? ls : open) > p) {
			n = tpl_add(cur, TPL_TEXT);
			n->text = p;
			n->len = (size_t)((standalone ? ls : open) - p);
		}
		if (tlen == 0) {
			err_set(err, ERR_CONFIG, "%s:%d: empty tag '{{}}'",
			    file, line);
			goto fail;
		}
		if (*tag == '!') {
			/* a comment */
		} else if (*tag == '#') {
			const char *w = tag + 1, *arg;
			size_t wl, al;

			for (wl = 0; w + wl < tend && !tpl_is_space(w[wl]); wl++)
				;
			for (arg = w + wl; arg < tend && tpl_is_space(*arg);
			    arg++)
				;
			al = (size_t)(tend - arg);
			if (depth == TEMPLATE_DEPTH) {
				err_set(err, ERR_CONFIG, "%s:%d: blocks nested "
				    "more than %d deep", file, line,
				    TEMPLATE_DEPTH);
				goto fail;
			}
			if (wl == 2 && memcmp(w, "if", 2) == 0) {
				if (al == 0) {
					err_set(err, ERR_CONFIG, "%s:%d: {{#if}} "
					    "needs a placeholder name", file,
					    line);
					goto fail;
				}
				if (tpl_resolve(file, line, arg, al, in_each,
				    &var, &isline, err) == -1)
					goto fail;
				n = tpl_add(cur, TPL_IF);
				n->var = var;
				n->line_var = isline;
			} else if (wl == 4 && memcmp(w, "each", 4) == 0) {
				if (al != 5 || memcmp(arg, "lines", 5) != 0) {
					err_set(err, ERR_CONFIG, "%s:%d: only "
					    "{{#each lines}} is known", file,
					    line);
					goto fail;
				}
				if (in_each) {
					err_set(err, ERR_CONFIG, "%s:%d: "
					    "{{#each lines}} inside itself",
					    file, line);
					goto fail;
				}
				n = tpl_add(cur, TPL_EACH);
				in_each = 1;
			} else {
				err_set(err, ERR_CONFIG, "%s:%d: unknown block "
				    "'{{#%.*s}}'", file, line,
				    (int)(wl > 40 ? 40 : wl), w);
				goto fail;
			}
			stack[depth].node = n;
			stack[depth].line = line;
			stack[depth].has_else = 0;
			stack[depth].cur = &n->body;
			cur = &n->body;
			depth++;
		} else if (*tag == '/') {
			const char *w = tag + 1;
			size_t wl = (size_t)(tend - w);
			enum tpl_kind want;

			if (wl == 2 && memcmp(w, "if", 2) == 0)
				want = TPL_IF;
			else if (wl == 4 && memcmp(w, "each", 4) == 0)
				want = TPL_EACH;
			else {
				err_set(err, ERR_CONFIG, "%s:%d: unknown closing "
				    "tag '{{/%.*s}}'", file, line,
				    (int)(wl > 40 ? 40 : wl), w);
				goto fail;
			}
			if (depth == 0) {
				err_set(err, ERR_CONFIG, "%s:%d: {{/%s}} without "
				    "an open block", file, line,
				    want == TPL_IF ? "if" : "each");
				goto fail;
			}
			if (stack[depth - 1].node->kind != want) {
				err_set(err, ERR_CONFIG, "%s:%d: {{/%s}} closes "
				    "the {{#%s}} opened at line %d", file, line,
				    want == TPL_IF ? "if" : "each",
				    want == TPL_IF ? "each" : "if",
				    stack[depth - 1].line);
				goto fail;
			}
			if (want == TPL_EACH)
				in_each = 0;
			depth--;
			cur = depth > 0 ? stack[depth - 1].cur : &t->top;
		} else if (tlen == 4 && memcmp(tag, "else", 4) == 0) {
			if (depth == 0 ||
			    stack[depth - 1].node->kind != TPL_IF) {
				err_set(err, ERR_CONFIG, "%s:%d: {{else}} "
				    "outside {{#if}}", file, line);
				goto fail;
			}
			if (stack[depth - 1].has_else) {
				err_set(err, ERR_CONFIG, "%s:%d: a second "
				    "{{else}} for the {{#if}} at line %d",
				    file, line, stack[depth - 1].line);
				goto fail;
			}
			stack[depth - 1].has_else = 1;
			stack[depth - 1].cur = &stack[depth - 1].node->alt;
			cur = stack[depth - 1].cur;
		} else {
			if (tpl_resolve(file, line, tag, tlen, in_each, &var,
			    &isline, err) == -1)
				goto fail;
			n = tpl_add(cur, isline ? TPL_LINE_VAR : TPL_VAR);
			n->var = var;
		}
		p = close + 2;
		if (standalone) {
			while (p < end && *p != '\n')
				p++;
			if (p < end) {
				p++;
				line++;
			}
		}
	}
	if (depth > 0) {
		err_set(err, ERR_CONFIG, "%s:%d: {{#%s}} is never closed",
		    file, stack[depth - 1].line,
		    stack[depth - 1].node->kind == TPL_IF ? "if" : "each");
		goto fail;
	}
	return t;
fail:
	reply_template_free(t);
	return NULL;
}

struct reply_template *
reply_template_load(const char *path, struct err *err)
{
	struct reply_template *t;
	struct stat sb;
	FILE *fp;
	char *text;
	size_t n;

	if ((fp = fopen(path, "r")) == NULL) {
		err_set(err, ERR_CONFIG, "cannot open '%s': %s", path,
		    strerror(errno));
		return NULL;
	}
	if (fstat(fileno(fp), &sb) == -1 || !S_ISREG(sb.st_mode) ||
	    sb.st_size > TEMPLATE_MAX) {
		fclose(fp);
		err_set(err, ERR_CONFIG, "'%s': not a regular file of at most "
		    "%d KiB", path, TEMPLATE_MAX / 1024);
		return NULL;
	}
	text = xmalloc((size_t)sb.st_size + 1);
	n = fread(text, 1, (size_t)sb.st_size, fp);
	if (ferror(fp)) {
		err_set(err, ERR_CONFIG, "cannot read '%s': %s", path,
		    strerror(errno));
		fclose(fp);
		free(text);
		return NULL;
	}
	fclose(fp);
	t = reply_template_parse(path, text, n, err);
	free(text);
	return t;
}

static int
tpl_true(const char *v)
{
	return v != NULL && *v != '\0' && strcmp(v, "0") != 0;
}

static void
tpl_render(const struct tpl_list *l, const struct reply_vars *vars,
    size_t line, struct buf *out)
{
	const struct tpl_node *n;
	const char *v;
	size_t i, j;

	for (i = 0; i < l->n; i++) {
		n = &l->v[i];
		switch (n->kind) {
		case TPL_TEXT:
			buf_add(out, n->text, n->len);
			break;
		case TPL_VAR:
			if ((v = vars->v[n->var]) != NULL)
				buf_adds(out, v);
			break;
		case TPL_LINE_VAR:
			if (line < vars->nlines &&
			    (v = vars->lines[line][n->var]) != NULL)
				buf_adds(out, v);
			break;
		case TPL_IF:
			v = n->line_var ? (line < vars->nlines ?
			    vars->lines[line][n->var] : NULL) : vars->v[n->var];
			tpl_render(tpl_true(v) ? &n->body : &n->alt, vars, line,
			    out);
			break;
		case TPL_EACH:
			for (j = 0; j < vars->nlines; j++)
				tpl_render(&n->body, vars, j, out);
			break;
		}
	}
}

void
reply_template_render(const struct reply_template *t,
    const struct reply_vars *vars, struct buf *out)
{
	tpl_render(&t->top, vars, (size_t)-1, out);
}

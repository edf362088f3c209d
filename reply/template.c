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
	[REPLY_VAR_SIGNED_BY] = "signed_by",
	[REPLY_VAR_OPERATOR_NOTE] = "operator_note",
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

/* The parse in progress: the open blocks and where nodes go now. */
struct tpl_parser {
	const char		*file;
	struct reply_template	*t;
	struct tpl_open		 stack[TEMPLATE_DEPTH];
	int			 depth;
	int			 line;
	int			 in_each;
	struct tpl_list		*cur;
};

/* A template is UTF-8 text without NUL bytes. */
static int
tpl_check_text(const char *file, const char *text, size_t len,
    struct err *err)
{
	const char *p, *nul = memchr(text, '\0', len);
	size_t bad;
	int i;

	if (nul == NULL && utf8_valid(text, len, &bad))
		return 0;
	if (nul != NULL)
		bad = (size_t)(nul - text);
	for (i = 0, p = text; p < text + bad; p++)
		if (*p == '\n')
			i++;
	return err_set(err, ERR_CONFIG, "%s:%d: not UTF-8 text", file, i + 1);
}

/* {{#if NAME}} or {{#each lines}}: w[0..wl) the word, arg[0..al) the
 * rest. */
static int
tpl_block_open(struct tpl_parser *ps, const char *w, size_t wl,
    const char *arg, size_t al, struct err *err)
{
	struct tpl_open *o;
	struct tpl_node *n;
	int var, isline;

	if (ps->depth == TEMPLATE_DEPTH)
		return err_set(err, ERR_CONFIG, "%s:%d: blocks nested more "
		    "than %d deep", ps->file, ps->line, TEMPLATE_DEPTH);
	if (wl == 2 && memcmp(w, "if", 2) == 0) {
		if (al == 0)
			return err_set(err, ERR_CONFIG, "%s:%d: {{#if}} needs "
			    "a placeholder name", ps->file, ps->line);
		if (tpl_resolve(ps->file, ps->line, arg, al, ps->in_each,
		    &var, &isline, err) == -1)
			return -1;
		n = tpl_add(ps->cur, TPL_IF);
		n->var = var;
		n->line_var = isline;
	} else if (wl == 4 && memcmp(w, "each", 4) == 0) {
		if (al != 5 || memcmp(arg, "lines", 5) != 0)
			return err_set(err, ERR_CONFIG, "%s:%d: only "
			    "{{#each lines}} is known", ps->file, ps->line);
		if (ps->in_each)
			return err_set(err, ERR_CONFIG, "%s:%d: {{#each "
			    "lines}} inside itself", ps->file, ps->line);
		n = tpl_add(ps->cur, TPL_EACH);
		ps->in_each = 1;
	} else {
		return err_set(err, ERR_CONFIG, "%s:%d: unknown block "
		    "'{{#%.*s}}'", ps->file, ps->line,
		    (int)(wl > 40 ? 40 : wl), w);
	}
	o = &ps->stack[ps->depth++];
	o->node = n;
	o->line = ps->line;
	o->has_else = 0;
	o->cur = ps->cur = &n->body;
	return 0;
}

/* {{/if}} or {{/each}}: w[0..wl) the word. */
static int
tpl_block_close(struct tpl_parser *ps, const char *w, size_t wl,
    struct err *err)
{
	enum tpl_kind want;

	if (wl == 2 && memcmp(w, "if", 2) == 0)
		want = TPL_IF;
	else if (wl == 4 && memcmp(w, "each", 4) == 0)
		want = TPL_EACH;
	else
		return err_set(err, ERR_CONFIG, "%s:%d: unknown closing tag "
		    "'{{/%.*s}}'", ps->file, ps->line,
		    (int)(wl > 40 ? 40 : wl), w);
	if (ps->depth == 0)
		return err_set(err, ERR_CONFIG, "%s:%d: {{/%s}} without an "
		    "open block", ps->file, ps->line,
		    want == TPL_IF ? "if" : "each");
	if (ps->stack[ps->depth - 1].node->kind != want)
		return err_set(err, ERR_CONFIG, "%s:%d: {{/%s}} closes the "
		    "{{#%s}} opened at line %d", ps->file, ps->line,
		    want == TPL_IF ? "if" : "each",
		    want == TPL_IF ? "each" : "if",
		    ps->stack[ps->depth - 1].line);
	if (want == TPL_EACH)
		ps->in_each = 0;
	ps->depth--;
	ps->cur = ps->depth > 0 ? ps->stack[ps->depth - 1].cur : &ps->t->top;
	return 0;
}

static int
tpl_else(struct tpl_parser *ps, struct err *err)
{
	struct tpl_open *o;

	if (ps->depth == 0 || ps->stack[ps->depth - 1].node->kind != TPL_IF)
		return err_set(err, ERR_CONFIG, "%s:%d: {{else}} outside "
		    "{{#if}}", ps->file, ps->line);
	o = &ps->stack[ps->depth - 1];
	if (o->has_else)
		return err_set(err, ERR_CONFIG, "%s:%d: a second {{else}} for "
		    "the {{#if}} at line %d", ps->file, ps->line, o->line);
	o->has_else = 1;
	o->cur = ps->cur = &o->node->alt;
	return 0;
}

/* One tag's trimmed words tag[0..tlen): a comment, a block, {{else}} or
 * a placeholder. */
static int
tpl_tag(struct tpl_parser *ps, const char *tag, size_t tlen,
    struct err *err)
{
	const char *tend = tag + tlen, *w = tag + 1, *arg;
	struct tpl_node *n;
	size_t wl;
	int var, isline;

	if (tlen == 0)
		return err_set(err, ERR_CONFIG, "%s:%d: empty tag '{{}}'",
		    ps->file, ps->line);
	switch (*tag) {
	case '!':		/* a comment */
		return 0;
	case '#':
		for (wl = 0; w + wl < tend && !tpl_is_space(w[wl]); wl++)
			;
		for (arg = w + wl; arg < tend && tpl_is_space(*arg); arg++)
			;
		return tpl_block_open(ps, w, wl, arg, (size_t)(tend - arg),
		    err);
	case '/':
		return tpl_block_close(ps, w, (size_t)(tend - w), err);
	}
	if (tlen == 4 && memcmp(tag, "else", 4) == 0)
		return tpl_else(ps, err);
	if (tpl_resolve(ps->file, ps->line, tag, tlen, ps->in_each, &var,
	    &isline, err) == -1)
		return -1;
	n = tpl_add(ps->cur, isline ? TPL_LINE_VAR : TPL_VAR);
	n->var = var;
	return 0;
}

/* A line holding only a block tag (open..close) vanishes entirely:
 * 1 with *ls_r its start when the tag tag[0..tlen) is one. */
static int
tpl_standalone(const char *s, const char *end, const char *open,
    const char *close, const char *tag, size_t tlen, const char **ls_r)
{
	const char *q;

	if (!(tlen > 0 && strchr("#/!", *tag) != NULL) &&
	    !(tlen == 4 && memcmp(tag, "else", 4) == 0))
		return 0;
	for (q = open; q > s && q[-1] != '\n'; q--)
		if (!tpl_is_space(q[-1]))
			return 0;
	*ls_r = q;
	for (q = close + 2; q < end && *q != '\n'; q++)
		if (!tpl_is_space(*q))
			return 0;
	return 1;
}

static void
tpl_text(struct tpl_list *cur, const char *from, const char *to)
{
	struct tpl_node *n;

	if (to <= from)
		return;
	n = tpl_add(cur, TPL_TEXT);
	n->text = from;
	n->len = (size_t)(to - from);
}

/* Parse the tag at open ("{{"); *p_r is where the text goes on. */
static int
tpl_step(struct tpl_parser *ps, const char *s, const char *end,
    const char *p, const char *open, const char **p_r, struct err *err)
{
	const char *close, *q, *tag, *tend, *ls = NULL;
	int standalone;

	close = strstr(open + 2, "}}");
	q = memchr(open + 2, '\n', (size_t)(end - open - 2));
	if (close == NULL || (q != NULL && q < close))
		return err_set(err, ERR_CONFIG, "%s:%d: '{{' is not closed by "
		    "'}}' on the same line", ps->file, ps->line);
	/* The tag's words, trimmed. */
	for (tag = open + 2; tag < close && tpl_is_space(*tag); tag++)
		;
	for (tend = close; tend > tag && tpl_is_space(tend[-1]); tend--)
		;
	standalone = tpl_standalone(s, end, open, close, tag,
	    (size_t)(tend - tag), &ls);
	tpl_text(ps->cur, p, standalone ? ls : open);
	if (tpl_tag(ps, tag, (size_t)(tend - tag), err) == -1)
		return -1;
	p = close + 2;
	if (standalone) {
		while (p < end && *p != '\n')
			p++;
		if (p < end) {
			p++;
			ps->line++;
		}
	}
	*p_r = p;
	return 0;
}

struct reply_template *
reply_template_parse(const char *file, const char *text, size_t len,
    struct err *err)
{
	struct tpl_parser ps;
	const char *s, *p, *end, *tag, *q;

	if (tpl_check_text(file, text, len, err) == -1)
		return NULL;
	memset(&ps, 0, sizeof(ps));
	ps.file = file;
	ps.line = 1;
	ps.t = xcalloc(1, sizeof(*ps.t));
	ps.t->src = xstrndup(text, len);
	ps.cur = &ps.t->top;
	s = p = ps.t->src;
	end = s + len;
	while (p < end) {
		if ((tag = strstr(p, "{{")) == NULL)
			tag = end;
		/* Count the lines of the text before the tag. */
		for (q = p; q < tag; q++)
			if (*q == '\n')
				ps.line++;
		if (tag == end) {
			tpl_text(ps.cur, p, tag);
			break;
		}
		if (tpl_step(&ps, s, end, p, tag, &p, err) == -1)
			goto fail;
	}
	if (ps.depth > 0) {
		err_set(err, ERR_CONFIG, "%s:%d: {{#%s}} is never closed",
		    file, ps.stack[ps.depth - 1].line,
		    ps.stack[ps.depth - 1].node->kind == TPL_IF ? "if" :
		    "each");
		goto fail;
	}
	return ps.t;
fail:
	reply_template_free(ps.t);
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

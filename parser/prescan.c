/*
 * The safety check run before libetpan's mailmime_parse() sees a message.
 *
 * libetpan 1.9.4 crashes on a boundary parameter such as boundary="\""
 * (a negative strncpy in mailmime_extract_boundary), and it parses nested
 * multiparts by recursion, rescanning each level's body, so a message
 * nested a thousand deep costs stack and quadratic time.  We therefore
 * refuse any boundary that is empty or holds a quote or backslash (RFC 2046
 * allows neither), wherever it appears, and estimate the nesting depth
 * before handing the message over.
 *
 * The depth is counted the way libetpan will parse it: it takes
 * "Content-Type : message / rfc822" (blanks, folds and comments before
 * the colon and around the slash) as readily as the plain spelling, so
 * every spelling must count here too, or a message of tens of thousands
 * of such levels walks past the check and libetpan recurses until the
 * stack runs out.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "parser/parser_int.h"

/* Skip white space, line folds and (nested) comments. */
static const char *
prescan_skip_cfws(const char *p, const char *end)
{
	int depth = 0;

	for (; p < end; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')' && depth > 0)
			depth--;
		else if (depth == 0 && *p != ' ' && *p != '\t' && *p != '\r' &&
		    *p != '\n')
			break;
	}
	return p;
}

/* s[0..n) equals the lower-case ASCII word w, ignoring case. */
static int
prescan_word(const char *s, const char *w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((s[i] | 0x20) != w[i])
			return 0;
	return 1;
}

/* Before p (exclusive), skip white space, folds and comments backwards. */
static const char *
prescan_skip_cfws_back(const char *start, const char *p)
{
	int depth = 0;

	while (p > start) {
		if (p[-1] == ')')
			depth++;
		else if (p[-1] == '(' && depth > 0)
			depth--;
		else if (depth == 0 && p[-1] != ' ' && p[-1] != '\t' &&
		    p[-1] != '\r' && p[-1] != '\n')
			break;
		p--;
	}
	return p;
}

/* Check the value of a boundary parameter starting at q. */
static int
prescan_boundary_value(const char *q, const char *end, struct err *err)
{
	q = prescan_skip_cfws(q, end);
	if (q >= end || *q == ';')
		return err_set(err, ERR_MSG, "malformed MIME boundary: empty");
	if (*q != '"') {
		if (*q == '\\')
			return err_set(err, ERR_MSG,
			    "malformed MIME boundary: backslash");
		return 0;
	}
	for (q++; q < end && *q != '"' && *q != '\\' && *q != '\n'; q++)
		;
	if (q >= end || *q != '"')
		return err_set(err, ERR_MSG, "malformed MIME boundary: quote "
		    "or backslash in value");
	if (q[-1] == '"')
		return err_set(err, ERR_MSG, "malformed MIME boundary: empty");
	return 0;
}

/*
 * One pass over the message: check every "boundary = value" anywhere
 * (over-eager on purpose, because what libetpan reads as a header is not
 * always what we would), and count the "multipart/" and "message/" that
 * could open a nesting level.  memchr() keeps this fast: only '=' and '/'
 * are looked at.
 */
static int
prescan_scan(const char *buf, size_t len, size_t *nested_r, struct err *err)
{
	const char *end = buf + len, *p, *q;

	*nested_r = 0;
	for (p = buf; (p = memchr(p, '=', (size_t)(end - p))) != NULL; p++) {
		q = prescan_skip_cfws_back(buf, p);
		if (q - buf >= 8 && prescan_word(q - 8, "boundary", 8) &&
		    prescan_boundary_value(p + 1, end, err) == -1)
			return -1;
	}
	for (p = buf; (p = memchr(p, '/', (size_t)(end - p))) != NULL; p++) {
		q = prescan_skip_cfws_back(buf, p);	/* "message /rfc822" */
		if ((q - buf >= 9 && prescan_word(q - 9, "multipart", 9)) ||
		    (q - buf >= 7 && prescan_word(q - 7, "message", 7)))
			(*nested_r)++;
	}
	return 0;
}

/* Does the header line line[0..ll) start a Content-Type field, with
 * blanks allowed before its colon as libetpan allows them?  Returns
 * where its value starts, or NULL. */
static const char *
prescan_ct_field(const char *line, size_t ll)
{
	const char *p = line + 12, *end = line + ll;

	if (ll < 13 || strncasecmp(line, "content-type", 12) != 0)
		return NULL;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p < end && *p == ':' ? p + 1 : NULL;
}

/* At p: the word w (ignoring case), then CFWS; returns what follows, or
 * NULL. */
static const char *
prescan_token(const char *p, const char *end, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(end - p) < n || strncasecmp(p, w, n) != 0)
		return NULL;
	return prescan_skip_cfws(p + n, end);
}

#define PRESCAN_MAX_BOUNDARY	70	/* RFC 2046 */

struct prescan_level {
	const char	*b;	/* boundary; NULL for an encapsulated message */
	size_t		 blen;
	int		 digest;
};

struct prescan_ct {
	int		 multipart, message, digest;
	const char	*b;
	size_t		 blen;
};

/* Read what matters of an unfolded-or-not Content-Type value. */
static void
prescan_content_type(const char *v, const char *end, struct prescan_ct *ct)
{
	const char *p, *q;

	const char *t;

	/* type "/" subtype, with CFWS around the slash */
	p = prescan_skip_cfws(v, end);
	if ((t = prescan_token(p, end, "multipart")) != NULL && t < end &&
	    *t == '/') {
		ct->multipart = 1;
		t = prescan_skip_cfws(t + 1, end);
		ct->digest = prescan_token(t, end, "digest") != NULL;
	} else if ((t = prescan_token(p, end, "message")) != NULL && t < end &&
	    *t == '/' && prescan_token(prescan_skip_cfws(t + 1, end), end,
	    "rfc822") != NULL)
		ct->message = 1;
	for (; p < end; p++) {
		if ((*p != 'b' && *p != 'B') || (size_t)(end - p) < 8 ||
		    strncasecmp(p, "boundary", 8) != 0)
			continue;
		q = prescan_skip_cfws(p + 8, end);
		if (q >= end || *q != '=')
			continue;
		q = prescan_skip_cfws(q + 1, end);
		if (q < end && *q == '"')
			q++;
		ct->b = q;
		while (q < end && *q != '"' && *q != ';' && *q != '\r' &&
		    *q != '\n' && (*q != ' ' || ct->b[-1] == '"'))
			q++;
		ct->blen = (size_t)(q - ct->b);
		if (ct->blen > PRESCAN_MAX_BOUNDARY)
			ct->blen = PRESCAN_MAX_BOUNDARY;
		break;
	}
}

struct prescan_result {
	int	 depth;		/* deepest nesting seen */
	size_t	 cut;		/* where the part past max_parts starts; 0: none */
};

/*
 * Follow the structure line by line the way a MIME parser would, keeping
 * a stack of open multiparts: how deep does it go, and where does the part
 * past max_parts start.  Stops early once max_depth is passed.  Only run
 * when cheap counts say the message might be deep or have many parts.
 */
static void
prescan_structure(const char *buf, size_t len,
    const struct parser_limits *lim, struct prescan_result *res)
{
	struct prescan_level stack[64];
	struct prescan_ct ct;
	const char *p = buf, *end = buf + len, *eol, *line, *hv = NULL;
	int top = 0, in_header = 1, k, parent_digest = 0, parts = 0;
	int max_depth = lim->max_depth > 63 ? 63 : lim->max_depth;
	size_t ll;

	res->depth = 1;
	res->cut = 0;
	memset(&ct, 0, sizeof(ct));
	for (; p < end; p = eol + 1) {
		line = p;
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		ll = (size_t)(eol - line);
		if (ll > 0 && line[ll - 1] == '\r')
			ll--;
		if (in_header) {
			if (ll > 0 && (line[0] == ' ' || line[0] == '\t'))
				continue;		/* folded */
			if (hv != NULL) {
				prescan_content_type(hv, line, &ct);
				hv = NULL;
			}
			if ((hv = prescan_ct_field(line, ll)) != NULL)
				continue;
			if (ll > 0)
				continue;
			/* end of this entity's header */
			in_header = 0;
			if (!ct.multipart && !ct.message && parent_digest &&
			    !ct.b)
				ct.message = 1;
			if (ct.multipart && ct.b != NULL && ct.blen > 0) {
				stack[top].b = ct.b;
				stack[top].blen = ct.blen;
				stack[top].digest = ct.digest;
				top++;
			} else if (ct.message) {
				stack[top].b = NULL;
				stack[top].blen = 0;
				stack[top].digest = 0;
				top++;
				in_header = 1;
			}
			if (top + 1 > res->depth)
				res->depth = top + 1;
			if (top + 1 > max_depth)
				return;
			memset(&ct, 0, sizeof(ct));
			parent_digest = 0;
			continue;
		}
		if (ll < 2 || line[0] != '-' || line[1] != '-')
			continue;
		for (k = top - 1; k >= 0; k--) {
			if (stack[k].b == NULL || ll < 2 + stack[k].blen ||
			    memcmp(line + 2, stack[k].b, stack[k].blen) != 0)
				continue;
			top = k + 1;
			if (ll >= 4 + stack[k].blen &&
			    line[2 + stack[k].blen] == '-' &&
			    line[3 + stack[k].blen] == '-')
				top = k;	/* closing delimiter */
			else {
				if (++parts > lim->max_parts && res->cut == 0)
					res->cut = (size_t)(line - buf);
				in_header = 1;
				parent_digest = stack[k].digest;
			}
			break;
		}
	}
}

/* Lines starting with "--"; *nth_r gets where the n-th one starts. */
static size_t
prescan_dash_lines(const char *buf, size_t len, size_t n, size_t *nth_r)
{
	const char *p = buf, *end = buf + len, *eol;
	size_t count = 0;

	*nth_r = 0;
	for (; p < end; p = eol + 1) {
		if (end - p >= 2 && p[0] == '-' && p[1] == '-' &&
		    ++count == n)
			*nth_r = (size_t)(p - buf);
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			break;
	}
	return count;
}

int
parser_prescan_check(const char *buf, size_t len,
    const struct parser_limits *lim, size_t *parse_len_r, struct err *err)
{
	struct prescan_result res;
	size_t nested, dashes, safety, safety_cut;
	int deep;

	*parse_len_r = len;
	if (prescan_scan(buf, len, &nested, err) == -1)
		return -1;
	/*
	 * Each level of nesting needs a "multipart/" or "message/" somewhere
	 * (a digest's parts are messages by default, hence the factor of
	 * two), and every part starts on a line beginning with "--", so most
	 * messages are cleared by counting alone.
	 */
	deep = 2 * nested + 1 > (size_t)lim->max_depth;
	safety = 8 * (size_t)lim->max_parts;
	dashes = prescan_dash_lines(buf, len, safety, &safety_cut);
	if (!deep && dashes <= (size_t)lim->max_parts)
		return 0;
	prescan_structure(buf, len, lim, &res);
	if (deep && res.depth > lim->max_depth)
		return err_set(err, ERR_MSG, "MIME parts nested deeper than %d "
		    "levels", lim->max_depth);
	/*
	 * libetpan builds every part in memory, so a message of a million
	 * tiny parts is cut after max_parts of them (what is after the cut is
	 * lost, the message still parses); and should our reading of the
	 * structure differ from libetpan's, after 8 * max_parts "--" lines.
	 */
	if (res.cut > 0)
		*parse_len_r = res.cut;
	else if (dashes >= safety && safety_cut > 0)
		*parse_len_r = safety_cut;
	return 0;
}

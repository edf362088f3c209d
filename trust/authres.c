/*
 * Authentication-Results (RFC 8601): finding the one header a trusted
 * receiving server wrote, and reading its resinfo.  The grammar is
 * small (an authserv-id, then "; method=result ptype.property=value
 * ..." repeated) but any part may carry CFWS, so the reader is a tiny
 * tokenizer that skips blanks and (nested) comments.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "trust/trust.h"

#define AUTHRES_VALUE_MAX	8192	/* longer fields are cut */

struct authres_lex {
	const char	*p, *end;
};

/* Skip white space and comments (nested, with quoted pairs). */
static void
authres_cfws(struct authres_lex *lx)
{
	int depth = 0;

	while (lx->p < lx->end) {
		char c = *lx->p;

		if (depth > 0 && c == '\\' && lx->p + 1 < lx->end) {
			lx->p += 2;
			continue;
		}
		if (c == '(')
			depth++;
		else if (c == ')' && depth > 0)
			depth--;
		else if (depth == 0 && c != ' ' && c != '\t' && c != '\r' &&
		    c != '\n')
			return;
		lx->p++;
	}
}

/* Read a token (up to a blank, a comment, ';' or '=', or, when
 * value is set, only up to a blank, a comment or ';': property values
 * such as header.b may hold '=') or a quoted string into out, lower-
 * cased.  Returns its length; 0 when there is none. */
static size_t
authres_token(struct authres_lex *lx, int value, char *out, size_t outlen)
{
	size_t n = 0;

	authres_cfws(lx);
	if (lx->p < lx->end && *lx->p == '"') {
		for (lx->p++; lx->p < lx->end && *lx->p != '"'; lx->p++) {
			if (*lx->p == '\\' && lx->p + 1 < lx->end)
				lx->p++;
			if (n + 1 < outlen)
				out[n++] = *lx->p;
		}
		if (lx->p < lx->end)
			lx->p++;
	} else {
		for (; lx->p < lx->end; lx->p++) {
			char c = *lx->p;

			if (c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
			    c == '(' || c == ';' || c == '"' ||
			    (c == '=' && !value))
				break;
			if (n + 1 < outlen)
				out[n++] = c;
		}
	}
	out[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (out[i] >= 'A' && out[i] <= 'Z')
			out[i] = (char)(out[i] - 'A' + 'a');
	return n;
}

static int
authres_peek(struct authres_lex *lx, char c)
{
	authres_cfws(lx);
	return lx->p < lx->end && *lx->p == c;
}

static enum trust_result
authres_result(const char *s)
{
	static const struct {
		const char		*name;
		enum trust_result	 r;
	} names[] = {
		{ "pass", TRUST_PASS }, { "fail", TRUST_FAIL },
		{ "hardfail", TRUST_FAIL },	/* RFC 7001's old spelling */
		{ "softfail", TRUST_SOFTFAIL }, { "neutral", TRUST_NEUTRAL },
		{ "none", TRUST_NONE }, { "temperror", TRUST_TEMPERROR },
		{ "permerror", TRUST_PERMERROR }, { "policy", TRUST_POLICY },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i].name) == 0)
			return names[i].r;
	return TRUST_OTHER;
}

/* The domain of a property value: "user@dom", "@dom" or "dom". */
static void
authres_domain(const char *v, char *out, size_t outlen)
{
	const char *at = strrchr(v, '@');
	size_t n;

	if (at != NULL)
		v = at + 1;
	n = strlen(v);
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, v, n);
	out[n] = '\0';
}

/* Does property ptype.prop name the domain this method speaks for? */
static int
authres_domain_prop(const char *method, const char *prop, int *rank_r)
{
	static const struct {
		const char	*method, *prop;
		int		 rank;	/* a lower rank wins */
	} props[] = {
		{ "dmarc", "header.from", 0 },
		{ "dkim", "header.d", 0 }, { "dkim", "header.i", 1 },
		{ "spf", "smtp.mailfrom", 0 }, { "spf", "smtp.helo", 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(props) / sizeof(props[0]); i++)
		if (strcmp(method, props[i].method) == 0 &&
		    strcmp(prop, props[i].prop) == 0) {
			*rank_r = props[i].rank;
			return 1;
		}
	return 0;
}

/* One resinfo after its ';'.  Returns 0, or -1 when unreadable. */
static int
authres_resinfo(struct authres_lex *lx, struct trust_method *m)
{
	char tok[TRUST_DOMAIN_MAX], val[TRUST_DOMAIN_MAX], *slash;
	int rank, best = 99;

	memset(m, 0, sizeof(*m));
	if (authres_token(lx, 0, tok, sizeof(tok)) == 0)
		return -1;
	if ((slash = strchr(tok, '/')) != NULL)	/* method-version */
		*slash = '\0';
	tok[sizeof(m->name) - 1] = '\0';	/* no method name is longer */
	memcpy(m->name, tok, sizeof(m->name));
	if (!authres_peek(lx, '='))
		return strcmp(tok, "none") == 0 ? 0 : -1;	/* no-result */
	lx->p++;
	if (authres_token(lx, 0, tok, sizeof(tok)) == 0)
		return -1;
	m->result = authres_result(tok);
	/* reasonspec and propspecs, up to the next ';' */
	while (!authres_peek(lx, ';') && lx->p < lx->end) {
		if (authres_token(lx, 0, tok, sizeof(tok)) == 0 ||
		    !authres_peek(lx, '='))
			return -1;
		lx->p++;
		if (authres_token(lx, 1, val, sizeof(val)) == 0)
			continue;	/* an empty value names nothing */
		if (authres_domain_prop(m->name, tok, &rank) && rank < best) {
			best = rank;
			authres_domain(val, m->domain, sizeof(m->domain));
		}
	}
	return 0;
}

int
trust_authres_parse(const char *value, size_t n, struct trust_authres *out)
{
	struct authres_lex lx = { value, value + (n > AUTHRES_VALUE_MAX ?
	    AUTHRES_VALUE_MAX : n) };
	char tok[TRUST_DOMAIN_MAX];
	const char *save;

	memset(out, 0, sizeof(*out));
	if (authres_token(&lx, 0, out->authserv_id,
	    sizeof(out->authserv_id)) == 0)
		return -1;
	/* An optional authres-version: digits before the first ';'. */
	save = lx.p;
	if (authres_token(&lx, 0, tok, sizeof(tok)) > 0 &&
	    strspn(tok, "0123456789") != strlen(tok)) {
		out->malformed = 1;
		return 0;
	}
	if (tok[0] == '\0')
		lx.p = save;
	while (authres_peek(&lx, ';')) {
		struct trust_method m;

		lx.p++;
		if (authres_resinfo(&lx, &m) == -1) {
			out->malformed = 1;
			return 0;
		}
		if (m.result != TRUST_ABSENT &&
		    out->nmethods < TRUST_MAX_RESULTS)
			out->methods[out->nmethods++] = m;
	}
	authres_cfws(&lx);
	if (lx.p < lx.end)
		out->malformed = 1;
	return 0;
}

int
trust_id_match(const char *id, const char *const *patterns, size_t n)
{
	size_t i, il = strlen(id);

	for (i = 0; i < n; i++) {
		const char *p = patterns[i];
		size_t pl = strlen(p);

		if (pl > 2 && p[0] == '*' && p[1] == '.') {
			/* "*.x.com": at least one label before ".x.com" */
			if (il > pl - 1 && strcasecmp(id + il - (pl - 1),
			    p + 1) == 0 && id[0] != '.')
				return 1;
		} else if (strcasecmp(id, p) == 0)
			return 1;
	}
	return 0;
}

int
trust_authres_find(const char *raw, size_t len, const char *const *patterns,
    size_t n, struct trust_authres *out)
{
	static const char name[] = "authentication-results:";
	const size_t nl = sizeof(name) - 1;
	const char *p = raw, *end = raw + len, *eol, *vend;

	while (p < end) {
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		if (eol == p || (eol == p + 1 && *p == '\r'))
			break;				/* end of header */
		/* The field runs on over folded lines. */
		for (vend = eol; vend + 1 < end &&
		    (vend[1] == ' ' || vend[1] == '\t'); ) {
			const char *nx = memchr(vend + 1, '\n',
			    (size_t)(end - vend - 1));

			vend = nx != NULL ? nx : end;
		}
		/* Only the first field with a trusted id counts, readable
		 * or not: below it, anything may be the sender's. */
		if ((size_t)(eol - p) > nl && strncasecmp(p, name, nl) == 0 &&
		    trust_authres_parse(p + nl, (size_t)(vend - p - nl),
		    out) == 0 && trust_id_match(out->authserv_id, patterns, n))
			return 1;
		p = vend < end ? vend + 1 : end;
	}
	memset(out, 0, sizeof(*out));
	return 0;
}

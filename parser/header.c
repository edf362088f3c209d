/*
 * The top-level header block, read by hand: we need some fields exactly as
 * written (Date, References), and scanning the header ourselves is cheaper
 * than asking libetpan for the fields one by one.  Encoded words
 * (RFC 2047) are decoded here too, with the parser's iconv cache.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/xmalloc.h"
#include "parser/parser_int.h"

#define HEADER_VALUE_MAX	8192	/* longer values are cut */

static const struct {
	const char	*name;
	size_t		 len;
} header_names[HDR_COUNT] = {
	[HDR_MESSAGE_ID] = { "message-id", 10 },
	[HDR_FROM] = { "from", 4 },
	[HDR_REPLY_TO] = { "reply-to", 8 },
	[HDR_TO] = { "to", 2 },
	[HDR_SUBJECT] = { "subject", 7 },
	[HDR_DATE] = { "date", 4 },
	[HDR_IN_REPLY_TO] = { "in-reply-to", 11 },
	[HDR_REFERENCES] = { "references", 10 },
	[HDR_RETURN_PATH] = { "return-path", 11 },
	[HDR_AUTO_SUBMITTED] = { "auto-submitted", 14 },
	[HDR_PRECEDENCE] = { "precedence", 10 },
	[HDR_LIST_ID] = { "list-id", 7 },
	[HDR_X_AUTOREPLY] = { "x-autoreply", 11 },
	[HDR_X_AUTORESPOND] = { "x-autorespond", 13 },
	[HDR_CONTENT_TYPE] = { "content-type", 12 },
};

size_t
parser_header_scan(const char *msg, size_t len,
    struct parser_hdr hdrs[HDR_COUNT], size_t *body_off_r)
{
	const char *p = msg, *end = msg + len, *eol, *colon;
	struct parser_hdr *cur = NULL;
	size_t nfields = 0, nl;
	int i;

	memset(hdrs, 0, sizeof(*hdrs) * HDR_COUNT);
	for (; p < end; p = eol + 1) {
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		nl = (size_t)(eol - p);
		if (nl > 0 && p[nl - 1] == '\r')
			nl--;
		if (nl == 0) {			/* the separator */
			*body_off_r = eol < end ? (size_t)(eol + 1 - msg) : len;
			return nfields;
		}
		if (p[0] == ' ' || p[0] == '\t') {
			if (nfields == 0)
				break;
			if (cur != NULL)
				cur->len = (size_t)(p + nl - cur->val);
			continue;
		}
		cur = NULL;
		colon = memchr(p, ':', nl);
		if (colon == NULL || colon == p)
			break;			/* not a header: body starts */
		for (i = 0; p + i < colon; i++)
			if ((unsigned char)p[i] <= ' ' ||
			    (unsigned char)p[i] >= 0x7f)
				break;
		if (p + i != colon)
			break;
		nfields++;
		for (i = 0; i < HDR_COUNT; i++)
			if (header_names[i].len == (size_t)(colon - p) &&
			    strncasecmp(p, header_names[i].name,
			    header_names[i].len) == 0)
				break;
		if (i < HDR_COUNT && hdrs[i].val == NULL) {
			cur = &hdrs[i];
			cur->val = colon + 1;
			cur->len = (size_t)(p + nl - cur->val);
		}
	}
	/* no separator: whatever is not header is body */
	*body_off_r = (size_t)(p < end ? p - msg : end - msg);
	return nfields;
}

/* Unfold, replace control characters with spaces, trim, cut. */
static char *
header_clean(const char *s, size_t n)
{
	char *r, *q;
	size_t i, start, stop;

	for (start = 0; start < n && ((unsigned char)s[start] <= ' ' ||
	    s[start] == 0x7f); start++)
		;
	for (stop = n; stop > start && ((unsigned char)s[stop - 1] <= ' ' ||
	    s[stop - 1] == 0x7f); stop--)
		;
	if (stop - start > HEADER_VALUE_MAX) {
		stop = start + HEADER_VALUE_MAX;
		while (stop > start && ((unsigned char)s[stop] & 0xc0) == 0x80)
			stop--;
	}
	r = q = xmalloc(stop - start + 1);
	for (i = start; i < stop; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\r' || c == '\n') {
			/* a fold: CRLF WSP becomes the WSP */
			continue;
		}
		*q++ = c < ' ' || c == 0x7f ? ' ' : (char)c;
	}
	*q = '\0';
	return r;
}

/* s as UTF-8: valid text is kept, anything else read as windows-1252. */
static char *
header_utf8(const char *s, size_t n)
{
	struct buf b;
	char *r;

	buf_init(&b, HEADER_VALUE_MAX * 3);
	(void)parser_charset_to_utf8(NULL, s, n, &b);
	r = header_clean(buf_str(&b), b.len);
	buf_release(&b);
	return r;
}

static int
header_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int
header_b64(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/*
 * Decode one encoded word "=?charset?Q|B?text?=" at s[0..n) into out as
 * UTF-8 (out NULL: only check it).  Returns its length, or 0 when s does
 * not start a well-formed one (then it is copied as plain text).
 */
static size_t
header_encoded_word(const char *s, size_t n, struct buf *out)
{
	char charset[40], tmp[HEADER_VALUE_MAX];
	const char *cs, *text, *end, *star;
	size_t tn = 0, i, cl;
	unsigned int acc = 0;
	int bits = 0, enc, v, h1, h2;

	if (n < 8 || s[0] != '=' || s[1] != '?')
		return 0;
	cs = s + 2;
	for (i = 2; i < n && s[i] != '?' && s[i] > ' '; i++)
		;
	if (i + 3 >= n || s[i] != '?' || s[i + 2] != '?')
		return 0;
	cl = (size_t)(s + i - cs);
	if ((star = memchr(cs, '*', cl)) != NULL)	/* RFC 2231 language */
		cl = (size_t)(star - cs);
	if (cl == 0 || cl >= sizeof(charset))
		return 0;
	memcpy(charset, cs, cl);
	charset[cl] = '\0';
	enc = s[i + 1] | 0x20;
	if (enc != 'q' && enc != 'b')
		return 0;
	text = s + i + 3;
	for (end = text; end + 1 < s + n && !(end[0] == '?' && end[1] == '=');
	    end++)
		if ((unsigned char)*end <= ' ')
			return 0;
	if (end + 1 >= s + n)
		return 0;
	for (i = 0; text + i < end && tn < sizeof(tmp); i++) {
		if (enc == 'q') {
			if (text[i] == '_')
				tmp[tn++] = ' ';
			else if (text[i] == '=' && text + i + 2 < end + 1 &&
			    (h1 = header_hex(text[i + 1])) >= 0 &&
			    (h2 = header_hex(text[i + 2])) >= 0) {
				tmp[tn++] = (char)(h1 << 4 | h2);
				i += 2;
			} else
				tmp[tn++] = text[i];
		} else if ((v = header_b64((unsigned char)text[i])) >= 0) {
			acc = acc << 6 | (unsigned int)v;
			if ((bits += 6) >= 8) {
				bits -= 8;
				tmp[tn++] = (char)(acc >> bits);
			}
		}
	}
	if (out != NULL)
		(void)parser_charset_to_utf8(charset, tmp, tn, out);
	return (size_t)(end + 2 - s);
}

/*
 * RFC 2047 by hand rather than with libetpan's decoder, which opens a new
 * iconv descriptor on every call: that alone cost more than parsing the
 * rest of a typical message.  White space between two encoded words is
 * dropped, as the RFC says.
 */
char *
parser_header_decode(const char *s, size_t n)
{
	struct buf b;
	const char *p = s, *end, *q, *raw;
	char *r;
	int after_word = 0;

	if (n > HEADER_VALUE_MAX)
		n = HEADER_VALUE_MAX;
	end = s + n;
	if (memmem(s, n, "=?", 2) == NULL)
		return header_utf8(s, n);
	buf_init(&b, HEADER_VALUE_MAX * 3);
	while (p < end) {
		raw = p;
		while ((q = memmem(p, (size_t)(end - p), "=?", 2)) != NULL &&
		    header_encoded_word(q, (size_t)(end - q), NULL) == 0)
			p = q + 2;
		if (q == NULL)
			q = end;
		/* plain text up to the next encoded word */
		for (p = raw; p < q && after_word &&
		    (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'); p++)
			;
		if (p == q && after_word && q < end)
			raw = q;	/* only blanks between two words */
		if (raw < q)
			(void)parser_charset_to_utf8(NULL, raw, (size_t)(q - raw),
			    &b);
		if (q == end)
			break;
		p = q + header_encoded_word(q, (size_t)(end - q), &b);
		after_word = 1;
	}
	r = header_clean(buf_str(&b), b.len);
	buf_release(&b);
	return r;
}
char *
parser_header_raw(const struct parser_hdr *h)
{
	if (h->val == NULL)
		return NULL;
	return header_utf8(h->val, h->len);
}

char *
parser_header_text(const struct parser_hdr *h)
{
	char *unfolded, *r;

	if (h->val == NULL)
		return NULL;
	unfolded = header_clean(h->val, h->len);
	r = parser_header_decode(unfolded, strlen(unfolded));
	free(unfolded);
	return r;
}

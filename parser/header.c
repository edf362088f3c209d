/*
 * The top-level header block, read by hand: we need some fields exactly as
 * written (Date, References), and scanning the header ourselves is cheaper
 * than asking libetpan for the fields one by one.  Encoded words
 * (RFC 2047) are decoded with libetpan.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libetpan/libetpan.h>

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
	/* an mbox "From " line is not part of the message */
	if (len > 5 && memcmp(p, "From ", 5) == 0 &&
	    (eol = memchr(p, '\n', len)) != NULL)
		p = eol + 1;
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

char *
parser_header_decode(const char *s, size_t n)
{
	char *dec = NULL, *r;
	size_t idx = 0;

	if (n > HEADER_VALUE_MAX)
		n = HEADER_VALUE_MAX;
	if (memmem(s, n, "=?", 2) == NULL)
		return header_utf8(s, n);
	if (mailmime_encoded_phrase_parse("utf-8", s, n, &idx, "utf-8",
	    &dec) != MAILIMF_NO_ERROR || dec == NULL)
		return header_utf8(s, n);
	r = header_utf8(dec, strlen(dec));
	free(dec);
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

/*
 * Header and body encodings for outgoing replies; see mime.h.
 *
 * The rule that keeps header injection out: values from an email never
 * reach the buffer except through reply_mime_clean(), which turns every
 * control character into a space.  Encoded words and quoted-printable then
 * keep non-ASCII text within 7-bit lines.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "common/xmalloc.h"
#include "reply/mime.h"

#define MIME_LINE_SOFT	76	/* fold headers and QP lines here */
#define MIME_EW_BYTES	45	/* raw bytes per encoded word: 60 base64 chars */

char *
reply_mime_clean(const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p), i = 0, len;
	struct buf b;
	int space = 0;

	buf_init(&b, BUF_NOLIMIT);
	while (i < n) {
		if (p[i] < 0x20 || p[i] == 0x7f || p[i] == ' ') {
			space = 1;
			i++;
			continue;
		}
		len = utf8_seqlen(p + i, n - i);
		/* C1 controls (U+0080..U+009F) are controls too. */
		if (len == 2 && p[i] == 0xc2 && p[i + 1] < 0xa0) {
			space = 1;
			i += 2;
			continue;
		}
		if (space && b.len > 0) {
			if (b.len + 1 > max)
				break;
			buf_addc(&b, ' ');
		}
		space = 0;
		if (len == 0) {
			if (b.len + 3 > max)
				break;
			buf_adds(&b, "\xef\xbf\xbd");
			i++;
			continue;
		}
		if (b.len + len > max)
			break;
		buf_add(&b, p + i, len);
		i += len;
	}
	if (b.data == NULL)
		return xstrdup("");
	return buf_detach(&b, NULL);
}

static int
mime_is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return 0;
	return 1;
}

static void
mime_base64(struct buf *b, const unsigned char *p, size_t n)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;
	unsigned int v;

	for (i = 0; i + 2 < n; i += 3) {
		v = (unsigned int)p[i] << 16 | (unsigned int)p[i + 1] << 8 |
		    p[i + 2];
		buf_addc(b, tab[v >> 18 & 63]);
		buf_addc(b, tab[v >> 12 & 63]);
		buf_addc(b, tab[v >> 6 & 63]);
		buf_addc(b, tab[v & 63]);
	}
	if (n - i == 1) {
		v = (unsigned int)p[i] << 16;
		buf_addc(b, tab[v >> 18 & 63]);
		buf_addc(b, tab[v >> 12 & 63]);
		buf_adds(b, "==");
	} else if (n - i == 2) {
		v = (unsigned int)p[i] << 16 | (unsigned int)p[i + 1] << 8;
		buf_addc(b, tab[v >> 18 & 63]);
		buf_addc(b, tab[v >> 12 & 63]);
		buf_addc(b, tab[v >> 6 & 63]);
		buf_addc(b, '=');
	}
}

/* Write clean (already cleaned) text as encoded words, splitting only
 * between characters and folding between words, so that no line passes
 * 76 columns.  col is the current line length. */
static void
mime_encoded_words(struct buf *b, const char *clean, size_t col)
{
	const unsigned char *p = (const unsigned char *)clean;
	size_t n = strlen(clean), i = 0, j, len, budget;

	while (i < n) {
		if (i > 0) {
			buf_adds(b, "\r\n ");
			col = 1;
		}
		/* "=?UTF-8?B?" + "?=" is 12 columns; 4 base64 per 3 bytes. */
		budget = col + 12 + 8 < MIME_LINE_SOFT ?
		    (MIME_LINE_SOFT - col - 12) / 4 * 3 : 6;
		if (budget > MIME_EW_BYTES)
			budget = MIME_EW_BYTES;
		j = i;
		while (j < n) {
			len = utf8_seqlen(p + j, n - j);
			if (len == 0)
				len = 1;
			if (j + len - i > budget && j > i)
				break;
			j += len;
		}
		buf_adds(b, "=?UTF-8?B?");
		mime_base64(b, p + i, j - i);
		buf_adds(b, "?=");
		col += 12 + (j - i + 2) / 3 * 4;
		i = j;
	}
}

/* Plain ASCII words, folded at spaces so lines stay near 76 columns. */
static void
mime_folded(struct buf *b, const char *clean, size_t col)
{
	const char *p = clean, *sp;
	size_t wlen;

	while (*p) {
		sp = strchr(p, ' ');
		wlen = sp ? (size_t)(sp - p) : strlen(p);
		if (p != clean && col + 1 + wlen > MIME_LINE_SOFT) {
			buf_adds(b, "\r\n ");
			col = 1;
		} else if (p != clean) {
			buf_addc(b, ' ');
			col++;
		}
		buf_add(b, p, wlen);
		col += wlen;
		p += wlen;
		if (*p == ' ')
			p++;
	}
}

void
reply_mime_header(struct buf *b, const char *name, const char *value)
{
	char *clean = reply_mime_clean(value, 900);
	size_t col = strlen(name) + 2;

	buf_addf(b, "%s: ", name);
	if (mime_is_ascii(clean) && strstr(clean, "=?") == NULL)
		mime_folded(b, clean, col);
	else
		mime_encoded_words(b, clean, col);
	buf_adds(b, "\r\n");
	free(clean);
}

/* RFC 5322 atext, plus the space between words of a phrase. */
static int
mime_is_atext(int c)
{
	return isalnum(c) || (c != 0 && strchr("!#$%&'*+-/=?^_`{|}~ ", c));
}

void
reply_mime_address(struct buf *b, const char *name, const char *phrase,
    const char *addr)
{
	char *clean = reply_mime_clean(phrase, 200);
	const char *p;
	int atoms = 1;

	buf_addf(b, "%s: ", name);
	if (*clean != '\0') {
		for (p = clean; *p; p++)
			if (!mime_is_atext((unsigned char)*p))
				atoms = 0;
		if (!mime_is_ascii(clean) || strstr(clean, "=?") != NULL) {
			mime_encoded_words(b, clean, strlen(name) + 2);
		} else if (atoms) {
			buf_adds(b, clean);
		} else {
			buf_addc(b, '"');
			for (p = clean; *p; p++) {
				if (*p == '"' || *p == '\\')
					buf_addc(b, '\\');
				buf_addc(b, *p);
			}
			buf_addc(b, '"');
		}
		buf_addc(b, ' ');
	}
	buf_addf(b, "<%s>\r\n", addr);
	free(clean);
}

int
reply_mime_addr_ok(const char *addr)
{
	const char *at, *p;

	if (addr == NULL || *addr == '\0' || strlen(addr) > 254)
		return 0;
	if ((at = strchr(addr, '@')) == NULL || at == addr ||
	    strchr(at + 1, '@') != NULL || at[1] == '\0')
		return 0;
	for (p = addr; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c <= 0x20 || c >= 0x7f || strchr("\"<>(),;:[]\\", c))
			return 0;
	}
	/* The domain: labels of letters, digits and hyphens. */
	for (p = at + 1; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '.')
			return 0;
	if (at[1] == '.' || p[-1] == '.' || strstr(at, "..") != NULL)
		return 0;
	return 1;
}

int
reply_mime_msgid_ok(const char *id)
{
	const char *p, *at;

	if (id == NULL || *id == '\0' || strlen(id) > 250)
		return 0;
	if ((at = strchr(id, '@')) == NULL || at == id || at[1] == '\0')
		return 0;
	for (p = id; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c <= 0x20 || c >= 0x7f || c == '<' || c == '>' ||
		    c == '"' || c == '\\' || c == ',')
			return 0;
	}
	return 1;
}

void
reply_mime_qp(struct buf *b, const char *text, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i = 0, col = 0, eol;
	unsigned char c;
	char enc[4];
	size_t elen;

	while (i < len) {
		/* One source line at a time. */
		for (eol = i; eol < len && text[eol] != '\n'; eol++)
			;
		col = 0;
		for (; i < eol; i++) {
			c = (unsigned char)text[i];
			if (c == '\r' && i + 1 == eol)
				continue;	/* CRLF in the source */
			if ((c < 0x20 && c != '\t') || c > 0x7e || c == '=' ||
			    ((c == ' ' || c == '\t') &&
			    (i + 1 == eol || (i + 2 == eol &&
			    text[i + 1] == '\r'))) ||
			    (col == 0 && c == '.') ||
			    (col == 0 && c == 'F' && eol - i >= 5 &&
			    strncmp(text + i, "From ", 5) == 0)) {
				enc[0] = '=';
				enc[1] = hex[c >> 4];
				enc[2] = hex[c & 15];
				elen = 3;
			} else {
				enc[0] = (char)c;
				elen = 1;
			}
			/* Soft break so the line (with its "=") fits 76. */
			if (col + elen > MIME_LINE_SOFT - 1) {
				buf_adds(b, "=\r\n");
				col = 0;
				if (elen == 1 && (c == '.' || c == 'F')) {
					enc[0] = '=';
					enc[1] = hex[c >> 4];
					enc[2] = hex[c & 15];
					elen = 3;
				}
			}
			buf_add(b, enc, elen);
			col += elen;
		}
		if (eol < len) {
			buf_adds(b, "\r\n");
			i = eol + 1;
		}
	}
	if (len > 0 && text[len - 1] != '\n')
		buf_adds(b, "\r\n");
}

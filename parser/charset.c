/*
 * Charset conversion to UTF-8 for the parser.  Mail declares its charset
 * badly as often as not, so the common 8-bit cases (no charset, ASCII,
 * UTF-8, Latin-1, windows-1252) are handled here without iconv: valid
 * UTF-8 is taken as UTF-8, and any byte that is not part of a valid UTF-8
 * sequence is read as windows-1252, which is what senders labelling text
 * "iso-8859-1" almost always mean (smart quotes live in 0x80-0x9F).  Other charsets go through iconv, with the
 * descriptors cached per thread because iconv_open() costs far more than
 * converting a typical message.
 */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/utf8.h"
#include "parser/parser_int.h"

/* windows-1252 0x80-0x9F; 0 marks the five unassigned bytes. */
static const unsigned short cp1252_high[32] = {
	0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
	0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
};

#define ICONV_CACHE	8
#define CHARSET_NAME_MAX 40

struct iconv_slot {
	char	 name[CHARSET_NAME_MAX];
	iconv_t	 cd;		/* (iconv_t)-1: iconv does not know it */
	int	 used;
};

static _Thread_local struct iconv_slot iconv_cache[ICONV_CACHE];
static _Thread_local unsigned int iconv_next;

int
parser_text_add(struct buf *out, const char *s, size_t n)
{
	size_t room;

	if (buf_add(out, s, n) == 0)
		return 0;
	room = out->max > out->len ? out->max - out->len : 0;
	if (room > n)
		room = n;
	/* Back off so that no character is cut in half. */
	while (room > 0 && room < n &&
	    ((unsigned char)s[room] & 0xc0) == 0x80)
		room--;
	if (room > 0)
		(void)buf_add(out, s, room);
	return -1;
}

/*
 * The bytes charset_add_clean() must look at: control characters but tab,
 * DEL, and 0xc2 (the lead byte of U+00A0).  A table lookup per byte, as
 * every body passes through here (three compares per byte were 6% of a
 * parse).
 */
static const unsigned char charset_special[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1,	/* tab is text */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	[0x7f] = 1, [0xc2] = 1,
};

/*
 * Append UTF-8 s[0..n), known valid, with line ends and control characters
 * normalised.  *cr carries "the last byte was CR" across calls, so a CR LF
 * split between two chunks still makes one line end.
 */
static int
charset_add_clean(struct buf *out, const char *s, size_t n, int *cr)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, start = 0;
	int prev_cr;

	for (i = 0; i < n; i++) {
		if (!charset_special[u[i]])
			continue;
		if (u[i] == 0xc2) {
			/* U+00A0 no-break space: rules want plain spaces */
			if (i + 1 < n && u[i + 1] == 0xa0) {
				if (parser_text_add(out, s + start,
				    i - start) == -1 ||
				    parser_text_add(out, " ", 1) == -1)
					return -1;
				start = ++i + 1;
			}
			continue;
		}
		if (u[i] == '\n') {
			prev_cr = i > 0 ? u[i - 1] == '\r' : *cr;
			if (!prev_cr)
				continue;
		}
		if (parser_text_add(out, s + start, i - start) == -1)
			return -1;
		start = i + 1;
		if (u[i] == '\r' && parser_text_add(out, "\n", 1) == -1)
			return -1;
	}
	if (n > 0)
		*cr = u[n - 1] == '\r';
	return parser_text_add(out, s + start, n - start);
}

static size_t
charset_put_cp(char *p, unsigned int cp)
{
	if (cp < 0x80) {
		p[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		p[0] = (char)(0xc0 | (cp >> 6));
		p[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	p[0] = (char)(0xe0 | (cp >> 12));
	p[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
	p[2] = (char)(0x80 | (cp & 0x3f));
	return 3;
}

/*
 * Text that is not valid UTF-8: keep the valid UTF-8 sequences and read
 * every other byte as windows-1252.  A pure windows-1252 text comes out
 * right, and so does a UTF-8 text with one stray Latin-1 byte pasted in,
 * which a whole-text guess would have turned into mojibake.
 */
static int
charset_from_mixed(const char *in, size_t n, struct buf *out)
{
	const unsigned char *u = (const unsigned char *)in;
	char tmp[1024];
	size_t i = 0, t = 0, l;
	unsigned int c;
	int cr = 0;

	while (i < n) {
		if (t > sizeof(tmp) - 4) {
			if (charset_add_clean(out, tmp, t, &cr) == -1)
				return -1;
			t = 0;
		}
		if (u[i] < 0x80)
			l = 1;
		else if ((l = utf8_seqlen(u + i, n - i)) == 0) {
			c = u[i++];
			if (c < 0xa0)
				c = cp1252_high[c - 0x80] ? cp1252_high[c - 0x80] :
				    0xfffd;
			t += charset_put_cp(tmp + t, c);
			continue;
		}
		memcpy(tmp + t, in + i, l);
		t += l;
		i += l;
	}
	return charset_add_clean(out, tmp, t, &cr);
}

static iconv_t
charset_iconv_get(const char *name)
{
	struct iconv_slot *slot;
	size_t i;

	for (i = 0; i < ICONV_CACHE; i++)
		if (iconv_cache[i].used &&
		    strcasecmp(iconv_cache[i].name, name) == 0) {
			slot = &iconv_cache[i];
			if (slot->cd != (iconv_t)-1)
				(void)iconv(slot->cd, NULL, NULL, NULL, NULL);
			return slot->cd;
		}
	slot = &iconv_cache[iconv_next++ % ICONV_CACHE];
	if (slot->used && slot->cd != (iconv_t)-1)
		iconv_close(slot->cd);
	snprintf(slot->name, sizeof(slot->name), "%s", name);
	slot->cd = iconv_open("UTF-8", name);
	slot->used = 1;
	return slot->cd;
}

void
parser_charset_cache_release(void)
{
	size_t i;

	for (i = 0; i < ICONV_CACHE; i++) {
		if (iconv_cache[i].used && iconv_cache[i].cd != (iconv_t)-1)
			iconv_close(iconv_cache[i].cd);
		iconv_cache[i].used = 0;
	}
}

/* Valid UTF-8 apart from NUL bytes (which charset_add_clean drops). */
static int
charset_is_utf8(const char *in, size_t n)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t i = 0, l;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((l = utf8_seqlen(s + i, n - i)) == 0)
			return 0;
		i += l;
	}
	return 1;
}

/*
 * iconv's output is not always valid UTF-8 by our rules: glibc passes
 * sequences above U+10FFFF through when converting "UTF-8" to UTF-8 under
 * another name.  Replace what utf8_seqlen() refuses with U+FFFD.
 */
static int
charset_add_repaired(struct buf *out, const char *s, size_t n, int *cr)
{
	const unsigned char *u = (const unsigned char *)s;
	char tmp[1024];
	size_t i = 0, t = 0, l;

	if (charset_is_utf8(s, n))
		return charset_add_clean(out, s, n, cr);
	while (i < n) {
		if (t > sizeof(tmp) - 4) {
			if (charset_add_clean(out, tmp, t, cr) == -1)
				return -1;
			t = 0;
		}
		if (u[i] < 0x80)
			l = 1;
		else if ((l = utf8_seqlen(u + i, n - i)) == 0) {
			memcpy(tmp + t, "\xef\xbf\xbd", 3);
			t += 3;
			i++;
			continue;
		}
		memcpy(tmp + t, s + i, l);
		t += l;
		i += l;
	}
	return charset_add_clean(out, tmp, t, cr);
}

static int
charset_from_iconv(iconv_t cd, const char *in, size_t n, struct buf *out)
{
	char tmp[4096], *ip = (char *)(uintptr_t)in, *op;
	size_t il = n, ol;
	int cr = 0, done = 0;

	while (!done) {
		op = tmp;
		ol = sizeof(tmp);
		if (il == 0) {
			/* flush any shift state */
			(void)iconv(cd, NULL, NULL, &op, &ol);
			done = 1;
		} else if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1) {
			if (errno == EILSEQ || errno == EINVAL) {
				/* unmappable or cut short: mark and go on */
				if (ol >= 3) {
					memcpy(op, "\xef\xbf\xbd", 3);
					op += 3;
				}
				if (errno == EINVAL)
					il = 0;
				else {
					ip++;
					il--;
				}
			} else if (errno != E2BIG)
				done = 1;
		}
		if (charset_add_repaired(out, tmp, (size_t)(op - tmp), &cr) ==
		    -1)
			return -1;
	}
	return 0;
}

int
parser_charset_to_utf8(const char *charset, const char *in, size_t n,
    struct buf *out)
{
	iconv_t cd;
	int cr = 0;

	if (charset != NULL && strlen(charset) < CHARSET_NAME_MAX &&
	    strcasecmp(charset, "utf-8") != 0 &&
	    strcasecmp(charset, "utf8") != 0 &&
	    strcasecmp(charset, "us-ascii") != 0 &&
	    strcasecmp(charset, "ascii") != 0 &&
	    strcasecmp(charset, "iso-8859-1") != 0 &&
	    strcasecmp(charset, "latin1") != 0 &&
	    strcasecmp(charset, "windows-1252") != 0 &&
	    strcasecmp(charset, "cp1252") != 0 &&
	    (cd = charset_iconv_get(charset)) != (iconv_t)-1)
		return charset_from_iconv(cd, in, n, out);
	if (charset_is_utf8(in, n))
		return charset_add_clean(out, in, n, &cr);
	return charset_from_mixed(in, n, out);
}

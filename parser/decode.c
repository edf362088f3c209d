/*
 * Content-Transfer-Encoding decoders (quoted-printable, base64).  libetpan
 * has both, but they copy through an mmap_string and cost as much as the
 * rest of the parse; these write straight into a bounded buffer and never
 * read past the input, whatever it ends with ("=X", a cut base64 quad).
 */
#include "config.h"

#include <string.h>

#include "parser/parser_int.h"

static const signed char decode_b64[256] = {
	['A'] = 1, ['B'] = 2, ['C'] = 3, ['D'] = 4, ['E'] = 5, ['F'] = 6,
	['G'] = 7, ['H'] = 8, ['I'] = 9, ['J'] = 10, ['K'] = 11, ['L'] = 12,
	['M'] = 13, ['N'] = 14, ['O'] = 15, ['P'] = 16, ['Q'] = 17,
	['R'] = 18, ['S'] = 19, ['T'] = 20, ['U'] = 21, ['V'] = 22,
	['W'] = 23, ['X'] = 24, ['Y'] = 25, ['Z'] = 26, ['a'] = 27,
	['b'] = 28, ['c'] = 29, ['d'] = 30, ['e'] = 31, ['f'] = 32,
	['g'] = 33, ['h'] = 34, ['i'] = 35, ['j'] = 36, ['k'] = 37,
	['l'] = 38, ['m'] = 39, ['n'] = 40, ['o'] = 41, ['p'] = 42,
	['q'] = 43, ['r'] = 44, ['s'] = 45, ['t'] = 46, ['u'] = 47,
	['v'] = 48, ['w'] = 49, ['x'] = 50, ['y'] = 51, ['z'] = 52,
	['0'] = 53, ['1'] = 54, ['2'] = 55, ['3'] = 56, ['4'] = 57,
	['5'] = 58, ['6'] = 59, ['7'] = 60, ['8'] = 61, ['9'] = 62,
	['+'] = 63, ['/'] = 64,
};				/* value + 1; 0: not base64 */

static int
decode_hex(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
parser_decode_base64(const char *in, size_t n, struct buf *out)
{
	char tmp[1024];
	size_t i, t = 0;
	unsigned int acc = 0;
	int bits = 0, v;

	for (i = 0; i < n; i++) {
		if (in[i] == '=')
			break;			/* padding: the end */
		if ((v = decode_b64[(unsigned char)in[i]]) == 0)
			continue;		/* line breaks, junk */
		acc = (acc << 6) | (unsigned int)(v - 1);
		if ((bits += 6) >= 8) {
			bits -= 8;
			tmp[t++] = (char)(acc >> bits);
			if (t == sizeof(tmp)) {
				if (buf_add(out, tmp, t) == -1)
					return -1;
				t = 0;
			}
		}
	}
	return buf_add(out, tmp, t);
}

int
parser_decode_qp(const char *in, size_t n, struct buf *out)
{
	char tmp[1024];
	size_t i, t = 0, j;
	int h1, h2;

	for (i = 0; i < n; i++) {
		if (t >= sizeof(tmp) - 1) {
			if (buf_add(out, tmp, t) == -1)
				return -1;
			t = 0;
		}
		if (in[i] != '=') {
			tmp[t++] = in[i];
			continue;
		}
		if (i + 2 < n && (h1 = decode_hex((unsigned char)in[i + 1]))
		    >= 0 && (h2 = decode_hex((unsigned char)in[i + 2])) >= 0) {
			tmp[t++] = (char)(h1 << 4 | h2);
			i += 2;
			continue;
		}
		/* a soft line break: "=", blanks, line end */
		for (j = i + 1; j < n && (in[j] == ' ' || in[j] == '\t'); j++)
			;
		if (j < n && in[j] == '\r')
			j++;
		if (j < n && in[j] == '\n') {
			i = j;
			continue;
		}
		if (j == n) {
			i = j;
			continue;
		}
		tmp[t++] = '=';		/* not an escape: keep it */
	}
	return buf_add(out, tmp, t);
}

/*
 * Strict UTF-8 validation (RFC 3629): no overlong forms, no surrogates,
 * nothing past U+10FFFF.
 */
#include "config.h"

#include "common/utf8.h"

size_t
utf8_seqlen(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];

	if (n == 0)
		return 0;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		if (n < 2 || (s[1] & 0xc0) != 0x80)
			return 0;
		return 2;
	}
	if (c >= 0xe0 && c <= 0xef) {
		if (n < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if (c == 0xe0 && s[1] < 0xa0)
			return 0;	/* overlong */
		if (c == 0xed && s[1] > 0x9f)
			return 0;	/* surrogate */
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (n < 4 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80)
			return 0;
		if (c == 0xf0 && s[1] < 0x90)
			return 0;	/* overlong */
		if (c == 0xf4 && s[1] > 0x8f)
			return 0;	/* past U+10FFFF */
		return 4;
	}
	return 0;
}

int
utf8_valid(const char *s, size_t n, size_t *bad_r)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, len;

	while (i < n) {
		if (p[i] == '\0' || (len = utf8_seqlen(p + i, n - i)) == 0) {
			if (bad_r != NULL)
				*bad_r = i;
			return 0;
		}
		i += len;
	}
	return 1;
}

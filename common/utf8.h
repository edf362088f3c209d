/*
 * UTF-8 helpers.  Everything past the parser is UTF-8; these check and
 * repair text that came from outside.
 */
#ifndef MO_UTF8_H
#define MO_UTF8_H

#include <stddef.h>

/* Return the length of the valid UTF-8 sequence at s (1-4), or 0 when the
 * bytes at s do not start one (overlong, surrogate, truncated, > U+10FFFF). */
size_t	utf8_seqlen(const unsigned char *s, size_t n);

/* Return 1 when s[0..n) is entirely valid UTF-8 with no NUL byte, else 0;
 * *bad_r (may be NULL) gets the offset of the first bad byte. */
int	utf8_valid(const char *s, size_t n, size_t *bad_r);

#endif

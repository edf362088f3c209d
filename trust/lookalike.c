/*
 * Lookalike sender domains.  A forger who cannot send as
 * acmelogistics.com registers acme-logistics.com, acmelogistic.com,
 * acrnelogistics.com ("rn" reads as "m") or xn--cmelogistics-... (a
 * Cyrillic "а"), and hopes nobody reads the address closely.  We read
 * both domains as a person would see them (a "skeleton", after Unicode
 * TR 39, with a small table of the confusables that matter in domain
 * names) and measure how far apart they are.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "trust/trust.h"

#define LOOK_MAX	TRUST_DOMAIN_MAX
#define LOOK_LABEL_MAX	64

/* Code points that render like an ASCII letter (or two). */
static const struct {
	uint32_t	 cp;
	char		 ascii;
} look_confusables[] = {
	/* Cyrillic */
	{ 0x0430, 'a' }, { 0x0435, 'e' }, { 0x043e, 'o' }, { 0x0440, 'p' },
	{ 0x0441, 'c' }, { 0x0443, 'y' }, { 0x0445, 'x' }, { 0x0456, 'i' },
	{ 0x0458, 'j' }, { 0x0455, 's' }, { 0x0501, 'd' }, { 0x051b, 'q' },
	{ 0x051d, 'w' }, { 0x04bb, 'h' }, { 0x043a, 'k' }, { 0x04cf, 'l' },
	{ 0x0432, 'b' }, { 0x0442, 't' }, { 0x043d, 'h' },
	/* Greek */
	{ 0x03b1, 'a' }, { 0x03bf, 'o' }, { 0x03c1, 'p' }, { 0x03bd, 'v' },
	{ 0x03b9, 'i' }, { 0x03ba, 'k' }, { 0x03c5, 'u' }, { 0x03c7, 'x' },
	{ 0x03b5, 'e' }, { 0x03c4, 't' },
	/* Latin look-alikes */
	{ 0x0131, 'i' }, { 0x0251, 'a' }, { 0x0261, 'g' }, { 0x0269, 'i' },
	{ 0x2113, 'l' }, { 0x01c0, 'l' }, { 0x0138, 'k' }, { 0x017f, 'f' },
};

/* Latin-1 letters without their accents, U+00E0..U+00FF. */
static const char look_latin1[] = "aaaaaaaceeeeiiiidnooooo/ouuuuyby";

static char
look_fold(uint32_t cp)
{
	size_t i;

	if (cp >= 'A' && cp <= 'Z')
		cp += 'a' - 'A';
	if (cp == '0')
		return 'o';
	if (cp == '1' || cp == '|')
		return 'l';
	if (cp < 0x80)
		return (char)cp;
	if (cp >= 0xc0 && cp <= 0xde && cp != 0xd7)
		cp += 0x20;
	if (cp >= 0xe0 && cp <= 0xff)
		return look_latin1[cp - 0xe0];
	if (cp >= 0xff41 && cp <= 0xff5a)	/* fullwidth a..z */
		return (char)('a' + (cp - 0xff41));
	for (i = 0; i < sizeof(look_confusables) /
	    sizeof(look_confusables[0]); i++)
		if (look_confusables[i].cp == cp)
			return look_confusables[i].ascii;
	return '?';	/* something we cannot read as ASCII */
}

/* RFC 3492 decoding of the part after "xn--" into cps.  Returns the
 * count, or -1 when the label is broken. */
static int
look_punycode(const char *s, size_t n, uint32_t *cps, size_t max)
{
	enum { BASE = 36, TMIN = 1, TMAX = 26, SKEW = 38, DAMP = 700 };
	uint32_t code = 128, bias = 72, i = 0;
	size_t out = 0, b = 0, in, j;

	for (j = 0; j < n; j++)
		if (s[j] == '-')
			b = j;
	for (j = 0; j < b; j++) {
		if (out >= max || (unsigned char)s[j] >= 0x80)
			return -1;
		cps[out++] = (unsigned char)s[j];
	}
	for (in = b > 0 ? b + 1 : 0; in < n; ) {
		uint32_t oldi = i, w = 1, k, t, delta;

		for (k = BASE; ; k += BASE) {
			int c, digit;

			if (in >= n)
				return -1;
			c = s[in++] | 0x20;
			digit = c >= 'a' && c <= 'z' ? c - 'a' :
			    c >= '0' && c <= '9' ? c - '0' + 26 : -1;
			if (digit < 0 || (uint32_t)digit > (UINT32_MAX - i) / w)
				return -1;
			i += (uint32_t)digit * w;
			t = k <= bias ? TMIN : k >= bias + TMAX ? TMAX :
			    k - bias;
			if ((uint32_t)digit < t)
				break;
			if (w > UINT32_MAX / (BASE - t))
				return -1;
			w *= BASE - t;
		}
		/* adapt the bias */
		delta = oldi == 0 ? (i - oldi) / DAMP : (i - oldi) / 2;
		delta += delta / (uint32_t)(out + 1);
		for (k = 0; delta > ((BASE - TMIN) * TMAX) / 2; k += BASE)
			delta /= BASE - TMIN;
		bias = k + (BASE - TMIN + 1) * delta / (delta + SKEW);
		if (i / (out + 1) > 0x10ffff - code || out >= max)
			return -1;
		code += i / (uint32_t)(out + 1);
		i %= (uint32_t)(out + 1);
		memmove(cps + i + 1, cps + i, (out - i) * sizeof(*cps));
		cps[i++] = code;
		out++;
	}
	return (int)out;
}

/* The code points of a UTF-8 label (bytes that are no valid UTF-8 are
 * taken one by one). */
static int
look_utf8(const char *s, size_t n, uint32_t *cps, size_t max)
{
	size_t i = 0, out = 0;

	while (i < n && out < max) {
		unsigned char c = (unsigned char)s[i];
		size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
		uint32_t cp = len == 1 ? c : c & (0x3f >> (len - 1));
		size_t j;

		if (i + len > n)
			len = 1, cp = c;
		for (j = 1; j < len; j++) {
			if (((unsigned char)s[i + j] & 0xc0) != 0x80) {
				len = 1, cp = c;
				break;
			}
			cp = cp << 6 | ((unsigned char)s[i + j] & 0x3f);
		}
		cps[out++] = cp;
		i += len;
	}
	return (int)out;
}

int
trust_skeleton(const char *domain, char *out, size_t outlen)
{
	uint32_t cps[LOOK_LABEL_MAX * 2];
	const char *p = domain, *dot;
	size_t o = 0;
	int n, i;

	for (;;) {
		size_t ll;

		dot = strchr(p, '.');
		ll = dot != NULL ? (size_t)(dot - p) : strlen(p);
		if (ll > 4 && strncasecmp(p, "xn--", 4) == 0)
			n = look_punycode(p + 4, ll - 4, cps, LOOK_LABEL_MAX);
		else
			n = look_utf8(p, ll, cps, LOOK_LABEL_MAX * 2);
		if (n < 0)
			return -1;
		for (i = 0; i < n; i++) {
			char c = look_fold(cps[i]);

			/* "rn" reads as "m", "vv" as "w" */
			if (o > 0 && ((out[o - 1] == 'r' && c == 'n') ||
			    (out[o - 1] == 'v' && c == 'v'))) {
				out[o - 1] = c == 'n' ? 'm' : 'w';
				continue;
			}
			if (o + 1 >= outlen)
				return -1;
			out[o++] = c;
		}
		if (dot == NULL)
			break;
		if (o + 1 >= outlen)
			return -1;
		out[o++] = '.';
		p = dot + 1;
	}
	out[o] = '\0';
	return 0;
}

/* Optimal string alignment distance (Levenshtein plus the swap of two
 * neighbours), giving up above limit. */
static size_t
look_distance(const char *a, const char *b, size_t limit)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t d[3][LOOK_MAX + 1];	/* rows i-2, i-1, i */

	if (la > LOOK_MAX || lb > LOOK_MAX)
		return limit + 1;
	if ((la > lb ? la - lb : lb - la) > limit)
		return limit + 1;
	for (j = 0; j <= lb; j++)
		d[1][j] = j;
	for (i = 1; i <= la; i++) {
		size_t *cur = d[(i + 1) % 3], *prev = d[i % 3],
		    *prev2 = d[(i + 2) % 3], best;

		cur[0] = i;
		best = i;
		for (j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1], v;

			v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (prev[j - 1] + cost < v)
				v = prev[j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < v)
				v = prev2[j - 2] + 1;
			cur[j] = v;
			if (v < best)
				best = v;
		}
		if (best > limit)
			return limit + 1;
	}
	return d[(la + 1) % 3][lb];
}

/* a is b or a subdomain of it. */
static int
look_under(const char *a, const char *b)
{
	size_t al = strlen(a), bl = strlen(b);

	if (al == bl)
		return strcasecmp(a, b) == 0;
	return al > bl && a[al - bl - 1] == '.' &&
	    strcasecmp(a + al - bl, b) == 0;
}

/* The length of the name before the last label ("acme" of "acme.com"). */
static size_t
look_name_len(const char *d)
{
	const char *dot = strrchr(d, '.');

	return dot != NULL ? (size_t)(dot - d) : strlen(d);
}

/* How far domain (skeleton sd) is from known; LOOK_MAX when not near. */
static size_t
look_score(const char *domain, const char *sd, const char *known)
{
	char sk[LOOK_MAX];
	size_t name = look_name_len(known), limit;

	if (look_under(domain, known) || look_under(known, domain))
		return LOOK_MAX;
	if (trust_skeleton(known, sk, sizeof(sk)) == -1)
		return LOOK_MAX;
	if (strcmp(sd, sk) == 0)
		return 0;
	/* the same name under another top-level domain */
	if (name >= 4 && look_name_len(domain) == name &&
	    strncasecmp(domain, known, name) == 0)
		return 1;
	if (name < 5)
		return LOOK_MAX;
	limit = name <= 9 ? 1 : 2;
	return look_distance(sd, sk, limit) <= limit ?
	    look_distance(sd, sk, limit) : LOOK_MAX;
}

/* Mail providers whose names are close to each other's (mail.com,
 * gmail.com): a customer writing from one does not make the others
 * lookalikes. */
static int
look_provider(const char *d)
{
	static const char *const providers[] = {
		"gmail.com", "googlemail.com", "mail.com", "email.com",
		"outlook.com", "hotmail.com", "live.com", "msn.com",
		"yahoo.com", "ymail.com", "aol.com", "icloud.com", "me.com",
		"mac.com", "gmx.com", "gmx.net", "gmx.de", "web.de",
		"proton.me", "protonmail.com", "pm.me", "zoho.com",
		"yandex.com", "yandex.ru", "mail.ru", "fastmail.com",
	};
	size_t i;

	for (i = 0; i < sizeof(providers) / sizeof(providers[0]); i++)
		if (strcasecmp(d, providers[i]) == 0)
			return 1;
	return 0;
}

int
trust_lookalike(const char *domain, const char *const *known, size_t n,
    size_t *which_r)
{
	char sd[LOOK_MAX];
	size_t i, best = LOOK_MAX, s;

	if (domain == NULL || look_provider(domain) ||
	    trust_skeleton(domain, sd, sizeof(sd)) == -1)
		return 0;
	for (i = 0; i < n; i++)
		if (!look_provider(known[i]) &&
		    (s = look_score(domain, sd, known[i])) < best) {
			best = s;
			*which_r = i;
		}
	return best < LOOK_MAX;
}

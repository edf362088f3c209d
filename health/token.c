/*
 * When does an OAuth2 access token expire?  Only a JWT says (Microsoft's
 * tokens are JWTs; Google's are opaque): its payload, the second
 * base64url part, carries "exp" in seconds since the epoch.  The token
 * is a secret: it is read here and nowhere copied or logged.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "health/health.h"

#define TOKEN_PAYLOAD_MAX	4096

static int
token_b64url(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;
}

time_t
health_token_expiry(const char *token)
{
	const char *p, *end, *exp;
	char json[TOKEN_PAYLOAD_MAX + 1];
	unsigned int acc = 0;
	size_t n = 0;
	int bits = 0, v;
	long long t;
	char *stop;

	if (token == NULL || (p = strchr(token, '.')) == NULL ||
	    (end = strchr(++p, '.')) == NULL)
		return 0;
	for (; p < end; p++) {
		if ((v = token_b64url((unsigned char)*p)) < 0)
			return 0;
		acc = (acc << 6 | (unsigned int)v) & 0xffffff;
		if ((bits += 6) >= 8) {
			bits -= 8;
			if (n >= TOKEN_PAYLOAD_MAX)
				return 0;
			json[n++] = (char)(acc >> bits);
		}
	}
	json[n] = '\0';
	/* A flat claims object: "exp" followed by a number. */
	if ((exp = strstr(json, "\"exp\"")) == NULL)
		return 0;
	for (exp += 5; *exp == ' ' || *exp == ':' || *exp == '\t'; exp++)
		;
	t = strtoll(exp, &stop, 10);
	explicit_bzero(json, sizeof(json));
	return stop != exp && t > 0 ? (time_t)t : 0;
}

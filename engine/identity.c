/*
 * A message's identity, decided before it is parsed: its Message-ID, or
 * the SHA-256 of its bytes when it has none.  This is what makes a second
 * copy of the same mail (after a crash between commit and move, or a
 * UIDVALIDITY reset) land on the existing record instead of becoming a
 * second order.  Only the header is scanned, without libetpan, so even a
 * message that crashes the MIME parser has an identity.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>


#include "common/sha256.h"
#include "engine/engine.h"

#define IDENTITY_MAX_ID 250

/* Find the value of the first Message-ID header in the message's header
 * block (unfolding continuation lines); 1 when found. */
static int
identity_message_id(const char *raw, size_t len, char *out, size_t outlen)
{
	static const char name[] = "message-id:";
	size_t i = 0, n = 0;

	while (i < len) {
		size_t eol = i;

		while (eol < len && raw[eol] != '\n')
			eol++;
		if (eol == i || (eol == i + 1 && raw[i] == '\r'))
			return 0;	/* end of header */
		if (eol - i > sizeof(name) - 1 &&
		    strncasecmp(raw + i, name, sizeof(name) - 1) == 0) {
			size_t j = i + sizeof(name) - 1;

			for (;;) {
				for (; j < eol; j++) {
					unsigned char c = (unsigned char)raw[j];

					if (c == '<' || c == '>' || isspace(c) ||
					    c < 0x20 || c == 0x7f)
						continue;
					if (n + 1 < outlen && n < IDENTITY_MAX_ID)
						out[n++] = (char)c;
				}
				/* Folded onto the next line? */
				if (eol + 1 < len && (raw[eol + 1] == ' ' ||
				    raw[eol + 1] == '\t')) {
					j = eol + 1;
					for (eol = j; eol < len &&
					    raw[eol] != '\n'; eol++)
						;
					continue;
				}
				break;
			}
			out[n] = '\0';
			return n > 0;
		}
		i = eol + 1;
	}
	return 0;
}

int
engine_message_identity(const char *raw, size_t len, char *key,
    size_t keylen)
{
	uint8_t digest[SHA256_LEN];
	char id[IDENTITY_MAX_ID + 1];
	size_t i;

	if (keylen < 72)
		return -1;
	if (identity_message_id(raw, len, id, sizeof(id))) {
		snprintf(key, keylen, "mid:%s", id);
		return 0;
	}
	sha256(raw, len, digest);
	memcpy(key, "sha256:", 7);
	for (i = 0; i < sizeof(digest); i++)
		snprintf(key + 7 + 2 * i, 3, "%02x", digest[i]);
	return 0;
}

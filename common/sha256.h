/*
 * SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104), for signing webhook
 * events.  Small and self-contained so that common/ keeps no third-party
 * library; checked against the FIPS and RFC 4231 vectors in
 * tests/unit/test_common.c.
 */
#ifndef MO_SHA256_H
#define MO_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN	32
#define SHA256_HEX_LEN	(2 * SHA256_LEN + 1)	/* with NUL */

void	sha256(const void *data, size_t len, uint8_t out[SHA256_LEN]);
void	hmac_sha256(const void *key, size_t keylen, const void *data,
	    size_t len, uint8_t out[SHA256_LEN]);
/* out as lower-case hex, NUL-terminated. */
void	sha256_hex(const uint8_t in[SHA256_LEN], char out[SHA256_HEX_LEN]);

#endif

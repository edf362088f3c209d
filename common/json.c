/*
 * JSON string escaping (RFC 8259).
 */
#include "config.h"

#include <string.h>

#include "common/json.h"
#include "common/utf8.h"

int
json_add_strn(struct buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, len;
	int rc = 0;

	rc |= buf_addc(b, '"');
	while (i < n) {
		unsigned char c = p[i];

		if (c == '"' || c == '\\') {
			rc |= buf_addc(b, '\\');
			rc |= buf_addc(b, c);
			i++;
		} else if (c == '\n') {
			rc |= buf_adds(b, "\\n");
			i++;
		} else if (c == '\t') {
			rc |= buf_adds(b, "\\t");
			i++;
		} else if (c == '\r') {
			rc |= buf_adds(b, "\\r");
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			rc |= buf_addf(b, "\\u%04x", c);
			i++;
		} else if (c < 0x80) {
			rc |= buf_addc(b, c);
			i++;
		} else if ((len = utf8_seqlen(p + i, n - i)) > 0) {
			rc |= buf_add(b, p + i, len);
			i += len;
		} else {
			rc |= buf_adds(b, "\\ufffd");
			i++;
		}
	}
	rc |= buf_addc(b, '"');
	return rc ? -1 : 0;
}

int
json_add_str(struct buf *b, const char *s)
{
	if (s == NULL)
		return buf_adds(b, "null");
	return json_add_strn(b, s, strlen(s));
}

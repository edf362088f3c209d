/*
 * format=flowed (RFC 3676), as Thunderbird and Apple Mail send plain
 * text: a line ending in a space is a soft break that the sender's
 * program made, not the writer.  Rejoined here, so "2 cases of" at the
 * end of one line and "16oz cups" at the start of the next are one order
 * line again.
 */
#include "config.h"

#include <string.h>

#include "parser/parser_int.h"

static size_t
flowed_quote_depth(const char *s, size_t n)
{
	size_t d = 0;

	while (d < n && s[d] == '>')
		d++;
	return d;
}

int
parser_unflow(const char *s, size_t n, int delsp, struct buf *out)
{
	size_t i = 0, prev_depth = 0;
	int soft = 0, joining, rc = 0;

	while (i < n) {
		const char *line = s + i, *nl = memchr(line, '\n', n - i);
		size_t len = nl ? (size_t)(nl - line) : n - i;
		size_t depth = flowed_quote_depth(line, len), start = depth;
		int is_sig;

		i += len + (nl != NULL);
		/* A soft break only joins lines of the same quote depth. */
		joining = soft;
		if (soft && depth != prev_depth) {
			rc |= buf_addc(out, '\n');
			joining = 0;
		}
		/* Space-stuffing: one leading space was added by the sender. */
		if (start < len && line[start] == ' ')
			start++;
		is_sig = len - start == 3 && memcmp(line + start, "-- ", 3) == 0;
		soft = !is_sig && len > start && line[len - 1] == ' ';
		/* The quote markers start each new line, and keep the space
		 * that separated them from the text. */
		if (depth > 0 && !(joining && depth == prev_depth))
			rc |= buf_add(out, line, start);
		rc |= buf_add(out, line + start,
		    len - start - (soft && delsp ? 1 : 0));
		if (!soft && nl != NULL)
			rc |= buf_addc(out, '\n');
		prev_depth = depth;
	}
	return rc ? -1 : 0;
}

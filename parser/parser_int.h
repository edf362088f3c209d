/*
 * Internals shared by the files of parser/: charset conversion, HTML to
 * text, the safety pre-scan run before libetpan sees a message, and the
 * header scanner.  Nothing outside parser/ includes this.
 */
#ifndef MO_PARSER_INT_H
#define MO_PARSER_INT_H

#include <stddef.h>

#include "common/buf.h"
#include "common/error.h"
#include "parser/parser.h"

/*
 * Append n bytes of text in charset (NULL: undeclared) to out as UTF-8
 * with LF line ends: CR LF and lone CR become LF, NUL and other control
 * characters except TAB and LF are dropped, U+00A0 becomes a space.
 * In undeclared, ASCII, UTF-8 and Latin-1 text, bytes that are not part of
 * valid UTF-8 are read as windows-1252; bytes a charset cannot map become
 * U+FFFD.  Returns 0, or
 * -1 when out reached its maximum (what fitted was added, cut at a
 * character boundary).
 */
int	parser_charset_to_utf8(const char *charset, const char *in, size_t n,
	    struct buf *out);

/* Append s[0..n) to out, cutting at a UTF-8 character boundary when out's
 * maximum is reached; returns -1 when cut. */
int	parser_text_add(struct buf *out, const char *s, size_t n);

/* Decode a transfer encoding, appending to out; -1 when out's maximum
 * was reached.  Never reads past in[n), whatever the input ends with. */
int	parser_decode_base64(const char *in, size_t n, struct buf *out);
/* Rejoin the soft line breaks of a format=flowed text (RFC 3676); delsp
 * drops the space before each soft break.  -1 when out is full. */
int	parser_unflow(const char *s, size_t n, int delsp, struct buf *out);

int	parser_decode_qp(const char *in, size_t n, struct buf *out);

/*
 * Append the text of the UTF-8 HTML document html[0..n) to out: scripts and
 * styles skipped, block elements and <br> as line breaks, each simple table
 * row on one line with its cells separated by " | ", <blockquote> lines
 * prefixed with "> ".  Returns 0, or -1 when out reached its maximum.
 */
int	parser_html_to_text(const char *html, size_t n, struct buf *out);

/*
 * A MIME part that is no text of the body: its decoded bytes
 * data[0..len), its type ("application/pdf"; may be NULL) and file name
 * (may be NULL).  A document attach/ reads becomes a sheet of out; any
 * other part is recorded in out->attachments as ignored (with the
 * reason) or, when it looks like an order, unreadable.  A winmail.dat's
 * body text is appended to plain and its files are taken in turn.
 * Sets *truncated when a limit dropped something.
 */
void	parser_attachment(struct parsed_msg *out, const struct parser_limits *,
	    const char *type, const char *filename, const char *data,
	    size_t len, struct buf *plain, int *truncated);

/*
 * Check buf[0..len) (NUL-terminated, no NUL inside) before libetpan parses
 * it: every boundary parameter must be a plain non-empty value, and MIME
 * nesting must stay within lim->max_depth.  *parse_len_r gets how much of
 * buf to hand to libetpan: less than len when the message has more than
 * lim->max_parts parts.  Returns 0, or -1 with ERR_MSG.
 */
int	parser_prescan_check(const char *buf, size_t len,
	    const struct parser_limits *lim, size_t *parse_len_r,
	    struct err *);

/* The header fields the parser reads, unfolded but not decoded; each points
 * into the message or is NULL. */
enum parser_hdr_id {
	HDR_MESSAGE_ID,
	HDR_FROM,
	HDR_REPLY_TO,
	HDR_TO,
	HDR_SUBJECT,
	HDR_DATE,
	HDR_IN_REPLY_TO,
	HDR_REFERENCES,
	HDR_RETURN_PATH,
	HDR_AUTO_SUBMITTED,
	HDR_PRECEDENCE,
	HDR_LIST_ID,
	HDR_X_AUTOREPLY,
	HDR_X_AUTORESPOND,
	HDR_CONTENT_TYPE,
	HDR_COUNT
};

struct parser_hdr {
	const char	*val;	/* raw value, folding included; NULL: absent */
	size_t		 len;
};

/*
 * Scan the header block at the start of msg[0..len) and record the first
 * occurrence of each field above.  *body_off_r gets the offset of the
 * body (len when there is none).  Returns the number of header fields
 * seen; 0 means msg does not start with a header.
 */
size_t	parser_header_scan(const char *msg, size_t len,
	    struct parser_hdr hdrs[HDR_COUNT], size_t *body_off_r);

/* A header value unfolded, with encoded words decoded, as UTF-8 with
 * control characters replaced by spaces, trimmed; NULL for an absent
 * field.  The caller frees the result. */
char	*parser_header_text(const struct parser_hdr *);

/* The same without decoding encoded words (for ids and dates). */
char	*parser_header_raw(const struct parser_hdr *);

/* Decode encoded words in s[0..n) (RFC 2047) to UTF-8; caller frees. */
char	*parser_header_decode(const char *s, size_t n);

#endif

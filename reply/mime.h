/*
 * reply/mime.c: the encodings an outgoing message needs, written so that
 * nothing taken from a customer's email can change the structure of the
 * message: every header value goes through a function here that drops
 * control characters (CR and LF included) and encodes what is not plain
 * ASCII (RFC 2047 encoded words, RFC 2045 quoted-printable bodies).
 */
#ifndef MO_REPLY_MIME_H
#define MO_REPLY_MIME_H

#include <stddef.h>

#include "common/buf.h"

/* Append "Name: value\r\n" for an unstructured header (Subject and the
 * like).  Control characters in value become spaces and runs of spaces
 * shrink to one; a value that is not all printable ASCII is written as
 * UTF-8 encoded words ("=?UTF-8?B?...?="), each at most 75 characters;
 * long values are folded.  Invalid UTF-8 bytes become U+FFFD. */
void	reply_mime_header(struct buf *, const char *name, const char *value);

/* Append "Name: [phrase ]<addr>\r\n" for an address header.  The display
 * name is cleaned as above and written as an atom sequence, a quoted
 * string or encoded words, whichever fits.  addr must have passed
 * reply_mime_addr_ok(). */
void	reply_mime_address(struct buf *, const char *name, const char *phrase,
	    const char *addr);

/* 1 when addr is a plain addr-spec safe to put in a header and an SMTP
 * envelope: local@domain, printable ASCII without spaces, quotes, angle
 * brackets, commas or semicolons, a dot-separated domain; else 0. */
int	reply_mime_addr_ok(const char *addr);

/* 1 when id (without angle brackets) is a msg-id safe to repeat in
 * In-Reply-To and References: id-left@id-right in printable ASCII, no
 * spaces or brackets, at most 250 bytes. */
int	reply_mime_msgid_ok(const char *id);

/* Append text (UTF-8, LF or CRLF line ends) as quoted-printable with
 * CRLF line ends and lines of at most 76 characters.  A "." or "From "
 * at the start of a line is encoded too, so no transport or mbox file
 * can misread it. */
void	reply_mime_qp(struct buf *, const char *text, size_t len);

/* Copy s into a new string with control characters replaced by spaces,
 * runs of white space collapsed, ends trimmed, invalid UTF-8 replaced,
 * and at most max bytes kept (cut at a character boundary).  The caller
 * frees the result. */
char	*reply_mime_clean(const char *s, size_t max);

#endif

/*
 * parser/: raw RFC 5322 bytes in, clean UTF-8 text out.  Pure: no store, no
 * network, no globals beyond libetpan's.
 *
 * parser_parse() walks the MIME tree (libetpan mailmime), decodes transfer
 * encodings, converts every charset to UTF-8 (iconv), picks the body
 * (text/plain preferred, else text/html turned into text with libxml2,
 * table rows kept as lines), collects text/csv attachments as order
 * sheets, reads attached spreadsheets, PDFs and winmail.dat (attach/),
 * records why any other attachment was ignored, follows forwarded messages (message/rfc822 parts), and then
 * cleans the body (parser/clean.h): quoted replies and signatures removed.
 *
 * Everything a parse allocates hangs off struct parsed_msg and is freed by
 * parser_msg_release().
 */
#ifndef MO_PARSER_H
#define MO_PARSER_H

#include <stddef.h>
#include <time.h>

#include "attach/attach.h"
#include "common/error.h"
#include "parser/clean.h"

struct parser_limits {
	size_t	max_message;	/* raw bytes; larger messages are refused */
	size_t	max_text;	/* UTF-8 body bytes kept; the rest is cut */
	int	max_depth;	/* MIME nesting */
	int	max_parts;	/* MIME parts walked */
	struct attach_limits attach;	/* per attached document */
};

#define PARSER_MAX_MESSAGE_DEFAULT	(25u * 1024 * 1024)
#define PARSER_MAX_TEXT_DEFAULT		(512u * 1024)
#define PARSER_MAX_DEPTH_DEFAULT	16
#define PARSER_MAX_PARTS_DEFAULT	256

/* Fill *l with the defaults above. */
void	parser_limits_default(struct parser_limits *l);

struct parser_sheet {		/* an attached order sheet, as UTF-8 */
	char		*filename;	/* may be NULL */
	char		*text;
	size_t		 len;
	const char	*format;	/* "csv", "xlsx", "ods", "pdf" */
	int		 laid_out;	/* text is a document laid out with
					   aligned columns (attach/), not CSV */
};

/* What became of each attachment that is no text part of the body. */
enum parser_attach_status {
	PARSER_ATTACH_READ,		/* a sheet (in sheets) */
	PARSER_ATTACH_IGNORED,		/* an image, a vCard, a signature */
	PARSER_ATTACH_UNREADABLE,	/* looks like an order; not read */
};

struct parser_attachment {
	char				*filename;	/* may be NULL */
	const char			*format;	/* "" when none */
	enum parser_attach_status	 status;
	char				*reason;	/* why ignored or
							   unreadable; NULL
							   when read */
};

#define PARSER_MAX_ATTACHMENTS	32

struct parsed_msg {
	/* Headers, decoded (encoded words) to UTF-8, with CR, LF and other
	 * control characters replaced by spaces.  NULL when absent. */
	char	*message_id;	/* without the angle brackets */
	char	*from_addr;	/* addr-spec, lower-case */
	char	*from_name;	/* display name */
	char	*reply_to;	/* addr-spec, lower-case */
	char	*to;		/* first To addr-spec, lower-case */
	char	*subject;
	char	*date;		/* the Date header as written */
	time_t	 date_ts;	/* parsed Date, 0 when missing or unreadable */
	int	 date_tzoff;	/* its zone, seconds east of UTC: the sender's
				   day is what "tomorrow" means */
	char	*in_reply_to;	/* as written, brackets kept */
	char	*references;	/* as written */
	char	*return_path;	/* addr-spec; "" for the null sender <> */

	/* What makes a message automatic (RFC 3834 and common practice);
	 * raw header values, NULL when absent. */
	char	*auto_submitted;
	char	*precedence;
	char	*list_id;
	char	*x_autoreply;	/* X-Autoreply / X-Autorespond */
	int	 is_report;	/* top-level multipart/report (bounces, DSNs) */

	/* The chosen body, UTF-8, LF line ends, before cleaning. */
	char	*body;
	size_t	 body_len;
	int	 body_was_html;
	int	 truncated;	/* body cut at max_text, or parts past
				   max_parts dropped */

	struct clean_text	 clean;		/* body with quotes/signatures removed */

	struct parser_sheet	*sheets;	/* order sheets and documents */
	size_t			 nsheets;

	struct parser_attachment *attachments;	/* every non-text part */
	size_t			 nattachments;
};

/* Parse raw[0..len).  raw need not be NUL-terminated; the parser copies
 * it into a padded buffer (libetpan over-reads some inputs by a byte).
 * limits may be NULL for the defaults.
 * Returns 0, or -1 with ERR_MSG for a message that cannot be read (empty,
 * too big, not a message at all) or that is hostile to libetpan (a
 * boundary parameter that is empty or holds a quote or backslash, MIME
 * nesting deeper than max_depth) — a message with a readable header but a
 * broken body still parses, with whatever text could be recovered.
 * out is zeroed first; on failure it holds nothing to release.  Not safe
 * to call from several threads until libxml2 has been initialised
 * (xmlInitParser()) by the main thread. */
int	parser_parse(const char *raw, size_t len, const struct parser_limits *,
	    struct parsed_msg *out, struct err *);

/* Free everything a parse allocated; out is zeroed.  NULL is allowed. */
void	parser_msg_release(struct parsed_msg *);

/* Charset converters are opened once per thread and kept (opening one
 * costs more than a parse).  A thread that parsed and is about to exit
 * closes its converters with this; parsing again reopens them. */
void	parser_charset_cache_release(void);

#endif

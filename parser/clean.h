/*
 * Cleaning a UTF-8 body: what the customer wrote this time, without the
 * quoted earlier mail and without the signature.
 *
 * The result keeps a map of the original body (segments tagged kept,
 * quote, signature, forward-header) so the operator's view can show the
 * dropped parts dimmed, and the cleaned text so the rules can run on it.
 */
#ifndef MO_PARSER_CLEAN_H
#define MO_PARSER_CLEAN_H

#include <stddef.h>

enum clean_kind {
	CLEAN_KEPT = 0,		/* the customer's own words */
	CLEAN_QUOTE,		/* "> ..." lines, "On ... wrote:", Outlook blocks */
	CLEAN_SIGNATURE,	/* "-- ", phone/fax/address blocks, disclaimers */
	CLEAN_FORWARD_HEADER,	/* "---- Forwarded message ----" and its From:/Date: */
};

struct clean_segment {
	enum clean_kind	kind;
	size_t		off;	/* byte range in the original body */
	size_t		len;
};

struct clean_text {
	char			*text;	/* kept segments joined, NUL-terminated */
	size_t			 len;
	struct clean_segment	*segs;	/* in order, covering the whole body */
	size_t			 nsegs;
	size_t			*map;	/* map[i]: offset in body of text[i] */
};

/* The mail's subject says it forwards another ("FW:", "Fwd:"): its first
 * Outlook header block (From:/Sent:/To:/Subject:) starts the forwarded
 * mail, which is kept, even when that block's own Subject has no FW:
 * (Outlook shows the original subject there). */
#define CLEAN_FORWARDED	0x1

/* Clean body[0..len) into *out (zeroed first); flags: CLEAN_*.  Never
 * fails: at worst everything is kept. */
void	clean_body(const char *body, size_t len, int flags,
	    struct clean_text *out);
void	clean_text_release(struct clean_text *);

#endif

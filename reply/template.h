/*
 * reply/template.c: the reply templates, plain text with {{placeholders}},
 * {{#if NAME}}...{{else}}...{{/if}} and {{#each lines}}...{{/each}}
 * (templates/FORMAT.md).  A template is checked completely when it is
 * loaded, so a typo is reported as FILE:LINE before any customer sees a
 * half-rendered mail; rendering cannot fail.
 */
#ifndef MO_REPLY_TEMPLATE_H
#define MO_REPLY_TEMPLATE_H

#include <stddef.h>

#include "common/buf.h"
#include "common/error.h"

/* Placeholders available everywhere. */
enum reply_var {
	REPLY_VAR_SHOP_NAME,
	REPLY_VAR_SHOP_ADDRESS,
	REPLY_VAR_CUSTOMER_NAME,	/* the customer's (company) name */
	REPLY_VAR_SENDER_NAME,		/* the display name of the email */
	REPLY_VAR_GREETING,		/* the customer's own greeting */
	REPLY_VAR_NOTE,			/* the customer's note */
	REPLY_VAR_ORDER_NUMBER,
	REPLY_VAR_ORDER_DATE,
	REPLY_VAR_PO_NUMBER,
	REPLY_VAR_REQUESTED_DATE,
	REPLY_VAR_SUBJECT,		/* the customer's subject */
	REPLY_VAR_TEXT,			/* the operator's words */
	REPLY_VAR_CARRIER,
	REPLY_VAR_TRACKING,
	REPLY_VAR_TRACKING_URL,
	REPLY_VAR_LINE_COUNT,
	REPLY_VAR_PERSON,		/* who answers personally ([reply] person) */
	REPLY_VAR_SIGNED_BY,		/* the person who wrote it (operator) */
	REPLY_VAR_OPERATOR_NOTE,	/* the operator's personal note */
	REPLY_VAR_COUNT
};

/* Placeholders inside {{#each lines}}. */
enum reply_line_var {
	REPLY_LVAR_NUMBER,	/* 1, 2, ... */
	REPLY_LVAR_QUANTITY,
	REPLY_LVAR_UNIT,
	REPLY_LVAR_PRODUCT,	/* catalog name */
	REPLY_LVAR_SKU,
	REPLY_LVAR_WORDS,	/* the customer's words */
	REPLY_LVAR_COUNT
};

/* Values for one rendering; NULL renders as nothing and is false in
 * {{#if}}. */
struct reply_vars {
	const char	 *v[REPLY_VAR_COUNT];
	const char	*(*lines)[REPLY_LVAR_COUNT];
	size_t		  nlines;
};

struct reply_template;

/* Compile text[0..len) read from file (the name is only used in
 * messages).  Returns a template to free with reply_template_free(), or
 * NULL with ERR_CONFIG and "FILE:LINE: what is wrong". */
struct reply_template	*reply_template_parse(const char *file,
			    const char *text, size_t len, struct err *);

/* Read and compile the file at path (at most 64 KiB).  NULL with
 * ERR_CONFIG when it cannot be read or is broken. */
struct reply_template	*reply_template_load(const char *path, struct err *);

/* Append the rendered text (LF line ends) to out. */
void	reply_template_render(const struct reply_template *,
	    const struct reply_vars *, struct buf *out);

void	reply_template_free(struct reply_template *);

#endif

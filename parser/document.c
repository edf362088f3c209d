/*
 * Attachments that are no text of the body: documents attach/ reads
 * become sheets, laid out as aligned text for the engine's table
 * reader; everything else is recorded with the reason it was ignored,
 * or as unreadable when it looks like an order (so the engine flags it
 * and a person looks).  Nothing is dropped without a record.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "parser/parser_int.h"

#define DOCUMENT_TNEF_DEPTH	1	/* a winmail.dat inside one: ignored */

struct document {
	struct parsed_msg		*out;
	const struct parser_limits	*lim;
	struct buf			*plain;
	int				*truncated;
	int				 depth;
};

static void document_take(struct document *, const char *type,
    const char *name, const char *data, size_t len);

static void
document_record(struct document *d, const char *name, const char *format,
    enum parser_attach_status st, const char *reason)
{
	struct parsed_msg *out = d->out;
	struct parser_attachment *a;

	if (out->nattachments >= PARSER_MAX_ATTACHMENTS) {
		*d->truncated = 1;
		return;
	}
	out->attachments = xreallocarray(out->attachments,
	    out->nattachments + 1, sizeof(*out->attachments));
	a = &out->attachments[out->nattachments++];
	a->filename = name != NULL ? xstrdup(name) : NULL;
	a->format = format;
	a->status = st;
	a->reason = reason != NULL ? xstrdup(reason) : NULL;
}

static void
document_sheet(struct document *d, const char *name, const char *format,
    struct buf *text)
{
	struct parsed_msg *out = d->out;
	struct parser_sheet *sh;

	out->sheets = xreallocarray(out->sheets, out->nsheets + 1,
	    sizeof(*out->sheets));
	sh = &out->sheets[out->nsheets++];
	sh->filename = name != NULL ? xstrdup(name) : NULL;
	sh->format = format;
	sh->laid_out = 1;
	sh->len = text->len;
	sh->text = text->len > 0 ? buf_detach(text, NULL) : xstrdup("");
}

static void
tnef_body(void *arg, const char *text, size_t len)
{
	struct document *d = arg;

	/* Outlook's PR_BODY is in the sender's ANSI code page: read as
	 * undeclared text (UTF-8, else windows-1252) */
	if (d->plain->len > 0)
		(void)parser_text_add(d->plain, "\n", 1);
	if (parser_charset_to_utf8(NULL, text, len, d->plain) == -1)
		*d->truncated = 1;
}

static void
tnef_file(void *arg, const char *name, const char *type, const char *data,
    size_t len)
{
	struct document *d = arg;

	d->depth++;
	document_take(d, type, name[0] != '\0' ? name : NULL, data, len);
	d->depth--;
}

static void
document_read(struct document *d, enum attach_format f, const char *name,
    const char *data, size_t len)
{
	const char *fmt = attach_format_name(f);
	struct attach_tnef_cb cb = { tnef_body, tnef_file, d };
	struct buf text;
	struct err err;
	int rc;

	err_clear(&err);
	if (f == ATTACH_TNEF) {
		if (d->depth >= DOCUMENT_TNEF_DEPTH)
			document_record(d, name, fmt, PARSER_ATTACH_IGNORED,
			    "a winmail.dat inside a winmail.dat");
		else if (attach_tnef_read(data, len, &d->lim->attach, &cb,
		    &err) == -1)
			document_record(d, name, fmt,
			    PARSER_ATTACH_UNREADABLE, err.msg);
		else
			document_record(d, name, fmt, PARSER_ATTACH_READ, NULL);
		return;
	}
	if (d->out->nsheets >= PARSER_MAX_ATTACHMENTS) {
		document_record(d, name, fmt, PARSER_ATTACH_UNREADABLE,
		    "too many attached documents");
		return;
	}
	if (f == ATTACH_XLS && !d->lim->attach.read_xls) {
		document_record(d, name, fmt, PARSER_ATTACH_UNREADABLE,
		    "legacy Excel is not read ([policy] read_xls = no)");
		return;
	}
	buf_init(&text, d->lim->attach.max_text);
	if (f == ATTACH_PDF)
		rc = attach_pdf_read(data, len, &d->lim->attach, &text, &err);
	else if (f == ATTACH_ODS)
		rc = attach_ods_read(data, len, &d->lim->attach, &text, &err);
	else if (f == ATTACH_XLS)
		rc = attach_xls_read(data, len, &d->lim->attach, &text, &err);
	else
		rc = attach_xlsx_read(data, len, &d->lim->attach, &text, &err);
	if (rc == 0) {
		document_sheet(d, name, fmt, &text);
		document_record(d, name, fmt, PARSER_ATTACH_READ, NULL);
	} else
		document_record(d, name, fmt, PARSER_ATTACH_UNREADABLE,
		    err.msg);
	buf_release(&text);
}

static void
document_take(struct document *d, const char *type, const char *name,
    const char *data, size_t len)
{
	enum attach_format f = attach_format_of(type, name, data, len);

	if (f != ATTACH_NONE)
		document_read(d, f, name, data, len);
	else if (attach_looks_like_order(type, name))
		document_record(d, name, "", PARSER_ATTACH_UNREADABLE,
		    "a format mailorder does not read");
	else
		document_record(d, name, "", PARSER_ATTACH_IGNORED,
		    attach_ignore_reason(type, name));
}

void
parser_attachment(struct parsed_msg *out, const struct parser_limits *lim,
    const char *type, const char *name, const char *data, size_t len,
    struct buf *plain, int *truncated)
{
	struct document d = { out, lim, plain, truncated, 0 };

	document_take(&d, type, name, data, len);
}

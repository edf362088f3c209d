/*
 * attach/: attached documents (spreadsheets, PDFs, Outlook's winmail.dat)
 * in, laid-out UTF-8 text out.  Pure, like parser/: bytes in, text out.
 *
 * Every reader turns its document into positioned cells and hands them
 * to attach/layout.c, which writes them as text with the columns aligned
 * by spaces: one line per row, each cell starting where its column
 * starts, cells at least two spaces apart.  That is a table as a person
 * types it into a mail, and the engine reads it with the same table and
 * field reader (rules/table.c): header words give the columns their
 * roles, rows before the header give the PO number and the date, a
 * repeated header on a new page starts the table again.
 *
 * One reader per file, each library in one file: xlsx.c and ods.c (over
 * zip.c, the only user of libzip, and libxml2's reader), xls.c
 * (FreeXL), pdf.c (poppler-glib), tnef.c (libytnef).  Each reader keeps to the limits in
 * struct attach_limits and fails, rather than reading part of a
 * document, when one is passed: a document read in part could be an
 * order accepted with lines missing.
 */
#ifndef MO_ATTACH_H
#define MO_ATTACH_H

#include <stddef.h>

#include "common/buf.h"
#include "common/error.h"

enum attach_format {
	ATTACH_NONE = 0,	/* not a document mailorder reads */
	ATTACH_XLSX,
	ATTACH_XLS,		/* legacy Excel (BIFF) */
	ATTACH_ODS,
	ATTACH_PDF,
	ATTACH_TNEF,
};

struct attach_limits {
	size_t		max_unpacked;	/* bytes of one zip member unpacked */
	size_t		max_cells;	/* non-empty cells (words for a PDF) */
	unsigned int	max_pages;	/* PDF pages */
	size_t		max_text;	/* bytes of laid-out text */
	int		read_xls;	/* legacy .xls read at all ([policy]
					   read_xls; FreeXL is not safe on
					   hostile files) */
};

#define ATTACH_MAX_UNPACKED_DEFAULT	(16u * 1024 * 1024)
#define ATTACH_MAX_CELLS_DEFAULT	20000
#define ATTACH_MAX_PAGES_DEFAULT	50
#define ATTACH_MAX_TEXT_DEFAULT		(256u * 1024)

void	attach_limits_default(struct attach_limits *);

/* The format of an attachment from its MIME type (may be NULL), its file
 * name (may be NULL) and its first bytes (data[0..len)): the file name
 * and the type only choose among formats whose magic bytes the data
 * has, so a "order.pdf" that is an image is no PDF. */
enum attach_format attach_format_of(const char *mime_type, const char *filename,
		    const char *data, size_t len);

/* "xlsx", "ods", "pdf", "winmail.dat"; "" for ATTACH_NONE. */
const char	*attach_format_name(enum attach_format);

/* Why an attachment that is no document is ignored ("an image", "a
 * calendar invitation", ...), from its type and name; never NULL. */
const char	*attach_ignore_reason(const char *mime_type,
		    const char *filename);

/* 1 when an attachment that is no format mailorder reads still looks
 * like an order (a legacy .xls, a Word file, a name saying "order"), so
 * that it is flagged for a person rather than ignored. */
int		 attach_looks_like_order(const char *mime_type,
		    const char *filename);

/*
 * Read the spreadsheet / PDF data[0..len) and append its laid-out text
 * to out.  Returns 0, or -1 with ERR_MSG and a message saying why
 * ("no text layer: a scanned page?", "more than 50 pages", "not a zip
 * archive") when it cannot be read whole.
 */
int	attach_xlsx_read(const char *data, size_t len,
	    const struct attach_limits *, struct buf *out, struct err *);
int	attach_ods_read(const char *data, size_t len,
	    const struct attach_limits *, struct buf *out, struct err *);
int	attach_xls_read(const char *data, size_t len,
	    const struct attach_limits *, struct buf *out, struct err *);
int	attach_pdf_read(const char *data, size_t len,
	    const struct attach_limits *, struct buf *out, struct err *);

/*
 * winmail.dat: the message body Outlook wrapped (plain text, when it
 * has one) and its attachments.  The callbacks get borrowed bytes.
 * Returns 0, or -1 with ERR_MSG when data is no readable TNEF stream.
 */
struct attach_tnef_cb {
	void	(*body)(void *arg, const char *text, size_t len);
	void	(*file)(void *arg, const char *filename, const char *mime_type,
		    const char *data, size_t len);
	void	*arg;
};

int	attach_tnef_read(const char *data, size_t len,
	    const struct attach_limits *, const struct attach_tnef_cb *,
	    struct err *);

#endif

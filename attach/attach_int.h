/*
 * Internals shared by the readers of attach/: the layout that turns
 * positioned cells into aligned text, and the bounded zip member reader.
 * Nothing outside attach/ includes this.
 */
#ifndef MO_ATTACH_INT_H
#define MO_ATTACH_INT_H

#include <stddef.h>

#include <libxml/xmlreader.h>

#include "attach/attach.h"

/*
 * Cells collected from a document, laid out as text.  In a grid layout
 * (spreadsheets) x is the column index and each column is as wide as its
 * widest cell; in a free layout (PDF) x is the left edge in points, and
 * a cell starts at x / ATTACH_LAYOUT_UNIT characters, or two spaces after
 * the cell before it when that one runs on.  Rows further apart than
 * their number says (an empty spreadsheet row, a PDF paragraph gap, a new
 * page) are separated by an empty line, so a document's head and its
 * table are separate blocks.
 */
#define ATTACH_LAYOUT_UNIT	2.0	/* points per character: under the
					   narrowest glyph, so text never
					   runs past its own right edge */

struct layout_cell {
	size_t	 row;
	double	 x;
	char	*text;
	size_t	 len;
};

struct layout {
	struct layout_cell	*cells;
	size_t			 n, cap;
	size_t			 max_cells;
	int			 grid;
};

void	layout_init(struct layout *, size_t max_cells, int grid);
void	layout_release(struct layout *);

/* Add the cell text[0..len) (UTF-8): tabs, line breaks and '|' become
 * spaces, runs of spaces one, ends trimmed; an empty cell is dropped.
 * Returns 0, or -1 when the layout already holds max_cells cells. */
int	layout_add(struct layout *, size_t row, double x, const char *text,
	    size_t len);

/* Append the laid-out text to out; -1 when out's maximum is reached. */
int	layout_text(struct layout *, struct buf *out);

/*
 * The member name of the zip archive data[0..len), unpacked, into *out_r
 * (malloc'd, NUL-terminated; *len_r its length).  Returns 1, 0 when the
 * archive has no such member, or -1 with ERR_MSG: not a zip archive, or
 * the member unpacks to more than max bytes (whatever its header
 * claims).  Name matching ignores case.
 */
int	attach_zip_member(const char *data, size_t len, const char *name,
	    size_t max, char **out_r, size_t *len_r, struct err *);

/* libxml2's streaming reader over xml[0..len), with the network off;
 * NULL when it cannot start. */
xmlTextReaderPtr attach_xml_reader(const char *xml, size_t len);
/* The value of the current element's attribute whose local name is local
 * (whatever its namespace prefix); malloc'd, or NULL. */
char	*attach_xml_attr(xmlTextReaderPtr, const char *local);
/* Whether the reader is on a node of type (XML_READER_TYPE_ELEMENT or
 * _END_ELEMENT) with local name local. */
int	 attach_xml_is(xmlTextReaderPtr, int type, const char *local);

/* Excel's and LibreOffice's day numbers: day 0 is 1899-12-30.  Writes
 * YYYY-MM-DD (11 bytes) and returns 0, or -1 outside years 1900..9999. */
int	attach_serial_date(double serial, char out[11]);

#endif

/*
 * An RFC 4180 CSV reader for the files operators import (catalog,
 * customers, history).  The first record is the header; columns are found
 * by name, so their order does not matter and extra columns are ignored.
 *
 * The input is untrusted: every field and record has a hard size limit and
 * every field must be valid UTF-8 without NUL bytes.  Errors read
 * "FILE:LINE: what is wrong", LINE being the physical line (1-based) of
 * the offending record, so they can be shown to the user as they are.
 */
#ifndef MO_CSV_H
#define MO_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "common/error.h"

#define CSV_FIELD_MAX	(64 * 1024)	/* bytes in one field */
#define CSV_RECORD_MAX	(1024 * 1024)	/* bytes in one record, all fields */
#define CSV_FIELDS_MAX	1024		/* fields in one record */

struct csv;

/* Open path and read its header.  Returns a reader the caller frees with
 * csv_free(), or NULL and err: ERR_CONFIG when the file cannot be opened
 * or read, ERR_INPUT when the header is missing or malformed. */
struct csv	*csv_open(const char *path, struct err *);

/* Likewise on an open stream (borrowed: csv_free() does not close it);
 * name is used in messages. */
struct csv	*csv_new(FILE *, const char *name, struct err *);

/* The same for a file whose fields another byte separates (';' or a
 * tab: spreadsheets in many locales export them). */
struct csv	*csv_new_sep(FILE *, const char *name, int sep, struct err *);

/* Free the reader (closing the file csv_open opened).  NULL is fine. */
void		 csv_free(struct csv *);

/* Read the next record.  Returns 1 with a record, 0 at end of file, -1
 * and err (ERR_INPUT for bad data, ERR_CONFIG for a read error).  Empty
 * lines between records are skipped. */
int		 csv_read(struct csv *, struct err *);

/* Index of the header column called name (compared case-insensitively,
 * surrounding blanks ignored), or -1.  When err is not NULL a missing
 * column is an ERR_INPUT error "FILE:1: missing column 'name'", which adds
 * that the file looks semicolon-separated when its header is one column
 * holding ';'. */
int		 csv_column(struct csv *, const char *name, struct err *);

/* Field col of the current record, borrowed until the next csv_read();
 * "" when the record is shorter or col is -1. */
const char	*csv_field(const struct csv *, int col);

/* The header's names: how many, and name col (borrowed; NULL past the
 * end). */
size_t		 csv_ncolumns(const struct csv *);
const char	*csv_column_name(const struct csv *, size_t col);

/* Number of fields in the current record. */
size_t		 csv_nfields(const struct csv *);

/* Physical line where the current record starts. */
unsigned long	 csv_line(const struct csv *);

/* The name given to csv_open()/csv_new(), borrowed. */
const char	*csv_name(const struct csv *);

#endif

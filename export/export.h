/*
 * mailorder export: orders out to finance and ERP software as CSV (one
 * row per line), JSON Lines (the object of `show --json`) or one OASIS
 * UBL 2.1 Order document per order; with --new, each order and each
 * later version of it exactly once per format, through the cursor in the
 * store (store/export.h).
 *
 * Files are written whole or not at all: to a temporary name in the
 * directory, synced, then renamed.
 */
#ifndef MO_EXPORT_H
#define MO_EXPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/buf.h"
#include "common/error.h"

struct store;

enum export_format {
	EXPORT_CSV,
	EXPORT_JSON,
	EXPORT_UBL,
};

struct export_opts {
	enum export_format	 format;
	const char		*since, *until;	/* YYYY-MM-DD; NULL: open */
	const char *const	*statuses;	/* NULL-terminated */
	const char		*out;		/* a directory; NULL: stdout */
	int			 new_only;	/* --new (needs out) */
	const char		*seller_name;	/* UBL's seller; may be NULL */
	const char		*seller_email;
};

struct export_result {
	size_t	orders;		/* exported by this run */
	size_t	files;		/* written by this run */
	size_t	recovered;	/* files of an earlier, unfinished run */
	char	first[4096];	/* the first file written, for the summary */
};

/* "csv", "json", "ubl" <-> the format; parse returns -1 for others. */
const char	*export_format_name(enum export_format);
int		 export_format_parse(const char *, enum export_format *);

/* Export what opts selects: to `out` (a stream) when opts->out is NULL,
 * else into files in opts->out.  Fails with ERR_MSG for what the user
 * can fix (UBL or --new without a directory, a directory that cannot be
 * written), with the store's errors otherwise.  After a failure with
 * --new, what was committed is written by the next run. */
int	export_run(struct store *, const struct export_opts *, FILE *out,
	    struct export_result *, struct err *);

/* One order in each format, appended to b (0, or -1 with err; ERR_MSG
 * when there is no such order). */
void	export_csv_header(struct buf *);
int	export_csv_order(struct store *, int64_t id, struct buf *,
	    struct err *);
/* ,"carrier":...,"tracking":... of order id (null until it ships), as
 * show --json and the JSON export both print them. */
int	export_json_shipment(struct store *, int64_t id, struct buf *,
	    struct err *);
int	export_json_order(struct store *, int64_t id, struct buf *,
	    struct err *);
/* name_r gets the document's file name, "MO-12-v3.xml". */
int	export_ubl_order(struct store *, int64_t id,
	    const struct export_opts *, struct buf *, char name_r[64],
	    struct err *);

#endif

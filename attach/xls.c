/*
 * Legacy Excel (.xls, BIFF in an OLE2 compound file), read with FreeXL,
 * the only file that uses it.  FreeXL opens files by path only, so the
 * attachment goes into an anonymous memory file (memfd_create) opened
 * through /proc/self/fd: nothing touches the disk.  The sheet read is
 * the first whose name says order or PO, else the first; FreeXL gives
 * date cells as YYYY-MM-DD and numbers as numbers.
 */
#include "config.h"

#include <sys/mman.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <freexl.h>

#include "attach/attach_int.h"

/* A sheet of more cells than this (rows x columns, empty or not) is
 * refused before FreeXL allocates its grid. */
#define XLS_GRID_MAX	(4u * 1024 * 1024)

static int
xls_memfd(const char *data, size_t len, struct err *err)
{
	size_t off = 0;
	ssize_t n;
	int fd;

	if ((fd = memfd_create("mailorder-xls", MFD_CLOEXEC)) == -1)
		return err_set(err, ERR_TEMP, "memfd_create: %s",
		    strerror(errno));
	while (off < len) {
		if ((n = write(fd, data + off, len - off)) <= 0) {
			err_set(err, ERR_TEMP, "memfd write: %s",
			    strerror(errno));
			close(fd);
			return -1;
		}
		off += (size_t)n;
	}
	return fd;
}

static unsigned short
xls_pick_sheet(const void *h)
{
	unsigned int n = 0, i;
	const char *name;

	if (freexl_get_info(h, FREEXL_BIFF_SHEET_COUNT, &n) != FREEXL_OK)
		return 0;
	for (i = 0; i < n && i < 256; i++)
		if (freexl_get_worksheet_name(h, (unsigned short)i, &name) ==
		    FREEXL_OK && name != NULL &&
		    (strcasestr(name, "order") != NULL ||
		    strncasecmp(name, "po", 2) == 0))
			return (unsigned short)i;
	return 0;
}

static int
xls_cell(struct layout *lo, size_t row, size_t col,
    const FreeXL_CellValue *v)
{
	char num[64];

	switch (v->type) {
	case FREEXL_CELL_INT:
		snprintf(num, sizeof(num), "%d", v->value.int_value);
		break;
	case FREEXL_CELL_DOUBLE:
		snprintf(num, sizeof(num), "%.15g", v->value.double_value);
		break;
	case FREEXL_CELL_TEXT:
	case FREEXL_CELL_SST_TEXT:
	case FREEXL_CELL_DATE:
	case FREEXL_CELL_DATETIME:
	case FREEXL_CELL_TIME:
		if (v->value.text_value == NULL)
			return 0;
		return layout_add(lo, row, (double)col, v->value.text_value,
		    strlen(v->value.text_value));
	default:
		return 0;
	}
	return layout_add(lo, row, (double)col, num, strlen(num));
}

static int
xls_sheet(const void *h, const struct attach_limits *lim, struct buf *out,
    struct err *err)
{
	FreeXL_CellValue v;
	struct layout lo;
	unsigned int rows, r;
	unsigned short cols, c;
	int rc = 0;

	if (freexl_select_active_worksheet(h, xls_pick_sheet(h)) != FREEXL_OK ||
	    freexl_worksheet_dimensions(h, &rows, &cols) != FREEXL_OK)
		return err_set(err, ERR_MSG, "unreadable worksheet");
	if ((size_t)rows * cols > XLS_GRID_MAX)
		return err_set(err, ERR_MSG, "a sheet of %u x %u cells",
		    rows, (unsigned int)cols);
	layout_init(&lo, lim->max_cells, 1);
	for (r = 0; r < rows && rc == 0; r++)
		for (c = 0; c < cols && rc == 0; c++)
			if (freexl_get_cell_value(h, r, c, &v) == FREEXL_OK &&
			    xls_cell(&lo, r + 1, c, &v) == -1)
				rc = err_set(err, ERR_MSG, "more than %zu cells",
				    lim->max_cells);
	if (rc == 0 && layout_text(&lo, out) == -1)
		rc = err_set(err, ERR_MSG, "the sheet is longer than %zu "
		    "bytes of text", out->max);
	layout_release(&lo);
	return rc;
}

int
attach_xls_read(const char *data, size_t len,
    const struct attach_limits *lim, struct buf *out, struct err *err)
{
	const void *h = NULL;
	char path[64];
	int fd, r, rc;

	if (len > lim->max_unpacked)
		return err_set(err, ERR_MSG, "more than %zu bytes",
		    lim->max_unpacked);
	if ((fd = xls_memfd(data, len, err)) == -1)
		return -1;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if ((r = freexl_open(path, &h)) != FREEXL_OK)
		rc = err_set(err, ERR_MSG, "unreadable .xls (FreeXL error %d)",
		    r);
	else
		rc = xls_sheet(h, lim, out, err);
	if (h != NULL)
		freexl_close(h);
	close(fd);
	return rc;
}

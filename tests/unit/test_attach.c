/*
 * attach/: the document readers on the generated fixtures in
 * tests/fixtures/attach/docs/ (see make.sh there), their limits (a zip
 * bomb built here with libzip, too many pages, too many cells), format
 * detection by magic bytes, and the layout the table reader relies on.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zip.h>

#include "attach/attach.h"
#include "attach/attach_int.h"
#include "common/buf.h"
#include "common/error.h"

static char *
doc_read(const char *name, size_t *len_r)
{
	char path[1024], *data;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s", ATTACH_FIXTURES, name);
	if ((f = fopen(path, "rb")) == NULL)
		fail_msg("cannot open fixture '%s'", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = malloc((size_t)n + 1);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len_r = (size_t)n;
	return data;
}

typedef int (*reader_fn)(const char *, size_t, const struct attach_limits *,
    struct buf *, struct err *);

/* Read fixture name with reader under lim (NULL: defaults); the text,
 * or NULL with err on failure. */
static char *
doc_text(const char *name, reader_fn reader, const struct attach_limits *lim,
    struct err *err)
{
	struct attach_limits def;
	struct buf b;
	size_t len;
	char *data = doc_read(name, &len), *out = NULL;

	attach_limits_default(&def);
	buf_init(&b, (lim ? lim : &def)->max_text);
	err_clear(err);
	if (reader(data, len, lim ? lim : &def, &b, err) == 0)
		out = buf_detach(&b, NULL);
	buf_release(&b);
	free(data);
	return out;
}

/* The line of text that contains needle, as a new string. */
static char *
line_with(const char *text, const char *needle)
{
	const char *p = strstr(text, needle), *s, *e;

	if (p == NULL)
		fail_msg("no line with '%s' in:\n%s", needle, text);
	for (s = p; s > text && s[-1] != '\n'; s--)
		;
	e = strchr(p, '\n');
	return strndup(s, e ? (size_t)(e - s) : strlen(s));
}

/* Byte offset of word in the line with key. */
static long
column_of(const char *text, const char *key, const char *word)
{
	char *l = line_with(text, key), *w;
	long off;

	w = strstr(l, word);
	if (w == NULL)
		fail_msg("no '%s' on the line '%s'", word, l);
	off = w - l;
	free(l);
	return off;
}

static void
test_layout_grid(void **state)
{
	struct layout lo;
	struct buf b;

	(void)state;
	layout_init(&lo, 100, 1);
	assert_int_equal(layout_add(&lo, 1, 0, "Qty", 3), 0);
	assert_int_equal(layout_add(&lo, 1, 3, "Item\tname", 9), 0);
	assert_int_equal(layout_add(&lo, 2, 0, "12", 2), 0);
	assert_int_equal(layout_add(&lo, 2, 3, "a | b", 5), 0);
	assert_int_equal(layout_add(&lo, 2, 2, "  ", 2), 0);	/* empty */
	assert_int_equal(layout_add(&lo, 5, 0, "Total", 5), 0);
	buf_init(&b, 0);
	assert_int_equal(layout_text(&lo, &b), 0);
	/* column 3 starts after column 0's widest cell ("Total") and two
	 * spaces;
	 * columns 1 and 2 hold nothing and take no room; '|' and tabs are
	 * spaces; the gap in the rows is an empty line */
	assert_string_equal(buf_str(&b),
	    "Qty    Item name\n12     a b\n\nTotal\n");
	buf_release(&b);
	layout_release(&lo);

	layout_init(&lo, 1, 1);
	assert_int_equal(layout_add(&lo, 1, 0, "a", 1), 0);
	assert_int_equal(layout_add(&lo, 1, 1, "b", 1), -1);
	layout_release(&lo);
}

static void
test_serial_date(void **state)
{
	char d[11];

	(void)state;
	assert_int_equal(attach_serial_date(46364, d), 0);
	assert_string_equal(d, "2026-12-08");
	assert_int_equal(attach_serial_date(46364.75, d), 0);
	assert_string_equal(d, "2026-12-08");
	assert_int_equal(attach_serial_date(-3, d), -1);
}

static void
test_xlsx_order_sheet(void **state)
{
	struct err err;
	char *t;

	(void)state;
	t = doc_text("globex-po.xlsx", attach_xlsx_read, NULL, &err);
	assert_non_null(t);
	/* the sheet named "Purchase Order", not the notes sheet before it */
	assert_null(strstr(t, "supply contract"));
	/* a date cell as a date, from its style; numbers as stored */
	assert_non_null(strstr(t, "2026-12-08"));
	assert_non_null(strstr(t, "14.5"));
	assert_int_equal(column_of(t, "HB-1KG", "6 "),
	    column_of(t, "Item Code", "Qty"));
	free(t);

	t = doc_text("bright-po.xlsx", attach_xlsx_read, NULL, &err);
	assert_non_null(t);
	assert_null(strstr(t, "Espresso  "));	/* the "Prices" sheet */
	assert_non_null(strstr(t, "2026-12-09"));
	free(t);
}

static void
test_xls_legacy(void **state)
{
	struct attach_limits lim;
	struct err err;
	char *t;

	(void)state;
	t = doc_text("initech-po.xls", attach_xls_read, NULL, &err);
	assert_non_null(t);
	assert_non_null(strstr(t, "INI-2304"));
	assert_non_null(strstr(t, "2026-12-10"));	/* a date cell */
	assert_int_equal(column_of(t, "CHOC-CHIP-COOK", "8"),
	    column_of(t, "Product", "Qty"));
	free(t);
	attach_limits_default(&lim);
	lim.max_cells = 5;
	assert_null(doc_text("initech-po.xls", attach_xls_read, &lim, &err));
	assert_non_null(strstr(err.msg, "5 cells"));
	/* a file that is no workbook */
	assert_null(doc_text("harbor-body-winmail.dat", attach_xls_read, NULL,
	    &err));
	assert_int_equal(err.cls, ERR_MSG);
}

static void
test_ods_order_table(void **state)
{
	struct err err;
	char *t;

	(void)state;
	t = doc_text("bright-po.ods", attach_ods_read, NULL, &err);
	assert_non_null(t);
	assert_non_null(strstr(t, "BS-2026-118"));
	assert_non_null(strstr(t, "2026-12-09"));
	assert_int_equal(column_of(t, "Barista Oat Milk", "12"),
	    column_of(t, "Description", "Qty"));
	free(t);
}

static void
test_pdf_columns(void **state)
{
	struct err err;
	char *t;

	(void)state;
	/* LibreOffice centres the header over left-aligned cells: both
	 * start where the column starts */
	t = doc_text("larkspur-po.pdf", attach_pdf_read, NULL, &err);
	assert_non_null(t);
	assert_int_equal(column_of(t, "Item No", "Description"),
	    column_of(t, "MILK-2L", "Semi-Skimmed"));
	assert_int_equal(column_of(t, "Item No", "Qty"),
	    column_of(t, "MILK-2L", "6 "));
	free(t);

	/* Chromium: a wrapped code cell is one cell again, and the page
	 * footer does not move the columns */
	t = doc_text("cedar-po.pdf", attach_pdf_read, NULL, &err);
	assert_non_null(t);
	assert_non_null(strstr(t, "CHOC-CHIP-COOK"));
	assert_non_null(strstr(t, "Cleaning Tablets (tub of 100)"));
	assert_int_equal(column_of(t, "HB-1KG", "12"),
	    column_of(t, "WATER-24", "2 "));
	free(t);
}

static void
test_pdf_scanned(void **state)
{
	struct err err;

	(void)state;
	assert_null(doc_text("harbor-scan.pdf", attach_pdf_read, NULL, &err));
	assert_int_equal(err.cls, ERR_MSG);
	assert_non_null(strstr(err.msg, "scanned"));
}

static void
test_limits(void **state)
{
	struct attach_limits lim;
	struct err err;

	(void)state;
	attach_limits_default(&lim);
	lim.max_pages = 2;
	assert_null(doc_text("bench-10-pages.pdf", attach_pdf_read, &lim,
	    &err));
	assert_non_null(strstr(err.msg, "at most 2"));
	attach_limits_default(&lim);
	lim.max_cells = 10;
	assert_null(doc_text("cedar-po.pdf", attach_pdf_read, &lim, &err));
	assert_null(doc_text("globex-po.xlsx", attach_xlsx_read, &lim, &err));
	assert_non_null(strstr(err.msg, "10 cells"));
	assert_null(doc_text("bright-po.ods", attach_ods_read, &lim, &err));
	attach_limits_default(&lim);
	lim.max_text = 200;
	assert_null(doc_text("cedar-po.pdf", attach_pdf_read, &lim, &err));
	assert_non_null(strstr(err.msg, "200 bytes"));
}

/* An XLSX whose sheet unpacks to 64 MiB of spaces (a few KiB packed). */
static char *
zip_bomb(size_t *len_r)
{
	zip_source_t *src, *member;
	zip_error_t ze;
	zip_t *za;
	zip_stat_t st;
	const char *wb = "<workbook xmlns:r=\"urn:r\"><sheets><sheet "
	    "name=\"a\" r:id=\"r1\"/></sheets></workbook>";
	const char *rels = "<Relationships><Relationship Id=\"r1\" "
	    "Target=\"worksheets/sheet1.xml\"/></Relationships>";
	size_t big = 64u * 1024 * 1024;
	char *sheet = malloc(big), *out;

	assert_non_null(sheet);
	memset(sheet, ' ', big);
	zip_error_init(&ze);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_source_keep(src);
	za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	assert_non_null(za);
	zip_file_add(za, "xl/workbook.xml", zip_source_buffer(za, wb,
	    strlen(wb), 0), 0);
	zip_file_add(za, "xl/_rels/workbook.xml.rels", zip_source_buffer(za,
	    rels, strlen(rels), 0), 0);
	member = zip_source_buffer(za, sheet, big, 0);
	zip_file_add(za, "xl/worksheets/sheet1.xml", member, 0);
	assert_int_equal(zip_close(za), 0);
	free(sheet);
	zip_source_stat(src, &st);
	zip_source_open(src);
	out = malloc(st.size);
	assert_int_equal(zip_source_read(src, out, st.size), (zip_int64_t)st.size);
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&ze);
	*len_r = st.size;
	return out;
}

static void
test_zip_bomb(void **state)
{
	struct attach_limits lim;
	struct buf b;
	struct err err;
	size_t len;
	char *z = zip_bomb(&len);

	(void)state;
	assert_true(len < 1024 * 1024);
	attach_limits_default(&lim);
	buf_init(&b, lim.max_text);
	assert_int_equal(attach_xlsx_read(z, len, &lim, &b, &err), -1);
	assert_int_equal(err.cls, ERR_MSG);
	assert_non_null(strstr(err.msg, "unpacks to more than"));
	buf_release(&b);
	/* not a zip at all */
	buf_init(&b, lim.max_text);
	assert_int_equal(attach_xlsx_read("PK\003\004junk", 8, &lim, &b,
	    &err), -1);
	assert_non_null(strstr(err.msg, "not a zip"));
	assert_int_equal(attach_ods_read("PK\003\004junk", 8, &lim, &b,
	    &err), -1);
	assert_int_equal(attach_pdf_read("%PDF-1.4 junk", 13, &lim, &b,
	    &err), -1);
	buf_release(&b);
	free(z);
}

static void
test_format_by_magic(void **state)
{
	(void)state;
	assert_int_equal(attach_format_of("image/jpeg", "scan.jpg",
	    "%PDF-1.7\n", 9), ATTACH_PDF);
	assert_int_equal(attach_format_of("application/pdf", "order.pdf",
	    "\x89PNG\r\n", 6), ATTACH_NONE);
	assert_int_equal(attach_format_of("application/octet-stream",
	    "Order.XLSX", "PK\003\004", 4), ATTACH_XLSX);
	assert_int_equal(attach_format_of(NULL, "po.ods", "PK\003\004", 4),
	    ATTACH_ODS);
	assert_int_equal(attach_format_of(NULL, "PO.XLS",
	    "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8), ATTACH_XLS);
	assert_int_equal(attach_format_of("application/msword", "po.doc",
	    "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8), ATTACH_NONE);
	assert_int_equal(attach_format_of(NULL, "photos.zip", "PK\003\004",
	    4), ATTACH_NONE);
	assert_int_equal(attach_format_of("application/ms-tnef",
	    "winmail.dat", "\x78\x9f\x3e\x22", 4), ATTACH_TNEF);
	assert_true(attach_looks_like_order("application/pdf", "order.pdf"));
	assert_true(attach_looks_like_order(NULL, "PO-4711.xls"));
	assert_false(attach_looks_like_order("image/png", "logo.png"));
	assert_string_equal(attach_ignore_reason("image/png", "logo.png"),
	    "an image");
	assert_string_equal(attach_ignore_reason("text/calendar",
	    "invite.ics"), "a calendar invitation");
	assert_string_equal(attach_ignore_reason(
	    "application/pkcs7-signature", "smime.p7s"),
	    "a signature (S/MIME)");
}

struct tnef_seen {
	char	body[256];
	char	file[256];
	size_t	len;
	int	nfiles;
};

static void
seen_body(void *arg, const char *text, size_t len)
{
	struct tnef_seen *s = arg;

	snprintf(s->body, sizeof(s->body), "%.*s", (int)len, text);
}

static void
seen_file(void *arg, const char *name, const char *type, const char *data,
    size_t len)
{
	struct tnef_seen *s = arg;

	(void)type;
	snprintf(s->file, sizeof(s->file), "%s", name);
	s->len = len;
	s->nfiles++;
	assert_int_equal(attach_format_of(type, name, data, len),
	    ATTACH_XLSX);
}

static void
test_tnef(void **state)
{
	struct attach_limits lim;
	struct tnef_seen s;
	struct attach_tnef_cb cb = { seen_body, seen_file, &s };
	struct err err;
	size_t len;
	char *d;

	(void)state;
	attach_limits_default(&lim);
	memset(&s, 0, sizeof(s));
	d = doc_read("harbor-sheet-winmail.dat", &len);
	assert_int_equal(attach_tnef_read(d, len, &lim, &cb, &err), 0);
	assert_string_equal(s.body, "Hi, our order is in the attached sheet. Jo");
	assert_string_equal(s.file, "harbor-order.xlsx");
	assert_int_equal(s.nfiles, 1);
	/* a TNEF stream cut inside the file is refused, not half read */
	memset(&s, 0, sizeof(s));
	assert_int_equal(attach_tnef_read(d, len - 100, &lim, &cb, &err), -1);
	assert_int_equal(err.cls, ERR_MSG);
	assert_int_equal(s.nfiles, 0);
	free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout_grid),
		cmocka_unit_test(test_serial_date),
		cmocka_unit_test(test_xlsx_order_sheet),
		cmocka_unit_test(test_xls_legacy),
		cmocka_unit_test(test_ods_order_table),
		cmocka_unit_test(test_pdf_columns),
		cmocka_unit_test(test_pdf_scanned),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_zip_bomb),
		cmocka_unit_test(test_format_by_magic),
		cmocka_unit_test(test_tnef),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

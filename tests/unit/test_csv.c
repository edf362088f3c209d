/*
 * common/csv: the reader behind every import.  Each case feeds bytes
 * through fmemopen() and compares a rendering of what came out (header,
 * then "LINE:field|field;" per record) or the exact error the user sees.
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

#include "common/buf.h"
#include "common/csv.h"
#include "common/error.h"

struct csv_case {
	const char	*name;
	const char	*in;
	size_t		 len;	/* 0: strlen(in) */
	const char	*want;	/* rendering, or NULL when an error is due */
	const char	*error;	/* the exact message */
};

#define HDR "sku,name\n"

static const struct csv_case csv_cases[] = {
	{ "plain LF", HDR "A,1\nB,2\n", 0, "H:sku|name;2:A|1;3:B|2;", NULL },
	{ "CRLF", "sku,name\r\nA,1\r\nB,2\r\n", 0,
	    "H:sku|name;2:A|1;3:B|2;", NULL },
	{ "quoted comma and doubled quotes",
	    HDR "A,\"Cups, 12oz \"\"big\"\"\"\n", 0,
	    "H:sku|name;2:A|Cups, 12oz \"big\";", NULL },
	{ "embedded newline keeps line numbers",
	    HDR "A,\"two\nlines\"\nB,x\n", 0,
	    "H:sku|name;2:A|two\nlines;4:B|x;", NULL },
	{ "embedded CRLF is data", "sku,name\r\nA,\"x\r\ny\"\r\nB,z\r\n", 0,
	    "H:sku|name;2:A|x\r\ny;4:B|z;", NULL },
	{ "BOM is skipped", "\xef\xbb\xbfsku,name\nA,1\n", 0,
	    "H:sku|name;2:A|1;", NULL },
	{ "no final newline", HDR "A,1", 0, "H:sku|name;2:A|1;", NULL },
	{ "quoted last field at EOF", HDR "A,\"1\"", 0,
	    "H:sku|name;2:A|1;", NULL },
	{ "blank lines skipped", HDR "\nA,1\n\r\n\nB,2\n\n", 0,
	    "H:sku|name;3:A|1;6:B|2;", NULL },
	{ "empty fields", "a,b,c\n,,\n\"\",x,\n", 0,
	    "H:a|b|c;2:||;3:|x|;", NULL },
	{ "quote inside unquoted field is data", HDR "A,5\" pipe\n", 0,
	    "H:sku|name;2:A|5\" pipe;", NULL },
	{ "UTF-8 passes", HDR "A,K\xc3\xa4se\n", 0,
	    "H:sku|name;2:A|K\xc3\xa4se;", NULL },
	{ "unterminated quote", HDR "A,1\nB,\"never closed\nmore\n", 0,
	    NULL, "t.csv:3: unterminated quoted field" },
	{ "text after closing quote", HDR "\"A\"x,1\n", 0, NULL,
	    "t.csv:2: unexpected character after closing quote" },
	{ "invalid UTF-8 names the column", HDR "A,\xc3\x28\n", 0, NULL,
	    "t.csv:2: invalid UTF-8 in column 'name'" },
	{ "overlong UTF-8", HDR "A,\xc0\xaf\n", 0, NULL,
	    "t.csv:2: invalid UTF-8 in column 'name'" },
	{ "NUL byte", HDR "A,x\0y\n", sizeof(HDR "A,x\0y\n") - 1, NULL,
	    "t.csv:2: NUL byte in column 'name'" },
	{ "empty file", "", 0, NULL,
	    "t.csv:1: empty file: a header line is required" },
	{ "only blank lines", "\n\r\n", 0, NULL,
	    "t.csv:1: empty file: a header line is required" },
	{ "bad header", "sku,\xff\n", 0, NULL,
	    "t.csv:1: invalid UTF-8 in field 2" },
};

/* Read everything from in, returning the rendering or, on error, the
 * message; malloc'd. */
static char *
csv_render(const char *in, size_t len, int *failed_r)
{
	struct buf out;
	struct err err;
	struct csv *c;
	FILE *fp;
	size_t i;
	int r;

	/* fmemopen() refuses a zero-sized buffer; an empty file is a
	 * stream at EOF. */
	fp = len > 0 ? fmemopen((void *)in, len, "r") : fopen("/dev/null",
	    "r");
	assert_non_null(fp);
	buf_init(&out, BUF_NOLIMIT);
	err_clear(&err);
	*failed_r = 0;
	if ((c = csv_new(fp, "t.csv", &err)) == NULL)
		goto fail;
	buf_adds(&out, "H:");
	for (i = 0; i < csv_nfields(c); i++)
		buf_addf(&out, "%s%s", i ? "|" : "", csv_field(c, (int)i));
	buf_adds(&out, ";");
	while ((r = csv_read(c, &err)) == 1) {
		buf_addf(&out, "%lu:", csv_line(c));
		for (i = 0; i < csv_nfields(c); i++)
			buf_addf(&out, "%s%s", i ? "|" : "",
			    csv_field(c, (int)i));
		buf_adds(&out, ";");
	}
	csv_free(c);
	if (r == 0) {
		fclose(fp);
		return buf_detach(&out, NULL);
	}
fail:
	fclose(fp);
	buf_release(&out);
	assert_int_equal(err.cls, ERR_INPUT);
	*failed_r = 1;
	return strdup(err.msg);
}

static void
test_csv_cases(void **state)
{
	size_t i;
	int failed;
	char *got;

	for (i = 0; i < sizeof(csv_cases) / sizeof(csv_cases[0]); i++) {
		const struct csv_case *tc = &csv_cases[i];

		print_message("# %s\n", tc->name);
		got = csv_render(tc->in, tc->len ? tc->len : strlen(tc->in),
		    &failed);
		if (tc->want != NULL) {
			assert_int_equal(failed, 0);
			assert_string_equal(got, tc->want);
		} else {
			assert_int_equal(failed, 1);
			assert_string_equal(got, tc->error);
		}
		free(got);
	}
}

/* Columns are found by name, whatever their order and case; extra ones
 * are ignored and short records read as empty. */
static void
test_csv_columns(void **state)
{
	static const char in[] = " Name ,extra,SKU\nCups,zz\n";
	struct err err;
	struct csv *c;
	FILE *fp;

	fp = fmemopen((void *)in, sizeof(in) - 1, "r");
	assert_non_null(fp);
	c = csv_new(fp, "cat.csv", &err);
	assert_non_null(c);
	assert_int_equal(csv_column(c, "sku", &err), 2);
	assert_int_equal(csv_column(c, "name", &err), 0);
	assert_int_equal(csv_column(c, "unit", NULL), -1);
	assert_int_equal(csv_column(c, "aliases", &err), -1);
	assert_int_equal(err.cls, ERR_INPUT);
	assert_string_equal(err.msg, "cat.csv:1: missing column 'aliases'");
	assert_int_equal(csv_read(c, &err), 1);
	assert_string_equal(csv_field(c, 0), "Cups");
	assert_string_equal(csv_field(c, 2), "");	/* short record */
	assert_string_equal(csv_field(c, -1), "");	/* absent column */
	assert_int_equal(csv_read(c, &err), 0);
	assert_int_equal(csv_read(c, &err), 0);		/* EOF stays EOF */
	csv_free(c);
	fclose(fp);
}

/* A field may be CSV_FIELD_MAX bytes and not one more: a hostile file
 * gets a clear error, not our memory. */
static void
test_csv_field_limit(void **state)
{
	size_t hdr = strlen(HDR), n;
	char *in, *got;
	int failed, extra;

	for (extra = 0; extra <= 1; extra++) {
		n = hdr + 2 + CSV_FIELD_MAX + (size_t)extra + 1;
		in = malloc(n);
		assert_non_null(in);
		memcpy(in, HDR "A,", hdr + 2);
		memset(in + hdr + 2, 'x', CSV_FIELD_MAX + (size_t)extra);
		in[n - 1] = '\n';
		got = csv_render(in, n, &failed);
		if (extra == 0) {
			assert_int_equal(failed, 0);
			assert_int_equal(strlen(got), strlen("H:sku|name;2:A|;") +
			    CSV_FIELD_MAX);
		} else {
			assert_int_equal(failed, 1);
			assert_string_equal(got,
			    "t.csv:2: field longer than 65536 bytes");
		}
		free(got);
		free(in);
	}
}

/* Quoted fields have the same limit, and so does a record made of many
 * fields that are each small enough. */
static void
test_csv_record_limit(void **state)
{
	size_t hdr = strlen(HDR), n, i, p;
	char *in, *got;
	int failed;

	/* 20 quoted fields of 60000 bytes: 1.2 MB in one record. */
	n = hdr + 20 * (60000 + 3) + 1;
	in = malloc(n);
	assert_non_null(in);
	memcpy(in, HDR, hdr);
	for (i = 0, p = hdr; i < 20; i++) {
		in[p++] = '"';
		memset(in + p, 'y', 60000);
		p += 60000;
		in[p++] = '"';
		in[p++] = i < 19 ? ',' : '\n';
	}
	got = csv_render(in, p, &failed);
	assert_int_equal(failed, 1);
	assert_string_equal(got, "t.csv:2: record longer than 1048576 bytes");
	free(got);
	free(in);
}

static void
test_csv_open_missing(void **state)
{
	struct err err;

	assert_null(csv_open("/nonexistent/dir/x.csv", &err));
	assert_int_equal(err.cls, ERR_CONFIG);
	assert_string_equal(err.msg, "cannot open '/nonexistent/dir/x.csv': "
	    "No such file or directory");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_cases),
		cmocka_unit_test(test_csv_columns),
		cmocka_unit_test(test_csv_field_limit),
		cmocka_unit_test(test_csv_record_limit),
		cmocka_unit_test(test_csv_open_missing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

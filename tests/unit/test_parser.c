/*
 * parser/: MIME decoding, charsets, HTML, attachments, forwards, and
 * hostile input.  Fixtures are in tests/fixtures/parser/.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "common/buf.h"
#include "common/error.h"
#include "common/utf8.h"
#include "parser/parser.h"

static char *
fixture_read(const char *name, size_t *len_r)
{
	char path[1024], *data;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s", PARSER_FIXTURES, name);
	f = fopen(path, "rb");
	if (f == NULL)
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

static void
parse_fixture(const char *name, struct parsed_msg *m)
{
	struct parser_limits lim;
	struct err err;
	size_t len;
	char *raw;

	raw = fixture_read(name, &len);
	parser_limits_default(&lim);
	err_clear(&err);
	if (parser_parse(raw, len, &lim, m, &err) != 0)
		fail_msg("%s: %s", name, err.msg);
	free(raw);
}

/* What a mail program's shape must leave in, and take out of, the text
 * the rules see. */
static const struct fixture_case {
	const char	*file;
	int		 html;
	const char	*keep[4];
	const char	*drop[5];
} fixture_cases[] = {
	{ "outlook_reply.eml", 0,
	  { "4 bags of house blend and 2 cases of 12oz cups" },
	  { "9 bags of decaf", "555", "Original Message", "Purchasing" } },
	{ "outlook_noseparator.eml", 0, { "3 boxes of lids please" },
	  { "7 bags of espresso", "Sent:" } },
	{ "gmail_reply.eml", 0, { "Same as last time, plus 2 bags of decaf." },
	  { "5 bags of house blend", "wrote:", "120.00", "On Mon" } },
	{ "iphone.eml", 0, { "2 cases of 12oz cups" }, { "iPhone" } },
	{ "dash_signature.eml", 0,
	  { "6 bags of house blend\n1 case of stir sticks" },
	  { "555", "Dana Buyer" } },
	{ "disclaimer.eml", 0, { "Please add 3 bags of espresso roast." },
	  { "CONFIDENTIAL", "555", "addressee" } },
	{ "address_block.eml", 0,
	  { "Can we get 5 bags of house blend delivered Friday?" },
	  { "Suite 200", "555", "62704", "Main Street", "www." } },
	{ "qp.eml", 0,
	  { "We\xe2\x80\x99" "d like 4 bags", "soft-wrapped by the sender" }, { NULL } },
	{ "base64.eml", 0, { "Caf\xc3\xa9 order: 8 bags of house blend" }, { NULL } },
	{ "cp1252.eml", 0, { "\xe2\x80\x9cHouse blend\xe2\x80\x9d \xe2\x80\x93 "
	  "2 bags, it\xe2\x80\x99s for caf\xc3\xa9 \xe2\x82\xac 12" }, { NULL } },
	{ "latin1.eml", 0, { "3 sacs de caf\xc3\xa9 cr\xc3\xa8me" }, { NULL } },
	{ "latin9.eml", 0, { "Price \xe2\x82\xac 12 per bag" }, { NULL } },
	{ "nocharset_8bit.eml", 0, { "2 bags of caf\xc3\xa9 blend" }, { NULL } },
	{ "html_table.eml", 1,
	  { "Hi,\nplease send:", "\nQty | Item\n4 | House blend\n"
	    "2 | 12oz cups\n" },
	  { "9 bags", "color", "<", "&amp;" } },
	{ "alternative.eml", 0, { "PLAIN: 5 bags of house blend" },
	  { "HTML", "multi-part message" } },
	{ "multipart_inline_html_only.eml", 1,
	  { "\xe2\x80\x9cSame as last time\xe2\x80\x9d" }, { "9 bags" } },
	{ "html_layout.eml", 1,
	  { "Hello,", "\n3 bags of house blend\n", "\n2 cases of cups\n",
	    "\n1 | box of lids" },
	  { "9 bags", "wrote" } },
	{ "outlook_html_reply.eml", 1, { "2 bags of decaf" },
	  { "9 bags", "Sent:", "Anna", "<" } },
	{ "forward_rfc822.eml", 0,
	  { "Please process the order below.", "7 bags of house blend" },
	  { "Store Manager", "Subject:" } },
	{ "missing_close.eml", 0, { "4 bags of house blend" }, { NULL } },
	{ "truncated_base64.eml", 0, { "4 bags of house blend" }, { NULL } },
	{ "qp_tail.eml", 0, { "2 bags" }, { NULL } },
};

static void
test_fixtures(void **state)
{
	const struct fixture_case *c;
	struct parsed_msg m;
	size_t i, j;

	for (i = 0; i < sizeof(fixture_cases) / sizeof(fixture_cases[0]); i++) {
		c = &fixture_cases[i];
		parse_fixture(c->file, &m);
		if (!utf8_valid(m.body, m.body_len, NULL))
			fail_msg("%s: body is not valid UTF-8", c->file);
		if (m.body_was_html != c->html)
			fail_msg("%s: body_was_html %d", c->file,
			    m.body_was_html);
		for (j = 0; j < 4 && c->keep[j] != NULL; j++)
			if (strstr(m.clean.text, c->keep[j]) == NULL)
				fail_msg("%s: '%s' missing from cleaned text "
				    "'%s'", c->file, c->keep[j], m.clean.text);
		for (j = 0; j < 5 && c->drop[j] != NULL; j++)
			if (strstr(m.clean.text, c->drop[j]) != NULL)
				fail_msg("%s: '%s' survived in cleaned text "
				    "'%s'", c->file, c->drop[j], m.clean.text);
		parser_msg_release(&m);
	}
}

static void
test_headers_decoded(void **state)
{
	struct parsed_msg m;

	parse_fixture("encoded_subject.eml", &m);
	assert_string_equal(m.subject,
	    "Bestellung f\xc3\xbcr M\xc3\xa4rz \xc2\xab" "dringend\xc2\xbb");
	assert_string_equal(m.from_name, "J\xc3\xb6rg M\xc3\xbcller");
	assert_string_equal(m.from_addr, "joerg@example.com");
	assert_string_equal(m.reply_to, "einkauf@example.com");
	assert_string_equal(m.to, "orders@roaster.example");
	assert_string_equal(m.message_id, "abc.123@example.com");
	assert_string_equal(m.return_path, "");
	assert_string_equal(m.auto_submitted, "auto-replied");
	assert_string_equal(m.in_reply_to, "<prev@roaster.example>");
	assert_string_equal(m.references, "<a@x> <prev@roaster.example>");
	assert_string_equal(m.date, "Tue, 03 Mar 2026 10:02:00 +0100");
	/* 2026-03-03 09:02:00 UTC */
	assert_int_equal(m.date_ts, 1772528520);
	assert_null(m.precedence);
	parser_msg_release(&m);
}

static void
test_csv_sheets(void **state)
{
	struct parsed_msg m;

	parse_fixture("csv.eml", &m);
	assert_string_equal(m.clean.text, "See attached.");
	assert_int_equal(m.nsheets, 2);
	assert_string_equal(m.sheets[0].filename, "order.csv");
	assert_string_equal(m.sheets[0].text,
	    "item,qty\nhouse blend,4\n12oz cups,2");
	assert_int_equal(m.sheets[0].len, strlen(m.sheets[0].text));
	assert_string_equal(m.sheets[1].filename, "week2.CSV");
	assert_string_equal(m.sheets[1].text, "item;qty\ndecaf;3\n");
	parser_msg_release(&m);
}

static void
test_forward_header_tagged(void **state)
{
	struct parsed_msg m;
	size_t i;
	int fwd = 0;

	parse_fixture("forward_rfc822.eml", &m);
	for (i = 0; i < m.clean.nsegs; i++)
		if (m.clean.segs[i].kind == CLEAN_FORWARD_HEADER) {
			fwd = 1;
			assert_non_null(memmem(m.body + m.clean.segs[i].off,
			    m.clean.segs[i].len, "Subject: Order f\xc3\xbcr "
			    "Friday", 25));
		}
	assert_true(fwd);
	parser_msg_release(&m);
}

/* Input that must be refused with a clear message, not a crash. */
static const struct bad_case {
	const char	*name;
	const char	*raw;
	size_t		 len;
	const char	*msg;
} bad_cases[] = {
#define S(lit) lit, sizeof(lit) - 1
	{ "zero bytes", S(""), "empty message" },
	{ "blank", S("\r\n\r\n  \n"), "empty message" },
	{ "NULs only", S("\0\0\0\0"), "empty message" },
	{ "no header", S("3 bags of house blend\n"), "no header" },
	{ "quote boundary", S("Content-Type: multipart/mixed; "
	  "boundary=\"\\\"\"\n\n--\"\nhi\n"), "malformed MIME boundary" },
	{ "empty boundary", S("Content-Type: multipart/mixed; boundary=\"\"\n\n"
	  "x\n"), "malformed MIME boundary" },
	{ "bare empty boundary", S("Content-Type: multipart/mixed; boundary=;"
	  "\n\nx\n"), "malformed MIME boundary" },
	{ "folded quote boundary", S("Content-Type: multipart/mixed;\r\n "
	  "boundary (x) =\r\n \"\\\"\"\r\n\r\n--\"\r\nhi\r\n"),
	  "malformed MIME boundary" },
#undef S
};

static void
test_bad_input_refused(void **state)
{
	const struct bad_case *c;
	struct parsed_msg m;
	struct err err;
	size_t i;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		c = &bad_cases[i];
		err_clear(&err);
		if (parser_parse(c->raw, c->len, NULL, &m, &err) != -1)
			fail_msg("%s: accepted", c->name);
		assert_int_equal(err.cls, ERR_MSG);
		if (strstr(err.msg, c->msg) == NULL)
			fail_msg("%s: message '%s'", c->name, err.msg);
		assert_null(m.body);
	}
}

static void
test_boundary_crash_fixture(void **state)
{
	struct parsed_msg m;
	struct err err;
	size_t len;
	char *raw;

	raw = fixture_read("boundary_quote.eml", &len);
	assert_int_equal(parser_parse(raw, len, NULL, &m, &err), -1);
	assert_int_equal(err.cls, ERR_MSG);
	assert_non_null(strstr(err.msg, "malformed MIME boundary"));
	free(raw);
}

static void
test_no_separator(void **state)
{
	struct parsed_msg m;

	parse_fixture("no_separator.eml", &m);
	assert_string_equal(m.subject, "just headers");
	assert_string_equal(m.from_addr, "a@example.com");
	parser_msg_release(&m);
}

/* Messages saved from an mbox start with a "From " line. */
static void
test_mbox_from_line(void **state)
{
	static const char raw[] = "From dana@cafe.example Tue Mar  3 10:02:00 "
	    "2026\nFrom: Dana <dana@cafe.example>\nSubject: mbox\n\n2 bags\n";
	struct parsed_msg m;
	struct err err;

	assert_int_equal(parser_parse(raw, sizeof(raw) - 1, NULL, &m, &err), 0);
	assert_string_equal(m.subject, "mbox");
	assert_string_equal(m.clean.text, "2 bags");
	parser_msg_release(&m);
}

/* Nested n deep; every level a multipart/mixed with its own boundary. */
static char *
nested_message(int n, size_t *len_r)
{
	struct buf b;
	int i;

	buf_init(&b, BUF_NOLIMIT);
	buf_adds(&b, "From: a@example.com\nSubject: deep\nMIME-Version: 1.0\n");
	for (i = 0; i < n; i++)
		buf_addf(&b, "Content-Type: multipart/mixed; boundary=\"b%d\"\n"
		    "\n--b%d\n", i, i);
	buf_adds(&b, "Content-Type: text/plain\n\n2 bags of decaf\n");
	for (i = n - 1; i >= 0; i--)
		buf_addf(&b, "--b%d--\n", i);
	return buf_detach(&b, len_r);
}

static void
test_deep_nesting(void **state)
{
	struct parsed_msg m;
	struct err err;
	struct timespec t0, t1;
	size_t len;
	char *raw;

	raw = nested_message(1000, &len);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(parser_parse(raw, len, NULL, &m, &err), -1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(err.cls, ERR_MSG);
	assert_non_null(strstr(err.msg, "nested deeper than 16"));
	/* refused up front, not after libetpan recursed 1000 levels */
	assert_true((t1.tv_sec - t0.tv_sec) * 1000 +
	    (t1.tv_nsec - t0.tv_nsec) / 1000000 < 500);
	free(raw);

	/* a sane depth still parses */
	raw = nested_message(5, &len);
	assert_int_equal(parser_parse(raw, len, NULL, &m, &err), 0);
	assert_string_equal(m.clean.text, "2 bags of decaf");
	parser_msg_release(&m);
	free(raw);
}

/* Other shapes of depth: a chain of forwarded messages, and a digest
 * whose parts are messages by default. */
static void
test_deep_other_shapes(void **state)
{
	struct parsed_msg m;
	struct err err;
	struct buf b;
	size_t len;
	char *raw;
	int i;

	buf_init(&b, BUF_NOLIMIT);
	for (i = 0; i < 1000; i++)
		buf_adds(&b, "From: a@example.com\nContent-Type: message/rfc822"
		    "\n\n");
	buf_adds(&b, "Subject: x\n\n2 bags\n");
	raw = buf_detach(&b, &len);
	assert_int_equal(parser_parse(raw, len, NULL, &m, &err), -1);
	assert_non_null(strstr(err.msg, "nested deeper"));
	free(raw);

	for (i = 0; i < 1000; i++)
		buf_addf(&b, "Content-Type: multipart/digest; boundary=d%d\n\n"
		    "--d%d\n\n", i, i);
	buf_adds(&b, "Subject: x\n\n2 bags\n");
	raw = buf_detach(&b, &len);
	assert_int_equal(parser_parse(raw, len, NULL, &m, &err), -1);
	assert_non_null(strstr(err.msg, "nested deeper"));
	free(raw);
	buf_release(&b);
}

/* The spellings libetpan reads as nesting as well as the plain one:
 * blanks before the colon, around the slash, comments.  30,000 levels of
 * any of them crashed the parser (stack overflow in libetpan) before the
 * pre-scan counted them; each must be refused, and a sane depth of each
 * must still parse. */
static char *
spelled_message(const char *ct, int multipart, int n, size_t *len_r)
{
	struct buf b;
	int i;

	buf_init(&b, BUF_NOLIMIT);
	buf_adds(&b, "From: a@example.com\nSubject: deep\n");
	for (i = 0; i < n; i++) {
		if (multipart)
			buf_addf(&b, "%s; boundary=\"b%d\"\n\n--b%d\n", ct, i,
			    i);
		else
			buf_addf(&b, "From: a@example.com\n%s\n\n", ct);
	}
	buf_adds(&b, "Content-Type: text/plain\n\n2 bags\n");
	for (i = n - 1; multipart && i >= 0; i--)
		buf_addf(&b, "--b%d--\n", i);
	return buf_detach(&b, len_r);
}

static void
test_deep_spellings(void **state)
{
	static const struct {
		const char	*ct;
		int		 multipart;
	} cases[] = {
		{ "Content-Type: message /rfc822", 0 },
		{ "Content-Type : message/rfc822", 0 },
		{ "Content-Type:\tmessage/ (a comment) rfc822", 0 },
		{ "content-type  :MESSAGE / RFC822", 0 },
		{ "Content-Type : multipart /mixed", 1 },
		{ "Content-Type: multipart/ (x) mixed", 1 },
		{ "Content-Type\t: multipart / digest", 1 },
	};
	struct parsed_msg m;
	struct err err;
	size_t i, len;
	char *raw;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		raw = spelled_message(cases[i].ct, cases[i].multipart, 30000,
		    &len);
		if (parser_parse(raw, len, NULL, &m, &err) != -1 ||
		    strstr(err.msg, "nested deeper") == NULL)
			fail_msg("'%s' x 30000 was not refused", cases[i].ct);
		free(raw);
		raw = spelled_message(cases[i].ct, cases[i].multipart, 3, &len);
		if (parser_parse(raw, len, NULL, &m, &err) != 0)
			fail_msg("'%s' x 3: %s", cases[i].ct, err.msg);
		parser_msg_release(&m);
		free(raw);
	}
}

/* 20,000 tiny parts: parsed up to max_parts, the rest dropped, quickly. */
static void
test_many_parts_cut(void **state)
{
	struct parser_limits lim;
	struct parsed_msg m;
	struct err err;
	struct buf b;
	size_t len;
	char *raw;
	int i;

	buf_init(&b, BUF_NOLIMIT);
	buf_adds(&b, "Subject: parts\nContent-Type: multipart/mixed; "
	    "boundary=b\n\n");
	for (i = 0; i < 20000; i++)
		buf_addf(&b, "--b\nContent-Type: text/plain\n\npart %d\n", i);
	buf_adds(&b, "--b--\n");
	raw = buf_detach(&b, &len);
	parser_limits_default(&lim);
	assert_int_equal(parser_parse(raw, len, &lim, &m, &err), 0);
	assert_true(m.truncated);
	assert_non_null(strstr(m.body, "part 0\n"));
	assert_non_null(strstr(m.body, "part 250\n"));
	assert_null(strstr(m.body, "part 300\n"));
	parser_msg_release(&m);
	free(raw);
}

/* libxml2 gives up on very deep documents; the text must still come out. */
static void
test_deep_html(void **state)
{
	struct parsed_msg m;
	struct err err;
	struct buf b;
	size_t len;
	char *raw;
	int i;

	buf_init(&b, BUF_NOLIMIT);
	buf_adds(&b, "Subject: html\nContent-Type: text/html\n\n");
	for (i = 0; i < 20000; i++)
		buf_adds(&b, "<div>");
	buf_adds(&b, "3 bags of decaf");
	for (i = 0; i < 20000; i++)
		buf_adds(&b, "</div>");
	raw = buf_detach(&b, &len);
	assert_int_equal(parser_parse(raw, len, NULL, &m, &err), 0);
	assert_true(m.body_was_html);
	assert_non_null(strstr(m.clean.text, "3 bags of decaf"));
	parser_msg_release(&m);
	free(raw);
}

static void
test_size_limit(void **state)
{
	struct parsed_msg m;
	struct err err;
	size_t len = 50u * 1024 * 1024;
	char *raw;

	raw = malloc(len);
	assert_non_null(raw);
	memcpy(raw, "Subject: big\n\n", 14);
	memset(raw + 14, 'a', len - 14);
	assert_int_equal(parser_parse(raw, len, NULL, &m, &err), -1);
	assert_int_equal(err.cls, ERR_MSG);
	assert_non_null(strstr(err.msg, "52428800 bytes"));
	free(raw);
}

/* One 4 MB line: kept up to max_text, flagged as truncated. */
static void
test_huge_line_truncated(void **state)
{
	struct parser_limits lim;
	struct parsed_msg m;
	struct err err;
	size_t len = 4u * 1024 * 1024, i;
	char *raw;

	raw = malloc(len);
	assert_non_null(raw);
	memcpy(raw, "Subject: long\n\n", 15);
	for (i = 15; i < len; i++)
		raw[i] = (i % 7) ? 'x' : ' ';
	parser_limits_default(&lim);
	assert_int_equal(parser_parse(raw, len, &lim, &m, &err), 0);
	assert_true(m.truncated);
	assert_int_equal(m.body_len, lim.max_text);
	assert_int_equal(strlen(m.body), m.body_len);
	parser_msg_release(&m);
	free(raw);
}

/* NUL bytes and invalid UTF-8 in a body without a charset. */
static void
test_nul_and_invalid_utf8(void **state)
{
	static const char raw[] = "Subject: x\n\n2 bags\0 of\xff\xfe decaf\n";
	struct parsed_msg m;
	struct err err;

	assert_int_equal(parser_parse(raw, sizeof(raw) - 1, NULL, &m, &err), 0);
	assert_true(utf8_valid(m.body, m.body_len, NULL));
	assert_int_equal(strlen(m.body), m.body_len);
	assert_non_null(strstr(m.clean.text, "2 bags"));
	assert_non_null(strstr(m.clean.text, "decaf"));
	parser_msg_release(&m);
}

/* A UTF-8 body with one stray Latin-1 byte keeps its UTF-8. */
static void
test_mixed_utf8_and_latin1(void **state)
{
	static const char raw[] = "Subject: x\nContent-Type: text/plain; "
	    "charset=utf-8\n\nCaf\xc3\xa9 cr\xe8me 2 bags\n";
	struct parsed_msg m;
	struct err err;

	assert_int_equal(parser_parse(raw, sizeof(raw) - 1, NULL, &m, &err), 0);
	assert_string_equal(m.clean.text,
	    "Caf\xc3\xa9 cr\xc3\xa8me 2 bags");
	parser_msg_release(&m);
}

/* glibc's iconv passes bytes above U+10FFFF through when "UTF-8" comes
 * under another name; found by the fuzzer.  The body must stay valid. */
static void
test_iconv_output_repaired(void **state)
{
	static const char raw[] = "Subject: x\nContent-Type: text/plain; "
	    "charset=\"ISO-10646/UTF8/\"\n\n2 bags \xf5\xac\x9a\x9a decaf\n";
	struct parsed_msg m;
	struct err err;

	assert_int_equal(parser_parse(raw, sizeof(raw) - 1, NULL, &m, &err), 0);
	assert_true(utf8_valid(m.body, m.body_len, NULL));
	assert_non_null(strstr(m.body, "2 bags "));
	assert_non_null(strstr(m.body, " decaf"));
	parser_msg_release(&m);
}

/* The parser must not read raw past len: hand it an exact-size heap
 * copy, so ASan sees any over-read (libetpan's "=X" case included). */
static void
test_exact_buffer(void **state)
{
	static const char text[] = "Subject: q\nContent-Transfer-Encoding: "
	    "quoted-printable\n\n2 bags=X";
	struct parsed_msg m;
	struct err err;
	char *raw;

	raw = malloc(sizeof(text) - 1);
	memcpy(raw, text, sizeof(text) - 1);
	assert_int_equal(parser_parse(raw, sizeof(text) - 1, NULL, &m, &err),
	    0);
	assert_non_null(strstr(m.body, "2 bags"));
	parser_msg_release(&m);
	free(raw);
}

/* The iconv cache can be dropped and comes back on the next parse. */
static void
test_charset_cache_release(void **state)
{
	struct parsed_msg m;
	int i;

	for (i = 0; i < 2; i++) {
		parse_fixture("latin9.eml", &m);
		assert_string_equal(m.clean.text, "Price \xe2\x82\xac 12 per bag");
		parser_msg_release(&m);
		parser_charset_cache_release();
	}
	parser_charset_cache_release();
}

static void
test_release_twice(void **state)
{
	struct parsed_msg m;

	parse_fixture("iphone.eml", &m);
	parser_msg_release(&m);
	parser_msg_release(&m);
	parser_msg_release(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_headers_decoded),
		cmocka_unit_test(test_csv_sheets),
		cmocka_unit_test(test_forward_header_tagged),
		cmocka_unit_test(test_bad_input_refused),
		cmocka_unit_test(test_boundary_crash_fixture),
		cmocka_unit_test(test_no_separator),
		cmocka_unit_test(test_mbox_from_line),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_deep_other_shapes),
		cmocka_unit_test(test_deep_spellings),
		cmocka_unit_test(test_many_parts_cut),
		cmocka_unit_test(test_deep_html),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_huge_line_truncated),
		cmocka_unit_test(test_nul_and_invalid_utf8),
		cmocka_unit_test(test_mixed_utf8_and_latin1),
		cmocka_unit_test(test_iconv_output_repaired),
		cmocka_unit_test(test_exact_buffer),
		cmocka_unit_test(test_charset_cache_release),
		cmocka_unit_test(test_release_twice),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * common/: bounded buffers, UTF-8 validation, JSON escaping, errors.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/buf.h"
#include "common/error.h"
#include "common/json.h"
#include "common/sha256.h"
#include "common/utf8.h"

static void
test_buf_grows_and_terminates(void **state)
{
	struct buf b;
	int i;

	buf_init(&b, BUF_NOLIMIT);
	assert_string_equal(buf_str(&b), "");
	for (i = 0; i < 1000; i++)
		assert_int_equal(buf_addf(&b, "%d,", i % 10), 0);
	assert_int_equal(b.len, 2000);
	assert_int_equal(b.data[b.len], '\0');
	assert_memory_equal(b.data, "0,1,2,", 6);
	buf_release(&b);
}

static void
test_buf_refuses_past_max(void **state)
{
	struct buf b;

	buf_init(&b, 8);
	assert_int_equal(buf_adds(&b, "12345678"), 0);
	assert_int_equal(buf_addc(&b, '9'), -1);
	assert_int_equal(buf_addf(&b, "%s", "x"), -1);
	assert_string_equal(buf_str(&b), "12345678");
	buf_reset(&b);
	assert_int_equal(buf_adds(&b, "123456789"), -1);
	assert_int_equal(b.len, 0);
	buf_release(&b);
}

static void
test_buf_detach(void **state)
{
	struct buf b;
	size_t len;
	char *s;

	buf_init(&b, 100);
	buf_adds(&b, "hello");
	s = buf_detach(&b, &len);
	assert_string_equal(s, "hello");
	assert_int_equal(len, 5);
	assert_null(b.data);
	assert_int_equal(b.max, 100);
	free(s);
}

static const struct {
	const char	*s;
	size_t		 n;
	int		 valid;
	size_t		 bad;
} utf8_cases[] = {
	{ "plain ascii", 11, 1, 0 },
	{ "K\xc3\xa4se", 5, 1, 0 },
	{ "\xe2\x82\xac 5", 5, 1, 0 },			/* euro sign */
	{ "\xf0\x9f\x98\x80", 4, 1, 0 },		/* emoji */
	{ "ab\xc3", 3, 0, 2 },				/* truncated */
	{ "\xc0\xaf", 2, 0, 0 },			/* overlong '/' */
	{ "x\xed\xa0\x80", 4, 0, 1 },			/* surrogate */
	{ "\xf4\x90\x80\x80", 4, 0, 0 },		/* > U+10FFFF */
	{ "a\0b", 3, 0, 1 },				/* NUL */
	{ "caf\xe9", 4, 0, 3 },				/* latin-1 */
};

static void
test_utf8_valid(void **state)
{
	size_t i, bad;

	for (i = 0; i < sizeof(utf8_cases) / sizeof(utf8_cases[0]); i++) {
		bad = 999;
		assert_int_equal(utf8_valid(utf8_cases[i].s, utf8_cases[i].n,
		    &bad), utf8_cases[i].valid);
		if (!utf8_cases[i].valid)
			assert_int_equal(bad, utf8_cases[i].bad);
	}
}

static void
test_json_escapes(void **state)
{
	struct buf b;

	buf_init(&b, BUF_NOLIMIT);
	json_add_str(&b, "a\"b\\c\nd\x01\xc3\xa4");
	assert_string_equal(buf_str(&b), "\"a\\\"b\\\\c\\nd\\u0001\xc3\xa4\"");
	buf_reset(&b);
	json_add_str(&b, NULL);
	assert_string_equal(buf_str(&b), "null");
	buf_reset(&b);
	json_add_str(&b, "bad\xff");
	assert_string_equal(buf_str(&b), "\"bad\\ufffd\"");
	buf_release(&b);
}

static void
test_err_set_and_prefix(void **state)
{
	struct err e;

	err_clear(&e);
	assert_int_equal(e.cls, ERR_NONE);
	assert_int_equal(err_set(&e, ERR_MSG, "bad %s", "row"), -1);
	assert_int_equal(e.cls, ERR_MSG);
	err_prefix(&e, "%s:%d", "file.csv", 7);
	assert_string_equal(e.msg, "file.csv:7: bad row");
	assert_int_equal(err_set(NULL, ERR_TEMP, "ignored"), -1);
}

/* FIPS 180-4 examples and RFC 4231 test cases 2 and 6 (a key longer
 * than a block). */
static void
test_sha256_vectors(void **state)
{
	uint8_t out[SHA256_LEN], key[131];
	char hex[SHA256_HEX_LEN], big[1000];
	static const char long_data[] =
	    "Test Using Larger Than Block-Size Key - Hash Key First";

	(void)state;
	sha256("abc", 3, out);
	sha256_hex(out, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	sha256("", 0, out);
	sha256_hex(out, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
	memset(big, 'a', sizeof(big));
	sha256(big, sizeof(big), out);
	sha256_hex(out, hex);
	assert_string_equal(hex, "41edece42d63e8d9bf515a9ba6932e1c"
	    "20cbc9f5a5d134645adb5db1b9737ea3");
	hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, out);
	sha256_hex(out, hex);
	assert_string_equal(hex, "5bdcc146bf60754e6a042426089575c7"
	    "5a003f089d2739839dec58b964ec3843");
	memset(key, 0xaa, sizeof(key));
	hmac_sha256(key, sizeof(key), long_data, strlen(long_data), out);
	sha256_hex(out, hex);
	assert_string_equal(hex, "60e431591ee0b67f0d8a26aacbf5b77f"
	    "8e0bc6213728c5140546040f0ee37f54");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_grows_and_terminates),
		cmocka_unit_test(test_buf_refuses_past_max),
		cmocka_unit_test(test_buf_detach),
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_json_escapes),
		cmocka_unit_test(test_err_set_and_prefix),
		cmocka_unit_test(test_sha256_vectors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

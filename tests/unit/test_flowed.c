/*
 * parser/flowed.c: RFC 3676 soft line breaks rejoined.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/buf.h"
#include "parser/parser_int.h"

static void
test_unflow_table(void **state)
{
	static const struct {
		const char	*in;
		int		 delsp;
		const char	*out;
	} cases[] = {
		{ "Please send 2 cases of \n16oz cups.\n", 0,
		    "Please send 2 cases of 16oz cups.\n" },
		{ "hard\nbreak\n", 0, "hard\nbreak\n" },
		{ "del\nsp\n", 1, "del\nsp\n" },
		{ "joined wi \nthout space\n", 1, "joined without space\n" },
		{ "-- \nSam\n", 0, "-- \nSam\n" },		/* signature */
		{ " From here\n", 0, "From here\n" },		/* space-stuffed */
		{ "> quoted \n> more\nnew\n", 0, "> quoted more\nnew\n" },
		{ "> soft \nnot quoted\n", 0, "> soft \nnot quoted\n" },
		{ "no newline at end ", 0, "no newline at end " },
	};
	struct buf b;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_init(&b, BUF_NOLIMIT);
		assert_int_equal(parser_unflow(cases[i].in,
		    strlen(cases[i].in), cases[i].delsp, &b), 0);
		if (strcmp(buf_str(&b), cases[i].out) != 0)
			fail_msg("case %zu: got '%s', want '%s'", i,
			    buf_str(&b), cases[i].out);
		buf_release(&b);
	}
}

static void
test_unflow_bounded(void **state)
{
	struct buf b;

	buf_init(&b, 8);
	assert_int_equal(parser_unflow("far too long \nfor the buffer\n", 30,
	    0, &b), -1);
	assert_true(b.len <= 8);
	buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unflow_table),
		cmocka_unit_test(test_unflow_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

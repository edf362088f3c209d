/*
 * engine/: which mail counts as automatic (and is therefore never
 * answered).  The full pipeline is covered by the email corpus
 * (tests/corpus.sh).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "engine/engine_int.h"

static void
test_automatic_reasons(void **state)
{
	static const struct {
		const char	*field;
		const char	*value;
		int		 automatic;
	} cases[] = {
		{ "auto_submitted", "auto-replied", 1 },
		{ "auto_submitted", "auto-generated", 1 },
		{ "auto_submitted", "no", 0 },
		{ "precedence", "bulk", 1 },
		{ "precedence", "junk", 1 },
		{ "precedence", "list", 1 },
		{ "precedence", "first-class", 0 },
		{ "list_id", "<news.example.com>", 1 },
		{ "x_autoreply", "yes", 1 },
		{ "return_path", "", 1 },
		{ "return_path", "buyer@acme.example", 0 },
		{ "from_addr", "mailer-daemon@mx.example", 1 },
		{ "from_addr", "postmaster@acme.example", 1 },
		{ "from_addr", "buyer@acme.example", 0 },
		{ "from_addr", "daemon.fan@acme.example", 0 },
	};
	struct parsed_msg m;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *v = (char *)cases[i].value;
		const char *why;

		memset(&m, 0, sizeof(m));
		if (strcmp(cases[i].field, "auto_submitted") == 0)
			m.auto_submitted = v;
		else if (strcmp(cases[i].field, "precedence") == 0)
			m.precedence = v;
		else if (strcmp(cases[i].field, "list_id") == 0)
			m.list_id = v;
		else if (strcmp(cases[i].field, "x_autoreply") == 0)
			m.x_autoreply = v;
		else if (strcmp(cases[i].field, "return_path") == 0)
			m.return_path = v;
		else
			m.from_addr = v;
		why = engine_automatic_reason(&m, NULL);
		if ((why != NULL) != cases[i].automatic)
			fail_msg("%s: '%s' gave %s", cases[i].field,
			    cases[i].value, why ? why : "(person)");
	}
	memset(&m, 0, sizeof(m));
	m.is_report = 1;
	assert_non_null(engine_automatic_reason(&m, NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_automatic_reasons),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

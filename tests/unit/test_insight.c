/*
 * insight/: calendar days, weeks and quarters; medians and percentiles,
 * sorted and by selection; SVG and HTML escaping.  The figures
 * themselves are checked end to end against the store by
 * tests/report*.sh.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "insight/day.h"
#include "insight/stats.h"
#include "insight/svg.h"

static void
test_day_round_trip(void **state)
{
	static const struct { const char *s; long day; } t[] = {
		{ "1970-01-01", 0 }, { "2000-02-29", 11016 },
		{ "2026-12-03", 20790 }, { "1969-12-31", -1 },
	};
	char buf[INSIGHT_DAY_LEN];
	long d;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(insight_day_parse(t[i].s, &d), 0);
		assert_int_equal(d, t[i].day);
		insight_day_format(d, buf);
		assert_string_equal(buf, t[i].s);
	}
	/* Every day of four years there and back. */
	for (d = 20000; d < 21461; d++) {
		long back;

		insight_day_format(d, buf);
		assert_int_equal(insight_day_parse(buf, &back), 0);
		assert_int_equal(back, d);
	}
}

static void
test_day_refuses_what_is_no_day(void **state)
{
	static const char *const bad[] = { "2026-02-29", "2026-02-30",
	    "2026-04-31", "2026-13-01", "2026-00-10", "2026-1-05",
	    "2026/01/05", "26-01-05", "2026-01-05x", "", "abcd-ef-gh" };
	long d;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(insight_day_parse(bad[i], &d), -1);
	assert_int_equal(insight_day_parse("2024-02-29", &d), 0);
	/* A timestamp's day. */
	assert_int_equal(insight_day_parse("2026-12-03T05:33:22Z", &d), 0);
	assert_int_equal(d, 20790);
}

static void
test_time_parse(void **state)
{
	long long t;

	(void)state;
	assert_int_equal(insight_time_parse("1970-01-01T00:00:00Z", &t), 0);
	assert_true(t == 0);
	assert_int_equal(insight_time_parse("2026-12-03T05:33:22Z", &t), 0);
	assert_true(t == 1796276002LL);
	assert_int_equal(insight_time_parse("2026-12-03T24:00:00Z", &t), -1);
	assert_int_equal(insight_time_parse("2026-12-03 05:33:22Z", &t), -1);
	assert_int_equal(insight_time_parse("2026-12-03T05:33", &t), -1);
	assert_int_equal(insight_time_parse("2026-02-30T05:33:22Z", &t), -1);
}

static void
test_day_weeks_and_quarters(void **state)
{
	char buf[INSIGHT_DAY_LEN];
	long d;

	(void)state;
	insight_day_parse("2026-12-03", &d);	/* a Thursday */
	insight_day_format(insight_day_monday(d), buf);
	assert_string_equal(buf, "2026-11-30");
	insight_day_format(insight_day_monday(insight_day_monday(d)), buf);
	assert_string_equal(buf, "2026-11-30");	/* a Monday is its own */
	insight_day_parse("1969-12-31", &d);	/* before day 0 too */
	insight_day_format(insight_day_monday(d), buf);
	assert_string_equal(buf, "1969-12-29");
	insight_day_parse("2026-12-03", &d);
	insight_day_format(insight_day_quarter(d), buf);
	assert_string_equal(buf, "2026-10-01");
	insight_day_format(insight_day_quarter_before(d), buf);
	assert_string_equal(buf, "2026-07-01");
	insight_day_parse("2026-02-15", &d);
	insight_day_format(insight_day_quarter_before(d), buf);
	assert_string_equal(buf, "2025-10-01");
}

static void
test_stats_median_and_p90(void **state)
{
	double v[] = { 7, 1, 3, 10, 2, 9, 4, 8, 6, 5 };
	double w[10], x[10];

	(void)state;
	memcpy(w, v, sizeof(v));
	memcpy(x, v, sizeof(v));
	insight_sort(v, 10);
	assert_true(insight_median(v, 10) == 5.5);
	assert_true(insight_percentile(v, 10, 90) == 9);	/* rank 9 */
	assert_true(insight_percentile(v, 9, 90) == 9);	/* ceil(8.1) */
	assert_true(insight_median(v, 9) == 5);
	assert_true(insight_median_select(w, 10) == 5.5);
	assert_true(insight_percentile_select(x, 10, 90) == 9);
}

static void
test_stats_selection_matches_sorting(void **state)
{
	double a[64], b[64], c[64];
	size_t n, i;
	int t, range;

	(void)state;
	srand(7);
	for (t = 0; t < 5000; t++) {
		n = 1 + (size_t)(rand() % 60);
		range = t % 3 ? 4 : 1000;	/* many ties, and few */
		for (i = 0; i < n; i++)
			a[i] = b[i] = c[i] = rand() % range;
		insight_sort(a, n);
		assert_true(insight_median_select(b, n) ==
		    insight_median(a, n));
		assert_true(insight_percentile_select(c, n, 90) ==
		    insight_percentile(a, n, 90));
	}
}

static void
test_svg_text_escapes(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, BUF_NOLIMIT);
	svg_text(&b, "Bean <&> \"Leaf\" 'n' Co");
	assert_string_equal(buf_str(&b),
	    "Bean &lt;&amp;&gt; &quot;Leaf&quot; &#39;n&#39; Co");
	buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_day_round_trip),
		cmocka_unit_test(test_day_refuses_what_is_no_day),
		cmocka_unit_test(test_time_parse),
		cmocka_unit_test(test_day_weeks_and_quarters),
		cmocka_unit_test(test_stats_median_and_p90),
		cmocka_unit_test(test_stats_selection_matches_sorting),
		cmocka_unit_test(test_svg_text_escapes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * libFuzzer target for the rule loader: the input is a rule file.  When
 * it loads, the rules also run over a fixed order text and over the input
 * itself (as mail text and as a tab-separated sheet), so hostile patterns
 * meet the match limits too, and the table reader meets text that is not
 * NUL-terminated, as libFuzzer's buffer is not.
 *
 * Build: ./configure --enable-fuzz CC=clang \
 *            CFLAGS="-g -O1 -fsanitize=fuzzer-no-link,address"
 *        make tests/fuzz/fuzz_rules
 * Run:   ./tests/fuzz/fuzz_rules -max_len=4096 corpus-rules
 *        (tests/fuzz/run.sh seeds corpus-rules from tests/fuzz/corpus/rules
 *        and the shipped rules)
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "rules/rules.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char sample[] =
    "Hi Anna,\n"
    "3 bags of house blend and two cases of the 12oz cups\n"
    "HB-1KG | House Blend 1kg | 3\n"
    "same as last time, PO: 4711, deliver by 12/03\n"
    "Thanks,\n";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct ruleset *rs;
	struct rules_result res;
	struct err e;

	rs = rules_load_buffer("fuzz.rules", (const char *)data, len, &e);
	if (rs == NULL)
		return 0;
	if (rules_extract(rs, sample, sizeof(sample) - 1, (time_t)1795428000, NULL,
	    &res, &e) == 0)
		rules_result_release(&res);
	if (rules_extract(rs, (const char *)data, len, (time_t)1795428000, NULL,
	    &res, &e) == 0)
		rules_result_release(&res);
	memset(&res, 0, sizeof(res));
	/* Rows append to res, failed or not. */
	(void)rules_extract_sheet(rs, (const char *)data, len, NULL, &res, &e);
	rules_result_release(&res);
	rules_subject_is_automatic(rs, "Automatic reply: out of office");
	rules_text_complaint(rs, sample, sizeof(sample) - 1);
	rules_text_complaint(rs, (const char *)data, len);
	rules_free(rs);
	return 0;
}

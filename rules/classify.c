/*
 * What kind of mail a text is, beyond its order lines: the not-order
 * rules whose name begins with "complaint" tell a complaint ("missing",
 * "damaged", "refund") from a question or a thank-you, so a complaint
 * can be put before everything else a person has to answer.
 */
#include "config.h"

#include <string.h>

#include "rules/rules_int.h"

#define CLASSIFY_PREFIX	"complaint"

int
rules_text_complaint(const struct ruleset *rs, const char *text, size_t len)
{
	const struct rule *r;
	size_t i;

	if (rs == NULL || text == NULL)
		return 0;
	if (len > RULES_TEXT_MAX)
		len = RULES_TEXT_MAX;
	for (i = 0; i < rs->nbykind[RULE_NOT_ORDER]; i++) {
		r = rs->bykind[RULE_NOT_ORDER][i];
		if (strncmp(r->name, CLASSIFY_PREFIX,
		    strlen(CLASSIFY_PREFIX)) != 0)
			continue;
		/* A limit or a failure counts as no match: this only
		 * orders the queue, it decides nothing. */
		if (rule_run(rs, r, text, len, 0, NULL, NULL, NULL))
			return 1;
	}
	return 0;
}

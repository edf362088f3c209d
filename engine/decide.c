/*
 * Is this mail automatic?  Automatic mail (autoreplies, bounces, lists,
 * newsletters) is stored but never treated as an order and never answered:
 * answering it is how mail loops start.  RFC 3834 plus what real
 * autoresponders send in practice.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "engine/engine_int.h"
#include "rules/rules.h"

static int
sender_is_system(const char *addr)
{
	static const char *const locals[] = {
		"mailer-daemon@", "postmaster@", "mail-daemon@", NULL
	};
	size_t i;

	if (addr == NULL)
		return 0;
	for (i = 0; locals[i] != NULL; i++)
		if (strncasecmp(addr, locals[i], strlen(locals[i])) == 0)
			return 1;
	return 0;
}

const char *
engine_automatic_reason(const struct parsed_msg *m,
    const struct ruleset *rules)
{
	if (m->auto_submitted != NULL &&
	    strncasecmp(m->auto_submitted, "no", 2) != 0)
		return "Auto-Submitted header";
	if (m->precedence != NULL &&
	    (strcasestr(m->precedence, "bulk") != NULL ||
	    strcasestr(m->precedence, "junk") != NULL ||
	    strcasestr(m->precedence, "list") != NULL))
		return "Precedence header";
	if (m->list_id != NULL)
		return "List-Id header (mailing list)";
	if (m->is_report)
		return "delivery report";
	if (m->return_path != NULL && m->return_path[0] == '\0')
		return "null sender";
	if (sender_is_system(m->from_addr))
		return "system sender";
	if (m->x_autoreply != NULL)
		return "X-Autoreply header";
	if (m->subject != NULL && rules != NULL &&
	    rules_subject_is_automatic(rules, m->subject))
		return "autoreply subject";
	return NULL;
}

/*
 * From a trusted Authentication-Results header to a verdict on the
 * sender.  DMARC, when the verifier ran it, settles it.  Without DMARC
 * we apply its idea by hand: a DKIM or SPF pass only vouches for the
 * From: domain when it is for that domain (relaxed alignment: the same
 * domain, or one a subdomain of the other), because a forger passes SPF
 * easily for a domain of his own.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "trust/trust.h"

static const char *
verdict_result_name(enum trust_result r)
{
	static const char *const names[] = {
		[TRUST_ABSENT] = "absent", [TRUST_PASS] = "pass",
		[TRUST_FAIL] = "fail", [TRUST_SOFTFAIL] = "softfail",
		[TRUST_NEUTRAL] = "neutral", [TRUST_NONE] = "none",
		[TRUST_TEMPERROR] = "temperror",
		[TRUST_PERMERROR] = "permerror", [TRUST_POLICY] = "policy",
		[TRUST_OTHER] = "unknown",
	};

	return names[r];
}

/* a is b, or a subdomain of b ("mail.acme.com" of "acme.com"). */
static int
verdict_under(const char *a, const char *b)
{
	size_t al = strlen(a), bl = strlen(b);

	if (al == bl)
		return strcasecmp(a, b) == 0;
	return al > bl && a[al - bl - 1] == '.' &&
	    strcasecmp(a + al - bl, b) == 0;
}

static int
verdict_aligned(const char *d, const char *from)
{
	return d[0] != '\0' && (verdict_under(d, from) ||
	    verdict_under(from, d));
}

/* The state of one method (dkim or spf) for from: 1 an aligned pass,
 * -1 a negative result (fail and the like, or a pass for some other
 * domain), 0 nothing known (absent, none, temperror).  *shown_r gets
 * the result that decided it, for the flag's text. */
static int
verdict_method(const struct trust_authres *ar, const char *method,
    const char *from, const struct trust_method **shown_r)
{
	int state = 0;
	size_t i;

	for (i = 0; i < ar->nmethods; i++) {
		const struct trust_method *m = &ar->methods[i];

		if (strcmp(m->name, method) != 0)
			continue;
		switch (m->result) {
		case TRUST_PASS:
			if (verdict_aligned(m->domain, from)) {
				*shown_r = m;
				return 1;
			}
			break;
		case TRUST_FAIL: case TRUST_SOFTFAIL: case TRUST_NEUTRAL:
		case TRUST_PERMERROR: case TRUST_POLICY:
			break;
		default:
			continue;
		}
		if (state == 0)
			*shown_r = m;
		state = -1;
	}
	return state;
}

static void
verdict_say(char *why, size_t whylen, const struct trust_method *m)
{
	size_t n = strlen(why);

	if (n >= whylen)
		return;
	if (m == NULL)
		snprintf(why + n, whylen - n, "%s",
		    n ? ", no spf result" : "no dkim result");
	else
		snprintf(why + n, whylen - n, "%s%s=%s%s%s", n ? ", " : "",
		    m->name, verdict_result_name(m->result),
		    m->domain[0] ? " for " : "", m->domain);
}

int
trust_sender_unverified(const struct trust_authres *ar,
    const char *from_domain, char *why, size_t whylen)
{
	const struct trust_method *dkim = NULL, *spf = NULL;
	int dk, sp;
	size_t i;

	if (whylen > 0)
		why[0] = '\0';
	if (ar == NULL || ar->malformed || from_domain == NULL ||
	    from_domain[0] == '\0')
		return 0;
	for (i = 0; i < ar->nmethods; i++) {
		const struct trust_method *m = &ar->methods[i];

		/* A DMARC result for another From: domain (a second From
		 * line?) says nothing about this one. */
		if (strcmp(m->name, "dmarc") != 0 || (m->domain[0] != '\0' &&
		    strcasecmp(m->domain, from_domain) != 0))
			continue;
		if (m->result == TRUST_PASS)
			return 0;
		if (m->result == TRUST_FAIL) {
			verdict_say(why, whylen, m);
			return 1;
		}
	}
	dk = verdict_method(ar, "dkim", from_domain, &dkim);
	sp = verdict_method(ar, "spf", from_domain, &spf);
	if (dk == 1 || sp == 1 || (dk == 0 && sp == 0))
		return 0;
	verdict_say(why, whylen, dkim);
	verdict_say(why, whylen, spf);
	return 1;
}

/*
 * Who sent it: the engine's side of trust/.  A From: line proves
 * nothing, so an order whose sender a trusted receiving server could not
 * verify, or whose domain only looks like a customer's, is flagged for a
 * person and gets no automatic reply: the reply would go to the real
 * customer (forged From:) or tell a forger his mail was read.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "engine/engine_int.h"
#include "store/customer.h"
#include "trust/trust.h"

static const char *
sender_domain(const struct engine_result *r)
{
	const char *at;

	if (r->msg.from_addr == NULL ||
	    (at = strrchr(r->msg.from_addr, '@')) == NULL || at[1] == '\0')
		return NULL;
	return at + 1;
}

void
engine_sender_auth(const struct engine *e, const char *raw, size_t len,
    struct engine_result *r)
{
	struct trust_authres ar;
	char why[256];

	if (e->policy.ntrusted_ids == 0 ||
	    !trust_authres_find(raw, len, e->policy.trusted_ids,
	    e->policy.ntrusted_ids, &ar) ||
	    !trust_sender_unverified(&ar, sender_domain(r), why, sizeof(why)))
		return;
	engine_flag_add(r, "sender_unverified", -1,
	    "the sender is not verified: %s (reported by %s); never "
	    "accepted and not answered automatically", why, ar.authserv_id);
	r->no_reply = "sender not verified";
}

int
engine_sender_lookalike(struct engine *e, struct engine_result *r,
    struct err *err)
{
	struct store_customer_domain *doms;
	const char **names;
	const char *dom = sender_domain(r);
	size_t n, i, which;
	int hit;

	if (dom == NULL)
		return 0;
	if (store_customer_domains(e->store, &doms, &n, err) == -1)
		return -1;
	names = xcalloc(n + 1, sizeof(*names));
	for (i = 0; i < n; i++)
		names[i] = doms[i].domain;
	if ((hit = trust_lookalike(dom, names, n, &which)) == 1) {
		engine_flag_add(r, "lookalike_sender", -1,
		    "'%s' looks like %s of customer %s (%s) but is not "
		    "theirs; not matched to them and not answered "
		    "automatically", r->msg.from_addr, doms[which].domain,
		    doms[which].customer_id, doms[which].customer_name);
		r->no_reply = "lookalike sender";
	}
	free(names);
	store_customer_domains_free(doms, n);
	return hit;
}

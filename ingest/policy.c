/*
 * [policy] to struct engine_policy; see ingest/policy.h.
 */
#include "config.h"

#include "config/conf.h"
#include "ingest/policy.h"

void
ingest_policy_init(struct engine_policy *p, const struct config *conf)
{
	const struct config_policy *c = &conf->policy;

	engine_policy_default(p);
	p->match_threshold = c->match_threshold;
	p->unusual_factor = c->unusual_quantity_factor;
	p->min_history_orders = (int)c->min_history_for_unusual;
	p->history_orders = (int)c->history_orders;
	p->limits.max_message = c->max_message_bytes;
	p->limits.max_text = c->max_text_bytes;
	p->limits.attach.read_xls = c->read_xls;
	p->trusted_ids = (const char *const *)c->trusted_authserv_ids;
	p->ntrusted_ids = c->ntrusted_authserv_ids;
}

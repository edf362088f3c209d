/*
 * The reply settings from the configuration; see settings.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/xmalloc.h"
#include "config/conf.h"
#include "reply/settings.h"

void
reply_settings_init(struct reply_settings *rs, const struct config *c,
    enum reply_settings_mode mode)
{
	struct reply_conf *r = &rs->conf;
	size_t i, n = 0;

	memset(rs, 0, sizeof(*rs));
	/* Our own addresses (the inboxes', the SMTP login's): a reply to
	 * one of them would talk to ourselves. */
	rs->own = xcalloc(c->nimaps + 2, sizeof(char *));
	for (i = 0; i < c->nimaps; i++)
		if (c->imaps[i].user != NULL && strchr(c->imaps[i].user, '@'))
			rs->own[n++] = c->imaps[i].user;
	if (c->smtp.user != NULL && strchr(c->smtp.user, '@'))
		rs->own[n++] = c->smtp.user;
	/* The same host for every program, so replies from any of them are
	 * recognised as ours when they come back. */
	if (gethostname(rs->hostname, sizeof(rs->hostname) - 1) == -1)
		snprintf(rs->hostname, sizeof(rs->hostname), "localhost");
	r->from = c->smtp.from;
	r->from_name = c->smtp.from_name;
	r->templates = c->reply.templates;
	r->hostname = c->smtp.helo_name != NULL ? c->smtp.helo_name :
	    rs->hostname;
	r->own = rs->own;
	r->nown = n;
	r->person = c->reply.person;
	r->msgid_domain = c->smtp.message_id_domain;
	if (mode == REPLY_SETTINGS_MANUAL) {
		r->manual = 1;
	} else {
		r->max_per_hour = c->reply.max_per_sender_per_hour;
		r->max_age_hours = c->reply.max_age_hours;
	}
	rs->enabled = c->smtp.enabled;
}

void
reply_settings_release(struct reply_settings *rs)
{
	free(rs->own);
	memset(rs, 0, sizeof(*rs));
}

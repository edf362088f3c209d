/*
 * The reply settings (struct reply_conf) from the configuration, built
 * in this one place for mailorderd, the operator's commands, the queue
 * and `mailorder preview`, so replies from any of them look alike and
 * are recognised as ours when they come back.
 */
#ifndef MO_REPLY_SETTINGS_H
#define MO_REPLY_SETTINGS_H

#include "reply/reply.h"

struct config;

enum reply_settings_mode {
	/* mailorderd, preview: the automatic kinds are rate and age
	 * limited by [reply]. */
	REPLY_SETTINGS_AUTOMATIC,
	/* A person decided: the limits for automatic replies must not
	 * swallow the confirmation they asked for; only the address rules
	 * apply. */
	REPLY_SETTINGS_MANUAL,
};

struct reply_settings {
	struct reply_conf	 conf;		/* points into this struct */
	int			 enabled;	/* [smtp] is set: replies leave */
	const char		**own;		/* our addresses (malloc'd) */
	char			 hostname[256];	/* when no helo_name */
};

/* Fill rs from conf (borrowed: it must outlive rs).  rs must not be
 * copied afterwards (rs->conf points into it).  reply_settings_release()
 * frees what it holds. */
void	reply_settings_init(struct reply_settings *rs, const struct config *,
	    enum reply_settings_mode);
void	reply_settings_release(struct reply_settings *rs);

#endif

/*
 * health/: is the shop's intake working?  Three parts:
 *
 *   - the daemon's state file ("STORE.state", beside the store's lock
 *     file): what only the running daemon knows (its start, each inbox's
 *     last good fetch and last error), rewritten atomically after each
 *     cycle so `mailorder status` can read it from another process;
 *   - the report: that state, who holds the store's lock and the store's
 *     own counts (store/health.h), judged against [status] limits into
 *     OK, WARNING or CRITICAL (the monitoring-plugin exit codes 0, 1, 2),
 *     printed for a person or as JSON;
 *   - the metrics textfile, in the Prometheus text format, for
 *     node_exporter's textfile collector.
 */
#ifndef MO_HEALTH_H
#define MO_HEALTH_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "common/buf.h"
#include "common/error.h"
#include "store/health.h"

struct store;

#define HEALTH_MAX_INBOXES	32

struct health_inbox {
	char		key[512];	/* user@host:port/mailbox */
	time_t		last_ok;	/* end of the last good cycle (0:
					   never) */
	time_t		last_error_at;	/* 0: none since the daemon started */
	char		last_error[ERR_MSG_MAX];
	uint64_t	fetch_errors;	/* since the daemon started */
	time_t		token_expires;	/* the OAuth2 token used at the last
					   login; 0: none or unknown */
	int64_t		backlog;	/* fetched, not decided (from the
					   store) */
};

/* Outcomes of the messages this daemon decided since it started. */
enum health_outcome {
	HEALTH_ACCEPTED, HEALTH_FLAGGED, HEALTH_IGNORED, HEALTH_FAILED,
	HEALTH_DUPLICATE, HEALTH_OUTCOMES
};

extern const char *const health_outcome_names[HEALTH_OUTCOMES];

/* Delivery-to-order latency buckets (upper bounds, seconds). */
#define HEALTH_LATENCY_BUCKETS	12
extern const double health_latency_bounds[HEALTH_LATENCY_BUCKETS];

struct health_latency {
	uint64_t	le[HEALTH_LATENCY_BUCKETS];	/* cumulative */
	uint64_t	count;
	double		sum;
};

/* Count one observation of s seconds. */
void	health_latency_observe(struct health_latency *, double s);

struct health_state {
	long			pid;
	time_t			started;
	time_t			cycle;		/* end of the last cycle */
	int			once;		/* run from cron (--once) */
	struct health_inbox	inboxes[HEALTH_MAX_INBOXES];
	size_t			ninboxes;
	uint64_t		outcomes[HEALTH_OUTCOMES];
	struct health_latency	latency;
};

/* The state file of the store at db_path: "DB.state" (malloc'd). */
char	*health_state_path(const char *db_path);

/* Write s to path atomically (a temporary file in the same directory,
 * fsync, rename), mode 0644: nothing in it is secret.  Returns 0, or -1
 * with ERR_TEMP. */
int	health_state_write(const char *path, const struct health_state *,
	    struct err *);

/* Read path into *s.  Returns 1, 0 when there is no such file, or -1
 * with err (unreadable; a malformed line names path:line). */
int	health_state_read(const char *path, struct health_state *,
	    struct err *);

/* Write text[0..len) to path atomically, as health_state_write() does. */
int	health_file_replace(const char *path, const char *text, size_t len,
	    struct err *);

enum health_level { HEALTH_OK = 0, HEALTH_WARNING = 1, HEALTH_CRITICAL = 2 };

/* The expiry of an OAuth2 access token that is a JWT (its "exp"), or 0
 * when it is none or says nothing. */
time_t	health_token_expiry(const char *token);

/* When status warns ([status] in mailorder.conf), in seconds. */
struct health_limits {
	long	token_warning;			/* 0: tokens not judged */
	long	inbox_warning, inbox_critical;	/* since the last good fetch */
	long	flagged_warning, flagged_critical; /* oldest waiting order */
	long	reply_warning;			/* oldest reply not sent */
	long	webhook_warning;		/* oldest event not posted;
						   0: no [webhook], events
						   not judged */
};

#define HEALTH_MAX_PROBLEMS	16

struct health_report {
	time_t			now;
	int			running;	/* someone holds the lock */
	long			pid;
	char			holder[64];
	int			have_state;	/* the daemon wrote its state */
	struct health_state	state;
	struct store_health	store;
	int			webhooks;	/* a [webhook] is configured
						   (set by the judgement) */
	enum health_level	level;
	struct {
		enum health_level	level;
		char			key[600];	/* what it is about,
							   stable across
							   cycles: "queue",
							   "inbox-error KEY" */
		char			text[300];
	}			problems[HEALTH_MAX_PROBLEMS];
	size_t			nproblems;
};

/* Gather the report for the store st at db_path: the lock's holder, the
 * state file, the store's counts and each inbox's backlog.  Returns 0,
 * or -1 with err (the store or the state file cannot be read). */
int	health_report_collect(struct store *st, const char *db_path,
	    time_t now, struct health_report *r, struct err *);

/* Judge r against lim: fills r->level and r->problems, and r->webhooks
 * from lim (webhook events are judged only with a [webhook]). */
void	health_report_judge(struct health_report *r,
	    const struct health_limits *lim);

const char *health_level_name(enum health_level);

/* The report as text for a person, or as one JSON object (with a
 * trailing newline). */
void	health_report_text(const struct health_report *, struct buf *);
void	health_report_json(const struct health_report *, struct buf *);

struct config;

/* The [status] limits of conf, in seconds. */
void	health_limits_init(struct health_limits *, const struct config *conf);

/* Alert mails (health/alert.c). */
struct health_alert_conf {
	const char	*from, *from_name;	/* the shop's [smtp] from */
	const char	*to;			/* [alerts] to */
	const char	*hostname;		/* for the Message-ID */
	long		 period;		/* seconds: at most one per */
};

/* Compose the alert about problem key (level, text) at now into out
 * (CRLF, ready for the outbox) and its Message-ID, which is the same for
 * the same key within one period, into msgid.  Returns 0, or -1 when an
 * address is not usable. */
int	health_alert_compose(const struct health_alert_conf *,
	    const char *key, enum health_level, const char *text, time_t now,
	    struct buf *out, char *msgid, size_t msgidlen);

/* The morning digest: "3 orders waiting, oldest 5 h; 41 confirmed
 * yesterday, 92% touchless", one Message-ID per local day. */
int	health_digest_compose(const struct health_alert_conf *,
	    const struct store_health *, const struct store_day *yesterday,
	    time_t now, struct buf *out, char *msgid, size_t msgidlen);

/* The Prometheus text exposition of the daemon's state s and the store's
 * counts h, at time now. */
void	health_metrics_format(const struct health_state *s,
	    const struct store_health *h, time_t now, struct buf *out);

#endif

/*
 * mailorderd: glue between the configuration, the IMAP inboxes, the
 * parse worker and the store.  main.c owns the loop and signals, inbox.c
 * one inbox's cycle, notify.c the systemd protocol.
 */
#ifndef MO_DAEMON_H
#define MO_DAEMON_H

#include <signal.h>
#include <stdint.h>
#include <time.h>

#include "config/conf.h"
#include "health/health.h"
#include "common/error.h"
#include "reply/reply.h"

struct store;
struct store_lock;
struct worker;
struct imap_session;

struct daemon_counts {
	unsigned long	accepted, flagged, ignored, failed, duplicates;
};

struct inbox {
	const struct config_imap *conf;		/* borrowed from daemon.conf */
	struct imap_session	*session;	/* NULL: not connected */
	char			 key[512];	/* user@host:port/mailbox */
	uint32_t		 uidvalidity;
	time_t			 next_try;	/* reconnect not before */
	unsigned int		 backoff;	/* seconds, doubles per failure */
	int			 idle;		/* server has IDLE and we use it */
};

struct daemon {
	const char		*config_path;
	struct config		*conf;
	struct store		*store;
	struct store_lock	*lock;		/* one daemon per store */
	struct worker		*worker;
	struct inbox		*inboxes;
	size_t			 ninboxes;
	struct daemon_counts	 counts;
	int			 once;
	enum err_class		 once_failed;	/* --once: an inbox could not be read */
	int			 fatal;		/* cannot go on: fatal_err says why */
	struct err		 fatal_err;
	struct reply_conf	 reply;		/* from conf, for the worker */
	const char		**own;		/* our addresses, for reply */
	char			 hostname[256];	/* for reply Message-IDs */
	int			 replies;	/* replies are queued at all */
	time_t			 outbox_due;	/* next reply due; 0: none */
	struct health_state	 health;	/* for status and metrics */
	int64_t			 latency_after;	/* last order measured */
	time_t			 next_purge;	/* raw mail retention */
	time_t			 webhook_due;	/* next webhook event due; 0: none */
	volatile sig_atomic_t	 stop;
	volatile sig_atomic_t	 reload;
	volatile sig_atomic_t	 wake;		/* stop or reload: end waits */
};

/* How often a message may be fetched and recorded without reaching a
 * verdict before it is given up as poison.  A whole batch is recorded
 * before its messages are parsed one by one, so a daemon killed mid-batch
 * counts an attempt for every message of the batch; parse crashes are
 * caught by the worker and recorded at once, so this is the last guard,
 * against a message that takes the daemon itself down. */
#define DAEMON_MAX_ATTEMPTS	10

/* Run one cycle of an inbox: connect if needed, fetch and process every
 * new message.  Returns 0, or -1 with err (ERR_CONFIG from the worker
 * means the daemon cannot go on). */
int	inbox_cycle(struct daemon *, struct inbox *, struct err *);

/* Wait for news on the inbox (IDLE) or for the poll interval, waking up
 * for signals and to ping the watchdog. */
void	inbox_wait(struct daemon *, struct inbox *);

/* Drop the inbox's connection. */
void	inbox_disconnect(struct inbox *);

/* Replies (outbox.c).  outbox_setup() builds d->reply from d->conf (again
 * after a reload); outbox_check() loads every template so a broken one
 * stops start-up or a reload with FILE:LINE.  outbox_send() sends what is
 * due (all of it now when now_due) over SMTP; outbox_cycle() also copies
 * sent replies to the Sent folder over the first inbox's connection.
 * outbox_wait_limit() shortens a wait of seconds so a retry falling due
 * meanwhile is not late. */
void		 outbox_setup(struct daemon *);
void		 outbox_release(struct daemon *);
int		 outbox_check(const struct config *, struct err *);
void		 outbox_send(struct daemon *, int now_due);
void		 outbox_cycle(struct daemon *);
unsigned int	 outbox_wait_limit(const struct daemon *, unsigned int seconds);
/* Re-read when the next reply is due (another process may have queued
 * one), and how often an idle wait should do so (0: never). */
void		 outbox_refresh(struct daemon *);
unsigned int	 outbox_poll_interval(const struct daemon *);

/* The state file and the metrics textfile (report.c): report_start()
 * once the store is open, report_inbox_ok() after a cycle that read an
 * inbox without an error, report_inbox_error() for each failure,
 * report_cycle() after each cycle writes both files. */
void	report_start(struct daemon *);
void	report_inbox_ok(struct daemon *, const struct inbox *);
void	report_inbox_error(struct daemon *, const struct inbox *,
	    const struct err *);
/* The OAuth2 token an inbox is about to log in with (only its expiry is
 * kept). */
void	report_inbox_token(struct daemon *, const struct inbox *,
	    const char *token);
void	report_cycle(struct daemon *);
/* The daemon's state as the state file has it (the inboxes configured
 * now, the counters). */
void	report_state(struct daemon *, struct health_state *);

/* [alerts] (alerts.c): after a cycle, queue an alert for each problem
 * mailorder status would report (at most one per problem per period)
 * and the morning digest. */
void	alerts_cycle(struct daemon *);

/* [store] keep_raw_days (retention.c): purge old raw mail when an hour
 * has passed since the last time (and on the first cycle). */
void	retention_cycle(struct daemon *);

/* systemd notifications; no-ops without NOTIFY_SOCKET or libsystemd. */
void	notify_ready(void);
void	notify_stopping(void);
void	notify_reloading(void);
void	notify_status(const struct daemon *, const char *state);
void	notify_watchdog(void);
/* Seconds between watchdog pings (half of WatchdogSec), 0 when off. */
unsigned int notify_watchdog_interval(void);

#endif

/*
 * mailorderd: watch the order inboxes over IMAP and turn every new email
 * into exactly one stored order or flagged item.
 *
 *   mailorderd [-c FILE] [--once] [--foreground] [-v]
 *   mailorderd [-c FILE] --check-config [-v]
 *   mailorderd --version | --help
 *
 * It never forks into the background (systemd's Type=notify wants it in
 * the foreground); --foreground is accepted for scripts that pass it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "daemon/daemon.h"
#include "imap/imap.h"
#include "ingest/policy.h"
#include "ingest/worker.h"
#include "rules/rules.h"
#include "store/lock.h"
#include "store/store.h"
#include "store/webhook.h"

#define DAEMON_WORKER_MEM	(1024UL * 1024 * 1024)

static struct daemon *the_daemon;
static int daemon_wake_pipe[2] = { -1, -1 };

static void
on_signal(int sig)
{
	int saved = errno;

	if (sig == SIGHUP)
		the_daemon->reload = 1;
	else
		the_daemon->stop = 1;
	the_daemon->wake = 1;
	/* For a wait that had not begun when the flag was set. */
	if (daemon_wake_pipe[1] != -1)
		(void)write(daemon_wake_pipe[1], "", 1);
	errno = saved;
}

void
daemon_nap(struct daemon *d, unsigned int seconds)
{
	struct pollfd pfd;
	char buf[64];

	if (d->stop || d->reload)
		return;
	if (daemon_wake_pipe[0] == -1) {
		sleep(seconds);		/* a signal cuts it short */
		return;
	}
	pfd.fd = daemon_wake_pipe[0];
	pfd.events = POLLIN;
	if (poll(&pfd, 1, (int)seconds * 1000) > 0)
		while (read(daemon_wake_pipe[0], buf, sizeof(buf)) > 0)
			;
}

/* No SA_RESTART: a signal must cut a blocking wait (IDLE, sleep) short so
 * SIGTERM is answered promptly. */
static void
daemon_signals(struct daemon *d)
{
	struct sigaction sa;

	the_daemon = d;
	if (pipe2(daemon_wake_pipe, O_CLOEXEC | O_NONBLOCK) == -1)
		daemon_wake_pipe[0] = daemon_wake_pipe[1] = -1;
	imap_set_interrupt(&d->wake, daemon_wake_pipe[0]);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

/* What the configuration names besides itself, loaded exactly as the
 * parse worker and the reply code will load it (the same paths through
 * the same loaders): a broken drop-in rule file or template then stops
 * --check-config, start-up or a reload with FILE:LINE, instead of the
 * worker refusing the first batch after it was fetched. */
static int
daemon_check_files(const struct config *c, struct err *err)
{
	struct ruleset *rs;

	if (c->nimaps == 0)
		return err_set(err, ERR_CONFIG, "%s: no [imap] section: "
		    "nothing to watch", c->path ? c->path : "(defaults)");
	if ((rs = rules_load((const char *const *)c->rule_paths,
	    c->nrule_paths, err)) == NULL)
		return -1;
	rules_free(rs);
	return outbox_check(c, err);
}

static int
daemon_load_config(const char *path, struct config **conf_r, int verbose)
{
	struct err err;

	if (config_load_report(path, conf_r) == -1)
		return -1;
	err_clear(&err);
	if (daemon_check_files(*conf_r, &err) == -1) {
		log_err("%s", err.msg);
		config_free(*conf_r);
		*conf_r = NULL;
		return -1;
	}
	(void)verbose;
	return 0;
}

static void
daemon_inboxes(struct daemon *d)
{
	size_t i;

	d->ninboxes = d->conf->nimaps;
	d->inboxes = xcalloc(d->ninboxes, sizeof(*d->inboxes));
	for (i = 0; i < d->ninboxes; i++) {
		struct inbox *in = &d->inboxes[i];
		const struct config_imap *c = &d->conf->imaps[i];

		in->conf = c;
		snprintf(in->key, sizeof(in->key), "%s@%s:%ld/%s",
		    c->user ? c->user : "", c->host, c->port, c->mailbox);
	}
}

static void
daemon_inboxes_free(struct daemon *d)
{
	size_t i;

	for (i = 0; i < d->ninboxes; i++)
		inbox_disconnect(&d->inboxes[i]);
	free(d->inboxes);
	d->inboxes = NULL;
	d->ninboxes = 0;
}

static struct worker *
daemon_worker(const struct daemon *d)
{
	const struct config *conf = d->conf;
	struct worker_conf wc;

	memset(&wc, 0, sizeof(wc));
	wc.store_path = conf->store_path;
	wc.rule_paths = (const char *const *)conf->rule_paths;
	wc.nrule_paths = conf->nrule_paths;
	ingest_policy_init(&wc.policy, conf);
	wc.timeout_s = (unsigned int)conf->policy.parse_timeout;
	wc.mem_limit = DAEMON_WORKER_MEM;
	if (conf->webhook.enabled)
		wc.webhook_events = conf->webhook.event_mask;
	if (d->replies) {
		wc.reply = d->reply.conf;
		wc.confirm_accepted = conf->reply.confirm_accepted;
		wc.acknowledge_flagged = conf->reply.acknowledge_flagged;
		wc.receipt = conf->reply.no_order_reply ==
		    CONFIG_NO_ORDER_RECEIPT;
		wc.acknowledge_unknown =
		    conf->reply.acknowledge_unknown_sender;
	}
	return worker_new(&wc);
}

/* SIGHUP: read the configuration again and restart the parse worker (so
 * it reads the rules again).  A broken new configuration is reported and
 * the old one kept: a typo must not stop order intake. */
static void
daemon_reload(struct daemon *d)
{
	struct config *conf;

	d->reload = 0;
	d->wake = d->stop;
	notify_reloading();
	log_info("reloading %s", d->config_path);
	if (daemon_load_config(d->config_path, &conf, 0) == -1) {
		log_warnx("keeping the running configuration");
		notify_ready();
		return;
	}
	daemon_inboxes_free(d);
	worker_free(d->worker);
	config_free(d->conf);
	d->conf = conf;
	store_webhook_events(d->store, conf->webhook.enabled ?
	    conf->webhook.event_mask : 0);
	log_set_level((enum log_level)conf->log_level);
	outbox_setup(d);
	d->worker = daemon_worker(d);
	daemon_inboxes(d);
	notify_ready();
}

static int
daemon_run(struct daemon *d)
{
	struct err err;
	size_t i;

	for (;;) {
		for (i = 0; i < d->ninboxes && !d->stop; i++) {
			err_clear(&err);
			if (inbox_cycle(d, &d->inboxes[i], &err) == -1) {
				log_err("%s", err.msg);
				return err.cls == ERR_CONFIG ? EX_CONFIG :
				    EX_SOFTWARE;
			}
		}
		if (!d->stop)
			outbox_cycle(d);
		report_cycle(d);
		retention_cycle(d);
		alerts_cycle(d);
		notify_status(d, "idle");
		if (d->once && d->once_failed != ERR_NONE)
			return d->once_failed == ERR_CONFIG ? EX_CONFIG :
			    EX_TEMPFAIL;
		if (d->stop || d->once)
			return EX_OK;
		if (d->reload) {
			daemon_reload(d);
			continue;
		}
		inbox_wait(d, &d->inboxes[0]);
		if (d->reload)
			daemon_reload(d);
	}
}

/* Open the store and take its lock: a second daemon on the same store
 * would race this one for the same outbox rows and IMAP moves.  Returns
 * EX_OK, or the exit status after logging why. */
static int
daemon_open_store(struct daemon *d)
{
	struct err err;

	err_clear(&err);
	if ((d->store = store_open(d->conf->store_path, 0, &err)) == NULL) {
		log_err("%s", err.msg);
		return err.cls == ERR_TEMP ? EX_TEMPFAIL : EX_CONFIG;
	}
	if (d->conf->webhook.enabled)
		store_webhook_events(d->store, d->conf->webhook.event_mask);
	if ((d->lock = store_lock_take(d->conf->store_path, "mailorderd",
	    &err)) == NULL) {
		if (err.cls == ERR_TEMP)
			log_err("%s: only one mailorderd may run on a store",
			    err.msg);
		else
			log_err("%s", err.msg);
		store_close(d->store);
		d->store = NULL;
		return err.cls == ERR_TEMP ? EX_TEMPFAIL : EX_CONFIG;
	}
	return EX_OK;
}

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: mailorderd [-c FILE] [--once] [--foreground] "
	    "[-v]\n       mailorderd [-c FILE] --check-config [-v]\n"
	    "       mailorderd --version | --help\n");
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config",		required_argument,	NULL, 'c' },
		{ "check-config",	no_argument,		NULL, 'n' },
		{ "once",		no_argument,		NULL, '1' },
		{ "foreground",		no_argument,		NULL, 'f' },
		{ "verbose",		no_argument,		NULL, 'v' },
		{ "version",		no_argument,		NULL, 'V' },
		{ "help",		no_argument,		NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct daemon d;
	int ch, check = 0, verbose = 0, status;

	xmalloc_tune();
	setlocale(LC_ALL, "");
	memset(&d, 0, sizeof(d));
	d.config_path = CONFIG_FILE_DEFAULT;
	while ((ch = getopt_long(argc, argv, "c:n1fvVh", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': d.config_path = optarg; break;
		case 'n': check = 1; break;
		case '1': d.once = 1; break;
		case 'f': break;
		case 'v': verbose++; break;
		case 'V':
			printf("mailorderd %s\n", PACKAGE_VERSION);
			return EX_OK;
		case 'h':
			usage(stdout);
			return EX_OK;
		default:
			usage(stderr);
			return EX_USAGE;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return EX_USAGE;
	}
	log_init("mailorderd", verbose ? LOG_LEVEL_DEBUG : LOG_LEVEL_INFO);
	if (daemon_load_config(d.config_path, &d.conf, verbose) == -1)
		return EX_CONFIG;
	if (check) {
		if (verbose)
			config_dump(d.conf, stdout);
		else
			printf("%s: configuration ok\n", d.config_path);
		config_free(d.conf);
		return EX_OK;
	}
	if (!verbose)
		log_set_level((enum log_level)d.conf->log_level);
	srandom((unsigned int)(time(NULL) ^ getpid()));
	if ((status = daemon_open_store(&d)) != EX_OK) {
		config_free(d.conf);
		return status;
	}
	report_start(&d);
	daemon_signals(&d);
	outbox_setup(&d);
	d.worker = daemon_worker(&d);
	daemon_inboxes(&d);
	notify_ready();
	log_info("started, watching %zu inbox%s", d.ninboxes,
	    d.ninboxes == 1 ? "" : "es");
	status = daemon_run(&d);
	notify_stopping();
	log_info("stopping: %lu accepted, %lu flagged, %lu ignored, "
	    "%lu failed", d.counts.accepted, d.counts.flagged,
	    d.counts.ignored, d.counts.failed);
	daemon_inboxes_free(&d);
	worker_free(d.worker);
	outbox_release(&d);
	store_close(d.store);
	store_lock_release(d.lock);
	config_free(d.conf);
	return status;
}

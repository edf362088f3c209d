/*
 * Raw mail retention for the daemon: glue over store/retention.c, run
 * after a cycle at most once an hour.
 */
#include "config.h"

#include "common/log.h"
#include "daemon/daemon.h"
#include "store/retention.h"

#define RETENTION_EVERY	3600	/* seconds between purges */

void
retention_cycle(struct daemon *d)
{
	time_t now = time(NULL);
	int64_t n;
	struct err err;

	if (d->conf->keep_raw_days <= 0 || now < d->next_purge)
		return;
	err_clear(&err);
	if (store_purge_raw(d->store, d->conf->keep_raw_days, now, &n,
	    &err) == -1) {
		/* A busy store: the next cycle tries again. */
		log_warnx("keep_raw_days: %s", err.msg);
		return;
	}
	d->next_purge = now + RETENTION_EVERY;
	if (n > 0)
		log_info("keep_raw_days: deleted the raw mail of %lld "
		    "message%s older than %ld days", (long long)n,
		    n == 1 ? "" : "s", d->conf->keep_raw_days);
}

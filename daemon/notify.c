/*
 * The systemd side: Type=notify readiness, status lines and watchdog
 * pings.  Without libsystemd (configure --without-systemd) or outside
 * systemd these do nothing.
 */
#include "config.h"

#include <stdio.h>

#ifdef HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include "daemon/daemon.h"

void
notify_ready(void)
{
#ifdef HAVE_SYSTEMD
	sd_notify(0, "READY=1");
#endif
}

void
notify_stopping(void)
{
#ifdef HAVE_SYSTEMD
	sd_notify(0, "STOPPING=1");
#endif
}

void
notify_reloading(void)
{
#ifdef HAVE_SYSTEMD
	sd_notify(0, "RELOADING=1");
#endif
}

void
notify_status(const struct daemon *d, const char *state)
{
#ifdef HAVE_SYSTEMD
	sd_notifyf(0, "STATUS=%s; %lu accepted, %lu flagged, %lu ignored, "
	    "%lu failed", state, d->counts.accepted, d->counts.flagged,
	    d->counts.ignored, d->counts.failed);
#else
	(void)d;
	(void)state;
#endif
}

void
notify_watchdog(void)
{
#ifdef HAVE_SYSTEMD
	sd_notify(0, "WATCHDOG=1");
#endif
}

unsigned int
notify_watchdog_interval(void)
{
#ifdef HAVE_SYSTEMD
	uint64_t usec = 0;

	if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0)
		return (unsigned int)(usec / 2000000 > 0 ? usec / 2000000 : 1);
#endif
	return 0;
}

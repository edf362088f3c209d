/*
 * stderr logging with journald priority prefixes.  Modelled on OpenSMTPD's
 * log.c: one vlog() does the work, the wrappers only pick a level.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"

static const char	*log_progname = "mailorder";
static enum log_level	 log_threshold = LOG_LEVEL_INFO;
static int		 log_journal;

void
log_init(const char *progname, enum log_level threshold)
{
	log_progname = progname;
	log_threshold = threshold;
	/* systemd sets JOURNAL_STREAM when stderr is connected to journald. */
	log_journal = getenv("JOURNAL_STREAM") != NULL;
}

void
log_set_level(enum log_level threshold)
{
	log_threshold = threshold;
}

int
log_enabled(enum log_level level)
{
	return level <= log_threshold;
}

static void
vlog(enum log_level level, int with_errno, const char *fmt, va_list ap)
{
	char msg[2048];
	int saved = errno;
	size_t i;

	if (!log_enabled(level))
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* One record, one line: a newline from a message header must not
	 * forge a second log entry. */
	for (i = 0; msg[i] != '\0'; i++)
		if (msg[i] == '\n' || msg[i] == '\r')
			msg[i] = ' ';
	if (log_journal)
		fprintf(stderr, "<%d>", (int)level);
	else
		fprintf(stderr, "%s: ", log_progname);
	if (with_errno)
		fprintf(stderr, "%s: %s\n", msg, strerror(saved));
	else
		fprintf(stderr, "%s\n", msg);
	errno = saved;
}

#define LOG_FN(name, level, with_errno)			\
void							\
name(const char *fmt, ...)				\
{							\
	va_list ap;					\
							\
	va_start(ap, fmt);				\
	vlog(level, with_errno, fmt, ap);		\
	va_end(ap);					\
}

LOG_FN(log_warn, LOG_LEVEL_WARNING, 1)
LOG_FN(log_warnx, LOG_LEVEL_WARNING, 0)
LOG_FN(log_err, LOG_LEVEL_ERR, 0)
LOG_FN(log_info, LOG_LEVEL_INFO, 0)
LOG_FN(log_debug, LOG_LEVEL_DEBUG, 0)

void
fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_LEVEL_ERR, 1, fmt, ap);
	va_end(ap);
	exit(70);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_LEVEL_ERR, 0, fmt, ap);
	va_end(ap);
	exit(70);
}

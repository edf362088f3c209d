/*
 * Logging to stderr.  Under systemd (JOURNAL_STREAM set) each line starts
 * with a "<N>" syslog priority that journald understands; on a terminal each
 * line starts with the program name.  Levels below the threshold are
 * dropped before any formatting is done.
 *
 * Never pass secrets (passwords, tokens) to these functions.
 */
#ifndef MO_LOG_H
#define MO_LOG_H

enum log_level {
	LOG_LEVEL_ERR = 3,
	LOG_LEVEL_WARNING = 4,
	LOG_LEVEL_INFO = 6,
	LOG_LEVEL_DEBUG = 7,
};

void	log_init(const char *progname, enum log_level threshold);
void	log_set_level(enum log_level threshold);
int	log_enabled(enum log_level);

/* log_warn appends ": strerror(errno)"; log_warnx does not. */
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_err(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));

/* Log at error level and exit(70).  fatal adds strerror(errno). */
void	fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif

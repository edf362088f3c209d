/*
 * The one error convention: functions return 0/-1 (or NULL) and describe
 * the failure in a caller-owned struct err.  The class tells the caller what
 * to do next, so a loop can decide from the class alone.
 */
#ifndef MO_ERROR_H
#define MO_ERROR_H

#include <stdarg.h>

enum err_class {
	ERR_NONE = 0,
	ERR_TEMP,	/* temporary: retry later (network down, database busy) */
	ERR_MSG,	/* this email is bad: quarantine it and go on */
	ERR_INPUT,	/* what a person gave is wrong (an order number, a SKU,
			 * a row of their CSV, data breaking a rule of the
			 * store): tell them and let them fix it.  Never a
			 * reason to quarantine mail. */
	ERR_CONFIG,	/* configuration or user file is wrong: fix and restart */
	ERR_FATAL,	/* nothing sensible can continue */
};

#define ERR_MSG_MAX 512

struct err {
	enum err_class	cls;
	char		msg[ERR_MSG_MAX];
};

/* Reset to "no error". */
void	err_clear(struct err *);

/* Record a failure of class cls; always returns -1 so callers can write
 * "return err_set(...)".  A NULL err is allowed and ignored. */
int	err_set(struct err *, enum err_class cls, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
int	err_setv(struct err *, enum err_class cls, const char *fmt, va_list);

/* Prefix the current message with "prefix: " (for adding context such as a
 * file name while passing an error up). */
int	err_prefix(struct err *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

const char *err_class_name(enum err_class);

#endif

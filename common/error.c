/*
 * struct err helpers.  Messages are truncated, never allocated: an error
 * path must not be able to fail itself.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "common/error.h"

void
err_clear(struct err *e)
{
	if (e == NULL)
		return;
	e->cls = ERR_NONE;
	e->msg[0] = '\0';
}

int
err_setv(struct err *e, enum err_class cls, const char *fmt, va_list ap)
{
	if (e == NULL)
		return -1;
	e->cls = cls;
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	return -1;
}

int
err_set(struct err *e, enum err_class cls, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_setv(e, cls, fmt, ap);
	va_end(ap);
	return -1;
}

int
err_prefix(struct err *e, const char *fmt, ...)
{
	char old[ERR_MSG_MAX];
	size_t len;
	va_list ap;

	if (e == NULL)
		return -1;
	memcpy(old, e->msg, sizeof(old));
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	len = strlen(e->msg);
	if (len + 2 < sizeof(e->msg)) {
		size_t n;

		memcpy(e->msg + len, ": ", 2);
		len += 2;
		n = strnlen(old, sizeof(e->msg) - len - 1);
		memcpy(e->msg + len, old, n);
		e->msg[len + n] = '\0';
	}
	return -1;
}

const char *
err_class_name(enum err_class cls)
{
	switch (cls) {
	case ERR_NONE:
		return "none";
	case ERR_TEMP:
		return "temporary";
	case ERR_MSG:
		return "bad message";
	case ERR_INPUT:
		return "bad input";
	case ERR_CONFIG:
		return "configuration";
	case ERR_FATAL:
		return "fatal";
	}
	return "unknown";
}

/*
 * Allocation helpers that never return NULL: running out of memory aborts
 * the process with a message, so callers need no error path for it.
 */
#ifndef MO_XMALLOC_H
#define MO_XMALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
int	 xasprintf(char **, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

/* Tune the C library's allocator for a process that handles one message
 * after another: keep freed memory for the next message instead of
 * handing it back to the kernel and faulting it in again.  Call once
 * from main(). */
void	xmalloc_tune(void);

#endif

/*
 * A growable byte buffer with a hard upper size.  Untrusted input only ever
 * goes into one of these, so a hostile message cannot make memory grow
 * without bound.  The contents are always NUL-terminated (the terminator is
 * not counted in len).
 */
#ifndef MO_BUF_H
#define MO_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char	*data;	/* owned; NULL until the first add */
	size_t	 len;
	size_t	 cap;
	size_t	 max;	/* adds that would pass this fail; 0: no limit */
};

#define BUF_NOLIMIT 0

void	buf_init(struct buf *, size_t max);
void	buf_release(struct buf *);
void	buf_reset(struct buf *);	/* len = 0, keeps the memory */

/* Append; return 0, or -1 (and append nothing) when max would be passed. */
int	buf_add(struct buf *, const void *, size_t);
int	buf_addc(struct buf *, int c);
int	buf_adds(struct buf *, const char *);
int	buf_addf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	buf_addvf(struct buf *, const char *, va_list);

/* The contents as a string ("" when empty); borrowed. */
const char *buf_str(const struct buf *);

/* Hand the contents to the caller (who frees them) and reset the buffer. */
char	*buf_detach(struct buf *, size_t *len_r);

#endif

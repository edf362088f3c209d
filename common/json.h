/*
 * Minimal JSON writing into a struct buf.  mailorder only ever writes JSON
 * (for `parse --json`, `list --json`, ...), so there is no reader here.
 */
#ifndef MO_JSON_H
#define MO_JSON_H

#include <stddef.h>

#include "common/buf.h"

/* Append s as a JSON string (quoted and escaped); NULL appends null.
 * Invalid UTF-8 bytes are replaced with U+FFFD so the output always
 * parses. */
int	json_add_str(struct buf *, const char *s);
int	json_add_strn(struct buf *, const char *s, size_t n);

#endif

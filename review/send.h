/*
 * review_send: send by hand the reply an order is owed, for
 * `mailorder send` and the queue's S key.
 */
#ifndef MO_REVIEW_SEND_H
#define MO_REVIEW_SEND_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

struct review;

/*
 * The reply policy held back (reply_held: the hourly cap, mail too old)
 * is queued as the reply the order is owed now; a failed one
 * (reply_failed) is put back in the outbox; with again, the last reply
 * sent is queued once more.  The flag is resolved in the same
 * transaction, so what is released is released once.  Fills what with a
 * line for the operator ("MO-54: the held confirmation is queued").
 * ERR_CONFIG without replies (no [smtp] from), ERR_MSG when there is
 * nothing to send.
 */
int	review_send(const struct review *, int64_t order_id, int again,
	    char *what, size_t, struct err *);

#endif

/*
 * Carriers and their tracking links, for `mailorder ship` and the
 * queue's ship key alike: a carrier is checked here before anything is
 * queued, so a notice never goes out without a link.
 */
#ifndef MO_REVIEW_CARRIER_H
#define MO_REVIEW_CARRIER_H

#include <stddef.h>

/* The link pattern of a well-known carrier (any case; "{tracking}"
 * stands for the number), or NULL. */
const char	*carrier_pattern(const char *carrier);

/* "dhl, dpd, fedex, ..." into out. */
void		 carrier_known(char *out, size_t n);

/* Tracking numbers go into a URL and a mail: letters, digits, '-', at
 * most 64.  1 when s is one. */
int		 carrier_tracking_ok(const char *s);

/* Why pattern cannot be a tracking link (it must be http(s) and hold
 * "{tracking}", and no blank or control character may go into the
 * mail), or NULL when it can. */
const char	*carrier_pattern_bad(const char *pattern);

/* The tracking link: pattern (else the carrier's) with the number in
 * it, malloc'd; NULL when the carrier is unknown and there is no
 * pattern. */
char		*carrier_link(const char *carrier, const char *tracking,
		    const char *pattern);

#endif

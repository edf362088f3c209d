/*
 * Carriers and their tracking links, for `mailorder ship` and the
 * queue's ship key alike: a carrier is checked here before anything is
 * queued, so a notice never goes out without a link.  The shop's own
 * carriers ([carriers] in mailorder.conf) come first, then the built-in
 * ones; a configured carrier of a built-in name replaces its link.
 *
 * Every function takes the configuration the carriers come from; NULL
 * means the built-in ones only.
 */
#ifndef MO_REVIEW_CARRIER_H
#define MO_REVIEW_CARRIER_H

#include <stddef.h>

struct config;

/* The link pattern of a carrier (any case; "{tracking}" stands for the
 * number), or NULL when it is neither configured nor built in.
 * Borrowed. */
const char	*carrier_pattern(const struct config *, const char *carrier);

/* The carrier's name as the shipping notice should start from: as
 * [carriers] writes it ("DX" for "dx"), else carrier itself.
 * Borrowed. */
const char	*carrier_name(const struct config *, const char *carrier);

/* "dhl, dpd, evri, fedex, ..." into out: the configured and built-in
 * carriers, in alphabetical order. */
void		 carrier_known(const struct config *, char *out, size_t n);

/* Why pattern cannot be a tracking link, or NULL when it can: it must
 * start with https:// or http://, hold no blank or control character,
 * and hold {tracking}.  The reason is a static string ("a tracking
 * link needs {tracking} where the number goes"), for messages. */
const char	*carrier_pattern_bad(const char *pattern);

/* Tracking numbers go into a URL and a mail: letters, digits, '-', at
 * most 64.  1 when s is one. */
int		 carrier_tracking_ok(const char *s);

/* The tracking link: pattern (else the carrier's) with the number in
 * it, malloc'd; NULL when the carrier is unknown and there is no
 * pattern. */
char		*carrier_link(const struct config *, const char *carrier,
		    const char *tracking, const char *pattern);

#endif

/*
 * trust/: is the sender who the From: line says?  Two questions, both
 * answered from bytes and lists alone (no store, no network):
 *
 *   - what did a receiving server the shop trusts find when it checked
 *     DMARC, DKIM and SPF?  Read from its Authentication-Results header
 *     (RFC 8601), and only from the topmost one a trusted authserv-id
 *     wrote: anyone can put such a header into a message, only the
 *     shop's own receiving server writes above everything the sender
 *     wrote;
 *   - is the sender's domain a near miss of a customer's domain
 *     (acme-logistics.com for acmelogistics.com, xn--... spelling
 *     acmelogistics.com with a Cyrillic a)?
 */
#ifndef MO_TRUST_H
#define MO_TRUST_H

#include <stddef.h>

/* RFC 8601 result keywords, as far as a verdict needs them. */
enum trust_result {
	TRUST_ABSENT = 0,	/* the method was not reported */
	TRUST_PASS,
	TRUST_FAIL,
	TRUST_SOFTFAIL,
	TRUST_NEUTRAL,
	TRUST_NONE,		/* checked, nothing to check (unsigned) */
	TRUST_TEMPERROR,
	TRUST_PERMERROR,
	TRUST_POLICY,
	TRUST_OTHER,		/* a keyword we do not know */
};

#define TRUST_DOMAIN_MAX	256
#define TRUST_MAX_RESULTS	16	/* resinfo kept per header */

/* One "method=result" of a header with the property that names its
 * domain: header.from (dmarc), header.d or header.i (dkim),
 * smtp.mailfrom or smtp.helo (spf); lower-case, "" when absent. */
struct trust_method {
	char			name[16];	/* dmarc, dkim, spf, ... */
	enum trust_result	result;
	char			domain[TRUST_DOMAIN_MAX];
};

struct trust_authres {
	char			authserv_id[TRUST_DOMAIN_MAX];
	int			malformed;	/* unreadable after the id */
	struct trust_method	methods[TRUST_MAX_RESULTS];
	size_t			nmethods;
};

/* Parse one Authentication-Results value (after the colon, folds and
 * comments allowed) into *out.  Returns 0, or -1 when not even the
 * authserv-id can be read.  A readable id with unreadable results gives
 * 0 with out->malformed set. */
int	trust_authres_parse(const char *value, size_t n,
	    struct trust_authres *out);

/* 1 when authserv-id id is one of patterns[0..n): equal ignoring ASCII
 * case, or, for a pattern "*.example.com", id ends in ".example.com"
 * with at least one label before it. */
int	trust_id_match(const char *id, const char *const *patterns, size_t n);

/* Find the topmost Authentication-Results field of the message's header
 * (raw[0..len), the header ends at the first empty line) whose
 * authserv-id matches patterns.  Lower ones, and any from other ids, are
 * never read: a sender can write those.  Returns 1 with *out filled, 0
 * when there is none. */
int	trust_authres_find(const char *raw, size_t len,
	    const char *const *patterns, size_t n, struct trust_authres *out);

/* The verdict on a message from from_domain given a trusted header:
 * 1 (unverified, with why[0..whylen) saying what failed) when DMARC
 * failed for that domain, or when there is no DMARC result and neither
 * DKIM nor SPF passed for a domain aligned with it (the same domain or
 * a parent or child of it) while at least one of them gave a negative
 * result; 0 otherwise (passed, or nothing known).  ar may be NULL. */
int	trust_sender_unverified(const struct trust_authres *ar,
	    const char *from_domain, char *why, size_t whylen);

/* Is domain a near miss of one of known[0..n) (each a lower-case domain
 * as customers' addresses name it)?  Near miss: not the same, nor a
 * subdomain of it, but the same once confusable letters and punycode are
 * read alike ("rn" as "m", "0" as "o", Cyrillic "а" as "a"), or within a
 * small edit distance (swapped, inserted, missing or changed
 * characters; 1 for names up to 9 characters, 2 for longer ones; names
 * shorter than 5 only by confusables), or the same name under another
 * top-level domain.  Returns 1 with *which_r the index of the closest,
 * 0 when none is near. */
int	trust_lookalike(const char *domain, const char *const *known, size_t n,
	    size_t *which_r);

/* The confusable skeleton of a domain (lower-case ASCII where it can be,
 * punycode labels decoded first) into out[0..outlen).  Returns 0, or -1
 * when it does not fit or a punycode label is broken.  For tests. */
int	trust_skeleton(const char *domain, char *out, size_t outlen);

#endif

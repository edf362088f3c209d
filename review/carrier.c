/*
 * The well-known carriers' tracking links; see carrier.h.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"
#include "review/carrier.h"

static const struct {
	const char	*name;
	const char	*url;
} carriers[] = {
	{ "dhl",	"https://www.dhl.com/track?tracking-id={tracking}" },
	{ "dpd",	"https://track.dpd.co.uk/parcels/{tracking}" },
	{ "fedex",	"https://www.fedex.com/fedextrack/?trknbr={tracking}" },
	{ "gls",	"https://gls-group.com/track/{tracking}" },
	{ "royalmail",	"https://www.royalmail.com/track-your-item#/"
			"tracking-results/{tracking}" },
	{ "ups",	"https://www.ups.com/track?tracknum={tracking}" },
	{ "usps",	"https://tools.usps.com/go/TrackConfirmAction?"
			"tLabels={tracking}" },
};

#define NCARRIERS	(sizeof(carriers) / sizeof(carriers[0]))

const char *
carrier_pattern(const char *carrier)
{
	size_t i;

	for (i = 0; carrier != NULL && i < NCARRIERS; i++)
		if (strcasecmp(carriers[i].name, carrier) == 0)
			return carriers[i].url;
	return NULL;
}

void
carrier_known(char *out, size_t n)
{
	size_t i, at = 0;

	out[0] = '\0';
	for (i = 0; i < NCARRIERS && at < n; i++)
		at += (size_t)snprintf(out + at, n - at, "%s%s", i ? ", " : "",
		    carriers[i].name);
}

int
carrier_tracking_ok(const char *s)
{
	if (s == NULL || *s == '\0' || strlen(s) > 64)
		return 0;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '-')
			return 0;
	return 1;
}

const char *
carrier_pattern_bad(const char *pattern)
{
	const unsigned char *p;

	if (strncasecmp(pattern, "https://", 8) != 0 &&
	    strncasecmp(pattern, "http://", 7) != 0)
		return "a tracking link starts with https://";
	for (p = (const unsigned char *)pattern; *p != '\0'; p++)
		if (*p <= ' ' || *p == 0x7f)
			return "a tracking link holds no blanks or control "
			    "characters";
	if (strstr(pattern, "{tracking}") == NULL)
		return "a tracking link needs {tracking} where the number "
		    "goes";
	return NULL;
}

char *
carrier_link(const char *carrier, const char *tracking, const char *pattern)
{
	struct buf b;
	const char *p;

	if (pattern == NULL && (pattern = carrier_pattern(carrier)) == NULL)
		return NULL;
	buf_init(&b, 4096);
	while ((p = strstr(pattern, "{tracking}")) != NULL) {
		buf_add(&b, pattern, (size_t)(p - pattern));
		buf_adds(&b, tracking);
		pattern = p + strlen("{tracking}");
	}
	buf_adds(&b, pattern);
	return buf_detach(&b, NULL);
}

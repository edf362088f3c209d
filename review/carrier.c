/*
 * The carriers' tracking links: the shop's [carriers], then the
 * well-known ones; see carrier.h.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"
#include "common/xmalloc.h"
#include "config/conf.h"
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

static const char *
carrier_builtin(const char *carrier)
{
	size_t i;

	for (i = 0; carrier != NULL && i < NCARRIERS; i++)
		if (strcasecmp(carriers[i].name, carrier) == 0)
			return carriers[i].url;
	return NULL;
}

const char *
carrier_pattern(const struct config *conf, const char *carrier)
{
	const struct config_named *c;

	if ((c = config_carrier(conf, carrier)) != NULL)
		return c->value;
	return carrier_builtin(carrier);
}

const char *
carrier_name(const struct config *conf, const char *carrier)
{
	const struct config_named *c;

	return (c = config_carrier(conf, carrier)) != NULL ? c->name :
	    carrier;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcasecmp(*(const char *const *)a, *(const char *const *)b);
}

void
carrier_known(const struct config *conf, char *out, size_t n)
{
	const char **names;
	size_t i, nnames = 0, at = 0, nconf;

	nconf = conf != NULL ? conf->ncarriers : 0;
	names = xcalloc(NCARRIERS + nconf, sizeof(*names));
	for (i = 0; i < nconf; i++)
		names[nnames++] = conf->carriers[i].name;
	/* A configured carrier of a built-in name is listed once. */
	for (i = 0; i < NCARRIERS; i++)
		if (config_carrier(conf, carriers[i].name) == NULL)
			names[nnames++] = carriers[i].name;
	qsort(names, nnames, sizeof(*names), name_cmp);
	out[0] = '\0';
	for (i = 0; i < nnames && at < n; i++)
		at += (size_t)snprintf(out + at, n - at, "%s%s", i ? ", " : "",
		    names[i]);
	free(names);
}

const char *
carrier_pattern_bad(const char *pattern)
{
	const unsigned char *p;

	if (strncasecmp(pattern, "https://", 8) != 0 &&
	    strncasecmp(pattern, "http://", 7) != 0)
		return "a tracking link starts with https:// or http://";
	for (p = (const unsigned char *)pattern; *p != '\0'; p++)
		if (*p <= ' ' || *p == 0x7f)
			return "a tracking link holds no blank or control "
			    "character";
	if (strstr(pattern, "{tracking}") == NULL)
		return "a tracking link needs {tracking} where the number "
		    "goes";
	return NULL;
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

char *
carrier_link(const struct config *conf, const char *carrier,
    const char *tracking, const char *pattern)
{
	struct buf b;
	const char *p;

	if (pattern == NULL &&
	    (pattern = carrier_pattern(conf, carrier)) == NULL)
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

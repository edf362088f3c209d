/*
 * mailorder ship ORDER --carrier NAME --tracking NUMBER [--url PATTERN]
 *
 * Mark an accepted order shipped and tell the customer: carrier, tracking
 * number and a tracking link.  The link comes from --url, else from a
 * built-in pattern for well-known carriers; "{tracking}" in the pattern
 * is replaced by the number.
 */
#include "config.h"

#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/operator.h"
#include "common/buf.h"

static const struct {
	const char	*name;
	const char	*url;
} ship_carriers[] = {
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

/* Tracking numbers go into a URL and a mail: letters, digits, '-'. */
static int
ship_tracking_ok(const char *s)
{
	if (*s == '\0' || strlen(s) > 64)
		return 0;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '-')
			return 0;
	return 1;
}

/* pattern with every {tracking} replaced; malloc'd. */
static char *
ship_url(const char *pattern, const char *tracking)
{
	struct buf b;
	const char *p;

	buf_init(&b, 4096);
	while ((p = strstr(pattern, "{tracking}")) != NULL) {
		buf_add(&b, pattern, (size_t)(p - pattern));
		buf_adds(&b, tracking);
		pattern = p + strlen("{tracking}");
	}
	buf_adds(&b, pattern);
	return buf_detach(&b, NULL);
}

static int
cmd_ship_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "carrier",	required_argument,	NULL, 'c' },
		{ "tracking",	required_argument,	NULL, 't' },
		{ "url",	required_argument,	NULL, 'u' },
		{ "version",	required_argument,	NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct store_operator_ctx oc;
	struct cli_op op;
	struct store *st;
	struct err err;
	const char *carrier = NULL, *tracking = NULL, *pattern = NULL;
	char *url = NULL;
	int64_t id;
	size_t i;
	int ch, version = 0, status = EX_OK;

	while ((ch = getopt_long(argc, argv, "c:t:u:V:", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			carrier = optarg;
			break;
		case 't':
			tracking = optarg;
			break;
		case 'u':
			pattern = optarg;
			break;
		case 'V':
			if (cli_op_version(optarg, &version) == -1)
				return EX_USAGE;
			break;
		default:
			return cli_usage(&cmd_ship);
		}
	}
	if (optind + 1 != argc || carrier == NULL || tracking == NULL ||
	    *carrier == '\0')
		return cli_usage(&cmd_ship);
	if (cli_order_id(argv[optind], &id) == -1)
		return EX_USAGE;
	if (!ship_tracking_ok(tracking)) {
		fprintf(stderr, "mailorder: '%s' is not a tracking number "
		    "(letters, digits and '-', at most 64)\n", tracking);
		return EX_DATAERR;
	}
	if (pattern != NULL && strstr(pattern, "{tracking}") == NULL) {
		fprintf(stderr, "mailorder: --url '%s' has no {tracking}\n",
		    pattern);
		return EX_USAGE;
	}
	for (i = 0; pattern == NULL &&
	    i < sizeof(ship_carriers) / sizeof(ship_carriers[0]); i++)
		if (strcasecmp(ship_carriers[i].name, carrier) == 0)
			pattern = ship_carriers[i].url;
	if (pattern != NULL)
		url = ship_url(pattern, tracking);
	if ((st = cli_store(ctx, &status)) == NULL ||
	    cli_op_init(ctx, &op, &status) == -1) {
		free(url);
		return status;
	}
	op.extra.carrier = carrier;
	op.extra.tracking = tracking;
	op.extra.tracking_url = url;
	cli_op_ctx(&op, &oc, id, version, 1);
	err_clear(&err);
	if (store_operator_ship(st, &oc, carrier, tracking, &err) == -1)
		status = cli_fail(&err);
	else {
		printf("MO-%lld shipped with %s, tracking %s\n",
		    (long long)id, carrier, tracking);
		printf("link: %s\n", url != NULL ? url :
		    "(none: unknown carrier, give --url)");
		cli_op_report(&op, "shipping notice");
	}
	cli_op_release(&op);
	free(url);
	return status;
}

const struct cli_command cmd_ship = {
	.name = "ship",
	.args = "ORDER --carrier NAME --tracking NUMBER [--url PATTERN] "
	    "[--version N]",
	.summary = "mark an accepted order shipped and notify the customer",
	.help = "The shipping notice names the carrier and tracking number\n"
	    "and links to the carrier's tracking page.  Built-in carriers:\n"
	    "dhl, dpd, fedex, gls, royalmail, ups, usps; for others give\n"
	    "--url with {tracking} where the number goes, e.g.\n"
	    "--url 'https://track.example/?n={tracking}'.\n",
	.exec = cmd_ship_exec,
};

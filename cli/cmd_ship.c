/*
 * mailorder ship ORDER --carrier NAME --tracking NUMBER [--url PATTERN]
 *     [--note TEXT]
 *
 * Mark an accepted order shipped and tell the customer: carrier, tracking
 * number and a tracking link, and the operator's note when there is one.
 * The link comes from --url, else from the carrier's in [carriers], else
 * from a built-in pattern for well-known carriers; "{tracking}" in the
 * pattern is replaced by the number.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/operator.h"
#include "review/carrier.h"

/* An unknown carrier without --url is refused before anything is
 * queued: a notice without a tracking link helps nobody. */
static int
ship_carrier_check(const struct config *conf, const char *carrier)
{
	char known[1024];

	carrier_known(conf, known, sizeof(known));
	fprintf(stderr, "mailorder: unknown carrier '%s' (known: %s); give "
	    "its tracking link with --url 'https://...{tracking}', or add it "
	    "to [carriers] in the configuration\n", carrier, known);
	return EX_USAGE;
}

static int
cmd_ship_check(const struct cli_run *run)
{
	const struct config *conf = run->ctx->conf;
	const char *tracking = cli_opt_get(run, 't');
	const char *pattern = cli_opt_get(run, 'u');
	const char *why;

	if (*cli_opt_get(run, 'c') == '\0')
		return cli_usage(run->cmd);
	if (!carrier_tracking_ok(tracking)) {
		fprintf(stderr, "mailorder: '%s' is not a tracking number "
		    "(letters, digits and '-', at most 64)\n", tracking);
		return EX_DATAERR;
	}
	if (pattern != NULL && (why = carrier_pattern_bad(pattern)) != NULL) {
		fprintf(stderr, "mailorder: --url '%s': %s\n", pattern, why);
		return EX_USAGE;
	}
	if (pattern == NULL &&
	    carrier_pattern(conf, cli_opt_get(run, 'c')) == NULL)
		return ship_carrier_check(conf, cli_opt_get(run, 'c'));
	return EX_OK;
}

static int
cmd_ship_exec(struct cli_run *run)
{
	const struct config *conf = run->ctx->conf;
	struct review_target t = { run->order_id, run->version };
	struct review_shipment sh;
	struct review_result res;
	struct err err;
	const char *carrier = carrier_name(conf, cli_opt_get(run, 'c'));
	const char *tracking = cli_opt_get(run, 't');
	char *url;
	int status = EX_OK;

	url = carrier_link(conf, carrier, tracking, cli_opt_get(run, 'u'));
	memset(&sh, 0, sizeof(sh));
	sh.carrier = carrier;
	sh.tracking = tracking;
	sh.url = url;
	sh.note = cli_opt_get(run, 'n');
	err_clear(&err);
	if (review_ship(&run->op->review, &t, &sh, &res, &err) == -1)
		status = cli_fail(&err);
	else {
		printf("MO-%lld shipped with %s, tracking %s\n",
		    (long long)run->order_id, carrier, tracking);
		printf("link: %s\n", url);
		cli_op_report(run->op, &res, "shipping notice");
	}
	free(url);
	return status;
}

const struct cli_command cmd_ship = {
	.name = "ship",
	CLI_ORDER_ACTION,
	.opts = {
		{ 'c', "carrier", "NAME", "the carrier", CLI_OPT_REQUIRED,
		    NULL },
		{ 't', "tracking", "NUMBER", "the tracking number",
		    CLI_OPT_REQUIRED, NULL },
		{ 'u', "url", "PATTERN", "the tracking link, {tracking} "
		    "where the number goes", 0, NULL },
		{ 'n', "note", "TEXT", "a personal line for the shipping "
		    "notice", 0, NULL },
		CLI_OPT_VERSION,
	},
	.summary = "mark an accepted order shipped and notify the customer",
	.help = "The shipping notice names the carrier and tracking number\n"
	    "and links to the carrier's tracking page.  Carriers: those of\n"
	    "[carriers] in the configuration, and the built-in dhl, dpd,\n"
	    "fedex, gls, royalmail, ups, usps; for others give --url with\n"
	    "{tracking} where the number goes, e.g.\n"
	    "--url 'https://track.example/?n={tracking}'.  Another carrier\n"
	    "without --url is refused (exit 64) before anything is queued.\n"
	    "--note TEXT adds your personal line to the notice, signed with\n"
	    "your name (see [operators]).\n",
	.check = cmd_ship_check,
	.exec = cmd_ship_exec,
};

/*
 * mailorder preview ORDER [--kind KIND] [--text TEXT]
 *
 * Print the exact message (headers and encoded body) that the reply of
 * KIND to ORDER would be, without queueing it, so a shop can check its
 * templates.  Only the Message-ID differs from the one that is queued.
 * When policy would send nothing (automatic mail, a noreply address, ...)
 * the message is still shown, under an X-Mailorder-Not-Sent line.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "common/buf.h"
#include "config/conf.h"
#include "reply/reply.h"

static int
preview_kind(const char *s, enum reply_kind *k)
{
	static const enum reply_kind all[] = { REPLY_CONFIRMATION,
	    REPLY_ACKNOWLEDGEMENT, REPLY_QUESTION, REPLY_REJECTION,
	    REPLY_SHIPPING, REPLY_RECEIPT };
	size_t i;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (strcmp(s, reply_kind_name(all[i])) == 0) {
			*k = all[i];
			return 0;
		}
	return -1;
}

static int
cmd_preview_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "kind",	required_argument,	NULL, 'k' },
		{ "text",	required_argument,	NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	enum reply_kind kind = REPLY_CONFIRMATION;
	struct reply_extra extra;
	struct reply_conf rc;
	const struct config *conf = ctx->conf;
	char host[256];
	struct store *st;
	struct err err;
	struct buf out;
	int64_t id;
	int ch, status = EX_OK;

	memset(&extra, 0, sizeof(extra));
	while ((ch = getopt_long(argc, argv, "k:t:", opts, NULL)) != -1) {
		switch (ch) {
		case 'k':
			if (preview_kind(optarg, &kind) == -1) {
				fprintf(stderr, "mailorder: unknown kind '%s' "
				    "(confirmation, acknowledgement, question, "
				    "rejection, shipping, receipt)\n", optarg);
				return EX_USAGE;
			}
			break;
		case 't':
			extra.text = optarg;
			break;
		default:
			return cli_usage(&cmd_preview);
		}
	}
	if (optind + 1 != argc)
		return cli_usage(&cmd_preview);
	if (cli_order_id(argv[optind], &id) == -1)
		return EX_USAGE;
	err_clear(&err);
	if ((st = cli_store_read(ctx, &status)) == NULL)
		return status;
	if (gethostname(host, sizeof(host) - 1) == -1)
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	memset(&rc, 0, sizeof(rc));
	rc.from = conf->smtp.from;
	rc.from_name = conf->smtp.from_name;
	rc.templates = conf->reply.templates;
	rc.hostname = conf->smtp.helo_name ? conf->smtp.helo_name : host;
	rc.msgid_domain = conf->smtp.message_id_domain;
	rc.person = conf->reply.person;
	rc.max_per_hour = conf->reply.max_per_sender_per_hour;
	rc.max_age_hours = conf->reply.max_age_hours;
	buf_init(&out, BUF_NOLIMIT);
	if (reply_preview(st, &rc, id, kind, &extra, &out, &err) == -1) {
		status = cli_fail(&err);
	} else {
		/* The message as it goes over the wire, CRLF and all. */
		fwrite(out.data, 1, out.len, stdout);
		if (fflush(stdout) == EOF)
			status = EX_IOERR;
	}
	buf_release(&out);
	return status;
}

const struct cli_command cmd_preview = {
	.name = "preview",
	.args = "ORDER [--kind KIND] [--text TEXT]",
	.summary = "print the exact reply a customer would get",
	.help =
	    "Compose the reply to ORDER (\"MO-12\" or 12) from the templates\n"
	    "and print it exactly as it would be sent, headers and encoded\n"
	    "body, without queueing anything.\n"
	    "\n"
	    "  --kind KIND   confirmation (default), acknowledgement, question,\n"
	    "                rejection, shipping or receipt\n"
	    "  --text TEXT   the operator's words for question, rejection,\n"
	    "                shipping\n"
	    "\n"
	    "When no reply would be sent (automatic mail, a noreply or own\n"
	    "address, too old, rate limit) the message is still printed, after\n"
	    "an X-Mailorder-Not-Sent line that says why.  A broken template\n"
	    "fails with FILE:LINE and exit status 78.\n",
	.exec = cmd_preview_exec,
};

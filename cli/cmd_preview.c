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

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "common/buf.h"
#include "reply/settings.h"

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
preview_kind_check(const char *arg)
{
	enum reply_kind k;

	if (preview_kind(arg, &k) == -1) {
		fprintf(stderr, "mailorder: unknown kind '%s' (confirmation, "
		    "acknowledgement, question, rejection, shipping, "
		    "receipt)\n", arg);
		return -1;
	}
	return 0;
}

static int
cmd_preview_exec(struct cli_run *run)
{
	enum reply_kind kind = REPLY_CONFIRMATION;
	struct reply_extra extra;
	struct reply_settings rs;
	const char *k = cli_opt_get(run, 'k');
	struct err err;
	struct buf out;
	int status = EX_OK;

	memset(&extra, 0, sizeof(extra));
	extra.text = cli_opt_get(run, 't');
	if (k != NULL)
		(void)preview_kind(k, &kind);	/* checked by getopt */
	err_clear(&err);
	/* As mailorderd would send it. */
	reply_settings_init(&rs, run->ctx->conf, REPLY_SETTINGS_AUTOMATIC);
	buf_init(&out, BUF_NOLIMIT);
	if (reply_preview(run->store, &rs.conf, run->order_id, kind, &extra, &out, &err) == -1) {
		status = cli_fail(&err);
	} else {
		/* The message as it goes over the wire, CRLF and all. */
		fwrite(out.data, 1, out.len, stdout);
		if (fflush(stdout) == EOF)
			status = EX_IOERR;
	}
	buf_release(&out);
	reply_settings_release(&rs);
	return status;
}

const struct cli_command cmd_preview = {
	.name = "preview",
	.target = CLI_TARGET_ORDER,
	.store = CLI_STORE_READ,
	.opts = {
		{ 'k', "kind", "KIND", "confirmation (default), "
		    "acknowledgement, question, rejection, shipping or "
		    "receipt", 0,
		    preview_kind_check },
		{ 't', "text", "TEXT", "the operator's words for question, "
		    "rejection, shipping", 0, NULL },
	},
	.summary = "print the exact reply a customer would get",
	.help =
	    "Compose the reply to ORDER (\"MO-12\" or 12) from the templates\n"
	    "and print it exactly as it would be sent, headers and encoded\n"
	    "body, without queueing anything.\n"
	    "\n"
	    "When no reply would be sent (automatic mail, a noreply or own\n"
	    "address, too old, rate limit) the message is still printed, after\n"
	    "an X-Mailorder-Not-Sent line that says why.  A broken template\n"
	    "fails with FILE:LINE and exit status 78.\n",
	.exec = cmd_preview_exec,
};

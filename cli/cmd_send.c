/*
 * mailorder send ORDER [--again]
 *
 * Send by hand the reply an order is owed: one that policy held back
 * (the hourly cap, mail too old: reply_held), one the server refused or
 * that was given up (reply_failed), or with --again the last one sent,
 * once more (the very same message).  What it releases is released once:
 * its flag is resolved in the same transaction, so a second send finds
 * nothing to send.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/operator.h"
#include "config/conf.h"
#include "reply/reply.h"
#include "store/operator.h"
#include "store/outbox.h"
#include "store/release.h"
#include "store/store.h"

/* Parses its own argv (.exec_argv) until it is ported to the table. */
extern const struct cli_command cmd_send;

/* The reply settings of a person's reply: the limits for automatic
 * replies do not hold back what a person sends. */
static void
send_reply_conf(const struct config *conf, struct reply_conf *rc,
    char *host, size_t hostlen)
{
	memset(rc, 0, sizeof(*rc));
	if (gethostname(host, hostlen - 1) == -1)
		snprintf(host, hostlen, "localhost");
	rc->from = conf->smtp.from;
	rc->from_name = conf->smtp.from_name;
	rc->templates = conf->reply.templates;
	rc->hostname = conf->smtp.helo_name ? conf->smtp.helo_name : host;
	rc->msgid_domain = conf->smtp.message_id_domain;
	rc->person = conf->reply.person;
	rc->manual = 1;
}

/* The automatic reply a held order is owed, by what it is now. */
static int
send_held_kind(const struct store_release *r, enum reply_kind *kind_r,
    struct err *err)
{
	if (r->no_items)
		*kind_r = REPLY_RECEIPT;
	else if (strcmp(r->status, "accepted") == 0)
		*kind_r = REPLY_CONFIRMATION;
	else if (strcmp(r->status, "flagged") == 0)
		*kind_r = REPLY_ACKNOWLEDGEMENT;
	else
		return err_set(err, ERR_MSG, "%s is %s: its held reply no "
		    "longer fits", r->ref, r->status);
	return 0;
}

/* Inside the transaction: send what order id is owed.  Fills what with
 * a line for the operator. */
static int
send_release(struct store *st, const struct config *conf, int64_t id,
    int again, char *what, size_t n, struct err *err)
{
	struct store_release r;
	struct reply_conf rc;
	enum reply_kind kind = REPLY_CONFIRMATION;
	char host[256], note[64];
	int64_t oid = 0;
	int found;

	if ((found = store_release_get(st, id, &r, err)) != 1)
		return found == 0 ? err_set(err, ERR_MSG, "no order MO-%lld",
		    (long long)id) : -1;
	if (r.held) {
		if (send_held_kind(&r, &kind, err) == -1)
			return -1;
		send_reply_conf(conf, &rc, host, sizeof(host));
		if ((found = reply_queue(st, &rc, id, kind, NULL, &oid,
		    err)) == -1)
			return -1;
		if (found == 1)
			return err_set(err, ERR_MSG, "%s: no reply can go to "
			    "its sender (see mailorder preview %s)", r.ref,
			    r.ref);
		snprintf(note, sizeof(note), "sent the held %s",
		    reply_kind_name(kind));
		snprintf(what, n, "%s: the held %s is queued", r.ref,
		    reply_kind_name(kind));
		return store_release_done(st, id, STORE_OUTBOX_HELD,
		    cli_login(), note, oid, err);
	}
	if (r.failed > 0 || (again && r.sent > 0)) {
		oid = r.failed > 0 ? r.failed : r.sent;
		if (store_release_requeue(st, oid, time(NULL), err) == -1)
			return -1;
		snprintf(what, n, "%s: the %s reply is queued again", r.ref,
		    r.failed > 0 ? "failed" : "last");
		return store_release_done(st, id, r.failed > 0 ?
		    STORE_OUTBOX_FLAG : NULL, cli_login(),
		    r.failed > 0 ? "sent the failed reply again" :
		    "sent the last reply again", oid, err);
	}
	return err_set(err, ERR_MSG, "%s has no held or failed reply to "
	    "send%s", r.ref, r.sent > 0 ? " (--again sends the last one once "
	    "more)" : "");
}

static int
cmd_send_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "again",	no_argument,	NULL, 'a' },
		{ NULL, 0, NULL, 0 }
	};
	const struct config *conf = ctx->conf;
	struct store *st;
	struct err err;
	char what[128];
	int64_t id;
	int ch, again = 0, status = EX_OK;

	while ((ch = getopt_long(argc, argv, "a", opts, NULL)) != -1) {
		if (ch != 'a')
			return cli_usage(&cmd_send);
		again = 1;
	}
	if (optind + 1 != argc)
		return cli_usage(&cmd_send);
	if (cli_order_id(argv[optind], &id) == -1)
		return EX_USAGE;
	if (!conf->smtp.enabled || conf->smtp.from == NULL) {
		fprintf(stderr, "mailorder: no [smtp] section with a from "
		    "address: nothing can be sent\n");
		return EX_CONFIG;
	}
	if ((st = cli_store(ctx, &status)) == NULL)
		return status;
	err_clear(&err);
	if (store_begin(st, &err) == -1)
		return cli_fail(&err);
	if (send_release(st, conf, id, again, what, sizeof(what),
	    &err) == -1 || store_commit(st, &err) == -1) {
		store_rollback(st);
		return cli_fail(&err);
	}
	printf("%s\n", what);
	return EX_OK;
}

const struct cli_command cmd_send = {
	.name = "send",
	.operands = "ORDER [--again]",
	.summary = "send a held or failed reply, or the last one once more",
	.help = "Releases the reply policy held back (reply_held: the hourly\n"
	    "cap, mail too old) as the reply the order is owed now, or puts a\n"
	    "failed one (reply_failed) back in the outbox; --again sends the\n"
	    "last reply sent once more, the same message.  The flag is\n"
	    "resolved in the same transaction, so a second send finds\n"
	    "nothing.  mailorderd sends it, after the undo window like\n"
	    "every reply a person triggers.  Exit 65 when there is nothing\n"
	    "to send, 78 without [smtp].\n",
	.exec_argv = cmd_send_exec,
};

/*
 * mailorder send ORDER [--again]
 *
 * Send by hand the reply an order is owed: one that policy held back
 * (the hourly cap, mail too old: reply_held), one the server refused or
 * that was given up (reply_failed), or with --again the last one sent,
 * once more (the very same message).  review_send() does it, as for the
 * queue's S key; what it releases is released once.
 */
#include "config.h"

#include <stdio.h>

#include "cli/operator.h"
#include "review/send.h"

static int
cmd_send_exec(struct cli_run *run)
{
	struct err err;
	char what[128];

	err_clear(&err);
	if (review_send(&run->op->review, run->order_id,
	    cli_opt_has(run, 'a'), what, sizeof(what), &err) == -1)
		return cli_fail(&err);
	printf("%s\n", what);
	return EX_OK;
}

const struct cli_command cmd_send = {
	.name = "send",
	CLI_ORDER_ACTION,
	.opts = {
		{ 'a', "again", NULL, "send the last reply once more", 0,
		    NULL },
	},
	.summary = "send a held or failed reply, or the last one once more",
	.help = "Releases the reply policy held back (reply_held: the hourly\n"
	    "cap, mail too old) as the reply the order is owed now, or puts a\n"
	    "failed one (reply_failed) back in the outbox; --again sends the\n"
	    "last reply sent once more, the same message.  The flag is\n"
	    "resolved in the same transaction, so a second send finds\n"
	    "nothing.  mailorderd sends it, after the undo window like\n"
	    "every reply a person triggers.  Exit 65 when there is nothing\n"
	    "to send, 78 without [smtp].\n",
	.exec = cmd_send_exec,
};

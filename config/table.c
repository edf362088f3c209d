/*
 * The one table of mailorder.conf settings (modelled on tmux's
 * options-table.c).  Everything else in config/ is driven by it: the
 * loader parses and range-checks with it, fills defaults from it,
 * config_dump() prints from it, and config_doc_write() writes the man page's
 * OPTIONS part from it.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "config/conf.h"
#include "config/table.h"

#define KIB	1024LL
#define MIB	(1024LL * 1024)
#define GIB	(1024LL * 1024 * 1024)

static const struct config_choice choices_tls[] = {
	{ "implicit", CONFIG_TLS_IMPLICIT },
	{ "starttls", CONFIG_TLS_STARTTLS },
	{ "none", CONFIG_TLS_NONE },
	{ NULL, 0 }
};

static const struct config_choice choices_after[] = {
	{ "move", CONFIG_AFTER_MOVE },
	{ "seen", CONFIG_AFTER_SEEN },
	{ NULL, 0 }
};

static const struct config_choice choices_no_order[] = {
	{ "receipt", CONFIG_NO_ORDER_RECEIPT },
	{ "none", CONFIG_NO_ORDER_NONE },
	{ NULL, 0 }
};

static const struct config_choice choices_level[] = {
	{ "err", LOG_LEVEL_ERR },
	{ "warning", LOG_LEVEL_WARNING },
	{ "info", LOG_LEVEL_INFO },
	{ "debug", LOG_LEVEL_DEBUG },
	{ NULL, 0 }
};

const struct config_section config_sections[CONFIG_SECT_COUNT] = {
	[CONFIG_SECT_STORE] = { "store",
	    "The order database shared by mailorderd and the operators." },
	[CONFIG_SECT_RULES] = { "rules",
	    "The rule files that turn order text into order lines." },
	[CONFIG_SECT_IMAP] = { "imap",
	    "The inbox that orders arrive in.  More inboxes are added as "
	    "[imap.NAME] sections (NAME: letters, digits, - and _); each has "
	    "all the settings below and its own folders.  Without any imap "
	    "section no mail is fetched." },
	[CONFIG_SECT_SMTP] = { "smtp",
	    "The server replies are sent through.  Without an smtp section "
	    "no replies are sent." },
	[CONFIG_SECT_REPLY] = { "reply",
	    "Which orders are answered, and how often." },
	[CONFIG_SECT_CARRIERS] = { "carriers",
	    "The carriers an order is shipped with (mailorder ship, the "
	    "queue's t key) and their tracking links, besides the built-in "
	    "dhl, dpd, fedex, gls, royalmail, ups and usps.  A line here "
	    "adds a carrier, or changes the link of a built-in one.",
	    "carrier", "url",
	    "The carrier's name as the operator types it, in any case "
	    "(letters, digits, - and _, at most 40); written as the "
	    "shipping notice should show it when a capital first letter "
	    "would not do (DX, ParcelForce).  The url is the tracking "
	    "page, http:// or https://, without blanks, with {tracking} "
	    "where the tracking number goes.",
	    "evri = https://www.evri.com/track/parcel/{tracking}" },
	[CONFIG_SECT_OPERATORS] = { "operators",
	    "Who signs what an operator writes: questions, rejections, "
	    "the confirmations of orders they approve, and shipping notices "
	    "that carry their note.  "
	    "Without a line here an operator signs with the full name of "
	    "their Unix account (its GECOS field); an account with none, "
	    "or only its login name there, signs nothing and the shop "
	    "signs.",
	    "login", "name",
	    "The operator's login name (letters, digits, ., - and _), and "
	    "the name that signs for them, without control characters; "
	    "this wins over the account's full name, and may also be given "
	    "for root.",
	    "sam = Sam Whitfield" },
	[CONFIG_SECT_POLICY] = { "policy",
	    "When an order is accepted and when it is flagged for an "
	    "operator." },
	[CONFIG_SECT_STATUS] = { "status",
	    "When mailorder status (and so a monitoring system) warns (exit "
	    "status 1) or calls it critical (2)." },
	[CONFIG_SECT_METRICS] = { "metrics",
	    "Metrics in the Prometheus text format, for node_exporter's "
	    "textfile collector." },
	[CONFIG_SECT_ALERTS] = { "alerts",
	    "Mail to a person when something is wrong, through the outbox "
	    "(so only with an [smtp] section): an inbox not read or whose "
	    "login fails, flagged orders waiting, replies given up on, with "
	    "the limits of [status]; and an optional morning digest." },
	[CONFIG_SECT_WEBHOOK] = { "webhook",
	    "Where order events are posted as they happen, for finance and "
	    "ERP software: an HTTP POST of the order as JSON, signed with "
	    "HMAC-SHA256, from a durable queue.  Without a webhook section "
	    "no events are queued." },
	[CONFIG_SECT_LOG] = { "log",
	    "Logging to standard error (the journal under systemd)." },
};

#define ROW(s, st, n, t, d, dd, lo, hi, dlo, dhi, ch, o, co, f, a, h) \
	{ CONFIG_SECT_##s, n, CONFIG_TYPE_##t, d, dd, lo, hi, dlo, dhi, ch, \
	  offsetof(struct st, o), co, f, a, h }

/* The settings both [imap] and [smtp] have, for struct st. */
#define ACCOUNT_ROWS(S, st, ports, userflags, userhelp)			\
	ROW(S, st, "host", STRING, NULL, NULL, 0, 0, 0, 0, NULL, host, 0,	\
	    CONFIG_F_REQUIRED, "hostname",				\
	    "The server's host name (checked against its certificate)."), \
	ROW(S, st, "port", INT, NULL, ports, 1, 65535, 0, 0, NULL, port, 0, \
	    0, "number", "The server's TCP port."),			\
	ROW(S, st, "tls", CHOICE, "implicit", NULL, 0, 0, 0, 0, choices_tls, \
	    tls, 0, 0, "mode",						\
	    "implicit: TLS from the first byte.  starttls: upgrade the "	\
	    "connection, and fail if the server cannot.  none: plaintext, " \
	    "only ever used when written here, and only to a server on "  \
	    "this machine (or an SMTP relay without login)."),		\
	ROW(S, st, "user", STRING, NULL, NULL, 0, 0, 0, 0, NULL, user, 0, \
	    userflags, "name", userhelp),				\
	ROW(S, st, "password", REFUSED, NULL, NULL, 0, 0, 0, 0, NULL,	\
	    secret, 0, CONFIG_F_SECRET_SOURCE, "secret",		\
	    "Refused: a password written in this file would be readable " \
	    "by anyone who can read the file or its backups.  Use "	\
	    "password_file or password_credential."),			\
	ROW(S, st, "oauth2_token", REFUSED, NULL, NULL, 0, 0, 0, 0, NULL, \
	    secret, 0, CONFIG_F_SECRET_SOURCE, "secret",		\
	    "Refused, like password.  Use oauth2_token_file or "	\
	    "oauth2_token_command."),					\
	ROW(S, st, "password_file", STRING, NULL, NULL, 0, 0, 0, 0, NULL, \
	    secret.password_file, 0, CONFIG_F_SECRET_SOURCE | CONFIG_F_PATH, \
	    "path",							\
	    "A file holding the password on its first line.  Others must " \
	    "not be able to read it."),					\
	ROW(S, st, "password_credential", STRING, NULL, NULL, 0, 0, 0, 0, \
	    NULL, secret.password_credential, 0,			\
	    CONFIG_F_SECRET_SOURCE | CONFIG_F_CREDENTIAL, "name",	\
	    "The name of a systemd credential holding the password "	\
	    "(LoadCredential=NAME:/path in the unit); it is read from "	\
	    "$CREDENTIALS_DIRECTORY/NAME."),				\
	ROW(S, st, "oauth2_token_file", STRING, NULL, NULL, 0, 0, 0, 0,	\
	    NULL, secret.oauth2_token_file, 0,				\
	    CONFIG_F_SECRET_SOURCE | CONFIG_F_PATH, "path",		\
	    "A file holding an OAuth2 access token (XOAUTH2) on its first " \
	    "line, kept fresh by another program."),			\
	ROW(S, st, "oauth2_token_command", STRING, NULL, NULL, 0, 0, 0, 0, \
	    NULL, secret.oauth2_token_command, 0,			\
	    CONFIG_F_SECRET_SOURCE | CONFIG_F_HIDDEN, "command",	\
	    "A command run with /bin/sh -c whose first line of output is " \
	    "an OAuth2 access token.  It is killed after timeout "	\
	    "seconds."),						\
	ROW(S, st, "ca_file", STRING, NULL, NULL, 0, 0, 0, 0, NULL,	\
	    ca_file, 0, CONFIG_F_PATH, "path",				\
	    "PEM certificates to trust instead of the system's.")

const struct config_setting config_settings[] = {
	ROW(STORE, config, "path", STRING, "$STATEDIR/mailorder.db", NULL,
	    0, 0, 0, 0, NULL, store_path, 0, CONFIG_F_PATH, "path",
	    "The SQLite database.  It is created on first use."),
	ROW(STORE, config, "keep_raw_days", INT, "0", NULL, 0, 36500, 0, 0,
	    NULL, keep_raw_days, 0, 0, "days",
	    "mailorderd deletes the raw mail of messages received more "
	    "than this many days ago (once an hour); their orders, lines, "
	    "the text the engine read and the audit log stay.  0: raw mail "
	    "is kept for ever."),

	ROW(RULES, config, "paths", LIST,
	    "$DATADIR/rules/en.rules $SYSCONFDIR/rules.d", NULL,
	    0, 0, 0, 0, NULL, rule_paths,
	    offsetof(struct config, nrule_paths), CONFIG_F_PATH, "path ...",
	    "Rule files and directories of *.rules files, separated by "
	    "spaces, read in this order.  A directory that does not exist "
	    "is skipped."),

	ACCOUNT_ROWS(IMAP, config_imap, "993 with tls = implicit, else 143",
	    CONFIG_F_REQUIRED, "The login name."),
	ROW(IMAP, config_imap, "mailbox", STRING, "INBOX", NULL, 0, 0, 0, 0,
	    NULL, mailbox, 0, 0, "folder",
	    "The folder orders arrive in."),
	ROW(IMAP, config_imap, "processed_folder", STRING, NULL, NULL,
	    0, 0, 0, 0, NULL, processed_folder, 0, 0, "folder",
	    "Where processed messages are moved (after_processing = move)."),
	ROW(IMAP, config_imap, "failed_folder", STRING, "mailorder-failed",
	    NULL, 0, 0, 0, 0, NULL, failed_folder, 0, 0, "folder",
	    "Where messages that cannot be processed are moved, so that "
	    "they are not fetched again."),
	ROW(IMAP, config_imap, "after_processing", CHOICE, NULL,
	    "move when processed_folder is set, else seen", 0, 0, 0, 0,
	    choices_after, after_processing, 0, 0, "action",
	    "move: move each processed message to processed_folder.  "
	    "seen: only mark it as seen."),
	ROW(IMAP, config_imap, "poll_interval", INT, "60", NULL, 5, 86400,
	    0, 0, NULL, poll_interval, 0, 0, "seconds",
	    "How often the mailbox is checked when IDLE is off or not "
	    "offered."),
	ROW(IMAP, config_imap, "idle", BOOL, "yes", NULL, 0, 0, 0, 0, NULL,
	    idle, 0, 0, "yes|no",
	    "Wait for new mail with IMAP IDLE when the server offers it."),
	ROW(IMAP, config_imap, "timeout", INT, "60", NULL, 5, 600, 0, 0,
	    NULL, timeout, 0, 0, "seconds",
	    "How long a connection or a command may stall."),
	ROW(IMAP, config_imap, "batch_max_messages", INT, "500", NULL,
	    1, 10000, 0, 0, NULL, batch_max_messages, 0, 0, "count",
	    "At most this many messages are fetched at a time; their "
	    "orders are committed together."),
	ROW(IMAP, config_imap, "batch_max_bytes", SIZE, "16M", NULL,
	    64 * KIB, 1 * GIB, 0, 0, NULL, batch_max_bytes, 0, 0, "size",
	    "A batch stops growing at this many bytes (one message is "
	    "always fetched)."),

	ACCOUNT_ROWS(SMTP, config_smtp,
	    "465 with tls = implicit, 587 with starttls, 25 with none", 0,
	    "The login name; without it, replies are sent without "
	    "authentication (for a relay on the same host)."),
	ROW(SMTP, config_smtp, "from", STRING, NULL, NULL, 0, 0, 0, 0, NULL,
	    from, 0, CONFIG_F_ADDRESS, "address",
	    "The shop's address replies come from; required when "
	    "confirm_accepted or acknowledge_flagged is on."),
	ROW(SMTP, config_smtp, "from_name", STRING, NULL, NULL, 0, 0, 0, 0,
	    NULL, from_name, 0, 0, "text",
	    "The display name for from."),
	ROW(SMTP, config_smtp, "helo_name", STRING, NULL, "the host name",
	    0, 0, 0, 0, NULL, helo_name, 0, 0, "hostname",
	    "The name sent in EHLO."),
	ROW(SMTP, config_smtp, "message_id_domain", STRING, NULL,
	    "the domain of from", 0, 0, 0, 0, NULL, message_id_domain, 0, 0,
	    "domain",
	    "The domain the Message-IDs of replies end in: the shop's, "
	    "never the host's name."),
	ROW(SMTP, config_smtp, "timeout", INT, "60", NULL, 5, 600, 0, 0,
	    NULL, timeout, 0, 0, "seconds",
	    "How long a connection or a command may stall."),
	ROW(SMTP, config_smtp, "retry_initial", INT, "60", NULL, 1, 86400,
	    0, 0, NULL, retry_initial, 0, 0, "seconds",
	    "The first wait before a failed reply is sent again; each "
	    "further wait doubles."),
	ROW(SMTP, config_smtp, "retry_max", INT, "3600", NULL, 1, 86400,
	    0, 0, NULL, retry_max, 0, 0, "seconds",
	    "The longest wait between two attempts."),
	ROW(SMTP, config_smtp, "give_up_after", INT, "48", NULL, 1, 720,
	    0, 0, NULL, give_up_after, 0, 0, "hours",
	    "A reply not sent after this long is given up and shown to "
	    "the operators."),
	ROW(SMTP, config_smtp, "sent_folder", STRING, NULL, NULL, 0, 0, 0, 0,
	    NULL, sent_folder, 0, 0, "folder",
	    "An IMAP folder of the first inbox that gets a copy of every "
	    "reply; unset or empty: no copies."),

	ROW(REPLY, config_reply, "confirm_accepted", BOOL, "yes", NULL,
	    0, 0, 0, 0, NULL, confirm_accepted, 0, 0, "yes|no",
	    "Confirm accepted orders to the customer."),
	ROW(REPLY, config_reply, "acknowledge_flagged", BOOL, "yes", NULL,
	    0, 0, 0, 0, NULL, acknowledge_flagged, 0, 0, "yes|no",
	    "Tell the customer that a flagged order is being looked at."),
	ROW(REPLY, config_reply, "no_order_reply", CHOICE, "receipt", NULL,
	    0, 0, 0, 0, choices_no_order, no_order_reply, 0, 0,
	    "receipt|none",
	    "Mail with no order in it (a question, a complaint, a "
	    "thank-you) never gets an order's reply.  receipt: the "
	    "receipt template (\"we have your message; a person will "
	    "answer you personally\").  none: nothing until a person "
	    "answers."),
	ROW(REPLY, config_reply, "person", STRING, NULL, NULL, 0, 0, 0, 0,
	    NULL, person, 0, 0, "name",
	    "Who answers questions and complaints, named in the receipt "
	    "(\"Sam will answer you personally\"); unset: \"one "
	    "of us\"."),
	ROW(REPLY, config_reply, "acknowledge_unknown_sender", BOOL, "no",
	    NULL, 0, 0, 0, 0, NULL, acknowledge_unknown_sender, 0, 0,
	    "yes|no",
	    "Send the automatic acknowledgement or receipt to an address "
	    "that belongs to no customer.  Off, because answering every "
	    "stranger invites spam; an operator can still answer."),
	ROW(REPLY, config_reply, "undo_seconds", INT, "60", NULL, 0, 3600,
	    0, 0, NULL, undo_seconds, 0, 0, "seconds",
	    "A reply a person triggered (approve, ask, reject, ship) waits "
	    "this long in the outbox before mailorderd sends it, so undo "
	    "can still take it back, as mail programs do for \"undo "
	    "send\"; 0: it leaves at once."),
	ROW(REPLY, config_reply, "max_per_sender_per_hour", INT, "5", NULL,
	    1, 1000, 0, 0, NULL, max_per_sender_per_hour, 0, 0, "count",
	    "At most this many automatic replies go to one address in an "
	    "hour, so that two robots cannot mail each other forever."),
	ROW(REPLY, config_reply, "max_age_hours", INT, "24", NULL, 1, 8760,
	    0, 0, NULL, max_age_hours, 0, 0, "hours",
	    "Messages older than this when they are fetched get no "
	    "automatic reply (for example after an outage)."),
	ROW(REPLY, config_reply, "templates", STRING, "$DATADIR/templates",
	    NULL, 0, 0, 0, 0, NULL, templates, 0, CONFIG_F_PATH, "path",
	    "The folder of reply templates."),

	ROW(POLICY, config_policy, "match_threshold", DOUBLE, "0.75", NULL,
	    0, 0, 0.0, 1.0, NULL, match_threshold, 0, 0, "number",
	    "How sure a fuzzy product match must be (0 to 1) for its SKU to "
	    "be accepted without an operator."),
	ROW(POLICY, config_policy, "unusual_quantity_factor", DOUBLE, "5",
	    NULL, 0, 0, 1.0, 1000.0, NULL, unusual_quantity_factor, 0, 0,
	    "number",
	    "A quantity more than this many times the customer's usual "
	    "largest, or less than their usual smallest divided by it, is "
	    "unusual and flags the order.  For a product the customer has "
	    "(almost) never had, more than this many times the most any "
	    "customer has taken of it in one order is unusual."),
	ROW(POLICY, config_policy, "min_history_for_unusual", INT, "2", NULL,
	    1, 1000, 0, 0, NULL, min_history_for_unusual, 0, 0, "count",
	    "Quantities are judged by the customer's own habits for a "
	    "product they have had in at least this many of their recent "
	    "orders, else by the whole shop's when it has had the product "
	    "on at least this many order lines, else not at all."),
	ROW(POLICY, config_policy, "history_orders", INT, "10", NULL,
	    1, 1000, 0, 0, NULL, history_orders, 0, 0, "count",
	    "How many recent orders \"same as last time\" and similar "
	    "references look at."),
	ROW(POLICY, config_policy, "max_message_bytes", SIZE, "25M", NULL,
	    64 * KIB, 1 * GIB, 0, 0, NULL, max_message_bytes, 0, 0, "size",
	    "Larger messages are not parsed; they go to failed_folder."),
	ROW(POLICY, config_policy, "max_text_bytes", SIZE, "512K", NULL,
	    1 * KIB, 64 * MIB, 0, 0, NULL, max_text_bytes, 0, 0, "size",
	    "At most this much text of one message is matched against the "
	    "rules."),
	ROW(POLICY, config_policy, "parse_timeout", INT, "30", NULL,
	    1, 3600, 0, 0, NULL, parse_timeout, 0, 0, "seconds",
	    "A message the parser has worked on this long is given up: it "
	    "goes to failed_folder, flagged, and the rest go on."),
	ROW(POLICY, config_policy, "read_xls", BOOL, "no", NULL, 0, 0, 0, 0,
	    NULL, read_xls, 0, 0, "yes|no",
	    "Read legacy Excel (.xls) attachments with FreeXL.  Off by "
	    "default: FreeXL 1.0.6 reads past a buffer on some broken files "
	    "(found by fuzzing), and what it reads could end up in an "
	    "order's text.  Off, a .xls is flagged unreadable_attachment "
	    "for a person."),
	ROW(POLICY, config_policy, "trusted_authserv_id", LIST, NULL, NULL,
	    0, 0, 0, 0, NULL, trusted_authserv_ids,
	    offsetof(struct config_policy, ntrusted_authserv_ids), 0,
	    "id ...",
	    "The receiving servers whose Authentication-Results headers "
	    "(RFC 8601) are believed, by authserv-id, separated by spaces: "
	    "the shop's own MTA, or for example mx.google.com or "
	    "*.protection.outlook.com (one or more labels in place of "
	    "the *).  Only the topmost such header of a message is read.  "
	    "When it says DMARC failed, or without DMARC that neither DKIM "
	    "nor SPF passed for the From: domain and one of them failed, "
	    "the order is flagged sender_unverified: never accepted and "
	    "never answered automatically.  Unset: senders are not "
	    "checked."),

	ROW(STATUS, config_status, "inbox_warning_minutes", INT, "30", NULL,
	    1, 100000, 0, 0, NULL, inbox_warning_minutes, 0, 0, "minutes",
	    "An inbox not read without an error for this long is a "
	    "warning (a changed password, a server down), and so is a "
	    "daemon run from cron whose last cycle is older."),
	ROW(STATUS, config_status, "inbox_critical_minutes", INT, "120", NULL,
	    1, 100000, 0, 0, NULL, inbox_critical_minutes, 0, 0, "minutes",
	    "An inbox not read for this long is critical."),
	ROW(STATUS, config_status, "flagged_warning_hours", INT, "4", NULL,
	    1, 10000, 0, 0, NULL, flagged_warning_hours, 0, 0, "hours",
	    "A flagged order waiting this long for a person is a warning."),
	ROW(STATUS, config_status, "flagged_critical_hours", INT, "24", NULL,
	    1, 10000, 0, 0, NULL, flagged_critical_hours, 0, 0, "hours",
	    "A flagged order waiting this long is critical."),
	ROW(STATUS, config_status, "reply_warning_minutes", INT, "60", NULL,
	    1, 100000, 0, 0, NULL, reply_warning_minutes, 0, 0, "minutes",
	    "A reply still in the outbox after this long is a warning; a "
	    "reply given up on always is."),
	ROW(STATUS, config_status, "token_warning_days", INT, "0", NULL,
	    0, 3650, 0, 0, NULL, token_warning_days, 0, 0, "days",
	    "An OAuth2 token (a JWT with an expiry) that expires within "
	    "this many days of now is a warning, and an alert; for "
	    "long-lived tokens.  0: expiry is only shown."),
	ROW(STATUS, config_status, "webhook_warning_minutes", INT, "30", NULL,
	    1, 100000, 0, 0, NULL, webhook_warning_minutes, 0, 0, "minutes",
	    "A webhook event not delivered after this long (the receiver "
	    "is down or keeps answering 5xx) is a warning; an event that "
	    "failed for good always is.  Without a [webhook] section "
	    "events are not judged."),

	ROW(METRICS, config, "textfile", STRING, NULL, NULL, 0, 0, 0, 0,
	    NULL, metrics_textfile, 0, CONFIG_F_PATH, "path",
	    "mailorderd rewrites this file after each cycle, atomically "
	    "(a temporary file renamed over it), for example "
	    "/var/lib/prometheus/node-exporter/mailorder.prom.  Unset: no "
	    "metrics file."),

	ROW(ALERTS, config, "to", STRING, NULL, NULL, 0, 0, 0, 0, NULL,
	    alerts_to, 0, CONFIG_F_ADDRESS, "address",
	    "Who gets the alerts.  Unset: no alerts."),
	ROW(ALERTS, config, "period_hours", INT, "24", NULL, 1, 720, 0, 0,
	    NULL, alerts_period_hours, 0, 0, "hours",
	    "The same alert is sent at most once in this many hours while "
	    "it lasts."),
	ROW(ALERTS, config, "digest", BOOL, "no", NULL, 0, 0, 0, 0, NULL,
	    alerts_digest, 0, 0, "yes|no",
	    "Send a digest once a day: \"3 orders waiting, oldest 5 h; 41 "
	    "confirmed yesterday, 92% touchless\"."),
	ROW(ALERTS, config, "digest_hour", INT, "7", NULL, 0, 23, 0, 0,
	    NULL, alerts_digest_hour, 0, 0, "hour",
	    "The digest goes out with the first cycle from this hour of the "
	    "day on (local time)."),

	ROW(WEBHOOK, config_webhook, "url", STRING, NULL, NULL, 0, 0, 0, 0,
	    NULL, url, 0, CONFIG_F_REQUIRED, "url",
	    "The receiver: https (its certificate is verified), or http "
	    "only to this machine (127.0.0.1, ::1, localhost)."),
	ROW(WEBHOOK, config_webhook, "secret_file", STRING, NULL, NULL, 0, 0,
	    0, 0, NULL, secret.password_file, 0,
	    CONFIG_F_SECRET_SOURCE | CONFIG_F_PATH, "path",
	    "A file holding the signing secret on its first line.  Others "
	    "must not be able to read it."),
	ROW(WEBHOOK, config_webhook, "secret_credential", STRING, NULL, NULL,
	    0, 0, 0, 0, NULL, secret.password_credential, 0,
	    CONFIG_F_SECRET_SOURCE | CONFIG_F_CREDENTIAL, "name",
	    "The name of a systemd credential holding the signing secret."),
	ROW(WEBHOOK, config_webhook, "ca_file", STRING, NULL, NULL, 0, 0, 0, 0,
	    NULL, ca_file, 0, CONFIG_F_PATH, "path",
	    "A PEM file of the CA certificates the receiver's certificate "
	    "is checked against, instead of the system's."),
	ROW(WEBHOOK, config_webhook, "events", STRING,
	    "accepted,approved,edited,shipped,rejected", NULL, 0, 0, 0, 0,
	    NULL, events, 0, 0, "list",
	    "The events posted, separated by commas: accepted (by the "
	    "engine), approved, edited, shipped and rejected (by an "
	    "operator)."),
	ROW(WEBHOOK, config_webhook, "timeout", INT, "10", NULL, 1, 300, 0, 0,
	    NULL, timeout, 0, 0, "seconds",
	    "How long one delivery may take before it counts as failed and "
	    "is retried."),
	ROW(WEBHOOK, config_webhook, "retry_initial", INT, "30", NULL, 1,
	    86400, 0, 0, NULL, retry_initial, 0, 0, "seconds",
	    "The first wait before an event is posted again (connection "
	    "errors, timeouts, 5xx, 408, 429); each further wait doubles."),
	ROW(WEBHOOK, config_webhook, "retry_max", INT, "3600", NULL, 1,
	    86400, 0, 0, NULL, retry_max, 0, 0, "seconds",
	    "The longest wait between two attempts."),
	ROW(WEBHOOK, config_webhook, "give_up_after", INT, "48", NULL, 1, 720,
	    0, 0, NULL, give_up_after, 0, 0, "hours",
	    "An event not delivered after this long is marked failed."),

	ROW(LOG, config, "level", CHOICE, "info", NULL, 0, 0, 0, 0,
	    choices_level, log_level, 0, 0, "level",
	    "The least important messages logged: err, warning, info or "
	    "debug."),
};

const size_t config_nsettings =
    sizeof(config_settings) / sizeof(config_settings[0]);

const struct config_setting *
config_setting_find(enum config_sect sect, const char *name)
{
	size_t i;

	for (i = 0; i < config_nsettings; i++)
		if (config_settings[i].sect == sect &&
		    strcmp(config_settings[i].name, name) == 0)
			return &config_settings[i];
	return NULL;
}

char *
config_path_expand(const char *v)
{
	static const struct {
		const char	*var;
		const char	*dir;
	} dirs[] = {
		{ "$DATADIR", MO_DATADIR },
		{ "$SYSCONFDIR", MO_SYSCONFDIR },
		{ "$STATEDIR", MO_LOCALSTATEDIR },
	};
	char *s;
	size_t i, n;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		n = strlen(dirs[i].var);
		if (strncmp(v, dirs[i].var, n) == 0 &&
		    (v[n] == '/' || v[n] == '\0')) {
			xasprintf(&s, "%s%s", dirs[i].dir, v + n);
			return s;
		}
	}
	return xstrdup(v);
}

const char *
config_choice_name(const struct config_choice *c, int value)
{
	for (; c->name != NULL; c++)
		if (c->value == value)
			return c->name;
	return "?";
}

void
config_size_format(unsigned long long v, char *out, size_t outsz)
{
	if (v != 0 && v % GIB == 0)
		snprintf(out, outsz, "%lluG", v / GIB);
	else if (v != 0 && v % MIB == 0)
		snprintf(out, outsz, "%lluM", v / MIB);
	else if (v != 0 && v % KIB == 0)
		snprintf(out, outsz, "%lluK", v / KIB);
	else
		snprintf(out, outsz, "%llu", v);
}

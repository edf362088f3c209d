/*
 * mailorder.conf: the one configuration file, INI-style, read with inih.
 *
 * Every setting is a row of one table (config/table.c): name, type,
 * default, range and help.  Loading, validation, defaults, config_dump()
 * and the man page all come from that table, so they cannot drift apart.
 * The two sections whose keys are names the shop chooses, [carriers] and
 * [operators], have no rows: their section entry says how a line is
 * written, and the loader checks each line itself.
 *
 * The header is conf.h and not config.h because a quoted #include
 * "config.h" in this folder would find it before autoconf's config.h.
 *
 * Secrets are never stored in the file: it names where they live (a file,
 * a systemd credential or a token command) and config_secret_read() fetches
 * them when a connection needs them.
 */
#ifndef MO_CONF_H
#define MO_CONF_H

#include <stddef.h>
#include <stdio.h>

#include "common/error.h"

#define CONFIG_FILE_DEFAULT	MO_SYSCONFDIR "/mailorder.conf"

enum config_tls {
	CONFIG_TLS_IMPLICIT,	/* TLS from the first byte (993, 465) */
	CONFIG_TLS_STARTTLS,	/* upgrade a plain connection; fail without */
	CONFIG_TLS_NONE,	/* plaintext: only when written explicitly */
};

/* What mail with no order in it (a question, a complaint) gets. */
enum config_no_order {
	CONFIG_NO_ORDER_RECEIPT,	/* receipt.txt: a person will answer */
	CONFIG_NO_ORDER_NONE,		/* nothing until a person answers */
};

enum config_after {
	CONFIG_AFTER_SEEN,	/* flag the message \Seen, leave it there */
	CONFIG_AFTER_MOVE,	/* move it to processed_folder */
};

/*
 * Where one account's secret comes from.  At most one of the four is set
 * (config_load() refuses more); all NULL means no authentication.
 */
struct config_secret {
	char	 label[48];		/* "imap", "imap.shop", "smtp": for messages */
	char	*password_file;
	char	*password_credential;	/* name under $CREDENTIALS_DIRECTORY */
	char	*oauth2_token_file;
	char	*oauth2_token_command;	/* run with /bin/sh -c */
	long	 timeout;		/* seconds the command may take */
};

/* One inbox: [imap] is named "", [imap.NAME] is named "NAME". */
struct config_imap {
	char			*name;
	char			*host;
	long			 port;
	enum config_tls		 tls;
	char			*user;
	struct config_secret	 secret;
	char			*ca_file;
	char			*mailbox;
	char			*processed_folder;	/* NULL: none */
	char			*failed_folder;
	enum config_after	 after_processing;
	long			 poll_interval;		/* seconds */
	int			 idle;			/* bool */
	long			 timeout;		/* seconds */
	long			 batch_max_messages;
	size_t			 batch_max_bytes;
};

/* The outgoing server.  enabled is 0 when there is no [smtp] section:
 * then no replies are sent at all. */
struct config_smtp {
	int			 enabled;
	char			*host;
	long			 port;
	enum config_tls		 tls;
	char			*user;
	struct config_secret	 secret;
	char			*ca_file;
	char			*from;
	char			*from_name;
	char			*helo_name;
	char			*message_id_domain;	/* NULL: from's domain */
	long			 timeout;		/* seconds */
	long			 retry_initial;		/* seconds */
	long			 retry_max;		/* seconds */
	long			 give_up_after;		/* hours */
	char			*sent_folder;		/* NULL: no copies */
};

struct config_reply {
	int	 confirm_accepted;		/* bool */
	int	 acknowledge_flagged;		/* bool */
	int	 no_order_reply;		/* enum config_no_order */
	int	 acknowledge_unknown_sender;	/* bool */
	char	*person;			/* named in the receipt */
	long	 undo_seconds;			/* a person's reply waits */
	long	 max_per_sender_per_hour;
	long	 max_age_hours;
	char	*templates;
};

struct config_policy {
	double	 match_threshold;
	double	 unusual_quantity_factor;
	long	 min_history_for_unusual;
	long	 history_orders;
	size_t	 max_message_bytes;
	size_t	 max_text_bytes;
	long	 parse_timeout;		/* seconds */
	int	 read_xls;		/* legacy Excel with FreeXL */
	char	**trusted_authserv_ids;
	size_t	 ntrusted_authserv_ids;
};

/* When `mailorder status` warns ([status]). */
struct config_status {
	long	 inbox_warning_minutes;
	long	 inbox_critical_minutes;
	long	 flagged_warning_hours;
	long	 flagged_critical_hours;
	long	 reply_warning_minutes;
	long	 token_warning_days;
	long	 webhook_warning_minutes;
};

/* Where order events are posted.  enabled is 0 without a [webhook]
 * section: then nothing is queued. */
struct config_webhook {
	int			 enabled;
	char			*url;
	struct config_secret	 secret;	/* secret_file, secret_credential */
	char			*ca_file;	/* NULL: the system's CAs */
	char			*events;	/* "accepted,approved,..." */
	unsigned		 event_mask;	/* computed from events */
	long			 timeout;	/* seconds */
	long			 retry_initial;	/* seconds */
	long			 retry_max;	/* seconds */
	long			 give_up_after;	/* hours */
};

/*
 * A line of a section whose keys are names the shop chooses: [carriers]
 * (carrier = tracking link) and [operators] (login = the name that
 * signs).
 */
struct config_named {
	char	*name;
	char	*value;
	int	 line;		/* where it is written, for messages */
};

/* The effective settings: everything has its value or its default.  All
 * strings are owned by the struct; NULL means "not set". */
struct config {
	char			*path;		/* the file read; NULL: defaults */
	char			*store_path;
	long			 keep_raw_days;	/* 0: forever */
	char			**rule_paths;
	size_t			 nrule_paths;
	struct config_imap	*imaps;		/* [imap] first when present */
	size_t			 nimaps;
	struct config_smtp	 smtp;
	struct config_reply	 reply;
	struct config_policy	 policy;
	struct config_status	 status;
	char			*metrics_textfile;	/* NULL: none */
	char			*alerts_to;		/* NULL: no alerts */
	long			 alerts_period_hours;
	int			 alerts_digest;		/* bool */
	long			 alerts_digest_hour;
	struct config_webhook	 webhook;
	struct config_named	*carriers;	/* [carriers], in file order */
	size_t			 ncarriers;
	struct config_named	*operators;	/* [operators] */
	size_t			 noperators;
	int			 log_level;	/* enum log_level */
};

/* Every problem found in one load, each "FILE:LINE: message", sorted by
 * line; a missing key is reported at the line of its section header. */
struct config_problems {
	char	**msgs;
	size_t	  n;
};

void	config_problems_init(struct config_problems *);
void	config_problems_release(struct config_problems *);

/*
 * Read the whole file at path (NULL: no file, defaults only) and return
 * the effective settings in *conf_r, which the caller frees with
 * config_free().
 *
 * Returns 0, or -1 with ERR_CONFIG when the file cannot be opened ("cannot
 * open 'PATH': No such file or directory") or has any problem.  Loading
 * does not stop at the first problem: every one is appended to probs (when
 * not NULL) and err gets the first one, followed by "(and N more)".  On
 * failure *conf_r is NULL.  No secret value is ever read or quoted.
 */
int	config_load(const char *path, struct config **conf_r,
	    struct config_problems *probs, struct err *);

/* config_load() for a program starting up: every problem is logged with
 * log_err() as "FILE:LINE: message" (or the one reason the file cannot
 * be read).  Returns 0, or -1 with *conf_r NULL. */
int	config_load_report(const char *path, struct config **conf_r);

void	config_free(struct config *);

/* The bit of a webhook event name (accepted 0, approved 1, edited 2,
 * shipped 3, rejected 4; the order of store/webhook.h), or -1. */
int	config_webhook_event(const char *name);

/* The [carriers] line for carrier (any case), or NULL; conf may be
 * NULL.  Borrowed from conf. */
const struct config_named *config_carrier(const struct config *,
	    const char *carrier);

/* The name [operators] gives login (exactly as written), or NULL; conf
 * may be NULL.  Borrowed from conf. */
const char	*config_operator(const struct config *, const char *login);

/* 1 when url is http:// to this machine: 127.x.y.z, [::1], localhost. */
int	config_url_loopback(const char *url);

/*
 * Print the effective settings to fp as a valid mailorder.conf, one
 * "name = value" per setting, defaults included.  Unset settings are
 * printed as comments.  The oauth2_token_command is shown as "(set)"
 * because a command line may carry a token; file paths and credential
 * names are not secrets and are shown.
 */
void	config_dump(const struct config *, FILE *fp);

/*
 * Fetch the secret described by s into *secret_r (NUL-terminated, the
 * trailing newline and CR stripped; owned by the caller, who should release
 * it with config_secret_wipe()).
 *
 * password_file and oauth2_token_file: the file must be a regular file of
 * at most 64 KiB that others cannot read (mode & 007 == 0); a file that
 * others can read is refused, since the secret has leaked already and
 * carrying on would hide that.  password_credential: the file NAME under
 * $CREDENTIALS_DIRECTORY (systemd LoadCredential=), with the same checks.
 * oauth2_token_command: run with /bin/sh -c, stdin from /dev/null, stderr
 * inherited; its first line of output is the token.  It is killed when it
 * runs longer than s->timeout seconds.
 *
 * Returns 0, or -1 with ERR_CONFIG (missing or unsafe file, empty secret,
 * no source configured) or ERR_TEMP (command failed or timed out: a token
 * service may be down).  Error messages name the file or the account,
 * never the secret or the command's output.
 */
int	config_secret_read(const struct config_secret *s, char **secret_r,
	    struct err *);

/* Overwrite a secret returned by config_secret_read() and free it.
 * NULL is allowed. */
void	config_secret_wipe(char *secret);

/*
 * Write the OPTIONS part of mailorder.conf(5) in mdoc, generated from the
 * settings table (see config/conf-doc.c).  The man page carries this text
 * verbatim and a unit test checks that it still does.
 */
void	config_doc_write(FILE *fp);

/* Write a fully commented example mailorder.conf from the table. */
void	config_example_write(FILE *fp);

#endif

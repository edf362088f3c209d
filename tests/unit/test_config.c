/*
 * config/: loading mailorder.conf (defaults, several inboxes, every kind
 * of problem with its exact FILE:LINE message), reading secrets from files,
 * systemd credentials and token commands without ever showing them, the
 * sections of names the shop chooses ([carriers] and the tracking links
 * carrier_pattern() finds there, [operators]), and the documentation
 * generated from the settings table.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/error.h"
#include "common/log.h"
#include "config/conf.h"
#include "config/table.h"
#include "review/carrier.h"
#include "tests/unit/helpers.h"

static const char *
srcdir(void)
{
	const char *s = getenv("top_srcdir");

	return s != NULL ? s : MO_TOP_SRCDIR;
}

static char *
fixture(const char *name)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/tests/fixtures/config/%s", srcdir(),
	    name);
	return path;
}

static char *
slurp(const char *path)
{
	FILE *fp;
	char *s;
	long n;

	fp = fopen(path, "r");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	rewind(fp);
	s = malloc(n + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, n, fp), (size_t)n);
	s[n] = '\0';
	fclose(fp);
	return s;
}

/* A scratch directory per test, removed with its files afterwards. */
static char tmpdir[64];

static int
tmp_setup(void **state)
{
	th_tmpdir(tmpdir, "test-config");
	return 0;
}

static int
tmp_teardown(void **state)
{
	return th_rmdir(tmpdir);
}

static const char *
tmp_write(const char *name, const char *content, mode_t mode)
{
	static char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd != -1);
	assert_int_equal(write(fd, content, strlen(content)),
	    (ssize_t)strlen(content));
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
	return path;
}

static void
test_defaults(void **state)
{
	const char *paths[] = { NULL, "empty.conf" };
	struct config *conf;
	struct err err;
	size_t i;

	for (i = 0; i < 2; i++) {
		assert_int_equal(config_load(paths[i] == NULL ? NULL :
		    fixture(paths[i]), &conf, NULL, &err), 0);
		assert_string_equal(conf->store_path,
		    MO_LOCALSTATEDIR "/mailorder.db");
		assert_int_equal(conf->nrule_paths, 2);
		assert_string_equal(conf->rule_paths[0],
		    MO_DATADIR "/rules/en.rules");
		assert_string_equal(conf->rule_paths[1],
		    MO_SYSCONFDIR "/rules.d");
		assert_int_equal(conf->nimaps, 0);
		assert_false(conf->smtp.enabled);
		assert_true(conf->reply.confirm_accepted);
		assert_true(conf->reply.acknowledge_flagged);
		assert_int_equal(conf->reply.max_per_sender_per_hour, 5);
		assert_int_equal(conf->reply.max_age_hours, 24);
		assert_string_equal(conf->reply.templates,
		    MO_DATADIR "/templates");
		assert_true(conf->policy.match_threshold == 0.75);
		assert_true(conf->policy.unusual_quantity_factor == 5.0);
		assert_int_equal(conf->policy.min_history_for_unusual, 2);
		assert_int_equal(conf->policy.history_orders, 10);
		assert_int_equal(conf->policy.max_message_bytes, 25 << 20);
		assert_int_equal(conf->policy.max_text_bytes, 512 << 10);
		assert_int_equal(conf->smtp.give_up_after, 48);
		assert_int_equal(conf->log_level, LOG_LEVEL_INFO);
		config_free(conf);
	}
}

static void
test_full_two_inboxes(void **state)
{
	struct config *conf;
	struct config_imap *im;
	struct err err;

	assert_int_equal(config_load(fixture("full.conf"), &conf, NULL, &err),
	    0);
	assert_string_equal(conf->store_path, "/srv/mailorder/orders.db");
	assert_int_equal(conf->nrule_paths, 2);
	assert_string_equal(conf->rule_paths[1], "/srv/rules.d");

	/* [imap] comes first although the file has it second. */
	assert_int_equal(conf->nimaps, 2);
	im = &conf->imaps[0];
	assert_string_equal(im->name, "");
	assert_string_equal(im->host, "imap.example.com");
	assert_int_equal(im->tls, CONFIG_TLS_IMPLICIT);
	assert_int_equal(im->port, 993);
	assert_string_equal(im->secret.password_credential, "imap-password");
	assert_string_equal(im->secret.label, "imap");
	assert_int_equal(im->after_processing, CONFIG_AFTER_MOVE);
	assert_int_equal(im->poll_interval, 300);
	assert_false(im->idle);
	assert_int_equal(im->batch_max_bytes, 2 << 20);
	assert_string_equal(im->mailbox, "INBOX");
	assert_string_equal(im->failed_folder, "mailorder-failed");

	im = &conf->imaps[1];
	assert_string_equal(im->name, "wholesale");
	assert_int_equal(im->tls, CONFIG_TLS_STARTTLS);
	assert_int_equal(im->port, 143);
	assert_string_equal(im->mailbox, "Wholesale");
	assert_null(im->processed_folder);
	assert_int_equal(im->after_processing, CONFIG_AFTER_SEEN);
	assert_int_equal(im->timeout, 30);
	assert_int_equal(im->secret.timeout, 30);
	assert_string_equal(im->secret.label, "imap.wholesale");

	assert_true(conf->smtp.enabled);
	assert_int_equal(conf->smtp.port, 587);
	assert_string_equal(conf->smtp.from, "orders@example.com");
	assert_string_equal(conf->smtp.sent_folder, "Sent");
	assert_int_equal(conf->smtp.give_up_after, 12);
	assert_false(conf->reply.confirm_accepted);
	assert_int_equal(conf->reply.max_per_sender_per_hour, 3);
	assert_true(conf->policy.match_threshold == 0.9);
	assert_int_equal(conf->policy.max_text_bytes, 64 << 10);
	assert_int_equal(conf->log_level, LOG_LEVEL_DEBUG);
	config_free(conf);
}

/* Every problem of each fixture, in order, as "LINE: message". */
static const struct {
	const char	*file;
	const char	*msgs[10];
} problem_cases[] = {
	{ "unknown-section.conf", {
	    "3: unknown section [smpt] (did you mean [smtp]?)",
	    "6: unknown section [frobnicate]" } },
	{ "unknown-key.conf", {
	    "2: unknown key 'hots' in [imap] (did you mean 'host'?)",
	    "7: unknown key 'level' in [reply] (it belongs in [log])",
	    "8: unknown key 'colour' in [reply]" } },
	{ "bad-values.conf", {
	    "5: invalid value 'often' for 'poll_interval': expected a whole "
	    "number",
	    "6: 'timeout' must be between 5 and 600, not 2",
	    "7: invalid value '16 furlongs' for 'batch_max_bytes': expected a "
	    "size such as 512K or 16M",
	    "8: invalid value 'perhaps' for 'idle': expected yes or no",
	    "9: invalid value 'off' for 'tls': expected implicit, starttls or "
	    "none",
	    "10: 'port' must be between 1 and 65535, not 70000",
	    "12: 'match_threshold' must be between 0 and 1, not 1.5",
	    "13: 'max_message_bytes' must be between 64K and 1G, not 2G" } },
	/* Plaintext only when spelled exactly "none". */
	{ "tls-spelling.conf", {
	    "3: invalid value 'None' for 'tls': expected implicit, starttls "
	    "or none",
	    "9: invalid value 'plain' for 'tls': expected implicit, starttls "
	    "or none" } },
	{ "duplicate.conf", {
	    "5: duplicate key 'host' in [imap] (first set at line 2)",
	    "9: duplicate key 'level' in [log] (first set at line 7)" } },
	/* Missing keys are reported at their section's header. */
	{ "missing.conf", {
	    "2: [imap.shop] is missing 'host'",
	    "2: [imap.shop] is missing 'user'",
	    "2: [imap.shop] is missing a secret: set password_file, "
	    "password_credential, oauth2_token_file or oauth2_token_command",
	    "5: [smtp] is missing 'host'",
	    "5: [smtp] is missing a secret: set password_file, "
	    "password_credential, oauth2_token_file or oauth2_token_command",
	    "5: [smtp] is missing 'from', needed to send replies (see "
	    "confirm_accepted and acknowledge_flagged in [reply])" } },
	{ "secrets.conf", {
	    "4: inline secret 'password' refused: put secrets in "
	    "password_file or a systemd credential",
	    "5: 'password_file' conflicts with 'password' at line 4: give "
	    "only one secret source",
	    "9: inline secret 'oauth2_token' refused: put secrets in "
	    "password_file or a systemd credential",
	    "15: 'oauth2_token_command' conflicts with 'password_file' at "
	    "line 14: give only one secret source" } },
	{ "syntax.conf", {
	    "1: 'path' is outside any section; put it under its [section]",
	    "2: missing ']' in section header",
	    "3: invalid inbox name in [imap.]: use letters, digits, '-' and "
	    "'_'",
	    "4: invalid inbox name in [imap.a b]: use letters, digits, '-' "
	    "and '_'",
	    "5: unexpected text after ']'",
	    "6: expected 'key = value' or '[section]'",
	    "7: missing key before '='",
	    "11: invalid credential name '../etc/shadow': it is a file name "
	    "in $CREDENTIALS_DIRECTORY, without '/'",
	    "12: 'after_processing = move' needs 'processed_folder'" } },
	/* Several problems of different kinds, all from one load. */
	{ "many.conf", {
	    "2: unknown key 'paht' in [store] (did you mean 'path'?)",
	    "8: 'poll_interval' must be between 5 and 86400, not 1",
	    "10: unknown section [polcy] (did you mean [policy]?)",
	    "13: [smtp] is missing 'from', needed to send replies (see "
	    "confirm_accepted and acknowledge_flagged in [reply])",
	    "15: 'retry_initial' (600) is longer than 'retry_max' (300)" } },
	{ "empty-values.conf", {
	    "2: 'host' must not be empty",
	    "5: unknown section [imao.backup] (did you mean [imap.backup]?)",
	    "7: unknown section [smtp.other]" } },
	{ "long-line.conf", {
	    "2: line too long (more than 198 bytes)" } },
	/* A bad link, a bad name, the same name twice in any case and in
	 * another [carriers]. */
	{ "carriers-bad.conf", {
	    "3: invalid tracking link for 'nolink': a tracking link needs "
	    "{tracking} where the number goes",
	    "4: invalid tracking link for 'ftp': a tracking link starts "
	    "with https:// or http://",
	    "5: invalid tracking link for 'blank': a tracking link holds no "
	    "blank or control character",
	    "6: invalid carrier name 'two words': use letters, digits, '-' "
	    "and '_', at most 40",
	    "7: duplicate carrier 'EVRI' in [carriers] (first set at line 2)",
	    "9: duplicate carrier 'evri' in [carriers] (first set at line "
	    "2)" } },
	/* A name that signs a letter: a CR in it could start a line. */
	{ "operators-bad.conf", {
	    "3: invalid name for operator 'bob': it holds a control "
	    "character",
	    "4: invalid login name 'a b' in [operators]: use letters, "
	    "digits, '.', '-' and '_'",
	    "5: duplicate operator 'sam' in [operators] (first set at line "
	    "2)",
	    "6: invalid name for operator 'eve': it is empty",
	    "7: invalid name for operator 'root': it holds a control "
	    "character" } },
};

static void
test_problems(void **state)
{
	struct config_problems probs;
	struct config *conf;
	struct err err;
	char want[8192];
	const char *first;
	size_t i, j, n;

	for (i = 0; i < sizeof(problem_cases) / sizeof(problem_cases[0]);
	    i++) {
		const char *path = fixture(problem_cases[i].file);

		config_problems_init(&probs);
		conf = (struct config *)&probs;	/* must be reset to NULL */
		assert_int_equal(config_load(path, &conf, &probs, &err), -1);
		assert_null(conf);
		assert_int_equal(err.cls, ERR_CONFIG);
		for (n = 0; problem_cases[i].msgs[n] != NULL; n++)
			;
		for (j = 0; j < n && j < probs.n; j++) {
			snprintf(want, sizeof(want), "%s:%s", path,
			    problem_cases[i].msgs[j]);
			assert_string_equal(probs.msgs[j], want);
		}
		assert_int_equal(probs.n, n);
		/* err carries the first problem and how many more there
		 * are. */
		assert_true(n > 0);
		first = n > 0 ? problem_cases[i].msgs[0] : "";
		snprintf(want, sizeof(want), "%s:%s", path, first);
		if (n > 1)
			snprintf(want + strlen(want), sizeof(want) -
			    strlen(want), " (and %zu more)", n - 1);
		assert_string_equal(err.msg, want);
		config_problems_release(&probs);

		/* Without a problem list the load fails just the same. */
		assert_int_equal(config_load(path, &conf, NULL, &err), -1);
		assert_int_equal(err.cls, ERR_CONFIG);
	}
}

static void
test_missing_file(void **state)
{
	struct config *conf;
	struct err err;

	assert_int_equal(config_load("/nonexistent/mailorder.conf", &conf,
	    NULL, &err), -1);
	assert_int_equal(err.cls, ERR_CONFIG);
	assert_string_equal(err.msg, "cannot open '/nonexistent/mailorder.conf'"
	    ": No such file or directory");
	assert_null(conf);
}

static void
test_tls_none_only_explicit(void **state)
{
	struct config *conf;
	struct err err;

	assert_int_equal(config_load(fixture("tls-none.conf"), &conf, NULL,
	    &err), 0);
	assert_int_equal(conf->imaps[0].tls, CONFIG_TLS_NONE);
	assert_int_equal(conf->imaps[0].port, 143);
	config_free(conf);

	/* A plaintext port does not mean plaintext. */
	assert_int_equal(config_load(tmp_write("p.conf", "[imap]\nhost = h\n"
	    "user = u\npassword_file = /p\nport = 143\n", 0600), &conf, NULL,
	    &err), 0);
	assert_int_equal(conf->imaps[0].tls, CONFIG_TLS_IMPLICIT);
	assert_int_equal(conf->imaps[0].port, 143);
	config_free(conf);

	/* Plaintext only to this machine: the login would cross the
	 * network in clear. */
	assert_int_equal(config_load(tmp_write("r.conf", "[imap]\n"
	    "host = mail.example.com\nuser = u\npassword_file = /p\n"
	    "tls = none\n", 0600), &conf, NULL, &err), -1);
	assert_non_null(strstr(err.msg, "r.conf:5: 'tls = none' would send "
	    "the login in clear text to 'mail.example.com'"));
	assert_int_equal(config_load(tmp_write("6.conf", "[imap]\n"
	    "host = ::1\nuser = u\npassword_file = /p\ntls = none\n"
	    "[smtp]\nhost = localhost\ntls = none\n"
	    "from = a@b.example\n", 0600), &conf, NULL, &err), 0);
	config_free(conf);
	/* An unauthenticated relay elsewhere may be plaintext. */
	assert_int_equal(config_load(tmp_write("s.conf", "[imap]\n"
	    "host = 127.0.0.2\nuser = u\npassword_file = /p\ntls = none\n"
	    "[smtp]\nhost = relay.lan\nport = 25\ntls = none\n"
	    "from = a@b.example\n", 0600), &conf, NULL, &err), 0);
	config_free(conf);

	/* An empty value is not "none" either. */
	assert_int_equal(config_load(tmp_write("e.conf", "[imap]\nhost = h\n"
	    "user = u\npassword_file = /p\ntls =\n", 0600), &conf, NULL,
	    &err), -1);
	assert_non_null(strstr(err.msg, ":5: invalid value '' for 'tls'"));
}

static void
test_line_length_limit(void **state)
{
	struct config *conf;
	struct err err;
	char text[512], value[256];

	/* "path = " + 191 bytes is 198: the longest line allowed. */
	memset(value, 'a', 191);
	value[0] = '/';
	value[191] = '\0';
	snprintf(text, sizeof(text), "[store]\npath = %s\n", value);
	assert_int_equal(config_load(tmp_write("l.conf", text, 0600), &conf,
	    NULL, &err), 0);
	assert_string_equal(conf->store_path, value);
	config_free(conf);

	snprintf(text, sizeof(text), "[store]\npath = %sa\n", value);
	assert_int_equal(config_load(tmp_write("l.conf", text, 0600), &conf,
	    NULL, &err), -1);
	assert_non_null(strstr(err.msg, ":2: line too long"));
}

/*
 * Every whole-number and size setting refuses a negative value, and one
 * too big for any integer type, as out of range at its FILE:LINE: none
 * is wrapped round into a small positive number or accepted.
 */
static void
test_negative_int(void **state)
{
	static const char *const bad[] = { "-1", "-5", "-0001",
	    "-9223372036854775809", "9223372036854775808",
	    "18446744073709551616", "18446744073709551621",
	    "99999999999999999999", "-99999999999999999999", NULL };
	const struct config_setting *st;
	struct config_problems probs;
	struct config *conf;
	struct err err;
	char text[256], want[512], lo[32], hi[32];
	const char *path;
	size_t i, j, k, ntested = 0;
	int found;

	for (i = 0; i < config_nsettings; i++) {
		st = &config_settings[i];
		if (st->type != CONFIG_TYPE_INT && st->type != CONFIG_TYPE_SIZE)
			continue;
		if (st->type == CONFIG_TYPE_SIZE) {
			config_size_format(st->min, lo, sizeof(lo));
			config_size_format(st->max, hi, sizeof(hi));
		} else {
			snprintf(lo, sizeof(lo), "%lld", st->min);
			snprintf(hi, sizeof(hi), "%lld", st->max);
		}
		for (j = 0; bad[j] != NULL; j++) {
			snprintf(text, sizeof(text), "[%s]\n%s = %s\n",
			    config_sections[st->sect].name, st->name, bad[j]);
			path = tmp_write("n.conf", text, 0600);
			config_problems_init(&probs);
			assert_int_equal(config_load(path, &conf, &probs, &err),
			    -1);
			assert_null(conf);
			snprintf(want, sizeof(want), "%s:2: '%s' must be "
			    "between %s and %s, not %s", path, st->name, lo, hi,
			    bad[j]);
			for (found = 0, k = 0; k < probs.n; k++)
				found |= strcmp(probs.msgs[k], want) == 0;
			if (!found)
				fail_msg("[%s] %s = %s: no '%s'",
				    config_sections[st->sect].name, st->name,
				    bad[j], want);
			config_problems_release(&probs);
		}
		ntested++;
	}
	assert_true(ntested >= 20);	/* the table has not lost its rows */

	/* Zero is zero, whatever its sign. */
	assert_int_equal(config_load(tmp_write("z.conf", "[store]\n"
	    "keep_raw_days = -0\n", 0600), &conf, NULL, &err), 0);
	assert_int_equal(conf->keep_raw_days, 0);
	config_free(conf);
	/* Not a number at all is still said so. */
	assert_int_equal(config_load(tmp_write("w.conf", "[store]\n"
	    "keep_raw_days = - 1\n", 0600), &conf, NULL, &err), -1);
	assert_non_null(strstr(err.msg, ":2: invalid value '- 1' for "
	    "'keep_raw_days': expected a whole number"));
}

static void
secret_init(struct config_secret *s)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->label, sizeof(s->label), "imap.test");
	s->timeout = 5;
}

static void
test_secret_file(void **state)
{
	struct config_secret s;
	struct err err;
	char *secret, path[256];

	secret_init(&s);
	snprintf(path, sizeof(path), "%s", tmp_write("pw", "s3cret-pw\r\n"
	    "second line\n", 0600));
	s.password_file = path;
	assert_int_equal(config_secret_read(&s, &secret, &err), 0);
	assert_string_equal(secret, "s3cret-pw");
	config_secret_wipe(secret);

	/* Others can read it: refused, and the secret is not shown. */
	tmp_write("pw", "s3cret-pw\n", 0644);
	assert_int_equal(config_secret_read(&s, &secret, &err), -1);
	assert_null(secret);
	assert_int_equal(err.cls, ERR_CONFIG);
	assert_non_null(strstr(err.msg, "can be read by other users"));
	assert_null(strstr(err.msg, "s3cret"));

	tmp_write("pw", "\n", 0600);
	assert_int_equal(config_secret_read(&s, &secret, &err), -1);
	assert_non_null(strstr(err.msg, "is empty"));

	s.password_file = NULL;
	s.oauth2_token_file = "/nonexistent/token";
	assert_int_equal(config_secret_read(&s, &secret, &err), -1);
	assert_string_equal(err.msg, "imap.test: cannot open oauth2_token_file "
	    "'/nonexistent/token': No such file or directory");
}

static void
test_secret_credential(void **state)
{
	struct config_secret s;
	struct err err;
	char *secret;

	secret_init(&s);
	s.password_credential = "imap-password";
	tmp_write("imap-password", "cred-pw\n", 0400);

	unsetenv("CREDENTIALS_DIRECTORY");
	assert_int_equal(config_secret_read(&s, &secret, &err), -1);
	assert_int_equal(err.cls, ERR_CONFIG);
	assert_non_null(strstr(err.msg, "needs $CREDENTIALS_DIRECTORY"));

	setenv("CREDENTIALS_DIRECTORY", tmpdir, 1);
	assert_int_equal(config_secret_read(&s, &secret, &err), 0);
	assert_string_equal(secret, "cred-pw");
	config_secret_wipe(secret);

	s.password_credential = "smtp-password";
	assert_int_equal(config_secret_read(&s, &secret, &err), -1);
	assert_non_null(strstr(err.msg, "/smtp-password': No such file"));
	unsetenv("CREDENTIALS_DIRECTORY");
}

static void
test_token_command(void **state)
{
	struct config_secret s;
	struct err err;
	struct timespec t0, t1;
	char *secret;

	secret_init(&s);
	s.oauth2_token_command = "printf 'tok-123\\nignored\\n'";
	assert_int_equal(config_secret_read(&s, &secret, &err), 0);
	assert_string_equal(secret, "tok-123");
	config_secret_wipe(secret);

	s.oauth2_token_command = "echo leaked-token; exit 3";
	assert_int_equal(config_secret_read(&s, &secret, &err), -1);
	assert_int_equal(err.cls, ERR_TEMP);
	assert_string_equal(err.msg, "imap.test: oauth2_token_command failed "
	    "with exit status 3");

	s.oauth2_token_command = "true";
	assert_int_equal(config_secret_read(&s, &secret, &err), -1);
	assert_non_null(strstr(err.msg, "is empty"));

	/* A hung command is killed after the timeout, with what it
	 * started. */
	s.oauth2_token_command = "sleep 30 | cat";
	s.timeout = 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(config_secret_read(&s, &secret, &err), -1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(err.cls, ERR_TEMP);
	assert_string_equal(err.msg, "imap.test: oauth2_token_command did not "
	    "finish within 1 seconds");
	assert_true(t1.tv_sec - t0.tv_sec < 5);
}

/* Secrets, and commands that may carry one, never reach a message or the
 * dump. */
static void
test_secret_never_shown(void **state)
{
	struct config_problems probs;
	struct config *conf;
	struct err err;
	char *out = NULL;
	size_t i, len;
	FILE *fp;

	config_problems_init(&probs);
	assert_int_equal(config_load(fixture("secrets.conf"), &conf, &probs,
	    &err), -1);
	assert_null(strstr(err.msg, "do-not-print"));
	for (i = 0; i < probs.n; i++)
		assert_null(strstr(probs.msgs[i], "do-not-print"));
	config_problems_release(&probs);

	assert_int_equal(config_load(tmp_write("c.conf", "[imap]\nhost = h\n"
	    "user = u\noauth2_token_command = echo tok-in-cmd\n", 0600),
	    &conf, NULL, &err), 0);
	fp = open_memstream(&out, &len);
	config_dump(conf, fp);
	fclose(fp);
	assert_non_null(strstr(out, "\noauth2_token_command = (set)\n"));
	assert_null(strstr(out, "tok-in-cmd"));
	free(out);
	config_free(conf);
}

/* config_dump() prints a file that loads back to the same settings. */
static void
test_dump_round_trip(void **state)
{
	struct config *conf;
	struct err err;
	char *a = NULL, *b = NULL;
	size_t len;
	FILE *fp;

	assert_int_equal(config_load(fixture("full.conf"), &conf, NULL, &err),
	    0);
	fp = open_memstream(&a, &len);
	config_dump(conf, fp);
	fclose(fp);
	config_free(conf);
	assert_non_null(strstr(a, "\n[imap.wholesale]\nhost = imap.example.net"
	    "\nport = 143\ntls = starttls\n"));

	assert_int_equal(config_load(tmp_write("d.conf", a, 0600), &conf, NULL,
	    &err), 0);
	fp = open_memstream(&b, &len);
	config_dump(conf, fp);
	fclose(fp);
	config_free(conf);
	/* Equal after the first line, which names the file. */
	assert_string_equal(strchr(a, '\n'), strchr(b, '\n'));
	free(a);
	free(b);
}

/* [carriers]: any name the shop chooses, its link checked, a built-in
 * name overridden; and carrier_pattern() looks there first. */
static void
test_carriers(void **state)
{
	struct config *conf;
	struct err err;
	char known[512], *dump = NULL, *link;
	size_t len;
	FILE *fp;

	assert_int_equal(config_load(tmp_write("c.conf", "[carriers]\n"
	    "evri = https://www.evri.com/track/parcel/{tracking}\n"
	    "ups = https://www.ups.com/track?loc=en_GB&tracknum={tracking}"
	    "   ; overrides the built-in\n"
	    "DX = http://dx.example/t/{tracking}\n", 0600), &conf, NULL,
	    &err), 0);
	assert_int_equal(conf->ncarriers, 3);
	assert_string_equal(carrier_pattern(conf, "EVRI"),
	    "https://www.evri.com/track/parcel/{tracking}");
	assert_string_equal(carrier_pattern(conf, "ups"),
	    "https://www.ups.com/track?loc=en_GB&tracknum={tracking}");
	assert_string_equal(carrier_pattern(NULL, "ups"),
	    "https://www.ups.com/track?tracknum={tracking}");
	assert_string_equal(carrier_pattern(conf, "dhl"),
	    "https://www.dhl.com/track?tracking-id={tracking}");
	assert_null(carrier_pattern(conf, "hermes"));
	assert_null(carrier_pattern(NULL, "evri"));
	assert_string_equal(carrier_name(conf, "dx"), "DX");
	assert_string_equal(carrier_name(conf, "hermes"), "hermes");
	link = carrier_link(conf, "Evri", "H12", NULL);
	assert_string_equal(link, "https://www.evri.com/track/parcel/H12");
	free(link);
	carrier_known(conf, known, sizeof(known));
	assert_string_equal(known, "dhl, dpd, DX, evri, fedex, gls, "
	    "royalmail, ups, usps");
	fp = open_memstream(&dump, &len);
	config_dump(conf, fp);
	fclose(fp);
	assert_non_null(strstr(dump, "\n[carriers]\nevri = https://www.evri"
	    ".com/track/parcel/{tracking}\nups = https://www.ups.com/track?"
	    "loc=en_GB&tracknum={tracking}\nDX = "));
	free(dump);
	config_free(conf);
}

/* [operators]: login = the name that signs, exactly as written. */
static void
test_operators(void **state)
{
	struct config *conf;
	struct err err;
	char *dump = NULL;
	size_t len;
	FILE *fp;

	assert_int_equal(config_load(tmp_write("o.conf", "[operators]\n"
	    "sam = Sam Whitfield      ; login name = name that signs\n"
	    "root = Sam Whitfield\n"
	    "j.doe = Zo\xc3\xab Doe\n", 0600), &conf, NULL, &err), 0);
	assert_string_equal(config_operator(conf, "sam"), "Sam Whitfield");
	assert_string_equal(config_operator(conf, "root"), "Sam Whitfield");
	assert_string_equal(config_operator(conf, "j.doe"), "Zo\xc3\xab Doe");
	assert_null(config_operator(conf, "Sam"));
	assert_null(config_operator(conf, "alice"));
	assert_null(config_operator(NULL, "sam"));
	fp = open_memstream(&dump, &len);
	config_dump(conf, fp);
	fclose(fp);
	assert_non_null(strstr(dump, "\n[operators]\nsam = Sam Whitfield\n"
	    "root = Sam Whitfield\n"));
	free(dump);
	config_free(conf);
}

/* The man page carries the generated OPTIONS text verbatim, so every
 * setting, default and range in the table is documented. */
static void
test_man_page_matches_table(void **state)
{
	char path[4096], *man, *gen = NULL, item[128];
	size_t i, len;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/man/mailorder.conf.5", srcdir());
	man = slurp(path);
	fp = open_memstream(&gen, &len);
	config_doc_write(fp);
	fclose(fp);
	for (i = 0; i < config_nsettings; i++) {
		snprintf(item, sizeof(item), "\n.It Ic %s Ar ",
		    config_settings[i].name);
		assert_non_null(strstr(man, item));
	}
	if (strstr(man, gen) == NULL)
		fail_msg("man/mailorder.conf.5 is out of date: paste the "
		    "output of ./conf-doc into its OPTIONS section");
	free(gen);
	free(man);
}

/* The example is the generated one and loads without a problem. */
static void
test_example_matches_table(void **state)
{
	struct config *conf;
	struct err err;
	char path[4096], *ex, *gen = NULL, item[128];
	size_t i, len;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/examples/mailorder.conf", srcdir());
	ex = slurp(path);
	fp = open_memstream(&gen, &len);
	config_example_write(fp);
	fclose(fp);
	if (strcmp(ex, gen) != 0)
		fail_msg("examples/mailorder.conf is out of date: run "
		    "./conf-doc -e > examples/mailorder.conf");
	for (i = 0; i < config_nsettings; i++) {
		if (config_settings[i].type == CONFIG_TYPE_REFUSED)
			continue;
		snprintf(item, sizeof(item), "\n#%s =", config_settings[i].name);
		assert_non_null(strstr(ex, item));
	}
	assert_int_equal(config_load(path, &conf, NULL, &err), 0);
	config_free(conf);
	free(gen);
	free(ex);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_full_two_inboxes),
		cmocka_unit_test(test_problems),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test_setup_teardown(test_tls_none_only_explicit,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_negative_int,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_line_length_limit,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_secret_file,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_secret_credential,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test(test_token_command),
		cmocka_unit_test_setup_teardown(test_secret_never_shown,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_dump_round_trip,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_carriers,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_operators,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test(test_man_page_matches_table),
		cmocka_unit_test(test_example_matches_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

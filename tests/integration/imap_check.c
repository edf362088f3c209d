/*
 * imap_check: drives the imap/ module against a live server for
 * tests/integration/imap.sh.  One command per run; the result goes to
 * stdout as "key=value" words, a failure as "error CLASS: message" with
 * exit status 1 (2 for usage), so the shell test can assert both.
 *
 *   imap_check [-h host] [-p port] [-t implicit|starttls|none] [-u user]
 *              [-c cafile|-] [-T timeout] COMMAND ARGS...
 *   login
 *   select MAILBOX                          uidvalidity= uidnext= exists=
 *   fetch MAILBOX FIRST MAXBYTES MAXCOUNT OUTDIR
 *                                           batches= messages= next=
 *   move MAILBOX UID FOLDER                 (creates FOLDER if missing)
 *   seen MAILBOX UID
 *   append FOLDER FILE
 *   idle MAILBOX SECONDS [PAUSE_MS]         prints "idling", then woke= ms=
 *                                           (PAUSE_MS: sleep between SELECT
 *                                           and IDLE, to let mail arrive)
 *
 * The password comes from $IMAP_CHECK_PASSWORD, never from argv.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/error.h"
#include "imap/imap.h"
#include "imap/imap_int.h"

struct fetch_state {
	const char	*outdir;
	unsigned int	 count;
	unsigned int	 batches;
};

static int
fail(const struct err *err)
{
	printf("error %s: %s\n", err_class_name(err->cls), err->msg);
	return 1;
}

static int
usage(void)
{
	fprintf(stderr, "usage: imap_check [-h host] [-p port] [-t tls]"
	    " [-u user] [-c cafile|-] [-T timeout] command args...\n");
	return 2;
}

static int
save_message(uint32_t uid, const char *raw, size_t len, void *arg,
    struct err *err)
{
	struct fetch_state *st = arg;
	char path[4096];
	FILE *fp;
	int fd;

	snprintf(path, sizeof(path), "%s/%u.eml", st->outdir, uid);
	/* O_EXCL: a UID handed out twice is a test failure. */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd == -1)
		return err_set(err, ERR_FATAL, "cannot create '%s': %s", path,
		    strerror(errno));
	fp = fdopen(fd, "w");
	if (fp == NULL || fwrite(raw, 1, len, fp) != len || fclose(fp) != 0)
		return err_set(err, ERR_FATAL, "cannot write '%s'", path);
	st->count++;
	return 0;
}

/* One batch of imap_fetch_messages(): each message as save_message. */
static int
save_batch(const struct imap_message *m, size_t n, void *arg,
    struct err *err)
{
	struct fetch_state *st = arg;
	size_t i;

	st->batches++;
	for (i = 0; i < n; i++)
		if (save_message(m[i].uid, m[i].raw, m[i].len, arg, err) == -1)
			return -1;
	return 0;
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static char *
slurp(const char *path, size_t *len_r)
{
	char *data = NULL;
	size_t cap = 0, len = 0, n;
	FILE *fp;

	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	for (;;) {
		if (len + 4096 > cap) {
			cap = (cap + 4096) * 2;
			data = realloc(data, cap);
			if (data == NULL)
				abort();
		}
		n = fread(data + len, 1, cap - len, fp);
		if (n == 0)
			break;
		len += n;
	}
	fclose(fp);
	*len_r = len;
	return data;
}

static int
run(struct imap_session *s, int argc, char **argv, struct err *err)
{
	const char *cmd = argv[0];
	uint32_t uidvalidity, uidnext, next, uid;
	long long t0;
	int r;

	if (strcmp(cmd, "login") == 0 && argc == 1) {
		printf("ok\n");
		return 0;
	}
	if (strcmp(cmd, "select") == 0 && argc == 2) {
		if (imap_select(s, argv[1], &uidvalidity, &uidnext, err) == -1)
			return -1;
		printf("uidvalidity=%u uidnext=%u exists=%u\n", uidvalidity,
		    uidnext, s->imap->imap_selection_info->sel_exists);
		return 0;
	}
	if (strcmp(cmd, "fetch") == 0 && argc == 6) {
		struct fetch_state st = { argv[5], 0, 0 };

		if (imap_select(s, argv[1], NULL, NULL, err) == -1)
			return -1;
		next = (uint32_t)strtoul(argv[2], NULL, 10);
		for (;;) {
			r = imap_fetch_messages(s, next, strtoul(argv[3], NULL,
			    10), (unsigned int)strtoul(argv[4], NULL, 10),
			    save_batch, &st, &next, err);
			if (r == -1)
				return -1;
			if (r == 0)
				break;
		}
		printf("batches=%u messages=%u next=%u\n", st.batches,
		    st.count, next);
		return 0;
	}
	if (strcmp(cmd, "move") == 0 && argc == 4) {
		uid = (uint32_t)strtoul(argv[2], NULL, 10);
		if (imap_create_folder_if_missing(s, argv[3], err) == -1 ||
		    imap_select(s, argv[1], NULL, NULL, err) == -1 ||
		    imap_move_uids(s, &uid, 1, argv[3], err) == -1)
			return -1;
		printf("ok\n");
		return 0;
	}
	if (strcmp(cmd, "seen") == 0 && argc == 3) {
		uid = (uint32_t)strtoul(argv[2], NULL, 10);
		if (imap_select(s, argv[1], NULL, NULL, err) == -1 ||
		    imap_set_seen_uids(s, &uid, 1, err) == -1)
			return -1;
		printf("ok\n");
		return 0;
	}
	if (strcmp(cmd, "append") == 0 && argc == 3) {
		size_t len;
		char *raw = slurp(argv[2], &len);

		if (raw == NULL)
			return err_set(err, ERR_FATAL, "cannot read '%s'",
			    argv[2]);
		r = imap_append(s, argv[1], raw, len, IMAP_FLAG_SEEN, err);
		free(raw);
		if (r == -1)
			return -1;
		printf("ok\n");
		return 0;
	}
	if (strcmp(cmd, "idle") == 0 && (argc == 3 || argc == 4)) {
		if (imap_select(s, argv[1], NULL, NULL, err) == -1)
			return -1;
		printf("idling has_idle=%d\n", imap_has_idle(s));
		fflush(stdout);
		if (argc == 4)
			usleep((useconds_t)strtoul(argv[3], NULL, 10) * 1000);
		t0 = now_ms();
		r = imap_idle_wait(s, (unsigned int)strtoul(argv[2], NULL, 10),
		    err);
		if (r == -1)
			return -1;
		printf("woke=%d ms=%lld\n", r, now_ms() - t0);
		return 0;
	}
	return err_set(err, ERR_FATAL, "unknown command or wrong arguments");
}

int
main(int argc, char **argv)
{
	struct imap_conf conf;
	struct imap_session *s;
	struct err err;
	int ch, r;

	memset(&conf, 0, sizeof(conf));
	conf.host = "localhost";
	conf.port = 993;
	conf.tls = IMAP_TLS_IMPLICIT;
	conf.user = "shop@example.test";
	conf.timeout_s = 10;
	conf.password = getenv("IMAP_CHECK_PASSWORD");
	conf.oauth2_token = getenv("IMAP_CHECK_TOKEN");
	while ((ch = getopt(argc, argv, "+h:p:t:u:c:T:")) != -1) {
		switch (ch) {
		case 'h':
			conf.host = optarg;
			break;
		case 'p':
			conf.port = (unsigned int)strtoul(optarg, NULL, 10);
			break;
		case 't':
			if (strcmp(optarg, "implicit") == 0)
				conf.tls = IMAP_TLS_IMPLICIT;
			else if (strcmp(optarg, "starttls") == 0)
				conf.tls = IMAP_TLS_STARTTLS;
			else if (strcmp(optarg, "none") == 0)
				conf.tls = IMAP_TLS_NONE;
			else
				return usage();
			break;
		case 'u':
			conf.user = optarg;
			break;
		case 'c':
			conf.ca_file = strcmp(optarg, "-") == 0 ? NULL : optarg;
			break;
		case 'T':
			conf.timeout_s = (unsigned int)strtoul(optarg, NULL,
			    10);
			break;
		default:
			return usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		return usage();

	err_clear(&err);
	if ((s = imap_connect(&conf, &err)) == NULL)
		return fail(&err);
	r = run(s, argc, argv, &err);
	imap_logout(s);
	imap_session_free(s);
	if (r == -1)
		return fail(&err);
	return 0;
}

/*
 * Working in the selected mailbox: SELECT, fetching new messages by UID
 * in bounded batches, filing them (move, \Seen), creating folders,
 * APPEND, and waiting in IDLE.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <limits.h>
#include <poll.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "imap/imap_int.h"

int
imap_select(struct imap_session *s, const char *mailbox,
    uint32_t *uidvalidity_r, uint32_t *uidnext_r, struct err *err)
{
	struct mailimap_selection_info *sel;
	char what[300];
	int r;

	snprintf(what, sizeof(what), "imap select '%s'", mailbox);
	if ((r = mailimap_select(s->imap, mailbox)) != MAILIMAP_NO_ERROR)
		return imap_fail(s, r, ERR_CONFIG, err, what);
	sel = s->imap->imap_selection_info;
	if (uidvalidity_r != NULL)
		*uidvalidity_r = sel != NULL ? sel->sel_uidvalidity : 0;
	if (uidnext_r != NULL)
		*uidnext_r = sel != NULL ? sel->sel_uidnext : 0;
	return 0;
}

/* One message of a batch: what UID FETCH (UID RFC822.SIZE) said, then
 * where its body sits in the second fetch's result. */
struct batch_msg {
	uint32_t	 uid;
	uint32_t	 size;
	const char	*body;
	size_t		 len;
	int		 seen;
};

static int
batch_msg_cmp(const void *a, const void *b)
{
	const struct batch_msg *x = a, *y = b;

	return x->uid < y->uid ? -1 : x->uid > y->uid;
}

/* Pull UID, RFC822.SIZE and BODY[] out of one FETCH response. */
static void
msg_att_parse(struct mailimap_msg_att *att, uint32_t *uid_r,
    uint32_t *size_r, const char **body_r, size_t *len_r)
{
	struct mailimap_msg_att_item *item;
	struct mailimap_msg_att_static *st;
	clistiter *it;

	*uid_r = 0;
	*size_r = 0;
	*body_r = NULL;
	*len_r = 0;
	for (it = clist_begin(att->att_list); it != NULL;
	    it = clist_next(it)) {
		item = clist_content(it);
		if (item->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC)
			continue;
		st = item->att_data.att_static;
		switch (st->att_type) {
		case MAILIMAP_MSG_ATT_UID:
			*uid_r = st->att_data.att_uid;
			break;
		case MAILIMAP_MSG_ATT_RFC822_SIZE:
			*size_r = st->att_data.att_rfc822_size;
			break;
		case MAILIMAP_MSG_ATT_BODY_SECTION:
			*body_r = st->att_data.att_body_section->sec_body_part;
			*len_r = st->att_data.att_body_section->sec_length;
			break;
		default:
			break;
		}
	}
}

/*
 * The listing asks for this many UIDs at a time: libetpan keeps a whole
 * response in memory, a few hundred bytes a message, and one
 * first:* over a backlog of 100,000 messages doubled the daemon's RSS.
 */
#define LIST_WINDOW	10000

/* UID FETCH lo:hi (UID RFC822.SIZE), hi 0 meaning '*', appended to
 * *msgs_r (n_r entries). */
static int
batch_list_range(struct imap_session *s, uint32_t lo, uint32_t hi,
    struct batch_msg **msgs_r, size_t *n_r, struct err *err)
{
	struct mailimap_fetch_type *type;
	struct mailimap_set *set;
	struct batch_msg *msgs;
	clist *result = NULL;
	clistiter *it;
	const char *body;
	size_t n = *n_r, len;
	uint32_t uid, size;
	int r;

	type = mailimap_fetch_type_new_fetch_att_list_empty();
	mailimap_fetch_type_new_fetch_att_list_add(type,
	    mailimap_fetch_att_new_uid());
	mailimap_fetch_type_new_fetch_att_list_add(type,
	    mailimap_fetch_att_new_rfc822_size());
	set = mailimap_set_new_interval(lo, hi);
	r = mailimap_uid_fetch(s->imap, set, type, &result);
	mailimap_set_free(set);
	mailimap_fetch_type_free(type);
	if (r != MAILIMAP_NO_ERROR)	/* result already freed on NO/BAD */
		return imap_fail(s, r, ERR_TEMP, err, "imap uid fetch sizes");

	msgs = xreallocarray(*msgs_r, n + clist_count(result) + 1,
	    sizeof(*msgs));
	for (it = clist_begin(result); it != NULL; it = clist_next(it)) {
		msg_att_parse(clist_content(it), &uid, &size, &body, &len);
		/* n:* always matches the highest UID, even below n. */
		if (uid < lo || uid == 0 || (hi != 0 && uid > hi))
			continue;
		memset(&msgs[n], 0, sizeof(msgs[n]));
		msgs[n].uid = uid;
		msgs[n].size = size;
		n++;
	}
	mailimap_fetch_list_free(result);
	*msgs_r = msgs;
	*n_r = n;
	return 0;
}

/*
 * The candidates from first on, sorted by UID: window after window up to
 * the UIDNEXT the SELECT reported, then whatever came since (max:*).
 */
static int
batch_list(struct imap_session *s, uint32_t first, struct batch_msg **msgs_r,
    size_t *n_r, struct err *err)
{
	struct mailimap_selection_info *sel = s->imap->imap_selection_info;
	uint32_t next = sel != NULL ? sel->sel_uidnext : 0, lo = first, hi;

	*msgs_r = NULL;
	*n_r = 0;
	while (next > 0 && lo < next) {
		hi = next - lo > LIST_WINDOW ? lo + LIST_WINDOW - 1 : next - 1;
		if (batch_list_range(s, lo, hi, msgs_r, n_r, err) == -1)
			goto fail;
		lo = hi + 1;
	}
	if (batch_list_range(s, lo, 0, msgs_r, n_r, err) == -1)
		goto fail;
	qsort(*msgs_r, *n_r, sizeof(**msgs_r), batch_msg_cmp);
	return 0;
fail:
	free(*msgs_r);
	*msgs_r = NULL;
	*n_r = 0;
	return -1;
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One UID FETCH BODY.PEEK[] for msgs[0..take); contiguous UIDs become
 * ranges.  Hands cb everything up to the first UID that did not come
 * back; that one fails the call after the others are handled.  Returns
 * the number handed over, or -1. */
static int
fetch_listed(struct imap_session *s, struct batch_msg *msgs, size_t take,
    imap_batch_cb *cb, void *arg, struct err *err)
{
	struct imap_message *out;
	struct mailimap_fetch_type *type;
	struct mailimap_section *section;
	struct mailimap_set *set;
	struct batch_msg key, *m;
	clist *result = NULL;
	clistiter *it;
	size_t i, len, run;
	const char *body;
	uint32_t uid, size;
	long long t0;
	int r;

	set = mailimap_set_new_empty();
	for (i = 0; i < take; i = run) {
		run = i + 1;
		while (run < take && msgs[run].uid == msgs[run - 1].uid + 1)
			run++;
		if (run - i == 1)
			mailimap_set_add_single(set, msgs[i].uid);
		else
			mailimap_set_add_interval(set, msgs[i].uid,
			    msgs[run - 1].uid);
	}
	type = mailimap_fetch_type_new_fetch_att_list_empty();
	mailimap_fetch_type_new_fetch_att_list_add(type,
	    mailimap_fetch_att_new_uid());
	section = mailimap_section_new(NULL);
	mailimap_fetch_type_new_fetch_att_list_add(type,
	    mailimap_fetch_att_new_body_peek_section(section));
	t0 = now_ms();
	r = mailimap_uid_fetch(s->imap, set, type, &result);
	mailimap_set_free(set);
	mailimap_fetch_type_free(type);
	if (r != MAILIMAP_NO_ERROR)
		return imap_fail(s, r, ERR_TEMP, err, "imap uid fetch");
	/* The server's part of a batch, apart from ours (see the filing's
	 * time in ingest/batch.c). */
	log_debug("imap %s:%u: fetched %zu message%s in %lld ms", s->host,
	    s->port, take, take == 1 ? "" : "s", now_ms() - t0);

	for (it = clist_begin(result); it != NULL; it = clist_next(it)) {
		msg_att_parse(clist_content(it), &uid, &size, &body, &len);
		key.uid = uid;
		m = bsearch(&key, msgs, take, sizeof(*msgs), batch_msg_cmp);
		/* Unasked-for FETCH lines (flag changes) are ignored. */
		if (m == NULL || body == NULL)
			continue;
		m->body = body;
		m->len = len;
		m->seen = 1;
	}

	out = xcalloc(take, sizeof(*out));
	for (i = 0; i < take && msgs[i].seen; i++) {
		out[i].uid = msgs[i].uid;
		out[i].raw = msgs[i].body;
		out[i].len = msgs[i].len;
	}
	r = (int)i;
	if (i > 0 && cb(out, i, arg, err) == -1)
		r = -1;
	else if (i < take)
		r = err_set(err, ERR_TEMP, "imap uid fetch on %s:%u:"
		    " uid %u did not come back (expunged meanwhile?)",
		    s->host, s->port, msgs[i].uid);
	free(out);
	mailimap_fetch_list_free(result);
	return r;
}

/* How many of msgs[0..n) make the next batch: whole messages in memory,
 * so the bytes are bounded too. */
static size_t
batch_take(const struct batch_msg *msgs, size_t n, size_t max_bytes,
    unsigned int max_count)
{
	size_t take, bytes = 0;

	for (take = 0; take < n && take < max_count; take++) {
		if (take > 0 && bytes + msgs[take].size > max_bytes)
			break;
		bytes += msgs[take].size;
	}
	return take;
}

/* List once, then fetch batch after batch from that list. */
static int
fetch_batches(struct imap_session *s, uint32_t first_uid, size_t max_bytes,
    unsigned int max_count, imap_batch_cb *cb, void *arg,
    uint32_t *next_uid_r, struct err *err)
{
	struct batch_msg *msgs = NULL;
	size_t n = 0, done = 0, take;
	int r, total = 0;

	if (first_uid == 0)
		first_uid = 1;
	if (max_count == 0)
		max_count = UINT_MAX;
	if (next_uid_r != NULL)
		*next_uid_r = first_uid;
	if (batch_list(s, first_uid, &msgs, &n, err) == -1)
		return -1;
	while (done < n) {
		take = batch_take(msgs + done, n - done, max_bytes, max_count);
		r = fetch_listed(s, msgs + done, take, cb, arg, err);
		if (r > 0 && next_uid_r != NULL)
			*next_uid_r = msgs[done + (size_t)r - 1].uid + 1;
		if (r == -1 || (size_t)r < take) {
			total = -1;
			break;
		}
		total += r;
		done += take;
	}
	free(msgs);
	return total;
}

int
imap_fetch_messages(struct imap_session *s, uint32_t first_uid,
    size_t max_bytes, unsigned int max_count, imap_batch_cb *cb, void *arg,
    uint32_t *next_uid_r, struct err *err)
{
	return fetch_batches(s, first_uid, max_bytes, max_count, cb, arg,
	    next_uid_r, err);
}

/* A UID set for uids[0..n): consecutive runs become ranges, so a batch
 * filed at once travels as "1:100" and not as a hundred numbers. */
static struct mailimap_set *
uid_set(const uint32_t *uids, size_t n)
{
	struct mailimap_set *set = mailimap_set_new_empty();
	size_t i = 0, j;

	while (i < n) {
		for (j = i; j + 1 < n && uids[j + 1] == uids[j] + 1; j++)
			;
		if (i == j)
			mailimap_set_add_single(set, uids[i]);
		else
			mailimap_set_add_interval(set, uids[i], uids[j]);
		i = j + 1;
	}
	return set;
}

static int
store_flag(struct imap_session *s, struct mailimap_set *set,
    struct mailimap_flag *flag, struct err *err, const char *what)
{
	struct mailimap_flag_list *fl;
	struct mailimap_store_att_flags *sf;
	int r;

	fl = mailimap_flag_list_new_empty();
	mailimap_flag_list_add(fl, flag);
	sf = mailimap_store_att_flags_new_add_flags_silent(fl);
	r = mailimap_uid_store(s->imap, set, sf);
	mailimap_store_att_flags_free(sf);
	if (r != MAILIMAP_NO_ERROR)
		return imap_fail(s, r, ERR_TEMP, err, what);
	return 0;
}

int
imap_set_seen_uids(struct imap_session *s, const uint32_t *uids, size_t n,
    struct err *err)
{
	struct mailimap_set *set;
	char what[64];
	int rc;

	if (n == 0)
		return 0;
	snprintf(what, sizeof(what), "imap set \\Seen on %zu message%s", n,
	    n == 1 ? "" : "s");
	set = uid_set(uids, n);
	rc = store_flag(s, set, mailimap_flag_new_seen(), err, what);
	mailimap_set_free(set);
	return rc;
}

int
imap_move_uids(struct imap_session *s, const uint32_t *uids, size_t n,
    const char *folder, struct err *err)
{
	struct mailimap_set *set;
	char what[300];
	int r;

	if (n == 0)
		return 0;
	snprintf(what, sizeof(what), "imap move %zu message%s to '%s'", n,
	    n == 1 ? "" : "s", folder);
	set = uid_set(uids, n);
	if (mailimap_has_extension(s->imap, "MOVE")) {
		r = mailimap_uid_move(s->imap, set, folder);
		mailimap_set_free(set);
		if (r != MAILIMAP_NO_ERROR)
			return imap_fail(s, r, ERR_CONFIG, err, what);
		return 0;
	}
	r = mailimap_uid_copy(s->imap, set, folder);
	if (r != MAILIMAP_NO_ERROR) {
		mailimap_set_free(set);
		return imap_fail(s, r, ERR_CONFIG, err, what);
	}
	if (store_flag(s, set, mailimap_flag_new_deleted(), err, what) == -1) {
		mailimap_set_free(set);
		return -1;
	}
	if (mailimap_has_uidplus(s->imap)) {
		r = mailimap_uid_expunge(s->imap, set);
		if (r != MAILIMAP_NO_ERROR) {
			mailimap_set_free(set);
			return imap_fail(s, r, ERR_TEMP, err, what);
		}
	}
	mailimap_set_free(set);
	return 0;
}

int
imap_create_folder_if_missing(struct imap_session *s, const char *folder,
    struct err *err)
{
	clist *list = NULL;
	char what[300];
	int r, found;

	snprintf(what, sizeof(what), "imap list '%s'", folder);
	r = mailimap_list(s->imap, "", folder, &list);
	if (r != MAILIMAP_NO_ERROR)
		return imap_fail(s, r, ERR_TEMP, err, what);
	found = list != NULL && clist_count(list) > 0;
	if (list != NULL)
		mailimap_list_result_free(list);
	if (found)
		return 0;
	snprintf(what, sizeof(what), "imap create '%s'", folder);
	if ((r = mailimap_create(s->imap, folder)) != MAILIMAP_NO_ERROR)
		return imap_fail(s, r, ERR_CONFIG, err, what);
	return 0;
}

int
imap_append(struct imap_session *s, const char *folder, const char *raw,
    size_t len, unsigned int flags, struct err *err)
{
	struct mailimap_flag_list *fl;
	char what[300];
	int r;

	fl = mailimap_flag_list_new_empty();
	if (flags & IMAP_FLAG_SEEN)
		mailimap_flag_list_add(fl, mailimap_flag_new_seen());
	if (flags & IMAP_FLAG_ANSWERED)
		mailimap_flag_list_add(fl, mailimap_flag_new_answered());
	if (flags & IMAP_FLAG_FLAGGED)
		mailimap_flag_list_add(fl, mailimap_flag_new_flagged());
	if (flags & IMAP_FLAG_DRAFT)
		mailimap_flag_list_add(fl, mailimap_flag_new_draft());
	snprintf(what, sizeof(what), "imap append to '%s'", folder);
	r = mailimap_append(s->imap, folder, fl, NULL, raw, len);
	mailimap_flag_list_free(fl);
	if (r != MAILIMAP_NO_ERROR)
		return imap_fail(s, r, ERR_CONFIG, err, what);
	return 0;
}

static volatile sig_atomic_t *imap_interrupt;
static int imap_interrupt_fd = -1;

void
imap_set_interrupt(volatile sig_atomic_t *flag, int fd)
{
	imap_interrupt = flag;
	imap_interrupt_fd = fd;
}

static int
idle_interrupted(void)
{
	char buf[64];

	/* Empty the pipe: the byte that woke us is spent. */
	if (imap_interrupt_fd != -1)
		while (read(imap_interrupt_fd, buf, sizeof(buf)) > 0)
			;
	return imap_interrupt != NULL && *imap_interrupt;
}

/* Wait up to ms for the server to say something while idling.
 * Returns 1 (data), 0 (timeout, or a signal set the interrupt flag) or
 * -1 (errno). */
static int
idle_poll(struct imap_session *s, long long ms)
{
	mailstream *stream = s->imap->imap_stream;
	struct pollfd pfd[2];
	long long deadline = now_ms() + ms;
	int r;

	/* "+ idling" and "* N EXISTS" can arrive in one packet; then the
	 * EXISTS already sits in libetpan's or GnuTLS's buffer and poll()
	 * on the socket would sleep the whole timeout. */
	if (stream->read_buffer_len > 0 ||
	    imap_tls_pending(mailstream_get_low(stream)))
		return 1;
	pfd[0].fd = mailstream_low_get_fd(mailstream_get_low(stream));
	pfd[0].events = POLLIN;
	/* The signal handler's pipe: a signal that came before poll()
	 * began (while IDLE was being sent, say) still ends the wait. */
	pfd[1].fd = imap_interrupt_fd;
	pfd[1].events = POLLIN;
	for (;;) {
		if (idle_interrupted())
			return 0;
		if ((ms = deadline - now_ms()) <= 0)
			return 0;
		pfd[0].revents = pfd[1].revents = 0;
		r = poll(pfd, imap_interrupt_fd != -1 ? 2 : 1, (int)ms);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			return -1;
		if (r == 0 || (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)))
			return r > 0 ? 1 : 0;
	}
}

int
imap_idle_wait(struct imap_session *s, unsigned int seconds, struct err *err)
{
	long long deadline = now_ms() + (long long)seconds * 1000, left;
	int r, w;

	if (!mailimap_has_idle(s->imap))
		return err_set(err, ERR_CONFIG, "imap idle on %s:%u: server"
		    " does not offer IDLE", s->host, s->port);
	for (;;) {
		if ((r = mailimap_idle(s->imap)) != MAILIMAP_NO_ERROR)
			return imap_fail(s, r, ERR_TEMP, err, "imap idle");
		left = deadline - now_ms();
		w = left > 0 ? idle_poll(s, left) : 0;
		if (w == -1)
			return err_set(err, ERR_TEMP, "imap idle on %s:%u: %s",
			    s->host, s->port, strerror(errno));
		/* DONE makes the server flush its news; libetpan parses the
		 * untagged EXISTS into the selection info on the way. */
		if ((r = mailimap_idle_done(s->imap)) != MAILIMAP_NO_ERROR)
			return imap_fail(s, r, ERR_TEMP, err, "imap idle done");
		if (s->imap->imap_selection_info != NULL &&
		    s->imap->imap_selection_info->sel_has_exists)
			return 1;
		if (w == 0 || deadline - now_ms() <= 0)
			return 0;
	}
}

/*
 * IMAP behind the mail-source interface (ingest/source.h): one selected
 * mailbox of one session.  Only translation; the IMAP work is in
 * mailbox.c.
 */
#include "config.h"

#include <stdlib.h>

#include "common/xmalloc.h"
#include "imap/imap.h"
#include "ingest/source.h"

struct imap_source_fetch {
	source_batch_cb	*cb;
	void		*arg;
};

static int
imap_source_batch(const struct imap_message *msgs, size_t n, void *arg,
    struct err *err)
{
	struct imap_source_fetch *f = arg;
	struct source_message *m = xcalloc(n + 1, sizeof(*m));
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		m[i].uid = msgs[i].uid;
		m[i].raw = msgs[i].raw;
		m[i].len = msgs[i].len;
	}
	rc = f->cb(m, n, f->arg, err);
	free(m);
	return rc;
}

static int
imap_source_fetch(void *h, uint32_t first, size_t max_bytes,
    unsigned int max_count, source_batch_cb *cb, void *arg,
    uint32_t *next_r, struct err *err)
{
	struct imap_source_fetch f = { cb, arg };

	return imap_fetch_messages(h, first, max_bytes, max_count,
	    imap_source_batch, &f, next_r, err);
}

static int
imap_source_move(void *h, const uint32_t *uids, size_t n,
    const char *folder, struct err *err)
{
	return imap_move_uids(h, uids, n, folder, err);
}

static int
imap_source_seen(void *h, const uint32_t *uids, size_t n, struct err *err)
{
	return imap_set_seen_uids(h, uids, n, err);
}

static int
imap_source_append(void *h, const char *folder, const char *msg,
    size_t len, struct err *err)
{
	return imap_append(h, folder, msg, len, IMAP_FLAG_SEEN, err);
}

static const struct source_ops imap_source_ops = {
	.fetch = imap_source_fetch,
	.move = imap_source_move,
	.seen = imap_source_seen,
	.append = imap_source_append,
};

void
imap_source_init(struct source *src, struct imap_session *s,
    const char *key, uint32_t uidvalidity)
{
	src->ops = &imap_source_ops;
	src->h = s;
	src->key = key;
	src->uidvalidity = uidvalidity;
}

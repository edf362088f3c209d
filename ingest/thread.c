/*
 * Which order a message answers; see thread.h.
 *
 * Our Message-IDs are random, so a message naming one in In-Reply-To or
 * References answers that reply's order, whoever sends it (a colleague
 * answering for the customer is still the customer's answer).  Our tag in
 * the subject ("Re: Order [MO-58]") is easy to type, so it only counts
 * from the customer the order belongs to.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/xmalloc.h"
#include "engine/engine.h"
#include "ingest/thread.h"
#include "store/thread.h"

#define THREAD_IDS_MAX		20	/* ids of References looked at */
#define THREAD_ID_MAX		500	/* bytes of one msg-id */

/* The msg-ids of list ("<a@b> <c@d>"), brackets removed, at most max,
 * into ids[] (malloc'd strings).  Returns how many. */
static size_t
thread_ids(const char *list, char **ids, size_t max)
{
	const char *p = list, *lt, *gt;
	size_t n = 0;

	if (list == NULL)
		return 0;
	while (n < max && (lt = strchr(p, '<')) != NULL &&
	    (gt = strchr(lt, '>')) != NULL) {
		if (gt - lt - 1 > 0 && gt - lt - 1 <= THREAD_ID_MAX)
			ids[n++] = xstrndup(lt + 1, (size_t)(gt - lt - 1));
		p = gt + 1;
	}
	return n;
}

/* Look each id up, newest first: In-Reply-To, then References from its
 * end (the newest) back to the thread's root. */
static int
thread_by_ids(struct store *st, const struct engine_result *res,
    int64_t *order_id_r, struct err *err)
{
	char *ids[THREAD_IDS_MAX + 1];
	size_t n, i;
	int rc = 0;

	n = thread_ids(res->msg.in_reply_to, ids, 1);
	for (i = 0; i < n && rc == 0; i++)
		rc = store_thread_order_of_reply(st, ids[i], order_id_r, err);
	for (i = 0; i < n; i++)
		free(ids[i]);
	if (rc != 0)
		return rc;
	n = thread_ids(res->msg.references, ids, THREAD_IDS_MAX);
	for (i = n; i > 0 && rc == 0; i--)
		rc = store_thread_order_of_reply(st, ids[i - 1], order_id_r,
		    err);
	for (i = 0; i < n; i++)
		free(ids[i]);
	return rc;
}

int
ingest_thread_tag(const char *subject, char ref[STORE_REF_MAX])
{
	const char *p = subject, *d;
	size_t n;

	while (p != NULL && (p = strchr(p, '[')) != NULL) {
		p++;
		if (strncasecmp(p, "MO-", 3) != 0)
			continue;
		for (d = p + 3, n = 0; isdigit((unsigned char)d[n]); n++)
			;
		if (n == 0 || n > 18 || d[n] != ']')
			continue;
		snprintf(ref, STORE_REF_MAX, "MO-%.*s", (int)n, d);
		return 1;
	}
	return 0;
}

int
ingest_thread_find(struct store *st, const struct engine_result *res,
    int64_t *order_id_r, struct err *err)
{
	char ref[STORE_REF_MAX];
	int rc;

	/* An out-of-office or a bounce that quotes our reply is no
	 * answer: it stays an ignored message of its own. */
	if (res->status == ENGINE_IGNORED)
		return 0;
	if ((rc = thread_by_ids(st, res, order_id_r, err)) != 0)
		return rc;
	if (!ingest_thread_tag(res->msg.subject, ref))
		return 0;
	return store_thread_order_of_ref(st, ref, res->customer_id,
	    res->msg.from_addr, order_id_r, err);
}

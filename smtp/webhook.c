/*
 * Posting webhook events (store/webhook.h) with libcurl: the order as
 * JSON, with
 *   Idempotency-Key: <order ref>-<event>-<order version>
 *   X-Mailorder-Event: <event>
 *   X-Mailorder-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "t.body">
 * TLS is verified (libcurl's defaults, never turned off); plain http is
 * only ever sent to this machine.  Connection errors, timeouts, 5xx, 408
 * and 429 are retried with a doubling wait; any other answer but 2xx
 * fails the event for good, as does an event older than give_up_after.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "common/log.h"
#include "common/sha256.h"
#include "config/conf.h"
#include "smtp/smtp.h"
#include "store/webhook.h"

#define WEBHOOK_BATCH	50

static size_t
webhook_discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;	/* the receiver's answer is its status */
}

/* POST one event: the HTTP status, or 0 with why in error[] when no
 * answer came (connection, TLS, timeout). */
static long
webhook_post(const struct config_webhook *w, const char *secret,
    const struct store_webhook_item *it, time_t now, char *error,
    size_t errlen)
{
	struct curl_slist *h = NULL;
	char line[256], mac_hex[SHA256_HEX_LEN], *signed_text;
	uint8_t mac[SHA256_LEN];
	size_t blen = strlen(it->body);
	CURL *c;
	CURLcode rc;
	long status = 0;

	if ((c = curl_easy_init()) == NULL) {
		snprintf(error, errlen, "cannot start libcurl");
		return 0;
	}
	/* What is signed is "t.body", so a receiver can refuse replays of
	 * an old body with its time. */
	if ((signed_text = malloc(blen + 32)) == NULL) {
		curl_easy_cleanup(c);
		snprintf(error, errlen, "out of memory");
		return 0;
	}
	snprintf(signed_text, blen + 32, "%lld.%s", (long long)now, it->body);
	hmac_sha256(secret, strlen(secret), signed_text, strlen(signed_text),
	    mac);
	free(signed_text);
	sha256_hex(mac, mac_hex);
	h = curl_slist_append(h, "Content-Type: application/json");
	snprintf(line, sizeof(line), "Idempotency-Key: %s", it->key);
	h = curl_slist_append(h, line);
	snprintf(line, sizeof(line), "X-Mailorder-Event: %s", it->event);
	h = curl_slist_append(h, line);
	snprintf(line, sizeof(line), "X-Mailorder-Signature: t=%lld,v1=%s",
	    (long long)now, mac_hex);
	h = curl_slist_append(h, line);
	h = curl_slist_append(h, "Expect:");	/* no 100-continue round */
	curl_easy_setopt(c, CURLOPT_URL, w->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	if (w->ca_file != NULL)
		curl_easy_setopt(c, CURLOPT_CAINFO, w->ca_file);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, w->timeout);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, w->timeout);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, it->body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)blen);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "mailorder/" PACKAGE_VERSION);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, webhook_discard);
	if ((rc = curl_easy_perform(c)) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	else
		snprintf(error, errlen, "%s", curl_easy_strerror(rc));
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return status;
}

static int
webhook_transient(long status)
{
	return status == 0 || status >= 500 || status == 408 || status == 429;
}

/* The wait before attempt n + 1: retry_initial doubled n - 1 times,
 * at most retry_max. */
static time_t
webhook_backoff(const struct config_webhook *w, int attempts)
{
	long wait = w->retry_initial;
	int i;

	for (i = 1; i < attempts && wait < w->retry_max; i++)
		wait *= 2;
	return wait < w->retry_max ? wait : w->retry_max;
}

static int
webhook_one(struct store *st, const struct config_webhook *w,
    const char *secret, const struct store_webhook_item *it,
    struct smtp_webhook_stats *stats, struct err *err)
{
	char error[CURL_ERROR_SIZE + 64] = "";
	time_t now = time(NULL);	/* signed, and the wait counts from */
	long status = webhook_post(w, secret, it, now, error, sizeof(error));

	if (status >= 200 && status < 300) {
		stats->sent++;
		log_debug("webhook %s: delivered (HTTP %ld)", it->key, status);
		return store_webhook_sent(st, it->id, now, err);
	}
	if (status != 0)
		snprintf(error, sizeof(error), "HTTP %ld", status);
	if (webhook_transient(status) &&
	    now - it->created_at < (time_t)w->give_up_after * 3600) {
		stats->retried++;
		log_info("webhook %s: %s, trying again later", it->key, error);
		return store_webhook_retry(st, it->id, now +
		    webhook_backoff(w, it->attempts + 1), error, err);
	}
	stats->failed++;
	log_warnx("webhook %s: %s: failed, see mailorder webhook", it->key,
	    error);
	return store_webhook_failed(st, it->id, now, error, err);
}

int
smtp_webhook_send(struct store *st, const struct config_webhook *w,
    time_t due, struct smtp_webhook_stats *stats, struct err *err)
{
	struct store_webhook_item *items;
	char *secret = NULL;
	int n, i, rc = 0;

	memset(stats, 0, sizeof(*stats));
	if (!w->enabled)
		return 0;
	/* Checked at load as well: a URL that is neither https nor to this
	 * machine never gets an event. */
	if (strncmp(w->url, "https://", 8) != 0 && !config_url_loopback(w->url))
		return err_set(err, ERR_CONFIG, "webhook url '%s' is not "
		    "https", w->url);
	if ((n = store_webhook_due(st, due, WEBHOOK_BATCH, &items, err)) <= 0)
		return n;
	if (config_secret_read(&w->secret, &secret, err) == -1) {
		store_webhook_items_free(items, (size_t)n);
		return -1;
	}
	for (i = 0; i < n && rc == 0; i++)
		rc = webhook_one(st, w, secret, &items[i], stats, err);
	config_secret_wipe(secret);
	store_webhook_items_free(items, (size_t)n);
	return rc;
}

/*
 * Alert and digest mails to a person ([alerts] to).  Each is an
 * ordinary message for the outbox; its Message-ID names what it is
 * about and the period it falls in (alert.HASH.PERIOD@host,
 * digest.YYYYMMDD@host), so the outbox's unique Message-ID is what lets
 * one through per period: a second one in the same period is refused as
 * "queued already", across restarts too, with no table of its own.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "health/health.h"
#include "reply/mime.h"

/* FNV-1a: a stable short name for a problem key. */
static uint64_t
alert_hash(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static void
alert_head(const struct health_alert_conf *c, const char *subject,
    const char *msgid, time_t now, struct buf *out)
{
	char date[64];
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S %z", &tm);
	reply_mime_address(out, "From", c->from_name, c->from);
	reply_mime_address(out, "To", NULL, c->to);
	reply_mime_header(out, "Subject", subject);
	buf_addf(out, "Date: %s\r\nMessage-ID: <%s>\r\n", date, msgid);
	/* RFC 3834: nobody should answer it automatically. */
	buf_adds(out, "Auto-Submitted: auto-generated\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
}

int
health_alert_compose(const struct health_alert_conf *c, const char *key,
    enum health_level level, const char *text, time_t now, struct buf *out,
    char *msgid, size_t msgidlen)
{
	char subject[400];
	struct buf body;

	if (c->period <= 0 || !reply_mime_addr_ok(c->to) ||
	    !reply_mime_addr_ok(c->from))
		return -1;
	snprintf(msgid, msgidlen, "alert.%016llx.%lld@%s",
	    (unsigned long long)alert_hash(key),
	    (long long)(now / c->period), c->hostname);
	snprintf(subject, sizeof(subject), "[mailorder] %s: %s",
	    level == HEALTH_CRITICAL ? "CRITICAL" : "WARNING", text);
	alert_head(c, subject, msgid, now, out);
	buf_init(&body, BUF_NOLIMIT);
	buf_addf(&body, "mailorder on %s: %s\n\n%s\n\n"
	    "Run 'mailorder status' there for the whole picture.  This alert "
	    "is sent at most once every %ld hours while it lasts.\n",
	    c->hostname, health_level_name(level), text, c->period / 3600);
	reply_mime_qp(out, buf_str(&body), body.len);
	buf_release(&body);
	return 0;
}

/* "5 h" and the like. */
static void
digest_age(long s, char *buf, size_t n)
{
	if (s < 3600)
		snprintf(buf, n, "%ld min", s / 60);
	else if (s < 172800)
		snprintf(buf, n, "%ld h", s / 3600);
	else
		snprintf(buf, n, "%ld days", s / 86400);
}

int
health_digest_compose(const struct health_alert_conf *c,
    const struct store_health *h, const struct store_day *y, time_t now,
    struct buf *out, char *msgid, size_t msgidlen)
{
	char line[300], age[32], day[16];
	struct tm tm;
	struct buf body;
	int n;

	if (!reply_mime_addr_ok(c->to) || !reply_mime_addr_ok(c->from))
		return -1;
	localtime_r(&now, &tm);
	strftime(day, sizeof(day), "%Y%m%d", &tm);
	snprintf(msgid, msgidlen, "digest.%s@%s", day, c->hostname);
	if (h->flagged > 0) {
		digest_age((long)(now - h->oldest_flagged), age, sizeof(age));
		n = snprintf(line, sizeof(line), "%lld order%s waiting, oldest "
		    "%s", (long long)h->flagged, h->flagged == 1 ? "" : "s",
		    age);
	} else
		n = snprintf(line, sizeof(line), "no orders waiting");
	if (n > 0 && (size_t)n < sizeof(line))
		snprintf(line + n, sizeof(line) - (size_t)n,
		    "; %lld confirmed yesterday, %lld%% touchless",
		    (long long)y->confirmed, y->confirmed > 0 ?
		    (long long)(y->touchless * 100 / y->confirmed) : 100LL);
	alert_head(c, line, msgid, now, out);
	buf_init(&body, BUF_NOLIMIT);
	buf_addf(&body, "Good morning from mailorder on %s.\n\n%s.\n\n"
	    "Yesterday %lld orders came in by mail; %lld were confirmed, %lld "
	    "of them without anybody touching them.\n", c->hostname, line,
	    (long long)y->orders, (long long)y->confirmed,
	    (long long)y->touchless);
	reply_mime_qp(out, buf_str(&body), body.len);
	buf_release(&body);
	return 0;
}

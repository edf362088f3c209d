/*
 * Composing and queueing replies; see reply.h.
 *
 * Everything that comes from a customer's email (names, subject, words,
 * message ids) is cleaned or validated before it reaches the message:
 * header values go through reply/mime.c, message ids must be plain
 * msg-ids, and an address that is not a plain addr-spec gets no reply at
 * all.  The no-loop rules live here too, so `mailorder preview`, the
 * daemon and the operator's commands all apply the same ones.
 */
#include "config.h"

#include <sys/random.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "common/qty.h"
#include "common/xmalloc.h"
#include "reply/mime.h"
#include "reply/reply.h"
#include "reply/template.h"
#include "store/outbox.h"
#include "store/store.h"

#define REPLY_VALUE_MAX		500	/* bytes of one value from an email */
#define REPLY_SUBJECT_MAX	200
#define REPLY_REFS_MAX		10	/* References keeps the newest ids */
#define REPLY_TEXT_MAX		(16 * 1024)	/* the operator's words */

static const char *const reply_kinds[] = {
	[REPLY_CONFIRMATION] = "confirmation",
	[REPLY_ACKNOWLEDGEMENT] = "acknowledgement",
	[REPLY_QUESTION] = "question",
	[REPLY_REJECTION] = "rejection",
	[REPLY_SHIPPING] = "shipping",
	[REPLY_RECEIPT] = "receipt",
};

const char *
reply_kind_name(enum reply_kind k)
{
	if ((size_t)k >= sizeof(reply_kinds) / sizeof(reply_kinds[0]))
		return "confirmation";
	return reply_kinds[k];
}

int
reply_kind_automatic(enum reply_kind k)
{
	return k == REPLY_CONFIRMATION || k == REPLY_ACKNOWLEDGEMENT ||
	    k == REPLY_RECEIPT;
}

/* A customer ID that can name a folder: letters, digits, '.', '-' and
 * '_', not starting with '.', so no ID can reach outside the templates
 * folder. */
static int
reply_id_is_name(const char *id)
{
	const char *p;

	if (id == NULL || *id == '\0' || *id == '.' || strlen(id) > 64)
		return 0;
	for (p = id; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-' &&
		    *p != '_')
			return 0;
	return 1;
}

/* The template of kind k: the customer's own drop-in
 * (DIR/customers/ID/KIND.txt) when there is one, else DIR/KIND.txt. */
static struct reply_template *
reply_template_of(const char *dir, const char *customer_id, enum reply_kind k,
    struct err *err)
{
	char path[4096];

	if (dir == NULL)
		dir = ".";
	if (reply_id_is_name(customer_id)) {
		snprintf(path, sizeof(path), "%s/customers/%s/%s.txt", dir,
		    customer_id, reply_kind_name(k));
		if (access(path, F_OK) == 0)
			return reply_template_load(path, err);
	}
	snprintf(path, sizeof(path), "%s/%s.txt", dir, reply_kind_name(k));
	return reply_template_load(path, err);
}

int
reply_templates_check(const char *dir, struct err *err)
{
	struct reply_template *t;
	size_t k;

	for (k = 0; k < sizeof(reply_kinds) / sizeof(reply_kinds[0]); k++) {
		if ((t = reply_template_of(dir, NULL, (enum reply_kind)k,
		    err)) == NULL)
			return -1;
		reply_template_free(t);
	}
	return 0;
}

/* The domain our Message-IDs end in: the shop's, so a customer's mail
 * program shows our replies as the shop's mail; the host's name ("@vm")
 * only when there is no from address at all. */
static const char *
reply_host(const struct reply_conf *c)
{
	const char *at;

	if (c->msgid_domain != NULL && *c->msgid_domain != '\0')
		return c->msgid_domain;
	if (c->from != NULL && (at = strchr(c->from, '@')) != NULL &&
	    at[1] != '\0')
		return at + 1;
	if (c->hostname != NULL && *c->hostname != '\0')
		return c->hostname;
	return "localhost";
}

/* Mailboxes that are robots or that nobody reads. */
static int
reply_addr_noreply(const char *addr)
{
	static const char *const exact[] = {
		"mailer-daemon", "postmaster", "listserv", "majordomo",
		"abuse", "root", "daemon", "nobody",
	};
	static const char *const prefix[] = {
		"noreply", "no-reply", "no_reply", "no.reply", "donotreply",
		"do-not-reply", "do_not_reply", "do.not.reply", "bounce",
		"mailer-daemon", "owner-",
	};
	const char *at = strchr(addr, '@');
	char local[65];
	size_t n = at ? (size_t)(at - addr) : strlen(addr), i;

	if (n >= sizeof(local))
		n = sizeof(local) - 1;
	for (i = 0; i < n; i++)
		local[i] = (char)tolower((unsigned char)addr[i]);
	local[n] = '\0';
	for (i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
		if (strcmp(local, exact[i]) == 0)
			return 1;
	for (i = 0; i < sizeof(prefix) / sizeof(prefix[0]); i++)
		if (strncmp(local, prefix[i], strlen(prefix[i])) == 0)
			return 1;
	/* list-request@, something-bounces@ */
	return strstr(local, "-request") != NULL ||
	    strstr(local, "-bounces") != NULL;
}

static int
reply_addr_own(const struct reply_conf *c, const char *addr)
{
	size_t i;

	if (c->from != NULL && strcasecmp(addr, c->from) == 0)
		return 1;
	for (i = 0; i < c->nown; i++)
		if (c->own[i] != NULL && strcasecmp(addr, c->own[i]) == 0)
			return 1;
	return 0;
}

#define REPLY_ID_PREFIX	"mailorder."	/* every Message-ID we make */

/* 1 when the msg-id text (brackets or not) is one we made: our prefix,
 * and "@host" at the end.  The prefix matters now that host is the
 * shop's own domain, which a colleague's mail program may use too. */
static int
reply_id_ours(const char *id, size_t len, const char *host)
{
	size_t hl = strlen(host), pl = strlen(REPLY_ID_PREFIX);

	while (len > 0 && (*id == '<' || isspace((unsigned char)*id))) {
		id++;
		len--;
	}
	while (len > 0 && (id[len - 1] == '>' || isspace((unsigned char)
	    id[len - 1])))
		len--;
	return len > hl + pl + 1 && strncmp(id, REPLY_ID_PREFIX, pl) == 0 &&
	    id[len - hl - 1] == '@' && strncasecmp(id + len - hl, host, hl) == 0;
}

/* 1 when any msg-id in list ("<a@b> <c@d>") is one of ours. */
static int
reply_ids_ours(const char *list, const char *host)
{
	const char *p = list, *lt, *gt;

	if (list == NULL)
		return 0;
	while ((lt = strchr(p, '<')) != NULL && (gt = strchr(lt, '>')) !=
	    NULL) {
		if (reply_id_ours(lt + 1, (size_t)(gt - lt - 1), host))
			return 1;
		p = gt + 1;
	}
	/* A bare id without brackets. */
	return strchr(list, '<') == NULL &&
	    reply_id_ours(list, strlen(list), host);
}

const char *
reply_policy(const struct reply_conf *c, const struct store_reply_source *src,
    enum reply_kind kind, time_t now, const char **why_r, int *held_r)
{
	const char *host = reply_host(c), *rcpt;
	int automatic = reply_kind_automatic(kind) && !c->manual;

	*held_r = 0;
	if (src->status != NULL && strcmp(src->status, "ignored") == 0 &&
	    automatic) {
		*why_r = "automatic mail is never answered";
		return NULL;
	}
	rcpt = src->reply_to != NULL && reply_mime_addr_ok(src->reply_to) ?
	    src->reply_to : src->from_addr;
	if (rcpt == NULL || !reply_mime_addr_ok(rcpt)) {
		*why_r = "no usable address to reply to";
		return NULL;
	}
	if (reply_addr_noreply(rcpt)) {
		*why_r = "the address does not take replies";
		return NULL;
	}
	if (reply_addr_own(c, rcpt) || (src->from_addr != NULL &&
	    reply_addr_own(c, src->from_addr))) {
		*why_r = "the mail came from our own address";
		return NULL;
	}
	if (src->message_id != NULL && reply_id_ours(src->message_id,
	    strlen(src->message_id), host)) {
		*why_r = "the mail is one of our own replies";
		return NULL;
	}
	if (!automatic)
		return rcpt;
	if (src->auto_submitted != NULL && *src->auto_submitted != '\0' &&
	    strncasecmp(src->auto_submitted, "no", 2) != 0) {
		*why_r = "the mail is automatic (Auto-Submitted)";
		return NULL;
	}
	if (reply_ids_ours(src->in_reply_to, host) ||
	    reply_ids_ours(src->refs, host)) {
		*why_r = "the mail answers one of our automatic replies";
		return NULL;
	}
	if (c->max_age_hours > 0 && src->date_ts != 0 &&
	    now - (time_t)src->date_ts > (time_t)c->max_age_hours * 3600) {
		*why_r = "the mail is older than max_age_hours";
		*held_r = 1;
		return NULL;
	}
	return rcpt;
}

/* Date: in RFC 5322 form, independent of the locale. */
static void
reply_date(struct buf *b, time_t t)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed",
	    "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr",
	    "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;

	gmtime_r(&t, &tm);
	buf_addf(b, "Date: %s, %d %s %d %02d:%02d:%02d +0000\r\n",
	    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* In-Reply-To and References: the customer's ids, validated one by one
 * so nothing else can ride along. */
static void
reply_threading(struct buf *b, const struct store_reply_source *src)
{
	const char *ids[REPLY_REFS_MAX];
	char *copy = NULL, *p, *lt, *gt;
	size_t n = 0, i;
	int have_mid = src->message_id != NULL &&
	    reply_mime_msgid_ok(src->message_id);

	if (have_mid)
		buf_addf(b, "In-Reply-To: <%s>\r\n", src->message_id);
	if (src->refs != NULL) {
		copy = xstrdup(src->refs);
		for (p = copy; (lt = strchr(p, '<')) != NULL &&
		    (gt = strchr(lt, '>')) != NULL; p = gt + 1) {
			*gt = '\0';
			if (!reply_mime_msgid_ok(lt + 1))
				continue;
			if (n == REPLY_REFS_MAX - 1) {
				/* Keep the first (thread root) and newest. */
				memmove(&ids[1], &ids[2],
				    (REPLY_REFS_MAX - 3) * sizeof(ids[0]));
				n--;
			}
			ids[n++] = lt + 1;
		}
	}
	if (have_mid)
		ids[n++] = src->message_id;
	if (n > 0) {
		buf_adds(b, "References:");
		for (i = 0; i < n; i++)
			buf_addf(b, "%s<%s>", i ? "\r\n " : " ", ids[i]);
		buf_adds(b, "\r\n");
	}
	free(copy);
}

static void
reply_subject(struct buf *b, const struct store_reply_source *src)
{
	char *subj = reply_mime_clean(src->subject, REPLY_SUBJECT_MAX);
	const char *ref = src->ref ? src->ref : "";
	struct buf s;

	buf_init(&s, BUF_NOLIMIT);
	if (*subj == '\0')
		buf_adds(&s, "Re: your order");
	else if (strncasecmp(subj, "re:", 3) == 0)
		buf_adds(&s, subj);
	else
		buf_addf(&s, "Re: %s", subj);
	if (*ref != '\0' && strstr(subj, ref) == NULL)
		buf_addf(&s, " [%s]", ref);
	reply_mime_header(b, "Subject", buf_str(&s));
	buf_release(&s);
	free(subj);
}

/* The unit as a person writes it after qty: "3 bags", "2 boxes", "1
 * case"; measures and counts that do not change ("2 kg", "3 dozen",
 * "4 each") stay as they are.  out gets at most n bytes. */
static void
reply_unit_plural(const char *unit, double qty, char *out, size_t n)
{
	static const char *const same[] = { "each", "dozen", "kg", "g",
	    "lb", "lbs", "oz", "l", "cl", "ml", "cm", "mm", "m", "pcs",
	    "sheep", "fish" };
	const char *w = strrchr(unit, ' ');
	size_t len = strlen(unit), i;
	char last, before;

	snprintf(out, n, "%s", unit);
	w = w != NULL ? w + 1 : unit;
	if (qty == 1 || len == 0 || len + 3 >= n || strlen(w) < 2)
		return;
	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++)
		if (strcasecmp(w, same[i]) == 0)
			return;
	for (i = 0; w[i]; i++)
		if (!isalpha((unsigned char)w[i]) && w[i] != '\'')
			return;
	last = (char)tolower((unsigned char)unit[len - 1]);
	before = (char)tolower((unsigned char)unit[len - 2]);
	if (last == 's' || last == 'x' || last == 'z' ||
	    ((before == 'c' || before == 's') && last == 'h'))
		snprintf(out, n, "%ses", unit);
	else if (last == 'y' && strchr("aeiou", before) == NULL)
		snprintf(out, n, "%.*sies", (int)(len - 1), unit);
	else
		snprintf(out, n, "%ss", unit);
}

/* See reply.h. */
void
reply_carrier_name(const char *carrier, char *out, size_t n)
{
	static const struct {
		const char	*code, *name;
	} names[] = {
		{ "ups", "UPS" }, { "dhl", "DHL" }, { "dpd", "DPD" },
		{ "gls", "GLS" }, { "usps", "USPS" }, { "fedex", "FedEx" },
		{ "tnt", "TNT" }, { "royalmail", "Royal Mail" },
		{ "royal mail", "Royal Mail" }, { "evri", "Evri" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(carrier, names[i].code) == 0) {
			snprintf(out, n, "%s", names[i].name);
			return;
		}
	snprintf(out, n, "%s", carrier);
	if (islower((unsigned char)out[0]))
		out[0] = (char)toupper((unsigned char)out[0]);
}

/* Everything the template may show, cleaned; the strings are kept in
 * keep[] and freed by reply_vars_release. */
struct reply_values {
	struct reply_vars	  vars;
	char			**keep;
	size_t			  nkeep;
};

static const char *
reply_keep(struct reply_values *rv, const char *s)
{
	char *c;

	if (s == NULL)
		return NULL;
	c = reply_mime_clean(s, REPLY_VALUE_MAX);
	rv->keep = xreallocarray(rv->keep, rv->nkeep + 1, sizeof(char *));
	rv->keep[rv->nkeep++] = c;
	return c;
}

/* Blank lines before or after the operator's words would stand beside
 * the template's own ("a question:", blank, the words, blank, "Best
 * regards"): an editor's file ends with some. */
static void
reply_trim_blank(char *s)
{
	size_t n = strlen(s), start = 0, i;

	while (n > 0 && strchr(" \t\r\n", s[n - 1]) != NULL)
		s[--n] = '\0';
	for (i = 0; i < n && strchr(" \t\r\n", s[i]) != NULL; i++)
		if (s[i] == '\n')
			start = i + 1;
	memmove(s, s + start, n - start + 1);
}

/* The operator's words may run over several lines: keep the lines, clean
 * each of them, and keep at most REPLY_TEXT_MAX bytes. */
static const char *
reply_keep_lines(struct reply_values *rv, const char *text)
{
	const char *p, *nl;
	char *raw, *line;
	struct buf t;

	if (text == NULL)
		return NULL;
	buf_init(&t, REPLY_TEXT_MAX);
	for (p = text; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		raw = xstrndup(p, nl ? (size_t)(nl - p) : strlen(p));
		line = reply_mime_clean(raw, REPLY_TEXT_MAX);
		if (buf_adds(&t, line) == -1 || (nl && buf_addc(&t, '\n') == -1))
			nl = NULL;
		free(line);
		free(raw);
		if (nl == NULL)
			break;
	}
	rv->keep = xreallocarray(rv->keep, rv->nkeep + 1, sizeof(char *));
	rv->keep[rv->nkeep] = buf_detach(&t, NULL);
	if (rv->keep[rv->nkeep] == NULL)
		rv->keep[rv->nkeep] = xstrdup("");
	reply_trim_blank(rv->keep[rv->nkeep]);
	return rv->keep[rv->nkeep++];
}

static void
reply_values_init(struct reply_values *rv, const struct reply_conf *c,
    const struct store_reply_source *src, const struct reply_extra *x)
{
	const char **v = rv->vars.v;
	char num[32], word[REPLY_VALUE_MAX + 4];
	size_t i;

	memset(rv, 0, sizeof(*rv));
	v[REPLY_VAR_SHOP_NAME] = reply_keep(rv, c->from_name);
	v[REPLY_VAR_SHOP_ADDRESS] = reply_keep(rv, c->from);
	v[REPLY_VAR_CUSTOMER_NAME] = reply_keep(rv, src->customer_name);
	v[REPLY_VAR_SENDER_NAME] = reply_keep(rv, src->from_name);
	v[REPLY_VAR_GREETING] = reply_keep(rv, src->greeting);
	v[REPLY_VAR_NOTE] = reply_keep(rv, src->note);
	v[REPLY_VAR_ORDER_NUMBER] = reply_keep(rv, src->ref);
	v[REPLY_VAR_ORDER_DATE] = reply_keep(rv, src->order_date);
	v[REPLY_VAR_PO_NUMBER] = reply_keep(rv, src->po_number);
	v[REPLY_VAR_REQUESTED_DATE] = reply_keep(rv, src->requested_date);
	v[REPLY_VAR_SUBJECT] = reply_keep(rv, src->subject);
	v[REPLY_VAR_PERSON] = reply_keep(rv, c->person);
	if (x != NULL) {
		v[REPLY_VAR_TEXT] = reply_keep_lines(rv, x->text);
		v[REPLY_VAR_SIGNED_BY] = reply_keep(rv, x->signed_by);
		v[REPLY_VAR_OPERATOR_NOTE] = reply_keep_lines(rv,
		    x->operator_note);
		if (x->carrier != NULL) {
			reply_carrier_name(x->carrier, word, sizeof(word));
			v[REPLY_VAR_CARRIER] = reply_keep(rv, word);
		}
		v[REPLY_VAR_TRACKING] = reply_keep(rv, x->tracking);
		v[REPLY_VAR_TRACKING_URL] = reply_keep(rv, x->tracking_url);
	}
	snprintf(num, sizeof(num), "%zu", src->nlines);
	v[REPLY_VAR_LINE_COUNT] = reply_keep(rv, num);
	rv->vars.nlines = src->nlines;
	rv->vars.lines = xcalloc(src->nlines + 1, sizeof(*rv->vars.lines));
	for (i = 0; i < src->nlines; i++) {
		const struct store_reply_line *l = &src->lines[i];
		const char **lv = rv->vars.lines[i];

		snprintf(num, sizeof(num), "%zu", i + 1);
		lv[REPLY_LVAR_NUMBER] = reply_keep(rv, num);
		qty_format(l->quantity, num);
		lv[REPLY_LVAR_QUANTITY] = reply_keep(rv, num);
		if (l->unit != NULL) {
			reply_unit_plural(l->unit, l->quantity, word,
			    sizeof(word));
			lv[REPLY_LVAR_UNIT] = reply_keep(rv, word);
		}
		lv[REPLY_LVAR_PRODUCT] = reply_keep(rv, l->product ? l->product :
		    l->sku ? l->sku : l->text);
		lv[REPLY_LVAR_SKU] = reply_keep(rv, l->sku);
		lv[REPLY_LVAR_WORDS] = reply_keep(rv, l->text);
	}
}

static void
reply_values_release(struct reply_values *rv)
{
	size_t i;

	for (i = 0; i < rv->nkeep; i++)
		free(rv->keep[i]);
	free(rv->keep);
	free(rv->vars.lines);
}

int
reply_compose(const struct reply_conf *c, const struct store_reply_source *src,
    enum reply_kind kind, const struct reply_extra *x, const char *rcpt,
    const char *message_id, time_t date, struct buf *out, struct err *err)
{
	struct reply_template *t;
	struct reply_values rv;
	struct buf body;

	if (c->from == NULL || !reply_mime_addr_ok(c->from))
		return err_set(err, ERR_CONFIG, "no valid [smtp] from address "
		    "to send replies from");
	if ((t = reply_template_of(c->templates, src->customer_id, kind,
	    err)) == NULL)
		return -1;
	reply_values_init(&rv, c, src, x);
	buf_init(&body, BUF_NOLIMIT);
	reply_template_render(t, &rv.vars, &body);
	reply_template_free(t);
	reply_values_release(&rv);

	reply_mime_address(out, "From", c->from_name, c->from);
	reply_mime_address(out, "To", src->from_name, rcpt);
	reply_subject(out, src);
	reply_date(out, date);
	buf_addf(out, "Message-ID: <%s>\r\n", message_id);
	reply_threading(out, src);
	if (reply_kind_automatic(kind))
		buf_adds(out, "Auto-Submitted: auto-replied\r\n");
	else if (kind == REPLY_SHIPPING)
		buf_adds(out, "Auto-Submitted: auto-generated\r\n");
	buf_adds(out, "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n");
	if (src->ref != NULL)
		reply_mime_header(out, "X-Mailorder-Order", src->ref);
	buf_adds(out, "\r\n");
	reply_mime_qp(out, body.data ? body.data : "", body.len);
	buf_release(&body);
	return 0;
}

/* A Message-ID nobody else can have made: the order, the kind and 64
 * random bits, at our host. */
static void
reply_new_message_id(const struct reply_conf *c,
    const struct store_reply_source *src, enum reply_kind kind,
    char *out, size_t n)
{
	unsigned char rnd[8];
	char hex[17];
	size_t i;

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd)) {
		uint64_t v = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^
		    (uint64_t)random();

		memcpy(rnd, &v, sizeof(rnd));
	}
	for (i = 0; i < sizeof(rnd); i++)
		snprintf(hex + 2 * i, 3, "%02x", rnd[i]);
	snprintf(out, n, REPLY_ID_PREFIX "%s.%s.%s@%s", src->ref ? src->ref : "0",
	    reply_kind_name(kind), hex, reply_host(c));
}

/* Read the order and decide: 1 with *rcpt_r when a reply may go, 0 when
 * policy says none (*why_r), -1 on error. */
static int
reply_prepare(struct store *st, const struct reply_conf *c, int64_t order_id,
    enum reply_kind kind, time_t now, struct store_reply_source *src,
    const char **rcpt_r, const char **why_r, int *held_r, struct err *err)
{
	long recent;
	int r;

	if ((r = store_outbox_source(st, order_id, src, err)) == -1)
		return -1;
	if (r == 0)
		return err_set(err, ERR_INPUT, "no order %lld",
		    (long long)order_id);
	if ((*rcpt_r = reply_policy(c, src, kind, now, why_r,
	    held_r)) == NULL)
		return 0;
	if (reply_kind_automatic(kind) && !c->manual && c->max_per_hour > 0) {
		if (store_outbox_count_since(st, *rcpt_r, now - 3600, &recent,
		    err) == -1)
			return -1;
		if (recent >= c->max_per_hour) {
			*why_r = "max_per_sender_per_hour replies went to this "
			    "address in the last hour";
			*held_r = 1;
			return 0;
		}
	}
	return 1;
}

int
reply_queue(struct store *st, const struct reply_conf *c, int64_t order_id,
    enum reply_kind kind, const struct reply_extra *x, int64_t *outbox_id_r,
    struct err *err)
{
	struct store_reply_source src;
	const char *rcpt, *why = NULL;
	char mid[512], text[300];
	struct buf msg;
	time_t now = c->now ? c->now : time(NULL);
	int r, held = 0;

	*outbox_id_r = 0;
	r = reply_prepare(st, c, order_id, kind, now, &src, &rcpt, &why,
	    &held, err);
	if (r == -1) {
		store_outbox_source_release(&src);
		return -1;
	}
	if (r == 0) {
		log_info("order %s: no %s: %s", src.ref ? src.ref : "?",
		    reply_kind_name(kind), why);
		if (held) {
			snprintf(text, sizeof(text), "no %s was sent: %s",
			    reply_kind_name(kind), why);
			if (store_outbox_flag_order(st, order_id,
			    STORE_OUTBOX_HELD, text, err) == -1) {
				store_outbox_source_release(&src);
				return -1;
			}
		}
		store_outbox_source_release(&src);
		return 0;
	}
	reply_new_message_id(c, &src, kind, mid, sizeof(mid));
	buf_init(&msg, BUF_NOLIMIT);
	if (reply_compose(c, &src, kind, x, rcpt, mid, now, &msg, err) == -1 ||
	    store_outbox_insert(st, order_id, reply_kind_name(kind), mid, rcpt,
	    msg.data, msg.len, now, c->manual || !reply_kind_automatic(kind),
	    outbox_id_r, err) == -1) {
		buf_release(&msg);
		store_outbox_source_release(&src);
		return -1;
	}
	log_info("order %s: %s to %s queued as <%s>", src.ref,
	    reply_kind_name(kind), rcpt, mid);
	buf_release(&msg);
	store_outbox_source_release(&src);
	return 0;
}

int
reply_preview(struct store *st, const struct reply_conf *c, int64_t order_id,
    enum reply_kind kind, const struct reply_extra *x, struct buf *out,
    struct err *err)
{
	struct store_reply_source src;
	const char *rcpt, *why = NULL;
	char mid[512];
	time_t now = c->now ? c->now : time(NULL);
	int r, held = 0;

	r = reply_prepare(st, c, order_id, kind, now, &src, &rcpt, &why,
	    &held, err);
	if (r == 0) {
		/* Show what would be sent to the sender anyway, and why it
		 * will not be: the operator wants to see the text. */
		rcpt = src.reply_to && reply_mime_addr_ok(src.reply_to) ?
		    src.reply_to : src.from_addr;
		if (rcpt == NULL || !reply_mime_addr_ok(rcpt)) {
			store_outbox_source_release(&src);
			return err_set(err, ERR_INPUT, "order %lld: %s",
			    (long long)order_id, why);
		}
		buf_addf(out, "X-Mailorder-Not-Sent: %s\r\n", why);
	}
	if (r == -1) {
		store_outbox_source_release(&src);
		return -1;
	}
	reply_new_message_id(c, &src, kind, mid, sizeof(mid));
	r = reply_compose(c, &src, kind, x, rcpt, mid, now, out, err);
	store_outbox_source_release(&src);
	return r;
}

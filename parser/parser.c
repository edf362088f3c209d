/*
 * parser_parse(): raw message bytes to struct parsed_msg.  See parser.h.
 *
 * The order of work matters for safety: size limits first, then a padded
 * private copy (libetpan reads a byte past some inputs), then the pre-scan
 * that keeps known-crashing and too-deeply-nested input away from
 * libetpan and cuts messages with too many parts, and only then
 * mailmime_parse().  Transfer encodings, charsets and encoded words are
 * decoded here rather than by libetpan, which is both slower and less
 * forgiving.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <libetpan/libetpan.h>

#include "common/xmalloc.h"
#include "parser/parser_int.h"

#define PARSER_PAD		16	/* NUL bytes after the copy */
#define PARSER_MAX_SHEETS	16

/* What the walk collects from one message (and, separately, from each
 * message forwarded inside it). */
struct body {
	struct buf	plain;		/* inline text/plain parts */
	struct buf	html;		/* inline text/html parts, as text */
	struct buf	fwd;		/* forwarded messages, already joined */
};

struct walk {
	const struct parser_limits	*lim;
	struct buf			 scratch;	/* a decoded part */
	struct parsed_msg		*out;
	int				 nparts;
	int				 truncated;
};

void
parser_limits_default(struct parser_limits *l)
{
	l->max_message = PARSER_MAX_MESSAGE_DEFAULT;
	l->max_text = PARSER_MAX_TEXT_DEFAULT;
	l->max_depth = PARSER_MAX_DEPTH_DEFAULT;
	l->max_parts = PARSER_MAX_PARTS_DEFAULT;
	attach_limits_default(&l->attach);
}

static void
body_init(struct body *b, size_t max)
{
	buf_init(&b->plain, max);
	buf_init(&b->html, max);
	buf_init(&b->fwd, max);
}

static void
body_release(struct body *b)
{
	buf_release(&b->plain);
	buf_release(&b->html);
	buf_release(&b->fwd);
}

static int
ends_with_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

static void
walk_add(struct walk *w, struct buf *to, const char *s, size_t n)
{
	if (parser_text_add(to, s, n) == -1)
		w->truncated = 1;
}

/* Separate parts by a line break so that two parts never share a line. */
static void
walk_part_break(struct walk *w, struct buf *to)
{
	if (to->len > 0 && to->data[to->len - 1] != '\n')
		walk_add(w, to, "\n", 1);
}

static void
walk_sheet(struct walk *w, const char *filename, const char *charset,
    const char *data, size_t len)
{
	struct parsed_msg *out = w->out;
	struct parser_sheet *sh;
	struct buf b;

	if (out->nsheets >= PARSER_MAX_SHEETS)
		return;
	buf_init(&b, w->lim->max_text);
	if (parser_charset_to_utf8(charset, data, len, &b) == -1)
		w->truncated = 1;
	out->sheets = xreallocarray(out->sheets, out->nsheets + 1,
	    sizeof(*out->sheets));
	sh = &out->sheets[out->nsheets++];
	sh->filename = filename ? xstrdup(filename) : NULL;
	sh->format = "csv";
	sh->laid_out = 0;
	sh->len = b.len;
	sh->text = b.len > 0 ? buf_detach(&b, NULL) : xstrdup("");
	buf_release(&b);
}

static void walk_mime(struct walk *, struct mailmime *, int, struct body *);

/* Whether the Content-Type has parameter name with value (both compared
 * case-insensitively). */
static int
ct_param_is(const struct mailmime_content *ct, const char *name,
    const char *value)
{
	clistiter *it;

	if (ct == NULL || ct->ct_parameters == NULL)
		return 0;
	for (it = clist_begin(ct->ct_parameters); it != NULL;
	    it = clist_next(it)) {
		const struct mailmime_parameter *p = clist_content(it);

		if (p->pa_name != NULL && p->pa_value != NULL &&
		    strcasecmp(p->pa_name, name) == 0 &&
		    strcasecmp(p->pa_value, value) == 0)
			return 1;
	}
	return 0;
}

/* "type/subtype" of a discrete MIME type into out; -1 for a composite
 * type (message/..., multipart/...) or one that does not fit. */
static int
walk_type(const struct mailmime_content *ct, char *out, size_t outlen)
{
	static const char *const names[] = {
		[MAILMIME_DISCRETE_TYPE_TEXT] = "text",
		[MAILMIME_DISCRETE_TYPE_IMAGE] = "image",
		[MAILMIME_DISCRETE_TYPE_AUDIO] = "audio",
		[MAILMIME_DISCRETE_TYPE_VIDEO] = "video",
		[MAILMIME_DISCRETE_TYPE_APPLICATION] = "application",
	};
	const struct mailmime_discrete_type *dt;
	const char *top;
	int n;

	if (ct == NULL || ct->ct_type == NULL)
		return snprintf(out, outlen, "text/plain") < 0 ? -1 : 0;
	if (ct->ct_type->tp_type != MAILMIME_TYPE_DISCRETE_TYPE)
		return -1;
	dt = ct->ct_type->tp_data.tp_discrete_type;
	if (dt->dt_type == MAILMIME_DISCRETE_TYPE_EXTENSION)
		top = dt->dt_extension != NULL ? dt->dt_extension : "x";
	else if (dt->dt_type >= 0 && (size_t)dt->dt_type <
	    sizeof(names) / sizeof(names[0]) && names[dt->dt_type] != NULL)
		top = names[dt->dt_type];
	else
		top = "application";
	n = snprintf(out, outlen, "%s/%s", top, ct->ct_subtype != NULL ?
	    ct->ct_subtype : "octet-stream");
	return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

static void
walk_single(struct walk *w, struct mailmime *m, struct body *b)
{
	struct mailmime_single_fields sf;
	struct mailmime_content *ct = m->mm_content_type;
	struct mailmime_data *d = m->mm_data.mm_single;
	const char *sub, *name, *data;
	size_t len;
	int enc, is_text, attach, is_csv, is_body;
	char type[128];
	struct buf tmp;

	if (d == NULL || d->dt_type != MAILMIME_DATA_TEXT)
		return;
	mailmime_single_fields_init(&sf, m->mm_mime_fields, ct);
	sub = ct != NULL && ct->ct_subtype != NULL ? ct->ct_subtype : "plain";
	is_text = ct == NULL || ct->ct_type == NULL ||
	    (ct->ct_type->tp_type == MAILMIME_TYPE_DISCRETE_TYPE &&
	    ct->ct_type->tp_data.tp_discrete_type->dt_type ==
	    MAILMIME_DISCRETE_TYPE_TEXT);
	attach = sf.fld_disposition != NULL &&
	    sf.fld_disposition->dsp_type != NULL &&
	    sf.fld_disposition->dsp_type->dsp_type ==
	    MAILMIME_DISPOSITION_TYPE_ATTACHMENT;
	name = sf.fld_disposition_filename != NULL ?
	    sf.fld_disposition_filename : sf.fld_content_name;
	is_csv = (is_text && strcasecmp(sub, "csv") == 0) ||
	    (name != NULL && ends_with_ci(name, ".csv"));
	is_body = is_csv || (is_text && !attach && (strcasecmp(sub,
	    "plain") == 0 || strcasecmp(sub, "html") == 0));
	if (!is_body && walk_type(ct, type, sizeof(type)) == -1)
		return;		/* message/..., multipart/...: no document */

	enc = sf.fld_encoding != NULL ? sf.fld_encoding->enc_type :
	    MAILMIME_MECHANISM_8BIT;
	data = d->dt_data.dt_text.dt_data;
	len = d->dt_data.dt_text.dt_length;
	if (enc == MAILMIME_MECHANISM_BASE64 ||
	    enc == MAILMIME_MECHANISM_QUOTED_PRINTABLE) {
		/* decoded is never longer than encoded: no limit is hit */
		buf_reset(&w->scratch);
		if (enc == MAILMIME_MECHANISM_BASE64)
			(void)parser_decode_base64(data, len, &w->scratch);
		else
			(void)parser_decode_qp(data, len, &w->scratch);
		data = buf_str(&w->scratch);
		len = w->scratch.len;
	}
	if (!is_body)
		parser_attachment(w->out, w->lim, type, name, data, len,
		    &b->plain, &w->truncated);
	else if (is_csv)
		walk_sheet(w, name, sf.fld_content_charset, data, len);
	else if (strcasecmp(sub, "plain") == 0 && ct_param_is(ct, "format",
	    "flowed")) {
		buf_init(&tmp, w->lim->max_message);
		(void)parser_charset_to_utf8(sf.fld_content_charset, data,
		    len, &tmp);
		walk_part_break(w, &b->plain);
		if (parser_unflow(buf_str(&tmp), tmp.len,
		    ct_param_is(ct, "delsp", "yes"), &b->plain) == -1)
			w->truncated = 1;
		buf_release(&tmp);
	} else if (strcasecmp(sub, "plain") == 0) {
		walk_part_break(w, &b->plain);
		if (parser_charset_to_utf8(sf.fld_content_charset, data,
		    len, &b->plain) == -1)
			w->truncated = 1;
	} else {
		buf_init(&tmp, w->lim->max_message);
		(void)parser_charset_to_utf8(sf.fld_content_charset, data,
		    len, &tmp);
		walk_part_break(w, &b->html);
		if (parser_html_to_text(buf_str(&tmp), tmp.len, &b->html) == -1)
			w->truncated = 1;
		buf_release(&tmp);
	}
}

/* Does this subtree hold an inline text/plain part? */
static int
walk_has_plain(struct mailmime *m, int depth)
{
	struct mailmime_single_fields sf;
	struct mailmime_content *ct = m->mm_content_type;
	clistiter *it;

	if (depth > 64)
		return 0;
	switch (m->mm_type) {
	case MAILMIME_SINGLE:
		mailmime_single_fields_init(&sf, m->mm_mime_fields, ct);
		if (sf.fld_disposition != NULL &&
		    sf.fld_disposition->dsp_type != NULL &&
		    sf.fld_disposition->dsp_type->dsp_type ==
		    MAILMIME_DISPOSITION_TYPE_ATTACHMENT)
			return 0;
		return ct == NULL || ct->ct_type == NULL ||
		    (ct->ct_type->tp_type == MAILMIME_TYPE_DISCRETE_TYPE &&
		    ct->ct_type->tp_data.tp_discrete_type->dt_type ==
		    MAILMIME_DISCRETE_TYPE_TEXT && ct->ct_subtype != NULL &&
		    strcasecmp(ct->ct_subtype, "plain") == 0);
	case MAILMIME_MULTIPLE:
		for (it = clist_begin(m->mm_data.mm_multipart.mm_mp_list);
		    it != NULL; it = clist_next(it))
			if (walk_has_plain(clist_content(it), depth + 1))
				return 1;
		return 0;
	default:
		return 0;
	}
}

/* The header lines of a forwarded message, as a mail program writes them
 * when forwarding inline (parser/clean.c tags them). */
static void
walk_forward_header(struct walk *w, struct mailmime *m, struct buf *to)
{
	static const struct {
		const char		*label;
		enum parser_hdr_id	 id;
	} shown[] = {
		{ "From", HDR_FROM }, { "Date", HDR_DATE },
		{ "Subject", HDR_SUBJECT }, { "To", HDR_TO },
	};
	struct parser_hdr hdrs[HDR_COUNT];
	size_t i, off;
	char *v;

	walk_part_break(w, to);
	if (to->len > 0)
		walk_add(w, to, "\n", 1);
	walk_add(w, to, "---------- Forwarded message ---------\n", 39);
	/* the encapsulated message as written: its header is ours to read */
	if (m->mm_body == NULL || m->mm_body->dt_type != MAILMIME_DATA_TEXT ||
	    m->mm_body->dt_data.dt_text.dt_data == NULL)
		return;
	parser_header_scan(m->mm_body->dt_data.dt_text.dt_data,
	    m->mm_body->dt_data.dt_text.dt_length, hdrs, &off);
	for (i = 0; i < sizeof(shown) / sizeof(shown[0]); i++) {
		if ((v = parser_header_text(&hdrs[shown[i].id])) == NULL)
			continue;
		walk_add(w, to, shown[i].label, strlen(shown[i].label));
		walk_add(w, to, ": ", 2);
		walk_add(w, to, v, strlen(v));
		walk_add(w, to, "\n", 1);
		free(v);
	}
	walk_add(w, to, "\n", 1);
}

/* Join a walked body: the chosen text, then what was forwarded. */
static void
body_join(struct walk *w, struct body *b, struct buf *to, int *was_html)
{
	struct buf *text = b->plain.len > 0 ? &b->plain : &b->html;

	if (was_html != NULL)
		*was_html = b->plain.len == 0 && b->html.len > 0;
	walk_add(w, to, buf_str(text), text->len);
	if (b->fwd.len > 0) {
		walk_part_break(w, to);
		walk_add(w, to, buf_str(&b->fwd), b->fwd.len);
	}
}

static void
walk_mime(struct walk *w, struct mailmime *m, int depth, struct body *b)
{
	struct mailmime_content *ct = m->mm_content_type;
	struct mailmime *child, *pick = NULL;
	struct body sub;
	clistiter *it;
	int alternative;

	if (depth > w->lim->max_depth || w->nparts >= w->lim->max_parts)
		return;
	w->nparts++;
	switch (m->mm_type) {
	case MAILMIME_SINGLE:
		walk_single(w, m, b);
		break;
	case MAILMIME_MULTIPLE:
		alternative = ct != NULL && ct->ct_subtype != NULL &&
		    strcasecmp(ct->ct_subtype, "alternative") == 0;
		for (it = clist_begin(m->mm_data.mm_multipart.mm_mp_list);
		    it != NULL; it = clist_next(it)) {
			child = clist_content(it);
			if (!alternative)
				walk_mime(w, child, depth + 1, b);
			else if (walk_has_plain(child, 0)) {
				if (pick == NULL || !walk_has_plain(pick, 0))
					pick = child;
			} else if (pick == NULL || !walk_has_plain(pick, 0))
				pick = child;	/* the last is the richest */
		}
		if (pick != NULL)
			walk_mime(w, pick, depth + 1, b);
		break;
	case MAILMIME_MESSAGE:
		if (m->mm_data.mm_message.mm_msg_mime == NULL)
			break;
		if (m->mm_parent == NULL) {	/* the message itself */
			walk_mime(w, m->mm_data.mm_message.mm_msg_mime,
			    depth + 1, b);
			break;
		}
		body_init(&sub, w->lim->max_text);
		walk_forward_header(w, m, &b->fwd);
		walk_mime(w, m->mm_data.mm_message.mm_msg_mime, depth + 1,
		    &sub);
		body_join(w, &sub, &b->fwd, NULL);
		body_release(&sub);
		break;
	}
}

/* The first address of a From (list 0) or To-like (list 1) header,
 * lower-cased; *name_r (may be NULL) gets its display name. */
static char *
parser_addr(const struct parser_hdr *h, int list, char **name_r)
{
	struct mailimf_mailbox_list *mbl = NULL;
	struct mailimf_address_list *al = NULL;
	struct mailimf_mailbox *mb = NULL;
	struct mailimf_address *a;
	clistiter *it;
	char *r = NULL, *p;
	size_t idx = 0;

	if (h->val == NULL)
		return NULL;
	if (!list) {
		if (mailimf_mailbox_list_parse(h->val, h->len, &idx, &mbl) ==
		    MAILIMF_NO_ERROR && (it = clist_begin(mbl->mb_list)) !=
		    NULL)
			mb = clist_content(it);
	} else if (mailimf_address_list_parse(h->val, h->len, &idx, &al) ==
	    MAILIMF_NO_ERROR) {
		for (it = clist_begin(al->ad_list); it != NULL && mb == NULL;
		    it = clist_next(it)) {
			a = clist_content(it);
			if (a->ad_type == MAILIMF_ADDRESS_MAILBOX)
				mb = a->ad_data.ad_mailbox;
			else if (a->ad_data.ad_group->grp_mb_list != NULL &&
			    (it = clist_begin(a->ad_data.ad_group->grp_mb_list->
			    mb_list)) != NULL)
				mb = clist_content(it);
		}
	}
	if (mb != NULL && mb->mb_addr_spec != NULL) {
		r = parser_header_decode(mb->mb_addr_spec,
		    strlen(mb->mb_addr_spec));
		for (p = r; *p != '\0'; p++)
			*p = (char)tolower((unsigned char)*p);
	}
	if (name_r != NULL && mb != NULL && mb->mb_display_name != NULL) {
		/* libetpan leaves encoded words in the phrase */
		*name_r = parser_header_decode(mb->mb_display_name,
		    strlen(mb->mb_display_name));
		if (**name_r == '\0') {
			free(*name_r);
			*name_r = NULL;
		}
	}
	if (mbl != NULL)
		mailimf_mailbox_list_free(mbl);
	if (al != NULL)
		mailimf_address_list_free(al);
	return r;
}

/* "<id>" as id; NULL when empty. */
static char *
parser_strip_brackets(char *s)
{
	size_t n;

	if (s == NULL)
		return NULL;
	n = strlen(s);
	if (n >= 2 && s[0] == '<' && s[n - 1] == '>') {
		memmove(s, s + 1, n - 2);
		s[n - 2] = '\0';
	}
	return s;
}

static time_t
parser_date(const struct parser_hdr *h, int *off_r)
{
	struct mailimf_date_time *dt = NULL;
	struct tm tm;
	size_t idx = 0;
	time_t t = 0;
	int off;

	if (h->val == NULL ||
	    mailimf_date_time_parse(h->val, h->len, &idx, &dt) !=
	    MAILIMF_NO_ERROR)
		return 0;
	memset(&tm, 0, sizeof(tm));
	if (dt->dt_year >= 1970 && dt->dt_year < 10000 &&
	    dt->dt_month >= 1 && dt->dt_month <= 12 && dt->dt_day >= 1 &&
	    dt->dt_day <= 31 && dt->dt_hour >= 0 && dt->dt_hour < 24 &&
	    dt->dt_min >= 0 && dt->dt_min < 60 && dt->dt_sec >= 0 &&
	    dt->dt_sec <= 60 && dt->dt_zone > -10000 && dt->dt_zone < 10000) {
		tm.tm_year = dt->dt_year - 1900;
		tm.tm_mon = dt->dt_month - 1;
		tm.tm_mday = dt->dt_day;
		tm.tm_hour = dt->dt_hour;
		tm.tm_min = dt->dt_min;
		tm.tm_sec = dt->dt_sec;
		/* dt_zone is +-HHMM */
		off = (dt->dt_zone / 100) * 3600 + (dt->dt_zone % 100) * 60;
		t = timegm(&tm);
		t = t == (time_t)-1 ? 0 : t - off;
		if (t != 0)
			*off_r = off;
	}
	mailimf_date_time_free(dt);
	return t;
}

static void
parser_headers(const struct parser_hdr *hdrs, struct parsed_msg *out)
{
	const struct parser_hdr *ct = &hdrs[HDR_CONTENT_TYPE];
	char *rp;

	out->message_id = parser_strip_brackets(
	    parser_header_raw(&hdrs[HDR_MESSAGE_ID]));
	out->from_addr = parser_addr(&hdrs[HDR_FROM], 0, &out->from_name);
	out->reply_to = parser_addr(&hdrs[HDR_REPLY_TO], 1, NULL);
	out->to = parser_addr(&hdrs[HDR_TO], 1, NULL);
	out->subject = parser_header_text(&hdrs[HDR_SUBJECT]);
	out->date = parser_header_raw(&hdrs[HDR_DATE]);
	out->date_ts = parser_date(&hdrs[HDR_DATE], &out->date_tzoff);
	out->in_reply_to = parser_header_raw(&hdrs[HDR_IN_REPLY_TO]);
	out->references = parser_header_raw(&hdrs[HDR_REFERENCES]);
	if ((rp = parser_header_raw(&hdrs[HDR_RETURN_PATH])) != NULL) {
		parser_strip_brackets(rp);
		for (char *p = rp; *p != '\0'; p++)
			*p = (char)tolower((unsigned char)*p);
		out->return_path = rp;
	}
	out->auto_submitted = parser_header_raw(&hdrs[HDR_AUTO_SUBMITTED]);
	out->precedence = parser_header_raw(&hdrs[HDR_PRECEDENCE]);
	out->list_id = parser_header_raw(&hdrs[HDR_LIST_ID]);
	out->x_autoreply = parser_header_raw(&hdrs[HDR_X_AUTOREPLY]);
	if (out->x_autoreply == NULL)
		out->x_autoreply = parser_header_raw(&hdrs[HDR_X_AUTORESPOND]);
	if (ct->val != NULL && ct->len >= 16) {
		const char *p = ct->val, *end = ct->val + ct->len;

		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		out->is_report = (size_t)(end - p) >= 16 &&
		    strncasecmp(p, "multipart/report", 16) == 0;
	}
}

/* The message could not be given to libetpan: keep what follows the
 * header as one text part, so the operator still sees something. */
static void
parser_body_as_text(struct walk *w, const char *s, size_t n, struct buf *to)
{
	if (parser_charset_to_utf8(NULL, s, n, to) == -1)
		w->truncated = 1;
}

/* Does the subject say the mail forwards another: "FW:", "Fwd:", and
 * Outlook's German and French "WG:", "TR:"? */
static int
subject_forwards(const char *s)
{
	static const char *const tags[] = { "fw:", "fwd:", "wg:", "tr:" };
	size_t i;

	if (s == NULL)
		return 0;
	while (*s == ' ' || *s == '\t')
		s++;
	for (i = 0; i < sizeof(tags) / sizeof(tags[0]); i++)
		if (strncasecmp(s, tags[i], strlen(tags[i])) == 0)
			return 1;
	return 0;
}

int
parser_parse(const char *raw, size_t len, const struct parser_limits *limits,
    struct parsed_msg *out, struct err *err)
{
	struct parser_limits deflim;
	struct parser_hdr hdrs[HDR_COUNT];
	struct mailmime *mime = NULL;
	struct walk w;
	struct body b;
	struct buf body;
	size_t i, body_off, parse_len, idx = 0;
	char *copy, *msg, *p;
	int r;

	memset(out, 0, sizeof(*out));
	if (limits == NULL) {
		parser_limits_default(&deflim);
		limits = &deflim;
	}
	if (len > limits->max_message)
		return err_set(err, ERR_MSG, "message too large: %zu bytes "
		    "(limit %zu)", len, limits->max_message);
	for (i = 0; i < len && (raw[i] == ' ' || raw[i] == '\t' ||
	    raw[i] == '\r' || raw[i] == '\n' || raw[i] == '\0'); i++)
		;
	if (i == len)
		return err_set(err, ERR_MSG, "empty message");

	/* libetpan over-reads by a byte on some input and stops at NULs in
	 * places, so it gets a padded copy with NULs turned into spaces. */
	copy = xmalloc(len + PARSER_PAD);
	memcpy(copy, raw, len);
	memset(copy + len, 0, PARSER_PAD);
	for (i = 0; (i += strlen(copy + i)) < len; i++)
		copy[i] = ' ';

	/* an mbox "From " line is not part of the message */
	msg = copy;
	if (len > 5 && memcmp(copy, "From ", 5) == 0 &&
	    (p = memchr(copy, '\n', len)) != NULL) {
		msg = p + 1;
		len -= (size_t)(msg - copy);
	}
	if (parser_header_scan(msg, len, hdrs, &body_off) == 0) {
		free(copy);
		return err_set(err, ERR_MSG, "not a mail message: no header "
		    "at the start");
	}
	if (parser_prescan_check(msg, len, limits, &parse_len, err) == -1) {
		free(copy);
		return -1;
	}
	parser_headers(hdrs, out);

	memset(&w, 0, sizeof(w));
	w.lim = limits;
	w.out = out;
	buf_init(&w.scratch, len);
	body_init(&b, limits->max_text);
	buf_init(&body, limits->max_text);
	r = mailmime_parse(msg, parse_len, &idx, &mime);
	if (parse_len < len)
		w.truncated = 1;
	if (r == MAILIMF_NO_ERROR && mime != NULL)
		walk_mime(&w, mime, 0, &b);
	else
		parser_body_as_text(&w, msg + body_off, len - body_off,
		    &b.plain);
	body_join(&w, &b, &body, &out->body_was_html);
	body_release(&b);
	buf_release(&w.scratch);
	if (mime != NULL)
		mailmime_free(mime);
	free(copy);

	out->truncated = w.truncated;
	out->body_len = body.len;
	out->body = body.len > 0 ? buf_detach(&body, NULL) : xstrdup("");
	buf_release(&body);
	clean_body(out->body, out->body_len, subject_forwards(out->subject) ?
	    CLEAN_FORWARDED : 0, &out->clean);
	return 0;
}

void
parser_msg_release(struct parsed_msg *m)
{
	size_t i;

	if (m == NULL)
		return;
	free(m->message_id);
	free(m->from_addr);
	free(m->from_name);
	free(m->reply_to);
	free(m->to);
	free(m->subject);
	free(m->date);
	free(m->in_reply_to);
	free(m->references);
	free(m->return_path);
	free(m->auto_submitted);
	free(m->precedence);
	free(m->list_id);
	free(m->x_autoreply);
	free(m->body);
	clean_text_release(&m->clean);
	for (i = 0; i < m->nsheets; i++) {
		free(m->sheets[i].filename);
		free(m->sheets[i].text);
	}
	free(m->sheets);
	for (i = 0; i < m->nattachments; i++) {
		free(m->attachments[i].filename);
		free(m->attachments[i].reason);
	}
	free(m->attachments);
	memset(m, 0, sizeof(*m));
}

/*
 * reply/: what a customer receives.  Headers thread under the customer's
 * mail and carry non-ASCII names as encoded words; no CR, LF or other
 * control character from an email can add a header; bodies are
 * quoted-printable UTF-8 in short lines; templates render as documented
 * and every syntax error is refused with FILE:LINE; the no-loop policy
 * keeps robots, our own mail and floods unanswered.
 */
#include "config.h"

#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "common/buf.h"
#include "reply/mime.h"
#include "reply/reply.h"
#include "reply/template.h"
#include "store/outbox.h"
#include "store/store.h"
#include "tests/unit/helpers.h"

#define T0	1700000000

/* ---- helpers: decode what we encoded, look at header lines ---- */

static int
b64val(int c)
{
	const char *tab = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789+/";
	const char *p = strchr(tab, c);

	return c && p ? (int)(p - tab) : -1;
}

/* Decode an unstructured header value: unfold, then decode encoded words
 * (whitespace between two of them is dropped, as RFC 2047 says). */
static void
decode_header(const char *v, struct buf *out)
{
	const char *p = v, *end;
	int last_ew = 0;

	while (*p) {
		if (strncmp(p, "=?UTF-8?B?", 10) == 0 &&
		    (end = strstr(p + 10, "?=")) != NULL) {
			unsigned int acc = 0;
			int bits = 0, d;
			const char *q;

			for (q = p + 10; q < end; q++) {
				if ((d = b64val(*q)) < 0)
					continue;
				acc = acc << 6 | (unsigned int)d;
				bits += 6;
				if (bits >= 8) {
					bits -= 8;
					buf_addc(out, (int)(acc >> bits & 255));
				}
			}
			p = end + 2;
			last_ew = 1;
			continue;
		}
		if (*p == '\r' || *p == '\n') {
			p++;
			continue;
		}
		if (*p == ' ' && last_ew) {
			const char *q = p;

			while (*q == ' ' || *q == '\r' || *q == '\n')
				q++;
			if (strncmp(q, "=?", 2) == 0) {
				p = q;
				continue;
			}
		}
		last_ew = 0;
		buf_addc(out, *p++);
	}
}

static void
decode_qp(const char *s, struct buf *out)
{
	const char *hex = "0123456789ABCDEF";

	while (*s) {
		if (s[0] == '=' && s[1] == '\r' && s[2] == '\n') {
			s += 3;
		} else if (s[0] == '=' && s[1] && s[2]) {
			buf_addc(out, (int)((strchr(hex, s[1]) - hex) * 16 +
			    (strchr(hex, s[2]) - hex)));
			s += 3;
		} else if (s[0] == '\r' && s[1] == '\n') {
			buf_addc(out, '\n');
			s += 2;
		} else {
			buf_addc(out, *s++);
		}
	}
}

/* The header block of msg (up to the empty line). */
static char *
header_block(const char *msg)
{
	const char *e = strstr(msg, "\r\n\r\n");

	assert_non_null(e);
	return strndup(msg, (size_t)(e - msg) + 2);
}

/* The unfolded value of header name in msg, or NULL. */
static char *
header_get(const char *msg, const char *name)
{
	char *h = header_block(msg), *p = h, *val = NULL;
	size_t n = strlen(name);
	struct buf b;

	buf_init(&b, 0);
	while (*p) {
		char *eol = strstr(p, "\r\n");

		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			char *q = p + n + 1;

			while (*q == ' ')
				q++;
			for (;;) {
				buf_add(&b, q, (size_t)(eol - q));
				if (eol[2] != ' ' && eol[2] != '\t')
					break;
				q = eol + 2;
				eol = strstr(q, "\r\n");
			}
			val = buf_detach(&b, NULL);
			if (val == NULL)
				val = strdup("");
			break;
		}
		p = eol + 2;
	}
	buf_release(&b);
	free(h);
	return val;
}

/* Every header line starts with a name and a colon or is a
 * continuation; lines are at most 78 columns; only 7-bit bytes. */
static void
assert_header_block_sane(const char *msg)
{
	char *h = header_block(msg), *p = h;

	while (*p) {
		char *eol = strstr(p, "\r\n");
		char *c;

		assert_non_null(eol);
		if (*p != ' ' && *p != '\t') {
			c = strchr(p, ':');
			assert_true(c != NULL && c < eol);
			for (char *q = p; q < c; q++)
				assert_true(*q > 32 && *q < 127);
		}
		assert_true(eol - p <= 78 || strncmp(p, "References", 10) == 0);
		for (char *q = p; q < eol; q++)
			assert_true((unsigned char)*q >= 32 &&
			    (unsigned char)*q < 127);
		p = eol + 2;
	}
	free(h);
}

/* ---- mime ---- */

static void
test_header_encoding(void **state)
{
	static const char *const values[] = {
		"Order for next week",
		"Bestellung für nächste Woche — Käse",
		"日本語の注文です、よろしくお願いします。これは長い件名です。"
		    "まだまだ続きます。",
		"=?UTF-8?B?ZmFrZQ==?= looks encoded",
		"a very long plain subject that goes on and on and on and on "
		    "and on past the seventy-eight column limit of a header",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		struct buf b, d;
		char *v;

		buf_init(&b, 0);
		buf_init(&d, 0);
		reply_mime_header(&b, "Subject", values[i]);
		buf_adds(&b, "\r\n");
		assert_header_block_sane(buf_str(&b));
		v = header_get(buf_str(&b), "Subject");
		decode_header(v, &d);
		assert_string_equal(buf_str(&d), values[i]);
		free(v);
		buf_release(&b);
		buf_release(&d);
	}
}

static void
test_header_injection(void **state)
{
	static const char *const attacks[] = {
		"Hello\r\nBcc: victim@evil.test",
		"Hello\nBcc: victim@evil.test",
		"Hello\rBcc: victim@evil.test",
		"Hello\r\n\r\nbody injected",
		"Hello\xc2\x85" "Bcc: victim@evil.test",	/* NEL */
		"Grüße\r\nBcc: victim@evil.test",
		"x\x00y",
		"\t\v\f\x1b[31m",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(attacks) / sizeof(attacks[0]); i++) {
		struct buf b;
		char *bcc;

		buf_init(&b, 0);
		reply_mime_header(&b, "Subject", attacks[i]);
		reply_mime_address(&b, "To", attacks[i], "a@b.test");
		buf_adds(&b, "\r\n");
		assert_header_block_sane(buf_str(&b));
		bcc = header_get(buf_str(&b), "Bcc");
		assert_null(bcc);
		/* Exactly the two headers, no empty line inside. */
		assert_ptr_equal(strstr(buf_str(&b), "\r\n\r\n"),
		    buf_str(&b) + b.len - 4);
		buf_release(&b);
	}
}

static void
test_address_phrase(void **state)
{
	static const struct {
		const char *phrase, *want;
	} cases[] = {
		{ "Anna Smith", "To: Anna Smith <a@b.test>\r\n" },
		{ "Smith, Anna", "To: \"Smith, Anna\" <a@b.test>\r\n" },
		{ "A \"B\" C", "To: \"A \\\"B\\\" C\" <a@b.test>\r\n" },
		{ NULL, "To: <a@b.test>\r\n" },
		{ "", "To: <a@b.test>\r\n" },
		{ "Jürgen", "To: =?UTF-8?B?SsO8cmdlbg==?= <a@b.test>\r\n" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf b;

		buf_init(&b, 0);
		reply_mime_address(&b, "To", cases[i].phrase, "a@b.test");
		assert_string_equal(buf_str(&b), cases[i].want);
		buf_release(&b);
	}
}

static void
test_addr_and_msgid_ok(void **state)
{
	static const struct {
		const char *s;
		int addr, msgid;
	} cases[] = {
		{ "buyer@customer.test", 1, 1 },
		{ "a.b+tag@sub.example.co", 1, 1 },
		{ "no-at-sign", 0, 0 },
		{ "@domain.test", 0, 0 },
		{ "user@", 0, 0 },
		{ "a@b@c.test", 0, 1 },
		{ "a b@c.test", 0, 0 },
		{ "a@c.test\r\nBcc: x@y", 0, 0 },
		{ "a@c.test>", 0, 0 },
		{ "<a@c.test", 0, 0 },
		{ "a,b@c.test", 0, 0 },
		{ "a@c..test", 0, 1 },
		{ "a@[127.0.0.1]", 0, 1 },
		{ "\"quoted\"@c.test", 0, 0 },
		{ "ü@c.test", 0, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (reply_mime_addr_ok(cases[i].s) != cases[i].addr)
			fail_msg("addr_ok(%s) != %d", cases[i].s,
			    cases[i].addr);
		if (reply_mime_msgid_ok(cases[i].s) != cases[i].msgid)
			fail_msg("msgid_ok(%s) != %d", cases[i].s,
			    cases[i].msgid);
	}
}

static void
test_qp(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "plain\n", "plain\r\n" },
		{ "a=b\n", "a=3Db\r\n" },
		{ "Käse\n", "K=C3=A4se\r\n" },
		{ "trailing space \n", "trailing space=20\r\n" },
		{ "tab\t\n", "tab=09\r\n" },
		{ ".\n", "=2E\r\n" },
		{ "From here\n", "=46rom here\r\n" },
		{ "no newline", "no newline\r\n" },
		{ "crlf\r\nin\r\n", "crlf\r\nin\r\n" },
		{ "\n\n", "\r\n\r\n" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf b;

		buf_init(&b, 0);
		reply_mime_qp(&b, cases[i].in, strlen(cases[i].in));
		assert_string_equal(buf_str(&b), cases[i].want);
		buf_release(&b);
	}
}

static void
test_qp_long_lines(void **state)
{
	struct buf in, out, back;
	const char *p, *eol;
	int i;

	(void)state;
	buf_init(&in, 0);
	buf_init(&out, 0);
	buf_init(&back, 0);
	for (i = 0; i < 60; i++)
		buf_adds(&in, "Grüße ");
	buf_adds(&in, "\n.");
	for (i = 0; i < 200; i++)
		buf_addc(&in, 'x');
	buf_adds(&in, "\n");
	reply_mime_qp(&out, in.data, in.len);
	for (p = out.data; *p; p = eol + 2) {
		eol = strstr(p, "\r\n");
		assert_non_null(eol);
		assert_true(eol - p <= 76);
		assert_true(*p != '.');
	}
	decode_qp(out.data, &back);
	assert_string_equal(buf_str(&back), buf_str(&in));
	buf_release(&in);
	buf_release(&out);
	buf_release(&back);
}

/* ---- templates ---- */

static void
test_template_errors(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "Hello {{customer_name}\n", "t.txt:1: '{{' is not closed" },
		{ "a\nb\nHello {{custmer_name}}\n",
		    "t.txt:3: unknown placeholder 'custmer_name'" },
		{ "x\n{{quantity}}\n", "t.txt:2: 'quantity' is only known "
		    "inside {{#each lines}}" },
		{ "{{#if po_number}}\nPO\n", "t.txt:1: {{#if}} is never closed" },
		{ "x\n{{/if}}\n", "t.txt:2: {{/if}} without an open block" },
		{ "{{#each lines}}\n{{#if note}}\n{{/each}}\n",
		    "t.txt:3: {{/each}} closes the {{#if}} opened at line 2" },
		{ "{{else}}\n", "t.txt:1: {{else}} outside {{#if}}" },
		{ "{{#if note}}\n{{else}}\n{{else}}\n{{/if}}\n",
		    "t.txt:3: a second {{else}} for the {{#if}} at line 1" },
		{ "\n\n{{#loop lines}}\n{{/loop}}\n",
		    "t.txt:3: unknown block '{{#loop}}'" },
		{ "{{#each products}}\n{{/each}}\n",
		    "t.txt:1: only {{#each lines}} is known" },
		{ "{{#each lines}}\n{{#each lines}}\n{{/each}}\n{{/each}}\n",
		    "t.txt:2: {{#each lines}} inside itself" },
		{ "{{#if}}\n{{/if}}\n", "t.txt:1: {{#if}} needs a placeholder" },
		{ "a {{}} b\n", "t.txt:1: empty tag" },
		{ "ok\n\xff\xfe\n", "t.txt:2: not UTF-8 text" },
		{ "{{/fi}}\n", "t.txt:1: unknown closing tag '{{/fi}}'" },
		{ "{{#if x}}\n{{/if}}\n", "t.txt:1: unknown placeholder 'x'" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct reply_template *t;
		struct err err;

		err.cls = ERR_NONE;
		err.msg[0] = '\0';
		t = reply_template_parse("t.txt", cases[i].text,
		    strlen(cases[i].text), &err);
		if (t != NULL)
			fail_msg("case %zu accepted: %s", i, cases[i].text);
		assert_int_equal(err.cls, ERR_CONFIG);
		if (strncmp(err.msg, cases[i].want, strlen(cases[i].want)) != 0)
			fail_msg("case %zu: got '%s', want '%s'", i, err.msg,
			    cases[i].want);
	}
}

static void
test_template_render(void **state)
{
	static const char *line1[REPLY_LVAR_COUNT] = { "1", "3", "bag",
	    "House Blend", "HB-1", "3 bags" };
	static const char *line2[REPLY_LVAR_COUNT] = { "2", "2", NULL,
	    "Cups", "CUP", "two cups" };
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "Hi {{customer_name}}!\n", "Hi Bluebird!\n" },
		{ "{{#if po_number}}PO {{po_number}}{{/if}}.\n", ".\n" },
		{ "{{#if greeting}}\n{{greeting}}\n{{else}}\nHello,\n{{/if}}\n"
		    "text\n", "Dear Anna,\ntext\n" },
		{ "{{#each lines}}\n- {{quantity}} {{#if unit}}{{unit}} {{/if}}"
		    "{{product}}\n{{/each}}\nend\n",
		    "- 3 bag House Blend\n- 2 Cups\nend\n" },
		{ "  {{! a comment }}  \nkept\n", "kept\n" },
		{ "a {{! inline }}b\n", "a b\n" },
		{ "{{ order_number }} {{line_count}}\n", "MO-7 2\n" },
		{ "{{#if note}}x{{else}}no note{{/if}}\n", "no note\n" },
		{ "no newline at end", "no newline at end" },
		{ "{ not a tag } }}\n", "{ not a tag } }}\n" },
	};
	struct reply_vars v;
	const char *(*lines)[REPLY_LVAR_COUNT];
	size_t i;

	(void)state;
	memset(&v, 0, sizeof(v));
	lines = calloc(2, sizeof(*lines));
	memcpy(lines[0], line1, sizeof(line1));
	memcpy(lines[1], line2, sizeof(line2));
	v.v[REPLY_VAR_CUSTOMER_NAME] = "Bluebird";
	v.v[REPLY_VAR_GREETING] = "Dear Anna,";
	v.v[REPLY_VAR_ORDER_NUMBER] = "MO-7";
	v.v[REPLY_VAR_LINE_COUNT] = "2";
	v.lines = lines;
	v.nlines = 2;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct reply_template *t;
		struct err err;
		struct buf b;

		t = reply_template_parse("t.txt", cases[i].text,
		    strlen(cases[i].text), &err);
		if (t == NULL)
			fail_msg("case %zu: %s", i, err.msg);
		buf_init(&b, 0);
		reply_template_render(t, &v, &b);
		assert_string_equal(buf_str(&b), cases[i].want);
		buf_release(&b);
		reply_template_free(t);
	}
	free(lines);
}

static void
test_shipped_templates_load(void **state)
{
	const char *top = getenv("top_srcdir");
	char dir[1024];
	struct err err;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/templates", top ? top : "..");
	if (reply_templates_check(dir, &err) == -1)
		fail_msg("%s", err.msg);
}

/* ---- composing ---- */

static void
conf_init(struct reply_conf *c, char *dir, size_t n)
{
	const char *top = getenv("top_srcdir");

	snprintf(dir, n, "%s/templates", top ? top : "..");
	memset(c, 0, sizeof(*c));
	c->from = "shop@example.test";
	c->from_name = "Bean & Leaf Ltd.";
	c->templates = dir;
	c->msgid_domain = "mo.example.test";
	c->hostname = "vm";
	c->max_per_hour = 2;
	c->max_age_hours = 24;
	c->now = T0;
}

static void
src_init(struct store_reply_source *s, struct store_reply_line *lines)
{
	memset(s, 0, sizeof(*s));
	memset(lines, 0, 2 * sizeof(*lines));
	s->ref = "MO-42";
	s->status = "accepted";
	s->po_number = "PO-1001";
	s->requested_date = "2026-12-01";
	s->customer_name = "Bluebird Café";
	s->message_id = "orig-1@customer.test";
	s->from_addr = "buyer@customer.test";
	s->from_name = "Jürgen Müller";
	s->subject = "Bestellung für Montag";
	s->refs = "<root@customer.test> <mid@customer.test>";
	s->date_ts = T0 - 60;
	lines[0].quantity = 3;
	lines[0].unit = "bag";
	lines[0].product = "House Blend 1kg";
	lines[0].sku = "HB-1";
	lines[0].text = "3 bags house blend";
	lines[1].quantity = 2;
	lines[1].unit = "case";
	lines[1].product = "12oz Cups";
	lines[1].sku = "CUP-12";
	lines[1].text = "two cases of the 12oz cups";
	s->lines = lines;
	s->nlines = 2;
}

static void
test_compose_confirmation(void **state)
{
	struct reply_conf c;
	struct store_reply_source s;
	struct store_reply_line lines[2];
	struct buf b, body, subj;
	struct err err;
	char dir[1024], *v, *p;

	(void)state;
	conf_init(&c, dir, sizeof(dir));
	src_init(&s, lines);
	buf_init(&b, 0);
	if (reply_compose(&c, &s, REPLY_CONFIRMATION, NULL,
	    "buyer@customer.test", "mailorder.MO-42.x@mo.example.test", T0,
	    &b, &err) == -1)
		fail_msg("%s", err.msg);
	assert_header_block_sane(b.data);

	v = header_get(b.data, "From");
	assert_string_equal(v, "\"Bean & Leaf Ltd.\" <shop@example.test>");
	free(v);
	v = header_get(b.data, "To");
	assert_non_null(strstr(v, "<buyer@customer.test>"));
	assert_non_null(strstr(v, "=?UTF-8?B?"));
	free(v);
	v = header_get(b.data, "Subject");
	buf_init(&subj, 0);
	decode_header(v, &subj);
	assert_string_equal(buf_str(&subj), "Re: Bestellung für Montag [MO-42]");
	buf_release(&subj);
	free(v);
	v = header_get(b.data, "Message-ID");
	assert_string_equal(v, "<mailorder.MO-42.x@mo.example.test>");
	free(v);
	v = header_get(b.data, "In-Reply-To");
	assert_string_equal(v, "<orig-1@customer.test>");
	free(v);
	v = header_get(b.data, "References");
	assert_string_equal(v, "<root@customer.test> <mid@customer.test> "
	    "<orig-1@customer.test>");
	free(v);
	v = header_get(b.data, "Date");
	assert_string_equal(v, "Tue, 14 Nov 2023 22:13:20 +0000");
	free(v);
	v = header_get(b.data, "Auto-Submitted");
	assert_string_equal(v, "auto-replied");
	free(v);
	v = header_get(b.data, "Content-Type");
	assert_string_equal(v, "text/plain; charset=UTF-8");
	free(v);
	v = header_get(b.data, "Content-Transfer-Encoding");
	assert_string_equal(v, "quoted-printable");
	free(v);

	buf_init(&body, 0);
	p = strstr(b.data, "\r\n\r\n") + 4;
	decode_qp(p, &body);
	assert_non_null(strstr(body.data, "Hello Jürgen Müller,\n"));
	assert_non_null(strstr(body.data, "  3 bags House Blend 1kg\n"));
	assert_non_null(strstr(body.data, "  2 cases 12oz Cups\n"));
	assert_non_null(strstr(body.data, "PO number: PO-1001\n"));
	assert_non_null(strstr(body.data, "2026-12-01"));
	assert_non_null(strstr(body.data, "MO-42"));
	assert_non_null(strstr(body.data, "Bean & Leaf Ltd."));
	buf_release(&body);
	buf_release(&b);
}

static void
test_compose_hostile_values(void **state)
{
	struct reply_conf c;
	struct store_reply_source s;
	struct store_reply_line lines[2];
	struct buf b, body;
	struct err err;
	char dir[1024], *v;

	(void)state;
	conf_init(&c, dir, sizeof(dir));
	src_init(&s, lines);
	s.subject = "Order\r\nBcc: victim@evil.test\r\n\r\nfake body";
	s.from_name = "Eve\r\nX-Injected: 1";
	s.message_id = "x@y>\r\nBcc: victim@evil.test";
	s.refs = "<ok@c.test> <bad\r\nBcc: v@e.test> <a b@c.test>";
	lines[0].product = "Beans\r\nBcc: victim@evil.test";
	lines[0].unit = "bag\n.\n";
	buf_init(&b, 0);
	if (reply_compose(&c, &s, REPLY_CONFIRMATION, NULL,
	    "buyer@customer.test", "m@mo.example.test", T0, &b, &err) == -1)
		fail_msg("%s", err.msg);
	assert_header_block_sane(b.data);
	assert_null(header_get(b.data, "Bcc"));
	assert_null(header_get(b.data, "X-Injected"));
	/* The broken id is not repeated; the good one is. */
	assert_null(header_get(b.data, "In-Reply-To"));
	v = header_get(b.data, "References");
	assert_string_equal(v, "<ok@c.test>");
	free(v);
	/* In the body the words stay on their line. */
	buf_init(&body, 0);
	decode_qp(strstr(b.data, "\r\n\r\n") + 4, &body);
	assert_non_null(strstr(body.data,
	    "  3 bag . Beans Bcc: victim@evil.test\n"));
	buf_release(&body);
	buf_release(&b);
}

static void
test_compose_question(void **state)
{
	struct reply_conf c;
	struct store_reply_source s;
	struct store_reply_line lines[2];
	struct reply_extra x = { "Which size?\r\nThe 1kg or\x1b the 500g?",
	    NULL, NULL, NULL };
	struct buf b, body;
	struct err err;
	char dir[1024];

	(void)state;
	conf_init(&c, dir, sizeof(dir));
	src_init(&s, lines);
	buf_init(&b, 0);
	if (reply_compose(&c, &s, REPLY_QUESTION, &x, "buyer@customer.test",
	    "q@mo.example.test", T0, &b, &err) == -1)
		fail_msg("%s", err.msg);
	assert_header_block_sane(b.data);
	/* A person wrote it: not marked automatic. */
	assert_null(header_get(b.data, "Auto-Submitted"));
	buf_init(&body, 0);
	decode_qp(strstr(b.data, "\r\n\r\n") + 4, &body);
	assert_non_null(strstr(body.data, "\nWhich size?\nThe 1kg or the "
	    "500g?\n"));
	buf_release(&body);
	buf_release(&b);
}

static void
test_policy(void **state)
{
	static const struct {
		const char	*field, *value;
		int		 kind;
		int		 reply, held;
	} cases[] = {
		{ NULL, NULL, REPLY_CONFIRMATION, 1, 0 },
		{ "status", "ignored", REPLY_CONFIRMATION, 0, 0 },
		{ "from", "noreply@customer.test", REPLY_CONFIRMATION, 0, 0 },
		{ "from", "No-Reply@customer.test", REPLY_ACKNOWLEDGEMENT, 0, 0 },
		{ "from", "MAILER-DAEMON@customer.test", REPLY_QUESTION, 0, 0 },
		{ "from", "postmaster@customer.test", REPLY_CONFIRMATION, 0, 0 },
		{ "from", "donotreply@customer.test", REPLY_CONFIRMATION, 0, 0 },
		{ "from", "shop@example.test", REPLY_CONFIRMATION, 0, 0 },
		{ "from", "Shop@Example.Test", REPLY_QUESTION, 0, 0 },
		{ "from", "orders@example.test", REPLY_CONFIRMATION, 0, 0 },
		{ "from", "not an address", REPLY_CONFIRMATION, 0, 0 },
		{ "reply_to", "noreply@customer.test", REPLY_CONFIRMATION, 0, 0 },
		{ "reply_to", "office@customer.test", REPLY_CONFIRMATION, 1, 0 },
		{ "auto", "auto-replied", REPLY_CONFIRMATION, 0, 0 },
		{ "auto", "no", REPLY_CONFIRMATION, 1, 0 },
		{ "mid", "mailorder.MO-1.confirmation.ab@mo.example.test",
		    REPLY_QUESTION, 0, 0 },
		/* a colleague's mail program uses the shop's domain too */
		{ "mid", "3f2a-11@mo.example.test", REPLY_CONFIRMATION, 1, 0 },
		{ "irt", "<3f2a-10@mo.example.test>", REPLY_CONFIRMATION, 1, 0 },
		{ "irt", "<mailorder.MO-1.x@mo.example.test>",
		    REPLY_CONFIRMATION, 0, 0 },
		{ "irt", "<mailorder.MO-1.x@mo.example.test>",
		    REPLY_QUESTION, 1, 0 },
		{ "refs", "<a@c.test> <mailorder.MO-1.x@MO.example.test>",
		    REPLY_ACKNOWLEDGEMENT, 0, 0 },
		{ "old", NULL, REPLY_CONFIRMATION, 0, 1 },
		{ "old", NULL, REPLY_QUESTION, 1, 0 },
	};
	static const char *const own[] = { "orders@example.test" };
	struct reply_conf c;
	struct store_reply_source s;
	struct store_reply_line lines[2];
	const char *why, *rcpt;
	char dir[1024];
	size_t i;
	int held;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *f = cases[i].field;

		conf_init(&c, dir, sizeof(dir));
		c.own = own;
		c.nown = 1;
		src_init(&s, lines);
		if (f == NULL)
			;
		else if (strcmp(f, "status") == 0)
			s.status = (char *)cases[i].value;
		else if (strcmp(f, "from") == 0)
			s.from_addr = (char *)cases[i].value;
		else if (strcmp(f, "reply_to") == 0)
			s.reply_to = (char *)cases[i].value;
		else if (strcmp(f, "auto") == 0)
			s.auto_submitted = (char *)cases[i].value;
		else if (strcmp(f, "mid") == 0)
			s.message_id = (char *)cases[i].value;
		else if (strcmp(f, "irt") == 0)
			s.in_reply_to = (char *)cases[i].value;
		else if (strcmp(f, "refs") == 0)
			s.refs = (char *)cases[i].value;
		else if (strcmp(f, "old") == 0)
			s.date_ts = T0 - 25 * 3600;
		why = NULL;
		rcpt = reply_policy(&c, &s, (enum reply_kind)cases[i].kind, T0,
		    &why, &held);
		if ((rcpt != NULL) != cases[i].reply)
			fail_msg("case %zu (%s=%s): reply %d, want %d (%s)", i,
			    f ? f : "-", cases[i].value ? cases[i].value : "",
			    rcpt != NULL, cases[i].reply, why ? why : "");
		assert_int_equal(held, cases[i].held);
		if (rcpt == NULL)
			assert_non_null(why);
	}
	/* Reply-To wins over From. */
	conf_init(&c, dir, sizeof(dir));
	src_init(&s, lines);
	s.reply_to = "office@customer.test";
	assert_string_equal(reply_policy(&c, &s, REPLY_CONFIRMATION, T0, &why,
	    &held), "office@customer.test");
}

/* compose kind for s into a decoded body (caller frees); asserts it
 * composes. */
static char *
compose_body(const struct reply_conf *c, const struct store_reply_source *s,
    enum reply_kind kind, const struct reply_extra *x)
{
	struct buf b, body;
	struct err err;
	char *out;

	buf_init(&b, 0);
	if (reply_compose(c, s, kind, x, "buyer@customer.test", "id@x.test",
	    T0, &b, &err) == -1)
		fail_msg("%s", err.msg);
	buf_init(&body, 0);
	decode_qp(strstr(b.data, "\r\n\r\n") + 4, &body);
	out = strdup(body.data);
	assert_non_null(out);
	buf_release(&body);
	buf_release(&b);
	return out;
}

/* Units are written as a person writes them after the quantity, and a
 * carrier by its own name. */
static void
test_compose_plural_and_carrier(void **state)
{
	static const struct {
		double		 q;
		const char	*unit, *want;
	} units[] = {
		{ 1, "bag", "  1 bag P\n" }, { 3, "bag", "  3 bags P\n" },
		{ 2, "box", "  2 boxes P\n" }, { 4, "each", "  4 each P\n" },
		{ 2, "kg", "  2 kg P\n" }, { 2, "punnet", "  2 punnets P\n" },
		{ 3, "bunch", "  3 bunches P\n" }, { 2, "dozen", "  2 dozen P\n" },
		{ 5, "baker's dozen", "  5 baker's dozen P\n" },
		{ 0.5, "case", "  0.5 cases P\n" },
	};
	static const struct {
		const char	*typed, *want;
	} carriers[] = {
		{ "ups", "Carrier: UPS\n" }, { "royalmail", "Carrier: Royal Mail\n" },
		{ "FEDEX", "Carrier: FedEx\n" }, { "acme post", "Carrier: Acme post\n" },
	};
	struct reply_conf c;
	struct store_reply_source s;
	struct store_reply_line lines[2];
	struct reply_extra x;
	char dir[1024], *body;
	size_t i;

	(void)state;
	conf_init(&c, dir, sizeof(dir));
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		src_init(&s, lines);
		s.nlines = 1;
		lines[0].quantity = units[i].q;
		lines[0].unit = (char *)units[i].unit;
		lines[0].product = "P";
		body = compose_body(&c, &s, REPLY_CONFIRMATION, NULL);
		if (strstr(body, units[i].want) == NULL)
			fail_msg("%g %s: %s", units[i].q, units[i].unit, body);
		free(body);
	}
	for (i = 0; i < sizeof(carriers) / sizeof(carriers[0]); i++) {
		src_init(&s, lines);
		memset(&x, 0, sizeof(x));
		x.carrier = carriers[i].typed;
		x.tracking = "1Z999";
		body = compose_body(&c, &s, REPLY_SHIPPING, &x);
		if (strstr(body, carriers[i].want) == NULL)
			fail_msg("%s: %s", carriers[i].typed, body);
		free(body);
	}
}

/* Mail with no order in it gets the receipt: a person will answer, by
 * name when [reply] person is set, and not a word about an order. */
static void
test_compose_receipt(void **state)
{
	struct reply_conf c;
	struct store_reply_source s;
	struct store_reply_line lines[2];
	char dir[1024], *body, *p;

	(void)state;
	conf_init(&c, dir, sizeof(dir));
	src_init(&s, lines);
	s.nlines = 0;
	s.status = "flagged";
	body = compose_body(&c, &s, REPLY_RECEIPT, NULL);
	assert_non_null(strstr(body, "we have your message"));
	assert_non_null(strstr(body, "One of us will answer you personally"));
	for (p = body; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	assert_null(strstr(body, "order"));
	free(body);
	c.person = "Sam";
	body = compose_body(&c, &s, REPLY_RECEIPT, NULL);
	assert_non_null(strstr(body, "\nSam will answer you personally."));
	free(body);
	assert_true(reply_kind_automatic(REPLY_RECEIPT));
	assert_string_equal(reply_kind_name(REPLY_RECEIPT), "receipt");
}

/* A customer's own template (TEMPLATES/customers/ID/KIND.txt) wins over
 * the shop's; an ID that could leave the folder is never used as a
 * path. */
static void
test_customer_template(void **state)
{
	char tmpl[] = "/tmp/mo-tpl.XXXXXX", dir[1024], cmd[4096], *body;
	struct reply_conf c;
	struct store_reply_source s;
	struct store_reply_line lines[2];
	const char *top = getenv("top_srcdir");
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(tmpl));
	snprintf(cmd, sizeof(cmd), "cp %s/templates/*.txt %s && mkdir -p "
	    "%s/customers/C1", top ? top : "..", tmpl, tmpl);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s/customers/C1/confirmation.txt", tmpl);
	assert_non_null(fp = fopen(cmd, "w"));
	fputs("Dear Dana, {{line_count}} lines as always.\n", fp);
	fclose(fp);
	conf_init(&c, dir, sizeof(dir));
	c.templates = tmpl;
	src_init(&s, lines);
	s.customer_id = "C1";
	body = compose_body(&c, &s, REPLY_CONFIRMATION, NULL);
	assert_string_equal(body, "Dear Dana, 2 lines as always.\n");
	free(body);
	/* Another customer, and a kind C1 has no drop-in for. */
	s.customer_id = "C2";
	body = compose_body(&c, &s, REPLY_CONFIRMATION, NULL);
	assert_non_null(strstr(body, "thank you for your order"));
	free(body);
	s.customer_id = "C1";
	body = compose_body(&c, &s, REPLY_ACKNOWLEDGEMENT, NULL);
	assert_non_null(strstr(body, "your email has arrived"));
	free(body);
	s.customer_id = "../customers/C1";
	body = compose_body(&c, &s, REPLY_CONFIRMATION, NULL);
	assert_non_null(strstr(body, "thank you for your order"));
	free(body);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpl);
	assert_int_equal(system(cmd), 0);
}

/* reply_queue against a store: the rate limit holds replies back and
 * says so on the order, and a queued reply is the message preview shows
 * (bar its random Message-ID). */
static void
test_queue_rate_limit(void **state)
{
	char tmpl[] = "/tmp/mo-reply.XXXXXX", path[128], dir[1024];
	struct reply_conf c;
	struct store *st;
	struct err err;
	sqlite3 *db;
	int64_t id;
	int i, r;

	(void)state;
	assert_non_null(mkdtemp(tmpl));
	snprintf(path, sizeof(path), "%s/t.db", tmpl);
	assert_non_null(st = store_open(path, 0, &err));
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
	    "INSERT INTO customers (id, name) VALUES ('C1', 'Bluebird');"
	    "INSERT INTO products (sku, name, unit) VALUES ('HB', 'House', 'bag');"
	    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
	    " WHERE i < 4) INSERT INTO messages (id, dedupe_key, message_id,"
	    " from_addr, subject) SELECT i, 'k' || i, 'm' || i ||"
	    " '@c.test', 'robot@c.test', 'Order' FROM n;"
	    "INSERT INTO orders (id, ref, customer_id, message_id, status,"
	    " order_date) SELECT id, 'MO-' || id, 'C1', id, 'accepted',"
	    " '2026-01-01' FROM messages;"
	    "INSERT INTO order_lines (order_id, line_no, sku, quantity)"
	    " SELECT id, 1, 'HB', 2 FROM orders;", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	conf_init(&c, dir, sizeof(dir));
	c.now = time(NULL);
	for (i = 1; i <= 4; i++) {
		assert_int_equal(store_begin(st, &err), 0);
		r = reply_queue(st, &c, i, REPLY_CONFIRMATION, NULL, &id, &err);
		if (r == -1)
			fail_msg("%s", err.msg);
		assert_int_equal(store_commit(st, &err), 0);
		assert_int_equal(r, 0);
		/* The first two are queued, the rest held by the limit. */
		assert_true(i <= 2 ? id > 0 : id == 0);
	}
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	{
		sqlite3_stmt *s;

		assert_int_equal(sqlite3_prepare_v2(db, "SELECT"
		    " (SELECT count(*) FROM outbox),"
		    " (SELECT count(*) FROM flags WHERE code = 'reply_held'"
		    "  AND order_id IN (3, 4))", -1, &s, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(s), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(s, 0), 2);
		assert_int_equal(sqlite3_column_int(s, 1), 2);
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	store_close(st);
	assert_int_equal(th_rmdir(tmpl), 0);
}

/* The Message-ID of a queued reply ends in the shop's domain (from's,
 * or [smtp] message_id_domain), never in the host's name. */
static void
test_message_id_domain(void **state)
{
	char tmpl[] = "/tmp/mo-reply.XXXXXX", path[128], cmd[128], dir[1024];
	const char *const domains[] = { NULL, "mail.beanleaf.example" };
	const char *const want[] = { "@example.test", "@mail.beanleaf.example" };
	struct reply_conf c;
	struct store *st;
	struct err err;
	sqlite3_stmt *s;
	sqlite3 *db;
	int64_t id;
	size_t i;
	const char *mid;

	(void)state;
	assert_non_null(mkdtemp(tmpl));
	snprintf(path, sizeof(path), "%s/t.db", tmpl);
	assert_non_null(st = store_open(path, 0, &err));
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
	    "INSERT INTO customers (id, name) VALUES ('C1', 'Bluebird');"
	    "INSERT INTO messages (id, dedupe_key, message_id, from_addr,"
	    " subject) VALUES (1, 'k1', 'm1@c.test', 'a@c.test', 'Order');"
	    "INSERT INTO orders (id, ref, customer_id, message_id, status,"
	    " order_date) VALUES (1, 'MO-1', 'C1', 1, 'accepted',"
	    " '2026-01-01');", NULL, NULL, NULL), SQLITE_OK);
	for (i = 0; i < 2; i++) {
		conf_init(&c, dir, sizeof(dir));
		c.msgid_domain = domains[i];
		c.now = time(NULL);
		assert_int_equal(store_begin(st, &err), 0);
		assert_int_equal(reply_queue(st, &c, 1, REPLY_CONFIRMATION,
		    NULL, &id, &err), 0);
		assert_int_equal(store_commit(st, &err), 0);
		assert_int_equal(sqlite3_prepare_v2(db, "SELECT message_id"
		    " FROM outbox WHERE id = ?1", -1, &s, NULL), SQLITE_OK);
		sqlite3_bind_int64(s, 1, id);
		assert_int_equal(sqlite3_step(s), SQLITE_ROW);
		mid = (const char *)sqlite3_column_text(s, 0);
		if (strlen(mid) < strlen(want[i]) || strcmp(mid + strlen(mid) -
		    strlen(want[i]), want[i]) != 0)
			fail_msg("Message-ID '%s' does not end in '%s'", mid,
			    want[i]);
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	store_close(st);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpl);
	assert_int_equal(system(cmd), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_encoding),
		cmocka_unit_test(test_header_injection),
		cmocka_unit_test(test_address_phrase),
		cmocka_unit_test(test_addr_and_msgid_ok),
		cmocka_unit_test(test_qp),
		cmocka_unit_test(test_qp_long_lines),
		cmocka_unit_test(test_template_errors),
		cmocka_unit_test(test_template_render),
		cmocka_unit_test(test_shipped_templates_load),
		cmocka_unit_test(test_compose_confirmation),
		cmocka_unit_test(test_compose_hostile_values),
		cmocka_unit_test(test_compose_question),
		cmocka_unit_test(test_policy),
		cmocka_unit_test(test_compose_plural_and_carrier),
		cmocka_unit_test(test_compose_receipt),
		cmocka_unit_test(test_customer_template),
		cmocka_unit_test(test_message_id_domain),
		cmocka_unit_test(test_queue_rate_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

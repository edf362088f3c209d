/*
 * trust/: Authentication-Results read from trusted servers only, the
 * verdict on a sender, and lookalike domains.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "trust/trust.h"

static const struct trust_method *
method(const struct trust_authres *ar, const char *name)
{
	size_t i;

	for (i = 0; i < ar->nmethods; i++)
		if (strcmp(ar->methods[i].name, name) == 0)
			return &ar->methods[i];
	return NULL;
}

/* Headers as real verifiers write them (Gmail, OpenDKIM, OpenDMARC). */
static void
test_parse(void **state)
{
	static const char gmail[] = " mx.google.com;\r\n"
	    "       dkim=pass header.i=@acme.example header.s=s1 "
	    "header.b=Ab/Cd+E=;\r\n"
	    "       spf=pass (google.com: domain of dana@acme.example; "
	    "designates 192.0.2.1 as permitted sender) "
	    "smtp.mailfrom=dana@acme.example;\r\n"
	    "       dmarc=pass (p=REJECT sp=REJECT dis=NONE) "
	    "header.from=acme.example";
	static const char opendkim[] = " mx.example.test;\n"
	    "\tdkim=fail reason=\"signature verification failed\" "
	    "(1024-bit key; unprotected) header.d=customer.test "
	    "header.i=@customer.test header.a=rsa-sha256 header.s=sel "
	    "header.b=QWxp";
	struct trust_authres ar;
	const struct trust_method *m;

	(void)state;
	assert_int_equal(trust_authres_parse(gmail, strlen(gmail), &ar), 0);
	assert_string_equal(ar.authserv_id, "mx.google.com");
	assert_false(ar.malformed);
	assert_int_equal(ar.nmethods, 3);
	assert_non_null(m = method(&ar, "dkim"));
	assert_int_equal(m->result, TRUST_PASS);
	assert_string_equal(m->domain, "acme.example");	/* from header.i */
	assert_non_null(m = method(&ar, "spf"));
	assert_string_equal(m->domain, "acme.example");
	assert_non_null(m = method(&ar, "dmarc"));
	assert_int_equal(m->result, TRUST_PASS);
	assert_string_equal(m->domain, "acme.example");

	assert_int_equal(trust_authres_parse(opendkim, strlen(opendkim), &ar),
	    0);
	assert_false(ar.malformed);
	assert_non_null(m = method(&ar, "dkim"));
	assert_int_equal(m->result, TRUST_FAIL);
	assert_string_equal(m->domain, "customer.test");	/* header.d wins */
}

static void
test_parse_table(void **state)
{
	static const struct {
		const char	*value;
		int		 rc, malformed;
		const char	*id;
		size_t		 nmethods;
	} cases[] = {
		{ " example.org 1; none", 0, 0, "example.org", 0 },
		{ " \"quoted.example\" ; spf=softfail smtp.mailfrom=x.example",
		    0, 0, "quoted.example", 1 },
		{ " (comment) MX.Example.TEST (another; one);\n dkim/1=pass "
		    "header.d=a.example", 0, 0, "mx.example.test", 1 },
		{ " mx.example.test; dkim", 0, 1, "mx.example.test", 0 },
		{ " mx.example.test; dkim=pass header.d", 0, 1,
		    "mx.example.test", 0 },
		{ " mx.example.test junk; dkim=pass", 0, 1, "mx.example.test",
		    0 },
		{ "   ", -1, 0, "", 0 },
		{ " mx.example.test; arc=pass; x-custom=ok prop.x=1", 0, 0,
		    "mx.example.test", 2 },
	};
	struct trust_authres ar;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = trust_authres_parse(cases[i].value,
		    strlen(cases[i].value), &ar);

		assert_int_equal(rc, cases[i].rc);
		if (rc == -1)
			continue;
		assert_int_equal(ar.malformed, cases[i].malformed);
		assert_string_equal(ar.authserv_id, cases[i].id);
		if (!cases[i].malformed)
			assert_int_equal(ar.nmethods, cases[i].nmethods);
	}
}

static void
test_id_match(void **state)
{
	static const char *const ids[] = { "mx.example.test",
	    "*.protection.outlook.com" };
	static const struct {
		const char	*id;
		int		 match;
	} cases[] = {
		{ "mx.example.test", 1 },
		{ "MX.EXAMPLE.TEST", 1 },
		{ "evil.mx.example.test", 0 },	/* no wildcard given */
		{ "mx.example.test.evil", 0 },
		{ "am0pr01mb1234.eurprd01.prod.protection.outlook.com", 1 },
		{ "x.protection.outlook.com", 1 },
		{ "protection.outlook.com", 0 },
		{ "evilprotection.outlook.com", 0 },
		{ ".protection.outlook.com", 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(trust_id_match(cases[i].id, ids, 2),
		    cases[i].match);
}

static const char *const trusted[] = { "mx.example.test" };

/* Only the topmost field of a trusted id is read: whatever a sender
 * wrote, untrusted ids and trusted ones alike, sits below it. */
static void
test_find(void **state)
{
	static const char forged_below[] =
	    "Authentication-Results: mx.example.test;\r\n"
	    "\tdkim=fail header.d=acme.example\r\n"
	    "Received: from evil.example by mx.example.test\r\n"
	    "Authentication-Results: evil.example; dmarc=pass "
	    "header.from=acme.example\r\n"
	    "Authentication-Results: mx.example.test; dmarc=pass "
	    "header.from=acme.example\r\n"
	    "From: dana@acme.example\r\n"
	    "\r\n"
	    "Authentication-Results: mx.example.test; dmarc=fail\r\n";
	static const char untrusted_only[] =
	    "Authentication-Results: evil.example; dmarc=fail "
	    "header.from=acme.example\r\n"
	    "From: dana@acme.example\r\n\r\nbody\r\n";
	static const char in_body[] =
	    "From: dana@acme.example\n\n"
	    "Authentication-Results: mx.example.test; dmarc=fail\n";
	static const char malformed_top[] =
	    "Authentication-Results: mx.example.test; dkim\n"
	    "Authentication-Results: mx.example.test; dmarc=pass\n\n";
	struct trust_authres ar;
	const struct trust_method *m;

	(void)state;
	assert_int_equal(trust_authres_find(forged_below,
	    sizeof(forged_below) - 1, trusted, 1, &ar), 1);
	assert_int_equal(ar.nmethods, 1);
	assert_non_null(m = method(&ar, "dkim"));
	assert_int_equal(m->result, TRUST_FAIL);
	assert_null(method(&ar, "dmarc"));

	assert_int_equal(trust_authres_find(untrusted_only,
	    sizeof(untrusted_only) - 1, trusted, 1, &ar), 0);
	assert_int_equal(trust_authres_find(in_body, sizeof(in_body) - 1,
	    trusted, 1, &ar), 0);
	assert_int_equal(trust_authres_find(forged_below,
	    sizeof(forged_below) - 1, NULL, 0, &ar), 0);
	/* An unreadable topmost field is not a reason to read the next. */
	assert_int_equal(trust_authres_find(malformed_top,
	    sizeof(malformed_top) - 1, trusted, 1, &ar), 1);
	assert_true(ar.malformed);
	assert_int_equal(trust_sender_unverified(&ar, "acme.example", NULL,
	    0), 0);
}

static void
test_verdict_table(void **state)
{
	static const struct {
		const char	*header;
		const char	*from;
		int		 unverified;
		const char	*why;
	} cases[] = {
		{ "m; dmarc=fail header.from=acme.example", "acme.example", 1,
		    "dmarc=fail for acme.example" },
		{ "m; dkim=fail header.d=acme.example; dmarc=pass "
		    "header.from=acme.example", "acme.example", 0, "" },
		{ "m; dkim=fail header.d=acme.example; spf=fail "
		    "smtp.mailfrom=acme.example", "acme.example", 1,
		    "dkim=fail for acme.example, spf=fail for acme.example" },
		{ "m; dkim=pass header.d=acme.example; spf=fail "
		    "smtp.mailfrom=acme.example", "acme.example", 0, "" },
		/* a forger passes easily for his own domain */
		{ "m; dkim=pass header.d=evil.example; spf=pass "
		    "smtp.mailfrom=bob@evil.example", "acme.example", 1,
		    "dkim=pass for evil.example, spf=pass for evil.example" },
		{ "m; dkim=none; spf=none", "acme.example", 0, "" },
		{ "m; dkim=fail header.d=acme.example", "acme.example", 1,
		    "dkim=fail for acme.example, no spf result" },
		{ "m; spf=softfail smtp.mailfrom=acme.example", "acme.example",
		    1, "no dkim result, spf=softfail for acme.example" },
		{ "m; dkim=pass header.d=mail.acme.example; spf=fail",
		    "acme.example", 0, "" },
		{ "m; dkim=pass header.d=acme.example", "orders.acme.example",
		    0, "" },
		{ "m; dkim=temperror header.d=acme.example; spf=none",
		    "acme.example", 0, "" },
		{ "m; dmarc=fail header.from=other.example; dkim=pass "
		    "header.d=acme.example", "acme.example", 0, "" },
		{ "m; dmarc=fail", "acme.example", 1, "dmarc=fail" },
		{ "m; dmarc=none header.from=acme.example; dkim=fail "
		    "header.d=acme.example; spf=pass smtp.mailfrom=acme.example",
		    "acme.example", 0, "" },
		{ "m; dkim=pass header.d=notacme.example", "acme.example", 1,
		    "dkim=pass for notacme.example, no spf result" },
	};
	struct trust_authres ar;
	char why[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(trust_authres_parse(cases[i].header,
		    strlen(cases[i].header), &ar), 0);
		assert_false(ar.malformed);
		assert_int_equal(trust_sender_unverified(&ar, cases[i].from,
		    why, sizeof(why)), cases[i].unverified);
		assert_string_equal(why, cases[i].why);
	}
	assert_int_equal(trust_sender_unverified(NULL, "acme.example", why,
	    sizeof(why)), 0);
}

static void
test_skeleton(void **state)
{
	static const struct {
		const char	*in, *out;
	} cases[] = {
		{ "xn--mnchen-3ya.example", "munchen.example" },
		{ "xn--cmelogistics-w9j.com", "acmelogistics.com" },
		{ "ACRNE.com", "acme.com" },
		{ "g00gle.com", "google.com" },
		{ "vvidget.com", "widget.com" },
		{ "d\xc3\xa9j\xc3\xa0.example", "deja.example" },
	};
	char out[TRUST_DOMAIN_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(trust_skeleton(cases[i].in, out, sizeof(out)),
		    0);
		assert_string_equal(out, cases[i].out);
	}
	assert_int_equal(trust_skeleton("xn--99999999999.com", out,
	    sizeof(out)), -1);
	assert_int_equal(trust_skeleton("a.com", out, 3), -1);
}

static void
test_lookalike_table(void **state)
{
	static const char *const known[] = { "acmelogistics.com",
	    "beanleaf.example", "abc.com", "gmail.com" };
	static const struct {
		const char	*domain;
		int		 hit;
		size_t		 which;
	} cases[] = {
		{ "acme-logistics.com", 1, 0 },		/* inserted */
		{ "acmelogistic.com", 1, 0 },		/* missing */
		{ "acmelogsitics.com", 1, 0 },		/* swapped */
		{ "acmelogistlcs.com", 1, 0 },		/* changed */
		{ "acrnelogistics.com", 1, 0 },		/* rn for m */
		{ "acme1ogistics.com", 1, 0 },		/* 1 for l */
		{ "xn--cmelogistics-w9j.com", 1, 0 },	/* Cyrillic a */
		{ "xn--acmelgistics-22i.com", 1, 0 },	/* Greek o */
		{ "acmelogistics.co", 1, 0 },
		{ "acmelogistics.net", 1, 0 },		/* another TLD */
		{ "acme-logistlcs.com", 1, 0 },		/* two edits, long */
		{ "beanleaf.example.org", 0, 0 },
		{ "beanlaef.example", 1, 1 },
		{ "bean-leef.example", 0, 0 },		/* two edits, short */
		{ "acmelogistics.com", 0, 0 },		/* the customer's own */
		{ "mail.acmelogistics.com", 0, 0 },	/* a subdomain */
		{ "acme.com", 0, 0 },
		{ "abd.com", 0, 0 },			/* too short to say */
		{ "abc.net", 0, 0 },
		{ "mail.com", 0, 0 },			/* a real provider */
		{ "gmai1.com", 0, 0 },			/* providers not known */
		{ "totally-different.example", 0, 0 },
	};
	size_t i, which;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		which = 99;
		if (trust_lookalike(cases[i].domain, known, 4, &which) !=
		    cases[i].hit)
			fail_msg("'%s': expected %d", cases[i].domain,
			    cases[i].hit);
		if (cases[i].hit)
			assert_int_equal(which, cases[i].which);
	}
	assert_int_equal(trust_lookalike(NULL, known, 4, &which), 0);
	assert_int_equal(trust_lookalike("acme-logistics.com", NULL, 0,
	    &which), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_table),
		cmocka_unit_test(test_id_match),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_verdict_table),
		cmocka_unit_test(test_skeleton),
		cmocka_unit_test(test_lookalike_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

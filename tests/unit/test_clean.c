/*
 * parser/clean.c: what survives cleaning.  The promise to the rules is
 * that a customer's order lines always survive and that quoted earlier
 * orders, phone numbers and addresses never do.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "parser/clean.h"

static const struct clean_case {
	const char	*name;
	const char	*body;
	const char	*keep[4];
	const char	*drop[5];
} clean_cases[] = {
	{ "outlook original message",
	  "Please send 2 bags of decaf.\n\n-----Original Message-----\n"
	  "From: Orders\nSent: Monday\nTo: Dana\nSubject: order\n\n"
	  "5 bags of espresso\n",
	  { "Please send 2 bags of decaf." },
	  { "5 bags", "Original", "From:" } },
	{ "outlook header block without separator line",
	  "3 boxes of lids\n\nFrom: Orders <o@x>\nSent: Monday\nTo: Dana\n"
	  "Subject: RE: order\n\n7 bags of espresso\n",
	  { "3 boxes of lids" }, { "7 bags", "Sent:" } },
	{ "outlook underscore separator",
	  "1 case of cups\n\n________________________________\n"
	  "From: Orders <o@x>\nSent: Monday\nTo: Dana\nSubject: order\n\n"
	  "9 bags of decaf\n",
	  { "1 case of cups" }, { "9 bags", "____" } },
	{ "gmail one-line wrote",
	  "Same as last time\n\nOn Mon, Mar 2, 2026 at 9:00 AM Orders "
	  "<o@x> wrote:\n> 5 bags of house blend\n> Total 120\n",
	  { "Same as last time" }, { "5 bags", "wrote", "120" } },
	{ "gmail wrote split over two lines",
	  "Same as last time\n\nOn Mon, Mar 2, 2026 at 9:00 AM Orders "
	  "<orders@roaster.example>\nwrote:\n\n> 5 bags of house blend\n",
	  { "Same as last time" }, { "5 bags", "wrote", "On Mon" } },
	{ "bottom posting keeps the reply below the quote",
	  "On Mon, Bob wrote:\n> 5 bags of house blend\n\n"
	  "Please double that.\n",
	  { "Please double that." }, { "5 bags", "Bob" } },
	{ "apple mail iphone",
	  "2 cases of 12oz cups\n\nSent from my iPhone\n\n"
	  "> On 2 Mar 2026, at 09:00, Orders <o@x> wrote:\n> 4 bags\n",
	  { "2 cases of 12oz cups" }, { "iPhone", "4 bags" } },
	{ "outlook mobile",
	  "6 bags of decaf\n\nGet Outlook for iOS\n",
	  { "6 bags of decaf" }, { "Outlook" } },
	{ "dash signature",
	  "6 bags of house blend\n-- \nDana\nTel 555 201 3344\n",
	  { "6 bags of house blend" }, { "Dana", "555" } },
	{ "disclaimer",
	  "3 bags of espresso\n\nThis e-mail and any attachments may be "
	  "confidential.\nIf received in error call 555-201-3344.\n",
	  { "3 bags of espresso" }, { "confidential", "555" } },
	{ "DISCLAIMER heading",
	  "3 bags of espresso\n\nDISCLAIMER\nSuite 200, 12 Main St\n",
	  { "3 bags of espresso" }, { "DISCLAIMER", "Suite" } },
	{ "closing then contact block",
	  "Please send 5 bags of house blend.\n\nThanks,\nDana Buyer\n"
	  "Cafe Example\n123 Main Street, Suite 200\nSpringfield, IL 62704\n"
	  "T: 555.201.3344\nM: +1 555 201 9999\n",
	  { "Please send 5 bags of house blend." },
	  { "Suite 200", "555", "62704", "Dana" } },
	{ "contact block without a closing",
	  "4 bags of decaf\n\nDana Buyer\nCafe Example\n"
	  "Phone: (555) 201-3344\nwww.cafe.example\n",
	  { "4 bags of decaf" }, { "555", "www", "Dana" } },
	{ "lone phone and suite lines never survive",
	  "4 bags of decaf\nSuite 200\n(555) 201-3344\n2 bags of espresso\n",
	  { "4 bags of decaf", "2 bags of espresso" }, { "Suite", "555" } },
	{ "order lines with numbers are not contact lines",
	  "12 cases of 12oz cups\n2 x 5lb bags house blend\n"
	  "3 bags Colombia 250g\nPO 4500012345\nDeliver by 03/14\n",
	  { "12 cases of 12oz cups\n2 x 5lb bags house blend\n"
	    "3 bags Colombia 250g\nPO 4500012345\nDeliver by 03/14" }, { NULL } },
	{ "product names and PO numbers are not addresses",
	  "24 cans Dr Pepper\n3 Bags Highway Blend\n5 Rocky Road\n"
	  "P: 4500012345\nItem XL 10023\n",
	  { "24 cans Dr Pepper\n3 Bags Highway Blend\n5 Rocky Road\n"
	    "P: 4500012345\nItem XL 10023" }, { NULL } },
	{ "a street address in the text is kept, with its suite dropped",
	  "Deliver to our new site:\n1200 W. Elm Ave., Suite 4\n"
	  "2 bags of decaf\n",
	  { "Deliver to our new site:", "2 bags of decaf" }, { "Suite" } },
	{ "a postscript after the signature is kept",
	  "5 bags of house blend\n\nThanks,\nDana\n\nPS: add 2 bags of "
	  "decaf\n",
	  { "5 bags of house blend", "PS: add 2 bags of decaf" },
	  { "Dana" } },
	{ "outlook signature with short labels, an image and a web link",
	  "Please send:\n- 6 x House Blend 1kg (HB-1KG)\n- 4 cases 12oz cups\n"
	  "Our PO number is 4500012345.\n\nBest regards,\n\nDana Buyer\n"
	  "Head of Purchasing | Cafe Example Ltd.\n"
	  "[cid:image001.png@01DA1234.5678ABCD]\n"
	  "T +44 20 7946 0958 | M +44 7700 900123\n"
	  "cafeexample.co.uk<https://cafeexample.co.uk>\n"
	  "Unit 4, 12 Market Street, London N1 9AA\n\n"
	  "From: Anna <anna@roaster.example>\nSent: 02 March 2026 16:20\n"
	  "To: Dana <dana@cafe.example>\nSubject: RE: Weekly order\n\n"
	  "Your last order (8 x House Blend) has shipped.\n",
	  { "- 6 x House Blend 1kg (HB-1KG)\n- 4 cases 12oz cups\n"
	    "Our PO number is 4500012345." },
	  { "7946", "cid:", "cafeexample", "Unit 4", "8 x" } },
	{ "the same block without a closing line",
	  "2 bags of decaf\n\nDana Buyer\n"
	  "Head of Purchasing | Cafe Example Ltd.\n"
	  "T +44 20 7946 0958 | M +44 7700 900123\n"
	  "Unit 4, 12 Market Street, London N1 9AA\n",
	  { "2 bags of decaf" }, { "Dana", "7946", "Unit" } },
	{ "barcodes and long numbers in order lines are kept",
	  "1 x 4006381333931\n2 x EAN 4006381333948\nTel Aviv blend 3 bags\n",
	  { "1 x 4006381333931\n2 x EAN 4006381333948\n"
	    "Tel Aviv blend 3 bags" }, { NULL } },
	{ "thanks at the top is not a signature",
	  "Thanks!\n\n3 bags of house blend\n2 bags of decaf\n",
	  { "3 bags of house blend\n2 bags of decaf" }, { NULL } },
	{ "a long text after thanks is not a signature",
	  "Hi\nThanks,\nline 1\nline 2\nline 3\nline 4\nline 5\nline 6\n"
	  "line 7\nline 8\nline 9\nline 10\nline 11 3 bags\n",
	  { "line 11 3 bags" }, { NULL } },
	{ "gmail inline forward is kept",
	  "FYI, please ship this.\n\n---------- Forwarded message ---------\n"
	  "From: Store Manager <m@cafe.example>\nDate: Mon, Mar 2, 2026\n"
	  "Subject: order\nTo: Dana <d@cafe.example>\n\n\n7 bags of house "
	  "blend\n",
	  { "FYI, please ship this.", "7 bags of house blend" },
	  { "Store Manager", "Forwarded", "Subject" } },
	{ "apple inline forward is kept",
	  "\nBegin forwarded message:\n\nFrom: Store Manager <m@x>\n"
	  "Subject: order\nDate: 2 March 2026\nTo: Dana <d@x>\n\n"
	  "7 bags of house blend\n",
	  { "7 bags of house blend" }, { "Begin", "Store Manager" } },
	{ "outlook forward (FW:) is kept",
	  "See below\n\n________________________________\nFrom: Store <s@x>\n"
	  "Sent: Monday\nTo: Dana\nSubject: FW: order\n\n7 bags of decaf\n",
	  { "See below", "7 bags of decaf" }, { "FW:", "Sent:" } },
	{ "forward after a signature is kept",
	  "Please do this one\n-- \nDana\n\n---------- Forwarded message "
	  "---------\nFrom: a@b\n\n2 bags of decaf\n",
	  { "Please do this one", "2 bags of decaf" }, { "Dana" } },
	{ "CRLF line ends",
	  "2 bags of decaf\r\n\r\nSent from my iPad\r\n",
	  { "2 bags of decaf" }, { "iPad" } },
	{ "CRLF dash signature",
	  "2 bags of decaf\r\n-- \r\nDana\r\n",
	  { "2 bags of decaf" }, { "Dana" } },
	{ "empty body", "", { "" }, { NULL } },
};

static void
test_clean_cases(void **state)
{
	const struct clean_case *c;
	struct clean_text ct;
	size_t i, j;

	for (i = 0; i < sizeof(clean_cases) / sizeof(clean_cases[0]); i++) {
		c = &clean_cases[i];
		clean_body(c->body, strlen(c->body), 0, &ct);
		assert_int_equal(strlen(ct.text), ct.len);
		for (j = 0; j < 4 && c->keep[j] != NULL; j++)
			if (strstr(ct.text, c->keep[j]) == NULL)
				fail_msg("%s: '%s' missing from '%s'", c->name,
				    c->keep[j], ct.text);
		for (j = 0; j < 5 && c->drop[j] != NULL; j++)
			if (strstr(ct.text, c->drop[j]) != NULL)
				fail_msg("%s: '%s' survived in '%s'", c->name,
				    c->drop[j], ct.text);
		clean_text_release(&ct);
	}
}

/* The segments tile the body in order, and map points every text byte
 * at the same byte of the body. */
static void
test_segments_and_map(void **state)
{
	static const char body[] = "Hi\n2 bags\n\nFrom: x\n-- \nDana\n"
	    "---------- Forwarded message ---------\nFrom: y\n\n3 bags\n"
	    "> old\n";
	struct clean_text ct;
	size_t i, off = 0;
	int kinds[4] = { 0 };

	clean_body(body, sizeof(body) - 1, 0, &ct);
	for (i = 0; i < ct.nsegs; i++) {
		assert_int_equal(ct.segs[i].off, off);
		assert_true(ct.segs[i].len > 0);
		if (i > 0)
			assert_int_not_equal(ct.segs[i].kind,
			    ct.segs[i - 1].kind);
		kinds[ct.segs[i].kind] = 1;
		off += ct.segs[i].len;
	}
	assert_int_equal(off, sizeof(body) - 1);
	assert_true(kinds[CLEAN_KEPT] && kinds[CLEAN_QUOTE] &&
	    kinds[CLEAN_SIGNATURE] && kinds[CLEAN_FORWARD_HEADER]);
	for (i = 0; i < ct.len; i++)
		assert_int_equal(ct.text[i], body[ct.map[i]]);
	assert_non_null(strstr(ct.text, "2 bags"));
	assert_non_null(strstr(ct.text, "3 bags"));
	assert_null(strstr(ct.text, "old"));
	clean_text_release(&ct);
	clean_text_release(&ct);
	clean_text_release(NULL);
}

/* A mail whose subject says FW: keeps the mail its first Outlook block
 * forwards, though that block shows the original subject; without the
 * flag the same block quotes a reply, which is dropped. */
static void
test_outlook_forward(void **state)
{
	static const char body[] = "Hi both,\n\ncan you send the bits "
	    "below from her list?\n\nDan\n\nFrom: Sarah <s@x.test>\n"
	    "Sent: 27 November 2026 16:02\nTo: Dan <d@x.test>\n"
	    "Subject: stationery for next week\n\n4 reams of the 100gsm "
	    "paper\n";
	struct clean_text ct;

	clean_body(body, sizeof(body) - 1, CLEAN_FORWARDED, &ct);
	assert_non_null(strstr(ct.text, "4 reams of the 100gsm paper"));
	assert_null(strstr(ct.text, "Sent: 27 November"));
	clean_text_release(&ct);
	clean_body(body, sizeof(body) - 1, 0, &ct);
	assert_null(strstr(ct.text, "4 reams"));
	clean_text_release(&ct);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_cases),
		cmocka_unit_test(test_segments_and_map),
		cmocka_unit_test(test_outlook_forward),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

# reply/: the mail sent to customers, composed from editable templates
# (templates/*.txt, installed under $(pkgdatadir)/templates) and queued in
# the store's outbox for smtp/ to send.
libmailorder_a_SOURCES += \
	reply/reply.c reply/reply.h \
	reply/template.c reply/template.h \
	reply/mime.c reply/mime.h

templatesdir = $(pkgdatadir)/templates
dist_templates_DATA = \
	templates/confirmation.txt \
	templates/acknowledgement.txt \
	templates/question.txt \
	templates/rejection.txt \
	templates/shipping.txt \
	templates/receipt.txt
EXTRA_DIST += templates/FORMAT.md

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_reply tests/unit/test_outbox
TESTS += tests/unit/test_reply tests/unit/test_outbox
tests_unit_test_reply_SOURCES = tests/unit/test_reply.c
tests_unit_test_reply_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_reply_LDADD = $(TEST_LIBS)
tests_unit_test_outbox_SOURCES = tests/unit/test_outbox.c
tests_unit_test_outbox_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_outbox_LDADD = $(TEST_LIBS)
endif

# The conversation with each customer, through the real test bed.
TESTS += tests/integration/conversation.sh
EXTRA_DIST += tests/integration/conversation.sh

# imap/: the mail source over libetpan's IMAP, with TLS verified by our own
# GnuTLS stream driver.  Its integration tests run against the private
# Dovecot/Postfix test-bed in tests/integration/testbed.sh.
libmailorder_a_SOURCES += \
	imap/imap.h \
	imap/imap_int.h \
	imap/mailbox.c \
	imap/session.c \
	imap/source.c \
	imap/tls.c

check_PROGRAMS += tests/integration/imap_check
tests_integration_imap_check_SOURCES = tests/integration/imap_check.c
tests_integration_imap_check_CFLAGS = $(AM_CFLAGS) $(LIBETPAN_CFLAGS)
tests_integration_imap_check_LDADD = $(MO_LIBS)

EXTRA_DIST += tests/integration/testbed.sh

INTEGRATION_TESTS = \
	tests/integration/testbed-selftest.sh \
	tests/integration/imap.sh
TESTS += $(INTEGRATION_TESTS)
EXTRA_DIST += $(INTEGRATION_TESTS)

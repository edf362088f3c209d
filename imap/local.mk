# imap/: the mail source over libetpan's IMAP, with TLS verified by our own
# GnuTLS stream driver.  Its integration tests run against the private
# Dovecot/Postfix test-bed in tests/integration/testbed.sh.

EXTRA_DIST += tests/integration/testbed.sh

INTEGRATION_TESTS = tests/integration/testbed-selftest.sh
TESTS += $(INTEGRATION_TESTS)
EXTRA_DIST += $(INTEGRATION_TESTS)

# trust/: is the sender who the From: says?  Authentication-Results
# from trusted receiving servers (RFC 8601) and lookalike domains.
libmailorder_a_SOURCES += \
	trust/trust.h \
	trust/authres.c \
	trust/verdict.c \
	trust/lookalike.c

# Its unit test, test_trust, is registered in tests/local.mk.

TESTS += tests/integration/trust.sh
EXTRA_DIST += tests/integration/trust.sh tests/integration/testbed-milters.sh

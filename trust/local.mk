# trust/: is the sender who the From: says?  Authentication-Results
# from trusted receiving servers (RFC 8601) and lookalike domains.
libmailorder_a_SOURCES += \
	trust/trust.h \
	trust/authres.c \
	trust/verdict.c \
	trust/lookalike.c

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_trust
TESTS += tests/unit/test_trust
tests_unit_test_trust_SOURCES = tests/unit/test_trust.c
tests_unit_test_trust_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_trust_LDADD = $(TEST_LIBS)
endif

TESTS += tests/integration/trust.sh
EXTRA_DIST += tests/integration/trust.sh tests/integration/testbed-milters.sh

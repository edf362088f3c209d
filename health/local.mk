# health/: the daemon's state file, `mailorder status`'s report and the
# Prometheus metrics textfile.
libmailorder_a_SOURCES += \
	health/health.h \
	health/state.c \
	health/report.c \
	health/metrics.c \
	health/alert.c \
	health/token.c

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_health
TESTS += tests/unit/test_health
tests_unit_test_health_SOURCES = tests/unit/test_health.c
tests_unit_test_health_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_health_LDADD = $(TEST_LIBS)
endif

TESTS += tests/integration/status.sh
EXTRA_DIST += tests/integration/status.sh
TESTS += tests/integration/alerts.sh
EXTRA_DIST += tests/integration/alerts.sh

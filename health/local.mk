# health/: the daemon's state file, `mailorder status`'s report and the
# Prometheus metrics textfile.
libmailorder_a_SOURCES += \
	health/health.h \
	health/state.c \
	health/report.c \
	health/metrics.c \
	health/alert.c \
	health/token.c

# Its unit test, test_health, is registered in tests/local.mk.

TESTS += tests/integration/status.sh
EXTRA_DIST += tests/integration/status.sh
TESTS += tests/integration/alerts.sh
EXTRA_DIST += tests/integration/alerts.sh
TESTS += tests/integration/webhook-watch.sh
EXTRA_DIST += tests/integration/webhook-watch.sh

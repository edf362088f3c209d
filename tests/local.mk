# tests/: cmocka unit tests (one binary per module) and shell tests that
# drive the real programs.  Everything speaks TAP to automake's driver.
LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
SH_LOG_DRIVER = $(LOG_DRIVER)
TEST_EXTENSIONS = .sh
AM_TESTS_ENVIRONMENT = \
	CMOCKA_MESSAGE_OUTPUT=TAP; export CMOCKA_MESSAGE_OUTPUT; \
	top_srcdir='$(abs_top_srcdir)'; export top_srcdir; \
	top_builddir='$(abs_top_builddir)'; export top_builddir; \
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1; export ASAN_OPTIONS; \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1; export UBSAN_OPTIONS;

TEST_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS)
TEST_LIBS = $(MO_LIBS) $(CMOCKA_LIBS)

EXTRA_DIST += tests/lib.sh tests/integration/lib-bed.sh

if HAVE_CMOCKA
UNIT_TESTS = \
	tests/unit/test_common \
	tests/unit/test_engine \
	tests/unit/test_read \
	tests/unit/test_insight \
	tests/unit/test_order \
	tests/unit/test_resolve \
	tests/unit/test_store
check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)

tests_unit_test_common_SOURCES = tests/unit/test_common.c
tests_unit_test_common_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_common_LDADD = $(TEST_LIBS)

tests_unit_test_engine_SOURCES = tests/unit/test_engine.c
tests_unit_test_engine_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_engine_LDADD = $(TEST_LIBS)

tests_unit_test_read_SOURCES = tests/unit/test_read.c
tests_unit_test_read_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_read_LDADD = $(TEST_LIBS)

tests_unit_test_insight_SOURCES = tests/unit/test_insight.c
tests_unit_test_insight_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_insight_LDADD = $(TEST_LIBS)

tests_unit_test_order_SOURCES = tests/unit/test_order.c
tests_unit_test_order_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_order_LDADD = $(TEST_LIBS)

tests_unit_test_resolve_SOURCES = tests/unit/test_resolve.c
tests_unit_test_resolve_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_resolve_LDADD = $(TEST_LIBS)

tests_unit_test_store_SOURCES = tests/unit/test_store.c
tests_unit_test_store_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_store_LDADD = $(TEST_LIBS)
endif

SH_TESTS = \
	tests/cli.sh \
	tests/orders.sh \
	tests/replay.sh \
	tests/report.sh \
	tests/report-customer.sh \
	tests/export.sh \
	tests/export-crash.sh \
	tests/report-html.sh \
	tests/webhook.sh \
	tests/readme.sh \
	tests/integration/install.sh
TESTS += $(SH_TESTS)
EXTRA_DIST += $(SH_TESTS)
EXTRA_DIST += tests/pngcount.py tests/webhook_receiver.py

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

# What every unit test shares (a temporary folder, one integer from a
# database): tests/unit/helpers.c.
TEST_HELPERS = tests/unit/helpers.c tests/unit/helpers.h
TEST_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS)
TEST_LIBS = $(MO_LIBS) $(CMOCKA_LIBS)

EXTRA_DIST += tests/lib.sh tests/integration/lib-bed.sh

# Every cmocka unit test, one binary per module, registered here only.
# setup.sh installs cmocka; without it the run fails rather than quietly
# testing less.
if HAVE_CMOCKA
UNIT_TESTS = \
	tests/unit/test_attach \
	tests/unit/test_batch \
	tests/unit/test_clean \
	tests/unit/test_common \
	tests/unit/test_config \
	tests/unit/test_csv \
	tests/unit/test_engine \
	tests/unit/test_flowed \
	tests/unit/test_health \
	tests/unit/test_import \
	tests/unit/test_insight \
	tests/unit/test_order \
	tests/unit/test_outbox \
	tests/unit/test_parser \
	tests/unit/test_read \
	tests/unit/test_reply \
	tests/unit/test_resolve \
	tests/unit/test_review \
	tests/unit/test_rules \
	tests/unit/test_store \
	tests/unit/test_trust
check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)

tests_unit_test_attach_SOURCES = tests/unit/test_attach.c $(TEST_HELPERS)
tests_unit_test_attach_CFLAGS = $(TEST_CFLAGS) $(LIBZIP_CFLAGS) \
	$(LIBXML2_CFLAGS) \
	-DATTACH_FIXTURES='"$(abs_top_srcdir)/tests/fixtures/attach/docs"'
tests_unit_test_attach_LDADD = $(TEST_LIBS)

tests_unit_test_batch_SOURCES = tests/unit/test_batch.c $(TEST_HELPERS)
tests_unit_test_batch_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_batch_LDADD = $(TEST_LIBS)

tests_unit_test_clean_SOURCES = tests/unit/test_clean.c $(TEST_HELPERS)
tests_unit_test_clean_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_clean_LDADD = $(TEST_LIBS)

tests_unit_test_common_SOURCES = tests/unit/test_common.c $(TEST_HELPERS)
tests_unit_test_common_CFLAGS = $(TEST_CFLAGS) $(GNUTLS_CFLAGS)
tests_unit_test_common_LDADD = $(TEST_LIBS)

tests_unit_test_config_SOURCES = tests/unit/test_config.c $(TEST_HELPERS)
tests_unit_test_config_CFLAGS = $(TEST_CFLAGS) \
	-DMO_TOP_SRCDIR='"$(abs_top_srcdir)"'
tests_unit_test_config_LDADD = $(TEST_LIBS)

tests_unit_test_csv_SOURCES = tests/unit/test_csv.c $(TEST_HELPERS)
tests_unit_test_csv_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_csv_LDADD = $(TEST_LIBS)

tests_unit_test_engine_SOURCES = tests/unit/test_engine.c $(TEST_HELPERS)
tests_unit_test_engine_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_engine_LDADD = $(TEST_LIBS)

tests_unit_test_flowed_SOURCES = tests/unit/test_flowed.c $(TEST_HELPERS)
tests_unit_test_flowed_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_flowed_LDADD = $(TEST_LIBS)

tests_unit_test_health_SOURCES = tests/unit/test_health.c $(TEST_HELPERS)
tests_unit_test_health_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_health_LDADD = $(TEST_LIBS)

tests_unit_test_import_SOURCES = tests/unit/test_import.c $(TEST_HELPERS)
tests_unit_test_import_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_import_LDADD = $(TEST_LIBS)

tests_unit_test_order_SOURCES = tests/unit/test_order.c $(TEST_HELPERS)
tests_unit_test_order_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_order_LDADD = $(TEST_LIBS)

tests_unit_test_insight_SOURCES = tests/unit/test_insight.c $(TEST_HELPERS)
tests_unit_test_insight_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_insight_LDADD = $(TEST_LIBS)

tests_unit_test_outbox_SOURCES = tests/unit/test_outbox.c $(TEST_HELPERS)
tests_unit_test_outbox_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_outbox_LDADD = $(TEST_LIBS)

tests_unit_test_parser_SOURCES = tests/unit/test_parser.c $(TEST_HELPERS)
tests_unit_test_parser_CFLAGS = $(TEST_CFLAGS) \
	-DPARSER_FIXTURES='"$(abs_top_srcdir)/tests/fixtures/parser"'
tests_unit_test_parser_LDADD = $(TEST_LIBS)

tests_unit_test_read_SOURCES = tests/unit/test_read.c $(TEST_HELPERS)
tests_unit_test_read_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_read_LDADD = $(TEST_LIBS)

tests_unit_test_reply_SOURCES = tests/unit/test_reply.c $(TEST_HELPERS)
tests_unit_test_reply_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_reply_LDADD = $(TEST_LIBS)

tests_unit_test_resolve_SOURCES = tests/unit/test_resolve.c $(TEST_HELPERS)
tests_unit_test_resolve_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_resolve_LDADD = $(TEST_LIBS)

tests_unit_test_review_SOURCES = tests/unit/test_review.c $(TEST_HELPERS)
tests_unit_test_review_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_review_LDADD = $(TEST_LIBS)

tests_unit_test_rules_SOURCES = tests/unit/test_rules.c $(TEST_HELPERS)
tests_unit_test_rules_CFLAGS = $(TEST_CFLAGS) $(PCRE2_CFLAGS)
tests_unit_test_rules_LDADD = $(TEST_LIBS)

tests_unit_test_store_SOURCES = tests/unit/test_store.c $(TEST_HELPERS)
tests_unit_test_store_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_store_LDADD = $(TEST_LIBS)

tests_unit_test_trust_SOURCES = tests/unit/test_trust.c $(TEST_HELPERS)
tests_unit_test_trust_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_trust_LDADD = $(TEST_LIBS)
else
TESTS += tests/unit/cmocka-missing.sh
endif
EXTRA_DIST += tests/unit/cmocka-missing.sh

SH_TESTS = \
	tests/cli.sh \
	tests/orders.sh \
	tests/unusual-shop.sh \
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

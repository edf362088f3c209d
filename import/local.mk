# import/: CSV imports of the catalog, customers and order history.
libmailorder_a_SOURCES += \
	import/import.c import/import.h

# Tests for common/csv.c and import/ (with store/catalog, customer and
# history underneath), and the command's exit codes and messages.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_csv tests/unit/test_import
TESTS += tests/unit/test_csv tests/unit/test_import
tests_unit_test_csv_SOURCES = tests/unit/test_csv.c
tests_unit_test_csv_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_csv_LDADD = $(TEST_LIBS)
tests_unit_test_import_SOURCES = tests/unit/test_import.c
tests_unit_test_import_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_import_LDADD = $(TEST_LIBS)
endif

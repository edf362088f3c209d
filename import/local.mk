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

TESTS += tests/import.sh
EXTRA_DIST += tests/import.sh \
	tests/fixtures/csv/catalog.csv \
	tests/fixtures/csv/catalog-missing-column.csv \
	tests/fixtures/csv/catalog-unterminated.csv \
	tests/fixtures/csv/customers.csv \
	tests/fixtures/csv/customers-bad-address.csv \
	tests/fixtures/csv/history.csv \
	tests/fixtures/csv/history-bad-date.csv \
	tests/fixtures/csv/history-bad-utf8.csv \
	tests/fixtures/csv/history-decimal-quantity.csv \
	tests/fixtures/csv/history-empty-customer.csv \
	tests/fixtures/csv/history-n1.csv \
	tests/fixtures/csv/history-unknown-customer.csv \
	tests/fixtures/csv/history-unknown-sku.csv \
	tests/fixtures/csv/history-zero-quantity.csv

# import/: CSV imports of the catalog, customers and order history.
libmailorder_a_SOURCES += \
	import/import.c import/import.h

# The command's exit codes and messages; the unit tests (csv, import) are
# in tests/local.mk.
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

# examples/: the example shop "Bean & Leaf Supply" (catalog, customers and
# order history to import) and a few customer emails for the README demo.
# Installed under $(pkgdatadir)/examples; the test corpus also uses them.
examplesdir = $(pkgdatadir)/examples
dist_examples_DATA = \
	examples/catalog.csv \
	examples/customers.csv \
	examples/history.csv

examplesmaildir = $(pkgdatadir)/examples/mail
dist_examplesmail_DATA = \
	examples/mail/csv-order-sheet.eml \
	examples/mail/deliver-by-friday.eml \
	examples/mail/html-table-order.eml \
	examples/mail/out-of-office.eml \
	examples/mail/outlook-order.eml \
	examples/mail/plain-order.eml \
	examples/mail/same-as-last-time.eml \
	examples/mail/unusual-quantity.eml

examplesprometheusdir = $(pkgdatadir)/examples/prometheus
dist_examplesprometheus_DATA = \
	examples/prometheus/prometheus.yml \
	examples/prometheus/mailorder.rules.yml \
	examples/prometheus/mailorder.rules.test.yml

# import/: CSV imports of the catalog, customers and order history.
libmailorder_a_SOURCES += \
	import/import.c import/import.h

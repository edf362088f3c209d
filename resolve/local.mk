# resolve/: item text -> catalog SKU (in-memory index with typo
# tolerance), and the customer's history for references and quantities.
libmailorder_a_SOURCES += \
	resolve/text.c resolve/text.h \
	resolve/catalog.c resolve/catalog.h \
	resolve/history.c resolve/history.h

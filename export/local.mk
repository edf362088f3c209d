# export/: orders out as CSV, JSON Lines and UBL 2.1 (libxml2), each order
# version once with --new.  Reads and records through store/export.h.
libmailorder_a_SOURCES += \
	export/export.c export/export.h \
	export/csv.c \
	export/json.c \
	export/ubl.c

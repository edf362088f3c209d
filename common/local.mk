# common/: logging, allocation, the error type, bounded buffers, UTF-8,
# JSON output and CSV input.  No third-party libraries here.
libmailorder_a_SOURCES += \
	common/buf.c common/buf.h \
	common/csv.c common/csv.h \
	common/sha256.c common/sha256.h \
	common/error.c common/error.h \
	common/json.c common/json.h \
	common/log.c common/log.h \
	common/qty.c common/qty.h \
	common/strmap.c common/strmap.h \
	common/utf8.c common/utf8.h \
	common/xmalloc.c common/xmalloc.h

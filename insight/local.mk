# insight/: the figures of `mailorder report` and their renderings (text,
# JSON, HTML with inline SVG).  Reads the store through store/report.h.
libmailorder_a_SOURCES += \
	insight/insight.h \
	insight/day.c insight/day.h \
	insight/stats.c insight/stats.h \
	insight/shop.c \
	insight/customer.c \
	insight/due.c \
	insight/json.c \
	insight/text.c \
	insight/svg.c insight/svg.h \
	insight/html.c

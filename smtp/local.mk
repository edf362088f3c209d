# smtp/: the only place that uses libcurl.  Sends the store's outbox.
libmailorder_a_SOURCES += \
	smtp/smtp.h \
	smtp/client.c \
	smtp/outbox.c

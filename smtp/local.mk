# smtp/: the only place that uses libcurl.  Sends the store's outbox.
libmailorder_a_SOURCES += \
	smtp/smtp.h \
	smtp/client.c \
	smtp/outbox.c \
	smtp/webhook.c

# End to end against the test-bed's Postfix and Dovecot.
TESTS += tests/integration/replies.sh tests/integration/webhook-daemon.sh
EXTRA_DIST += tests/integration/replies.sh tests/integration/webhook-daemon.sh

# daemon/: mailorderd, glue over config/, imap/, ingest/ and store/.
sbin_PROGRAMS += mailorderd
mailorderd_SOURCES = \
	daemon/main.c daemon/daemon.h \
	daemon/connect.c \
	daemon/inbox.c \
	daemon/outbox.c \
	daemon/notify.c \
	daemon/report.c \
	daemon/retention.c \
	daemon/alerts.c
mailorderd_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS)
mailorderd_LDADD = $(MO_LIBS)

TESTS += tests/integration/daemon.sh tests/integration/admin.sh \
	tests/integration/attach.sh tests/integration/sentcopy.sh
EXTRA_DIST += tests/integration/daemon.sh tests/integration/admin.sh \
	tests/integration/attach.sh tests/integration/sentcopy.sh
TESTS += tests/retention.sh
EXTRA_DIST += tests/retention.sh

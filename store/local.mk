# store/: the only place that speaks SQL.
libmailorder_a_SOURCES += \
	store/store.c store/store.h store/store_int.h \
	store/lock.c store/lock.h \
	store/access.c \
	store/schema.c \
	store/order.c store/order.h \
	store/mailbox.c store/mailbox.h \
	store/query.c store/query.h \
	store/catalog.c store/catalog.h \
	store/customer.c store/customer.h \
	store/history.c store/history.h \
	store/replay.c store/replay.h \
	store/outbox.c store/outbox.h \
	store/thread.c store/thread.h \
	store/release.c store/release.h \
	store/basket.c store/basket.h
libmailorder_a_SOURCES += store/operator.c store/operator.h \
	store/review.c store/review.h \
	store/audit.c store/audit.h
# health, backups, retention (issue 15)
libmailorder_a_SOURCES += store/health.c store/health.h \
	store/backup.c store/backup.h \
	store/retention.c store/retention.h

TESTS += tests/backup.sh
EXTRA_DIST += tests/backup.sh
libmailorder_a_SOURCES += store/report.c store/report.h
libmailorder_a_SOURCES += store/export.c store/export.h
libmailorder_a_SOURCES += store/webhook.c store/webhook.h

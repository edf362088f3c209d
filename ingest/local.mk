# ingest/: one fetched message -> one stored order, with the parse
# isolated in a worker process.
libmailorder_a_SOURCES += \
	ingest/policy.c ingest/policy.h \
	ingest/record.c ingest/record.h \
	ingest/thread.c ingest/thread.h \
	ingest/worker.c ingest/worker.h

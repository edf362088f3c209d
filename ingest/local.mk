# ingest/: fetched mail -> stored orders: the batch protocol over a mail
# source (batch.c, source.h), one message -> one order (record.c), the
# parse isolated in a worker process (worker.c).
libmailorder_a_SOURCES += \
	ingest/policy.c ingest/policy.h \
	ingest/record.c ingest/record.h \
	ingest/thread.c ingest/thread.h \
	ingest/worker.c ingest/worker.h \
	ingest/batch.c ingest/batch.h ingest/source.h

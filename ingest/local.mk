# ingest/: fetched mail -> stored orders: the batch protocol over a mail
# source (batch.c, source.h), one message -> one order (record.c), the
# parse isolated in a worker process (worker.c).
libmailorder_a_SOURCES += \
	ingest/policy.c ingest/policy.h \
	ingest/record.c ingest/record.h \
	ingest/worker.c ingest/worker.h \
	ingest/batch.c ingest/batch.h ingest/source.h

# The batch protocol over a fixture mail source, with the real worker.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_batch
TESTS += tests/unit/test_batch
tests_unit_test_batch_SOURCES = tests/unit/test_batch.c
tests_unit_test_batch_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_batch_LDADD = $(TEST_LIBS)
endif

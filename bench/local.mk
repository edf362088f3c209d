# bench/: benchmarks (not tests).  `make bench` builds them; see
# bench/README for how to run each and what the figures mean.
EXTRA_PROGRAMS = bench/bench_parse
bench_bench_parse_SOURCES = bench/bench_parse.c bench/gen.c bench/gen.h
bench_bench_parse_CFLAGS = $(AM_CFLAGS)
bench_bench_parse_LDADD = $(MO_LIBS)
EXTRA_PROGRAMS += bench/bench_attach
bench_bench_attach_SOURCES = bench/bench_attach.c
bench_bench_attach_LDADD = $(MO_LIBS)
EXTRA_PROGRAMS += bench/gen_history bench/gen_mail
bench_gen_mail_SOURCES = bench/gen_mail.c bench/gen.c bench/gen.h
bench_gen_mail_LDADD = $(MO_LIBS)
bench_gen_history_SOURCES = bench/gen_history.c
EXTRA_DIST += bench/bench_import.sh bench/bench_ingest.sh bench/bench_reply.sh \
	bench/bench_scale.sh \
	bench/bench_report.sh
CLEANFILES += $(EXTRA_PROGRAMS)

bench: $(EXTRA_PROGRAMS)
.PHONY: bench
# gen_store also makes the history tests/report.sh checks figures on.
check_PROGRAMS += bench/gen_store
bench_gen_store_SOURCES = bench/gen_store.c
bench_gen_store_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
bench_gen_store_LDADD = $(MO_LIBS)

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
EXTRA_DIST += bench/bench_import.sh bench/bench_ingest.sh bench/bench_reply.sh
CLEANFILES += $(EXTRA_PROGRAMS)

bench: $(EXTRA_PROGRAMS)
.PHONY: bench

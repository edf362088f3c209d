# parser/: MIME -> clean UTF-8 text (libetpan mailmime, iconv, libxml2).
libmailorder_a_SOURCES += \
	parser/parser.c parser/parser.h \
	parser/header.c parser/prescan.c parser/charset.c parser/decode.c \
	parser/html.c parser/flowed.c parser/document.c \
	parser/parser_int.h \
	parser/clean.c parser/clean.h

# libFuzzer target for the MIME path; see tests/fuzz/run.sh.
EXTRA_DIST += tests/fuzz/run.sh tests/fuzz/parse.dict tests/fuzz/corpus/parse
if ENABLE_FUZZ
noinst_PROGRAMS += tests/fuzz/fuzz_parse
tests_fuzz_fuzz_parse_SOURCES = tests/fuzz/fuzz_parse.c
tests_fuzz_fuzz_parse_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer,address
tests_fuzz_fuzz_parse_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer,address
tests_fuzz_fuzz_parse_LDADD = $(MO_LIBS)
endif
EXTRA_DIST += tests/fixtures/parser

# parser/: MIME -> clean UTF-8 text (libetpan mailmime, iconv, libxml2).
libmailorder_a_SOURCES += \
	parser/parser.c parser/parser.h \
	parser/header.c parser/prescan.c parser/charset.c parser/decode.c \
	parser/html.c parser/flowed.c parser/document.c \
	parser/parser_int.h \
	parser/clean.c parser/clean.h

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_parser tests/unit/test_clean tests/unit/test_flowed
TESTS += tests/unit/test_parser tests/unit/test_clean tests/unit/test_flowed
tests_unit_test_flowed_SOURCES = tests/unit/test_flowed.c
tests_unit_test_flowed_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_flowed_LDADD = $(TEST_LIBS)
tests_unit_test_parser_SOURCES = tests/unit/test_parser.c
tests_unit_test_parser_CFLAGS = $(TEST_CFLAGS) \
	-DPARSER_FIXTURES='"$(abs_top_srcdir)/tests/fixtures/parser"'
tests_unit_test_parser_LDADD = $(TEST_LIBS)
tests_unit_test_clean_SOURCES = tests/unit/test_clean.c
tests_unit_test_clean_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_clean_LDADD = $(TEST_LIBS)
endif

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

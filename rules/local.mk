# rules/: the rule-file loader and PCRE2 matching (order lines,
# references, PO number, delivery date), and the shipped English rules.
libmailorder_a_SOURCES += \
	rules/rules.h rules/rules_int.h \
	rules/load.c \
	rules/extract.c \
	rules/table.c \
	rules/residue.c \
	rules/qty.c \
	rules/date.c \
	rules/classify.c

rulesdir = $(pkgdatadir)/rules
dist_rules_DATA = rules/en.rules
EXTRA_DIST += rules/FORMAT.md tests/fuzz/corpus/rules \
	tests/fixtures/rules

if ENABLE_FUZZ
noinst_PROGRAMS += tests/fuzz/fuzz_rules
tests_fuzz_fuzz_rules_SOURCES = tests/fuzz/fuzz_rules.c
tests_fuzz_fuzz_rules_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer,address
tests_fuzz_fuzz_rules_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer,address
tests_fuzz_fuzz_rules_LDADD = $(MO_LIBS)
endif

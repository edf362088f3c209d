# attach/: attached documents -> laid-out text (libzip, libxml2, FreeXL,
# poppler-glib, libytnef; each library in one file).
libmailorder_a_SOURCES += \
	attach/attach.c attach/attach.h attach/attach_int.h \
	attach/layout.c attach/xml.c attach/zip.c \
	attach/xlsx.c attach/ods.c attach/xls.c attach/pdf.c attach/tnef.c

# Its unit test, test_attach, is registered in tests/local.mk.

# libFuzzer targets, one per reader, from one source; see tests/fuzz/run.sh.
EXTRA_DIST += tests/fuzz/fuzz_attach.c tests/fuzz/lsan.supp \
	tests/fuzz/corpus/xlsx tests/fuzz/corpus/xls \
	tests/fuzz/corpus/ods tests/fuzz/corpus/pdf tests/fuzz/corpus/tnef
if ENABLE_FUZZ
noinst_PROGRAMS += tests/fuzz/fuzz_xlsx tests/fuzz/fuzz_xls tests/fuzz/fuzz_ods \
	tests/fuzz/fuzz_pdf tests/fuzz/fuzz_tnef
FUZZ_ATTACH_FLAGS = $(AM_CFLAGS) -fsanitize=fuzzer,address
tests_fuzz_fuzz_xlsx_SOURCES = tests/fuzz/fuzz_attach.c
tests_fuzz_fuzz_xlsx_CFLAGS = $(FUZZ_ATTACH_FLAGS) -DFUZZ_READER=xlsx
tests_fuzz_fuzz_xlsx_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer,address
tests_fuzz_fuzz_xlsx_LDADD = $(MO_LIBS)
tests_fuzz_fuzz_xls_SOURCES = tests/fuzz/fuzz_attach.c
tests_fuzz_fuzz_xls_CFLAGS = $(FUZZ_ATTACH_FLAGS) -DFUZZ_READER=xls
tests_fuzz_fuzz_xls_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer,address
tests_fuzz_fuzz_xls_LDADD = $(MO_LIBS)
tests_fuzz_fuzz_ods_SOURCES = tests/fuzz/fuzz_attach.c
tests_fuzz_fuzz_ods_CFLAGS = $(FUZZ_ATTACH_FLAGS) -DFUZZ_READER=ods
tests_fuzz_fuzz_ods_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer,address
tests_fuzz_fuzz_ods_LDADD = $(MO_LIBS)
tests_fuzz_fuzz_pdf_SOURCES = tests/fuzz/fuzz_attach.c
tests_fuzz_fuzz_pdf_CFLAGS = $(FUZZ_ATTACH_FLAGS) -DFUZZ_READER=pdf
tests_fuzz_fuzz_pdf_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer,address
tests_fuzz_fuzz_pdf_LDADD = $(MO_LIBS)
tests_fuzz_fuzz_tnef_SOURCES = tests/fuzz/fuzz_attach.c
tests_fuzz_fuzz_tnef_CFLAGS = $(FUZZ_ATTACH_FLAGS) -DFUZZ_READER=tnef
tests_fuzz_fuzz_tnef_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer,address
tests_fuzz_fuzz_tnef_LDADD = $(MO_LIBS)
endif

# attach/: attached documents -> laid-out text (libzip, libxml2,
# poppler-glib, libytnef; each library in one file).
libmailorder_a_SOURCES += \
	attach/attach.c attach/attach.h attach/attach_int.h \
	attach/layout.c attach/xml.c attach/zip.c \
	attach/xlsx.c attach/ods.c attach/pdf.c attach/tnef.c

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_attach
TESTS += tests/unit/test_attach
tests_unit_test_attach_SOURCES = tests/unit/test_attach.c
tests_unit_test_attach_CFLAGS = $(TEST_CFLAGS) $(LIBZIP_CFLAGS) \
	$(LIBXML2_CFLAGS) \
	-DATTACH_FIXTURES='"$(abs_top_srcdir)/tests/fixtures/attach/docs"'
tests_unit_test_attach_LDADD = $(TEST_LIBS)
endif

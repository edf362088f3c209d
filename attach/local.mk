# attach/: attached documents -> laid-out text (libzip, libxml2,
# poppler-glib, libytnef; each library in one file).
libmailorder_a_SOURCES += \
	attach/attach.c attach/attach.h attach/attach_int.h \
	attach/layout.c attach/xml.c attach/zip.c \
	attach/xlsx.c attach/ods.c attach/pdf.c attach/tnef.c

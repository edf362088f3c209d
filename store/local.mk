# store/: the only place that speaks SQL.
libmailorder_a_SOURCES += \
	store/store.c store/store.h store/store_int.h \
	store/schema.c

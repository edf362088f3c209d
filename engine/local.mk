# engine/: raw email -> decided order (glue over parser/, rules/,
# resolve/) and its JSON / readable output.
libmailorder_a_SOURCES += \
	engine/engine.c engine/engine.h engine/engine_int.h \
	engine/decide.c \
	engine/identity.c \
	engine/sender.c \
	engine/read.c \
	engine/sheet.c \
	engine/replay.c engine/replay.h \
	engine/stock.c \
	engine/output.c

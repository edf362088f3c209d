# tui/: the operator's queue (`mailorder queue`, ncursesw), one file per
# screen.  Part of the mailorder program only: nothing else links curses.
mailorder_SOURCES += \
	tui/tui.c tui/tui.h tui/tui_int.h \
	tui/list.c tui/order.c tui/pick.c tui/help.c
mailorder_CFLAGS += $(NCURSESW_CFLAGS)
mailorder_LDADD += $(NCURSESW_LIBS)

# Both front ends of the operator's actions, driven as people use them.
SH_TESTS_OPERATOR = tests/operator.sh tests/queue.sh tests/queue-layout.sh \
	tests/queue-customer.sh tests/queue-send.sh tests/fill.sh \
	tests/queue-ask.sh tests/queue-ship.sh tests/queue-note.sh
TESTS += $(SH_TESTS_OPERATOR)
EXTRA_DIST += $(SH_TESTS_OPERATOR)

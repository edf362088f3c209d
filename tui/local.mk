# tui/: the operator's queue (`mailorder queue`, ncursesw), one file per
# screen.  Part of the mailorder program only: nothing else links curses.
mailorder_SOURCES += \
	tui/tui.c tui/tui.h tui/tui_int.h \
	tui/list.c tui/order.c tui/pick.c tui/help.c
mailorder_CFLAGS += $(NCURSESW_CFLAGS)
mailorder_LDADD += $(NCURSESW_LIBS)

# The operator's actions (store/operator.c) that the queue and the
# commands are built on, and both front ends driven as people use them.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_operator
TESTS += tests/unit/test_operator
tests_unit_test_operator_SOURCES = tests/unit/test_operator.c
tests_unit_test_operator_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_operator_LDADD = $(TEST_LIBS)
endif

SH_TESTS_OPERATOR = tests/operator.sh tests/queue.sh
TESTS += $(SH_TESTS_OPERATOR)
EXTRA_DIST += $(SH_TESTS_OPERATOR)

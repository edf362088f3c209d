# review/: the operator's actions on orders (approve, edit, ask, reject,
# assign, ship, undo), above store/ and reply/; used by cli/ and tui/.
libmailorder_a_SOURCES += review/review.c review/review.h

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_review
TESTS += tests/unit/test_review
tests_unit_test_review_SOURCES = tests/unit/test_review.c
tests_unit_test_review_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_review_LDADD = $(TEST_LIBS)
endif

# review/: the operator's actions on orders (approve, edit, ask, reject,
# assign, ship, undo), above store/ and reply/; used by cli/ and tui/.
libmailorder_a_SOURCES += review/review.c review/review.h \
	review/send.c review/send.h \
	review/carrier.c review/carrier.h

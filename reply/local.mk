# reply/: the mail sent to customers, composed from editable templates
# (templates/*.txt, installed under $(pkgdatadir)/templates) and queued in
# the store's outbox for smtp/ to send.
libmailorder_a_SOURCES += \
	reply/reply.c reply/reply.h \
	reply/template.c reply/template.h \
	reply/mime.c reply/mime.h \
	reply/settings.c reply/settings.h

templatesdir = $(pkgdatadir)/templates
dist_templates_DATA = \
	templates/confirmation.txt \
	templates/acknowledgement.txt \
	templates/question.txt \
	templates/rejection.txt \
	templates/shipping.txt \
	templates/receipt.txt
EXTRA_DIST += templates/FORMAT.md

# The conversation with each customer, through the real test bed.
TESTS += tests/integration/conversation.sh
EXTRA_DIST += tests/integration/conversation.sh

# config/: mailorder.conf, read with inih and driven by one settings table
# (config/table.c).  conf-doc prints the man page's OPTIONS part and the
# example file from that table.
libmailorder_a_SOURCES += \
	config/conf.h \
	config/config.c \
	config/doc.c \
	config/secret.c \
	config/table.c config/table.h

noinst_PROGRAMS += conf-doc
conf_doc_SOURCES = config/conf-doc.c
conf_doc_LDADD = $(MO_LIBS)

dist_pkgdata_DATA += examples/mailorder.conf

# The shipped default is "[rules] paths = $DATADIR/rules/en.rules
# $SYSCONFDIR/rules.d" and "[store] path = $STATEDIR/mailorder.db": an
# install has both directories, so a first drop-in or a first run outside
# systemd (whose StateDirectory= would create the second) finds them.
install-data-local:
	$(MKDIR_P) '$(DESTDIR)$(sysconfdir)/mailorder/rules.d'
	$(MKDIR_P) '$(DESTDIR)$(localstatedir)/lib/mailorder'

# Only what is empty: a drop-in or a store someone made stays.
uninstall-local:
	-rmdir '$(DESTDIR)$(sysconfdir)/mailorder/rules.d' \
	    '$(DESTDIR)$(localstatedir)/lib/mailorder' 2>/dev/null

EXTRA_DIST += \
	tests/fixtures/config/bad-values.conf \
	tests/fixtures/config/carriers-bad.conf \
	tests/fixtures/config/duplicate.conf \
	tests/fixtures/config/empty-values.conf \
	tests/fixtures/config/empty.conf \
	tests/fixtures/config/full.conf \
	tests/fixtures/config/long-line.conf \
	tests/fixtures/config/many.conf \
	tests/fixtures/config/missing.conf \
	tests/fixtures/config/operators-bad.conf \
	tests/fixtures/config/secrets.conf \
	tests/fixtures/config/syntax.conf \
	tests/fixtures/config/tls-none.conf \
	tests/fixtures/config/tls-spelling.conf \
	tests/fixtures/config/unknown-key.conf \
	tests/fixtures/config/unknown-section.conf

# systemd/: the service unit, with paths filled in at build time.
systemdsystemunit_DATA = systemd/mailorderd.service
EXTRA_DIST += systemd/mailorderd.service.in
CLEANFILES += systemd/mailorderd.service

systemd/mailorderd.service: $(srcdir)/systemd/mailorderd.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) systemd && \
	sed -e 's|@sbindir[@]|$(sbindir)|g' \
	    -e 's|@sysconfdir[@]|$(sysconfdir)|g' \
	    $(srcdir)/systemd/mailorderd.service.in > $@

TESTS += tests/systemd.sh
EXTRA_DIST += tests/systemd.sh
check_DATA = systemd/mailorderd.service

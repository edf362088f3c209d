# systemd/: the service unit, with paths filled in at build time.
systemdsystemunit_DATA = systemd/mailorderd.service systemd/mailorderd@.service
EXTRA_DIST += systemd/mailorderd.service.in
CLEANFILES += systemd/mailorderd.service systemd/mailorderd@.service

systemd/mailorderd.service: $(srcdir)/systemd/mailorderd.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) systemd && \
	sed -e 's|@sbindir[@]|$(sbindir)|g' \
	    -e 's|@sysconfdir[@]|$(sysconfdir)|g' \
	    $(srcdir)/systemd/mailorderd.service.in > $@

# One instance per shop (mailorderd@SHOP): the same unit, hardening and
# all, with its own configuration, state directory (the store goes in
# it) and credential.  Made from the same source so the two never drift.
systemd/mailorderd@.service: $(srcdir)/systemd/mailorderd.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) systemd && \
	sed -e 's|@sbindir[@]|$(sbindir)|g' \
	    -e 's|@sysconfdir[@]|$(sysconfdir)|g' \
	    -e 's|^Description=mailorder: |Description=mailorder for %i: |' \
	    -e 's|/mailorder/mailorder\.conf|/mailorder/%i.conf|' \
	    -e 's|^StateDirectory=mailorder$$|StateDirectory=mailorder/%i|' \
	    -e 's|^\(LoadCredential=imap-password:.*/mailorder/\)imap-password$$|\1%i.imap-password|' \
	    -e 's|^# mailorderd: turns|# mailorderd@SHOP, one per shop: turns|' \
	    $(srcdir)/systemd/mailorderd.service.in > $@

TESTS += tests/systemd.sh
EXTRA_DIST += tests/systemd.sh
check_DATA = systemd/mailorderd.service systemd/mailorderd@.service
TESTS += tests/integration/instances.sh
EXTRA_DIST += tests/integration/instances.sh

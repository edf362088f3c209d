# tests/attach.mk: purchase orders as attachments (tests/attach.sh); the
# fixtures and the scripts that made them ship whole with `make dist`.
TESTS += tests/attach.sh
EXTRA_DIST += tests/attach.sh tests/fixtures/attach tests/fixtures/attach-blind

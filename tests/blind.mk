# tests/blind.mk: the blind set (tests/blind.sh), mail from four other
# trades with their own catalogs, written before the engine change it
# judges.
TESTS += tests/blind.sh
EXTRA_DIST += tests/blind.sh tests/fixtures/blind

# tests/blind2.mk: the second blind set (tests/blind2.sh), mail from two
# more trades, written blind and first measured untouched after engine v2.
TESTS += tests/blind2.sh
EXTRA_DIST += tests/blind2.sh tests/fixtures/blind2

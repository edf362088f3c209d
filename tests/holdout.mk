# tests/holdout.mk: the held-out mail set (tests/holdout.sh), written blind
# to the rules for an out-of-sample accuracy figure.
TESTS += tests/holdout.sh
EXTRA_DIST += tests/holdout.sh tests/fixtures/holdout

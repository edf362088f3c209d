# tests/corpus.mk: the mail corpus, the acceptance test of the parse engine
# (tests/corpus.sh).  The fixture directory ships whole with `make dist`.
TESTS += tests/corpus.sh
EXTRA_DIST += tests/corpus.sh tests/lib-corpus.sh tests/lib-sets.sh tests/lib-tmux.sh tests/lib-shop.sh \
	tests/fixtures/mail

# The held-out and blind sets: every mail of a directory compared, a
# mismatch reported as TAP TODO (it lowers the figure), a wrong accept or
# a mail not read at all as a failure.  Source after tests/lib-corpus.sh
# and corpus_shop.

# A mismatch of NAME may be a TODO: every one in the held-out and blind
# sets; the corpus overrides this with its KNOWN-FAILURES list, and says
# when a listed mail passes.
sets_excused() { return 0; }
sets_passes() { :; }

# sets_run LABEL DIR: compare every DIR/*.eml; adds to $total, $passed
# and $wrongs.
: "${total:=0}" "${passed:=0}" "${wrongs:=0}"
sets_run() {
	FIX=$2
	for eml in "$FIX"/*.eml; do
		name=$(basename "$eml" .eml)
		total=$((total + 1))
		corpus_compare "$name"
		wrongs=$((wrongs + wrong))
		if [ -z "$diff" ]; then
			passed=$((passed + 1))
			ok 0 "$1 $name"
			sets_passes "$name"
			continue
		fi
		if [ "$hard" -eq 0 ] && [ "$wrong" -eq 0 ] &&
		    sets_excused "$name"; then
			_tap_n=$((_tap_n + 1))
			echo "not ok $_tap_n - $1 $name # TODO $1"
		elif [ "$wrong" -eq 1 ]; then
			ok 1 "$1 $name (wrong accept)"
		else
			ok 1 "$1 $name"
		fi
		printf '%s\n' "$diff" | sed 's/^/#   /'
	done
}

# sets_trades LABEL DIR MIN: every trade of DIR (a subdirectory with a
# catalog.csv: its shop, then its mails); then at least two trades and
# MIN mails, and the gate against DIR/FLOOR.
sets_trades() {
	trades=0
	for dir in "$2"/*/; do
		dir=${dir%/}
		[ -f "$dir/catalog.csv" ] || continue
		trade=$(basename "$dir")
		trades=$((trades + 1))
		t0=$total p0=$passed w0=$wrongs
		corpus_shop "$dir"
		sets_run "$trade" "$dir"
		echo "# $trade: $((passed - p0))/$((total - t0)), wrong accepts: $((wrongs - w0))"
	done
	ok "$([ "$trades" -ge 2 ] && [ "$total" -ge "$3" ]; echo $?)" \
	    "the $1 set has at least $3 emails from two trades ($total, $trades)"
	corpus_gate "$1" "$passed" "$total" "$wrongs" "$2/FLOOR"
}

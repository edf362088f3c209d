# Driving a terminal program in tmux as a person does, for the queue's
# tests: a private tmux server per test (-L SOCK), its screen read back
# with capture-pane.  Source after tests/lib.sh; the test sets SOCK and
# starts its session 't' with `T -f /dev/null new-session -d -s t ...`.
T() { tmux -L "$SOCK" "$@"; }
trap 'T kill-server 2>/dev/null; rm -rf "$TEST_TMP"' EXIT
screen() { T capture-pane -p -t t; }
# wait_for GLOB: poll the screen until it matches (at most ~10 s); on a
# timeout the screen is shown as TAP comments.
wait_for() {
	i=0
	while [ $i -lt 100 ]; do
		case "$(screen)" in $1) return 0 ;; esac
		sleep 0.1
		i=$((i + 1))
	done
	screen | sed 's/^/# /'
	return 1
}

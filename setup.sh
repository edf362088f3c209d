#!/bin/bash
# One entry point for a fresh Debian 12 machine:
#   ./setup.sh demo   install what is missing, build, run the demo
#   ./setup.sh test   install what is missing, build, run the whole test
#                     suite (normal build, then ASan+UBSan, then the fuzzers
#                     briefly), and print "N passed, N failed"
# .ci/run calls "./setup.sh test".
set -euo pipefail

top=$(cd "$(dirname "$0")" && pwd)
cd "$top"

# Debian packages the build, the tests and the demo need.  Never add
# "pkg-config": pkgconf provides it.  libetpan-dev pulls the GnuTLS flavour
# of libcurl, so that is the one we use.
PACKAGES=(
	build-essential autoconf automake libtool pkgconf make gcc clang
	libclang-rt-14-dev libetpan-dev libpcre2-dev libsqlite3-dev sqlite3
	libxml2-dev libinih-dev libcurl4-gnutls-dev libgnutls28-dev
	libncurses-dev libsystemd-dev libcmocka-dev
	libzip-dev libpoppler-glib-dev libytnef0-dev libfreexl-dev
	jq openssl curl tmux python3 ca-certificates chromium libxml2-utils
	dovecot-imapd dovecot-lmtpd postfix isync systemd
	opendkim opendkim-tools opendmarc dnsmasq-base iproute2
)

sudo_if_needed() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_deps() {
	local missing=() p
	for p in "${PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		    grep -q "install ok installed" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "setup: installing ${missing[*]}"
	# Postfix asks a debconf question; the tests run their own private
	# instance and need no system configuration.
	echo "postfix postfix/main_mailer_type select No configuration" |
	    sudo_if_needed debconf-set-selections
	sudo_if_needed apt-get update -qq
	sudo_if_needed env DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

build() {	# build DIR [configure args...]
	local dir=$1; shift
	[ -x configure ] && [ configure -nt configure.ac ] || autoreconf -fi >/dev/null
	mkdir -p "$dir"
	(cd "$dir" && { [ -f Makefile ] || "$top/configure" -q "$@"; } &&
	    make -j"$(nproc)" >/dev/null)
}

# Sum automake's per-test-case counts from a build's test-suite.log.
count() {	# count DIR -> "pass fail"
	awk '/^# PASS:/ {p=$3} /^# (FAIL|ERROR|XPASS):/ {f+=$3}
	    END {print p+0, f+0}' "$1/test-suite.log" 2>/dev/null || echo "0 1"
}

run_check() {	# run_check DIR LABEL
	local rc=0
	echo "setup: make check ($2)"
	(cd "$1" && make -j"$(nproc)" check >/dev/null 2>&1) || rc=1
	if [ $rc -ne 0 ]; then
		failures "$1" "$2" | tee -a "$top/$1/failures.txt"
	fi
	return $rc
}

# Which scripts failed and their failing checks, each with its file, so a
# CI log's tail names them.
failures() {	# failures DIR LABEL
	local log
	echo "setup: failed in the $2:"
	grep -E '^(FAIL|ERROR|XPASS)' "$1/test-suite.log" || true
	for log in "$1"/tests/*.log "$1"/tests/*/*.log; do
		[ -f "$log" ] || continue
		grep -E '^(not ok|Bail out)|\[  FAILED  \]|^#   (got|expected)' \
		    "$log" | grep -v '# TODO' | head -12 | cut -c1-240 |
		    sed "s|^|${log#"$1"/}: |"
	done | head -80
}

cmd_test() {
	local pass=0 fail=0 p f rc=0
	install_deps
	rm -f build/failures.txt build-san/failures.txt
	build build
	run_check build "normal build" || rc=1
	read -r p f < <(count build); pass=$((pass + p)); fail=$((fail + f))

	build build-san --enable-sanitizers CC=gcc
	run_check build-san "ASan+UBSan" || rc=1
	read -r p f < <(count build-san); pass=$((pass + p)); fail=$((fail + f))

	if [ -x tests/fuzz/run.sh ]; then
		echo "setup: fuzzing briefly"
		if tests/fuzz/run.sh "${FUZZ_SECONDS:-30}"; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1)); rc=1
		fi
	fi
	[ $rc -eq 0 ] || [ $fail -gt 0 ] || fail=1
	# Again at the end: the fuzzers' output would push them out of a tail.
	cat build/failures.txt build-san/failures.txt 2>/dev/null || true
	echo "$pass passed, $fail failed"
	return $rc
}

cmd_demo() {
	install_deps
	build build
	exec "$top/examples/demo.sh" "$top/build"
}

case "${1:-}" in
test) cmd_test ;;
demo) cmd_demo ;;
*) echo "usage: ./setup.sh demo|test" >&2; exit 64 ;;
esac

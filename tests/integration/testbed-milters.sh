#!/bin/bash
# Real sender verification for the test-bed (testbed.sh): a DNS server
# (dnsmasq) on 127.0.0.1 serving customer.test's DKIM key, SPF record
# (only 192.0.2.10 may send) and DMARC record (p=reject), an OpenDKIM
# milter in verify mode and an OpenDMARC milter (which also checks SPF)
# after it, attached to the test-bed Postfix's port 25 (not submission),
# each writing "Authentication-Results: mx.example.test; ..." on every
# mail.
#
#   testbed-milters.sh up DIR          after testbed.sh up DIR
#   testbed-milters.sh down DIR        stop both by PID (before testbed down)
#   testbed-milters.sh sign DIR FILE   print FILE signed as customer.test
#   testbed-milters.sh env DIR         print TB_DKIM_* assignments
#
# OpenDKIM resolves through libunbound, pointed at the dnsmasq port by an
# unbound configuration file.  OpenDMARC (and libspf2) only know the
# system resolver, /etc/resolv.conf and port 53: it runs in a network and
# mount namespace of its own (unshare) where a second dnsmasq answers on
# that namespace's 127.0.0.1:53 and a private resolv.conf names it;
# Postfix reaches it over a unix socket in DIR.  Nothing leaves loopback
# and the machine's resolv.conf is not touched.
set -u

TB_DKIM_DOMAIN=customer.test
TB_DKIM_SELECTOR=sel
TB_AUTHSERV_ID=mx.example.test

die() { echo "testbed-milters: $*" >&2; exit 1; }

port_taken() {
	[ -n "$(ss -Hlntu "sport = :$1" 2>/dev/null)" ]
}

free_port() {	# free_port FROM: the first port >= FROM nobody listens on
	local p=$1
	while port_taken "$p"; do
		p=$((p + 1))
		[ "$p" -gt 60000 ] && die "no free port"
	done
	echo "$p"
}

pid_alive() {
	local st
	[ -r "/proc/$1/stat" ] || return 1
	st=$(sed -e 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

stop_pidfile() {	# stop_pidfile FILE COMM
	local pid i
	pid=$(cat "$1" 2>/dev/null) || return 0
	[ -n "$pid" ] && pid_alive "$pid" || return 0
	# Only a process of that name: the PID may have been reused.
	[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ] || return 0
	kill -TERM "$pid"
	for i in $(seq 1 50); do
		pid_alive "$pid" || { rm -f "$1"; return 0; }
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
	rm -f "$1"
}

load() {
	[ -r "$DIR/testbed.env" ] || die "'$DIR' is not an up test-bed"
	. "$DIR/testbed.env"
	M=$DIR/milters
}

cmd_up() {
	local txt
	load
	for t in opendkim opendkim-genkey opendkim-testmsg opendmarc dnsmasq \
	    postconf unshare ip; do
		command -v "$t" >/dev/null 2>&1 || die "'$t' not found:" \
		    "apt-get install -y opendkim opendkim-tools opendmarc" \
		    "dnsmasq-base"
	done
	[ -e "$M/env" ] && die "milters already up in '$DIR'"
	mkdir -p "$M"
	# 1024 bits: the key's TXT record then fits one 255-byte string.
	# opendkim-testmsg signs with rsa-sha1, so the record must not
	# restrict the hash to sha256 (h=).
	opendkim-genkey -b 1024 -D "$M" -d "$TB_DKIM_DOMAIN" \
	    -s "$TB_DKIM_SELECTOR" || die "opendkim-genkey failed"
	txt=$(sed -e 's/^[^(]*(//; s/).*$//' "$M/$TB_DKIM_SELECTOR.txt" |
	    tr -d '\n\t "' | sed -e 's/h=sha256;//')
	case $txt in v=DKIM1*p=?*) ;; *) die "cannot read the key record" ;; esac
	DNS_PORT=$(free_port $((TB_SMTPS_PORT + 101)))
	DMARC_ZONE=(
	    --txt-record="$TB_DKIM_SELECTOR._domainkey.$TB_DKIM_DOMAIN,$txt"
	    --txt-record="$TB_DKIM_DOMAIN,v=spf1 ip4:192.0.2.10 -all"
	    --txt-record="_dmarc.$TB_DKIM_DOMAIN,v=DMARC1; p=reject")
	dnsmasq --conf-file=/dev/null --no-resolv --no-hosts --no-poll \
	    --listen-address=127.0.0.1 --bind-interfaces --port="$DNS_PORT" \
	    --user=root --pid-file="$M/dnsmasq.pid" \
	    --log-facility="$M/dnsmasq.log" --log-queries \
	    "${DMARC_ZONE[@]}" || die "dnsmasq did not start"
	cat > "$M/unbound.conf" <<EOF
server:
	do-not-query-localhost: no
	module-config: "iterator"
	# unbound answers the special-use test. zone itself by default
	local-zone: "test." nodefault
forward-zone:
	name: "."
	forward-addr: 127.0.0.1@$DNS_PORT
EOF
	MILTER_PORT=$(free_port $((DNS_PORT + 1)))
	echo 192.0.2.1 > "$M/internal"	# mail from 127.0.0.1 is verified
	cat > "$M/opendkim.conf" <<EOF
Mode			v
Socket			inet:$MILTER_PORT@127.0.0.1
PidFile			$M/opendkim.pid
AuthservID		$TB_AUTHSERV_ID
AlwaysAddARHeader	yes
InternalHosts		$M/internal
ResolverConfiguration	$M/unbound.conf
Syslog			no
LogResults		no
UMask			007
EOF
	opendkim -x "$M/opendkim.conf" 2>"$M/opendkim.log" ||
	    die "opendkim did not start: $(tail -2 "$M/opendkim.log")"
	for i in $(seq 1 50); do
		(exec 3<>"/dev/tcp/127.0.0.1/$MILTER_PORT") 2>/dev/null && break
		sleep 0.1
	done
	start_opendmarc
	postconf -c "$DIR/postfix" -P \
	    "127.0.0.1:$TB_SMTP_PORT/inet/smtpd_milters=inet:127.0.0.1:$MILTER_PORT,unix:$M/opendmarc.sock" \
	    "127.0.0.1:$TB_SMTP_PORT/inet/milter_default_action=tempfail" ||
	    die "postconf failed"
	MAIL_CONFIG=$DIR/postfix postfix -c "$DIR/postfix" reload \
	    >>"$M/postfix-reload.log" 2>&1 || die "postfix reload failed"
	sleep 1	# the new smtpd processes pick the setting up
	cat > "$M/env" <<EOF
TB_DKIM_DOMAIN=$TB_DKIM_DOMAIN
TB_DKIM_SELECTOR=$TB_DKIM_SELECTOR
TB_DKIM_KEY='$M/$TB_DKIM_SELECTOR.private'
TB_AUTHSERV_ID=$TB_AUTHSERV_ID
TB_DNS_PORT=$DNS_PORT
TB_MILTER_PORT=$MILTER_PORT
EOF
}

# OpenDMARC in namespaces of its own (see the top of this file).
start_opendmarc() {
	echo 192.0.2.1 > "$M/ignore"
	echo "nameserver 127.0.0.1" > "$M/resolv.conf"
	cat > "$M/opendmarc.conf" <<EOF
Socket			local:$M/opendmarc.sock
PidFile			$M/opendmarc.pid
AuthservID		$TB_AUTHSERV_ID
TrustedAuthservIDs	$TB_AUTHSERV_ID
IgnoreHosts		$M/ignore
SPFSelfValidate		true
SPFIgnoreResults	true
RejectFailures		false
FailureReports		false
Syslog			false
UMask			000
EOF
	# shellcheck disable=SC2016
	unshare --net --mount sh -c '
		set -e
		M=$1; shift
		ip link set lo up
		mount -n --bind "$M/resolv.conf" /etc/resolv.conf
		dnsmasq --conf-file=/dev/null --no-resolv --no-hosts --no-poll \
		    --listen-address=127.0.0.1 --bind-interfaces --port=53 \
		    --user=root --pid-file="$M/dnsmasq-dmarc.pid" \
		    --log-facility="$M/dnsmasq-dmarc.log" --log-queries "$@"
		exec opendmarc -c "$M/opendmarc.conf" -f
	' sh "$M" "${DMARC_ZONE[@]}" 2>"$M/opendmarc.log" &
	for i in $(seq 1 50); do
		[ -S "$M/opendmarc.sock" ] && return 0
		sleep 0.1
	done
	die "opendmarc did not start: $(tail -2 "$M/opendmarc.log")"
}

cmd_down() {
	load
	stop_pidfile "$M/opendmarc.pid" opendmarc
	stop_pidfile "$M/dnsmasq-dmarc.pid" dnsmasq
	stop_pidfile "$M/opendkim.pid" opendkim
	stop_pidfile "$M/dnsmasq.pid" dnsmasq
	rm -f "$M/env"
}

cmd_sign() {	# FILE
	load
	. "$M/env"
	opendkim-testmsg -d "$TB_DKIM_DOMAIN" -s "$TB_DKIM_SELECTOR" \
	    -k "$TB_DKIM_KEY" < "$1" || die "opendkim-testmsg failed"
}

cmd=${1:-}
DIR=${2:-}
[ -n "$DIR" ] || die "usage: testbed-milters.sh up|down|sign|env DIR ..."
case $cmd in
up)	cmd_up ;;
down)	cmd_down ;;
sign)	[ $# -eq 3 ] || die "usage: sign DIR FILE"; cmd_sign "$3" ;;
env)	load; cat "$M/env" ;;
*)	die "usage: testbed-milters.sh up|down|sign|env DIR ..." ;;
esac

#!/bin/bash
# A private mail test-bed on loopback for integration tests: Dovecot (IMAP
# with STARTTLS, IMAPS, a second IMAPS listener with an untrusted
# certificate, a third one whose certificate is signed by the test CA but
# names another host, LMTP) and Postfix (SMTP into Dovecot for the test domains
# only, submission with STARTTLS + AUTH, smtps with implicit TLS + AUTH;
# logins by password or by an OAuth2 token), all living in one directory DIR
# with their own configuration, certificates, logs and Maildirs.
#
#   testbed.sh up DIR                  generate everything, start, wait for ports
#   testbed.sh down DIR                stop both servers by PID
#   testbed.sh env DIR                 print TB_* shell assignments (eval them)
#   testbed.sh deliver DIR USER FILE   drop FILE into USER's INBOX (Maildir)
#   testbed.sh smtp DIR RCPT FILE      send FILE to RCPT through Postfix
#   testbed.sh restart-dovecot DIR     stop and start Dovecot (same ports)
#   testbed.sh stop-postfix DIR        stop Postfix only (the MTA is down)
#   testbed.sh start-postfix DIR       start it again, wait for its ports
#   testbed.sh uidvalidity DIR USER [MAILBOX [VALUE]]
#                                      give MAILBOX a new UIDVALIDITY
#   testbed.sh token DIR USER [SECS [KEY]]
#                                      print an OAuth2 bearer token (a JWT
#                                      signed HS256) that Dovecot accepts
#                                      for USER via XOAUTH2/OAUTHBEARER;
#                                      SECS of validity (default 600),
#                                      KEY (hex) to sign with another key
#   testbed.sh imap-pids DIR USER      PIDs of Dovecot's imap processes
#                                      serving USER (to freeze one with
#                                      SIGSTOP: a server gone silent)
#   testbed.sh capability DIR [CAPS]   advertise only CAPS after login (to
#                                      test clients' fallbacks, e.g. without
#                                      MOVE); no CAPS: back to Dovecot's own
#
# TB_EXTRA_USERS="a@x.example b@y.example" at up gives those addresses
# mailboxes too (password TB_EXTRA_PASS), and their domains to Postfix as
# local: the demo's sample customers can then read their replies.
#
# Ports come from TB_IMAP_PORT, TB_IMAPS_PORT, TB_UNTRUSTED_PORT,
# TB_WRONGNAME_PORT, TB_SMTP_PORT, TB_SUBMISSION_PORT and TB_SMTPS_PORT when set (up refuses to start if one
# is taken); otherwise a free block is picked from TB_PORT_BASE (or from
# the PID).  Must run as root: Dovecot and Postfix drop privileges
# themselves, and Maildirs belong to the stock "mail" account (uid 8).
set -u

TB_SHOP_USER=shop@example.test
TB_SHOP_PASS=shop-secret-7
TB_BUYER_USER=buyer@customer.test
TB_BUYER_PASS=buyer-secret-3
TB_EXTRA_PASS=customer-secret-5
TB_UNTRUSTED_HOST=127.0.0.2
TB_WRONGNAME_HOST=127.0.0.3
MAIL_UID=8
MAIL_GID=8

die() { echo "testbed: $*" >&2; exit 1; }

need() {
	command -v "$1" >/dev/null 2>&1 || die "'$1' not found: install $2" \
	    "(apt-get install -y --no-install-recommends dovecot-imapd" \
	    "dovecot-lmtpd postfix openssl)"
}

# port_taken ADDR PORT: something already listens there.
port_taken() {
	[ -n "$(ss -Hltn "sport = :$2" 2>/dev/null |
	    awk -v a="$1" '$4 ~ "^(" a "|0.0.0.0|\\*|\\[::\\]):" {print}')" ]
}

# port_answers ADDR PORT: a TCP connect succeeds.
port_answers() {
	(exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# pid_alive PID: running and not a zombie (PID 1 here reaps late).
pid_alive() {
	local st
	[ -r "/proc/$1/stat" ] || return 1
	st=$(sed -e 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# kill_wait PID: TERM, wait up to 10 s, then KILL.
kill_wait() {
	local pid=$1 i
	pid_alive "$pid" || return 0
	kill -TERM "$pid" 2>/dev/null
	for i in $(seq 1 100); do
		pid_alive "$pid" || return 0
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
	sleep 0.2
	! pid_alive "$pid"
}

check_dir() {
	[ -n "${DIR:-}" ] || die "usage: testbed.sh COMMAND DIR ..."
	case $DIR in
	/*) ;;
	*) DIR=$(cd "$DIR" 2>/dev/null && pwd) || die "no such directory" ;;
	esac
}

load_env() {
	[ -r "$DIR/testbed.env" ] || die "'$DIR' is not an up test-bed"
	# shellcheck disable=SC1091
	. "$DIR/testbed.env"
}

pick_ports() {
	local base tries p explicit=0
	for v in TB_IMAP_PORT TB_IMAPS_PORT TB_UNTRUSTED_PORT \
	    TB_WRONGNAME_PORT TB_SMTP_PORT TB_SUBMISSION_PORT TB_SMTPS_PORT; do
		[ -n "${!v:-}" ] && explicit=1
	done
	if [ $explicit = 1 ]; then
		for v in TB_IMAP_PORT TB_IMAPS_PORT TB_UNTRUSTED_PORT \
		    TB_WRONGNAME_PORT TB_SMTP_PORT TB_SUBMISSION_PORT \
		    TB_SMTPS_PORT; do
			[ -n "${!v:-}" ] || die "$v must be set too when" \
			    "any port is set"
		done
		for p in "$TB_IMAP_PORT" "$TB_IMAPS_PORT" "$TB_SMTP_PORT" \
		    "$TB_SUBMISSION_PORT" "$TB_SMTPS_PORT"; do
			port_taken 127.0.0.1 "$p" &&
			    die "port 127.0.0.1:$p is already taken"
		done
		port_taken "$TB_UNTRUSTED_HOST" "$TB_UNTRUSTED_PORT" &&
		    die "port $TB_UNTRUSTED_HOST:$TB_UNTRUSTED_PORT is" \
		    "already taken"
		port_taken "$TB_WRONGNAME_HOST" "$TB_WRONGNAME_PORT" &&
		    die "port $TB_WRONGNAME_HOST:$TB_WRONGNAME_PORT is" \
		    "already taken"
		return 0
	fi
	# Below Linux's ephemeral range (32768-60999): an outgoing connection
	# elsewhere may take a port there between our check and the listen.
	base=${TB_PORT_BASE:-$((20000 + ($$ % 1200) * 10))}
	for tries in $(seq 1 50); do
		local busy=0
		for p in $(seq "$base" $((base + 6))); do
			if port_taken 127.0.0.1 "$p" ||
			    port_taken "$TB_UNTRUSTED_HOST" "$p" ||
			    port_taken "$TB_WRONGNAME_HOST" "$p"; then
				busy=1
				break
			fi
		done
		if [ $busy = 0 ]; then
			TB_IMAP_PORT=$base
			TB_IMAPS_PORT=$((base + 1))
			TB_UNTRUSTED_PORT=$((base + 2))
			TB_SMTP_PORT=$((base + 3))
			TB_SUBMISSION_PORT=$((base + 4))
			TB_WRONGNAME_PORT=$((base + 5))
			TB_SMTPS_PORT=$((base + 6))
			return 0
		fi
		[ -n "${TB_PORT_BASE:-}" ] &&
		    die "a port in $base-$((base + 6)) is already taken"
		base=$((base + 10))
		[ $base -gt 32000 ] && base=20000
	done
	die "no free block of ports found"
}

gen_certs() {
	local t=$DIR/tls
	mkdir -p "$t"
	(
	cd "$t" || exit 1
	openssl req -x509 -newkey rsa:2048 -nodes -days 30 \
	    -keyout ca.key -out ca.pem -subj "/CN=mailorder test-bed CA" \
	    -addext "basicConstraints=critical,CA:TRUE" \
	    -addext "keyUsage=critical,keyCertSign,cRLSign" || exit 1
	openssl req -newkey rsa:2048 -nodes -keyout server.key \
	    -out server.csr -subj "/CN=localhost" || exit 1
	printf '%s\n' "basicConstraints=CA:FALSE" \
	    "keyUsage=critical,digitalSignature,keyEncipherment" \
	    "extendedKeyUsage=serverAuth" \
	    "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" > server.ext
	openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key \
	    -CAcreateserial -days 30 -out server.pem -extfile server.ext ||
	    exit 1
	cat server.pem ca.pem > server-chain.pem
	# Self-signed, with every name the client could ask for: the only
	# reason to refuse it is that nobody trusts its issuer.
	openssl req -x509 -newkey rsa:2048 -nodes -days 30 \
	    -keyout untrusted.key -out untrusted.pem -subj "/CN=localhost" \
	    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:127.0.0.2" ||
	    exit 1
	# Issued by the trusted CA, but for a name the client never asks
	# for: refused only if the host name is really checked.
	openssl req -newkey rsa:2048 -nodes -keyout wrongname.key \
	    -out wrongname.csr -subj "/CN=wrong.example.test" || exit 1
	printf '%s\n' "basicConstraints=CA:FALSE" \
	    "extendedKeyUsage=serverAuth" \
	    "subjectAltName=DNS:wrong.example.test" > wrongname.ext
	openssl x509 -req -in wrongname.csr -CA ca.pem -CAkey ca.key \
	    -CAcreateserial -days 30 -out wrongname.pem \
	    -extfile wrongname.ext || exit 1
	cat wrongname.pem ca.pem > wrongname-chain.pem
	) >"$DIR/log/openssl.log" 2>&1 || die "openssl failed, see $DIR/log/openssl.log"
	chmod 0644 "$t"/*.pem
	chmod 0600 "$t"/*.key
}

# OAuth2 without an identity provider: Dovecot validates the tokens
# itself (introspection_mode = local) against an HMAC key in a dict.
gen_oauth2_key() {
	local k=$DIR/oauth2-keys/default/HS256
	mkdir -p "$k"
	openssl rand -out "$DIR/oauth2.key" 32 || die "openssl rand failed"
	od -An -tx1 -v "$DIR/oauth2.key" | tr -d ' \n' > "$DIR/oauth2.key.hex"
	base64 -w0 "$DIR/oauth2.key" > "$k/default"
	chown -R root:dovecot "$DIR/oauth2-keys"
	chmod -R u=rwX,g=rX,o= "$DIR/oauth2-keys"
	cat > "$DIR/dovecot-oauth2.conf.ext" <<EOF
introspection_mode = local
local_validation_key_dict = fs:posix:prefix=$DIR/oauth2-keys/
username_attribute = email
EOF
}

b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }

cmd_token() {	# USER [SECS [KEYHEX]]
	local user=$1 secs=${2:-600} key=${3:-} now head body sig
	[ -n "$key" ] || key=$(cat "$DIR/oauth2.key.hex")
	now=$(date +%s)
	head=$(printf '{"alg":"HS256","typ":"JWT"}' | b64url)
	body=$(printf '{"sub":"%s","email":"%s","iat":%d,"exp":%d}' \
	    "$user" "$user" "$now" $((now + secs)) | b64url)
	sig=$(printf '%s.%s' "$head" "$body" |
	    openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key" -binary |
	    b64url)
	printf '%s.%s.%s\n' "$head" "$body" "$sig"
}

write_env() {
	cat > "$DIR/testbed.env" <<EOF
TB_DIR='$DIR'
TB_HOST=localhost
TB_IMAP_PORT=$TB_IMAP_PORT
TB_IMAPS_PORT=$TB_IMAPS_PORT
TB_UNTRUSTED_HOST=$TB_UNTRUSTED_HOST
TB_UNTRUSTED_PORT=$TB_UNTRUSTED_PORT
TB_WRONGNAME_HOST=$TB_WRONGNAME_HOST
TB_WRONGNAME_PORT=$TB_WRONGNAME_PORT
TB_SMTP_PORT=$TB_SMTP_PORT
TB_SUBMISSION_PORT=$TB_SUBMISSION_PORT
TB_SMTPS_PORT=$TB_SMTPS_PORT
TB_CA='$DIR/tls/ca.pem'
TB_UNTRUSTED_CERT='$DIR/tls/untrusted.pem'
TB_SHOP_USER='$TB_SHOP_USER'
TB_SHOP_PASS='$TB_SHOP_PASS'
TB_SHOP_MAILDIR='$DIR/mail/example.test/shop/Maildir'
TB_BUYER_USER='$TB_BUYER_USER'
TB_BUYER_PASS='$TB_BUYER_PASS'
TB_BUYER_MAILDIR='$DIR/mail/customer.test/buyer/Maildir'
TB_EXTRA_USERS='${TB_EXTRA_USERS:-}'
TB_EXTRA_PASS='$TB_EXTRA_PASS'
TB_DOVECOT_CONF='$DIR/dovecot.conf'
TB_DOVECOT_LOG='$DIR/log/dovecot.log'
TB_POSTFIX_LOG='$DIR/log/postfix.log'
EOF
}

# home_of USER: the home of a mailbox ($DIR/mail/DOMAIN/LOCAL).
home_of() {
	case " $TB_SHOP_USER $TB_BUYER_USER ${TB_EXTRA_USERS:-} " in
	*" $1 "*) echo "$DIR/mail/${1#*@}/${1%@*}" ;;
	*) die "unknown user '$1'" ;;
	esac
}

maildir_of() {
	echo "$(home_of "$1")/Maildir"
}

all_users() {
	echo "$TB_SHOP_USER" "$TB_BUYER_USER" ${TB_EXTRA_USERS:-}
}

# The domains Postfix takes mail for, comma-separated.
all_domains() {
	local u d out="example.test, customer.test"
	for u in ${TB_EXTRA_USERS:-}; do
		d=${u#*@}
		case ", $out, " in *", $d, "*) ;; *) out="$out, $d" ;; esac
	done
	echo "$out"
}

write_dovecot() {
	local u
	cat > "$DIR/users" <<EOF
$TB_SHOP_USER:{PLAIN}$TB_SHOP_PASS:$MAIL_UID:$MAIL_GID::$DIR/mail/example.test/shop::
$TB_BUYER_USER:{PLAIN}$TB_BUYER_PASS:$MAIL_UID:$MAIL_GID::$DIR/mail/customer.test/buyer::
EOF
	for u in ${TB_EXTRA_USERS:-}; do
		printf '%s:{PLAIN}%s:%s:%s::%s::\n' "$u" "$TB_EXTRA_PASS" \
		    "$MAIL_UID" "$MAIL_GID" "$(home_of "$u")" >> "$DIR/users"
	done
	chown root:dovecot "$DIR/users"
	chmod 0640 "$DIR/users"

	cat > "$DIR/dovecot.conf" <<EOF
# Generated by testbed.sh; self-contained, never includes /etc/dovecot.
instance_name = tb-$(basename "$DIR")
base_dir = $DIR/run/dovecot
state_dir = $DIR/state
protocols = imap lmtp
listen = 127.0.0.1
log_path = $DIR/log/dovecot.log
info_log_path = $DIR/log/dovecot.log
debug_log_path = $DIR/log/dovecot.log
auth_verbose = yes
# Process titles name the user, so a test can find (and freeze) the imap
# process that serves one client.
verbose_proctitle = yes
ssl = yes
ssl_cert = <$DIR/tls/server-chain.pem
ssl_key = <$DIR/tls/server.key
ssl_dh = </usr/share/dovecot/dh.pem
ssl_min_protocol = TLSv1.2
local $TB_UNTRUSTED_HOST {
  ssl_cert = <$DIR/tls/untrusted.pem
  ssl_key = <$DIR/tls/untrusted.key
}
local $TB_WRONGNAME_HOST {
  ssl_cert = <$DIR/tls/wrongname-chain.pem
  ssl_key = <$DIR/tls/wrongname.key
}
first_valid_uid = $MAIL_UID
last_valid_uid = $MAIL_UID
first_valid_gid = $MAIL_GID
mail_location = maildir:~/Maildir
disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2 oauthbearer
auth_failure_delay = 0
passdb {
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN username_format=%u $DIR/users
}
passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = $DIR/dovecot-oauth2.conf.ext
}
userdb {
  driver = passwd-file
  args = username_format=%u $DIR/users
}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Sent {
    special_use = \\Sent
    auto = subscribe
  }
  mailbox Drafts {
    special_use = \\Drafts
  }
  mailbox Trash {
    special_use = \\Trash
  }
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $TB_IMAP_PORT
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $TB_IMAPS_PORT
    ssl = yes
  }
  inet_listener imaps_untrusted {
    address = $TB_UNTRUSTED_HOST
    port = $TB_UNTRUSTED_PORT
    ssl = yes
  }
  inet_listener imaps_wrongname {
    address = $TB_WRONGNAME_HOST
    port = $TB_WRONGNAME_PORT
    ssl = yes
  }
}
service lmtp {
  unix_listener lmtp {
    mode = 0666
  }
}
service auth {
  unix_listener auth-postfix {
    user = postfix
    group = postfix
    mode = 0660
  }
}
protocol imap {
  mail_max_userip_connections = 200
}
# Written by "testbed.sh capability".
!include_try $DIR/dovecot-extra.conf
protocol lmtp {
  postmaster_address = postmaster@example.test
}
EOF
}

write_postfix() {
	local pc=$DIR/postfix
	mkdir -p "$pc" "$DIR/postfix-spool" "$DIR/postfix-data"
	chown postfix "$DIR/postfix-data"
	printf '%s x\n' $(all_users) > "$pc/vmailbox"
	cat > "$pc/main.cf" <<EOF
# Generated by testbed.sh: accepts mail for the test domains only and hands
# it to Dovecot over LMTP; nothing is ever relayed anywhere else.
compatibility_level = 3.6
queue_directory = $DIR/postfix-spool
data_directory = $DIR/postfix-data
mail_owner = postfix
setgid_group = postdrop
maillog_file = $DIR/log/postfix.log
maillog_file_prefixes = $DIR/log
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = mx.example.test
mydomain = example.test
myorigin = example.test
mydestination =
mynetworks = 127.0.0.0/8
alias_maps =
alias_database =
local_recipient_maps =
local_transport = error:local delivery is disabled in the test-bed
default_transport = error:the test-bed never relays
relay_transport = error:the test-bed never relays
virtual_mailbox_domains = $(all_domains)
virtual_mailbox_maps = texthash:$pc/vmailbox
virtual_transport = lmtp:unix:$DIR/run/dovecot/lmtp
smtpd_relay_restrictions = reject_unauth_destination
smtpd_peername_lookup = no
smtpd_tls_cert_file = $DIR/tls/server-chain.pem
smtpd_tls_key_file = $DIR/tls/server.key
smtpd_tls_security_level = may
smtpd_tls_auth_only = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = $DIR/run/dovecot/auth-postfix
smtpd_sasl_auth_enable = no
biff = no
append_dot_mydomain = no
EOF
	cat > "$pc/master.cf" <<EOF
# Generated by testbed.sh: nothing chrooted, no smtp/relay client service.
127.0.0.1:$TB_SMTP_PORT inet n - n - - smtpd
127.0.0.1:$TB_SUBMISSION_PORT inet n - n - - smtpd
  -o syslog_name=postfix/submission
  -o smtpd_tls_security_level=encrypt
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
127.0.0.1:$TB_SMTPS_PORT inet n - n - - smtpd
  -o syslog_name=postfix/smtps
  -o smtpd_tls_wrappermode=yes
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF
}

make_maildirs() {
	local u m
	for u in $(all_users); do
		m=$(maildir_of "$u")
		mkdir -p "$m/cur" "$m/new" "$m/tmp"
	done
	chown -R "$MAIL_UID:$MAIL_GID" "$DIR/mail"
}

wait_ports() {
	local i p
	for i in $(seq 1 150); do
		local all=1
		for p in "$TB_IMAP_PORT" "$TB_IMAPS_PORT" "$TB_SMTP_PORT" \
		    "$TB_SUBMISSION_PORT" "$TB_SMTPS_PORT"; do
			port_answers 127.0.0.1 "$p" || all=0
		done
		port_answers "$TB_UNTRUSTED_HOST" "$TB_UNTRUSTED_PORT" || all=0
		port_answers "$TB_WRONGNAME_HOST" "$TB_WRONGNAME_PORT" || all=0
		[ $all = 1 ] && return 0
		sleep 0.1
	done
	return 1
}

dovecot_start() {
	dovecot -c "$DIR/dovecot.conf" >>"$DIR/log/dovecot.start" 2>&1 ||
	    die "dovecot did not start: $(tail -3 "$DIR/log/dovecot.start")"
}

dovecot_pid() {
	cat "$DIR/run/dovecot/master.pid" 2>/dev/null
}

# find_master COMM FILE PATTERN: the PID of a live process named COMM
# whose /proc FILE (cmdline or environ) has the NUL-separated entry
# PATTERN.  For a DIR whose pid files were deleted under our feet.
find_master() {
	local f pid
	for f in /proc/[0-9]*/comm; do
		pid=${f#/proc/}
		pid=${pid%/comm}
		[ "$(cat "$f" 2>/dev/null)" = "$1" ] || continue
		tr '\0' '\n' < "/proc/$pid/$2" 2>/dev/null | grep -qxF "$3" ||
		    continue
		pid_alive "$pid" && echo "$pid" && return 0
	done
	return 1
}

dovecot_stop() {
	local pid
	pid=$(dovecot_pid) ||
	    pid=$(find_master dovecot cmdline "$DIR/dovecot.conf") || return 0
	[ -n "$pid" ] || return 0
	# Only kill the master that belongs to this DIR.
	if pid_alive "$pid" && tr '\0' ' ' < "/proc/$pid/cmdline" |
	    grep -qF "$DIR/dovecot.conf"; then
		kill_wait "$pid" || die "dovecot (pid $pid) does not stop"
	fi
	rm -f "$DIR/run/dovecot/master.pid"
}

postfix_stop() {
	local pid
	pid=$({ tr -d ' ' < "$DIR/postfix-spool/pid/master.pid"; } 2>/dev/null) ||
	    pid=$(find_master master environ "MAIL_CONFIG=$DIR/postfix") ||
	    return 0
	[ -n "$pid" ] || return 0
	# The master's argv does not name DIR; its environment does.
	if pid_alive "$pid" && tr '\0' '\n' < "/proc/$pid/environ" |
	    grep -qxF "MAIL_CONFIG=$DIR/postfix"; then
		kill_wait "$pid" || die "postfix (pid $pid) does not stop"
	fi
}

cmd_up() {
	local u
	need dovecot dovecot-imapd
	need doveadm dovecot-core
	need postfix postfix
	need openssl openssl
	[ "$(id -u)" = 0 ] || die "must run as root"
	[ ${#DIR} -le 70 ] || die "'$DIR' is too long for unix socket paths" \
	    "(70 characters at most)"
	[ -e "$DIR/testbed.env" ] && die "'$DIR' already holds a test-bed"
	for u in ${TB_EXTRA_USERS:-}; do
		# They become paths and configuration lines.
		case $u in
		*[!A-Za-z0-9._@-]* | *@*@* | @* | *@ | [!A-Za-z0-9]* | *@.*)
			die "TB_EXTRA_USERS: '$u' is not a plain user@domain" ;;
		*@*) ;;
		*) die "TB_EXTRA_USERS: '$u' is not a plain user@domain" ;;
		esac
	done
	mkdir -p "$DIR" || die "cannot create '$DIR'"
	chmod 0755 "$DIR"
	# mkdtemp gives 0700: then neither Postfix nor the mail uid can
	# reach DIR, and the servers fail in ways that are hard to read.
	setpriv --reuid="$MAIL_UID" --regid="$MAIL_GID" --clear-groups \
	    sh -c 'cd "$1"' sh "$DIR" 2>/dev/null ||
	    die "'$DIR' is not reachable by other users: make its parent" \
	    "directories world-searchable (chmod 0755)"
	mkdir -p "$DIR/log" "$DIR/run" "$DIR/state"
	pick_ports
	gen_certs
	gen_oauth2_key
	write_dovecot
	write_postfix
	make_maildirs
	write_env
	dovecot_start
	MAIL_CONFIG=$DIR/postfix postfix -c "$DIR/postfix" start \
	    >>"$DIR/log/postfix.start" 2>&1 || {
		dovecot_stop
		die "postfix did not start: $(tail -3 "$DIR/log/postfix.start")"
	}
	if ! wait_ports; then
		cmd_down
		die "servers did not answer on their ports within 15 s"
	fi
}

cmd_down() {
	postfix_stop
	dovecot_stop
}

cmd_deliver() {	# USER FILE: Maildir fast path, tmp/ then rename to new/
	local user=$1 file=$2 m name size now
	load_env
	m=$(maildir_of "$user")
	[ -r "$file" ] || die "cannot read '$file'"
	size=$(stat -c %s "$file")
	now=$(date +%s.%N)
	name="${now%.*}.M${now#*.}P$$.testbed,S=$size"
	cp "$file" "$m/tmp/$name" || die "cannot write '$m/tmp/$name'"
	chown "$MAIL_UID:$MAIL_GID" "$m/tmp/$name"
	chmod 0600 "$m/tmp/$name"
	mv "$m/tmp/$name" "$m/new/$name"
}

cmd_smtp() {	# RCPT FILE: through Postfix (STARTTLS, verified) and LMTP
	local rcpt=$1 file=$2
	load_env
	curl -sS --ssl-reqd --cacert "$TB_CA" \
	    --url "smtp://localhost:$TB_SMTP_PORT" \
	    --mail-from "sender@customer.test" --mail-rcpt "$rcpt" \
	    --upload-file "$file"
}

cmd_restart_dovecot() {
	load_env
	dovecot_stop
	# The kernel may still hold the listeners for a moment.
	local i
	for i in $(seq 1 50); do
		port_answers 127.0.0.1 "$TB_IMAPS_PORT" || break
		sleep 0.1
	done
	dovecot_start
	wait_ports || die "dovecot did not answer after restart"
}

cmd_start_postfix() {
	load_env
	MAIL_CONFIG=$DIR/postfix postfix -c "$DIR/postfix" start \
	    >>"$DIR/log/postfix.start" 2>&1 ||
	    die "postfix did not start: $(tail -3 "$DIR/log/postfix.start")"
	wait_ports || die "postfix did not answer after start"
}

cmd_capability() {	# [CAPS]
	local pid
	load_env
	if [ -n "${1:-}" ]; then
		printf 'protocol imap {\n  imap_capability = %s\n}\n' "$1" \
		    > "$DIR/dovecot-extra.conf"
	else
		rm -f "$DIR/dovecot-extra.conf"
	fi
	pid=$(dovecot_pid) && pid_alive "$pid" || die "dovecot is not running"
	# New logins see the new setting once the master has re-read it.
	kill -HUP "$pid"
	sleep 0.5
}

cmd_uidvalidity() {	# USER [MAILBOX [VALUE]]
	local user=$1 box=${2:-INBOX} val=${3:-}
	load_env
	[ -n "$val" ] || val=$(($(date +%s) + RANDOM))
	doveadm -c "$DIR/dovecot.conf" mailbox update -u "$user" \
	    --uid-validity "$val" "$box" || die "doveadm mailbox update failed"
	echo "$val"
}

cmd=${1:-}
DIR=${2:-}
# cmd_imap_pids USER: the master's imap children titled for USER.
cmd_imap_pids() {
	local master pid
	master=$(dovecot_pid) || return 1
	for pid in $(ps -o pid= --ppid "$master"); do
		tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null |
		    grep -q "^dovecot[^/]*/imap \[$1 " && echo "$pid"
	done
	return 0
}

case $cmd in
up)		check_dir; cmd_up ;;
down)		check_dir; cmd_down ;;
env)		check_dir; load_env; cat "$DIR/testbed.env" ;;
deliver)	check_dir; [ $# -eq 4 ] || die "usage: deliver DIR USER FILE"
		cmd_deliver "$3" "$4" ;;
smtp)		check_dir; [ $# -eq 4 ] || die "usage: smtp DIR RCPT FILE"
		cmd_smtp "$3" "$4" ;;
restart-dovecot) check_dir; cmd_restart_dovecot ;;
stop-postfix)	check_dir; load_env; postfix_stop ;;
start-postfix)	check_dir; cmd_start_postfix ;;
capability)	check_dir; cmd_capability "${3:-}" ;;
token)		check_dir; [ $# -ge 3 ] || die "usage: token DIR USER [SECS [KEY]]"
		cmd_token "$3" "${4:-}" "${5:-}" ;;
imap-pids)	check_dir; [ $# -eq 3 ] || die "usage: imap-pids DIR USER"
		cmd_imap_pids "$3" ;;
uidvalidity)	check_dir; [ $# -ge 3 ] || die "usage: uidvalidity DIR USER" \
		    "[MAILBOX [VALUE]]"
		cmd_uidvalidity "$3" "${4:-}" "${5:-}" ;;
*)		die "usage: testbed.sh up|down|env|deliver|smtp|restart-dovecot|stop-postfix|start-postfix|uidvalidity|capability|token|imap-pids DIR ..." ;;
esac

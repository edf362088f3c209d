#!/usr/bin/env python3
# webhook_receiver.py PORTFILE LOG SECRETFILE MODEFILE: a small webhook
# receiver for tests/webhook.sh, on 127.0.0.1 only.  It checks each POST's
# X-Mailorder-Signature (HMAC-SHA256 of "t.body" with the secret, t within
# five minutes) and logs one line per request: "KEY EVENT VERDICT CODE".
# MODEFILE says how to answer: a status code ("200", "500", "410"), or
# "sleep N" (log the arrival, wait N seconds, then answer 200).  It writes
# its port to PORTFILE and runs until it is killed.
import hashlib
import hmac
import http.server
import os
import ssl
import sys
import time

portfile, logfile, secretfile, modefile = sys.argv[1:5]


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def log(self, line):
        with open(logfile, 'a') as f:
            f.write(line + '\n')

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get('Content-Length', 0)))
        key = self.headers.get('Idempotency-Key', '-')
        event = self.headers.get('X-Mailorder-Event', '-')
        secret = open(secretfile, 'rb').read().strip()
        sig = dict(p.split('=', 1) for p in
                   self.headers.get('X-Mailorder-Signature', '').split(',')
                   if '=' in p)
        want = hmac.new(secret, sig.get('t', '').encode() + b'.' + body,
                        hashlib.sha256).hexdigest()
        fresh = abs(time.time() - int(sig.get('t', '0'))) < 300
        if not (fresh and hmac.compare_digest(want, sig.get('v1', ''))):
            self.log('%s %s refused 401' % (key, event))
            self.answer(401)
            return
        mode = open(modefile).read().split()
        code = 200
        if mode[0] == 'sleep':
            self.log('%s %s arrived -' % (key, event))
            time.sleep(float(mode[1]))
        else:
            code = int(mode[0])
        self.log('%s %s ok %d' % (key, event, code))
        with open(logfile + '.bodies', 'ab') as f:
            f.write(body + b'\n')
        self.answer(code)

    def answer(self, code):
        # A length, so a TLS client knows where the answer ends without
        # waiting for the close.
        self.send_response(code)
        self.send_header('Content-Length', '0')
        self.end_headers()


server = http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[5])
                                          if len(sys.argv) > 5 else 0),
                                         Handler)
# WEBHOOK_TLS=CERT:KEY: answer over TLS with that certificate.
if os.environ.get('WEBHOOK_TLS'):
    cert, key = os.environ['WEBHOOK_TLS'].split(':')
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
with open(portfile, 'w') as f:
    f.write(str(server.server_address[1]))
server.serve_forever()

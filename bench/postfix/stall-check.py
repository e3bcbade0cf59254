#!/usr/bin/env python3
"""Per-RCPT reply latency under many concurrent pipelined SMTP sessions.

Opens --sessions concurrent SMTP sessions, each from its own loopback source address
127.S.x.y (one /24 per session, so greylisting by /24 keeps sessions apart), and runs
--transactions transactions per session.  Each transaction is one pipelined command
group  [RSET] MAIL FROM  RCPT TO x N  (RFC 2920 allows RSET, MAIL and RCPT anywhere in a
group), with a mix of valid recipients (from --recipients) and unknown ones
(--unknown-ratio).  With --data-ratio > 0, a transaction that got at least one 250 for a
RCPT sends a small message with DATA; otherwise the next group's RSET aborts it.

Latency of a reply = arrival time of that reply minus the time its command group was
written, i.e. what a pipelining client observes.  (Postfix, like most servers, holds the
replies of a pipelined group until it has read all of it and must wait, so all replies of a
group tend to arrive together; a stall anywhere in the group shows on every RCPT of it.)
A stalled group is counted once more in "groups slow", so that 1 s lost by a group of
five RCPTs is not mistaken for five independent stalls.

Prints per reply code: count, p50, p99, max, and the number of RCPT replies slower than
--threshold (default 0.5 s).  Standard library only.
"""
import argparse
import random
import socket
import statistics
import sys
import threading
import time


def percentile(values, p):
    if not values:
        return float("nan")
    s = sorted(values)
    k = min(len(s) - 1, max(0, int(round(p / 100.0 * (len(s) - 1)))))
    return s[k]


class Session:
    def __init__(self, args, index, valid, results, lock):
        self.args = args
        self.index = index
        self.valid = valid
        self.results = results
        self.lock = lock
        self.rng = random.Random(args.seed * 100003 + index)
        self.buf = b""
        self.sock = None

    def source(self):
        # 127.(20 + i / 256).(i % 256).(7): a distinct address and /24 per session
        i = self.index
        return "127.%d.%d.%d" % (20 + i // 256, i % 256, 7 + self.args.source_offset)

    def read_reply(self):
        """Returns (code, text, arrival_time) of one complete (multi-line) reply."""
        lines = []
        while True:
            nl = self.buf.find(b"\r\n")
            if nl < 0:
                chunk = self.sock.recv(65536)
                if not chunk:
                    raise ConnectionError("server closed the connection (%r)" % b"".join(lines)[-200:])
                self.buf += chunk
                continue
            line, self.buf = self.buf[:nl], self.buf[nl + 2:]
            lines.append(line)
            if len(line) < 4 or line[3:4] != b"-":
                return int(line[:3]), line.decode("latin-1"), time.monotonic()

    def expect(self, code_prefix):
        code, text, _ = self.read_reply()
        if not str(code).startswith(code_prefix):
            raise ConnectionError("unexpected reply: " + text)
        return code

    def run(self):
        a = self.args
        local = []  # (command, code, latency)
        errors = []
        try:
            t0 = time.monotonic()
            self.sock = socket.create_connection((a.host, a.port), timeout=a.timeout,
                                                 source_address=(self.source(), 0))
            if a.nodelay:
                self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            code, text, t = self.read_reply()
            local.append(("BANNER", code, t - t0))
            self.sock.sendall(b"EHLO client%d.example\r\n" % self.index)
            self.expect("2")
            for tx in range(a.transactions):
                cmds = []
                if tx > 0 and a.rset:
                    cmds.append(("RSET", b"RSET\r\n"))
                cmds.append(("MAIL", b"MAIL FROM:<probe%d.%d@sender.example>\r\n" % (self.index, tx)))
                for _ in range(a.rcpts):
                    if self.rng.random() < a.unknown_ratio:
                        rcpt = "nobody%06d@%s" % (self.rng.randrange(10 ** 6), a.domain)
                    else:
                        rcpt = self.rng.choice(self.valid)
                    cmds.append(("RCPT", ("RCPT TO:<%s>\r\n" % rcpt).encode()))
                t_sent = time.monotonic()
                self.sock.sendall(b"".join(c for _, c in cmds))
                accepted = 0
                for name, _ in cmds:
                    code, text, t = self.read_reply()
                    local.append((name, code, t - t_sent))
                    if name == "RCPT" and code == 250:
                        accepted += 1
                    if code == 421:
                        raise ConnectionError("421 from server: " + text)
                local.append(("GROUP", 0, time.monotonic() - t_sent))
                if accepted and self.rng.random() < a.data_ratio:
                    t_sent = time.monotonic()
                    self.sock.sendall(b"DATA\r\n")
                    code, text, t = self.read_reply()
                    local.append(("DATA", code, t - t_sent))
                    if code == 354:
                        t_sent = time.monotonic()
                        self.sock.sendall(b"Subject: stall check\r\n\r\nhello\r\n.\r\n")
                        code, text, t = self.read_reply()
                        local.append(("DOT", code, t - t_sent))
            self.sock.sendall(b"QUIT\r\n")
            try:
                self.read_reply()
            except (OSError, ConnectionError):
                pass
        except (OSError, ConnectionError, ValueError) as e:
            errors.append("session %d (%s): %s" % (self.index, self.source(), e))
        finally:
            if self.sock:
                self.sock.close()
            with self.lock:
                self.results["replies"].extend(local)
                self.results["errors"].extend(errors)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--domain", required=True)
    p.add_argument("--recipients", required=True, help="file with valid addresses, one per line")
    p.add_argument("--sessions", type=int, default=32)
    p.add_argument("--transactions", type=int, default=30, help="per session")
    p.add_argument("--rcpts", type=int, default=5, help="RCPT commands per transaction")
    p.add_argument("--unknown-ratio", type=float, default=0.6)
    p.add_argument("--data-ratio", type=float, default=0.0,
                   help="probability to send DATA when a RCPT got 250 (default 0: scan-like)")
    p.add_argument("--no-rset", dest="rset", action="store_false", help="no RSET between transactions")
    p.add_argument("--nodelay", action="store_true", help="set TCP_NODELAY on the client sockets")
    p.add_argument("--threshold", type=float, default=0.5, help="seconds (default 0.5)")
    p.add_argument("--timeout", type=float, default=30.0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--source-offset", type=int, default=0,
                   help="added to the last octet of the source addresses (new triplets per run)")
    a = p.parse_args()

    with open(a.recipients) as f:
        valid = [l.split("#")[0].strip() for l in f]
    valid = [v for v in valid if v]
    if not valid:
        sys.exit("no valid recipients in " + a.recipients)

    results = {"replies": [], "errors": []}
    lock = threading.Lock()
    sessions = [Session(a, i, valid, results, lock) for i in range(a.sessions)]
    threads = [threading.Thread(target=s.run, daemon=True) for s in sessions]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - t0

    replies = results["replies"]
    rcpt = [lat for name, code, lat in replies if name == "RCPT"]
    slow = [lat for lat in rcpt if lat > a.threshold]
    print("sessions=%d transactions/session=%d rcpts/transaction=%d unknown-ratio=%.2f data-ratio=%.2f rset=%s"
          % (a.sessions, a.transactions, a.rcpts, a.unknown_ratio, a.data_ratio, a.rset))
    print("wall=%.1fs  RCPT replies=%d (%.0f/s)" % (wall, len(rcpt), len(rcpt) / wall if wall else 0))
    by = {}
    for name, code, lat in replies:
        by.setdefault((name, code), []).append(lat)
    print("%-8s %5s %7s %9s %9s %9s %7s" % ("command", "code", "count", "p50 ms", "p99 ms", "max ms", ">thr"))
    for (name, code), lats in sorted(by.items()):
        if name == "GROUP":
            continue
        print("%-8s %5d %7d %9.1f %9.1f %9.1f %7d" % (
            name, code, len(lats), percentile(lats, 50) * 1e3, percentile(lats, 99) * 1e3,
            max(lats) * 1e3, sum(1 for x in lats if x > a.threshold)))
    groups = [lat for name, code, lat in replies if name == "GROUP"]
    if groups:
        print("groups (RSET+MAIL+RCPTs): %d, slow(>%.0fms)=%d  p50=%.1fms p99=%.1fms max=%.1fms" % (
            len(groups), a.threshold * 1e3, sum(1 for x in groups if x > a.threshold),
            percentile(groups, 50) * 1e3, percentile(groups, 99) * 1e3, max(groups) * 1e3))
    if rcpt:
        print("RCPT all: slow(>%.0fms)=%d of %d (1 in %s)  p50=%.1fms p99=%.1fms max=%.1fms" % (
            a.threshold * 1e3, len(slow), len(rcpt),
            ("%.0f" % (len(rcpt) / len(slow))) if slow else "-",
            percentile(rcpt, 50) * 1e3, percentile(rcpt, 99) * 1e3, max(rcpt) * 1e3))
    if results["errors"]:
        print("session errors: %d" % len(results["errors"]))
        for e in results["errors"][:5]:
            print("  " + e)
    return 0


if __name__ == "__main__":
    sys.exit(main())

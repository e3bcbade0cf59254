#!/usr/bin/env python3
"""End-to-end check of postfix-instance (run as root; takes about 15 seconds).

Starts a reject-first and a greylist-first instance at the same time (different DIRs and
ports) plus a "none" instance, and checks over SMTP:
  reject-first:   valid -> 450 (greylisted), after the delay 250; unknown -> 550 at once
  greylist-first: valid -> 450, after the delay 250; unknown -> 450, after the delay 550
  none:           valid -> 250, unknown -> 550
  all:            a foreign domain -> 554 relay denied; a message is accepted and discarded
then stops them and checks that no process of theirs is left.

  selftest.py [--base-dir /tmp/postfix-selftest] [--port 2791] [--delay 3]
"""
import argparse
import os
import shutil
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOOL = os.path.join(HERE, "postfix-instance")
DOMAIN = "bench.test"
failures = []


def smtp(port, source, sender, rcpts, data=False):
    """One transaction, no pipelining; returns the list of RCPT codes (+ the DATA end code)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(source, 0))
    f = s.makefile("rb")

    def reply():
        while True:
            line = f.readline()
            if not line:
                raise ConnectionError("connection closed")
            if line[3:4] != b"-":
                return int(line[:3])

    def cmd(c):
        s.sendall(c.encode() + b"\r\n")
        return reply()

    assert reply() == 220
    assert cmd("EHLO selftest.example") == 250
    assert cmd("MAIL FROM:<%s>" % sender) == 250
    codes = [cmd("RCPT TO:<%s>" % r) for r in rcpts]
    if data and 250 in codes:
        if cmd("DATA") == 354:
            codes.append(cmd("Subject: selftest\r\n\r\nhello\r\n."))
    cmd("QUIT")
    s.close()
    return codes


def check(label, got, want):
    ok = got == want
    print("%-4s %-62s got %s" % ("ok" if ok else "FAIL", label, got))
    if not ok:
        failures.append("%s: got %s, want %s" % (label, got, want))


def start(d, port, policy, mode, rcpts, delay):
    args = [TOOL, "start", d, "--port", str(port), "--domain", DOMAIN, "--recipients", rcpts,
            "--delay", str(delay), "--greylist", mode]
    if policy:
        args += ["--policy-port", str(policy)]
    t = time.monotonic()
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60)
    line = p.stdout.strip()
    want = "ready smtp=%d policy=%s" % (port, policy if policy else "none")
    check("start %s (%.1fs)" % (mode, time.monotonic() - t), (p.returncode, line), (0, want))
    if p.returncode != 0:
        print(p.stderr, file=sys.stderr)
        sys.exit(1)


def procs_in(d):
    """pids whose cwd or command line refers to the instance directory."""
    out = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cwd = os.readlink("/proc/%s/cwd" % pid)
            cmdline = open("/proc/%s/cmdline" % pid, "rb").read().decode(errors="replace")
        except OSError:
            continue
        if cwd.startswith(d + "/") or (d + "/") in cmdline:
            out.append(pid)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base-dir", default="/tmp/postfix-selftest")
    ap.add_argument("--port", type=int, default=2791)
    ap.add_argument("--delay", type=int, default=3)
    a = ap.parse_args()
    base = os.path.abspath(a.base_dir)
    if os.path.exists(base):
        for sub in ("rf", "gf", "none"):
            subprocess.run([TOOL, "stop", os.path.join(base, sub)], stderr=subprocess.DEVNULL)
        shutil.rmtree(base)
    os.makedirs(base)
    os.chmod(base, 0o755)
    rcpts = os.path.join(base, "recipients.txt")
    with open(rcpts, "w") as f:
        f.write("alice@%s\nbob@%s\n" % (DOMAIN, DOMAIN))

    rf, gf, no = (os.path.join(base, x) for x in ("rf", "gf", "none"))
    p = a.port
    # bad arguments must fail with a message and a non-zero exit
    bad = subprocess.run([TOOL, "start", rf, "--port", "x"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    check("bad arguments rejected", (bad.returncode != 0, bad.stdout, "error" in bad.stderr), (True, "", True))

    start(rf, p, p + 100, "reject-first", rcpts, a.delay)
    start(gf, p + 1, p + 101, "greylist-first", rcpts, a.delay)
    start(no, p + 2, None, "none", rcpts, a.delay)
    again = subprocess.run([TOOL, "start", rf, "--port", str(p + 3), "--policy-port", str(p + 103),
                            "--domain", DOMAIN, "--recipients", rcpts, "--delay", "3"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    check("second start in a running DIR refused", again.returncode != 0, True)

    src = "127.33.1.5"
    t0 = time.monotonic()
    check("reject-first   first contact: alice, nobody", smtp(p, src, "s@sender.example",
          ["alice@" + DOMAIN, "nobody@" + DOMAIN]), [450, 550])
    check("greylist-first first contact: alice, nobody", smtp(p + 1, src, "s@sender.example",
          ["alice@" + DOMAIN, "nobody@" + DOMAIN]), [450, 450])
    check("none: alice, nobody", smtp(p + 2, src, "s@sender.example",
          ["alice@" + DOMAIN, "nobody@" + DOMAIN]), [250, 550])
    for port, mode in ((p, "reject-first"), (p + 1, "greylist-first"), (p + 2, "none")):
        check("%-14s foreign domain" % mode, smtp(port, src, "s@sender.example", ["x@other.example"]), [554])
    check("greylist-first early retry (same /24, other host)", smtp(p + 1, "127.33.1.9", "s@sender.example",
          ["alice@" + DOMAIN, "nobody@" + DOMAIN]), [450, 450])
    time.sleep(max(0.0, a.delay + 1.2 - (time.monotonic() - t0)))
    check("reject-first   retry: alice, nobody + DATA", smtp(p, src, "s@sender.example",
          ["alice@" + DOMAIN, "nobody@" + DOMAIN], data=True), [250, 550, 250])
    check("greylist-first retry: alice, nobody + DATA", smtp(p + 1, src, "s@sender.example",
          ["alice@" + DOMAIN, "nobody@" + DOMAIN], data=True), [250, 550, 250])
    check("greylist-first new sender still greylisted", smtp(p + 1, src, "other@sender.example",
          ["bob@" + DOMAIN]), [450])
    time.sleep(1.5)
    for d in (rf, gf):
        log = open(os.path.join(d, "log", "maillog")).read()
        check("%s: accepted message discarded" % os.path.basename(d), "status=sent (accepted by the benchmark" in log, True)

    for d in (rf, gf, no):
        r = subprocess.run([TOOL, "stop", d], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        check("stop %s" % os.path.basename(d), (r.returncode, procs_in(d)), (0, []))
    r = subprocess.run([TOOL, "stop", rf], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    check("stop again (idempotent)", r.returncode, 0)
    for port in (p, p + 1, p + 2, p + 100, p + 101):
        s = socket.socket()
        closed = s.connect_ex(("127.0.0.1", port)) != 0
        s.close()
        check("port %d closed after stop" % port, closed, True)

    print("\n%s" % ("ALL OK" if not failures else "%d FAILED:\n  " % len(failures) + "\n  ".join(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

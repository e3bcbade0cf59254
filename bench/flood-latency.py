#!/usr/bin/env python3
"""A legitimate session's latency while hostile connections flood the server with first contacts.

Opens --hostile concurrent SMTP connections that name random recipients of --hostile-domain, one RCPT after
another, from one client address (--spread one) or from 64 client networks (--spread 64, one /24 each). While they
run, a legitimate client opens a session every --interval seconds from its own network and times the whole session,
connect to the reply of its one RCPT (--legit-rcpt, a fresh sender each time). Prints one line:

  label  p50 p90 max (seconds) of the legitimate sessions, their replies, and the hostile replies by first 9 bytes

With --timeline, each legitimate session is also printed as it ends (seconds since the flood began, its time, its
reply): e.g. to see how long after a store pause replies fail fast.

Connections the server refuses (a per-address connection limit) are counted as "refused" and retried after 0.2 s.
Standard library only; the server must be up (bench/flood-matrix.sh starts them).
"""
import argparse
import collections
import multiprocessing
import random
import socket
import threading
import time


def percentile(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, max(0, int(round(p / 100.0 * (len(s) - 1)))))] if s else float("nan")


class Smtp:
    def __init__(self, host, port, source, timeout):
        self.sock = socket.create_connection((host, port), timeout=timeout, source_address=(source, 0))
        self.buf = b""

    def reply(self):
        while True:
            while b"\r\n" in self.buf:
                line, self.buf = self.buf.split(b"\r\n", 1)
                if len(line) < 4 or line[3:4] != b"-":
                    return line.decode("ascii", "replace")
            data = self.sock.recv(4096)
            if not data:
                raise ConnectionError("closed by the server")
            self.buf += data

    def command(self, line):
        self.sock.sendall(line.encode("ascii") + b"\r\n")
        return self.reply()

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def hostile(args, index, stop, replies, lock):
    rng = random.Random(index)
    if args.spread == "one":
        source = "127.0.90.2"
    else:
        source = "127.0.%d.2" % (100 + index % 64)
    while not stop.is_set():
        try:
            smtp = Smtp(args.host, args.port, source, 30)
            smtp.reply()
            smtp.command("EHLO flood%d.example" % index)
            smtp.command("MAIL FROM:<flood%d@sender.example>" % index)
            while not stop.is_set():
                code = smtp.command("RCPT TO:<g%08x@%s>" % (rng.getrandbits(32), args.hostile_domain))
                with lock:
                    replies[code[:9]] += 1
            smtp.close()
        except (OSError, ConnectionError):
            with lock:
                replies["refused"] += 1
            time.sleep(0.2)


def flood_process(args, stop, results):
    replies = collections.Counter()
    lock = threading.Lock()
    threads = [threading.Thread(target=hostile, args=(args, i, stop, replies, lock), daemon=True)
               for i in range(args.hostile)]
    for thread in threads:
        thread.start()
    stop.wait()
    with lock:
        results.put(dict(replies))


def legitimate(args, n):
    start = time.monotonic()
    smtp = Smtp(args.host, args.port, "127.0.200.2", 60)
    try:
        smtp.reply()
        smtp.command("EHLO legit.example")
        smtp.command("MAIL FROM:<legit%d-%d@sender.example>" % (n, random.getrandbits(24)))
        code = smtp.command("RCPT TO:<%s>" % args.legit_rcpt)
        elapsed = time.monotonic() - start
        smtp.command("QUIT")
        return elapsed, code[:9]
    finally:
        smtp.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--hostile", type=int, default=64)
    parser.add_argument("--spread", choices=["one", "64"], default="one")
    parser.add_argument("--hostile-domain", required=True)
    parser.add_argument("--legit-rcpt", required=True)
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--interval", type=float, default=0.25)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--label", default="")
    parser.add_argument("--timeline", action="store_true", help="print every legitimate session as it ends")
    args = parser.parse_args()

    # The flood runs in a process of its own, so that its threads do not compete with the legitimate client for
    # Python's interpreter lock: the legitimate session's time is the server's.
    stop = multiprocessing.Event()
    results = multiprocessing.Queue()
    flood = multiprocessing.Process(target=flood_process, args=(args, stop, results))
    flood.start()
    began_flood = time.monotonic()
    time.sleep(args.warmup if args.hostile else 0)
    times, codes = [], collections.Counter()
    deadline = time.monotonic() + args.duration
    n = 0
    while time.monotonic() < deadline:
        began = time.monotonic()
        try:
            elapsed, code = legitimate(args, n)
            times.append(elapsed)
            codes[code] += 1
        except (OSError, ConnectionError) as e:
            elapsed, code = time.monotonic() - began, "error " + type(e).__name__
            codes[code] += 1
        if args.timeline:
            print("t=%7.2f  %6.3f s  %s" % (time.monotonic() - began_flood, elapsed, code), flush=True)
        n += 1
        time.sleep(max(0.0, args.interval - (time.monotonic() - began)))
    stop.set()
    hostile_replies = results.get()
    flood.join()
    print("%-40s p50 %.3f  p90 %.3f  max %.3f  n=%d  legit %s  hostile %s" % (
        args.label, percentile(times, 50), percentile(times, 90), max(times) if times else float("nan"), len(times),
        dict(codes), hostile_replies), flush=True)


if __name__ == "__main__":
    main()

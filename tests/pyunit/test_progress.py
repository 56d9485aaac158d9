"""Live progress (issue 12, item 5): rate in dumps/min and ETA, as a
redrawn status line on a terminal and as plain lines elsewhere.

The Progress class is checked on a clock the test sets; the whole batch
is then run twice over crafted dumps with a stand-in crash that takes a
known time per dump (FAKE_SECONDS): once under a pty (pty.fork, as
tests/faults does), once with stderr on a pipe.  The figures are checked
against bounds that follow from that time and the worker count, never
against an output copied from the batch."""
import io
import os
import pty
import re
import select
import stat
import subprocess
import sys
import time

import craft
from ovscrash_batch.progress import Progress, duration, WINDOW

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BATCH = os.path.join(TOP, "scripts", "ovscrash-batch")
FAKE_SECONDS = 0.4
NDUMPS = 8

FAKE_CRASH = f'''#!/usr/bin/python3
import json, time
time.sleep({FAKE_SECONDS})
print(json.dumps({{"verdict": "NOT_THIS_BUG", "signature": "stand-in", "evidence": []}}))
'''


class Clock:
    def __init__(self):
        self.t = 100.0

    def __call__(self):
        return self.t


def test_duration_text():
    assert duration(None) == "-"
    assert duration(4.4) == "4s"
    assert duration(185) == "3m05s"
    assert duration(7380) == "2h03m"


def test_rate_and_eta_on_a_set_clock():
    clk = Clock()
    s = io.StringIO()
    p = Progress(s, tty=False, every=10, clock=clk)
    assert p.rate() is None and p.eta(5) is None
    for _ in range(3):          # one dump every 10 s
        clk.t += 10
        p.finished("ok  d", 1, 10, 0, 1)
    assert abs(p.rate() - 6.0) < 1e-9               # 3 dumps in 30 s
    assert abs(p.eta(7) - 70.0) < 1e-9              # 7 left at 6/min
    assert p.eta(0) == 0.0
    clk.t += 30                 # nothing finished for 30 s: the rate falls
    assert abs(p.rate() - 3.0) < 1e-9


def test_rate_follows_the_last_window():
    clk = Clock()
    p = Progress(io.StringIO(), tty=False, clock=clk)
    for _ in range(50):         # a burst: 50 results in 0.5 s
        clk.t += 0.01
        p.finished("x", 0, 100, 0, 0)
    for _ in range(WINDOW):     # then one every 6 s
        clk.t += 6
        p.finished("x", 0, 100, 0, 0)
    # only the slow finishes are left in the window: 10/min, not the
    # whole run's mean
    assert abs(p.rate() - 10.0) < 1e-9


def test_plain_lines_and_periodic_summary():
    clk = Clock()
    s = io.StringIO()
    p = Progress(s, tty=False, every=30, clock=clk)
    clk.t += 12
    p.finished("ok           /d/vmcore  sig", 1, 4, 0, 1)
    p.tick(1, 4, 0, 1)                  # 12 s: no summary yet
    assert s.getvalue() == "ovscrash-batch: [1/4] ok           /d/vmcore  sig\n"
    clk.t += 20
    p.tick(1, 4, 0, 1)                  # 32 s: one
    p.tick(1, 4, 0, 1)                  # not twice
    lines = s.getvalue().splitlines()
    assert len(lines) == 2
    m = re.fullmatch(r"ovscrash-batch: progress 1/4 done, 0 failures, 1 running, "
                     r"rate ([\d.]+) dumps/min, elapsed (\S+), ETA (\S+)", lines[1])
    assert m, lines[1]
    assert abs(float(m.group(1)) - 60 / 32) < 0.05   # 1 dump in 32 s
    assert m.group(2) == "32s"
    assert m.group(3) == duration(3 * 32)            # 3 left at that rate
    clk.t += 40
    p.tick(4, 4, 0, 0)                  # all done: no summary
    assert len(s.getvalue().splitlines()) == 2


def test_terminal_status_line():
    clk = Clock()
    s = io.StringIO()
    p = Progress(s, tty=True, clock=clk)
    p.tick(0, 2, 0, 2)
    assert "rate -/min" in s.getvalue() and "ETA -" in s.getvalue()
    clk.t += 5
    p.finished("ok  a", 1, 2, 0, 1)
    out = s.getvalue()
    # the finished dump goes above the status line, which is redrawn
    assert "\r\x1b[Kok  a\n[1/2] failures 0  running 1  rate 12.0/min  elapsed 5s  ETA 5s\x1b[K" in out
    p.end()
    assert s.getvalue().endswith("\n")


def make_archive(tmp_path):
    inp, sym = tmp_path / "in", tmp_path / "sym"
    inp.mkdir()
    sym.mkdir()
    (sym / "vmlinux-6.1.0-test").write_bytes(craft.vmlinux())
    for i in range(NDUMPS):             # distinct sizes: distinct identities
        d = inp / f"h{i}"
        d.mkdir()
        (d / "vmcore").write_bytes(craft.kdump(pages=3 + i))
    crash = tmp_path / "crash"
    crash.write_text(FAKE_CRASH)
    crash.chmod(crash.stat().st_mode | stat.S_IXUSR)
    ext = tmp_path / "ovscrash.so"
    ext.write_bytes(b"stand-in")
    return inp, sym, crash, ext


def argv(tmp_path, name, *extra):
    inp, sym, crash, ext = make_archive(tmp_path)
    return [BATCH, "--out", str(tmp_path / name), "--symbols", str(sym), "-j", "2",
            "--no-index", "--crash", f"x86_64={crash}", "--ext", f"x86_64={ext}",
            *extra, str(inp)]


def env():
    e = dict(os.environ)
    e.pop("DEBUGINFOD_URLS", None)
    e.pop("OVSCRASH_DEBUG_PATH", None)
    return e


def rate_bounds():
    """Dumps per minute the run can show: never more than two workers
    finishing a dump every FAKE_SECONDS; and more than zero."""
    return 0.0, 2 * 60.0 / FAKE_SECONDS


def test_batch_on_a_terminal_shows_rate_and_eta(tmp_path):
    a = argv(tmp_path, "out-tty")
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(sys.executable, [sys.executable] + a, env())
    buf = b""
    status = None
    t0 = time.time()
    try:
        while time.time() - t0 < 60:
            r, _w, _x = select.select([fd], [], [], 0.1)
            if r:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    chunk = b""
                buf += chunk
            done, st = os.waitpid(pid, os.WNOHANG)
            if done:
                status = st
                break
    finally:
        if status is None:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
    text = buf.decode("utf-8", "replace")
    assert status is not None and os.waitstatus_to_exitcode(status) == 0, text[-800:]
    lines = re.findall(r"\[(\d+)/(\d+)\] failures (\d+)  running (\d+)  rate (\S+)/min"
                       r"  elapsed (\S+)  ETA (\S+)\x1b\[K", text)
    assert lines, text[-800:]
    lo, hi = rate_bounds()
    rated = [l for l in lines if l[4] != "-"]
    assert rated, lines
    for done, total, fails, running, rate, _el, eta in rated:
        assert int(total) == NDUMPS and int(done) >= 1 and fails == "0"
        assert lo < float(rate) <= hi, (rate, lines)
        # ETA = left / rate, shown to the second
        left = NDUMPS - int(done)
        want = left * 60.0 / float(rate)
        assert eta == duration(want) or abs(parse_duration(eta) - want) <= 1.5, (eta, want)
    # the last one drawn says all done
    assert lines[-1][0] == str(NDUMPS) and lines[-1][6] == "0s", lines[-1]


def parse_duration(t):
    m = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?", t)
    assert m and t, t
    h, mi, s = (int(x) if x else 0 for x in m.groups())
    return h * 3600 + mi * 60 + s


def test_batch_not_on_a_terminal_prints_plain_lines(tmp_path):
    a = argv(tmp_path, "out-plain", "--progress-every", "0.3")
    p = subprocess.run([sys.executable] + a, capture_output=True, text=True, timeout=120,
                       env=env())
    assert p.returncode == 0, p.stderr[-800:]
    err = p.stderr
    assert "\r" not in err and "\x1b" not in err
    done = re.findall(r"^ovscrash-batch: \[(\d+)/(\d+)\] ok\s+\S+/vmcore  stand-in$", err, re.M)
    assert sorted(int(d) for d, _t in done) == list(range(1, NDUMPS + 1)), err
    summ = re.findall(r"^ovscrash-batch: progress (\d+)/(\d+) done, (\d+) failures, (\d+) running, "
                      r"rate (\S+) dumps/min, elapsed (\S+), ETA (\S+)$", err, re.M)
    # 8 dumps at 0.4 s on 2 workers take >= 1.6 s: several 0.3 s periods
    assert summ, err
    lo, hi = rate_bounds()
    for d, total, _f, _r, rate, _el, eta in summ:
        assert int(total) == NDUMPS and int(d) < NDUMPS
        if rate == "-":
            assert int(d) == 0 and eta == "-"
            continue
        assert lo < float(rate) <= hi, (rate, summ)
        want = (NDUMPS - int(d)) * 60.0 / float(rate)
        assert abs(parse_duration(eta) - want) <= 1.5, (eta, want)
    assert any(r != "-" for *_x, r, _e, _t in summ), summ


def test_progress_every_must_be_positive(tmp_path, capsys):
    from ovscrash_batch import cli
    for bad in ("0", "-1", "nan"):
        try:
            cli.main(["--out", str(tmp_path / "o"), "--progress-every", bad, str(tmp_path)])
        except SystemExit as e:
            assert e.code == 2, bad
        else:
            raise AssertionError(f"--progress-every {bad} accepted")
        assert "--progress-every wants a number of seconds > 0" in capsys.readouterr().err

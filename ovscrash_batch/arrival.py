"""ovscrash-arrival: triage every new dump under /var/crash, once.

    ovscrash-arrival [--timeout S] [--jobs N] [--symbols DIR]... [CRASH_DIR]

Debian's kdump-tools saves /var/crash/<YYYYMMDDHHMM>/dump.<stamp> (and
dmesg.<stamp>) in the capture kernel and reboots; it has no hook after
the save.  This runs after the reboot (ovscrash-triage.service) and
whenever /var/crash changes (ovscrash-triage.path).  Each directory of
CRASH_DIR without an ovscrash.json is triaged by the batch (a batch run
on that one directory, results in the state directory), and the report
of that run is written beside the dump as ovscrash.json, ovscrash.md and
ovscrash.html (each atomically; ovscrash.json last, it marks the dump
done).  When the dump's directory cannot be written (a read-only
file system), the three files go to STATE/<dir>/ instead, and that also
marks it done.

Never opens a dump or a log for writing, never removes anything in
CRASH_DIR.  A half-saved directory (kdump-tools' dump-incomplete: still
writing, or its save failed) or an empty one is skipped with its reason
and looked at again next run.  A per-dump lock (flock on
STATE/<dir>/lock) keeps two runs off one dump; the per-dump --timeout
bounds each triage.  It loops until no directory it has not looked at
this run is left undone, so a dump that arrives during a run is done in
that run.  One line per directory on stdout (the journal under systemd).
Exit status 0 when every directory is done or skipped with a reason, 1
when a triage failed (it is retried next run).  See docs/arrival.md.
"""
import argparse
import errno
import fcntl
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

from .common import printable, write_atomic
from .formats import DUMP_NAME_RE, INCOMPLETE_RE, SIDE_RE
from . import report

DEFAULT_ROOT = "/var/crash"
DEFAULT_STATE = "/var/lib/ovscrash/arrival"
DEFAULT_SYMBOLS = ["/usr/lib/debug"]
OUTPUTS = ("ovscrash.md", "ovscrash.html", "ovscrash.json")   # the .json last: done
DONE = "ovscrash.json"
# what the batch is started with: the package from the tree this module
# was imported from, its cli.main on the rest of argv
BATCH_BOOT = ("import sys; sys.path.insert(0, sys.argv.pop(1)); "
              "from ovscrash_batch.cli import main; sys.exit(main(sys.argv[1:]))")
# a file name that tells a directory is still being written or its save
# failed: kdump-tools' dump-incomplete[.ext], vmcore-incomplete, and any
# other *-incomplete (dmesg written the same way)
HALF_RE = re.compile(r"(^|[._-])incomplete([._-]|$)", re.I)
SETTLE_POLL = 2     # seconds between looks at a directory not ready yet
KILL_GRACE = 10     # seconds between SIGTERM and SIGKILL of a timed-out batch
# the directory holding this package (the batch is started from it)
TOP_PKG = os.path.dirname(os.path.abspath(__file__))


def state_name(name):
    """A directory name as one safe path component of the state
    directory: bytes outside [A-Za-z0-9._-] as %XX (a leading dot too, so
    that "." and ".." cannot come out)."""
    raw = os.fsencode(name)
    out = "".join(chr(b) if (chr(b).isalnum() and b < 0x80) or chr(b) in "_-"
                  or (chr(b) == "." and i) else f"%{b:02X}" for i, b in enumerate(raw))
    return out or "%"


class Arrival:
    def __init__(self, a):
        self.a = a
        self.root = os.path.abspath(a.crash_dir)
        self.state = os.path.abspath(a.state)
        self.failed = 0
        self.child = None

    def out(self, name, msg):
        """The one line of a directory: its path escaped, then MSG."""
        print(f"{printable(os.path.join(self.root, name))}: {msg}", flush=True)

    def state_dir(self, name):
        return os.path.join(self.state, state_name(name))

    def done_in(self, name):
        """Where this directory's ovscrash.json is, or None."""
        for d in (os.path.join(self.root, name), self.state_dir(name)):
            if os.path.isfile(os.path.join(d, DONE)):
                return d
        return None

    def candidates(self):
        """Names of the directories of the root, sorted; symlinks are
        not followed (kdump-tools makes real directories)."""
        try:
            names = sorted(os.listdir(self.root))
        except OSError as e:
            raise SystemExit(f"ovscrash-arrival: cannot list {printable(self.root)}: "
                             f"{e.strerror}")
        return [n for n in names
                if os.path.isdir(os.path.join(self.root, n))
                and not os.path.islink(os.path.join(self.root, n))]

    def not_ready(self, name):
        """Why this directory is not to be triaged now, or None."""
        d = os.path.join(self.root, name)
        try:
            files = sorted(os.listdir(d))
        except OSError as e:
            return f"skipped: cannot list it ({e.strerror}); retried next run"
        half = [f for f in files if HALF_RE.search(f)]
        if half:
            return (f"skipped: half-saved ({printable(half[0])}: kdump-tools is still writing "
                    f"it, or its save failed); retried next run")
        if not files:
            return "skipped: empty (nothing saved yet); retried next run"
        if not any(DUMP_NAME_RE.search(f) or SIDE_RE.search(f) for f in files):
            return ("skipped: no dump (dump.<stamp>, vmcore*) and no kernel log (dmesg.<stamp>) "
                    "in it; retried next run")
        return None

    def run(self):
        """Each directory once per run; one not ready yet (empty,
        half-saved) is looked at again every SETTLE_POLL seconds for up
        to --settle seconds (the path unit fires when the directory is
        made, before its files are written, and the writes inside it
        fire nothing), then skipped with its reason."""
        looked = set()
        waiting = {}        # name -> why it is not ready
        end = time.monotonic() + self.a.settle
        while True:
            todo = [n for n in self.candidates()
                    if (n not in looked or n in waiting) and not self.done_in(n)]
            for n in [n for n in waiting if n not in todo]:
                del waiting[n]      # gone, or done by another run
            for name in todo:
                looked.add(name)
                why = self.not_ready(name)
                if why:
                    waiting[name] = why
                    continue
                waiting.pop(name, None)
                self.one(name)
            fresh = [n for n in self.candidates() if n not in looked and not self.done_in(n)]
            if fresh:
                continue
            if not waiting or time.monotonic() >= end:
                for name, why in sorted(waiting.items()):
                    self.out(name, why)
                return 1 if self.failed else 0
            time.sleep(min(SETTLE_POLL, max(0.0, end - time.monotonic())))

    def batch_argv(self, name, results):
        a = self.a
        # the crash session's own bound, inside the per-dump one: what is
        # left is for the batch's log fallback (a timed-out dump gets its
        # verdict from dmesg.<stamp>) and the report
        crash_timeout = max(1.0, a.timeout * 0.8)
        argv = [sys.executable, "-c", BATCH_BOOT, os.path.dirname(TOP_PKG),
                os.path.join(self.root, name), "--out", results, "--jobs", str(a.jobs),
                "--timeout", f"{crash_timeout:g}", "--no-progress-bar",
                "--progress-every", "86400"]
        # the dump's own directory is a symbol store too: a vmlinux copied
        # beside the dump is found
        for s in (a.symbols or DEFAULT_SYMBOLS) + [os.path.join(self.root, name)]:
            argv += ["--symbols", s]
        for v in a.crash:
            argv += ["--crash", v]
        for v in a.ext:
            argv += ["--ext", v]
        if a.ovscrash_log:
            argv += ["--ovscrash-log", a.ovscrash_log]
        return argv

    def one(self, name):
        t0 = time.monotonic()
        sd = self.state_dir(name)
        try:
            os.makedirs(sd, exist_ok=True)
            lock = open(os.path.join(sd, "lock"), "a")
        except OSError as e:
            self.failed += 1
            self.out(name, f"failed: cannot make its state directory {printable(sd)}: "
                           f"{e.strerror}; retried next run")
            return
        with lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                self.out(name, "skipped: another ovscrash-arrival is triaging it (its lock "
                               f"{printable(os.path.join(sd, 'lock'))} is held)")
                return
            # done by the run that held the lock just now
            if self.done_in(name):
                return
            self.locked(name, sd, t0)

    def locked(self, name, sd, t0):
        results = os.path.join(sd, "results")
        shutil.rmtree(results, ignore_errors=True)
        logp = os.path.join(sd, "batch.log")
        why = self.triage(name, results, logp)
        # the batch's reassembly cache holds a dump-sized copy of a
        # flattened dump (kdump-tools' `makedumpfile -F ... | gzip`): of no
        # use once this directory is done, or to its retry (a fresh batch)
        shutil.rmtree(os.path.join(results, "reassembled"), ignore_errors=True)
        secs = f"({time.monotonic() - t0:.0f}s)"
        if why:
            self.failed += 1
            self.out(name, f"failed: {why} {secs}; retried next run")
            return
        rep = report.build([results])
        if not rep["total"]:
            self.failed += 1
            self.out(name, f"failed: the batch gave no result (its log: {printable(logp)}) "
                           f"{secs}; retried next run")
            return
        docs = {"ovscrash.json": json.dumps(rep, indent=2) + "\n",
                "ovscrash.md": report.to_md(rep), "ovscrash.html": report.to_html(rep)}
        where, note = os.path.join(self.root, name), ""
        try:
            self.write_all(where, docs)
        except OSError as e:
            if e.errno not in (errno.EROFS, errno.EACCES, errno.EPERM):
                self.failed += 1
                self.out(name, f"failed: writing into it: {e.strerror} {secs}; "
                               f"retried next run")
                return
            note = f" (its directory is not writable: {e.strerror})"
            where = sd
            try:
                self.write_all(where, docs)
            except OSError as e2:
                self.failed += 1
                self.out(name, f"failed: writing into {printable(where)}: {e2.strerror} {secs}; "
                               f"retried next run")
                return
        shown = DONE if where == os.path.join(self.root, name) else os.path.join(where, DONE)
        self.out(name, f"{verdict_summary(rep)} {secs} -> {printable(shown)}{note}")

    @staticmethod
    def write_all(where, docs):
        for fn in OUTPUTS:
            write_atomic(os.path.join(where, fn), report.shown(docs[fn]).encode("utf-8"))

    def triage(self, name, results, logp):
        """Run the batch on one directory, bounded by --timeout; None or
        why it failed."""
        argv = self.batch_argv(name, results)
        with open(logp, "wb") as logf:
            try:
                self.child = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=logf,
                                              stderr=subprocess.STDOUT, start_new_session=True)
            except OSError as e:
                return f"cannot start the batch ({argv[0]}: {e.strerror})"
            try:
                rc = self.child.wait(timeout=self.a.timeout)
            except subprocess.TimeoutExpired:
                stop(self.child)
                return f"timed out after {self.a.timeout:g}s (--timeout; log {printable(logp)})"
            finally:
                self.child = None
        # the batch exits 1 when some dump had no verdict; its results
        # still are the report.  Only a run that wrote nothing failed.
        if rc not in (0, 1):
            return f"the batch exited with status {rc} (its log: {printable(logp)})"
        return None


def stop(child):
    """SIGTERM the batch's process group (it kills its crash and removes
    what it half-wrote), then SIGKILL after KILL_GRACE seconds."""
    try:
        os.killpg(child.pid, signal.SIGTERM)
        child.wait(timeout=KILL_GRACE)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        child.wait()
    except ProcessLookupError:
        child.wait()


def verdict_summary(rep):
    """One dump directory's verdicts, e.g. "OVS_PICKTX_LOCKUP (crash)"
    or "NOT_THIS_BUG: Oops in foo (log)"; several results joined by ";"."""
    parts = []
    for d in rep["dumps"]:
        v = d.get("verdict") or f"no verdict, status {d.get('status')}"
        if d.get("verdict") == "NOT_THIS_BUG" and d.get("panic_kind"):
            v += f": {d['panic_kind']}"
            w = report.where_function(d.get("panic_where"))
            if w:
                v += f" in {w}"
        # how: crash, log (crash could not), log-fast-path; the status
        # when it is not ok (log-only: no dump, no-crash, timeout ...)
        how = d.get("method") or d.get("verdict_source")
        if d.get("status") not in (None, "ok") and d.get("status") != how:
            how = f"{how}, {d['status']}" if how else d["status"]
        parts.append(v + (f" ({how})" if how else ""))
    return printable("; ".join(parts))


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="ovscrash-arrival",
        description="Triage each dump directory of CRASH_DIR that has no ovscrash.json yet; "
                    "write ovscrash.json, .md and .html beside the dump.")
    ap.add_argument("crash_dir", nargs="?", default=DEFAULT_ROOT, metavar="CRASH_DIR",
                    help=f"kdump-tools' dump directory (default {DEFAULT_ROOT})")
    ap.add_argument("--timeout", type=float, default=600,
                    help="seconds one dump's triage may take (default 600)")
    ap.add_argument("--jobs", "-j", type=int, default=1,
                    help="crash workers inside one dump directory (default 1)")
    ap.add_argument("--symbols", "-s", action="append", default=[], metavar="DIR",
                    help="symbol store (repeatable; default /usr/lib/debug, where "
                         "linux-image-*-dbg puts vmlinux); the dump's own directory is "
                         "always searched too")
    ap.add_argument("--settle", type=float, default=120, metavar="S",
                    help="how long to wait for an empty or half-saved directory to be "
                         "completed before skipping it (default 120)")
    ap.add_argument("--state", default=DEFAULT_STATE, metavar="DIR",
                    help=f"batch results, logs, locks; results of read-only dump "
                         f"directories (default {DEFAULT_STATE})")
    ap.add_argument("--crash", action="append", default=[], metavar="ARCH=PATH",
                    help="crash binary per dump architecture (passed to ovscrash-batch)")
    ap.add_argument("--ext", action="append", default=[], metavar="ARCH=PATH",
                    help="extension per dump architecture (passed to ovscrash-batch)")
    ap.add_argument("--ovscrash-log", default=None, metavar="PATH",
                    help="log triage tool (passed to ovscrash-batch)")
    a = ap.parse_args(argv)
    if not a.timeout > 0:
        ap.error("--timeout wants a number of seconds > 0")
    if a.jobs < 1:
        ap.error("--jobs must be >= 1")
    if not a.settle >= 0:
        ap.error("--settle wants a number of seconds >= 0")
    if not os.path.isdir(a.crash_dir):
        # no dump ever saved here: nothing to do, and not an error
        print(f"ovscrash-arrival: {printable(a.crash_dir)} does not exist or is not a "
              f"directory: no dumps", flush=True)
        return 0
    arr = Arrival(a)

    def on_signal(signum, _frame):
        if arr.child:
            stop(arr.child)
        sys.stderr.write(f"ovscrash-arrival: stopped by signal {signum}\n")
        os._exit(128 + signum)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    return arr.run()

#!/usr/bin/python3
"""Faults of a batch run (issue 11, "Batch faults, all tested"), on the
real project crash and copies of real fixture dumps.

Each check kills, starves or breaks the batch at a known point, then
asserts: the reason is recorded (in the result, or on stderr when the
output directory itself is what failed); no result written before the
fault is lost or rewritten; no temp file (result .tmp files, scratch,
index or reassembly builds, the private TMPDIR) and no child process is
left; the exit status is non-zero with a summary line; and a rerun on the
same output directory finishes the rest without redoing the finished
ones.  Expectations come from the fixture manifests and from what the
test crafted.  The phases are hit deterministically: fake zstd /
gdb-add-index commands first on PATH that say they started and block
(then exec the real tool), and OVSCRASH_BATCH_PAUSE_AT=probe for the
serial header probing, which has no child process to slow.

The 1,000-entry hostile archive is in hostile.py.
"""
import argparse
import json
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import tarfile
import textwrap
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
sys.path.insert(0, os.path.join(HERE, ".."))
from suite import Suite, eq, true  # noqa: E402
from check import ident, results  # noqa: E402  (tests/e2e/check.py)
import hostile  # noqa: E402

RESULT_RE = re.compile(r"^[0-9a-f]{64}\.json$")

# a stand-in for a tool, first on PATH: records that it started (its pid
# in $FAULTS_MARK/<tool>), waits while $FAULTS_BLOCK exists, then execs
# the real tool -- one process throughout, so the batch's parent-death
# signal and process-group kill reach it as they would the real tool
# (the first $FAULTS_PASS runs pass straight through: sniffing a .tar.zst
# runs zstd once before the extraction does)
FAKE_TOOL = r"""#!/usr/bin/python3
import os, sys, time
name = os.path.basename(sys.argv[0])
mark = os.environ.get("FAULTS_MARK")
block = os.environ.get("FAULTS_BLOCK")
if mark:
    n = len([f for f in os.listdir(mark) if f.startswith(name + ".")])
    with open(os.path.join(mark, f"{name}.{n}"), "w") as f:
        f.write(str(os.getpid()))
    if n >= int(os.environ.get("FAULTS_PASS", "0")):
        with open(os.path.join(mark, f".{name}.tmp"), "w") as f:
            f.write(str(os.getpid()))
        os.rename(os.path.join(mark, f".{name}.tmp"), os.path.join(mark, name))
        while block and os.path.exists(block):
            time.sleep(0.05)
os.execv(%r, [%r] + sys.argv[1:])
"""


def wait_for(pred, timeout, what):
    t0 = time.time()
    while time.time() - t0 < timeout:
        v = pred()
        if v:
            return v
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def procs_under(path):
    """Processes whose command line names PATH (our work dir): what a
    batch of this test may have left running."""
    me = os.getpid()
    left = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == me:
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
            with open(f"/proc/{pid}/stat") as f:
                state = f.read().rsplit(") ", 1)[1][0]
        except OSError:
            continue
        if path in cmd and state != "Z":
            left.append(f"{pid}: {cmd[:200]}")
    return left


class Faults:
    def __init__(self, a):
        self.a = a
        self.w = a.work
        self.batch = os.path.join(a.top, "scripts", "ovscrash-batch")
        self.tmp = os.path.join(self.w, "tmp")          # TMPDIR of every batch: must stay empty
        self.idx = os.path.join(self.w, "symindex")      # shared, built by the baseline run
        self.timings = {}
        os.makedirs(self.tmp)
        os.makedirs(os.path.join(self.w, "mnt"))

    # ------------------------------------------------------------ set-up
    def t_inputs(self):
        fx = self.a.fixtures
        self.man = {}
        self.dump = {}
        for k in ("healthy", "lockup"):
            with open(os.path.join(fx, k, "manifest.json")) as f:
                self.man[k] = json.load(f)
            d = os.path.join(self.w, "dumps", k)
            os.makedirs(d)
            self.dump[k] = os.path.join(d, "vmcore")
            shutil.copyfile(os.path.join(fx, k, "vmcore"), self.dump[k])
        self.id = {k: ident(p) for k, p in self.dump.items()}
        # one input per dump (trees of one dump: the healthy one is what
        # the fault runs triage; the lockup one is the result they must keep)
        self.tree = {k: os.path.dirname(p) for k, p in self.dump.items()}
        # a Debian -dbg style symbol store, as tests/e2e builds it
        rel = self.man["lockup"]["kernel_release"]
        sym = self.sym = os.path.join(self.w, "sym")
        boot = os.path.join(sym, "usr/lib/debug/boot")
        mods = os.path.join(sym, f"usr/lib/debug/lib/modules/{rel}/kernel/net/openvswitch")
        os.makedirs(boot)
        os.makedirs(mods)
        os.symlink(os.path.realpath(os.path.join(fx, "lockup", "vmlinux")),
                   os.path.join(boot, f"vmlinux-{rel}"))
        os.symlink(os.path.realpath(os.path.join(fx, "lockup", "openvswitch.ko.debug")),
                   os.path.join(mods, "openvswitch.ko"))
        # the healthy dump inside a zstd tar (for the extraction phase)
        self.archive = os.path.join(self.w, "healthy.tar.zst")
        tarp = os.path.join(self.w, "healthy.tar")
        with tarfile.open(tarp, "w") as t:
            t.add(self.tree["healthy"], arcname="healthy")
        subprocess.run(["zstd", "-q", "-1", "--rm", "-o", self.archive, tarp], check=True)
        # fake tools that block, first on PATH when asked
        self.fakebin = os.path.join(self.w, "fakebin")
        os.makedirs(self.fakebin)
        for tool in ("zstd", "gdb-add-index"):
            real = shutil.which(tool)
            true(real, f"{tool} is not installed")
            p = os.path.join(self.fakebin, tool)
            with open(p, "w") as f:
                f.write(FAKE_TOOL % (real, real))
            os.chmod(p, 0o755)

    def argv(self, out, inputs, *extra, index=None):
        argv = [self.batch, "--out", out, "--crash", f"x86_64={self.a.crash}",
                "--ext", f"x86_64={self.a.ext}", "--symbols", self.sym,
                "--index-cache", index or self.idx]
        return argv + list(extra) + list(inputs)

    def env(self, **kw):
        e = dict(os.environ, TMPDIR=self.tmp)
        e.pop("DEBUGINFOD_URLS", None)
        e.update(kw)
        return e

    def run(self, out, inputs, *extra, index=None, env=None, rc=0, timeout=300):
        argv = self.argv(out, inputs, *extra, index=index)
        t0 = time.time()
        p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                           env=env or self.env(), timeout=timeout)
        with open(os.path.join(self.a.out, "batch-runs.log"), "a") as f:
            f.write(f"$ {' '.join(argv)}\n# rc={p.returncode} {time.time() - t0:.1f}s\n{p.stderr}\n")
        if rc is not None and p.returncode != rc:
            raise AssertionError(f"ovscrash-batch exit {p.returncode}, expected {rc}: "
                                 f"{p.stderr[-1500:]}")
        true("Traceback" not in p.stderr, f"traceback on stderr: {p.stderr[-1500:]}")
        return p

    def start(self, out, inputs, *extra, index=None, env=None):
        argv = self.argv(out, inputs, *extra, index=index)
        errf = open(os.path.join(self.w, f"stderr-{os.path.basename(out)}-{time.time():.0f}"), "w+")
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=errf, env=env or self.env())
        p.errf = errf
        return p

    @staticmethod
    def stderr_of(p):
        p.errf.seek(0)
        return p.errf.read()

    # ------------------------------------------------------------ assertions
    def check_ok(self, r, k, what):
        """A real dump's result against its fixture manifest."""
        exp = self.man[k]["expected"]
        eq(r["status"], "ok", f"{what}: status of {k} ({r.get('error')})")
        eq(r["signature"], exp["verdict"], f"{what}: {k} signature")
        if "pc_symbol" in exp:
            eq(r["pc_function"], exp["pc_symbol"], f"{what}: {k} pc function")

    def clean(self, out, index=None, scratch=None):
        """Nothing half-written left by any batch of this test."""
        left = []
        for d in (out, os.path.join(out, "logs")):
            if os.path.isdir(d):
                left += [os.path.join(d, n) for n in os.listdir(d) if ".tmp." in n]
        for d in (scratch or os.path.join(out, ".scratch"),):
            if os.path.isdir(d):
                left += [os.path.join(d, n) for n in os.listdir(d)]
        for root in (index or self.idx, os.path.join(out, "reassembled")):
            if os.path.isdir(root):
                left += [os.path.join(root, n) for n in os.listdir(root) if n.startswith(".tmp-")]
        left += [os.path.join(self.tmp, n) for n in os.listdir(self.tmp)]
        true(not left, f"temp files left: {left}")
        time.sleep(0.3)
        procs = procs_under(self.w)
        true(not procs, f"processes left: {procs}")

    def seed(self, out):
        """An output dir that already holds the lockup dump's finished
        result (copied from the baseline run): no fault may lose it."""
        os.makedirs(os.path.join(out, "logs"))
        rid = self.id["lockup"]
        shutil.copy2(os.path.join(self.base, rid + ".json"), os.path.join(out, rid + ".json"))
        st = os.stat(os.path.join(out, rid + ".json"))
        return (st.st_mtime_ns, st.st_ino)

    def kept(self, out, stamp, what):
        rid = self.id["lockup"]
        p = os.path.join(out, rid + ".json")
        true(os.path.exists(p), f"{what}: the finished lockup result was lost")
        st = os.stat(p)
        eq((st.st_mtime_ns, st.st_ino), stamp, f"{what}: the finished lockup result was rewritten")
        with open(p) as f:
            self.check_ok(json.load(f), "lockup", what)

    def rerun_finishes(self, out, inputs, stamp, what, *extra, index=None, env=None, done=1):
        """A plain rerun (same command) does the healthy dump, skips what
        was done, keeps the lockup result, and leaves nothing behind."""
        p = self.run(out, inputs + [self.tree["lockup"]], *extra, index=index, env=env)
        true(f"{done} already done" in p.stderr, f"{what}: rerun did not skip the finished "
             f"result(s): {p.stderr[-800:]}")
        got = results(out)
        eq(sorted(got), sorted(self.id.values()), f"{what}: results after the rerun")
        self.check_ok(got[self.id["healthy"]], "healthy", f"{what} rerun")
        self.kept(out, stamp, what)
        self.clean(out, index=index)
        return p

    # ------------------------------------------------------------ checks
    def t_baseline(self):
        """Both dumps triaged as their manifests say; builds the shared
        symbol index every later run reads."""
        self.base = os.path.join(self.w, "out-base")
        t0 = time.time()
        self.run(self.base, [self.tree["healthy"], self.tree["lockup"]], "-j", "2")
        self.timings["baseline"] = time.time() - t0
        got = results(self.base)
        eq(sorted(got), sorted(self.id.values()), "baseline results")
        for k in self.id:
            self.check_ok(got[self.id[k]], k, "baseline")
        self.clean(self.base)

    def t_handler_no_lock(self):
        """The signal handler with Batch.lock held (progress() holds it on a
        terminal): port of cwalk's e2e probe (2d60c75) to the package."""
        probe = textwrap.dedent(r"""
            import subprocess, sys, tempfile, threading
            sys.path.insert(0, sys.argv[1])
            import os
            from ovscrash_batch import cli, links, runner
            child = subprocess.Popen(["sleep", "60"], start_new_session=True)
            out = tempfile.mkdtemp(prefix="faults-sig-")
            scratch = tempfile.mkdtemp(prefix="faults-sig-")
            b = runner.Batch.__new__(runner.Batch)
            b.lock, b.procs, b.stopping, b.out = threading.Lock(), {child}, False, out
            b.done, b.total, b.symindex = 0, 1, None
            b.recache = runner.ReassemblyCache(out + "/reassembled")
            # crash's link directory (a path crash misreads): the handler
            # removes it without LinkDir's lock, held here too
            b.links = links.LinkDir(scratch, candidates=[tempfile.gettempdir()])
            lnk = b.links.route(out + "/a@b,c", "vmcore")
            print(child.pid, scratch, os.path.dirname(os.path.dirname(lnk)), flush=True)
            handler = cli.signal_handler(b, scratch)
            b.lock.acquire()
            b.links.lock.acquire()
            handler(2, None)
        """)
        p = subprocess.run([sys.executable, "-c", probe, self.a.top], capture_output=True,
                           text=True, timeout=20, env=self.env())
        eq(p.returncode, 130, f"exit status (stderr: {p.stderr[-300:]!r})")
        pid, scratch, linkdir = p.stdout.split()
        true("stopped by signal 2; rerun to resume" in p.stderr, f"message: {p.stderr!r}")
        true(not os.path.exists(scratch), f"scratch {scratch} left behind")
        true(not os.path.exists(linkdir), f"crash's link directory {linkdir} left behind")
        wait_for(lambda: not os.path.exists(f"/proc/{pid}") or
                 open(f"/proc/{pid}/stat").read().rsplit(") ", 1)[1][0] == "Z", 5,
                 f"the batch's child {pid} to die")
        for n in os.listdir(self.tmp):
            shutil.rmtree(os.path.join(self.tmp, n))

    def crash_pid(self, out):
        """The pid of a crash this batch runs (its argv names the dump)."""
        for line in procs_under(self.w):
            pid, cmd = line.split(": ", 1)
            if cmd.startswith(self.a.crash + " ") and " -s " in cmd:
                return int(pid)
        return None

    def t_worker_sigkill(self):
        out = os.path.join(self.w, "out-worker-kill")
        stamp = self.seed(out)
        p = self.start(out, [self.tree["healthy"], self.tree["lockup"]], "-j", "1")
        pid = wait_for(lambda: self.crash_pid(out), 60, "crash to start")
        os.kill(pid, signal.SIGKILL)
        rc = p.wait(timeout=120)
        err = self.stderr_of(p)
        eq(rc, 1, f"exit status after a crash was SIGKILLed ({err[-600:]})")
        true("could not triage" in err and "--retry crash-failed" in err,
             f"no summary line naming the failure: {err[-600:]}")
        r = results(out)[self.id["healthy"]]
        eq(r["status"], "crash-failed", "status of the dump whose crash was killed")
        true("killed by SIGKILL" in r["error"], f"reason: {r['error']!r}")
        self.kept(out, stamp, "worker SIGKILL")
        self.clean(out)
        # a plain rerun leaves it (a status is a result); --retry redoes it only
        self.rerun_finishes(out, [self.tree["healthy"]], stamp, "worker SIGKILL",
                            "--retry", "crash-failed")

    def killed_in(self, phase, sig):
        """Run the healthy dump (in a .tar.zst for extraction) into an
        output dir holding the lockup result; signal the batch once it is
        inside PHASE; check; rerun."""
        tag = f"{phase}-{sig.name}"
        out = os.path.join(self.w, f"out-{tag}")
        stamp = self.seed(out)
        mark = os.path.join(self.w, f"mark-{tag}")
        block = os.path.join(self.w, f"block-{tag}")
        os.makedirs(mark)
        open(block, "w").close()
        inputs = [self.archive] if phase == "extract" else [self.tree["healthy"]]
        index = os.path.join(self.w, f"symindex-{tag}") if phase == "index" else None
        env = self.env(PATH=self.fakebin + ":" + os.environ["PATH"],
                       FAULTS_MARK=mark, FAULTS_BLOCK=block,
                       FAULTS_PASS="1" if phase == "extract" else "0")
        if phase == "probe":
            env["OVSCRASH_BATCH_PAUSE_AT"] = "probe"
        p = self.start(out, inputs, "-j", "1", index=index, env=env)
        tool = {"extract": "zstd", "index": "gdb-add-index"}.get(phase)
        if tool:
            wait_for(lambda: os.path.exists(os.path.join(mark, tool)), 60, f"{tool} to start")
        else:
            wait_for(lambda: "paused at probe" in self.stderr_of(p), 60, "the probe pause")
        p.send_signal(sig)
        rc = p.wait(timeout=30)
        err = self.stderr_of(p)
        if sig == signal.SIGTERM:
            eq(rc, 130, f"{tag}: exit status ({err[-400:]})")
            true("stopped by signal 15; rerun to resume" in err, f"{tag}: summary: {err[-400:]}")
        else:
            eq(rc, -9, f"{tag}: exit status")
        true("Traceback" not in err, f"{tag}: traceback: {err[-1000:]}")
        if tool:    # the blocked tool died with the batch (pdeathsig or kill_all)
            tpid = int(open(os.path.join(mark, tool)).read())
            wait_for(lambda: not os.path.exists(f"/proc/{tpid}") or
                     open(f"/proc/{tpid}/stat").read().rsplit(") ", 1)[1][0] == "Z", 5,
                     f"{tag}: the blocked {tool} ({tpid}) to die")
        eq(sorted(results(out)), [self.id["lockup"]], f"{tag}: results right after the signal")
        self.kept(out, stamp, tag)
        if sig == signal.SIGTERM:
            self.clean(out, index=index)     # the handler removed its own
        os.unlink(block)
        # the rerun: same command (the fake tools now pass straight through)
        self.rerun_finishes(out, inputs, stamp, tag, "-j", "1", index=index,
                            env=dict(env, OVSCRASH_BATCH_PAUSE_AT=""))
        if phase == "index":
            true(any(re.fullmatch(r"[0-9a-f]{40}", n) for n in os.listdir(index)),
                 f"{tag}: the rerun built no index: {os.listdir(index)}")

    def t_ctrl_c_pty(self):
        """^C typed on the batch's terminal while a crash runs and the
        progress bar redraws (under Batch.lock) every 0.5 s."""
        out = os.path.join(self.w, "out-ctrl-c")
        stamp = self.seed(out)
        argv = self.argv(out, [self.tree["healthy"]], "-j", "1")
        env = self.env()
        pid, fd = pty.fork()
        if pid == 0:
            os.execve(argv[0], argv, env)
        buf = b""

        def read(t):
            nonlocal buf
            r, _w, _x = select.select([fd], [], [], t)
            if r:
                try:
                    buf += os.read(fd, 65536)
                except OSError:
                    pass
        status = None
        try:
            t0 = time.time()
            while time.time() - t0 < 60 and not (self.crash_pid(out) and b"ETA" in buf):
                read(0.1)
            true(self.crash_pid(out), "crash did not start under the pty")
            true(b"ETA" in buf, f"no progress bar on the terminal: {buf[-300:]!r}")
            read(1.2)   # a redraw or two
            os.write(fd, b"\x03")
            t0 = time.time()
            while time.time() - t0 < 15:
                read(0.1)
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    break
            else:
                status = None
                raise AssertionError(f"the batch hung after ^C: {buf[-400:]!r}")
            read(0.1)
        finally:
            if status is None:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            os.close(fd)
        eq(os.waitstatus_to_exitcode(status), 130, f"exit status after ^C ({buf[-300:]!r})")
        true(b"stopped by signal 2; rerun to resume" in buf, f"message: {buf[-300:]!r}")
        eq(sorted(results(out)), [self.id["lockup"]], "results after ^C")
        self.kept(out, stamp, "ctrl-c")
        self.clean(out)
        self.rerun_finishes(out, [self.tree["healthy"]], stamp, "ctrl-c", "-j", "1")

    def wrapper(self, name, body):
        p = os.path.join(self.w, "crashes", name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write("#!/bin/sh\n" + body + "\n")
        os.chmod(p, 0o755)
        return p

    def t_crash_hangs(self):
        """A crash that hangs (and forks a child that hangs too): --timeout
        kills the whole process group; the status says so."""
        out = os.path.join(self.w, "out-hang")
        stamp = self.seed(out)
        hang = self.wrapper("hang", f"sleep 600 &\nexec sleep 601 # {self.w}")
        p = self.run(out, [self.tree["healthy"]], "--crash", f"x86_64={hang}", "--timeout", "3",
                     rc=1)
        true("could not triage" in p.stderr, f"summary: {p.stderr[-500:]}")
        r = results(out)[self.id["healthy"]]
        eq(r["status"], "timeout", "status of a hanging crash")
        true("exceeded 3" in r["error"] and "process group killed" in r["error"],
             f"reason: {r['error']!r}")
        wait_for(lambda: not subprocess.run(["pgrep", "-f", "^sleep 60[01]$"],
                                            capture_output=True).stdout, 5,
                 "the hanging crash's sleeps to die")
        self.kept(out, stamp, "crash hangs")
        self.clean(out)
        self.rerun_finishes(out, [self.tree["healthy"]], stamp, "crash hangs", "--retry", "timeout")

    def t_crash_dies(self):
        """crash dying at start-up: exits 1 with a message; loads an
        extension that is not whole (a truncated ovscrash.so: crash dies
        of SIGBUS in dlopen)."""
        fails = self.wrapper("fails", "echo 'crash: cannot allocate any more memory!' >&2\nexit 1")
        trunc = os.path.join(self.w, "crashes", "ovscrash-truncated.so")
        with open(self.a.ext, "rb") as f, open(trunc, "wb") as o:
            o.write(f.read(100000))
        for what, extra, want in (
                ("exit-1", ["--crash", f"x86_64={fails}"], "cannot allocate any more memory"),
                ("truncated-extension", ["--ext", f"x86_64={trunc}"], "crash killed by SIG")):
            out = os.path.join(self.w, f"out-dies-{what}")
            stamp = self.seed(out)
            p = self.run(out, [self.tree["healthy"]], *extra, rc=1)
            true("could not triage" in p.stderr, f"{what}: summary: {p.stderr[-500:]}")
            r = results(out)[self.id["healthy"]]
            eq(r["status"], "crash-failed", f"{what}: status")
            true(want in r["error"], f"{what}: reason {r['error']!r} lacks {want!r}")
            self.kept(out, stamp, what)
            self.clean(out)
        self.rerun_finishes(out, [self.tree["healthy"]], stamp, "crash dies",
                            "--retry", "crash-failed")

    def tmpfs(self, name, size="1m"):
        d = os.path.join(self.w, "mnt", name)
        os.makedirs(d)
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", d], check=True)
        return d

    def umount(self, d):
        subprocess.run(["umount", d], check=False)

    def t_enospc_out(self):
        """OUT on a full 1 MiB tmpfs: no result can be written; the run
        says which dumps have none and why, stops, leaves no .tmp file;
        with space, a rerun does them."""
        mnt = self.tmpfs("out")
        try:
            out = os.path.join(mnt, "out")
            stamp = self.seed(out)
            fd = os.open(os.path.join(mnt, "filler"), os.O_WRONLY | os.O_CREAT)
            try:
                while os.write(fd, b"\0" * 4096):
                    pass
            except OSError:
                pass
            finally:
                os.close(fd)
            # scratch elsewhere: crash runs, then its log and result
            # cannot be written
            scratch = os.path.join(self.w, "scratch-enospc-out")
            p = self.run(out, [self.tree["healthy"]], "-j", "1", "--scratch", scratch, rc=1)
            true("No space left on device" in p.stderr, f"no ENOSPC named: {p.stderr[-800:]}")
            true(re.search(r"NO RESULT for \S*healthy/vmcore: .*No space left", p.stderr),
                 f"no 'NO RESULT ... why' line: {p.stderr[-800:]}")
            true("stopped early: cannot write results in" in p.stderr,
                 f"no stop line: {p.stderr[-800:]}")
            eq(sorted(results(out)), [self.id["lockup"]], "results in a full OUT")
            self.kept(out, stamp, "ENOSPC on OUT")
            self.clean(out, scratch=scratch)
            os.unlink(os.path.join(mnt, "filler"))
            self.rerun_finishes(out, [self.tree["healthy"]], stamp, "ENOSPC on OUT")
        finally:
            self.umount(mnt)

    def t_logs_readonly(self):
        """OUT/logs read-only (a read-only bind mount): crash's log cannot
        be kept, the verdict still is, with the reason in the result."""
        out = os.path.join(self.w, "out-logs-ro")
        stamp = self.seed(out)
        logs = os.path.join(out, "logs")
        subprocess.run(["mount", "--bind", logs, logs], check=True)
        try:
            subprocess.run(["mount", "-o", "remount,bind,ro", logs], check=True)
            self.run(out, [self.tree["healthy"], self.tree["lockup"]])
        finally:
            self.umount(logs)
        r = results(out)[self.id["healthy"]]
        self.check_ok(r, "healthy", "read-only logs")
        eq(r["crash"]["log"], None, "crash.log of a log that was not written")
        true("Read-only file system" in (r["crash"].get("log_error") or ""),
             f"crash.log_error: {r['crash'].get('log_error')!r}")
        eq(os.listdir(logs), [], "files in the read-only logs dir")
        self.kept(out, stamp, "read-only logs")
        self.clean(out)

    def t_enospc_scratch(self):
        """--scratch on a 1 MiB tmpfs: the archive cannot be extracted (no
        result, a line naming it: a rerun does it), a gzip'd dump cannot be
        decompressed (too-large, naming the scratch's free space)."""
        mnt = self.tmpfs("scratch")
        try:
            out = os.path.join(self.w, "out-enospc-scratch")
            stamp = self.seed(out)
            gzd = os.path.join(self.w, "gz")
            os.makedirs(gzd)
            gz = os.path.join(gzd, "dump.202611261200.gz")
            with open(gz, "wb") as o:
                subprocess.run(["gzip", "-1", "-c", self.dump["healthy"]], stdout=o, check=True)
            p = self.run(out, [self.archive, gzd], "--scratch", mnt, "-j", "1", rc=1)
            true(re.search(r"cannot extract \S*healthy\.tar\.zst into .*No space left", p.stderr),
                 f"no line naming the archive and ENOSPC: {p.stderr[-800:]}")
            got = results(out)
            eq(sorted(got), sorted([self.id["lockup"], ident(gz)]), "results with a full scratch")
            r = got[ident(gz)]
            eq(r["status"], "too-large", f"gzip'd dump with a full scratch ({r.get('error')})")
            true(mnt in r["error"], f"reason does not name the scratch: {r['error']!r}")
            self.kept(out, stamp, "ENOSPC on scratch")
            self.clean(out, scratch=mnt)
        finally:
            self.umount(mnt)
        # the same command with room: the archive's dump is done; the
        # too-large gzip'd one waits for --retry too-large (as it says)
        p = self.run(out, [self.archive, gzd, self.tree["lockup"]])
        true("2 already done" in p.stderr, f"rerun: {p.stderr[-600:]}")
        got = results(out)
        self.check_ok(got[self.id["healthy"]], "healthy", "ENOSPC on scratch rerun")
        eq(got[ident(gz)]["status"], "too-large", "not redone without --retry")
        self.kept(out, stamp, "ENOSPC on scratch")
        self.clean(out)

    def t_readonly_tree(self):
        """Dumps on a read-only bind mount (one named with @ and , that
        crash would parse as a ramdump spec): triaged as usual; nothing
        is written into the tree."""
        src = os.path.join(self.w, "rosrc")
        os.makedirs(os.path.join(src, "a@b,c"))
        os.link(self.dump["healthy"], os.path.join(src, "a@b,c", "vmcore"))
        mnt = os.path.join(self.w, "mnt", "ro")
        os.makedirs(mnt)
        subprocess.run(["mount", "--bind", src, mnt], check=True)
        try:
            subprocess.run(["mount", "-o", "remount,bind,ro", mnt], check=True)
            try:
                open(os.path.join(mnt, "probe"), "w").close()
                raise AssertionError("the bind mount is writable")
            except OSError:
                pass
            before = sorted(os.walk(src))
            out = os.path.join(self.w, "out-ro")
            stamp = self.seed(out)
            p = self.run(out, [mnt, self.tree["lockup"]])
            true("1 already done" in p.stderr, f"ro tree: {p.stderr[-500:]}")
            self.check_ok(results(out)[self.id["healthy"]], "healthy", "read-only tree")
            eq(sorted(os.walk(src)), before, "files of the read-only tree")
            self.kept(out, stamp, "read-only tree")
            self.clean(out)
        finally:
            self.umount(mnt)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--top", required=True)
    ap.add_argument("--crash", required=True)
    ap.add_argument("--ext", required=True)
    ap.add_argument("--fixtures", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--only", default=None, help="comma-separated check names (and setup)")
    a = ap.parse_args()
    os.environ.pop("DEBUGINFOD_URLS", None)
    os.makedirs(a.out, exist_ok=True)
    open(os.path.join(a.out, "batch-runs.log"), "w").close()
    f = Faults(a)
    s = Suite()
    t_all = time.time()
    s.check("inputs", f.t_inputs)
    s.check("baseline", f.t_baseline)
    if s.failed:
        return s.summary("faults")
    only = set(a.only.split(",")) if a.only else None
    checks = [("signal-handler-takes-no-lock", f.t_handler_no_lock),
              ("crash-sigkilled", f.t_worker_sigkill)]
    for phase in ("extract", "probe", "index"):
        for sig in (signal.SIGTERM, signal.SIGKILL):
            checks.append((f"batch-{sig.name}-during-{phase}",
                           lambda p=phase, g=sig: f.killed_in(p, g)))
    checks += [("ctrl-c-on-a-pty", f.t_ctrl_c_pty),
               ("crash-hangs", f.t_crash_hangs),
               ("crash-dies-at-start-up", f.t_crash_dies),
               ("enospc-on-out", f.t_enospc_out),
               ("read-only-logs-dir", f.t_logs_readonly),
               ("enospc-on-scratch", f.t_enospc_scratch),
               ("read-only-dump-tree", f.t_readonly_tree),
               ("hostile-archive-1000", lambda: hostile.check(f))]
    for name, fn in checks:
        if only and name not in only:
            continue
        t0 = time.time()
        s.check(name, fn)
        f.timings[name] = round(time.time() - t0, 1)
    f.timings["total"] = round(time.time() - t_all, 1)
    f.timings["baseline"] = round(f.timings.get("baseline", 0), 1)
    print("timing: " + ", ".join(f"{k} {v}s" for k, v in f.timings.items()), flush=True)
    with open(os.path.join(a.out, "timings.json"), "w") as fh:
        json.dump(f.timings, fh, indent=1)
    return s.summary("faults")


if __name__ == "__main__":
    sys.exit(main())

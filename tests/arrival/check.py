#!/usr/bin/python3
"""Triage on arrival (issue 14): ovscrash-arrival run as
ovscrash-triage.service runs it, on a /var/crash tree laid out as Debian's
kdump-tools lays it out (<stamp>/dump.<stamp> kdump-compressed, as
`makedumpfile -c -d 31` writes it, + dmesg.<stamp>), made from the fixture
dumps; and the units themselves (systemd-analyze verify, their bounds).

Expectations come from the fixtures' manifest.json (verdict_kind), from
what this test laid out (names, bytes, mtimes) and from sha256 / os.stat.
"""
import argparse
import configparser
import fcntl
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from suite import Suite, eq, true  # noqa: E402

UNIT_DIR = "data/systemd"
OUTPUTS = ("ovscrash.json", "ovscrash.md", "ovscrash.html")


def sha256(p):
    h = hashlib.sha256()
    with open(p, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


def escaped(name):
    """NAME as a journal line must show it: C0/C1 controls and DEL as
    \\xNN, a byte that is not UTF-8 (a surrogate escape) as that byte's
    \\xNN (the rule of docs/reliability.md: no raw control byte)."""
    out = []
    for ch in name:
        c = ord(ch)
        if 0xdc80 <= c <= 0xdcff:
            out.append(f"\\x{c - 0xdc00:02x}")
        elif c < 0x20 or 0x7f <= c <= 0x9f:
            out.append(f"\\x{c:02x}")
        else:
            out.append(ch)
    return "".join(out)


def running(pids, wait):
    """Those of PIDS still running (not gone, not a zombie) after up to
    WAIT seconds (a SIGKILLed child's parent-death signal and its reaping
    take a moment)."""
    end = time.monotonic() + wait
    while True:
        left = []
        for p in pids:
            try:
                with open(f"/proc/{p}/stat") as f:
                    st = f.read().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if st != "Z":
                left.append(p)
        if not left or time.monotonic() > end:
            return left
        time.sleep(0.2)


def unit(path):
    """{section: {key: [values]}} of a unit file (keys may repeat)."""
    cp = configparser.RawConfigParser(strict=False, dict_type=dict, interpolation=None)
    cp.optionxform = str
    out = {}
    sec = None
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line[0] in "#;":
                continue
            m = re.fullmatch(r"\[(.+)\]", line)
            if m:
                sec = out.setdefault(m.group(1), {})
                continue
            k, _, v = line.partition("=")
            sec.setdefault(k.strip(), []).append(v.strip())
    return out


class Arrival:
    def __init__(self, a):
        self.a = a
        self.top = a.top
        self.s = Suite()
        self.work = a.work
        self.root = os.path.join(self.work, "var", "crash")
        self.state = os.path.join(self.work, "state")
        os.makedirs(self.root)
        self.service = unit(os.path.join(self.top, UNIT_DIR, "ovscrash-triage.service"))
        self.path = unit(os.path.join(self.top, UNIT_DIR, "ovscrash-triage.path"))
        self.sets = {"amd64": a.fixtures, "arm64": a.fixtures_arm64}
        self.expect = {}      # dir name -> (arch, scenario, "dump" | "dmesg")
        self.untouched = {}   # file path -> (sha256, mtime_ns, size)

    # ------------------------------------------------------------ layout

    def manifest(self, arch, scen):
        with open(os.path.join(self.sets[arch], scen, "manifest.json")) as f:
            return json.load(f)

    def symbols(self):
        dirs = []
        for arch, sd in self.sets.items():
            for scen in ("lockup",):
                m = self.manifest(arch, scen)
                d = os.path.dirname(os.path.realpath(m.get("vmlinux") or
                                                     os.path.join(sd, scen, "vmlinux")))
                if d not in dirs:
                    dirs.append(d)
        return dirs

    def lay(self, name, arch, scen, what):
        """NAME/dump.<stamp> (a copy of the scenario's kdump-compressed
        vmcore: kdump-tools' makedumpfile -c output) and dmesg.<stamp>
        (its vmcore-dmesg.txt), or the dmesg alone.  A copy, not a hard
        link: the fixture cache must not be reachable from the test."""
        d = os.path.join(self.root, name)
        os.makedirs(d)
        stamp = re.sub(r"\D", "", name)[:12] or "202611270400"
        src = os.path.join(self.sets[arch], scen)
        files = []
        if what == "dump":
            files.append(shutil.copy2(os.path.join(src, "vmcore"), os.path.join(d, f"dump.{stamp}")))
        files.append(shutil.copy2(os.path.join(src, "vmcore-dmesg.txt"),
                                  os.path.join(d, f"dmesg.{stamp}")))
        for p in files:
            st = os.stat(p)
            self.untouched[p] = (sha256(p), st.st_mtime_ns, st.st_size)
        self.expect[name] = (arch, scen, what)
        return d

    def half_saved(self, name):
        """kdump-tools still writing: dump-incomplete holding the first
        30% of a dump, no dmesg yet."""
        d = os.path.join(self.root, name)
        os.makedirs(d)
        src = os.path.join(self.sets["amd64"], "lockup", "vmcore")
        with open(src, "rb") as f, open(os.path.join(d, "dump-incomplete"), "wb") as o:
            o.write(f.read(os.path.getsize(src) * 3 // 10))
        return d

    # ------------------------------------------------------------ running

    def argv(self, extra=()):
        """The service's ExecStart, its program replaced by this tree's
        shim and /var/crash by the test's tree; test-only options (state
        directory, symbol store of the fixtures) before the directory."""
        ex = self.service["Service"]["ExecStart"]
        eq(len(ex), 1, "one ExecStart")
        words = shlex.split(ex[0])
        eq(words[0], "/usr/sbin/ovscrash-arrival", "ExecStart's program")
        words[0] = os.path.join(self.top, "scripts", "ovscrash-arrival")
        words = [self.root if w == "/var/crash" else w for w in words]
        true(self.root in words, f"ExecStart names /var/crash: {ex[0]}")
        opts = ["--state", self.state]
        if "--settle" not in extra:
            opts += ["--settle", "0"]
        for s in self.symbols():
            opts += ["--symbols", s]
        i = words.index(self.root)
        return words[:i] + opts + list(extra) + words[i:]

    def env(self):
        env = dict(os.environ)
        env.update(dict(e.split("=", 1) for e in self.service["Service"].get("Environment", [])
                        if e.split("=", 1)[0] != "OVSCRASH_CACHE"))
        return env

    def run(self, extra=(), wrap=(), timeout=900, during=None):
        """Run it; DURING(), if given, is called while it runs."""
        t0 = time.monotonic()
        p = subprocess.Popen(list(wrap) + self.argv(extra), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=self.env())
        if during:
            during()
        o, e = p.communicate(timeout=timeout)
        p.stdout, p.stderr = o, e
        dt = time.monotonic() - t0
        out = p.stdout.decode("utf-8", "surrogateescape")
        print(f"  ovscrash-arrival exit {p.returncode} in {dt:.1f}s:", flush=True)
        for line in out.splitlines():
            print(f"    {line}", flush=True)
        if p.stderr.strip():
            print("    stderr: " + p.stderr.decode("utf-8", "replace")[-2000:], flush=True)
        return p.returncode, out.splitlines(), dt

    def line_of(self, lines, name):
        shown = escaped(os.path.join(self.root, name))
        hits = [ln for ln in lines if ln.startswith(shown + ": ")]
        eq(len(hits), 1, f"lines for {name!r} in {lines!r}")
        return hits[0]

    # ------------------------------------------------------------ checks

    def check_units(self):
        s = self.s

        def verify():
            # a root holding the host's units, the two units and the
            # program ExecStart names (verify checks it is executable)
            r = os.path.join(self.work, "unitroot")
            shutil.copytree("/lib/systemd/system", os.path.join(r, "lib/systemd/system"),
                            symlinks=True)
            os.makedirs(os.path.join(r, "usr/sbin"))
            shutil.copy2(os.path.join(self.top, "scripts/ovscrash-arrival"),
                         os.path.join(r, "usr/sbin/ovscrash-arrival"))
            units = []
            for u in ("ovscrash-triage.service", "ovscrash-triage.path"):
                units.append(shutil.copy2(os.path.join(self.top, UNIT_DIR, u),
                                          os.path.join(r, "lib/systemd/system", u)))
            p = subprocess.run(["systemd-analyze", "verify", "--man=no", f"--root={r}"] + units,
                               capture_output=True, text=True)
            eq(p.returncode, 0, f"systemd-analyze verify exit ({p.stderr.strip()})")
            eq((p.stdout + p.stderr).strip(), "", "systemd-analyze verify warnings")
        s.check("units: systemd-analyze verify of ovscrash-triage.service and .path: no warning",
                verify)

        def bounds():
            sv = self.service["Service"]
            want = {"Type": "simple", "Nice": "19", "IOSchedulingClass": "idle",
                    "CPUQuota": "50%", "MemoryMax": "2G", "ProtectSystem": "strict",
                    "PrivateTmp": "yes", "NoNewPrivileges": "yes"}
            for k, v in want.items():
                eq(sv.get(k), [v], f"[Service] {k}")
            rw = " ".join(sv.get("ReadWritePaths", [])).split()
            true("/var/crash" in rw, f"ReadWritePaths holds /var/crash: {rw}")
            eq(sv.get("StateDirectory"), ["ovscrash"], "StateDirectory (/var/lib/ovscrash)")
            un = self.service["Unit"]
            eq(un.get("After"), ["local-fs.target"], "[Unit] After")
            true("Before" not in un, "[Unit] orders the service before nothing (never blocks boot)")
            eq(self.service["Install"].get("WantedBy"), ["multi-user.target"], "service WantedBy")
            pa = self.path
            eq(pa["Path"].get("PathChanged"), ["/var/crash"], "[Path] PathChanged")
            eq(pa["Path"].get("Unit"), ["ovscrash-triage.service"], "[Path] Unit")
            eq(pa["Install"].get("WantedBy"), ["paths.target"], "path WantedBy")
            eq(pa["Install"].get("Also"), ["ovscrash-triage.service"],
               "path Also= (one enable command turns both on)")
        def exposure():
            p = subprocess.run(["systemd-analyze", "security", "--offline=yes", "--no-pager",
                                os.path.join(self.top, UNIT_DIR, "ovscrash-triage.service")],
                               capture_output=True, text=True)
            m = re.search(r"Overall exposure level for \S+: ([0-9.]+)", p.stdout)
            true(m, f"no exposure level in systemd-analyze security's output ({p.stderr.strip()})")
            true(float(m.group(1)) <= 2.0, f"exposure {m.group(1)} > 2.0")
        s.check("units: systemd-analyze security --offline rates the service's exposure <= 2.0",
                exposure)

        s.check("units: Type=simple after local-fs, Nice=19, idle I/O, CPUQuota=50%, MemoryMax=2G, "
                "hardening; path unit PathChanged=/var/crash, Also= the service", bounds)

    def check_tree(self):
        s = self.s
        names = {
            "202611270401": ("amd64", "lockup", "dump"),
            "202611270402": ("amd64", "healthy", "dump"),
            "202611270403": ("arm64", "lockup", "dump"),
            "202611270404": ("amd64", "oops-null", "dmesg"),
            # a hostile name: quotes, $(), ESC, a newline, HTML, a non-UTF-8 byte
            "202611270405 '$(touch x)\"\x1b[31m\n<b>&" + os.fsdecode(b"\xff"): ("amd64", "oops-null",
                                                                                "dmesg"),
        }
        for n, (arch, scen, what) in names.items():
            self.lay(n, arch, scen, what)
        half = "202611270406"
        self.half_saved(half)
        rc, lines, dt = self.run()
        first = {"rc": rc, "lines": lines}

        s.check("first run: exit 0 (every dump done or skipped with a reason)",
                lambda: eq(first["rc"], 0, "exit status"))
        s.check("first run: one stdout line per dump directory, path escaped (no raw control byte)",
                lambda: (eq(len(lines), len(names) + 1, f"lines {lines!r}"),
                         true(all(not re.search("[\x00-\x1f\x7f]", ln) for ln in lines),
                              "a raw control character in a line")))
        for n, (arch, scen, what) in names.items():
            self.check_done(n, arch, scen, what, lines)
        s.check("half-saved dir (dump-incomplete): skipped with its reason, no output written",
                lambda: (true(re.search(r": skipped: half-saved \(dump-incomplete: ",
                                        self.line_of(lines, half)), "reason"),
                         true(not any(os.path.exists(os.path.join(self.root, half, f))
                                      for f in OUTPUTS), "outputs beside a half-saved dump")))
        s.check("dumps and logs untouched: sha256, size and mtime as laid out", self.check_untouched)

        # rerun: nothing done again
        stamps = {n: os.stat(os.path.join(self.root, n, "ovscrash.json")).st_mtime_ns for n in names}
        rc2, lines2, dt2 = self.run()
        s.check("rerun: idempotent (no dump triaged again, only the half-saved one said again)",
                lambda: (eq(rc2, 0, "exit"), eq(len(lines2), 1, f"lines {lines2!r}"),
                         true(": skipped: half-saved" in lines2[0], lines2[0]),
                         eq({n: os.stat(os.path.join(self.root, n, "ovscrash.json")).st_mtime_ns
                             for n in names}, stamps, "ovscrash.json rewritten")))

        # the save completes (kdump-tools renames it) and a new dump arrives
        os.unlink(os.path.join(self.root, half, "dump-incomplete"))
        shutil.rmtree(os.path.join(self.root, half))
        self.lay(half, "amd64", "lockup", "dump")
        self.lay("202611270407", "amd64", "race", "dump")
        rc3, lines3, dt3 = self.run()
        s.check("next run: the completed save and the new dump are triaged, nothing else",
                lambda: (eq(rc3, 0, "exit"), eq(len(lines3), 2, f"lines {lines3!r}")))
        self.check_done(half, "amd64", "lockup", "dump", lines3)
        self.check_done("202611270407", "amd64", "race", "dump", lines3)
        s.check("dumps and logs untouched after three runs", self.check_untouched)

    def check_done(self, name, arch, scen, what, lines):
        m = self.manifest(arch, scen)
        want = m["expected"]["verdict_kind"]
        label = f"{name!r} ({arch} {scen}, {'dump + dmesg' if what == 'dump' else 'dmesg only'})"

        def fn():
            d = os.path.join(self.root, name)
            for f in OUTPUTS:
                true(os.path.isfile(os.path.join(d, f)), f"{f} beside the dump")
            with open(os.path.join(d, "ovscrash.json")) as f:
                rep = json.load(f)
            eq(rep["total"], 1, "results in ovscrash.json")
            r = rep["dumps"][0]
            eq(r["verdict"], want, "verdict (manifest expected.verdict_kind)")
            if what == "dmesg":
                eq(r["status"], "log-only", "status of a dmesg-only dir")
            else:
                eq(r["status"], "ok", "status")
                eq(r["arch"], "x86_64" if arch == "amd64" else "arm64", "arch")
            line = self.line_of(lines, name)
            true(re.search(rf": {re.escape(want)}\b.* \(\d+s\) -> ovscrash\.json$", line),
                 f"journal line {line!r}")
            with open(os.path.join(d, "ovscrash.html"), encoding="utf-8") as f:
                h = f.read()
            true("<html" in h.lower() and "</html>" in h.lower(), "ovscrash.html is a whole page")
            true("<b>&" not in h, "the dir name's HTML reached ovscrash.html raw")
            with open(os.path.join(d, "ovscrash.md"), encoding="utf-8") as f:
                # Markdown escapes the underscores of the verdict
                true(want.replace("_", "\\_") in f.read(), "verdict in ovscrash.md")
        self.s.check(f"{label}: ovscrash.json/.md/.html beside it, verdict {want}, one line", fn)

    def check_untouched(self):
        for p, (h, mt, size) in self.untouched.items():
            if not os.path.exists(p):
                continue
            st = os.stat(p)
            eq((st.st_size, st.st_mtime_ns), (size, mt), f"size/mtime of {p!r}")
            eq(sha256(p), h, f"sha256 of {p!r}")

    def check_readonly(self):
        """A dump directory on a read-only mount: results go to the state
        directory, the line says where and why."""
        name = "202611270408"
        d = self.lay(name, "amd64", "oops-null", "dmesg")
        wrap = ["unshare", "-m", "sh", "-c",
                'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" "$1" && shift && exec "$@"',
                "sh", d]
        probe = subprocess.run(wrap[:-1] + [d, "true"], capture_output=True, text=True)
        if probe.returncode:
            self.s.skip("read-only dump directory", f"no read-only bind mount here: "
                        f"{probe.stderr.strip()}")
            return
        rc, lines, _dt = self.run(wrap=wrap)

        def fn():
            eq(rc, 0, "exit")
            line = self.line_of(lines, name)
            sd = os.path.join(self.state, name)
            true(f"-> {sd}/ovscrash.json (its directory is not writable: Read-only file system)"
                 in line, f"line {line!r}")
            for f in OUTPUTS:
                true(os.path.isfile(os.path.join(sd, f)), f"{f} in the state dir")
                true(not os.path.exists(os.path.join(d, f)), f"{f} beside the read-only dump")
            with open(os.path.join(sd, "ovscrash.json")) as f:
                eq(json.load(f)["dumps"][0]["verdict"],
                   self.manifest("amd64", "oops-null")["expected"]["verdict_kind"], "verdict")
        self.s.check("read-only dump dir: results in STATE/<dir>/, the line names it and why", fn)
        rc2, lines2, _ = self.run()
        self.s.check("read-only dump dir: done (its state dir result counts), not redone",
                     lambda: (eq(rc2, 0, "exit"),
                              true(not any(ln.startswith(d + ":") for ln in lines2), lines2)))

    def check_lock(self):
        """A dump another run holds the lock of is skipped with that reason."""
        name = "202611270409"
        self.lay(name, "amd64", "oops-null", "dmesg")
        sd = os.path.join(self.state, name)
        os.makedirs(sd, exist_ok=True)
        with open(os.path.join(sd, "lock"), "a") as lk:
            fcntl.flock(lk, fcntl.LOCK_EX)
            rc, lines, _ = self.run()
        self.s.check("locked dump (another run on it): skipped with the reason, nothing written",
                     lambda: (eq(rc, 0, "exit"),
                              true("skipped: another ovscrash-arrival is triaging it"
                                   in self.line_of(lines, name), lines),
                              true(not os.path.exists(os.path.join(self.root, name,
                                                                   "ovscrash.json")), "written")))
        rc2, lines2, _ = self.run()
        self.s.check("lock released: the next run does it",
                     lambda: (eq(rc2, 0, "exit"),
                              true(os.path.isfile(os.path.join(self.root, name, "ovscrash.json")),
                                   "ovscrash.json")))

    def check_timeout(self):
        """The per-dump --timeout bounds the whole triage: a crash and a
        log tool that hang (each would be killed by the batch at 0.8 x
        timeout, together they outlast it) are stopped at --timeout, the
        line says so, nothing is written, no process is left, exit 1."""
        name = "202611270410"
        self.lay(name, "amd64", "lockup", "dump")
        pids = os.path.join(self.work, "hang-pids")
        hang = os.path.join(self.work, "hang")
        with open(hang, "w") as f:
            f.write(f"#!/bin/sh\necho $$ >> {shlex.quote(pids)}\nexec sleep 60\n")
        os.chmod(hang, 0o755)
        t = 3
        rc, lines, dt = self.run(extra=["--timeout", str(t), "--crash", f"x86_64={hang}",
                                        "--ovscrash-log", hang])

        def fn():
            eq(rc, 1, "exit status (a triage failed)")
            line = self.line_of(lines, name)
            true(f"failed: timed out after {t}s (--timeout" in line and "retried next run" in line,
                 f"line {line!r}")
            true(dt < t + 10 + 5, f"run took {dt:.1f}s, bound {t}s + {10}s grace")
            true(not os.path.exists(os.path.join(self.root, name, "ovscrash.json")), "written")
            with open(pids) as f:
                hung = f.read().split()
            true(hung, "the hanging crash / log tool never ran")
            eq(running(hung, 5), [], "hung processes left running 5 s after the run")
        self.s.check("per-dump --timeout: the hung triage is killed at the bound, said, retried", fn)
        rc2, lines2, _ = self.run()
        self.s.check("after a timeout: the next run (real crash) does it",
                     lambda: (eq(rc2, 0, "exit"),
                              true(" (" in self.line_of(lines2, name) and
                                   "OVS_PICKTX_LOCKUP" in self.line_of(lines2, name), lines2)))

    def check_settle(self):
        """The path unit fires when a dump directory is made, before
        kdump-tools (or a copy) has written into it: an empty directory
        is waited for (--settle) and done in the same run."""
        name = "202611270411"
        d = os.path.join(self.root, name)
        os.makedirs(d)

        def fill():
            time.sleep(3)
            src = os.path.join(self.sets["amd64"], "oops-null", "vmcore-dmesg.txt")
            shutil.copy2(src, os.path.join(d, "dmesg.202611270411.tmp"))
            os.rename(os.path.join(d, "dmesg.202611270411.tmp"), os.path.join(d, "dmesg.202611270411"))
        rc, lines, dt = self.run(extra=["--settle", "30"], during=fill)
        self.s.check("a dump dir made empty and filled 3 s later: waited for and done in that run",
                     lambda: (eq(rc, 0, "exit"),
                              true(self.line_of(lines, name).endswith("-> ovscrash.json"), lines),
                              true(dt < 30, f"took {dt:.0f}s: waited the whole --settle")))

    def check_systemd(self):
        """A real systemd: systemd-nspawn boots this machine's /usr
        (--volatile=yes: a tmpfs root, /usr read-only from the host) with
        the units in /etc/systemd/system (a drop-in points ExecStart at
        this tree's ovscrash-arrival), /var/crash bound to a test
        directory, and a driver unit (nspawn-driver.sh) that enables the
        path unit with the one documented command, makes a dump
        directory, reads the limits systemd applied to the running
        service, and saves the journal.  When the container cannot boot
        here: a SKIP line with systemd-nspawn's own error."""
        if not shutil.which("systemd-nspawn"):
            self.s.skip("real systemd (systemd-nspawn)", "systemd-nspawn not installed "
                        "(systemd-container)")
            return
        w = os.path.join(self.work, "nspawn")
        etc, crash_dir, out, inp = (os.path.join(w, x) for x in ("system", "crash", "out", "in"))
        for x in (etc, crash_dir, out, inp):
            os.makedirs(x)
        for u in ("ovscrash-triage.service", "ovscrash-triage.path"):
            shutil.copy2(os.path.join(self.top, UNIT_DIR, u), etc)
        # the tree is bound at a fixed path: the service has PrivateTmp=
        # and ProtectHome=, so a tree under /tmp (a CI clone) or /home would
        # be invisible to it at its own path
        tree = "/opt/ovscrash-src"
        exe = os.path.join(tree, "scripts", "ovscrash-arrival")
        # the project's crash and the fixture kernel, bound read-only
        # outside the service's writable paths (never the cache itself: a
        # ReadWritePaths= remount would make it writable in there)
        m = self.manifest("amd64", "lockup")
        kdir = os.path.dirname(os.path.realpath(m["vmlinux"]))
        crash = self.a.crash
        opts = (f"--symbols /opt/ovscrash-kernel "
                f"--crash x86_64=/opt/ovscrash-crash/{os.path.basename(crash)}")
        ex = self.service["Service"]["ExecStart"][0].replace(
            "/usr/sbin/ovscrash-arrival", f"{exe} {opts}", 1)
        os.makedirs(os.path.join(etc, "ovscrash-triage.service.d"))
        with open(os.path.join(etc, "ovscrash-triage.service.d", "test.conf"), "w") as f:
            f.write(f"[Service]\nExecStart=\nExecStart={ex}\n")
        with open(os.path.join(etc, "arrival-test-driver.service"), "w") as f:
            f.write("[Unit]\nDescription=tests/arrival driver\nAfter=basic.target\n"
                    "[Service]\nType=oneshot\n"
                    f"ExecStart=/bin/sh {tree}/tests/arrival/nspawn-driver.sh\n"
                    "[Install]\nWantedBy=multi-user.target\n")
        os.makedirs(os.path.join(etc, "multi-user.target.wants"))
        # the empty /etc of --volatile=yes starts systemd-firstboot, which
        # waits for a key on the console: masked
        os.symlink("/dev/null", os.path.join(etc, "systemd-firstboot.service"))
        os.symlink("../arrival-test-driver.service",
                   os.path.join(etc, "multi-user.target.wants", "arrival-test-driver.service"))
        src = os.path.join(self.sets["amd64"], "oops-null")
        shutil.copy2(os.path.join(src, "vmcore-dmesg.txt"), os.path.join(inp, "dmesg"))
        lk = os.path.join(self.sets["amd64"], "lockup")
        shutil.copy2(os.path.join(lk, "vmcore"), os.path.join(inp, "dump"))
        shutil.copy2(os.path.join(lk, "vmcore-dmesg.txt"), os.path.join(inp, "dump-dmesg"))
        argv = ["systemd-nspawn", "-D", "/", "--volatile=yes", "--register=no", "--keep-unit",
                "-M", f"ovscrash-arrival-{os.getpid()}", "--quiet",
                f"--bind={etc}:/etc/systemd/system", f"--bind={crash_dir}:/var/crash",
                f"--bind={out}:/opt/arrival-out", f"--bind-ro={inp}:/opt/arrival-in",
                f"--bind-ro={self.top}:{tree}",
                f"--bind-ro={os.path.dirname(crash)}:/opt/ovscrash-crash",
                f"--bind-ro={kdir}:/opt/ovscrash-kernel", "--boot"]
        t0 = time.monotonic()
        try:
            p = subprocess.run(argv, capture_output=True, timeout=600, stdin=subprocess.DEVNULL)
            err = (p.stdout + p.stderr).decode("utf-8", "replace")
        except subprocess.TimeoutExpired as e:
            err = f"no poweroff within 600 s ({(e.stderr or b'').decode('utf-8', 'replace')[-300:]})"
        dt = time.monotonic() - t0
        print(f"  systemd-nspawn ran {dt:.0f}s", flush=True)

        def read(fn):
            try:
                with open(os.path.join(out, fn)) as f:
                    return f.read().strip()
            except OSError:
                return None
        if read("enable.rc") is None:
            lines = [ln for ln in err.splitlines() if ln.strip()]
            self.s.skip("real systemd (systemd-nspawn --volatile=yes --boot)",
                        "the container did not boot to its driver unit: "
                        + " | ".join(lines[-3:]))
            return
        for fn in ("journal.txt", "show.txt", "cgroup", "proc-cgroup", "sys-fs-cgroup", "ionice", "nice"):
            print(f"  [{fn}]\n    " + (read(fn) or "(none)").replace("\n", "\n    "), flush=True)
        d = os.path.join(crash_dir, "202611270501")
        want = self.manifest("amd64", "oops-null")["expected"]["verdict_kind"]

        def enabled():
            eq(read("enable.rc"), "0", "systemctl enable --now ovscrash-triage.path exit")
            eq(read("enabled.txt"), "enabled\nenabled", "is-enabled path, service (Also=)")
            eq(read("path-active.txt"), "active", "path unit active")
        self.s.check("real systemd: `systemctl enable --now ovscrash-triage.path` enables both "
                     "units and starts the path unit", enabled)

        def arrived():
            for f in OUTPUTS:
                true(os.path.isfile(os.path.join(d, f)), f"{f} beside the dump")
            with open(os.path.join(d, "ovscrash.json")) as f:
                eq(json.load(f)["dumps"][0]["verdict"], want, "verdict")
            j = read("journal.txt") or ""
            hits = [ln for ln in j.splitlines()
                    if ln.startswith("/var/crash/202611270501: ")]
            eq(len(hits), 1, f"journal lines for the dump: {j!r}")
            true(re.search(rf": {want}\b.*\(\d+s\) -> ovscrash\.json$", hits[0]), hits[0])
            true("Result=success" in (read("result.txt") or ""), read("result.txt"))
        self.s.check("real systemd: a dump dir made under /var/crash is triaged by the path unit; "
                     "one journal line; the 3 files beside it", arrived)

        def crashed():
            d2 = os.path.join(crash_dir, "202611270502")
            for f in OUTPUTS:
                true(os.path.isfile(os.path.join(d2, f)), f"{f} beside the dump")
            with open(os.path.join(d2, "ovscrash.json")) as f:
                r = json.load(f)["dumps"][0]
            eq((r["verdict"], r["status"], r["method"]),
               (m["expected"]["verdict_kind"], "ok", "crash"), "verdict, status, method")
            hits = [ln for ln in (read("journal.txt") or "").splitlines()
                    if ln.startswith("/var/crash/202611270502: ")]
            eq(len(hits), 1, "journal lines for the dump")
            true(hits[0].endswith("-> ovscrash.json"), hits[0])
        self.s.check("real systemd: a kdump-compressed dump (dump-incomplete renamed) triaged by "
                     "crash inside the hardened, bounded service: manifest verdict", crashed)

        def limits():
            show = dict(ln.split("=", 1) for ln in (read("show.txt") or "").splitlines())
            eq(show.get("Type"), "simple", "Type")
            eq(show.get("Nice"), "19", "Nice")
            eq(show.get("CPUQuotaPerSecUSec"), "500ms", "CPUQuotaPerSecUSec (50%)")
            eq(show.get("MemoryMax"), str(2 << 30), "MemoryMax")
            # what the running process has (not only what the unit asks)
            eq(read("nice"), "19", "nice of the running service's main process (/proc)")
            true((read("ionice") or "").startswith("idle"), f"ionice: {read('ionice')!r}")
            st = dict(re.split(r":\s*", ln, 1) for ln in (read("status") or "").splitlines())
            eq((st.get("Seccomp"), st.get("NoNewPrivs"), st.get("CapBnd")),
               ("2", "1", "0000000000000000"),
               "the main process's /proc status: seccomp filter, no_new_privs, no capability")
        self.s.check("real systemd: the running service has nice 19, idle I/O, a seccomp filter, "
                     "no capability; CPUQuota=50% and MemoryMax=2G set", limits)
        cg = read("cgroup") or ""
        if "missing" in cg or not cg:
            pc = (read("proc-cgroup") or "").replace("\n", " ")
            self.s.skip("real systemd: cgroup limits in the kernel (cpu.max, memory.max)",
                        f"not applied here: this host's cgroups are v1 hybrid and the "
                        f"container gets no controller (the service's /proc/<pid>/cgroup: "
                        f"{pc}); the service's cgroup has no cpu.max / memory.max")
        else:
            self.s.check("real systemd: cpu.max 50000 100000, memory.max 2 GiB in the service's "
                         "cgroup", lambda: (true("cpu.max 50000 100000" in cg, cg),
                                            true(f"memory.max {2 << 30}" in cg, cg)))

    def check_flattened(self):
        """kdump-tools' own pipeline (`makedumpfile -F -c -d 31 | gzip -c`
        into dump-incomplete.gz, renamed dump.<stamp>.gz): triaged, and the
        state directory keeps no reassembled or decompressed copy of the
        dump (a dump-sized file per dump, kept for good, before)."""
        name = "202611270412"
        d = os.path.join(self.root, name)
        os.makedirs(d)
        src = os.path.join(self.sets["amd64"], "lockup")
        tmp = os.path.join(d, "dump-incomplete.gz")
        with open(tmp, "wb") as o:
            md = subprocess.Popen(["makedumpfile", "-F", "-c", "-d", "31",
                                   os.path.join(src, "vmcore")],
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            gz = subprocess.run(["gzip", "-c"], stdin=md.stdout, stdout=o)
            md.stdout.close()
            eq((md.wait(), gz.returncode), (0, 0), "makedumpfile -F | gzip")
        os.rename(tmp, os.path.join(d, f"dump.{name}.gz"))
        shutil.copy2(os.path.join(src, "vmcore-dmesg.txt"), os.path.join(d, f"dmesg.{name}"))
        for p in (os.path.join(d, f"dump.{name}.gz"), os.path.join(d, f"dmesg.{name}")):
            st = os.stat(p)
            self.untouched[p] = (sha256(p), st.st_mtime_ns, st.st_size)
        rc, lines, _ = self.run()
        self.check_done(name, "amd64", "lockup", "dump", lines)

        def small():
            sd = os.path.join(self.state, name)
            big = []
            for dp, _dns, fns in os.walk(sd):
                for fn in fns:
                    p = os.path.join(dp, fn)
                    if os.path.getsize(p) > 1 << 20:
                        big.append((p, os.path.getsize(p)))
            eq(big, [], "files over 1 MiB left in the state directory")
        self.s.check("flattened gzip dump: no reassembled/decompressed copy left in the state dir",
                     small)
        self.s.check("flattened gzip dump: dump and log untouched", self.check_untouched)

    def main(self):
        t0 = time.monotonic()
        if self.a.only == "flattened":
            self.check_flattened()
            return
        if self.a.only == "systemd":
            self.check_systemd()
            return
        self.check_units()
        self.check_tree()
        self.check_readonly()
        self.check_lock()
        self.check_timeout()
        self.check_settle()
        self.check_flattened()
        self.check_systemd()
        print(f"arrival: checks took {time.monotonic() - t0:.0f}s", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--top", required=True)
    ap.add_argument("--fixtures", required=True, help="amd64 fixture set dir")
    ap.add_argument("--fixtures-arm64", required=True, help="arm64 fixture set dir")
    ap.add_argument("--work", required=True)
    ap.add_argument("--crash", required=True, help="the project's x86_64 crash build")
    ap.add_argument("--only", choices=["systemd", "flattened"],
                    help="only the real-systemd or the flattened-dump check")
    a = ap.parse_args()
    t = Arrival(a)
    t.main()
    return t.s


if __name__ == "__main__":
    s = main()
    sys.exit(s.summary("arrival"))

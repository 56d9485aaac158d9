#!/usr/bin/python3
"""End-to-end checks of scripts/ovscrash-batch and scripts/ovscrash-report.

Inputs are the real fixture vmcores, only copied, truncated (one dump, on
purpose) or reassembled with makedumpfile -R; nothing else edits dump bytes.
Expectations come from the fixtures' manifest.json files.  Prints PASS/FAIL
lines and a final `e2e: N passed, M failed`.
"""
import argparse
import csv
import glob
import hashlib
import io
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from suite import Suite, eq, kernel_version  # noqa: E402
import dfserver  # noqa: E402

MIB = 1 << 20
LOCKUP_FIXES = {"066b86787fa3", "47e55e4b410f"}
LOCKUP_SIG = "ovs-unregister-picktx-lockup"
# the dumps of each arch, by their names in self.expect
LOCKUPS = {"x86_64": "lockup", "arm64": "arm64-lockup"}
HEALTHY = {"x86_64": "healthy", "arm64": "arm64-healthy"}
# what says where, when and in how many shards a report's results were
# made (the shards part is checked on its own in t_shards)
VOLATILE = {"generated", "sources", "shards"}
# scenarios other engineers add to the fixture sets; each is checked when
# its set has it and skipped (with the reason printed) when not
NEW_SCENARIOS = ("softlockup-other", "oops-null", "hungtask", "mirred", "race", "victim-hostile")
AMD64_ONLY = ("hungtask", "hostile", "noovs")
KDUMP_STAMP = "202611261200"      # /var/crash/<stamp>/dump.<stamp> + dmesg.<stamp>
LOGONLY_STAMP = "202611261300"    # /var/crash/<stamp>/dmesg.<stamp>, no dump
WHERE_RE = re.compile(r"^(\S+?)(?:\+0x[0-9a-fA-F]+(?:/0x[0-9a-fA-F]+)?)?(?:\s+\[([^\]]*)\])?\s*$")


def scen_class(man):
    """Which dumps must share a report group, from what the fixture
    generator set up: every Open vSwitch lockup one group (by signature),
    other netdev_pick_tx spins one, every other panic by its kind and the
    function (and module) the generator made it panic in."""
    e = man["expected"]
    k = e["verdict_kind"]
    if k == "OVS_PICKTX_LOCKUP":
        return ("ovs-lockup",)
    if k.startswith("PICKTX_SPIN"):
        return ("picktx-spin", k)
    return ("panic", e.get("panic_kind"), e.get("function"), e.get("module"))


def ident(path):
    """The identity the batch must use: sha256 over size, first and last MiB."""
    size = os.path.getsize(path)
    h = hashlib.sha256()
    h.update(b"ovscrash-id-v1\0%d\0" % size)
    with open(path, "rb") as f:
        h.update(f.read(min(size, MIB)))
        f.seek(max(0, size - MIB))
        h.update(f.read(MIB))
    return h.hexdigest()


def first_diff(a, b, path="$"):
    """Where two JSON values first differ, or None."""
    if type(a) is not type(b):
        return f"{path}: {a!r:.200} != {b!r:.200}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return f"{path}.{k}: only on one side"
            d = first_diff(a[k], b[k], f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} vs {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_diff(x, y, f"{path}[{i}]")
            if d:
                return d
        return None
    return None if a == b else f"{path}: {a!r:.200} != {b!r:.200}"


def same_report(a, b, what):
    d = first_diff(a, b)
    if d:
        raise AssertionError(f"{what} differ at {d}")


def results(d):
    """The result files of a batch output dir (named <64 hex>.json; the
    dir also holds skipped.json)."""
    out = {}
    for p in glob.glob(os.path.join(d, "*.json")):
        if not re.fullmatch(r"[0-9a-f]{64}\.json", os.path.basename(p)):
            continue
        with open(p) as f:
            r = json.load(f)
        out[r["id"]] = r
    return out


def dump_format(path):
    """The fixture dumps' container: QEMU's (flattened) or kdump's
    makedumpfile inside the guest (kdump-compressed)."""
    with open(path, "rb") as f:
        head = f.read(16)
    return "flattened" if head.startswith(b"makedumpfile\0") else "kdump-compressed"


def flatten(src, dst, chunk=MIB):
    """Write SRC's bytes as a flattened makedumpfile stream (what
    `makedumpfile -F` writes): the same dump in another container."""
    import struct
    with open(src, "rb") as f, open(dst, "wb") as o:
        o.write(b"makedumpfile".ljust(16, b"\0") + struct.pack(">qq", 1, 1))
        o.write(b"\0" * (4096 - 32))
        off = 0
        while True:
            b = f.read(chunk)
            if not b:
                break
            o.write(struct.pack(">qq", off, len(b)) + b)
            off += len(b)
        o.write(struct.pack(">qq", -1, -1))


def stable_report(path):
    with open(path) as f:
        rep = json.load(f)
    for k in VOLATILE:
        rep.pop(k, None)
    return rep


def chromium_render(html_path, shot, profile, size):
    """Load HTML_PATH in headless chromium (no network, no GPU, a fresh
    profile dir): write a screenshot of SIZE (width, height) to SHOT and
    return the page's DOM text after its scripts ran (--dump-dom).  Raises
    AssertionError when chromium is missing or writes no screenshot.
    tests/guide imports it."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        raise AssertionError("chromium not installed (scripts/install-deps.sh installs it)")
    base = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", f"--user-data-dir={profile}", f"--window-size={size[0]},{size[1]}"]
    if os.path.exists(shot):
        os.unlink(shot)
    subprocess.run(base + [f"--screenshot={shot}", "file://" + html_path],
                   capture_output=True, timeout=120)
    if not os.path.isfile(shot) or os.path.getsize(shot) < 1000:
        raise AssertionError(f"{shot}: no screenshot written by {chromium}")
    p = subprocess.run(base + ["--dump-dom", "file://" + html_path], capture_output=True,
                       text=True, timeout=120)
    return p.stdout


class E2E:
    def __init__(self, a):
        self.a = a
        self.batch = os.path.join(a.top, "scripts", "ovscrash-batch")
        self.report = os.path.join(a.top, "scripts", "ovscrash-report")
        self.w = a.work
        self.timings = {}
        # the symbol index cache of this test run (empty at start: the
        # first batch builds the indexed vmlinux copies)
        self.idx = os.path.join(a.work, "symindex")
        # every batch runs with a $HOME whose .crashrc says `exit`: crash
        # reads it unless told not to (--no_crashrc), and then ended
        # before triage, so every dump was crash-failed (issue 12, item 4)
        self.rc_home = os.path.join(a.work, "crashrc-home")
        os.makedirs(self.rc_home, exist_ok=True)
        with open(os.path.join(self.rc_home, ".crashrc"), "w") as f:
            f.write("exit\n")

    def run_batch(self, out, inputs, symbols, *extra, check=True, env=None):
        """x86_64 tools are passed explicitly; arm64 ones come from the
        batch's defaults (build-crash.sh ARM64's cache, extension/
        ovscrash-arm64.so) unless `extra` passes --crash/--ext arm64=."""
        argv = [self.batch, "--out", out, "--crash", f"x86_64={self.a.crash}",
                "--ext", f"x86_64={self.a.ext}",
                # crash on every dump: these checks are of crash's triage
                # (the fast path, which skips crash for a dump whose log
                # shows another panic, is tests/fastpath's)
                "--full"]
        for s in symbols:
            argv += ["--symbols", s]
        if "--index-cache" not in extra and "--no-index" not in extra:
            argv += ["--index-cache", self.idx]
        argv += list(extra) + list(inputs)
        t0 = time.time()
        p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                           env=dict(os.environ, HOME=self.rc_home, **(env or {})))
        dt = time.time() - t0
        with open(os.path.join(self.a.out, "batch-runs.log"), "a") as f:
            f.write(f"$ {' '.join(argv)}\n# rc={p.returncode} {dt:.1f}s\n{p.stderr}\n")
        if check and p.returncode != 0:
            raise AssertionError(f"ovscrash-batch exit {p.returncode}: {p.stderr[-1500:]}")
        return p, dt

    def run_report(self, dirs, stem):
        outs = {k: os.path.join(self.a.out, f"{stem}.{k}") for k in ("json", "csv", "md", "html")}
        argv = [self.report] + dirs
        for k, v in outs.items():
            argv += [f"--{k}", v]
        p = subprocess.run(argv, capture_output=True, text=True)
        if p.returncode != 0:
            raise AssertionError(f"ovscrash-report exit {p.returncode}: {p.stderr[-800:]}")
        outs["stdout"] = p.stdout
        return outs

    # ---------------------------------------------------------- inputs
    def build_inputs(self):
        fx = self.a.fixtures
        self.fx = {"x86_64": fx, "arm64": self.a.fixtures_arm64}
        self.tool = {"x86_64": (self.a.crash, self.a.ext, "X86_64"),
                     "arm64": (self.a.crash_arm64, self.a.ext_arm64, "ARM64")}
        self.man = {}
        self.arch_of = {}
        self.stage_dir = {}
        stage = os.path.join(self.w, "stage")
        # x86_64 dumps in dumps/{lockup,healthy}/, arm64 in dumps/arm64/{lockup,healthy}/
        for arch, sub in (("x86_64", ""), ("arm64", "arm64")):
            for k in ("lockup", "healthy"):
                name = (LOCKUPS if k == "lockup" else HEALTHY)[arch]
                with open(os.path.join(self.fx[arch], k, "manifest.json")) as f:
                    self.man[name] = json.load(f)
                self.arch_of[name] = arch
                d = os.path.join(stage, sub, k)
                self.stage_dir[name] = d
                os.makedirs(d)
                shutil.copyfile(os.path.join(self.fx[arch], k, "vmcore"), os.path.join(d, "vmcore"))
                shutil.copyfile(os.path.join(self.fx[arch], k, "console.log"),
                                os.path.join(d, "console.log"))
        # a dump cut short (the one deliberate damage): first 30% of the lockup
        os.makedirs(os.path.join(stage, "truncated"))
        src = os.path.join(fx, "lockup", "vmcore")
        with open(src, "rb") as f, open(os.path.join(stage, "truncated", "vmcore"), "wb") as o:
            o.write(f.read(os.path.getsize(src) * 30 // 100))
        # non-dumps, in a nested .tar.gz
        notes = os.path.join(self.w, "notes")
        os.makedirs(notes)
        with open(os.path.join(notes, "README.txt"), "w") as f:
            f.write("not a dump\n")
        with open(os.path.join(notes, "random.bin"), "wb") as f:
            f.write(hashlib.sha256(b"e2e").digest() * 4096)
        with tarfile.open(os.path.join(stage, "notes.tar.gz"), "w:gz") as t:
            t.add(notes, arcname="notes")
        # the archive: tar | zstd
        self.archive = os.path.join(self.w, "dumps.tar.zst")
        tarp = os.path.join(self.w, "dumps.tar")
        with tarfile.open(tarp, "w") as t:
            t.add(stage, arcname="dumps")
        subprocess.run(["zstd", "-q", "-1", "--rm", "-o", self.archive, tarp], check=True)
        self.expect = {  # identity -> (what, status)
            **{ident(os.path.join(self.stage_dir[n], "vmcore")): (n, "ok") for n in self.arch_of},
            ident(os.path.join(stage, "truncated", "vmcore")): ("truncated", "bad-dump"),
            ident(os.path.join(notes, "random.bin")): ("random.bin", "not-a-dump"),
        }
        # evidently not a dump: listed once under the skipped files, no result
        self.skipped_member = "dumps.tar.zst!/dumps/notes.tar.gz!/notes/README.txt"
        self.id_of = {v[0]: k for k, v in self.expect.items()}
        # symbol store A: extracted Debian -dbg trees of both arches' kernels
        sa = os.path.join(self.w, "sym-dbg")
        boot = os.path.join(sa, "usr/lib/debug/boot")
        os.makedirs(boot)
        self.bid = {}
        for arch in ("x86_64", "arm64"):
            afx = self.fx[arch]
            rel = self.man[LOCKUPS[arch]]["kernel_release"]
            mods = os.path.join(sa, f"usr/lib/debug/lib/modules/{rel}/kernel/net/openvswitch")
            os.makedirs(mods)
            os.symlink(os.path.realpath(os.path.join(afx, "lockup", "vmlinux")),
                       os.path.join(boot, f"vmlinux-{rel}"))
            os.symlink(os.path.realpath(os.path.join(afx, "lockup", "openvswitch.ko.debug")),
                       os.path.join(mods, "openvswitch.ko"))
            # veth.ko's debuginfo where Debian's -dbg package has it (the
            # tenant's veth peer, issue 13): the kernel cache's copy
            veth = os.path.join(os.path.dirname(os.path.realpath(os.path.join(afx, "lockup", "vmlinux"))),
                                "debug", "kernel", "drivers", "net", "veth.ko")
            vdir = os.path.join(sa, f"usr/lib/debug/lib/modules/{rel}/kernel/drivers/net")
            os.makedirs(vdir)
            os.symlink(veth, os.path.join(vdir, "veth.ko"))
            self.bid[arch] = self.build_id(os.path.join(afx, "lockup", "vmlinux"))
        if len(set(self.bid.values())) != 2:
            raise AssertionError(f"the two arches' vmlinux share a build-id: {self.bid}")
        self.sym_dbg = sa
        # a second input: the healthy dump in the other container -- QEMU's
        # flattened fixtures reassembled by makedumpfile -R (kdump-compressed),
        # kdump-compressed fixtures wrapped as a flattened stream (which the
        # batch reassembles): a different file, same kernel, same dump
        other = os.path.join(self.w, "other")
        os.makedirs(other)
        self.fx_format = dump_format(os.path.join(fx, "healthy", "vmcore"))
        if self.fx_format == "flattened":
            self.other_format = "kdump-compressed"
            with open(os.path.join(fx, "healthy", "vmcore"), "rb") as f:
                subprocess.run(["makedumpfile", "-R", os.path.join(other, "dump.202401010000")],
                               stdin=f, check=True, capture_output=True)
        else:
            self.other_format = "flattened"
            flatten(os.path.join(fx, "healthy", "vmcore"), os.path.join(other, "dump.202401010000"))
        self.other = other
        self.other_id = ident(os.path.join(other, "dump.202401010000"))
        # store B: a .build-id tree holding only openvswitch.ko (no vmlinux)
        # store C: a .build-id tree holding the vmlinux
        self.vmlinux_bid = self.build_id(os.path.join(fx, "lockup", "vmlinux"))
        ko_bid = self.build_id(os.path.join(fx, "lockup", "openvswitch.ko.debug"))
        self.sym_b = os.path.join(self.w, "sym-b")
        self.sym_c = os.path.join(self.w, "sym-c")
        for store, bid, tgt in ((self.sym_b, ko_bid, "openvswitch.ko.debug"),
                                (self.sym_c, self.vmlinux_bid, "vmlinux")):
            d = os.path.join(store, ".build-id", bid[:2])
            os.makedirs(d)
            os.symlink(os.path.realpath(os.path.join(fx, "lockup", tgt)),
                       os.path.join(d, bid[2:] + ".debug"))

    @staticmethod
    def build_id(path):
        out = subprocess.run(["readelf", "-n", path], capture_output=True, text=True).stdout
        return re.search(r"Build ID: ([0-9a-f]+)", out).group(1)

    # ---------------------------------------------------------- checks
    def check_results(self, d, what):
        got = results(d)
        missing = [self.expect[i][0] for i in self.expect if i not in got]
        if missing:
            raise AssertionError(f"{what}: no result for {missing}")
        extra = set(got) - set(self.expect)
        if extra:
            raise AssertionError(f"{what}: unexpected results {sorted(extra)}")
        for i, (name, st) in self.expect.items():
            eq(got[i]["status"], st, f"{what}: status of {name} ({got[i].get('error')})")
        return got

    def t_inputs(self):
        self.build_inputs()

    def t_batch_j1(self):
        self.out1 = os.path.join(self.w, "out-j1")
        p, dt = self.run_batch(self.out1, [self.archive], [self.sym_dbg], "-j", "1")
        self.timings["j1"] = dt
        self.r1 = self.check_results(self.out1, "-j1")

    def t_batch_j2(self):
        # arm64 tools passed explicitly here (--crash/--ext ARCH=PATH override)
        self.out2 = os.path.join(self.w, "out-j2")
        p, dt = self.run_batch(self.out2, [self.archive], [self.sym_dbg], "-j", "2",
                               "--crash", f"arm64={self.a.crash_arm64}",
                               "--ext", f"arm64={self.a.ext_arm64}")
        self.timings["j2"] = dt
        r2 = self.r2 = self.check_results(self.out2, "-j2")
        for i in self.expect:
            eq(r2[i].get("signature"), self.r1[i].get("signature"), f"signature of {self.expect[i][0]}")

    def t_lockup(self):
        for arch, name in LOCKUPS.items():
            r = self.r1[self.id_of[name]]
            exp = self.man[name]["expected"]
            eq(r["signature"], exp["verdict"], f"{name} signature")
            eq(r["signature"], LOCKUP_SIG, f"{name} signature")
            eq(r["pc_function"], exp["pc_symbol"], f"{name} pc function")
            eq({f["commit"] for f in r["triage"]["fixes"]}, LOCKUP_FIXES, f"{name} fixes")
            eq(r["match"]["build_id"], self.bid[arch], f"{name}: matched vmlinux build-id")
            if not r["match"]["how"].startswith("build-id"):
                raise AssertionError(f"{name} matched by {r['match']['how']!r}, want build-id")
            eq(r["dump"]["format"], dump_format(os.path.join(self.fx[arch], "lockup", "vmcore")),
               f"{name}: fixture dump format")
            if not any(s["kind"] == "console" for s in r["side_files"]):
                raise AssertionError(f"{name}: console.log not attached as a side file")
            if "!" not in r["input"]["path"]:
                raise AssertionError(f"archive member not named archive!member: {r['input']['path']}")
            if "hash" in exp:
                eq((r["triage"]["spin"].get("hash") or {}).get("value"), exp["hash"], f"{name} hash")
            # the tenant: the victim's veth peer (the recipe's pairs
            # p1/vA, p2/vB; "tenancy"."veths" where the manifest has it)
            man, victim = self.man[name], self.man[name]["victim"]["name"]
            pairs = {v["dev"]: v["peer"] for v in (man.get("tenancy") or {}).get("veths", [])} or \
                {"p1": "vA", "vA": "p1", "p2": "vB", "vB": "p2"}
            line = ((r["triage"].get("tenant") or {}).get("line")) or ""
            if not line.startswith(f"victim {victim} <-> {pairs[victim]} in netns "):
                raise AssertionError(f"{name}: tenant line {line!r}")

    def t_healthy(self):
        for name in HEALTHY.values():
            r = self.r1[self.id_of[name]]
            if r["signature"] == LOCKUP_SIG:
                raise AssertionError(f"{name} dump grouped under the lockup signature")
            eq(r["signature"], self.man[name]["expected"]["verdict"], f"{name} signature")
            if r["triage"]["fixes"]:
                raise AssertionError(f"{name} dump lists fixes {r['triage']['fixes']}")

    def t_mixed_arch(self):
        """Each dump's arch comes from the dump; arm64 ones ran the ARM64
        crash + ovscrash-arm64.so (defaults in -j1, --crash/--ext in -j2)."""
        for what, res in (("-j1", self.r1), ("-j2", self.r2)):
            for name, arch in self.arch_of.items():
                r = res[self.id_of[name]]
                crash, ext, target = self.tool[arch]
                eq(r["arch"], arch, f"{what} {name}: result arch")
                eq(r["dump"]["arch"], arch, f"{what} {name}: dump arch")
                eq(r["triage"]["arch"], arch, f"{what} {name}: arch crash saw")
                c = r["crash"]
                eq(c["arch"], arch, f"{what} {name}: crash.arch")
                eq(os.path.realpath(c["binary"]), os.path.realpath(crash), f"{what} {name}: crash binary")
                eq(c["target"], target, f"{what} {name}: crash target")
                eq(os.path.realpath(c["extension"]), os.path.realpath(ext), f"{what} {name}: extension")
                eq(c["argv"][0], c["binary"], f"{what} {name}: argv[0]")
                eq(r["match"]["build_id"], self.bid[arch], f"{what} {name}: vmlinux build-id")
                with open(os.path.join(self.out1 if what == "-j1" else self.out2, c["log"])) as f:
                    log = f.read()
                if f"{c['extension']}: shared object loaded" not in log:
                    raise AssertionError(f"{what} {name}: crash log does not show the extension loaded")

    # ---------------------------------------------------------- symbol index cache
    def check_index_cache(self, root, bids):
        """ROOT holds exactly one complete indexed copy per build-id: the
        GNU build-id is the original's and a .gdb_index section is present;
        no temp directory of a build is left."""
        names = sorted(os.listdir(root))
        dirs = [n for n in names if not n.startswith(".")]
        eq(sorted(dirs), sorted(bids), f"{root}: indexed copies")
        left = [n for n in names if n.startswith(".tmp-")]
        if left:
            raise AssertionError(f"{root}: build temp dirs left: {left}")
        for b in bids:
            v = os.path.join(root, b, "vmlinux")
            eq(self.build_id(v), b, f"{v}: build-id")
            secs = subprocess.run(["readelf", "-S", "-W", v], capture_output=True, text=True).stdout
            if ".gdb_index" not in secs:
                raise AssertionError(f"{v} has no .gdb_index section")
            with open(os.path.join(root, b, "index.json")) as f:
                eq(json.load(f)["build_id"], b, f"{root}/{b}/index.json build-id")

    def check_indexed(self, res, root, what):
        """Every crash run of RES used ROOT/<build-id>/vmlinux; returns
        {build-id: [index states]}."""
        states = {}
        for i, (name, st) in self.expect.items():
            if st != "ok":
                continue
            r = res[i]
            c, m = r["crash"], r["match"]
            want = os.path.join(root, m["build_id"], "vmlinux")
            eq(c["indexed"], True, f"{what} {name}: crash.indexed ({c.get('index')})")
            eq(c["vmlinux"], want, f"{what} {name}: crash.vmlinux")
            eq(c["argv"][-2], want, f"{what} {name}: vmlinux in argv")
            eq(c["index"]["original"], m["vmlinux"], f"{what} {name}: index.original")
            states.setdefault(m["build_id"], []).append(c["index"]["state"])
        return states

    def t_index_used(self):
        """-j1 (empty cache) built one indexed copy per kernel and every
        crash run read it; -j2 found them cached."""
        s1 = self.check_indexed(self.r1, self.idx, "-j1")
        eq(sorted(s1), sorted(self.bid.values()), "-j1: build-ids indexed")
        for b, sts in s1.items():
            eq(sorted(sts), ["built", "cached"], f"-j1: index states of build-id {b[:12]}")
        for i, (name, st) in self.expect.items():
            if st == "ok":
                ix = self.r1[i]["crash"]["index"]
                if ix["state"] == "built" and not ix.get("build_seconds"):
                    raise AssertionError(f"{name}: built index without build_seconds: {ix}")
        # crash's own gdb (16.3 in crash 9.0.2) must read the index of the
        # copy the batch gave it, per arch -- not fall back to its DWARF scan
        cmd = os.path.join(self.w, "objfiles.cmd")
        with open(cmd, "w") as f:
            f.write("gdb maint print objfiles\nq\n")
        for arch, name in LOCKUPS.items():
            r = self.r1[self.id_of[name]]
            p = subprocess.run([r["crash"]["binary"], "-s", r["crash"]["vmlinux"],
                                os.path.join(self.stage_dir[name], "vmcore"), "-i", cmd],
                               stdin=subprocess.DEVNULL, capture_output=True, text=True,
                               errors="replace", timeout=300)
            head = p.stdout[:4000]
            if ".gdb_index: version" not in head or "Cooked index in use" in head:
                raise AssertionError(f"{arch}: crash's gdb does not use the .gdb_index of "
                                     f"{r['crash']['vmlinux']}: {head[:300]!r}")
        s2 = self.check_indexed(self.r2, self.idx, "-j2")
        for b, sts in s2.items():
            eq(set(sts), {"cached"}, f"-j2: index states of build-id {b[:12]}")
        self.check_index_cache(self.idx, list(self.bid.values()))

    @staticmethod
    def verdict_view(r):
        t = dict(r.get("triage") or {})
        for k in ("vmlinux", "dumpfile"):   # paths: the indexed copy / scratch
            t.pop(k, None)
        return {"status": r["status"], "signature": r.get("signature"),
                "verdict": r.get("verdict"), "pc_function": r.get("pc_function"), "triage": t}

    def t_index_same_verdicts(self):
        """--no-index reads the original vmlinux and gives the same triage."""
        d = os.path.join(self.w, "out-noindex")
        p, dt = self.run_batch(d, [self.archive], [self.sym_dbg], "-j", "2", "--no-index")
        self.timings["j2_noindex"] = dt
        r0 = self.check_results(d, "--no-index")
        if "symbol index: off" not in p.stderr:
            raise AssertionError("--no-index run does not log that the index is off")
        for i, (name, st) in self.expect.items():
            if st != "ok":
                continue
            c = r0[i]["crash"]
            eq(c["indexed"], False, f"--no-index {name}: crash.indexed")
            eq(c["vmlinux"], r0[i]["match"]["vmlinux"], f"--no-index {name}: crash.vmlinux")
            eq(c["index"]["state"], "disabled", f"--no-index {name}: index state")
            diff = first_diff(self.verdict_view(r0[i]), self.verdict_view(self.r2[i]))
            if diff:
                raise AssertionError(f"{name}: triage with and without index differ at {diff}")

    def t_index_concurrent_shards(self):
        """Two shards start at once on an empty cache and both need the
        same kernel's index: it is built once (flock), the other shard
        waits and reuses it, nothing is corrupted or left behind."""
        root = os.path.join(self.w, "symindex-race")
        oks = [i for i, (_n, st) in self.expect.items() if st == "ok"]
        pair = None
        for n in range(2, 9):
            for arch, b in self.bid.items():
                sh = {int(i[:16], 16) % n for i in oks if self.r1[i]["match"]["build_id"] == b}
                if len(sh) >= 2:
                    pair = (n, sorted(sh)[:2], b)
                    break
            if pair:
                break
        if not pair:
            raise AssertionError("no shard split puts dumps of one kernel into two shards")
        n, (i0, i1), bid = pair
        outs = [os.path.join(self.w, f"race-shard{i}") for i in (i0, i1)]
        errs = []

        def one(d, sh):
            try:
                self.run_batch(d, [self.archive], [self.sym_dbg], "-j", "2", "--shard", sh,
                               "--index-cache", root)
            except AssertionError as e:
                errs.append(f"shard {sh}: {e}")
        ts = [threading.Thread(target=one, args=(d, f"{i}/{n}")) for d, i in zip(outs, (i0, i1))]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        if errs:
            raise AssertionError("; ".join(errs))
        states = {}
        for d in outs:
            for i, r in results(d).items():
                if r["status"] != "ok":
                    continue
                c = r["crash"]
                eq(c["indexed"], True, f"shard result {i[:12]}: indexed ({c['index']})")
                eq(c["vmlinux"], os.path.join(root, r["match"]["build_id"], "vmlinux"),
                   f"shard result {i[:12]}: vmlinux")
                states.setdefault(r["match"]["build_id"], []).append(c["index"]["state"])
                first = first_diff(self.verdict_view(r), self.verdict_view(self.r1[i]))
                if first:
                    raise AssertionError(f"shard result {i[:12]} differs from -j1 at {first}")
        if len(states.get(bid, [])) < 2:
            raise AssertionError(f"build-id {bid[:12]} was needed by {states.get(bid)} runs, want 2+")
        for b, sts in states.items():
            eq(sts.count("built"), 1, f"build-id {b[:12]}: builds across both shards ({sts})")
        self.check_index_cache(root, sorted(states))

    def t_index_fallback(self):
        """An index cache that cannot be created: crash reads the original
        vmlinux, the result says why, and the triage is unchanged."""
        name = "healthy"
        i = self.id_of[name]
        blocker = os.path.join(self.w, "not-a-dir")
        with open(blocker, "w") as f:
            f.write("a file where the index cache would be\n")
        d = os.path.join(self.w, "out-index-fallback")
        self.run_batch(d, [self.stage_dir[name]], [self.sym_dbg],
                       "--index-cache", os.path.join(blocker, "symindex"))
        r = results(d)[i]
        eq(r["status"], "ok", f"fallback run status ({r.get('error')})")
        c = r["crash"]
        eq(c["indexed"], False, "fallback: crash.indexed")
        eq(c["vmlinux"], r["match"]["vmlinux"], "fallback: crash.vmlinux is the original")
        eq(c["index"]["state"], "failed", "fallback: index state")
        if "not-a-dir" not in (c["index"].get("reason") or ""):
            raise AssertionError(f"fallback reason does not name the cache: {c['index']}")
        diff = first_diff(self.verdict_view(r), self.verdict_view(self.r1[i]))
        if diff:
            raise AssertionError(f"fallback triage differs at {diff}")

    def t_bad_and_not(self):
        r = self.r1[self.id_of["truncated"]]
        if "truncated" not in (r["error"] or ""):
            raise AssertionError(f"truncated dump error: {r['error']!r}")
        if not self.r1[self.id_of["random.bin"]]["error"]:
            raise AssertionError("random.bin: no reason stated")
        # README.txt (in the nested notes.tar.gz) has no result: it is a skipped file
        with open(os.path.join(self.out1, "skipped.json")) as f:
            sk = [e["path"] for e in json.load(f)["files"]]
        hits = [p for p in sk if p.endswith(self.skipped_member)]
        eq(len(hits), 1, f"README.txt in skipped.json ({sk})")

    def t_report_groups(self):
        o = self.run_report([self.out1], "report-j1")
        rep = stable_report(o["json"])
        g = {x["key"]: x for x in rep["groups"]}
        lock = [x for x in rep["groups"] if x["signature"] == LOCKUP_SIG]
        eq(len(lock), 1, "lockup groups")
        eq(lock[0]["dumps"], sorted(self.id_of[n] for n in LOCKUPS.values()),
           "dumps in the lockup group (x86_64 and arm64)")
        eq(lock[0]["key"], LOCKUP_SIG, "lockup group key (the signature)")
        eq({f["commit"] for f in lock[0]["fixes"]}, LOCKUP_FIXES, "lockup group fixes")
        eq(lock[0]["arches"], {"arm64": 1, "x86_64": 1}, "lockup group arches")
        for n in HEALTHY.values():
            if self.id_of[n] in lock[0]["dumps"]:
                raise AssertionError(f"{n} in the lockup group")
        # the truncated dump is bad-dump: its header facts (arch too) are not trusted
        eq(rep["by_arch"], {"arm64": 2, "x86_64": 2}, "report dumps by arch")
        dumps = {d["id"]: d for d in rep["dumps"]}
        for n, arch in self.arch_of.items():
            eq(dumps[self.id_of[n]]["arch"], arch, f"report arch of {n}")
            eq(dumps[self.id_of[n]]["crash_target"], self.tool[arch][2], f"report crash target of {n}")
        first = o["stdout"].splitlines()[0]
        if "arm64 2" not in first or "x86_64 2" not in first:
            raise AssertionError(f"summary line lacks the arches: {first!r}")
        lockline = [l for l in o["stdout"].splitlines() if LOCKUP_SIG in l]
        if not lockline or "arm64 1, x86_64 1" not in lockline[0]:
            raise AssertionError(f"summary lockup line lacks the arches: {lockline}")
        with open(o["md"]) as f:
            mdt = f.read()
        if "| dump | status | signature | source | bucket | device | tenant | arch | release | path |" not in mdt:
            raise AssertionError("Markdown dumps table lacks the source/bucket/tenant/arch columns")
        for arch, n in LOCKUPS.items():
            # "<->" as Markdown shows it (docs/batch.md: < and > as entities)
            want = f"| victim {self.man[n]['victim']['name']} &lt;-&gt; "
            if not re.search(rf"^\| \[{self.id_of[n][:12]}\].*{re.escape(want)}", mdt, re.M):
                raise AssertionError(f"Markdown row of {n} lacks its tenant {want!r}")
        for n, arch in self.arch_of.items():
            md_arch = re.escape(arch.replace("_", "\\_"))  # Markdown escapes _
            if not re.search(rf"^\| \[{self.id_of[n][:12]}\].*\| {md_arch} \|", mdt, re.M):
                raise AssertionError(f"Markdown row of {n} lacks arch {arch}")
        with open(o["html"]) as f:
            ht = f.read()
        if "<th>arch</th>" not in ht or "<td>arm64</td>" not in ht or "<td>x86_64</td>" not in ht:
            raise AssertionError("HTML dumps table lacks the arch column / values")
        eq(rep["total"], len(self.expect), "report total")
        eq(g["status:bad-dump"]["count"], 1, "bad-dump count")
        eq(g["status:not-a-dump"]["count"], 1, "not-a-dump count (random.bin; README.txt is skipped)")
        eq([e["path"].endswith(self.skipped_member) for e in rep["skipped"]], [True],
           "report: skipped files (README.txt once)")
        self.report_j1 = rep
        self.report_stdout = o["stdout"]
        o2 = self.run_report([self.out2], "report-j2")
        same_report(stable_report(o2["json"]), rep, "reports of the -j2 and -j1 runs")

    def t_kill_resume(self):
        out = os.path.join(self.w, "out-kill")
        argv = [self.batch, "--out", out, "-j", "1", "--crash", f"x86_64={self.a.crash}",
                "--ext", f"x86_64={self.a.ext}", "--symbols", self.sym_dbg, self.archive]
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        t0 = time.time()
        first = None
        while time.time() - t0 < 300 and p.poll() is None:
            ok = [r for r in results(out).values() if r["status"] == "ok"] if os.path.isdir(out) else []
            if ok:
                first = ok[0]
                break
            time.sleep(0.1)
        if first is None:
            p.kill()
            raise AssertionError("no ok result appeared before the batch ended")
        if p.poll() is not None:
            raise AssertionError("batch finished before it could be killed")
        p.send_signal(signal.SIGKILL)
        p.wait()
        before = results(out)
        if len(before) >= len(self.expect):
            raise AssertionError("every result existed at kill time; kill came too late")
        time.sleep(1.0)
        # no crash left running on our scratch files (parent-death signal)
        ps = subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True).stdout
        orphans = [l for l in ps.splitlines() if out in l and "ps -eo" not in l]
        if orphans:
            raise AssertionError(f"processes survived the SIGKILL: {orphans}")
        mt = {i: os.stat(os.path.join(out, i + ".json")).st_mtime_ns for i in before}
        p2, _ = self.run_batch(out, [self.archive], [self.sym_dbg], "-j", "2")
        if f"{len(before)} already done" not in p2.stderr:
            raise AssertionError(f"rerun did not skip the {len(before)} done: {p2.stderr[-600:]}")
        got = self.check_results(out, "after resume")
        for i in before:
            eq(os.stat(os.path.join(out, i + ".json")).st_mtime_ns, mt[i], f"result {i[:12]} rewritten")
        names = os.listdir(out)
        leftovers = [n for n in names if ".tmp." in n]
        if leftovers:
            raise AssertionError(f"temp files left: {leftovers}")
        eq(len([n for n in names if re.fullmatch(r"[0-9a-f]{64}\.json", n)]), len(self.expect),
           "result files (duplicates?)")
        for i in self.expect:
            eq(got[i].get("signature"), self.r1[i].get("signature"), f"resumed signature {i[:12]}")
        # a third run does nothing
        p3, _ = self.run_batch(out, [self.archive], [self.sym_dbg], "-j", "2")
        if f"{len(self.expect)} already done" not in p3.stderr:
            raise AssertionError("third run redid work")

    def t_shards(self):
        s0, s1 = os.path.join(self.w, "shard0"), os.path.join(self.w, "shard1")
        # the two shards run at the same time, as on two hosts
        errs = []

        def one(d, sh):
            try:
                self.run_batch(d, [self.archive], [self.sym_dbg], "-j", "1", "--shard", sh)
            except AssertionError as e:
                errs.append(f"shard {sh}: {e}")
        ts = [threading.Thread(target=one, args=x) for x in ((s0, "0/2"), (s1, "1/2"))]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        if errs:
            raise AssertionError("; ".join(errs))
        a, b = set(results(s0)), set(results(s1))
        if a & b:
            raise AssertionError(f"shards overlap: {a & b}")
        eq(a | b, set(self.expect), "union of the shards")
        if not a or not b:
            raise AssertionError(f"a shard is empty ({len(a)}/{len(b)}): the split is not exercised")
        o = self.run_report([s0, s1], "report-shards")
        same_report(stable_report(o["json"]), self.report_j1, "merged shard report and full-run report")
        with open(o["json"]) as f:
            sh = json.load(f)["shards"]
        eq([(x["of"], x["done"], x["missing"], x["unfinished"], x["without_result"]) for x in sh],
           [(2, [0, 1], [], [], [])], "the merged report's shards (docs/cluster.md)")

    def t_unmatched_then_retry(self):
        ob = os.path.join(self.w, "out-other")
        p, _ = self.run_batch(ob, [self.other], [self.sym_b])
        r = results(ob)
        eq(list(r), [self.other_id], "results of the store-without-vmlinux run")
        x = r[self.other_id]
        eq(x["status"], "unmatched", "dump whose vmlinux is not in the store")
        if self.vmlinux_bid not in (x["error"] or ""):
            raise AssertionError(f"unmatched reason lacks the build-id: {x['error']!r}")
        eq(x["dump"]["format"], self.other_format, "re-containered dump format")
        p, _ = self.run_batch(ob, [self.other], [self.sym_c])
        if "1 already done" not in p.stderr:
            raise AssertionError("unmatched result was redone without --retry")
        self.run_batch(ob, [self.other], [self.sym_c], "--retry", "unmatched")
        x = results(ob)[self.other_id]
        eq(x["status"], "ok", f"after --retry with the .build-id store ({x.get('error')})")
        if ".build-id" not in x["match"]["how"]:
            raise AssertionError(f"not matched via .build-id: {x['match']['how']}")
        eq(x["signature"], self.r1[self.id_of["healthy"]]["signature"], "reassembled healthy signature")
        self.out_other = ob

    def t_report_formats(self):
        o = self.run_report([self.out1, self.out_other], "report")
        self.final = o
        rep = stable_report(o["json"])
        eq(rep["total"], len(self.expect) + 1, "merged report total")
        with open(o["csv"], newline="") as f:
            rows = list(csv.DictReader(f))
        eq(len(rows), rep["total"], "CSV rows")
        with open(o["md"]) as f:
            mdt = f.read()
        if "ovs-unregister-picktx-lockup" not in mdt or "crash\\> bt -E" not in mdt:
            raise AssertionError("Markdown lacks the lockup group or the evidence commands")
        with open(o["html"]) as f:
            ht = f.read()
        for needle in ("<svg", 'id="dumps"', "crash&gt; bt -E", "066b86787fa3", "47e55e4b410f"):
            if needle not in ht:
                raise AssertionError(f"HTML lacks {needle!r}")
        if re.search(r"(src|href)=\"(https?:)?//", ht):
            raise AssertionError("HTML references the network")

    def t_escaping(self):
        """A result whose device name and path carry markup, quotes, |,
        backticks and an ESC byte (synthetic result, not a dump edit)."""
        d = os.path.join(self.w, "evil")
        os.makedirs(d)
        with open(os.path.join(self.out1, self.id_of["lockup"] + ".json")) as f:
            r = json.load(f)
        evil = '<script>alert("x")</script>\x1b[31m|`tick`&\'q'
        r["id"] = "e" * 64
        r["input"]["path"] = "dumps/" + evil + "/vmcore"
        r["triage"]["spin"]["netdev"]["name"] = evil
        r["triage"]["tenant"] = {"line": "victim p2 <-> " + evil}
        r["triage"]["evidence"][0]["command"] = "bt -E | grep " + evil
        r["triage"]["evidence"][0]["text"] = "=cmd|' /C calc'!A0 " + evil
        r["panic_where"] = evil
        r["panic_kind"] = "=HYPERLINK(\"x\")" + evil
        with open(os.path.join(d, r["id"] + ".json"), "w") as f:
            json.dump(r, f)
        o = self.run_report([d], "report-escaping")
        for k in ("html", "md", "csv"):
            with open(o[k], encoding="utf-8") as f:
                t = f.read()
            if "\x1b" in t:
                raise AssertionError(f"{k}: raw ESC byte")
            if k != "csv" and "<script>alert" in t:
                raise AssertionError(f"{k}: unescaped <script>")
        with open(o["html"]) as f:
            ht = f.read()
        if "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;\\x1b[31m|`tick`&amp;&#x27;q" not in ht:
            raise AssertionError("HTML escaping of the device name not as expected")
        with open(o["md"]) as f:
            mdt = f.read()
        if "&lt;script&gt;alert\\(\"x\"\\)&lt;/script&gt;\\\\x1b\\[31m\\|\\`tick\\`&amp;'q" not in mdt:
            raise AssertionError("Markdown escaping of the device name not as expected")
        for line in mdt.splitlines():
            if line.startswith("| [eeeeeeeeeeee]"):
                cells = re.split(r"(?<!\\)\|", line)
                eq(len(cells), 12, "Markdown table cells in the evil row")
        brows = [l for l in mdt.split("## Buckets", 1)[1].split("## Dumps", 1)[0].splitlines()
                 if l.startswith("| 1 |")]
        eq(len(brows), 1, "Markdown bucket rows")
        eq(len(re.split(r"(?<!\\)\|", brows[0])), 11, "Markdown bucket table cells in the evil row")
        if 'class="bucket"' not in ht or "<td><code>&lt;script&gt;alert" not in ht:
            raise AssertionError("HTML bucket table lacks the escaped where")
        with open(o["csv"], newline="") as f:
            rows = list(csv.DictReader(f))
        eq(rows[0]["netdev"], '<script>alert("x")</script>\\x1b[31m|`tick`&\'q', "CSV round trip")
        eq(rows[0]["tenant"], 'victim p2 <-> <script>alert("x")</script>\\x1b[31m|`tick`&\'q',
           "CSV round trip of the tenant")
        eq(rows[0]["panic_kind"][:1], "'", "CSV formula cell prefixed")
        with open(o["csv"].replace(".csv", ".buckets.csv"), newline="") as f:
            brows = list(csv.DictReader(f))
        eq(len(brows), 1, "bucket CSV rows")
        eq(brows[0]["where"], '<script>alert("x")</script>\\x1b[31m|`tick`&\'q', "bucket CSV where")
        eq(brows[0]["panic_kind"][:2], "'=", "bucket CSV formula cell prefixed")
        with open(o["json"]) as f:
            eq(json.load(f)["dumps"][0]["netdev"], evil, "JSON keeps the exact name")

    def t_no_crash(self):
        """An arm64 dump whose crash is missing or built for the wrong
        target gets status no-crash with a reason naming the fix; after
        the fix, --retry no-crash triages it."""
        name = "arm64-healthy"
        i = self.id_of[name]
        src = self.stage_dir[name]
        empty = os.path.join(self.w, "empty-cache")
        os.makedirs(empty)
        cases = (("missing", ["--crash", f"arm64={os.path.join(self.w, 'no-such-crash')}"], None,
                  ("no-such-crash", "--crash arm64=")),
                 ("wrong-target", ["--crash", f"arm64={self.a.crash}"], None,
                  ("target X86_64", "ARM64", "--crash arm64=")),
                 ("none-built", [], {"OVSCRASH_CACHE": empty},
                  ("build-crash.sh ARM64", "--crash arm64=")))
        for what, extra, env, needles in cases:
            d = os.path.join(self.w, f"out-nocrash-{what}")
            self.run_batch(d, [src], [self.sym_dbg], *extra, env=env)
            r = results(d)
            eq(list(r), [i], f"{what}: results")
            eq(r[i]["status"], "no-crash", f"{what}: status ({r[i]['error']})")
            eq(r[i]["arch"], "arm64", f"{what}: arch")
            for n in needles:
                if n not in (r[i]["error"] or ""):
                    raise AssertionError(f"{what}: error lacks {n!r}: {r[i]['error']!r}")
        d = os.path.join(self.w, "out-nocrash-missing")
        p, _ = self.run_batch(d, [src], [self.sym_dbg], "--retry", "no-crash")
        x = results(d)[i]
        eq(x["status"], "ok", f"after --retry no-crash with the default arm64 crash ({x.get('error')})")
        eq(x["crash"]["target"], "ARM64", "retried dump's crash target")
        eq(x["signature"], self.r1[i]["signature"], "retried arm64 healthy signature")

    def t_chromium(self):
        html_path = os.path.abspath(self.final["html"])
        shot = os.path.join(self.a.out, "report.png")
        dom = chromium_render(html_path, shot, os.path.join(self.w, "chromium-profile"),
                              (1280, 2000))
        rows = len(re.findall(r'<tr class="row"', dom))
        eq(rows, len(self.expect) + 1, "table rows in the DOM")
        if "<svg" not in dom or dom.count('class="bar"') < 3:
            raise AssertionError("no <svg> chart with bars in the DOM")

    # ---------------------------------------------------------- scenarios, buckets, logs
    def scenario_dirs(self):
        """{(arch, scenario): set dir} of every scenario with a dump and a
        manifest in the two fixture sets, and in the other kernel lines'
        sets (--fixtures-extra), named scenario@version (race@5.10): a
        path crash alone would take for a ramdump spec (FILE@ADDR)."""
        found = {}
        sets = [(arch, fx, "") for arch, fx in self.fx.items()]
        for spec in self.a.fixtures_extra or []:
            arch, fx = spec.split(":", 1)
            sets.append((arch, fx, None))
        for arch, fx, suffix in sets:
            for mp in sorted(glob.glob(os.path.join(fx, "*", "manifest.json"))):
                d = os.path.dirname(mp)
                if suffix is None:
                    with open(mp) as f:
                        suffix = "@" + kernel_version(json.load(f))
                if os.path.isfile(os.path.join(d, "vmcore")):
                    found[(arch, os.path.basename(d) + suffix)] = d
        return found

    def missing_scenarios(self):
        """[(name, reason)] of the new scenarios a set lacks."""
        have = self.scenario_dirs()
        out = []
        for sc in NEW_SCENARIOS:
            for arch in ("x86_64", "arm64"):
                if arch == "arm64" and sc in AMD64_ONLY:
                    continue
                if (arch, sc) not in have:
                    out.append((f"scenario-{sc}-{arch}",
                                f"fixture set {self.fx[arch]} has no {sc}/ (not built yet)"))
        return out

    def t_scen_inputs(self):
        """One plain tar of every scenario's dump + vmcore-dmesg.txt of both
        sets, plus the log cases: truncated copies with their
        vmcore-dmesg.txt, a kdump-tools directory (flattened dump.<stamp> +
        dmesg.<stamp>) and a directory holding only dmesg.<stamp>."""
        self.scen = self.scenario_dirs()
        self.sman = {}
        for k, d in self.scen.items():
            with open(os.path.join(d, "manifest.json")) as f:
                self.sman[k] = json.load(f)
        self.sexp = {}   # identity -> (arch, scenario, how)
        stage = os.path.join(self.w, "scen-stage")
        os.makedirs(stage)
        tarp = os.path.join(self.w, "scenarios.tar")
        with tarfile.open(tarp, "w") as t:
            for (arch, sc), d in sorted(self.scen.items()):
                self.sexp[ident(os.path.join(d, "vmcore"))] = (arch, sc, "dump")
                for fn in ("vmcore", "vmcore-dmesg.txt"):
                    if os.path.isfile(os.path.join(d, fn)):
                        t.add(os.path.join(d, fn), arcname=f"scen/{arch}/{sc}/{fn}")
            # truncated copies (30%) beside their logs: the OVS lockup and one
            # other panic
            other = next((k for k in (("x86_64", "softlockup-other"), ("x86_64", "oops-null"),
                                      ("arm64", "softlockup-other"), ("x86_64", "healthy"))
                          if k in self.scen), None)
            self.truncated = [k for k in (("x86_64", "lockup"), other) if k and k in self.scen]
            for arch, sc in self.truncated:
                src = self.scen[(arch, sc)]
                d = os.path.join(stage, "damaged", f"{arch}-{sc}")
                os.makedirs(d)
                with open(os.path.join(src, "vmcore"), "rb") as f, \
                        open(os.path.join(d, "vmcore"), "wb") as o:
                    o.write(f.read(os.path.getsize(os.path.join(src, "vmcore")) * 30 // 100))
                shutil.copyfile(os.path.join(src, "vmcore-dmesg.txt"), os.path.join(d, "vmcore-dmesg.txt"))
                self.sexp[ident(os.path.join(d, "vmcore"))] = (arch, sc, "truncated")
            # Debian kdump-tools layout: flattened dump.<stamp> + dmesg.<stamp>
            self.kdump_of = next(k for k in (("x86_64", "softlockup-other"), ("x86_64", "healthy"),
                                             ("x86_64", "lockup")) if k in self.scen)
            src = self.scen[self.kdump_of]
            d = os.path.join(stage, "var", "crash", KDUMP_STAMP)
            os.makedirs(d)
            flatten(os.path.join(src, "vmcore"), os.path.join(d, f"dump.{KDUMP_STAMP}"))
            shutil.copyfile(os.path.join(src, "vmcore-dmesg.txt"), os.path.join(d, f"dmesg.{KDUMP_STAMP}"))
            self.sexp[ident(os.path.join(d, f"dump.{KDUMP_STAMP}"))] = self.kdump_of + ("kdump",)
            # a dump that never got written: only its dmesg.<stamp>
            self.logonly_of = next(k for k in (("x86_64", "oops-null"), ("arm64", "lockup"),
                                               ("x86_64", "lockup")) if k in self.scen)
            d = os.path.join(stage, "var", "crash", LOGONLY_STAMP)
            os.makedirs(d)
            shutil.copyfile(os.path.join(self.scen[self.logonly_of], "vmcore-dmesg.txt"),
                            os.path.join(d, f"dmesg.{LOGONLY_STAMP}"))
            self.sexp[ident(os.path.join(d, f"dmesg.{LOGONLY_STAMP}"))] = self.logonly_of + ("log-only",)
            t.add(stage, arcname="scen/extra")
        self.scen_tar = tarp
        # symbol store: each set's vmlinux, every distinct openvswitch.ko
        # debuginfo (the race scenario's module is rebuilt without the fixes)
        st = os.path.join(self.w, "sym-scen")
        boot = os.path.join(st, "usr/lib/debug/boot")
        os.makedirs(boot)
        seen = set()
        for (arch, sc), d in sorted(self.scen.items()):
            rel = self.sman[(arch, sc)]["kernel_release"]
            for fn, dest in (("vmlinux", os.path.join(boot, f"vmlinux-{rel}")),
                             ("openvswitch.ko.debug",
                              os.path.join(st, f"usr/lib/debug/lib/modules/{rel}/{sc}/openvswitch.ko"))):
                src = os.path.join(d, fn)
                if not os.path.exists(src) or os.path.realpath(src) in seen:
                    continue
                seen.add(os.path.realpath(src))
                if os.path.lexists(dest):
                    dest += f".{len(seen)}"
                os.makedirs(os.path.dirname(dest), exist_ok=True)
                os.symlink(os.path.realpath(src), dest)
        self.sym_scen = st

    def t_scen_batch(self):
        tool = os.path.join(self.a.top, "tools", "ovscrash-log")
        if not os.access(tool, os.X_OK):
            raise AssertionError(f"{tool} is not built (make tools/ovscrash-log)")
        self.out_scen = os.path.join(self.w, "out-scen")
        p, dt = self.run_batch(self.out_scen, [self.scen_tar], [self.sym_scen], "-j", "2",
                               "--ovscrash-log", tool,
                               "--crash", f"arm64={self.a.crash_arm64}", "--ext", f"arm64={self.a.ext_arm64}")
        self.timings["scenarios_j2"] = dt
        self.rs = results(self.out_scen)
        extra = sorted(r["input"]["path"] for i, r in self.rs.items() if i not in self.sexp)
        if extra:   # e.g. a dmesg.<stamp> reported as a file of its own
            raise AssertionError(f"unexpected results: {extra}")
        missing = [v for i, v in self.sexp.items() if i not in self.rs]
        if missing:
            raise AssertionError(f"no result for {missing}")
        o = self.run_report([self.out_scen], "report-scenarios")
        self.scen_report = o
        with open(o["json"]) as f:
            self.srep = json.load(f)
        self.sgroup = {d["id"]: d["group"] for d in self.srep["dumps"]}

    def t_scen_verdicts(self):
        """Every scenario dump: triaged from the vmcore, with the verdict,
        panic kind and panic function its manifest expects."""
        for i, (arch, sc, how) in self.sexp.items():
            if how != "dump":
                continue
            r, e = self.rs[i], self.sman[(arch, sc)]["expected"]
            what = f"{arch} {sc}"
            eq(r["status"], "ok", f"{what}: status ({r.get('error')})")
            eq(r["verdict_source"], "vmcore", f"{what}: verdict source")
            eq(r["verdict"], e["verdict_kind"], f"{what}: verdict")
            eq(r["arch"], arch, f"{what}: arch")
            if e.get("panic_kind"):
                eq(r["panic_kind"], e["panic_kind"], f"{what}: panic kind")
            if e.get("function"):
                m = WHERE_RE.match(r["panic_where"] or "")
                if not m:
                    raise AssertionError(f"{what}: panic_where {r['panic_where']!r} is not func+off [mod]")
                eq(m.group(1), e["function"], f"{what}: panic function")
                eq(m.group(2), e.get("module"), f"{what}: panic module")
            if e["verdict_kind"] == "NOT_THIS_BUG" and not re.fullmatch(r"[0-9a-f]{16}", r["bucket"] or ""):
                raise AssertionError(f"{what}: no 16-hex-digit bucket: {r['bucket']!r}")

    def t_scen_buckets(self):
        """Dumps share a group exactly when their manifests say the same
        panic (within an arch; different panics never share one across
        arches); the bucket table counts, one example each, in every format."""
        cls_group = {}   # (arch, class) -> group
        for i, (arch, sc, how) in self.sexp.items():
            if how != "dump":
                continue
            c, g = (arch, scen_class(self.sman[(arch, sc)])), self.sgroup[i]
            if cls_group.setdefault(c, g) != g:
                raise AssertionError(f"{arch} {sc} ({c}) is in group {g}, another dump of the same "
                                     f"kind of panic in {cls_group[c]}")
        inv = {}
        for (arch, c), g in cls_group.items():
            if g in inv and inv[g] != c:
                raise AssertionError(f"different panics {inv[g]} and {c} share group {g}")
            inv[g] = c
        # expected count per group: every staged entry of that arch and class
        want = {}
        for i, (arch, sc, how) in self.sexp.items():
            g = cls_group[(arch, scen_class(self.sman[(arch, sc)]))]
            want[g] = want.get(g, 0) + 1
        rows = {b["key"]: b for b in self.srep["buckets"]}
        eq({k: b["count"] for k, b in rows.items()}, want, "bucket table counts (JSON)")
        groups = {g["key"]: g for g in self.srep["groups"]}
        for k, b in rows.items():
            if not isinstance(b["example"], str) or b["example"] not in groups[k]["dumps"]:
                raise AssertionError(f"{k}: example {b['example']!r} is not one of its dumps")
            if k.startswith("bucket:"):
                eq(b["bucket"], k[len("bucket:"):], f"{k}: bucket id")
                eq(b["verdict"], "NOT_THIS_BUG", f"{k}: verdict")
        with open(self.scen_report["csv"].replace(".csv", ".buckets.csv"), newline="") as f:
            crows = list(csv.DictReader(f))
        eq({r["key"]: int(r["count"]) for r in crows}, want, "bucket table counts (CSV)")
        eq(sorted(r["example"] for r in crows), sorted(b["example"] for b in rows.values()),
           "bucket CSV examples")
        with open(self.scen_report["md"]) as f:
            mdt = f.read()
        sect = mdt.split("## Buckets", 1)[1].split("## Dumps", 1)[0]
        mrows = [l for l in sect.splitlines() if re.match(r"^\| \d+ \|", l)]
        eq(sorted(int(l.split("|")[1]) for l in mrows), sorted(want.values()), "bucket table counts (Markdown)")
        for b in rows.values():
            if not any(f"[{b['example'][:12]}](#d-{b['example'][:12]})" in l for l in mrows):
                raise AssertionError(f"Markdown bucket table lacks the example of {b['key']}")
        with open(self.scen_report["html"]) as f:
            ht = f.read()
        hrows = re.findall(r'<tr class="bucket"><td>(\d+)</td>', ht)
        eq(sorted(int(x) for x in hrows), sorted(want.values()), "bucket table counts (HTML)")

    def t_scen_arches(self):
        """The same scenario on x86_64 and arm64 lands in the same group
        (for a panic that is not a netdev_pick_tx spin: the same bucket)."""
        both = sorted(sc for a, sc in self.scen if a == "x86_64" and ("arm64", sc) in self.scen)
        bad = []
        for sc in both:
            ia = ident(os.path.join(self.scen[("x86_64", sc)], "vmcore"))
            ib = ident(os.path.join(self.scen[("arm64", sc)], "vmcore"))
            if self.sgroup[ia] != self.sgroup[ib]:
                bad.append(f"{sc}: x86_64 {self.sgroup[ia]} ({self.rs[ia]['bucket_functions']}) vs "
                           f"arm64 {self.sgroup[ib]} ({self.rs[ib]['bucket_functions']})")
        if bad:
            raise AssertionError("; ".join(bad))
        if not both:
            raise AssertionError("no scenario is in both fixture sets")

    def t_log_fallback(self):
        """Truncated dumps take the verdict of the vmcore-dmesg.txt beside
        them; a kdump-tools directory attaches dmesg.<stamp> to its dump; a
        lone dmesg.<stamp> is triaged from the log."""
        for i, (arch, sc, how) in self.sexp.items():
            r, e = self.rs[i], self.sman[(arch, sc)]["expected"]
            intact = ident(os.path.join(self.scen[(arch, sc)], "vmcore"))
            what = f"{how} {arch} {sc}"
            if how == "truncated":
                eq(r["status"], "bad-dump", f"{what}: status")
                if "truncated" not in (r["error"] or ""):
                    raise AssertionError(f"{what}: error does not say truncated: {r['error']!r}")
                eq(r["verdict_source"], "log", f"{what}: verdict source ({r.get('log_run')})")
                eq(r["verdict"], e["verdict_kind"], f"{what}: verdict from the log")
                if not (r["log_run"]["used"] or "").endswith("/vmcore-dmesg.txt"):
                    raise AssertionError(f"{what}: log used {r['log_run']['used']!r}")
                # the damaged header still names the build: its vmlinux went to ovscrash-log
                eq(os.path.realpath(r["log_run"]["vmlinux"] or "-"),
                   os.path.realpath(os.path.join(self.scen[(arch, sc)], "vmlinux")), f"{what}: --vmlinux")
                eq(self.sgroup[i], self.sgroup[intact], f"{what}: group vs the intact dump's")
            elif how == "kdump":
                eq(r["status"], "ok", f"{what}: status ({r.get('error')})")
                eq(r["dump"]["format"], "flattened", f"{what}: format")
                eq(r["verdict_source"], "vmcore", f"{what}: verdict source")
                sides = [(sd["kind"], sd["path"].rsplit("/", 2)[-2:]) for sd in r["side_files"]]
                eq(sides, [("kdump-dmesg", [KDUMP_STAMP, f"dmesg.{KDUMP_STAMP}"])], f"{what}: side files")
                eq(self.sgroup[i], self.sgroup[intact], f"{what}: group vs the intact dump's")
            elif how == "log-only":
                eq(r["status"], "log-only", f"{what}: status")
                if not r["input"]["path"].endswith(f"/{LOGONLY_STAMP}/dmesg.{LOGONLY_STAMP}"):
                    raise AssertionError(f"{what}: input {r['input']['path']!r}")
                eq(r["verdict_source"], "log", f"{what}: verdict source ({r.get('log_run')})")
                eq(r["verdict"], e["verdict_kind"], f"{what}: verdict from the log")
                eq(self.sgroup[i], self.sgroup[intact], f"{what}: group vs the intact dump's")
        dumps = {d["id"]: d for d in self.srep["dumps"]}
        for i, (arch, sc, how) in self.sexp.items():
            eq(dumps[i]["verdict_source"], "vmcore" if how in ("dump", "kdump") else "log",
               f"report verdict source of {how} {arch} {sc}")
        with open(self.scen_report["md"]) as f:
            if not re.search(r"^\| \[[0-9a-f]{12}\]\(#d-[0-9a-f]{12}\) \| bad-dump \| [^|]+ \| log \|",
                             f.read(), re.M):
                raise AssertionError("Markdown dumps table does not show the log source of a bad dump")

    # ---------------------------------------------------------- hostile headers
    def t_hostile_elf_offsets(self):
        """ELF cores whose e_phoff, or whose PT_NOTE's p_offset, is 2^63
        (beyond any file): each is a bad-dump naming the file and the
        offset, the batch ends normally (it used to die in seek()).  One
        is named with a byte that is not UTF-8: the report shows it as
        \\xff in every format and leaves no .tmp file (it used to fail)."""
        d = os.path.join(self.w, "hostile-elf")
        os.makedirs(d)
        want = {}
        for name, phoff, note in ((os.fsdecode(b"vmcore-\xff-phoff"), 1 << 63, 120),
                                  ("vmcore-note", 64, 1 << 63)):
            h = bytearray(64)
            h[0:7] = b"\x7fELF\x02\x01\x01"
            struct.pack_into("<HHI", h, 16, 4, 62, 1)	# ET_CORE, EM_X86_64
            struct.pack_into("<Q", h, 32, phoff)
            struct.pack_into("<HHHHHH", h, 52, 64, 56, 1, 0, 0, 0)
            ph = struct.pack("<IIQQQQQQ", 4, 0, note, 0, 0, 16, 16, 0)	# PT_NOTE
            path = os.path.join(d, name)
            with open(path, "wb") as f:
                f.write(bytes(h) + ph + bytes(64))
            want[ident(path)] = path
        out = os.path.join(self.w, "out-hostile-elf")
        self.run_batch(out, [d], [])
        rs = results(out)
        eq(sorted(rs), sorted(want), "one result per crafted core")
        for i, path in want.items():
            eq(rs[i]["status"], "bad-dump", f"{os.path.basename(path)}: status")
            err = rs[i]["error"] or ""
            if path not in err or "0x8000000000000000" not in err or "beyond" not in err:
                raise AssertionError(f"{os.path.basename(path)}: reason {err!r}")
        o = self.run_report([out], "report-hostile-elf")
        for k in ("md", "html", "csv"):
            with open(o[k], encoding="utf-8") as f:
                if "vmcore-\\xff-phoff" not in f.read():
                    raise AssertionError(f"{k} report does not show the non-UTF-8 name as \\xff")
        left = [x for x in os.listdir(self.a.out) if ".tmp." in x]
        eq(left, [], "report temp files left")

    def t_at_comma_paths(self):
        """Real crash, with '@' ',' and a blank in every path it reads: the
        x86_64 lockup dump as a member "d@x/vmcore" of "lock@up,1.tar", the
        output (hence scratch and the reassembly cache) in "out@a,b c",
        the symbol store as "sym@x,y" with --no-index (crash gets the
        store's own vmlinux path) and the extension in "ext@x y/".  crash
        reads FILE@ADDR as a ramdump and splits `extend` at blanks: the
        batch must hand it links.  Expected: the manifest's verdict."""
        name = LOCKUPS["x86_64"]
        d = os.path.join(self.w, "at@comma,in put")
        os.makedirs(d)
        arc = os.path.join(d, "lock@up,1.tar")
        with tarfile.open(arc, "w") as t:
            t.add(os.path.join(self.stage_dir[name], "vmcore"), arcname="d@x/vmcore")
        sym = os.path.join(self.w, "sym@x,y")
        os.symlink(self.sym_dbg, sym)
        extd = os.path.join(self.w, "ext@x y")
        os.makedirs(extd)
        ext = os.path.join(extd, "ovscrash.so")
        os.symlink(self.a.ext, ext)
        out = os.path.join(self.w, "out@a,b c")

        def links():
            return {x for x in os.listdir(tempfile.gettempdir()) if x.startswith("ovscrash-links-")}
        before = links()
        self.run_batch(out, [arc], [sym], "--no-index", "--ext", f"x86_64={ext}")
        eq(sorted(links() - before), [], "link directories left in the temp directory")
        rs = list(results(out).values())
        eq(len(rs), 1, "one result")
        r = rs[0]
        eq(r["status"], "ok", f"status ({r.get('error')})")
        eq(r["signature"], self.man[name]["expected"]["verdict"], "signature")
        eq(r["crash"]["argv"][-2].startswith(sym + "/"), True, "crash.argv names the store's vmlinux")
        eq(r["crash"]["extension"], ext, "crash.extension")

    # ---------------------------------------------------------- kdump-tools tree
    def t_kdt_inputs(self):
        """A /var/crash tree as Debian's kdump-tools writes it, made by
        tests/e2e/mkkdumptree.py from the x86_64 set with the real
        makedumpfile (-F -c -d 31, --dump-dmesg) and compressors."""
        self.kdt = os.path.join(self.w, "kdump-tools")
        p = subprocess.run([os.path.join(self.a.top, "tests", "e2e", "mkkdumptree.py"),
                            "--fixtures", self.fx["x86_64"], "--out", self.kdt],
                           capture_output=True, text=True)
        if p.returncode:
            raise AssertionError(f"mkkdumptree.py exit {p.returncode}: {p.stderr[-800:]}")
        with open(os.path.join(self.kdt, "manifest.json")) as f:
            self.kdt_man = json.load(f)
        self.kdt_exp = {ident(os.path.join(self.kdt, e["path"])): e for e in self.kdt_man["entries"]}
        eq(len(self.kdt_exp), len(self.kdt_man["entries"]), "kdump-tools tree: distinct dumps")
        comps = sorted(e["compression"] or "-" for e in self.kdt_man["entries"] if e["kind"] == "dump")
        eq(comps, ["-", "bz2", "gz", "lz4", "xz"], "kdump-tools tree: dump.<stamp> variants")
        self.kdt_cache = os.path.join(self.w, "kdt-reassembled")

    def kdt_run(self, out):
        tool = os.path.join(self.a.top, "tools", "ovscrash-log")
        p, dt = self.run_batch(out, [self.kdt], [self.sym_scen], "-j", "2", "--ovscrash-log", tool,
                               "--reassembly-cache", self.kdt_cache)
        return p, dt, results(out)

    def t_kdt_batch(self):
        """Every dump.<stamp> (plain and compressed) and vmcore.<stamp> is
        triaged with its scenario's expected verdict and its dmesg.<stamp>
        attached; dump-incomplete is `incomplete` and not opened; kexec_cmd,
        kdump_lock and manifest.json are skipped files, once, with no result."""
        self.kdt_out = os.path.join(self.w, "out-kdt")
        p, dt, rs = self.kdt_run(self.kdt_out)
        self.timings["kdump_tools_first"] = dt
        self.kdt_rs = rs
        eq(sorted(rs), sorted(self.kdt_exp), "kdump-tools tree: one result per dump file, none for "
           f"a dmesg.<stamp> or a skipped file ({sorted(r['input']['path'] for r in rs.values())})")
        for i, e in self.kdt_exp.items():
            r, x = rs[i], e["expected"]
            what = f"kdump-tools {e['path']} ({e['scenario']})"
            sides = [(sd["kind"], os.path.basename(sd["path"])) for sd in r["side_files"]]
            eq(sides, [("kdump-dmesg", f"dmesg.{e['stamp']}")], f"{what}: side files")
            if e["expect_status"] == "incomplete":
                eq(r["status"], "incomplete", f"{what}: status")
                if "dump-incomplete" not in (r["error"] or "") or "not opened" not in r["error"]:
                    raise AssertionError(f"{what}: reason {r['error']!r}")
                eq(r["crash"], None, f"{what}: crash ran")
                eq(r["dump"], None, f"{what}: header read")
                continue
            eq(r["status"], "ok", f"{what}: status ({r.get('error')})")
            eq(r["verdict_source"], "vmcore", f"{what}: verdict source")
            eq(r["verdict"], x["verdict_kind"], f"{what}: verdict")
            if x.get("panic_kind"):
                eq(r["panic_kind"], x["panic_kind"], f"{what}: panic kind")
            if x.get("function"):
                m = WHERE_RE.match(r["panic_where"] or "")
                eq(m and m.group(1), x["function"], f"{what}: panic function")
            eq(r["dump"]["format"], "flattened" if e["kind"] == "dump" else "kdump-compressed",
               f"{what}: format")
            eq(r["dump"].get("compression"), e["compression"], f"{what}: compression")
            ra = r["crash"]["reassembly"]
            if e["kind"] == "dump":
                eq(ra["state"], "built", f"{what}: reassembly state ({ra})")
                eq(ra["path"], os.path.join(self.kdt_cache, i, "vmcore"), f"{what}: reassembled copy")
            else:
                eq(ra, None, f"{what}: reassembly of a kdump-compressed dump")
        with open(os.path.join(self.kdt_out, "skipped.json")) as f:
            sk = [x["path"] for x in json.load(f)["files"]]
        eq(sorted(sk), sorted(os.path.join(self.kdt, x) for x in self.kdt_man["not_dumps"]),
           "kdump-tools tree: skipped files")
        if f"{len(sk)} skipped files" not in p.stderr.splitlines()[-1]:
            raise AssertionError(f"run summary lacks the skipped files: {p.stderr.splitlines()[-1]!r}")
        o = self.run_report([self.kdt_out], "report-kdump-tools")
        with open(o["json"]) as f:
            rep = json.load(f)
        eq(rep["total"], len(self.kdt_exp), "kdump-tools report total")
        eq(sorted(x["path"] for x in rep["skipped"]), sorted(sk), "kdump-tools report: skipped files")
        if "not-a-dump" in rep["by_status"]:
            raise AssertionError(f"kdump-tools report counts not-a-dump: {rep['by_status']}")
        with open(o["csv"].replace(".csv", ".skipped.csv"), newline="") as f:
            eq(sorted(r["path"] for r in csv.DictReader(f)), sorted(sk), "skipped CSV")
        with open(o["md"]) as f:
            mdt = f.read().split("## Skipped files", 1)[1].split("## Details", 1)[0]
        with open(o["html"]) as f:
            ht = f.read()
        for x in sk:
            eq(mdt.count("| " + x.replace("_", "\\_") + " |"), 1, f"Markdown skipped row of {x}")
            eq(len(re.findall(r'<tr class="skipped"><td><code>' + re.escape(x) + "</code>", ht)), 1,
               f"HTML skipped row of {x}")

    def t_kdt_rerun(self):
        """A second command on the same tree (fresh results dir, same
        reassembly cache) reassembles nothing: every flattened dump is a
        cache hit, the cached files are not rewritten, the verdicts agree."""
        flat = [i for i, e in self.kdt_exp.items() if e["kind"] == "dump"]
        st = {i: os.stat(os.path.join(self.kdt_cache, i, "vmcore")) for i in flat}
        p, dt, rs = self.kdt_run(os.path.join(self.w, "out-kdt-2"))
        self.timings["kdump_tools_rerun"] = dt
        for i in flat:
            ra = rs[i]["crash"]["reassembly"]
            eq(ra["state"], "cached", f"rerun {self.kdt_exp[i]['path']}: reassembly state")
            s2 = os.stat(os.path.join(self.kdt_cache, i, "vmcore"))
            eq((s2.st_ino, s2.st_mtime_ns), (st[i].st_ino, st[i].st_mtime_ns),
               f"rerun {self.kdt_exp[i]['path']}: cached reassembly rewritten")
            eq(rs[i]["verdict"], self.kdt_rs[i]["verdict"], f"rerun {self.kdt_exp[i]['path']}: verdict")
        if f"reassembly: cached {len(flat)} " not in p.stderr.splitlines()[-1]:
            raise AssertionError(f"run summary: {p.stderr.splitlines()[-1]!r}")
        eq(sorted(os.listdir(self.kdt_cache)), sorted(flat), "reassembly cache entries")

    def t_debuginfod(self):
        """No symbol store at all: the batch fetches the x86_64 lockup's
        vmlinux by the dump's build-id from a real debuginfod server, and
        crash's extension fetches openvswitch's debuginfo from it too (the
        batch passes DEBUGINFOD_URLS on).  Then the same with the server
        down: unmatched with the client's reason, in bounded time.  The
        server indexes the extracted files (-F): a .deb of the 590 MB
        vmlinux would be written, scanned and unpacked again for nothing."""
        fx, name = self.fx["x86_64"], LOCKUPS["x86_64"]
        man = self.man[name]
        vbid = self.bid["x86_64"]
        ko = os.path.join(fx, "lockup", "openvswitch.ko.debug")
        kbid = self.build_id(ko)
        eq(kbid, man["openvswitch_build_id"], "fixture module build-id (readelf)")
        serve = os.path.join(self.w, "dfd-files")
        dumps = os.path.join(self.w, "dfd-dumps", "lockup")
        os.makedirs(serve)
        os.makedirs(dumps)
        for src, dst in ((os.path.join(fx, "lockup", "vmlinux"), os.path.join(serve, "vmlinux")),
                         (ko, os.path.join(serve, "openvswitch.ko")),
                         (os.path.join(fx, "lockup", "vmcore"), os.path.join(dumps, "vmcore"))):
            try:
                os.link(os.path.realpath(src), dst)
            except OSError:
                shutil.copyfile(os.path.realpath(src), dst)
        cache = os.path.join(self.w, "dfd-cache")
        with dfserver.Debuginfod(os.path.join(self.w, "dfd"), dirs=[serve],
                                 ready=[vbid, kbid]) as srv:
            self.timings["debuginfod index"] = round(srv.index_seconds, 1)
            out = os.path.join(self.w, "out-dfd")
            p, dt = self.run_batch(out, [os.path.dirname(dumps)], [], "-j", "1", "--no-index",
                                   env={"DEBUGINFOD_URLS": srv.url, "DEBUGINFOD_CACHE_PATH": cache})
            self.timings["batch with debuginfod"] = round(dt, 1)
        res = list(results(out).values())
        eq(len(res), 1, "results")
        r = res[0]
        eq(r["status"], "ok", f"status ({r.get('error')})")
        eq(r["match"]["build_id"], vbid, "matched vmlinux build-id")
        if not r["match"]["how"].startswith(f"build-id {vbid} (debuginfod {srv.url}"):
            raise AssertionError(f"matched by {r['match']['how']!r}")
        if not r["match"]["vmlinux"].startswith(cache + "/"):
            raise AssertionError(f"vmlinux not from the debuginfod cache: {r['match']['vmlinux']}")
        eq(self.build_id(r["match"]["vmlinux"]), vbid, "build-id of the fetched vmlinux (readelf)")
        eq(r["signature"], man["expected"]["verdict"], "signature")
        t = r["triage"]
        if not t.get("vport") or t.get("ovs_status"):
            raise AssertionError(f"no OVS walk: openvswitch debuginfo not fetched ({t.get('ovs_status')!r})")
        # server down: no symbol store, nothing to fetch from
        url = f"http://127.0.0.1:{dfserver.free_port()}"
        out = os.path.join(self.w, "out-dfd-down")
        p, dt = self.run_batch(out, [os.path.dirname(dumps)], [], "-j", "1", "--no-index",
                               env={"DEBUGINFOD_URLS": url,
                                    "DEBUGINFOD_CACHE_PATH": cache + "-down"})
        self.timings["batch, debuginfod down"] = round(dt, 1)
        r = list(results(out).values())[0]
        eq(r["status"], "unmatched", "status with the server down")
        if f"debuginfod: {url}: " not in (r["error"] or "") or "not found" in r["error"]:
            raise AssertionError(f"reason: {r['error']!r}")
        if dt > 120:
            raise AssertionError(f"batch took {dt:.0f}s with the server down")

    def t_kdt_damaged(self):
        """A kdump-tools dump.<stamp>.gz cut short is bad-dump with the
        decompressor's reason; a dump.<stamp>.xz over --max-decompressed is
        too-large with the limit named; neither leaves a cache entry, a temp
        dir or a process behind."""
        by = {e["compression"]: e for e in self.kdt_man["entries"] if e["kind"] == "dump"}
        d = os.path.join(self.w, "kdt-damaged")
        for comp in ("gz", "xz"):
            e = by[comp]
            os.makedirs(os.path.join(d, e["stamp"]))
            src = os.path.join(self.kdt, e["path"])
            with open(src, "rb") as f, open(os.path.join(d, e["stamp"], os.path.basename(src)), "wb") as o:
                o.write(f.read(os.path.getsize(src) * (15 if comp == "gz" else 100) // 100))
        cache = os.path.join(self.w, "kdt-damaged-cache")
        out = os.path.join(self.w, "out-kdt-damaged")
        self.run_batch(out, [d], [self.sym_scen], "--reassembly-cache", cache,
                       "--max-decompressed", "4M")
        rs = {r["input"]["name"]: r for r in results(out).values()}
        g = rs[os.path.basename(by["gz"]["path"])]
        eq(g["status"], "bad-dump", f"truncated gz: status ({g['error']})")
        if "gz stream unreadable" not in (g["error"] or "") or "\n" in g["error"]:
            raise AssertionError(f"truncated gz: reason {g['error']!r}")
        x = rs[os.path.basename(by["xz"]["path"])]
        eq(x["status"], "too-large", f"xz over the cap: status ({x['error']})")
        if "--max-decompressed 4194304" not in (x["error"] or "") or "\n" in x["error"]:
            raise AssertionError(f"xz over the cap: reason {x['error']!r}")
        eq(os.listdir(cache) if os.path.isdir(cache) else [], [], "reassembly cache after failures")
        ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
        left = [l for l in ps.splitlines() if cache in l]
        if left:
            raise AssertionError(f"processes left: {left}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--top", required=True)
    ap.add_argument("--crash", required=True)
    ap.add_argument("--ext", required=True)
    ap.add_argument("--fixtures", required=True)
    ap.add_argument("--crash-arm64", required=True)
    ap.add_argument("--ext-arm64", required=True)
    ap.add_argument("--fixtures-arm64", required=True)
    ap.add_argument("--fixtures-extra", action="append",
                    help="ARCH:SET_DIR of another kernel line (repeatable)")
    ap.add_argument("--work", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    # hermetic: a user's DEBUGINFOD_URLS (Debian's profile.d sets one)
    # would send every unmatched dump to that server
    os.environ.pop("DEBUGINFOD_URLS", None)
    os.makedirs(a.out, exist_ok=True)
    open(os.path.join(a.out, "batch-runs.log"), "w").close()
    e = E2E(a)
    s = Suite()
    s.check("build-inputs", e.t_inputs)
    if s.failed:
        return s.summary("e2e")
    for name, fn in (("batch-1-worker", e.t_batch_j1), ("batch-2-workers", e.t_batch_j2)):
        s.check(name, fn)
    if hasattr(e, "r1"):
        for name, fn in (("lockup-signature-and-fixes", e.t_lockup),
                         ("healthy-not-lockup", e.t_healthy),
                         ("mixed-arch-tools", e.t_mixed_arch),
                         ("index-cache-used", e.t_index_used),
                         ("index-same-verdicts", e.t_index_same_verdicts),
                         ("index-concurrent-shards", e.t_index_concurrent_shards),
                         ("index-fallback", e.t_index_fallback),
                         ("bad-dump-and-not-a-dump-reasons", e.t_bad_and_not),
                         ("hostile-elf-offsets", e.t_hostile_elf_offsets),
                         ("at-comma-blank-paths", e.t_at_comma_paths),
                         ("report-groups", e.t_report_groups),
                         ("kill-and-resume", e.t_kill_resume),
                         ("shards-merge", e.t_shards),
                         ("unmatched-then-retry", e.t_unmatched_then_retry),
                         ("arch-without-crash", e.t_no_crash),
                         ("report-formats", e.t_report_formats),
                         ("report-escaping", e.t_escaping),
                         ("html-in-chromium", e.t_chromium),
                         ("scenario-archive", e.t_scen_inputs),
                         ("scenario-batch", e.t_scen_batch),
                         ("scenario-verdicts", e.t_scen_verdicts),
                         ("scenario-buckets", e.t_scen_buckets),
                         ("scenario-same-group-across-arches", e.t_scen_arches),
                         ("log-fallback", e.t_log_fallback),
                         ("kdump-tools-tree", e.t_kdt_inputs),
                         ("kdump-tools-batch", e.t_kdt_batch),
                         ("kdump-tools-rerun-cache", e.t_kdt_rerun),
                         ("kdump-tools-damaged-and-cap", e.t_kdt_damaged)):
            if name == "shards-merge" and not hasattr(e, "report_j1"):
                continue
            if name in ("html-in-chromium",) and not hasattr(e, "final"):
                continue
            if name.startswith("scenario-") and name != "scenario-archive" and not hasattr(e, "sexp"):
                continue
            if name in ("scenario-verdicts", "scenario-buckets", "scenario-same-group-across-arches",
                        "log-fallback") and not hasattr(e, "srep"):
                continue
            if name == "kdump-tools-batch" and not (hasattr(e, "kdt_exp") and hasattr(e, "sym_scen")):
                continue
            if name == "kdump-tools-rerun-cache" and not hasattr(e, "kdt_rs"):
                continue
            if name == "kdump-tools-damaged-and-cap" and not (hasattr(e, "kdt_man") and hasattr(e, "sym_scen")):
                continue
            if name == "scenario-archive":
                for sk, why in e.missing_scenarios():
                    s.skip(sk, why)
            s.check(name, fn)
    if hasattr(e, "bid"):
        s.check("debuginfod-vmlinux-and-module", e.t_debuginfod)
    t = e.timings
    if t:
        print(f"timing: batch wall time -j1 {t.get('j1', 0):.1f}s, -j2 {t.get('j2', 0):.1f}s "
              f"({len(e.expect)} inputs, 4 crash runs: 2 x86_64 + 2 arm64)")
        with open(os.path.join(a.out, "timings.json"), "w") as f:
            json.dump(t, f)
    if getattr(e, "report_stdout", None):
        print("report summary:\n" + e.report_stdout.rstrip())
    return s.summary("e2e")


if __name__ == "__main__":
    sys.exit(main())

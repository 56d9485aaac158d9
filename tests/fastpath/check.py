#!/usr/bin/env python3
"""Checks of ovscrash-batch's fast path (docs/batch.md, "Fast path").

Expectations come from crash (a --full batch over the same dumps: every
verdict the fast path gives must be crash's), from the fixture
manifests (which dumps are of a definite non-lockup panic kind), and
from what each case crafted (which side file is hostile, and how).
Prints PASS/FAIL lines and "fastpath: N passed, M failed".
"""
import argparse
import glob
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
import types

DEFINITE = ("null-deref", "page-fault", "gpf", "bug", "warn", "panic")
ARCH = {"amd64": "x86_64", "arm64": "arm64"}


class Check:
    def __init__(self, a):
        self.a = a
        self.passed = self.failed = 0
        self.timings = {}

    def case(self, name, fn):
        t0 = time.time()
        try:
            fn()
        except AssertionError as e:
            self.failed += 1
            print(f"FAIL {name}: {e}", flush=True)
        else:
            self.passed += 1
            print(f"PASS {name}", flush=True)
        self.timings[name] = round(time.time() - t0, 1)

    # ------------------------------------------------------------ helpers
    def batch(self, name, inp, *extra, standin=False):
        """Results by staged path.  With STANDIN, crash is a stand-in that
        records the dump it was handed (self.called[name]) and fails:
        which dumps the fast path sends to crash, without paying crash
        again for each (the --full run has crash's verdicts)."""
        out = os.path.join(self.a.work, f"out-{name}")
        argv = [os.path.join(self.a.top, "scripts", "ovscrash-batch"), "--out", out, "-j", "2",
                "--no-index", "--no-progress-bar", "--timeout", "300",
                "--ovscrash-log", os.path.join(self.a.top, "tools", "ovscrash-log"),
                "--symbols", self.symbols]
        called = os.path.join(self.a.work, f"called-{name}")
        crash = [f"{a}={self.standin}" for a in ("x86_64", "arm64")] if standin else self.a.crash
        for c in crash:
            argv += ["--crash", c]
        for e in self.a.ext:
            argv += ["--ext", e]
        argv += list(extra) + [inp]
        t0 = time.time()
        p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                           env=dict(os.environ, FASTPATH_CALLED=called))
        self.timings[f"batch {name}"] = round(time.time() - t0, 1)
        with open(os.path.join(self.a.out, f"batch-{name}.log"), "w") as f:
            f.write(" ".join(argv) + f"\n# exit {p.returncode}\n" + p.stderr)
        # the stand-in's failures make the batch exit 1
        assert p.returncode in ((0, 1) if standin else (0,)), (
            f"batch {name}: exit {p.returncode}: {p.stderr[-1200:]}")
        try:
            with open(called) as f:
                self.called = {os.path.realpath(ln.rstrip("\n")) for ln in f}
        except FileNotFoundError:
            self.called = set()
        res = {}
        for fn in glob.glob(os.path.join(out, "*.json")):
            # results are <64 hex>.json; skipped.json and the shard
            # manifest shard-K-of-N.json are not
            if not re.fullmatch(r"[0-9a-f]{64}\.json", os.path.basename(fn)):
                continue
            with open(fn) as f:
                r = json.load(f)
            for pth in r["paths"]:
                res[pth] = r
        return res, out

    def stage(self, d, dump, side=None, side_name="vmcore-dmesg.txt", tweak=None):
        """d/vmcore (a symlink to DUMP, or with TWEAK a copy with that many
        extra bytes so that its identity is new) and d/SIDE_NAME."""
        os.makedirs(d, exist_ok=True)
        dst = os.path.join(d, "vmcore")
        if tweak is None:
            os.symlink(dump, dst)
        else:
            shutil.copyfile(dump, dst)
            with open(dst, "ab") as f:
                f.write(b"\0" * tweak)
        if isinstance(side, bytes):
            with open(os.path.join(d, side_name), "wb") as f:
                f.write(side)
        elif side:
            os.symlink(side, os.path.join(d, side_name))
        return dst

    # ------------------------------------------------------------ inputs
    def setup(self):
        self.fx = []        # (set name, scenario, dir, manifest)
        store = os.path.join(self.a.work, "symbols")
        os.makedirs(store)
        seen = set()
        for s in self.a.set:
            for sd in sorted(glob.glob(os.path.join(s, "*", "manifest.json"))):
                d = os.path.dirname(sd)
                if not os.path.isfile(os.path.join(d, "vmcore")):
                    continue
                with open(sd) as f:
                    m = json.load(f)
                self.fx.append((os.path.basename(s), os.path.basename(d), d, m))
                vml = os.path.realpath(os.path.join(d, "vmlinux"))
                if vml not in seen:
                    seen.add(vml)
                    os.makedirs(os.path.join(store, str(len(seen))))
                    os.symlink(vml, os.path.join(store, str(len(seen)), "vmlinux"))
        self.symbols = store
        self.standin = os.path.join(self.a.work, "standin-crash")
        with open(self.standin, "w") as f:
            # the batch's argv is crash [OPTIONS] VMLINUX DUMP -i CMDFILE
            # (tools.crash_argv): DUMP is the argument before -i, whatever
            # options come first
            f.write("#!/bin/sh\n# record DUMP (the argument before -i), triage nothing\n"
                    "prev=\nfor a in \"$@\"; do\n"
                    "\tif [ \"$a\" = -i ]; then printf '%s\\n' \"$prev\" >>\"$FASTPATH_CALLED\"; break; fi\n"
                    "\tprev=$a\ndone\n"
                    "echo 'stand-in crash of tests/fastpath: no triage'\nexit 1\n")
        os.chmod(self.standin, 0o755)
        assert self.fx, "no fixture dumps in the sets given"
        self.all = os.path.join(self.a.work, "all")
        self.src = {}       # staged path -> fixture dir
        for sname, scen, d, m in self.fx:
            side = os.path.join(d, "vmcore-dmesg.txt")
            p = self.stage(os.path.join(self.all, sname, scen), os.path.join(d, "vmcore"),
                           side if os.path.isfile(side) else None)
            self.src[p] = d

    def find(self, arch, scen, line=None):
        for sname, sc, d, m in self.fx:
            if ARCH[m["arch"]] == arch and sc == scen and (line is None or sname.split("-")[1] == line):
                return d
        return None

    # ------------------------------------------------------------ cases
    def fixtures_agree(self):
        self.full, _o = self.batch("full", self.all, "--full")
        self.fast, fo = self.batch("fast", self.all, standin=True)
        self.by_dir = {}
        problems = []
        decided = set()
        for p, d in sorted(self.src.items()):
            f, q = self.full.get(p), self.fast.get(p)
            if not f or not q:
                problems.append(f"{p}: no result ({'full' if not f else 'fast'})")
                continue
            self.by_dir[d] = f
            if f["status"] != "ok" or f.get("method") != "crash" or f.get("fast_path"):
                problems.append(f"{p}: --full run is {f['status']}, method {f.get('method')}, "
                                f"fast_path {f.get('fast_path')}: crash must triage every dump")
                continue
            m = json.load(open(os.path.join(d, "manifest.json")))
            exp = m.get("expected") or {}
            if q.get("method") == "log-fast-path":
                decided.add(d)
                for k in ("status", "signature", "verdict", "bucket", "panic_kind", "panic_where"):
                    if q.get(k) != f.get(k):
                        problems.append(f"{p}: fast path {k} {q.get(k)!r}, crash {f.get(k)!r}")
                if q.get("verdict_source") != "log" or q.get("crash") is not None:
                    problems.append(f"{p}: a fast-path result must have verdict_source log and "
                                    f"no crash run")
                if self.handed(p):
                    problems.append(f"{p}: decided by the fast path, and crash ran too")
            elif not self.handed(p):
                problems.append(f"{p}: neither the fast path nor crash triaged it: {q['status']}")
            if f["verdict"] != "NOT_THIS_BUG" and not self.handed(p):
                problems.append(f"{p}: crash says {f['verdict']}, the fast path did not send it to crash")
            # the manifests: a definite non-lockup panic with its log beside
            # it is what the fast path is for
            want = (exp.get("verdict_kind") == "NOT_THIS_BUG" and exp.get("panic_kind") in DEFINITE
                    and os.path.isfile(os.path.join(d, "vmcore-dmesg.txt")))
            if want != (d in decided):
                problems.append(f"{p}: manifest panic {exp.get('panic_kind')}/"
                                f"{exp.get('verdict_kind')}: fast path {'decided' if d in decided else 'did not decide'}"
                                f" ({(q.get('fast_path') or {}).get('reason')})")
        arches = {json.load(open(os.path.join(d, "manifest.json")))["arch"] for d in decided}
        print(f"  fast path decided {len(decided)} of {len(self.src)} fixture dumps "
              f"({', '.join(sorted(arches))}); --full run {self.timings['batch full']}s, "
              f"fast run (stand-in crash) {self.timings['batch fast']}s", flush=True)
        assert not problems, "; ".join(problems[:6])
        # the report names the method
        rep = os.path.join(self.a.work, "report.json")
        subprocess.run([os.path.join(self.a.top, "scripts", "ovscrash-report"), fo, "--json", rep,
                        "--csv", os.path.join(self.a.work, "report.csv")], check=True,
                       capture_output=True)
        with open(rep) as f:
            dumps = json.load(f)["dumps"]
        fastids = {self.fast[p]["id"] for p, d in self.src.items() if d in decided}
        got = {x["id"] for x in dumps if x.get("method") == "log-fast-path"}
        assert got == fastids, f"report's log-fast-path dumps {sorted(got)} != {sorted(fastids)}"
        with open(os.path.join(self.a.work, "report.csv")) as f:
            assert f.read().count("log-fast-path") == len(fastids), "CSV method column"

    def handed(self, p):
        """Whether the last stand-in batch handed the staged dump P to crash."""
        return os.path.realpath(p) in self.called

    def want_like(self, r, d, source, what):
        """r decided by the fast path from SOURCE with crash's verdict for
        fixture dir d."""
        f = self.by_dir[d]
        fp = r.get("fast_path") or {}
        assert r.get("method") == "log-fast-path", (f"{what}: not decided by the fast path: "
                                                    f"{fp.get('reason')} / {fp.get('checks')}")
        assert fp.get("source") == source, f"{what}: log source {fp.get('source')}, want {source}"
        assert r["status"] == "ok" and not self.handed(r["input"]["path"]), f"{what}: crash ran"
        for k in ("signature", "verdict", "bucket", "panic_kind", "panic_where"):
            assert r.get(k) == f.get(k), f"{what}: {k} {r.get(k)!r}, crash {f.get(k)!r}"

    def want_crash(self, r, d, words, what):
        fp = r.get("fast_path") or {}
        assert r.get("method") != "log-fast-path" and self.handed(r["input"]["path"]), (
            f"{what}: method {r.get('method')}, status {r['status']}: must go to crash")
        text = " ".join([str(fp.get("reason"))] + [str(c) for c in fp.get("checks") or []])
        for w in words:
            assert w in text, f"{what}: {w!r} not in the fast path's reason/checks: {text[:400]}"

    def extracted(self):
        """Logs read from the dump itself: every x86_64 dump of every line
        without its side file; the oops also as ELF and flattened; an
        arm64 dump (the host's makedumpfile reads x86_64 only)."""
        base = os.path.join(self.a.work, "noside")
        cases = {}
        for sname, scen, d, m in self.fx:
            if m["arch"] == "amd64" and scen in ("lockup", "healthy", "oops-null"):
                cases[self.stage(os.path.join(base, sname, scen), os.path.join(d, "vmcore"))] = d
        oops = self.find("x86_64", "oops-null")
        if oops:
            elf = os.path.join(base, "elf", "vmcore")
            os.makedirs(os.path.dirname(elf))
            subprocess.run([sys.executable, os.path.join(self.a.top, "tests", "damage", "kdump2elf.py"),
                            os.path.join(oops, "vmcore"), elf], check=True, capture_output=True)
            cases[elf] = oops
            flat = os.path.join(base, "flat", "dump.202611262300")
            os.makedirs(os.path.dirname(flat))
            with open(flat, "wb") as f:
                subprocess.run(["makedumpfile", "-F", "-c", "-d", "31", os.path.join(oops, "vmcore")],
                               stdout=f, stderr=subprocess.DEVNULL, check=True)
            cases[flat] = oops
        arm = self.find("arm64", "oops-null")
        if arm:
            cases[self.stage(os.path.join(base, "arm64", "oops-null"), os.path.join(arm, "vmcore"))] = arm
        res, _o = self.batch("noside", base, standin=True)
        n = 0
        for p, d in sorted(cases.items()):
            r = res.get(p)
            assert r, f"{p}: no result"
            what = os.path.relpath(p, base)
            fp = r.get("fast_path") or {}
            if d == arm:
                self.want_crash(r, d, ["makedumpfile reads dumps of its host"], what)
                continue
            if ((r.get("dump") or {}).get("format")) not in ("kdump-compressed", "elf", "flattened"):
                raise AssertionError(f"{what}: format {(r.get('dump') or {}).get('format')}")
            if d == oops:
                self.want_like(r, d, "dump", what)
                n += 1
            else:
                # the log came from the dump, and its panic sent it to crash
                self.want_crash(r, d, [], what)
                assert fp.get("source") == "dump", f"{what}: log source {fp.get('source')}: {fp}"
        assert n == 3, f"{n} of the oops' three containers decided from their own log"

    def hostile(self):
        """Hostile side files beside real dumps; each dump a copy with its
        own trailing bytes (so each is its own identity)."""
        ox, oa = self.find("x86_64", "oops-null"), self.find("arm64", "oops-null")
        hx, ha = self.find("x86_64", "healthy", "6.1.0"), self.find("arm64", "healthy", "6.1.0")
        other_rel = self.find("arm64", "healthy", "5.10.0")
        base = os.path.join(self.a.work, "hostile")
        rnd = random.Random(12)
        with open(os.path.join(ox, "vmcore-dmesg.txt"), "rb") as f:
            oxlog = f.read()
        huge = b"".join(b"[    0.000000] filler line %d of a huge side file\n" % i
                        for i in range(400000)) + oxlog
        cases = []  # (name, dump dir, side, expect: ("fast", source) | ("crash", words))

        def add(name, d, side, expect):
            if d:
                cases.append((name, d, side, expect))
        for arch, d in (("x86_64", ox), ("arm64", oa)):
            x = arch == "x86_64"
            add(f"huge-{arch}", d, huge,
                ("fast", "dump") if x else ("crash", ["more than the fast path's"]))
            add(f"binary-{arch}", d, bytes(rnd.getrandbits(8) for _ in range(65536)),
                ("fast", "dump") if x else ("crash", ["names no kernel release"]))
            add(f"empty-{arch}", d, b"", ("fast", "dump") if x else ("crash", ["empty"]))
        # another dump's log, of the same kernel release
        add("other-dump-x86_64", hx, os.path.join(ox, "vmcore-dmesg.txt"),
            ("crash", ["not the one in the dump's own log"]))
        add("other-dump-arm64", ha, os.path.join(oa, "vmcore-dmesg.txt") if oa else None,
            ("crash", ["does not match the dump", "CRASHTIME"]))
        add("other-dump-x86_64-oops", ox, os.path.join(hx, "vmcore-dmesg.txt") if hx else None,
            ("fast", "dump"))
        # another release's log
        add("other-release-arm64", oa, os.path.join(other_rel, "vmcore-dmesg.txt") if other_rel else None,
            ("crash", ["names kernel release"]))
        staged = {}
        for i, (name, d, side, exp) in enumerate(cases):
            staged[self.stage(os.path.join(base, name), os.path.join(d, "vmcore"), side,
                              tweak=i + 1)] = (name, d, exp)
        res, _o = self.batch("hostile", base, standin=True)
        for p, (name, d, exp) in sorted(staged.items()):
            r = res.get(p)
            assert r, f"{name}: no result"
            if exp[0] == "fast":
                self.want_like(r, d, exp[1], name)
            else:
                self.want_crash(r, d, exp[1], name)
        print(f"  hostile side files: {len(staged)} cases")

    def damaged(self):
        """The damage suite's broken copies of the x86_64 lockup (ELF):
        the fast path never decides one (each is the lockup), and a
        failed extraction is a reason, never an exception."""
        plans = sorted(glob.glob(os.path.join(self.a.damaged, "*", "plan.json")))
        if not plans:
            print("  SKIP damaged: no damage plan cached (tests/damage/run.sh makes it)")
            return
        sys.path.insert(0, os.path.join(self.a.top, "tests", "damage"))
        sys.path.insert(0, self.a.top)
        import mkdamaged
        from ovscrash_batch.formats import probe_dump, BadDump
        from ovscrash_batch.fastpath import try_fast_path
        from ovscrash_batch.links import LinkDir
        from ovscrash_batch.runner import Batch
        with open(plans[-1]) as f:
            plan = json.load(f)
        if not os.path.isfile(plan["elf"]):
            print("  SKIP damaged: the plan's ELF copy is gone")
            return
        scratch = os.path.join(self.a.work, "dmg-scratch")
        os.makedirs(scratch)
        args = types.SimpleNamespace(no_index=True, index_cache=None, reassembly_cache=scratch,
                                     no_progress_bar=True, out=scratch, timeout=60, jobs=1,
                                     full=False, shard_str=None)
        b = Batch(args)
        b.links = LinkDir(scratch)
        b.logtool, b.logtool_why = os.path.join(self.a.top, "tools", "ovscrash-log"), None
        copy = os.path.join(self.a.work, "damaged.elf")
        lines = []
        extra = [("truncated-50", None, 0.5), ("truncated-5", None, 0.05)]
        for dmg in plan["damages"] + [{"name": n, "patches": [], "cut": c} for n, _x, c in extra]:
            mkdamaged.materialize(plan, dmg, copy)
            if dmg.get("cut"):
                with open(copy, "r+b") as f:
                    f.truncate(int(os.path.getsize(copy) * dmg["cut"]))
            try:
                dump = probe_dump(copy, "elf")
            except BadDump as e:
                dump = {"arch": "x86_64", "release": None, "crash_time": None, "bad": str(e)}
            item = {"id": f"{len(lines):064x}", "logs": [], "dump": dump}
            fp = try_fast_path(b, item, copy, scratch)
            lines.append(f"{dmg['name']}: {'DECIDED' if fp['decided'] else 'crash'}: "
                         f"{fp['reason']}")
            assert not fp["decided"], f"{dmg['name']}: the fast path decided a lockup dump"
            assert fp["reason"], f"{dmg['name']}: no reason for sending it to crash"
        # the extracted log's bound: makedumpfile's output file is capped
        # by prlimit --fsize; a cap below the log's size must fail the
        # extraction (SIGXFSZ), not leave a cut log behind
        import ovscrash_batch.fastpath as fpm
        ox = self.find("x86_64", "oops-null") or self.find("x86_64", "healthy")
        if ox:
            d = probe_dump(os.path.join(ox, "vmcore"), "kdump-compressed")
            item = {"id": "f" * 64, "logs": [], "dump": d}
            keep, fpm.MAX_LOG = fpm.MAX_LOG, 4096
            try:
                got, why = fpm.extract(b, item, os.path.join(ox, "vmcore"), scratch)
            finally:
                fpm.MAX_LOG = keep
            assert got is None and why and "SIGXFSZ" in why, f"a 4 KiB cap gave {got!r} ({why})"
            assert not glob.glob(os.path.join(scratch, "dmesg-*")), "a cut log left in scratch"
            lines.append(f"oops-null with the log bound at 4096 bytes: {why}")
            got, why = fpm.extract(b, item, os.path.join(ox, "vmcore"), scratch)
            assert got and os.path.getsize(got) > 4096, f"the real bound: {why}"
        b.links.close()
        os.unlink(copy)
        with open(os.path.join(self.a.out, "damaged.txt"), "w") as f:
            f.write("\n".join(lines) + "\n")
        print(f"  damaged copies: {len(lines)} (reasons in {self.a.out}/damaged.txt)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--top", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--set", action="append", default=[])
    ap.add_argument("--crash", action="append", default=[])
    ap.add_argument("--ext", action="append", default=[])
    ap.add_argument("--damaged", default="")
    ap.add_argument("--only", default=None, help="run only damaged-copies (no crash needed)")
    a = ap.parse_args()
    c = Check(a)
    t0 = time.time()
    c.setup()
    if not a.only:
        c.case("fixtures-agree-with-crash", c.fixtures_agree)
        if hasattr(c, "by_dir"):
            c.case("log-from-the-dump", c.extracted)
            c.case("hostile-side-files", c.hostile)
    c.case("damaged-copies", c.damaged)
    with open(os.path.join(a.out, "timings.json"), "w") as f:
        json.dump(c.timings, f, indent=1)
    print(f"fastpath: took {time.time() - t0:.0f}s")
    print(f"fastpath: {c.passed} passed, {c.failed} failed")
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())

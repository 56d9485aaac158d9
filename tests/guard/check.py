"""The crash version guard and the .crashrc snippet (issue 14), on real
fixture dumps: the extension built against Debian's crash headers in the
project's crash, the project's extension in Debian's crash 8.0.2, a target
mismatch in the arm64-target crash, the matching builds giving a verdict,
the escape hatch, data/crashrc from ~/.crashrc and ./.crashrc, and the
Makefile's refusal to build an unguarded extension.

Expected versions and targets come from independent readers: each crash
binary's `crash --version`, the project crash build dir's version and
target files, dpkg's version of Debian's crash package; verdicts from the
fixtures' manifests; "not a command" and "nothing registered" from crash's
own messages.  Never from the extension's output."""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from suite import Suite, eq, true  # noqa: E402

MARK = 0x5e5e0000
GUARD_RE = re.compile(r"^(\S+): built for crash (\S+) \((\S+)\), this is crash (\S+) \((\S+)\): (.*)$")


def crash_version(binary):
    """What `crash --version` prints after "crash " (crash's build_version)."""
    out = subprocess.run([binary, "--version"], capture_output=True, text=True,
                         timeout=60).stdout
    m = re.search(r"^crash (\S+)$", out, re.M)
    true(m, f"{binary} --version printed no 'crash X.Y.Z' line: {out[:200]!r}")
    return m.group(1)


def session(crash, fx, cmds, env=None, cwd=None, crashrc=False, timeout=300):
    """One crash session on fixture fx, commands on stdin, each preceded by
    an `eval` marker.  Returns (preamble, {command: output}, whole text).
    crashrc=False passes --no_crashrc (a developer's own ~/.crashrc must not
    change what is tested)."""
    lines = []
    for i, c in enumerate(cmds):
        lines.append(f"eval {MARK + 2 * i + 1:#x}")  # odd: no "(nKB)" suffix
        lines.append(c)
    lines.append("quit")
    argv = [crash, "-s"] + ([] if crashrc else ["--no_crashrc"]) + [fx["vmlinux"], fx["vmcore"]]
    p = subprocess.run(argv, input="\n".join(lines) + "\n", capture_output=True, text=True,
                       errors="replace", timeout=timeout, env=env, cwd=cwd)
    text = p.stdout + p.stderr
    parts = re.split(r"^hexadecimal: 5e5e([0-9a-f]{4}).*\n *decimal:.*\n *octal:.*\n *binary:.*\n",
                     p.stdout, flags=re.M)
    res = {}
    for i in range(1, len(parts) - 1, 2):
        res[cmds[(int(parts[i], 16) - 1) // 2]] = parts[i + 1]
    # the extension's line goes to crash's fp (stdout); crash's own
    # messages of `extend` partly to stderr: the checks read both
    return parts[0], res, text


def js(out):
    """The JSON document in a command's output."""
    return json.loads(out[out.index("{"):out.rindex("}") + 1])


def guard_lines(text):
    return [m for m in (GUARD_RE.match(ln) for ln in text.splitlines()) if m]


def fixture(set_dir, scen="lockup"):
    d = os.path.join(set_dir, scen)
    with open(os.path.join(d, "manifest.json")) as f:
        m = json.load(f)
    vml = os.path.join(d, "vmlinux")
    return {"vmlinux": vml if os.path.exists(vml) else m["vmlinux"],
            "vmcore": os.path.join(d, "vmcore"), "manifest": m, "dir": d}


def refused(s, name, out, so, built, run, hint, cmds_after):
    """The checks of a refusal: exactly one guard line, naming both
    crashes and the hint; crash says nothing registered; the extension's
    command is not a command; crash's next command works."""
    ext_out, triage_out, jiffies_out = cmds_after

    def one_line():
        g = guard_lines(out)
        eq(len(g), 1, "guard lines")
        m = g[0]
        eq(m.group(1), os.path.basename(so), "the .so named")
        eq((m.group(2), m.group(3)), built, "built for (version, target)")
        eq((m.group(4), m.group(5)), run, "this crash (version, target)")
        true(m.group(6).startswith("not loaded; "), f"not 'not loaded': {m.group(6)!r}")
        true(hint in m.group(6), f"hint {hint!r} not in {m.group(6)!r}")
        # no other line of the extension's (the guard prints one)
        other = [ln for ln in ext_out.splitlines()
                 if ln.strip() and not GUARD_RE.match(ln) and "extend: " not in ln]
        eq(other, [], "other lines of the extend command")
        print(f"# {name}: {m.group(0)}")
    s.check(f"{name}: one line naming both crashes and the hint", one_line)

    def unloaded():
        true(re.search(rf"extend: {re.escape(so)}: no commands registered: shared object unloaded",
                       out), "crash did not say 'no commands registered: shared object unloaded'")
        true(re.search(r"command not found: triage", triage_out),
             f"triage still a command: {triage_out[:200]!r}")
    s.check(f"{name}: nothing registered (crash: command not found: triage)", unloaded)

    s.check(f"{name}: crash's next command works (p jiffies)",
            lambda: true(re.search(r"^jiffies = \$\d+ = \d+$", jiffies_out, re.M),
                         f"p jiffies: {jiffies_out[:200]!r}"))


def verdict_ok(s, name, out, m):
    def check():
        eq(js(out)["verdict"], m["expected"]["verdict_kind"], "triage -j verdict")
    s.check(name, check)


def built_for(s, name, out, run, built):
    def check():
        d = js(out)
        eq((d["crash"], d["crash_built_for"]), (run, built), "ovscrash -j crash, crash_built_for")
    s.check(f"{name}: ovscrash -j names the crash it runs in and the one it was built for", check)


def make_checks(s, top, tmp, project_inc, project_version, debian_version):
    """The Makefile: an unknown crash version fails the build in one line;
    another crash into the same build tree recompiles (crash.stamp)."""
    inc = os.path.join(tmp, "inc")
    os.makedirs(inc)
    shutil.copy(os.path.join(project_inc, "defs.h"), inc)
    b = os.path.join(tmp, "b")

    def make(*args):
        return subprocess.run(["make", "--no-print-directory", "-C", top, f"BUILD={b}", *args],
                              capture_output=True, text=True, timeout=600)

    def unknown():
        p = make(f"CRASH_INCLUDE={inc}", f"{b}/ext/guard.o")
        true(p.returncode != 0, "make succeeded without a crash version")
        err = [ln for ln in p.stderr.splitlines() if "not building an unguarded extension" in ln]
        eq(len(err), 1, f"'not building an unguarded extension' lines in {p.stderr!r}")
        true(inc in err[0], f"the line does not name {inc}: {err[0]!r}")
        true(not os.path.exists(f"{b}/ext/guard.o"), "an object was built anyway")
        # the explicit override builds
        p = make(f"CRASH_INCLUDE={inc}", f"OVSCRASH_CRASH_VERSION={project_version}",
                 f"{b}/ext/guard.o")
        eq(p.returncode, 0, f"make with OVSCRASH_CRASH_VERSION: {p.stderr[-300:]}")
    s.check("make: defs.h of an unknown crash: the build fails in one line, "
            "OVSCRASH_CRASH_VERSION overrides", unknown)

    def wrong_target():
        p = make(f"CRASH_INCLUDE={project_inc}", "TARGET=ARM64", f"{b}/ext/guard.o")
        true(p.returncode != 0, "make TARGET=ARM64 against the X86_64 crash succeeded")
        true(re.search(r"is a crash for target X86_64, not TARGET=ARM64", p.stderr),
             f"no target line: {p.stderr[-300:]!r}")
    s.check("make: TARGET other than the crash build dir's target file: fails", wrong_target)

    def rebuilt():
        obj = f"{b}/ext/guard.o"
        compiled = re.compile(r" -c -o \S*/ext/guard\.o ")

        def holds(v):
            with open(obj, "rb") as f:
                return v.encode() + b"\0" in f.read()
        p = make(f"CRASH_INCLUDE={project_inc}", obj)
        eq(p.returncode, 0, f"make against the project's crash: {p.stderr[-300:]}")
        true(holds(project_version), f"{obj} does not hold {project_version}")
        p = make(f"CRASH_INCLUDE={project_inc}", obj)
        true(not compiled.search(p.stdout), "recompiled with nothing changed")
        p = make("CRASH_INCLUDE=/usr/include/crash", obj)
        eq(p.returncode, 0, f"make against /usr/include/crash: {p.stderr[-300:]}")
        true(compiled.search(p.stdout), "not recompiled against /usr/include/crash")
        true(holds(debian_version) and not holds(project_version),
             f"{obj} does not hold {debian_version} alone")
    s.check("make: another CRASH_INCLUDE into the same build tree recompiles", rebuilt)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--top", required=True)
    ap.add_argument("--crash", required=True, help="the project's X86_64 crash")
    ap.add_argument("--crash-arm64", required=True, help="the project's ARM64-target crash")
    ap.add_argument("--debian-crash", default="/usr/bin/crash")
    ap.add_argument("--ext", required=True, help="extension/ovscrash.so")
    ap.add_argument("--ext-arm64", required=True, help="extension/ovscrash-arm64.so")
    ap.add_argument("--ext-system", required=True, help="build/system/ovscrash.so")
    ap.add_argument("--set", required=True, help="amd64 6.1 fixture set")
    ap.add_argument("--set-510", required=True, help="amd64 5.10 fixture set")
    ap.add_argument("--set-arm64", required=True, help="arm64 6.1 fixture set")
    a = ap.parse_args()
    s = Suite()
    t0 = time.time()
    tmp = tempfile.mkdtemp(prefix="ovscrash-guard.")
    try:
        # independent readers of what each side is
        pdir = os.path.dirname(a.crash)
        pver = crash_version(a.crash)
        with open(os.path.join(pdir, "version")) as f:
            src_ver = f.read().strip()
        with open(os.path.join(pdir, "target")) as f:
            ptarget = f.read().strip()
        with open(os.path.join(os.path.dirname(a.crash_arm64), "target")) as f:
            atarget = f.read().strip()
        dver = crash_version(a.debian_crash)
        dpkg_ver = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "crash"],
                                  capture_output=True, text=True).stdout
        s.check("readers agree: project crash --version is its build dir's upstream version",
                lambda: true(re.match(rf"{re.escape(pver)}[-+~]", src_ver),
                             f"{pver!r} vs version file {src_ver!r}"))
        s.check("readers agree: /usr/bin/crash --version is the crash package's upstream version",
                lambda: true(re.match(rf"(\d+:)?{re.escape(dver)}[-+~]", dpkg_ver),
                             f"{dver!r} vs dpkg {dpkg_ver!r}"))
        print(f"# project crash {pver} ({ptarget}, source {src_ver}); arm64-target crash "
              f"({atarget}); Debian crash {dver} (package {dpkg_ver})")
        host = ptarget  # Debian's crash is the host's target, as the project's X86_64 build

        fx = fixture(a.set)
        fx510 = fixture(a.set_510)
        fxa = fixture(a.set_arm64)

        def refused_then_right(crash, fx, wrong, built, run, hint, right, right_ver,
                               wrong_name, right_name, verdict_name):
            """One session: WRONG refused (built for BUILT, running in RUN,
            the rebuild HINT), then RIGHT (built for this crash) loads
            silently and triages as the manifest says."""
            cmds = [f"extend {wrong}", "triage", "p jiffies", f"extend {right}", "triage -j",
                    "ovscrash -j"]
            _pre, r, _text = session(crash, fx, cmds)
            refused(s, wrong_name, r.get(cmds[0], ""), wrong, built, run, hint,
                    (r.get(cmds[0], ""), r.get("triage", ""), r.get("p jiffies", "")))
            s.check(f"{right_name}: loads silently",
                    lambda: (true(re.search(rf"{re.escape(right)}: shared object loaded",
                                            r[cmds[3]]), "not loaded"),
                             eq(guard_lines(r[cmds[3]]), [], "guard lines")))
            verdict_ok(s, verdict_name, r.get("triage -j", ""), fx["manifest"])
            built_for(s, right_name, r.get("ovscrash -j", ""), right_ver, right_ver)

        # a + c: the extension built against Debian's headers in the
        # project's crash, then the project's own build in the same session
        refused_then_right(a.crash, fx, a.ext_system, (dver, host), (pver, ptarget),
                           "`make CRASH_INCLUDE=DIR`", a.ext, pver,
                           "Debian-header build in the project's crash",
                           "project crash + project build",
                           "project crash + project build: triage -j verdict is the manifest's")
        # b + c: the project's build in Debian's crash 8.0.2, then the
        # Debian-header build; on 5.10 (8.0.2 cannot read 6.1's task list:
        # "active task ... not found in PID hash")
        refused_then_right(a.debian_crash, fx510, a.ext, (pver, ptarget), (dver, host),
                           "`make ext-system`: /usr/include/crash", a.ext_system, dver,
                           "project build in Debian's crash",
                           "Debian crash + Debian-header build",
                           "Debian crash 8.0.2 + Debian-header build: triage -j verdict "
                           "(5.10 dump) is the manifest's")

        # d: the X86_64 build in the ARM64-target crash, then the arm64 build
        cmds = [f"extend {a.ext}", "triage", "p jiffies", f"extend {a.ext_arm64}", "triage -j"]
        pre, r, text = session(a.crash_arm64, fxa, cmds)
        refused(s, "X86_64 build in the ARM64-target crash", r.get(cmds[0], ""), a.ext,
                (pver, ptarget), (pver, atarget), f"`make TARGET={atarget}`",
                (r.get(cmds[0], ""), r.get("triage", ""), r.get("p jiffies", "")))
        verdict_ok(s, "ARM64-target crash + arm64 build: triage -j verdict is the manifest's",
                   r.get("triage -j", ""), fxa["manifest"])

        # the escape hatch: loads with one warning line (no command run:
        # the defs.h differs)
        env = dict(os.environ, OVSCRASH_IGNORE_CRASH_VERSION="1")
        cmds = [f"extend {a.ext_system}", "help triage"]
        pre, r, text = session(a.crash, fx, cmds, env=env)

        def hatch():
            g = guard_lines(r.get(cmds[0], ""))
            eq(len(g), 1, "guard lines")
            eq((g[0].group(2), g[0].group(4)), (dver, pver), "versions named")
            true(g[0].group(6).startswith("loaded anyway (OVSCRASH_IGNORE_CRASH_VERSION=1)"),
                 f"{g[0].group(6)!r}")
            true(re.search(rf"{re.escape(a.ext_system)}: shared object loaded", r[cmds[0]]),
                 "crash did not load it")
            true(re.search(r"^NAME\n +triage", r.get("help triage", ""), re.M),
                 "help triage is not the command's help")
            print(f"# escape hatch: {g[0].group(0)}")
        s.check("OVSCRASH_IGNORE_CRASH_VERSION=1: loads with one warning line", hatch)

        # e: data/crashrc as ~/.crashrc, then as ./.crashrc; the extension
        # reachable through CRASH_EXTENSIONS (the package is not installed)
        extdir = os.path.join(tmp, "extensions")
        os.makedirs(extdir)
        os.symlink(a.ext, os.path.join(extdir, "ovscrash.so"))
        home, cwd, empty = (os.path.join(tmp, d) for d in ("home", "cwd", "empty"))
        for d in (home, cwd, empty):
            os.makedirs(d)
        rc = os.path.join(a.top, "data", "crashrc")
        env = dict(os.environ, CRASH_EXTENSIONS=extdir)
        cases = [("~/.crashrc", home, empty), ("./.crashrc", empty, cwd)]
        for where, h, c in cases:
            shutil.copy(rc, os.path.join(h if where.startswith("~") else c, ".crashrc"))
            e = dict(env, HOME=h)
            pre, r, text = session(a.crash, fx, ["triage -j"], env=e, cwd=c, crashrc=True)
            verdict_ok(s, f"data/crashrc as {where}: crash loads ovscrash, triage -j verdict is "
                       "the manifest's", r.get("triage -j", ""), fx["manifest"])
            # the control: the same session with --no_crashrc has no triage
            pre, r, text = session(a.crash, fx, ["triage -j"], env=e, cwd=c, crashrc=False)
            s.check(f"data/crashrc as {where}: with --no_crashrc, no triage (the control)",
                    lambda: true(re.search(r"command not found: triage", r.get("triage -j", "")),
                                 f"{r.get('triage -j', '')[:200]!r}"))

        # the batch given a crash its extension refuses: the dump's
        # result says why (the guard line first), its verdict from the log
        def batch():
            d = os.path.join(tmp, "dumps")
            os.makedirs(d)
            for f in ("vmcore", "vmcore-dmesg.txt"):
                os.symlink(os.path.join(fx510["dir"], f), os.path.join(d, f))
            out = os.path.join(tmp, "batch")
            p = subprocess.run([os.path.join(a.top, "scripts", "ovscrash-batch"), "--out", out,
                                "--full", "--no-index", "--jobs", "1", "--symbols",
                                os.path.dirname(os.path.realpath(fx510["vmlinux"])),
                                "--crash", f"x86_64={a.debian_crash}", "--ext", f"x86_64={a.ext}",
                                d], capture_output=True, text=True, timeout=600)
            eq(p.returncode, 1, f"batch exit ({p.stderr[-300:]})")
            res = [json.load(open(os.path.join(out, f))) for f in os.listdir(out)
                   if re.match(r"[0-9a-f]{64}\.json$", f)]
            eq(len(res), 1, "results")
            r0 = res[0]
            eq(r0["status"], "crash-failed", "status")
            first = r0["error"].split(": ", 1)[1].splitlines()[0]
            g = guard_lines(first)
            true(g and (g[0].group(2), g[0].group(4)) == (pver, dver),
                 f"the error's first line is not the guard's: {r0['error'][:300]!r}")
            eq((r0["verdict"], r0["verdict_source"]),
               (fx510["manifest"]["expected"]["verdict_kind"], "log"), "verdict, source")
        s.check("batch with Debian's crash and the project's build: crash-failed, the guard's "
                "line first in the error, the verdict from the log", batch)

        # both files: the second extend changes nothing
        e = dict(env, HOME=home)
        pre, r, text = session(a.crash, fx, ["triage -j"], env=e, cwd=cwd, crashrc=True)

        def both():
            eq(len(re.findall(r"ovscrash\.so: shared object loaded", text)), 1, "loads")
            eq(len(re.findall(r"ovscrash\.so: shared object already loaded", text)), 1,
               "'already loaded' lines")
            eq(guard_lines(text), [], "guard lines")
            eq(js(r.get("triage -j", ""))["verdict"], fx["manifest"]["expected"]["verdict_kind"],
               "triage -j verdict")
        s.check("data/crashrc as both ~/.crashrc and ./.crashrc: loaded once, 'already loaded' "
                "once, the verdict", both)

        make_checks(s, a.top, tmp, pdir, pver, dver)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"# guard suite: {time.time() - t0:.0f}s")
    return s.summary("guard")


if __name__ == "__main__":
    sys.exit(main())

"""Which crash, extension and ovscrash-log a dump is given."""
import hashlib
import os
import shutil
import subprocess

from .common import ARCH_TARGET, CACHE, SCRIPTS, HOST_ARCH, TOP


# crash's options in every batch session (docs/performance.md, "Crash
# start-up", says what each start-up option costs and why only these):
#   -s            no banner, no scroller
#   --no_crashrc  ~/.crashrc and ./.crashrc of whoever runs the batch are
#                 not read: one holding `exit` (or `set scroll on`, an
#                 `extend` of another extension...) ran before triage and
#                 cost every dump its result (crash-failed, no JSON)
CRASH_OPTS = ("-s", "--no_crashrc")


def crash_argv(crash, vmlinux, dump, cmdfile=None):
    """The argv of one batch crash session: CRASH_OPTS, then the files;
    `-i CMDFILE` last when given (a result's argv, for a person to
    rerun, leaves it out)."""
    return [crash, *CRASH_OPTS, vmlinux, dump] + (["-i", cmdfile] if cmdfile else [])


def default_logtool():
    """(path, None) or (None, reason): tools/ovscrash-log of this tree,
    else ovscrash-log on PATH."""
    p = os.path.join(TOP, "tools", "ovscrash-log")
    if os.path.isfile(p) and os.access(p, os.X_OK):
        return p, None
    w = shutil.which("ovscrash-log")
    if w:
        return w, None
    return None, (f"no ovscrash-log ({p} not built: run `make tools/ovscrash-log`; none on PATH; "
                  f"or pass --ovscrash-log PATH): no verdict from the logs")


def build_crash_cached(target):
    """The path `scripts/build-crash.sh TARGET` prints when its cache is
    current (same recipe hash as the script computes), without running
    it: a missing ARM64 build would take ~10 minutes."""
    bc = os.path.join(SCRIPTS, "build-crash.sh")
    try:
        h = hashlib.sha256()
        for f in (bc, os.path.join(SCRIPTS, "aptpriv.sh")):
            with open(f, "rb") as fh:
                h.update(fh.read())
    except OSError:
        return None
    suite = os.environ.get("CRASH_SUITE", "sid")
    d = os.path.join(CACHE, "crash", f"{target.lower()}-{suite}-{h.hexdigest()[:12]}")
    p = os.path.join(d, "crash")
    if os.access(p, os.X_OK) and os.path.isfile(os.path.join(d, "defs.h")):
        return p
    return None


def crash_target(crash):
    """crash's target arch as build-crash.sh records it (X86_64/ARM64),
    or None for a crash built elsewhere."""
    try:
        with open(os.path.join(os.path.dirname(os.path.realpath(crash)), "target")) as f:
            t = f.read().strip().upper()
    except OSError:
        return None
    return t if t in ARCH_TARGET.values() else None


def default_crash(arch):
    """(path, None) or (None, reason).  build-crash.sh's cached build for
    the arch, else the newest $OVSCRASH_CACHE/crash/<arch>-*/crash; for
    x86_64 also build-crash.sh X86_64 itself and crash on PATH (host)."""
    import glob
    target = ARCH_TARGET[arch]
    p = build_crash_cached(target)
    if p:
        return p, None
    cands = sorted(glob.glob(os.path.join(CACHE, "crash", f"{target.lower()}-*", "crash")),
                   key=os.path.getmtime)
    cands = [c for c in cands if os.access(c, os.X_OK)]
    if cands:
        return cands[-1], None
    if arch == HOST_ARCH:
        bc = os.path.join(SCRIPTS, "build-crash.sh")
        if os.access(bc, os.X_OK):
            pr = subprocess.run([bc, target], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            path = pr.stdout.decode().strip().splitlines()[-1:] if pr.returncode == 0 else None
            if path and os.access(path[0], os.X_OK):
                return path[0], None
        if shutil.which("crash"):
            return shutil.which("crash"), None
    return None, (f"no crash for {arch}: none in {os.path.join(CACHE, 'crash')}/"
                  f"{target.lower()}-*; build one with scripts/build-crash.sh {target} "
                  f"(~10 min) or pass --crash {arch}=PATH")


def ext_name(arch):
    return "ovscrash.so" if arch == HOST_ARCH else f"ovscrash-{arch}.so"


def default_ext(arch):
    n = ext_name(arch)
    for d in (os.path.join(TOP, "extension"), "/usr/lib64/crash/extensions",
              "/usr/lib/crash/extensions"):
        p = os.path.join(d, n)
        if os.path.isfile(p):
            return p
    return None

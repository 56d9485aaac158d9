"""Which crash, extension and ovscrash-log a dump is given."""
import hashlib
import os
import shutil
import subprocess

from .common import ARCH_TARGET, CACHE, SCRIPTS, HOST_ARCH, TOP


def source_tree():
    """True when this package runs from the project's source tree (its
    scripts/build-crash.sh beside the package), False when installed
    (Debian package or `make install`: the package sits in a Python path
    directory)."""
    return os.path.isfile(os.path.join(SCRIPTS, "build-crash.sh"))


def libexec():
    """The installed layout's private directory: the crash builds and the
    extension per target (docs/packaging.md).  OVSCRASH_LIBEXEC overrides
    it, as it does for ovscrash-crash; else PREFIX/lib/ovscrash beside
    this package's PREFIX/lib/python3/dist-packages (`make install
    PREFIX=/usr/local`), else /usr/lib/ovscrash (the Debian package)."""
    env = os.environ.get("OVSCRASH_LIBEXEC")
    if env:
        return env
    beside = os.path.normpath(os.path.join(TOP, "..", "..", "ovscrash"))
    if os.path.basename(TOP) == "dist-packages" and os.path.isdir(beside):
        return beside
    return "/usr/lib/ovscrash"


def installed_crash(arch):
    """The installed crash for dumps of ARCH: crash for the host's own
    target, crash-<arch> for the other one."""
    return os.path.join(libexec(), "crash" if arch == HOST_ARCH else f"crash-{arch}")


def installed_ext(arch):
    """The installed ovscrash.so built against installed_crash(ARCH)."""
    return os.path.join(libexec(), "extensions", arch, "ovscrash.so")


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
    """(path, None) or (None, reason): tools/ovscrash-log of the source
    tree, else (and always when installed) ovscrash-log on PATH."""
    p = os.path.join(TOP, "tools", "ovscrash-log")
    if source_tree() and os.path.isfile(p) and os.access(p, os.X_OK):
        return p, None
    w = shutil.which("ovscrash-log")
    if w:
        return w, None
    if not source_tree():
        return None, ("no ovscrash-log on PATH (the ovscrash package installs /usr/bin/ovscrash-log; "
                      "or pass --ovscrash-log PATH): no verdict from the logs")
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
    """(path, None) or (None, reason).  Installed: the private crash of
    the installed layout (installed_crash).  In the source tree:
    build-crash.sh's cached build for the arch, else the newest
    $OVSCRASH_CACHE/crash/<arch>-*/crash; for the host's arch also
    build-crash.sh itself and crash on PATH."""
    import glob
    target = ARCH_TARGET[arch]
    if not source_tree():
        p = installed_crash(arch)
        if os.path.isfile(p) and os.access(p, os.X_OK):
            return p, None
        return None, (f"no crash for {arch}: {p} is missing or not executable "
                      f"(the ovscrash package installs it); pass --crash {arch}=PATH")
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


def ext_where(arch):
    """Where default_ext looks for ARCH's extension, for a message."""
    return ext_name(arch) if source_tree() else installed_ext(arch)


def default_ext(arch):
    """The extension for ARCH's crash, or None.  Installed: the one of the
    installed layout, built against installed_crash(ARCH)'s defs.h.  In
    the source tree: the tree's build (ext_name), else an installed copy
    where crash's `extend` looks."""
    if not source_tree():
        p = installed_ext(arch)
        return p if os.path.isfile(p) else None
    n = ext_name(arch)
    for d in (os.path.join(TOP, "extension"), "/usr/lib64/crash/extensions",
              "/usr/lib/crash/extensions"):
        p = os.path.join(d, n)
        if os.path.isfile(p):
            return p
    return None

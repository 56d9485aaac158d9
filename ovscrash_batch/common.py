"""Constants and small helpers every part of the batch uses: the
architecture tables, the dump identity, atomic writes, the log line."""
import errno
import hashlib
import os
import re
import shutil
import signal
import socket
import sys
import threading
import time


VERSION = "0.1.0"
SCHEMA = "ovscrash-batch-result/1"
MIB = 1 << 20
# the tree this package sits in: the source tree (with scripts/, tools/ and
# extension/ beside the package), or, installed, a Python path directory
TOP = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
SCRIPTS = os.path.join(TOP, "scripts")
CACHE = os.environ.get("OVSCRASH_CACHE", "/var/cache/ovscrash")
STATUSES = ("ok", "unmatched", "no-crash", "crash-failed", "timeout", "not-a-dump", "bad-dump",
            "log-only", "incomplete", "too-large")
ID_RE = re.compile(r"^[0-9a-f]{64}$")
ID_HEX_RE = re.compile(r"^[0-9a-f]{8,128}$")
EM_ARCH = {62: "x86_64", 183: "arm64"}
ARCH_TARGET = {"x86_64": "X86_64", "arm64": "ARM64"}   # crash `make target=`
HOST_ARCH = {"x86_64": "x86_64", "aarch64": "arm64"}.get(os.uname().machine)
MACHINE_ARCH = {"x86_64": "x86_64", "amd64": "x86_64", "aarch64": "arm64", "arm64": "arm64"}
DEFAULT_MAX_DECOMPRESSED = 64 << 30   # bytes one compressed dump may decompress to
FREE_RESERVE = 1 << 30                # left free on the scratch / cache filesystem


# what a log line must not carry raw: C0/C1 controls (an ESC from a file
# name reaches the terminal), bidi overrides, and the lone surrogates that
# stand for a non-UTF-8 byte of a file name (surrogateescape)
UNPRINTABLE_RE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069"
                            "\ud800-\udfff]")


def printable(s):
    """S for a terminal line: each character of UNPRINTABLE_RE as \\xNN
    (a surrogate-escaped byte as that byte) or \\uNNNN."""
    def one(m):
        c = ord(m.group())
        if 0xdc80 <= c <= 0xdcff:
            c -= 0xdc00
        return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"
    return UNPRINTABLE_RE.sub(one, str(s))


def log(msg):
    sys.stderr.write(f"ovscrash-batch: {printable(msg)}\n")
    sys.stderr.flush()


def identity(path):
    """sha256 over size, the first MiB and the last MiB: stable across
    renames and copies, cheap for multi-GiB dumps."""
    size = os.path.getsize(path)
    h = hashlib.sha256()
    h.update(b"ovscrash-id-v1\0%d\0" % size)
    with open(path, "rb") as f:
        h.update(f.read(min(size, MIB)))
        f.seek(max(0, size - MIB))
        h.update(f.read(MIB))
    return h.hexdigest()


# .<name>.tmp.<host>.<pid>.<thread>: the temp file write_atomic writes
# <name> through.  The host is part of it because one OUT may be shared by
# shards on several hosts (NFS): a pid says nothing about a process of
# another host, so a run removes only its own host's leftovers.  Names
# without a host are of older runs.
TMP_RE = re.compile(r"^\..*\.tmp\.(?:(.+)\.)?(\d+)\.(\d+)$")


def tmp_path(path):
    """The temp file write_atomic writes PATH through (see TMP_RE)."""
    return os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.tmp."
                        f"{socket.gethostname()}.{os.getpid()}.{threading.get_ident()}")


# The gate no temp file is created past once the batch stops: the signal
# handler closes it (stop_writes) before it removes this process's temp
# files, so a worker thread that comes back from a killed crash cannot
# create one behind the handler's listing (seen in CI: a crash log's temp
# file left after ^C).  Only the open() is under it, never a write.
_gate = threading.Lock()
_stopped = False


class Stopped(OSError):
    """write_atomic after stop_writes(): the batch is exiting."""


def stop_writes(wait=1.0):
    """Refuse every later write_atomic.  For the signal handler: it may
    have interrupted the main thread inside the gate (a lock is not
    reentrant), so it waits at most WAIT seconds for it; a worker holds
    it only for one open()."""
    global _stopped
    _stopped = True
    if _gate.acquire(timeout=wait):
        _gate.release()


def write_atomic(path, data):
    """Write PATH whole or not at all: a temp file beside it, fsynced and
    renamed.  A failed write (ENOSPC, EROFS) removes the temp file and
    raises the OSError; after stop_writes() it raises Stopped and
    creates nothing."""
    d = os.path.dirname(path)
    tmp = tmp_path(path)
    with _gate:
        if _stopped:
            raise Stopped(errno.EINTR, "the batch is stopping", path)
        f = open(tmp, "wb")
    try:
        with f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.rename(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    fd = os.open(d, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# errors of this host's disks, not of the input: a dump that meets one gets
# no result (the run ends non-zero and names it), so a rerun does it
HOST_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO}


def host_error(e):
    """The OSError behind e (e itself, or what it was raised from) when it
    is a fault of this host's disks (HOST_ERRNOS), else None."""
    while e is not None:
        if isinstance(e, OSError) and e.errno in HOST_ERRNOS:
            return e
        e = e.__cause__ or e.__context__
    return None


def pdeath_wrap():
    """argv prefix that SIGKILLs a child when the batch dies (even by
    SIGKILL, which runs no handler): setpriv --pdeathsig KILL."""
    return ["setpriv", "--pdeathsig", "KILL", "--"] if shutil.which("setpriv") else []


def kill_group(proc):
    """SIGKILL the process group of PROC (every child runs in its own
    session); one that is already gone is no error.  Takes no lock: the
    signal handler calls it."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def pause_at(phase):
    """OVSCRASH_BATCH_PAUSE_AT=PHASE (test hook, see docs/batch.md): block
    for good when the batch reaches PHASE (only "probe": the serial
    header probing, which reads plain files and has no child process a
    test could slow down), after saying so on stderr, so that a test can
    signal a batch known to be inside that phase."""
    if os.environ.get("OVSCRASH_BATCH_PAUSE_AT") == phase:
        log(f"paused at {phase} (OVSCRASH_BATCH_PAUSE_AT)")
        while True:
            time.sleep(3600)


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def tail(text, n=12):
    lines = [l for l in text.strip().splitlines() if l.strip()]
    return "\n".join(lines[-n:])[-2000:] or "(no output)"


def space_limit(d, cap):
    """(bytes one dump may take in directory d, what sets that limit)."""
    try:
        st = os.statvfs(d)
        free = st.f_bavail * st.f_frsize - FREE_RESERVE
    except OSError:
        free = None
    if free is not None and free < cap:
        return max(0, free), (f"the free space of {d} less a {FREE_RESERVE >> 30} GiB reserve "
                              f"({max(0, free)} bytes)")
    return cap, f"--max-decompressed {cap}"

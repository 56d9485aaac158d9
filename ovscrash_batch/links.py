"""Paths crash would misread, handed to it through symlinks.

crash reads a file argument holding '@' as a ramdump spec (FILE@ADDR,
several joined by ','): a dump or vmlinux under such a directory (an
output or scratch directory, a symbol store, an archive member's name)
is then "ramdump ... open failed".  It splits its -i argument at
blanks ("crash: /x/out@a,b: No such file or directory" for an input
script in "/x/out@a,b c/"), and its input script splits `extend PATH`
at blanks and reads '|' and '>' as a pipe and a redirection.
OVSCRASH_DEBUG_PATH is split at ':'.  Every such path goes to crash as
a symlink, in a directory whose own path has none of these characters,
to the same file."""
import os
import re
import shutil
import socket
import tempfile
import threading

from .common import pid_alive

# what crash, its input script and a ':'-separated list read literally
SAFE_RE = re.compile(r"^[A-Za-z0-9_./+-]+$")
# a search-path entry: crash's `mod -s` and the extension read '@' and ','
# literally (checked with the project's crash); ':' and blanks they do not
DEBUG_SAFE_RE = re.compile(r"^[A-Za-z0-9_./+@,=%~-]+$")
PREFIX = "ovscrash-links-"


def crash_safe(path):
    """True when crash reads PATH, as a file argument or in its input
    script, as the file it names."""
    return bool(SAFE_RE.match(path))


def debug_safe(path):
    """True when PATH can stay as it is in OVSCRASH_DEBUG_PATH."""
    return bool(DEBUG_SAFE_RE.match(path))


def link_name(path, fallback):
    """The symlink's own name: PATH's file name when crash reads it
    literally (the extension recognises openvswitch.ko* by name), else
    FALLBACK."""
    base = os.path.basename(path.rstrip("/"))
    return base if crash_safe(base) else fallback


def host_tag():
    return re.sub(r"[^A-Za-z0-9.-]", "_", socket.gethostname())[:64] or "host"


class LinkDir:
    """One directory of symlinks per batch run: in SCRATCH when its path
    is crash-safe, else in the first crash-safe temp directory ($TMPDIR,
    /tmp, /var/tmp, /dev/shm) as ovscrash-links-<host>-<pid>-*, removed
    by close() (and, after a SIGKILL, by the next run on this host)."""

    def __init__(self, scratch, candidates=None):
        self.scratch = scratch
        self.candidates = candidates
        self.path = None
        self.n = 0
        self.lock = threading.Lock()

    def _parents(self):
        if self.candidates is not None:
            return self.candidates
        return [self.scratch, tempfile.gettempdir(), "/tmp", "/var/tmp", "/dev/shm"]

    def _make(self):
        tried = []
        for parent in self._parents():
            parent = os.path.abspath(parent)
            if not crash_safe(parent) or not os.path.isdir(parent):
                tried.append(parent)
                continue
            if parent != os.path.abspath(self.scratch):
                clean_stale_links(parent)
            try:
                d = tempfile.mkdtemp(prefix=f"{PREFIX}{host_tag()}-{os.getpid()}-", dir=parent)
            except OSError:
                tried.append(parent)
                continue
            if crash_safe(d):
                return d
            os.rmdir(d)
            tried.append(parent)
        raise OSError(f"no directory to hold crash's symlinks: every candidate "
                      f"({', '.join(tried)}) has a character crash misreads, or is not writable")

    def route(self, path, name, safe=crash_safe):
        """PATH when safe(PATH), else a new symlink LINKDIR/<n>/NAME to
        its absolute path (NAME itself must be crash-safe)."""
        if safe(path):
            return path
        with self.lock:
            if self.path is None:
                self.path = self._make()
            self.n += 1
            d = os.path.join(self.path, str(self.n))
        os.mkdir(d)
        link = os.path.join(d, name)
        os.symlink(os.path.abspath(path), link)
        return link

    def close(self):
        with self.lock:
            self.remove_now()

    def remove_now(self):
        """close() without the lock, for the signal handler (which runs in
        the main thread, maybe while it holds the lock)."""
        path, self.path = self.path, None
        if path:
            shutil.rmtree(path, ignore_errors=True)


def clean_stale_links(parent):
    """Link directories of this host's runs that died (their pid is gone)."""
    try:
        names = os.listdir(parent)
    except OSError:
        return
    for fn in names:
        m = re.match(r"^" + re.escape(PREFIX + host_tag()) + r"-(\d+)-", fn)
        if m and not pid_alive(int(m.group(1))):
            shutil.rmtree(os.path.join(parent, fn), ignore_errors=True)

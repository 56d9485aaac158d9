"""Tar archives (plain or compressed) extracted into scratch, member by
member: one member that cannot be extracted is a skipped file with its
reason, never the loss of the archive's other members."""
import errno
import lzma
import os
import shutil
import subprocess
import tarfile
import zlib

from .common import host_error, pdeath_wrap, DEFAULT_MAX_DECOMPRESSED, FREE_RESERVE, MIB
from .formats import COMP_CLI, COMP_PKG

NAME_MAX = 255      # bytes in one path component (Linux filesystems)
PATH_MAX = 4096     # bytes in a whole path
# what a damaged stream raises from tarfile and its decompressors
STREAM_ERRORS = (tarfile.TarError, EOFError, OSError, zlib.error, lzma.LZMAError, ValueError)


def safe_member(name):
    """The member name relative to the extraction root ('' and '.' parts
    dropped), or None for an absolute name, a '..' part or no name."""
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if name.startswith("/") or ".." in parts or not parts:
        return None
    return "/".join(parts)


def member_problem(name, dest):
    """Why a (safe) member name cannot be created under dest, or None."""
    for part in name.split("/"):
        n = len(os.fsencode(part))
        if n > NAME_MAX:
            return (f"a part of the member's name is {n} bytes long, more than the "
                    f"filesystem's {NAME_MAX}")
    n = len(os.fsencode(os.path.join(dest, name)))
    if n > PATH_MAX - 64:
        return f"the member's path would be {n} bytes long, more than the system's {PATH_MAX}"
    return None


class Layout:
    """Where each member goes: DEST/1/<name> for the first member of a
    name, DEST/2/<name> for the second of the same name (tar -r appends
    a newer copy), and so on.  Each copy keeps its own file name (a dump
    is recognised partly by its name), and a later copy never overwrites
    an earlier one.  A name whose directory is a file member (or which
    is a directory of earlier members) cannot be placed: conflict()
    says why."""

    def __init__(self, dest):
        self.dest = dest
        self.count = {}     # name -> copies seen
        self.files = {}     # generation -> set of file names placed
        self.dirs = {}      # generation -> set of directory names made

    def place(self, name):
        """(generation, path) for the next copy of name."""
        gen = self.count.get(name, 0) + 1
        return gen, os.path.join(self.dest, str(gen), name)

    def conflict(self, gen, name):
        files = self.files.get(gen, set())
        dirs = self.dirs.get(gen, set())
        parts = name.split("/")
        for i in range(1, len(parts)):
            d = "/".join(parts[:i])
            if d in files:
                return f"its directory {d} is a file member of this archive"
        if name in dirs:
            return f"{name} is already a directory holding other members of this archive"
        return None

    def commit(self, gen, name):
        self.count[name] = gen
        self.files.setdefault(gen, set()).add(name)
        parts = name.split("/")
        self.dirs.setdefault(gen, set()).update("/".join(parts[:i]) for i in range(1, len(parts)))


def fits(dest, size):
    """None when a member of `size` bytes fits in dest's filesystem with
    the reserve left free, else why not (a fault of this host's scratch
    disk, not of the archive: see extract_archive)."""
    try:
        st = os.statvfs(dest)
    except OSError:
        return None
    free = st.f_bavail * st.f_frsize - FREE_RESERVE
    if size > free:
        return (f"the member is {size} bytes, more than the free space of the scratch "
                f"directory less a {FREE_RESERVE >> 30} GiB reserve ({max(0, free)} bytes)")
    return None


def copy_member(src, out):
    """Copy one member's data: (None, None) when done, ("write", err)
    when OUT cannot be written (the archive stream is still usable), or
    ("read", err) when the archive stream fails inside the member."""
    with open(out, "xb") as o:
        while True:
            try:
                b = src.read(4 * MIB)
            except STREAM_ERRORS as e:
                return "read", e
            if not b:
                return None, None
            try:
                o.write(b)
            except OSError as e:
                return "write", e


def drain(f, cap):
    """Read F to its end, at most CAP bytes: True when the end was seen."""
    got = 0
    while got <= cap:
        b = f.read(MIB)
        if not b:
            return True
        got += len(b)
    return False


def extract_archive(path, comp, dest, skipped, shown=None, notes=None,
                    cap=DEFAULT_MAX_DECOMPRESSED):
    """Stream-extract the regular files of the tar archive PATH
    (compression COMP: tar, gz, bz2, xz, zst, lz4) into DEST, member by
    member.  Returns [(extracted path, member name as shown)] in archive
    order, shown as SHOWN!/member.  A member that cannot be extracted
    (unsafe name, link or device, a name part over 255 bytes, a name
    under a file member, no space, the archive ending inside it) is
    appended to SKIPPED as (SHOWN!/member, reason) and the members after
    it are still extracted; a damaged stream keeps the members before
    the damage and adds (SHOWN, reason) to SKIPPED.  A second member of
    the same name is kept as a copy (see Layout), shown as
    "SHOWN!/member (copy 2)", with a line in NOTES.  A member larger than
    CAP (--max-decompressed: a GNU sparse member can claim a terabyte in a
    few bytes) is skipped.  Raises RuntimeError when not one member could
    be read (not a tar archive), and, raised from an OSError, when the
    scratch disk itself fails (no space, read-only, I/O error): that is
    this host's fault, not the archive's, so the caller gives the archive
    no result and a rerun with room extracts it."""
    shown = path if shown is None else shown
    notes = [] if notes is None else notes
    found = []
    layout = Layout(dest)
    proc = None
    if comp in COMP_CLI:
        tool = COMP_CLI[comp][0]
        if not shutil.which(tool):
            raise RuntimeError(f"{comp}-compressed archive but no {tool} command "
                               f"(apt-get install {COMP_PKG[comp]})")
        # pdeath_wrap: the decompressor dies with the batch, even by SIGKILL
        proc = subprocess.Popen(pdeath_wrap() + COMP_CLI[comp] + [path], stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)
    tf = None
    seen = 0            # members read (extracted or not)
    broken = None       # why reading stopped before the end of the archive
    try:
        try:
            tf = (tarfile.open(fileobj=proc.stdout, mode="r|") if proc
                  else tarfile.open(path, mode="r|*"))
        except STREAM_ERRORS as e:
            raise RuntimeError(f"archive unreadable: {e}")
        members = iter(tf)
        while broken is None:
            try:
                m = next(members)
            except StopIteration:
                break
            except STREAM_ERRORS as e:
                if not seen:
                    raise RuntimeError(f"archive unreadable: {e}")
                broken = f"unreadable after {seen} members: {e}"
                break
            seen += 1
            if m.isdir():
                continue
            name = safe_member(m.name)
            what = f"{shown}!/{name or m.name}"
            if name is None:
                skipped.append((what, "unsafe archive member name (absolute or ..)"))
                continue
            if not m.isfile():
                skipped.append((what, "archive member is not a regular file "
                                      "(links and devices are not followed)"))
                continue
            gen, out = layout.place(name)
            if m.size > cap:
                skipped.append((what, f"archive member of {m.size} bytes, more than "
                                      f"--max-decompressed {cap}: not extracted"))
                continue
            why = member_problem(name, dest) or layout.conflict(gen, name)
            if why:
                skipped.append((what, why))
                continue
            why = fits(dest, m.size)
            if why:
                raise RuntimeError(f"archive not extracted: {name}: {why}") from OSError(
                    errno.ENOSPC, f"{os.strerror(errno.ENOSPC)}: member {name}: {why}")
            try:
                os.makedirs(os.path.dirname(out), exist_ok=True)
                side, err = copy_member(tf.extractfile(m), out)
            except OSError as e:
                side, err = "write", e
            if side:
                try:
                    os.unlink(out)
                except OSError:
                    pass
                if side == "write" and host_error(err):
                    raise RuntimeError(f"archive not extracted: {name}: {err}") from OSError(
                        err.errno, f"{err.strerror}: member {name}")
                if side == "write":
                    skipped.append((what, f"cannot be extracted: {err.strerror or err}"
                                    if isinstance(err, OSError) else f"cannot be extracted: {err}"))
                    continue
                cut = "unexpected end of data" in str(err)
                skipped.append((what, (f"truncated: the archive ends inside this member "
                                       f"({m.size} bytes announced)") if cut else
                                f"the archive's data is damaged inside this member: {err}"))
                broken = "" if cut else f"damaged inside {m.name}: {err}"
                break
            layout.commit(gen, name)
            what = f"{shown}!/{name}"
            if gen > 1:
                what = f"{what} (copy {gen})"
                notes.append(f"{shown}: {gen} members named {m.name}: each is kept and "
                             f"triaged, this one as {what}")
            found.append((out, what))
        if proc and broken is None and not drain(proc.stdout, 64 * MIB):
            notes.append(f"{shown}: more than 64 MiB of data after the end of the tar "
                         f"archive; not read")
    finally:
        if tf is not None:
            try:
                tf.close()
            except STREAM_ERRORS:
                pass
        if proc:
            proc.stdout.close()
            try:
                err = proc.communicate(timeout=30)[1] or b""
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)
                err = proc.communicate()[1] or b""
            msg = err.decode("utf-8", "replace").strip().replace("\n", " / ")[:300]
            rc = proc.returncode
            if rc and not seen:
                raise RuntimeError(f"{' '.join(COMP_CLI[comp][:2])} failed: {msg}")
            if rc and broken is None:
                # the tar data ended cleanly but the compressed stream did not
                broken = f"{' '.join(COMP_CLI[comp][:2])} exit {rc}: {msg}"
    if broken:
        skipped.append((shown, f"archive {broken}; the {len(found)} member(s) extracted "
                               f"before that are triaged"))
    return found

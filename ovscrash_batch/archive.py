"""Tar archives (plain or compressed) extracted into scratch."""
import errno
import lzma
import os
import shutil
import subprocess
import tarfile
import zlib

from .common import host_error, pdeath_wrap, space_limit, DEFAULT_MAX_DECOMPRESSED, MIB
from .formats import COMP_CLI, COMP_PKG


def safe_member(name):
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if name.startswith("/") or ".." in parts or not parts:
        return None
    return "/".join(parts)


def extract_archive(path, comp, dest, skipped, cap=DEFAULT_MAX_DECOMPRESSED):
    """Stream-extract regular files only; returns {extracted path: member}.
    A member that cannot be extracted (a second member of one name, a
    size beyond CAP (--max-decompressed) or the scratch's free space, a name part over 255 bytes, a
    name under a file member) is a skipped file with its reason; a stream
    damaged after some members keeps those and adds the archive to
    SKIPPED with the reason; RuntimeError when not one member was read.
    An error of the scratch disk itself (ENOSPC...) is raised (from the
    OSError) for the caller: no result, so that a rerun extracts it."""
    members = {}
    proc = None
    if comp in COMP_CLI:
        tool = COMP_CLI[comp][0]
        if not shutil.which(tool):
            raise RuntimeError(f"{comp}-compressed archive but no {tool} command "
                               f"(apt-get install {COMP_PKG[comp]})")
        proc = subprocess.Popen(pdeath_wrap() + COMP_CLI[comp] + [path], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
    tf = None
    cur = None
    damage = None
    try:
        tf = (tarfile.open(fileobj=proc.stdout, mode="r|") if proc
              else tarfile.open(path, mode="r|*"))
        for m in tf:
            name = safe_member(m.name)
            if m.isdir():
                continue
            if name is None:
                skipped.append((f"{path}!{m.name}", "unsafe archive member name (absolute or ..)"))
                continue
            if not m.isfile():
                skipped.append((f"{path}!{m.name}", "archive member is not a regular file "
                                                     "(links and devices are not followed)"))
                continue
            out = os.path.join(dest, name)
            limit, why = space_limit(dest, cap)
            if out in members:
                skipped.append((f"{path}!{m.name}", "a second archive member of this name "
                                                    "(the first one is kept)"))
                continue
            if m.size > cap:
                # a GNU sparse member can claim a terabyte in a few bytes
                skipped.append((f"{path}!{m.name}", f"archive member of {m.size} bytes, more "
                                                    f"than --max-decompressed {cap}: not extracted"))
                continue
            if m.size > limit:
                # this host's disk, not the archive: the caller gives the
                # archive no result, and a rerun with space extracts it
                raise OSError(errno.ENOSPC, f"{os.strerror(errno.ENOSPC)}: a {m.size}-byte "
                                            f"member ({m.name}) needs more than {why}")
            try:
                os.makedirs(os.path.dirname(out), exist_ok=True)
                src = tf.extractfile(m)
                with open(out, "xb") as o:
                    cur = out
                    shutil.copyfileobj(src, o, 4 * MIB)
                cur = None
            except OSError as e:
                if host_error(e):
                    raise
                if cur:
                    os.unlink(cur)
                    cur = None
                skipped.append((f"{path}!{m.name}", f"archive member cannot be extracted: "
                                                    f"{e.strerror or e}"))
                continue
            members[out] = name
    except (tarfile.TarError, EOFError, OSError, zlib.error, lzma.LZMAError) as e:
        if host_error(e):
            raise RuntimeError(f"archive not extracted: {e}") from e
        damage = f"archive unreadable: {e}"
    finally:
        if cur:
            try:
                os.unlink(cur)
            except OSError:
                pass
        if tf is not None:
            try:
                tf.close()
            except (tarfile.TarError, OSError):
                pass
        if proc:
            proc.stdout.close()
            err = proc.stderr.read().decode("utf-8", "replace").strip()
            if proc.wait() != 0 and not damage:
                damage = f"{' '.join(COMP_CLI[comp][:2])} failed: {err}"
    if damage:
        if not members:
            raise RuntimeError(damage)
        skipped.append((path, f"{damage}; the {len(members)} member(s) before the damage "
                              f"are triaged"))
    return members

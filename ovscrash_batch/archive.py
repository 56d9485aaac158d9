"""Tar archives (plain or compressed) extracted into scratch."""
import os
import shutil
import subprocess
import tarfile

from .common import pdeath_wrap, MIB
from .formats import COMP_CLI, COMP_PKG


def safe_member(name):
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if name.startswith("/") or ".." in parts or not parts:
        return None
    return "/".join(parts)


def extract_archive(path, comp, dest, skipped):
    """Stream-extract regular files only; returns {extracted path: member}."""
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
            os.makedirs(os.path.dirname(out), exist_ok=True)
            src = tf.extractfile(m)
            with open(out, "wb") as o:
                shutil.copyfileobj(src, o, 4 * MIB)
            members[out] = name
    except (tarfile.TarError, EOFError, OSError) as e:
        raise RuntimeError(f"archive unreadable: {e}")
    finally:
        if tf is not None:
            tf.close()
        if proc:
            proc.stdout.close()
            err = proc.stderr.read().decode("utf-8", "replace").strip()
            if proc.wait() != 0:
                raise RuntimeError(f"{' '.join(COMP_CLI[comp][:2])} failed: {err}")
    return members

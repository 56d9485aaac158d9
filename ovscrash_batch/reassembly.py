"""The cache of flattened dumps reassembled with makedumpfile -R."""
import json
import os
import re
import shutil
import socket
import struct
import tempfile
import threading

from .common import pid_alive
from .formats import dump_magic, probe_dump, BadDump


class ReassemblyCache:
    """Flattened dumps reassembled once (`makedumpfile -R`, after streaming
    decompression for dump.<stamp>.gz/.bz2/.lz4/.xz/.zst), kept as
    ROOT/<id>/vmcore with ROOT/<id>/meta.json.  The key is the dump identity
    (sha256 of size + first MiB + last MiB of the file as found, compressed
    or not): the same key as the result file, it survives copies, renames
    and the re-extraction of archives (whose inode and mtime change every
    run).  An entry is built in ROOT/.tmp-<host>-<pid>-* and renamed into
    place, so ROOT/<id> is complete or absent; a hit is checked against its
    meta.json (identity, size) and by reading the dump's header again."""

    def __init__(self, root):
        self.root = os.path.abspath(root)
        self.cleaned = False
        self.lock = threading.Lock()

    def lookup(self, ident):
        final = os.path.join(self.root, ident)
        vm = os.path.join(final, "vmcore")
        try:
            with open(os.path.join(final, "meta.json")) as f:
                meta = json.load(f)
            if meta.get("id") != ident or os.path.getsize(vm) != meta.get("size"):
                return None, None
            with open(vm, "rb") as f:
                dm = dump_magic(f.read(512))
            if not dm or dm[0] != "dump" or dm[1] == "flattened":
                return None, None
            probe_dump(vm, dm[1])
        except (OSError, ValueError, BadDump, struct.error):
            return None, None
        return vm, meta

    def tmpdir(self):
        os.makedirs(self.root, exist_ok=True)
        with self.lock:
            if not self.cleaned:
                self.cleaned = True
                host = socket.gethostname()
                for fn in os.listdir(self.root):
                    m = re.match(r"^\.tmp-(.+)-(\d+)-", fn)
                    if m and m.group(1) == host and not pid_alive(int(m.group(2))):
                        shutil.rmtree(os.path.join(self.root, fn), ignore_errors=True)
        return tempfile.mkdtemp(prefix=f".tmp-{socket.gethostname()}-{os.getpid()}-", dir=self.root)

    def commit(self, tmp, ident, meta):
        """Rename TMP into ROOT/<id>; a concurrent builder's complete entry wins."""
        try:
            os.unlink(os.path.join(tmp, "makedumpfile.log"))
        except OSError:
            pass
        with open(os.path.join(tmp, "meta.json"), "w") as f:
            json.dump(meta, f, indent=2)
            f.write("\n")
        for fn in ("vmcore", "meta.json"):
            fd = os.open(os.path.join(tmp, fn), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        os.chmod(tmp, 0o755)
        final = os.path.join(self.root, ident)
        try:
            os.rename(tmp, final)
        except OSError:
            vm, _m = self.lookup(ident)
            if vm:
                shutil.rmtree(tmp, ignore_errors=True)
                return vm
            shutil.rmtree(final, ignore_errors=True)   # not a valid entry: replace it
            os.rename(tmp, final)
        return os.path.join(final, "vmcore")

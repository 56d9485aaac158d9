"""The symbol store (vmlinux files, .build-id trees, module debuginfo),
debuginfod look-ups, and the gdb-index cache of matched vmlinux files."""
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import tempfile
import threading
import time

from .common import log, pid_alive, tail, EM_ARCH, HOST_ARCH, ID_HEX_RE
from .formats import cstr, parse_notes


def symbols_named(symtab, en, name_off, entsize=24):
    """Offsets of the ELF64 symbols in SYMTAB whose st_name is NAME_OFF,
    in order.  bytes.find for the 4-byte st_name, kept where it starts an
    entry, rather than unpacking the ~150,000 symbols of a vmlinux one by
    one in Python (the store is read in the batch's one thread, before
    any crash starts)."""
    needle = struct.pack(en + "I", name_off)
    pos = symtab.find(needle)
    while pos >= 0:
        if pos % entsize == 0:
            yield pos
        pos = symtab.find(needle, pos + 1)


def elf_image_info(path):
    """build-id, release (linux_banner), arch, has .debug_info of a vmlinux."""
    with open(path, "rb") as f:
        h = f.read(64)
        if len(h) < 64 or not h.startswith(b"\x7fELF") or h[4] != 2:
            return None
        en = "<" if h[5] == 1 else ">"
        e_type, e_machine = struct.unpack_from(en + "HH", h, 16)
        # ET_EXEC (x86_64 vmlinux) or ET_DYN (arm64 vmlinux is linked -pie)
        if e_type not in (2, 3):
            return None
        e_shoff = struct.unpack_from(en + "Q", h, 40)[0]
        e_shentsize, e_shnum, e_shstrndx = struct.unpack_from(en + "HHH", h, 58)
        f.seek(e_shoff)
        sh = f.read(e_shnum * e_shentsize)
        secs = []
        for i in range(e_shnum):
            (name, typ, flags, addr, off, size, link, info, align, entsize) = struct.unpack_from(
                en + "IIQQQQIIQQ", sh, i * e_shentsize)
            secs.append((name, typ, addr, off, size, link))
        f.seek(secs[e_shstrndx][3])
        shstr = f.read(secs[e_shstrndx][4])
        names = [cstr(shstr[s[0]:]) for s in secs]
        bid = None
        release = None
        has_debug = ".debug_info" in names
        for (nm, typ, addr, off, size, link) in secs:
            if typ == 7 and size < (1 << 20):  # SHT_NOTE
                f.seek(off)
                for name, t, desc in parse_notes(f.read(size), en):
                    if name == "GNU" and t == 3:
                        bid = desc.hex()
        for i, (nm, typ, addr, off, size, link) in enumerate(secs):
            if typ != 2:  # SHT_SYMTAB
                continue
            f.seek(secs[link][3])
            strtab = f.read(secs[link][4])
            f.seek(off)
            symtab = f.read(size)
            idx = strtab.find(b"\0linux_banner\0")
            if idx < 0:
                break
            for j in symbols_named(symtab, en, idx + 1):
                _n, _info, _other, shndx, value, sz = struct.unpack_from(en + "IBBHQQ", symtab, j)
                if 0 < shndx < len(secs):
                    s = secs[shndx]
                    if s[1] == 8:  # NOBITS
                        break
                    f.seek(s[3] + value - s[2])
                    m = re.match(rb"Linux version (\S+)", f.read(min(sz or 256, 512)))
                    if m:
                        release = m.group(1).decode("utf-8", "replace")
                    break
            break
    if release is None:
        m = re.search(r"vmlinux-(.+?)(\.debug)?$", os.path.basename(path))
        if m:
            release = m.group(1)
    return {"path": path, "build_id": bid, "release": release,
            "arch": EM_ARCH.get(e_machine), "debuginfo": has_debug}


# A vmlinux is ~100 times a module (600 MB): the batch waits longer than the
# extension's 30 s, once per build-id (the client caches the file).
DEBUGINFOD_BOUND = 300


def debuginfod_vmlinux(bid):
    """(path or None, how-or-reason): the vmlinux with build-id bid from the
    servers in $DEBUGINFOD_URLS, through Debian's `debuginfod-find` (its
    cache, its DEBUGINFOD_* settings).  A child process, not ctypes on
    libdebuginfod: a query in C cannot be interrupted from Python, a child
    can be killed at the bound ($OVSCRASH_DEBUGINFOD_TIMEOUT seconds,
    default DEBUGINFOD_BOUND).  The file is verified like any store file."""
    urls = re.sub(r"[^\x20-\x7e]", "?", os.environ.get("DEBUGINFOD_URLS", ""))[:256]
    try:
        bound = float(os.environ.get("OVSCRASH_DEBUGINFOD_TIMEOUT", DEBUGINFOD_BOUND))
    except ValueError:
        bound = DEBUGINFOD_BOUND
    bound = min(max(bound, 1), 3600)
    tool = shutil.which("debuginfod-find")
    if not tool:
        return None, f"debuginfod: {urls}: debuginfod-find not installed (Debian package debuginfod)"
    t0 = time.time()
    try:
        p = subprocess.run([tool, "debuginfo", bid], stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, errors="replace", timeout=bound)
    except subprocess.TimeoutExpired:
        return None, f"debuginfod: {urls}: no answer for build-id {bid} within {bound:g} s"
    took = time.time() - t0
    path = p.stdout.strip()
    if p.returncode != 0 or not path:
        err = (p.stderr.strip().splitlines() or [f"exit {p.returncode}"])[-1][:200]
        if "No such file or directory" in err:
            return None, f"debuginfod: {urls}: build-id {bid} not found"
        return None, f"debuginfod: {urls}: {err} (build-id {bid}, after {took:.1f} s)"
    try:
        info = elf_image_info(path)
    except (OSError, struct.error, IndexError) as e:
        return None, f"debuginfod: {urls}: the file served for build-id {bid} is unreadable: {e}"
    if not info or info["build_id"] != bid or not info["debuginfo"]:
        return None, (f"debuginfod: {urls}: the file served for build-id {bid} is not a vmlinux "
                      f"with that build-id and .debug_info")
    info["debuginfod_seconds"] = round(took, 2)
    return info, f"build-id {bid} (debuginfod {urls}, {took:.1f} s)"


class SymbolStore:
    def __init__(self, dirs):
        self.dirs = [os.path.abspath(d) for d in dirs]
        self.images = []      # elf_image_info dicts
        self.buildid_roots = []
        self.modules = []     # openvswitch.ko* debuginfo candidates
        self.notes = []
        self.fetched = {}     # build-id -> debuginfod_vmlinux() result, once per batch
        self.fetch_lock = threading.Lock()
        self.read = {}        # (dev, ino, size, mtime) -> elf_image_info, once per file
        for d in self.dirs:
            if not os.path.isdir(d):
                self.notes.append(f"symbol store {d} is not a directory")
                continue
            self._walk(d)

    def _walk(self, root):
        seen = set()
        for dp, dns, fns in os.walk(root, followlinks=True):
            try:
                st = os.stat(dp)
            except OSError:
                continue
            if (st.st_dev, st.st_ino) in seen:
                dns[:] = []
                continue
            seen.add((st.st_dev, st.st_ino))
            if ".build-id" in dns:
                self.buildid_roots.append(os.path.join(dp, ".build-id"))
                dns.remove(".build-id")
            if os.path.basename(dp) == ".build-id":
                self.buildid_roots.append(dp)
                dns[:] = []
                continue
            for fn in fns:
                p = os.path.join(dp, fn)
                if re.match(r"openvswitch\.ko(\.debug|\.xz|\.zst)?$", fn):
                    self.modules.append(p)
                    continue
                if not (fn == "vmlinux" or fn.startswith("vmlinux-") or fn.startswith("vmlinux.")
                        or "/usr/lib/debug/boot/" in p + "/"):
                    continue
                try:
                    info = self._image(p)
                except (OSError, struct.error, IndexError) as e:
                    self.notes.append(f"unreadable {p}: {e}")
                    continue
                if info:
                    self.images.append(info)

    def _image(self, p):
        """elf_image_info(p), read once per file: a store often reaches
        one vmlinux under many names (the fixture sets link it from every
        scenario; a tree of symlinks to /usr/lib/debug)."""
        st = os.stat(p)
        key = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
        if key not in self.read:
            self.read[key] = elf_image_info(p)
        info = self.read[key]
        return dict(info, path=p) if info else None

    def lookup_build_id(self, bid):
        for root in self.buildid_roots:
            p = os.path.join(root, bid[:2], bid[2:] + ".debug")
            if os.path.isfile(p):
                try:
                    info = elf_image_info(p)
                except (OSError, struct.error, IndexError):
                    continue
                if info and info["build_id"] == bid:
                    return info
        return None

    def match(self, dump):
        """(image or None, how-or-reason): the store first; a dump with a
        build-id the store lacks, from debuginfod when DEBUGINFOD_URLS is
        set (asked once per build-id and batch)."""
        img, how = self._match_local(dump)
        bid = dump.get("build_id")
        if img or not bid or not os.environ.get("DEBUGINFOD_URLS"):
            return img, how
        with self.fetch_lock:
            if bid not in self.fetched:
                self.fetched[bid] = debuginfod_vmlinux(bid)
            got, why = self.fetched[bid]
        return (got, why) if got else (None, f"{how}; {why}")

    def _match_local(self, dump):
        """(image or None, how-or-reason) from the store's files."""
        rel, bid, arch = dump.get("release"), dump.get("build_id"), dump.get("arch")
        where = ", ".join(self.dirs) or "(no --symbols given)"
        if bid:
            hits = [i for i in self.images if i["build_id"] == bid]
            tree = None if hits else self.lookup_build_id(bid)
            if tree:
                hits = [tree]
            withdbg = [i for i in hits if i["debuginfo"]]
            if withdbg:
                return withdbg[0], ("build-id " + bid + (" (.build-id tree)" if tree else "")
                                    + (f" and release {rel}" if rel and withdbg[0]["release"] == rel else ""))
            if hits:
                return None, (f"vmlinux with build-id {bid} found ({hits[0]['path']}) "
                              f"but it has no .debug_info (stripped)")
            same_rel = [i for i in self.images if rel and i["release"] == rel]
            if same_rel:
                return None, (f"no vmlinux with the dump's build-id {bid}; {len(same_rel)} vmlinux "
                              f"for release {rel} have other build-ids "
                              f"({', '.join(sorted({str(i['build_id']) for i in same_rel}))}): "
                              f"a different build of the same release")
            return None, (f"no vmlinux for release {rel} / build-id {bid} in {where} "
                          f"({len(self.images)} vmlinux indexed, {len(self.buildid_roots)} .build-id trees)")
        if not rel:
            return None, "the dump carries neither a release nor a build-id to match a vmlinux by"
        hits = [i for i in self.images if i["release"] == rel and i["debuginfo"]
                and (not arch or not i["arch"] or i["arch"] == arch)]
        if hits:
            ids = sorted({str(i["build_id"]) for i in hits})
            how = f"release {rel} only: the dump's vmcoreinfo has no BUILD-ID, so the build is unverified"
            if len(ids) > 1:
                how += f" ({len(ids)} different builds of this release in the store; took {hits[0]['path']})"
            return hits[0], how
        return None, (f"no vmlinux with debuginfo for release {rel} in {where} "
                      f"({len(self.images)} vmlinux indexed)")

    def module_paths(self, image, dump_dir):
        """OVSCRASH_DEBUG_PATH entries for the matched kernel; the
        extension verifies each candidate's build-id against the dump."""
        rel = image.get("release") or ""
        out = [dump_dir]
        rel_mods = [m for m in self.modules if rel and rel in m]
        out += rel_mods or self.modules
        for d in self.dirs:
            for sub in (f"usr/lib/debug/lib/modules/{rel}", f"lib/modules/{rel}"):
                p = os.path.join(d, sub)
                if rel and os.path.isdir(p):
                    out.append(p)
        seen, res = set(), []
        for p in out:
            if p not in seen:
                seen.add(p)
                res.append(p)
        return res


INDEX_TIMEOUT = 1800      # gdb-add-index on a 600 MB vmlinux takes ~5 s; a ceiling only
INDEX_LOCK_WAIT = 1800    # how long a worker waits for another process's build
# objcopy that understands a foreign-arch vmlinux (gdb-add-index runs objcopy/readelf)
CROSS_BINUTILS = {"arm64": "aarch64-linux-gnu-", "x86_64": "x86_64-linux-gnu-"}


def elf_sections(path):
    """(GNU build-id or None, set of section names) of an ELF file."""
    with open(path, "rb") as f:
        h = f.read(64)
        if len(h) < 64 or not h.startswith(b"\x7fELF") or h[4] != 2:
            return None, set()
        en = "<" if h[5] == 1 else ">"
        e_shoff = struct.unpack_from(en + "Q", h, 40)[0]
        e_shentsize, e_shnum, e_shstrndx = struct.unpack_from(en + "HHH", h, 58)
        f.seek(e_shoff)
        sh = f.read(e_shnum * e_shentsize)
        secs = [struct.unpack_from(en + "IIQQQQ", sh, i * e_shentsize) for i in range(e_shnum)]
        f.seek(secs[e_shstrndx][4])
        shstr = f.read(secs[e_shstrndx][5])
        names = set()
        bid = None
        for (name, typ, _fl, _addr, off, size) in secs:
            names.add(cstr(shstr[name:]))
            if typ == 7 and size < (1 << 20) and bid is None:
                f.seek(off)
                for nm, t, desc in parse_notes(f.read(size), en):
                    if nm == "GNU" and t == 3:
                        bid = desc.hex()
        return bid, names


class SymIndex:
    """Indexed copies of debug vmlinux files, one per build-id:
    ROOT/<build-id>/vmlinux carries a .gdb_index (gdb-add-index), which
    spares crash's gdb its DWARF scan at every start-up.

    Built at most once: per process a memo + per-build-id thread lock; across
    processes (shards, hosts on a shared cache) an flock on
    ROOT/.<build-id>.lock, and the copy is built in ROOT/.tmp-<host>-<pid>-*
    and renamed into place, so ROOT/<build-id> either is complete or does not
    exist (if two builders race past the lock, e.g. on a filesystem without
    flock, the first rename wins and the loser discards its copy).  Any
    failure falls back to the original vmlinux, with the reason recorded."""

    def __init__(self, root, spawn):
        self.root = os.path.abspath(root)
        self.spawn = spawn          # Batch.spawn: process group, pdeathsig, timeout
        self.lock = threading.Lock()
        self.keys = {}              # build-id -> threading.Lock
        self.memo = {}              # build-id -> (path or None, info)
        self.tool = shutil.which("gdb-add-index")
        self.cleaned = False

    def _clean_stale(self):
        host = socket.gethostname()
        try:
            names = os.listdir(self.root)
        except OSError:
            return
        for fn in names:
            m = re.match(r"^\.tmp-(.+)-(\d+)-", fn)
            if m and m.group(1) == host and not pid_alive(int(m.group(2))):
                shutil.rmtree(os.path.join(self.root, fn), ignore_errors=True)

    def get(self, img):
        """(vmlinux to give crash, info dict for the result)."""
        bid = img.get("build_id")
        base = {"cache": self.root, "build_id": bid, "original": img["path"]}
        if not bid or not ID_HEX_RE.match(bid):
            return img["path"], dict(base, state="unavailable",
                                     reason="the vmlinux has no GNU build-id to key the index by")
        with self.lock:
            kl = self.keys.setdefault(bid, threading.Lock())
        with kl:
            if bid not in self.memo:
                self.memo[bid] = self._get(img, bid, base)
                path, info = self.memo[bid]
                if info["state"] == "built":
                    log(f"symbol index for build-id {bid[:12]} built in {info['build_seconds']}s "
                        f"(copy {info['copy_seconds']}s, gdb-add-index {info['index_seconds']}s): {path}")
                elif info["state"] == "cached":
                    log(f"symbol index for build-id {bid[:12]}: {path}")
                else:
                    log(f"no symbol index for {img['path']}: {info['reason']}")
                return path, info
            path, info = self.memo[bid]
            if info["state"] == "built":   # later dumps of this run reuse it
                info = dict(info, state="cached", built_this_run=True)
            return path, info

    def _valid(self, final, bid):
        p = os.path.join(final, "vmlinux")
        if not os.path.isfile(p):
            return False
        got, names = elf_sections(p)
        return got == bid and ".gdb_index" in names

    def _get(self, img, bid, base):
        final = os.path.join(self.root, bid)
        vml = os.path.join(final, "vmlinux")
        t0 = time.time()
        try:
            if self._valid(final, bid):
                return vml, dict(base, state="cached", path=vml)
            if not self.tool:
                return img["path"], dict(base, state="unavailable", reason=(
                    "gdb-add-index not found (Debian package gdb); crash reads the original vmlinux"))
            os.makedirs(self.root, exist_ok=True)
            if not self.cleaned:
                self._clean_stale()
                self.cleaned = True
            lockf = os.open(os.path.join(self.root, f".{bid}.lock"), os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            return img["path"], dict(base, state="failed", reason=f"index cache {self.root}: {e}")
        try:
            import fcntl
            waited = 0.0
            while True:
                try:
                    fcntl.flock(lockf, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if waited >= INDEX_LOCK_WAIT:
                        return img["path"], dict(base, state="failed", reason=(
                            f"another process has been building the index for {waited:.0f}s "
                            f"(lock {self.root}/.{bid}.lock); used the original vmlinux"))
                    time.sleep(0.5)
                    waited += 0.5
            if self._valid(final, bid):   # built by another shard while we waited
                return vml, dict(base, state="cached", path=vml,
                                 waited_seconds=round(time.time() - t0, 2))
            if os.path.lexists(final):
                # not a valid copy (e.g. made by hand): move it aside, rebuild
                junk = tempfile.mkdtemp(prefix=f".tmp-{socket.gethostname()}-{os.getpid()}-old-",
                                        dir=self.root)
                os.rename(final, os.path.join(junk, "old"))
                shutil.rmtree(junk, ignore_errors=True)
            return self._build(img, bid, base, final, t0)
        except OSError as e:
            return img["path"], dict(base, state="failed", reason=f"index build: {e}")
        finally:
            os.close(lockf)   # releases the flock

    def _build(self, img, bid, base, final, t0):
        src = img["path"]
        size = os.path.getsize(src)
        st = os.statvfs(self.root)
        free = st.f_bavail * st.f_frsize
        if free < 2.5 * size:   # the copy, plus objcopy's rewrite of it
            return src, dict(base, state="failed", reason=(
                f"not enough space in {self.root} for an indexed copy "
                f"({free >> 20} MiB free, {int(2.5 * size) >> 20} MiB needed)"))
        tmp = tempfile.mkdtemp(prefix=f".tmp-{socket.gethostname()}-{os.getpid()}-", dir=self.root)
        try:
            copy = os.path.join(tmp, "vmlinux")
            shutil.copyfile(src, copy)
            t_copy = time.time() - t0
            env = dict(os.environ)
            arch = img.get("arch")
            if arch and arch != HOST_ARCH:
                pre = CROSS_BINUTILS.get(arch, "")
                if shutil.which(pre + "objcopy") and shutil.which(pre + "readelf"):
                    env["OBJCOPY"], env["READELF"] = pre + "objcopy", pre + "readelf"
            rc, out, dt = self.spawn([self.tool, copy], env=env, timeout=INDEX_TIMEOUT)
            if rc is None:
                return src, dict(base, state="failed",
                                 reason=f"gdb-add-index exceeded {INDEX_TIMEOUT}s")
            if rc != 0:
                return src, dict(base, state="failed",
                                 reason=f"gdb-add-index exit {rc}: " + tail(out, 4))
            got, names = elf_sections(copy)
            if ".gdb_index" not in names or got != bid:
                return src, dict(base, state="failed", reason=(
                    "gdb-add-index wrote no .gdb_index (" + tail(out, 3) + ")"
                    if ".gdb_index" not in names else f"indexed copy has build-id {got}, want {bid}"))
            meta = {"build_id": bid, "source": src, "source_size": size,
                    "release": img.get("release"), "arch": arch,
                    "gdb_add_index": self.tool, "gdb": gdb_version(),
                    "copy_seconds": round(t_copy, 2), "index_seconds": round(dt, 2),
                    "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    "host": socket.gethostname()}
            with open(os.path.join(tmp, "index.json"), "w") as f:
                json.dump(meta, f, indent=2)
                f.write("\n")
            for p in (copy, os.path.join(tmp, "index.json")):
                fd = os.open(p, os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
            os.chmod(tmp, 0o755)
            try:
                os.rename(tmp, final)
            except OSError:
                # someone else's rename won (no working flock): use theirs
                if self._valid(final, bid):
                    return os.path.join(final, "vmlinux"), dict(
                        base, state="cached", path=os.path.join(final, "vmlinux"),
                        note="another builder's rename won")
                raise
            tmp = None
            fd = os.open(self.root, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            vml = os.path.join(final, "vmlinux")
            return vml, dict(base, state="built", path=vml,
                             build_seconds=round(time.time() - t0, 2),
                             copy_seconds=round(t_copy, 2), index_seconds=round(dt, 2))
        finally:
            if tmp:
                shutil.rmtree(tmp, ignore_errors=True)


def gdb_version():
    try:
        out = subprocess.run(["gdb", "--version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return out.splitlines()[0].strip() if out else None

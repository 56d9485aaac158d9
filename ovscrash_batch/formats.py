"""Dump formats read without crash: magic sniffing, the kdump-compressed,
flattened and ELF core headers, their vmcoreinfo, single-file
decompression.  Every read of a header goes through Reader.read's bound:
a hostile offset is a BadDump naming the file."""
import os
import re
import shutil
import struct
import subprocess

from .common import kill_group, pdeath_wrap, EM_ARCH, MACHINE_ARCH, MIB


SIDE_RE = re.compile(r"(^vmcore-dmesg.*\.txt$|console.*\.(log|txt)$|^dmesg.*\.(log|txt)$|"
                     r"^serial.*\.(log|txt)$|^kexec-dmesg\.log$|"
                     r"^dmesg\.\d{8,14}$|.\.dmesg$)", re.I)
# Debian kdump-tools: /var/crash/<YYYYMMDDHHMM>/dmesg.<stamp> beside dump.<stamp>
KDUMP_DMESG_RE = re.compile(r"^dmesg\.(\d{8,14})$")
# names a dump goes by when its bytes are not readable as one (kdump-tools'
# dump.<stamp>.gz, dump-incomplete, vmcore.<stamp>; a copied vmcore.zst)
DUMP_NAME_RE = re.compile(r"^(dump|vmcore)([._-]|$)|\.vmcore$", re.I)
# kdump-tools' names for a dump still being written (kdump-config writes
# dump-incomplete<ext>, or vmcore-incomplete on its cp fallback, and renames
# it when complete): never opened, reported as `incomplete`
INCOMPLETE_RE = re.compile(r"^(dump-incomplete(\.(gz|bz2|lz4|xz|zst))?|vmcore-incomplete)$")
# names of files that are evidently not dumps (manifests, logs that are not
# kernel logs, READMEs, kdump-tools' kexec_cmd, lock files): listed once as
# skipped files when they carry no dump/archive magic and no NUL byte
SKIP_RE = re.compile(r"(\.(json|log|txt|md|rst)$|^README|^kexec_cmd$|(^|[._-])lock$)", re.I)
# single-file compression: magic -> name (kdump-tools' KDUMP_COMPRESSION:
# gzip, bzip2, lz4, xz; zstd too)
COMP_MAGIC = ((b"\x1f\x8b", "gz"), (b"BZh", "bz2"), (b"\xfd7zXZ\0", "xz"),
              (b"\x28\xb5\x2f\xfd", "zst"), (b"\x04\x22\x4d\x18", "lz4"))
COMP_CLI = {"zst": ["zstd", "-dcq", "--"], "lz4": ["lz4", "-dcq", "--"]}
COMP_PKG = {"zst": "zstd", "lz4": "lz4"}


class BadDump(Exception):
    """The file has a dump's magic but cannot be a usable dump."""


class Reader:
    """Random access to a dump's logical bytes: a plain file, or a
    flattened makedumpfile stream seen through its segment map."""

    def __init__(self, path):
        self.path = path
        self.f = open(path, "rb")
        self.size = os.fstat(self.f.fileno()).st_size
        self.segments = None  # [(logical offset, length, file offset)]

    def close(self):
        self.f.close()

    def read(self, off, n):
        """n bytes at logical offset off; an offset or length from a
        hostile header (2^63, 4 GiB of program headers) is a BadDump
        naming the file, never a seek error or a huge allocation."""
        size = self.size if self.segments is None else self.logical_size
        if off < 0 or n < 0 or off > size:
            raise BadDump(f"{self.path}: header points at byte {off:#x}, "
                          f"beyond the {size:#x}-byte dump")
        if n > size - off:
            # also for a plain file: f.read(4 GiB) allocates 4 GiB first
            raise BadDump(f"{self.path}: header asks for bytes {off:#x}+{n:#x}, "
                          f"beyond the {size:#x}-byte dump")
        if self.segments is None:
            self.f.seek(off)
            return self.f.read(n)
        out = bytearray(n)
        got = 0
        for lo, ln, fo in self.segments:
            a, b = max(off, lo), min(off + n, lo + ln)
            if a < b:
                self.f.seek(fo + (a - lo))
                out[a - off:b - off] = self.f.read(b - a)
                got += b - a
        if got < n:
            raise BadDump(f"flattened stream has no data for bytes {off:#x}+{n:#x}")
        return bytes(out)

    def load_flattened(self):
        """Walk every segment header (big-endian offset, size); a stream
        that ends inside a segment or lacks the end marker is truncated."""
        segs = []
        pos = 4096
        end_seen = False
        logical = 0
        while pos + 16 <= self.size:
            self.f.seek(pos)
            off, ln = struct.unpack(">qq", self.f.read(16))
            if off == -1 and ln == -1:
                end_seen = True
                break
            if off < 0 or ln < 0 or ln > (1 << 40):
                raise BadDump(f"flattened stream: corrupt segment header at file offset {pos:#x}")
            if pos + 16 + ln > self.size:
                raise BadDump(f"truncated: flattened segment at file offset {pos:#x} needs "
                              f"{ln} bytes, file ends at {self.size:#x}")
            segs.append((off, ln, pos + 16))
            logical = max(logical, off + ln)
            pos += 16 + ln
        if not end_seen:
            raise BadDump(f"truncated: flattened stream has no end marker "
                          f"({len(segs)} segments, file size {self.size})")
        self.segments = segs
        self.logical_size = logical


def parse_vmcoreinfo(raw):
    info = {}
    for line in raw.decode("utf-8", "replace").splitlines():
        if "=" in line:
            k, v = line.split("=", 1)
            info.setdefault(k.strip(), v.strip())
    return info


def parse_notes(data, endian="<"):
    """[(name, type, desc)] from an ELF note area."""
    out = []
    p = 0
    while p + 12 <= len(data):
        nsz, dsz, typ = struct.unpack(endian + "III", data[p:p + 12])
        p += 12
        name = data[p:p + nsz].rstrip(b"\0").decode("latin-1")
        p += (nsz + 3) & ~3
        desc = data[p:p + dsz]
        p += (dsz + 3) & ~3
        if nsz == 0 and dsz == 0 and typ == 0:
            break
        out.append((name, typ, desc))
    return out


def cstr(b):
    return b.split(b"\0", 1)[0].decode("utf-8", "replace")


def probe_kdump(r, fmt):
    """kdump-compressed header (makedumpfile's disk_dump_header, 64-bit)."""
    h = r.read(0, 0x1d0)
    ver = struct.unpack_from("<i", h, 8)[0]
    uts = [cstr(h[12 + 65 * i:12 + 65 * (i + 1)]) for i in range(6)]
    (status, block_size, sub_hdr_size, bitmap_blocks, max_mapnr, total_ram_blocks,
     device_blocks, written_blocks, current_cpu, nr_cpus) = struct.unpack_from("<IiiIIIIIIi", h, 0x1a8)
    if block_size < 512 or block_size > (1 << 20) or block_size & (block_size - 1):
        raise BadDump(f"kdump header: implausible block_size {block_size}")
    if not 0 < bitmap_blocks < (1 << 31) or sub_hdr_size < 0:
        raise BadDump(f"kdump header: implausible bitmap_blocks {bitmap_blocks} / sub_hdr_size {sub_hdr_size}")
    d = {"format": fmt, "header_version": ver, "utsname_machine": uts[4], "utsname_release": uts[2],
         "block_size": block_size, "nr_cpus": nr_cpus, "current_cpu": current_cpu,
         "status_flags": status}
    vmcoreinfo = None
    if ver >= 3 and sub_hdr_size > 0:
        sub = r.read(block_size, 0x68)
        off_vi, size_vi = struct.unpack_from("<qQ", sub, 0x20)
        if size_vi and 0 < off_vi and size_vi < (1 << 24):
            vmcoreinfo = r.read(off_vi, size_vi)
        if ver >= 6:
            max_mapnr = struct.unpack_from("<Q", sub, 0x60)[0] or max_mapnr
    try:
        kdump_structure(r, d, block_size, sub_hdr_size, bitmap_blocks)
    except BadDump as e:
        e.partial = (d, vmcoreinfo)   # header facts of a damaged dump
        raise
    d["arch"] = MACHINE_ARCH.get(uts[4])
    return d, vmcoreinfo


def kdump_structure(r, d, block_size, sub_hdr_size, bitmap_blocks):
    """Structural check: the bitmaps, the page descriptor table and the
    page data the descriptors point to must lie inside the file."""
    bm_start = (1 + sub_hdr_size) * block_size
    half = bitmap_blocks * block_size // 2
    need = bm_start + 2 * half
    fsize = r.logical_size if r.segments is not None else r.size
    if need > fsize:
        raise BadDump(f"truncated: bitmaps end at {need:#x}, dump is {fsize:#x} bytes")
    bm2 = r.read(bm_start + half, half)
    npages = int.from_bytes(bm2, "little").bit_count()
    d["dumpable_pages"] = npages
    if npages:
        pd_start = bm_start + 2 * half
        last_pd = pd_start + (npages - 1) * 24
        if last_pd + 24 > fsize:
            raise BadDump(f"truncated: page descriptor table needs {last_pd + 24:#x} bytes, "
                          f"dump is {fsize:#x}")
        # descriptors are not in data order (makedumpfile stores the zero
        # page once, cyclic mode interleaves): check the whole table when it
        # is small, else 4096 evenly spaced entries plus the last one
        if npages * 24 <= 64 * MIB:
            pds = struct.iter_unpack("<qIIQ", r.read(pd_start, npages * 24))
        else:
            step = max(1, npages // 4096)
            pds = [struct.unpack("<qIIQ", r.read(pd_start + i * 24, 24))
                   for i in list(range(0, npages, step)) + [npages - 1]]
        for off, sz, _fl, _pf in pds:
            if off <= 0 or off + sz > fsize:
                raise BadDump(f"truncated: page data at {off:#x}+{sz:#x} lies beyond the end "
                              f"of the dump ({fsize:#x} bytes)")


def probe_elf(r):
    h = r.read(0, 64)
    if h[4] != 2:
        return {"format": "elf32"}, None
    endian = "<" if h[5] == 1 else ">"
    e_type, e_machine = struct.unpack_from(endian + "HH", h, 16)
    e_phoff = struct.unpack_from(endian + "Q", h, 32)[0]
    e_phentsize, e_phnum = struct.unpack_from(endian + "HH", h, 54)
    d = {"format": "elf", "e_type": e_type, "e_machine": e_machine,
         "arch": EM_ARCH.get(e_machine)}
    if e_type != 4:  # ET_CORE
        return d, None
    if e_phnum == 0 or e_phentsize < 56:
        raise BadDump("ELF core without program headers")
    ph = r.read(e_phoff, e_phnum * e_phentsize)
    vmcoreinfo = None
    end = 0
    for i in range(e_phnum):
        p_type, _flags, p_offset, _va, _pa, p_filesz = struct.unpack_from(
            endian + "IIQQQQ", ph, i * e_phentsize)
        end = max(end, p_offset + p_filesz)
        if p_type == 4 and p_filesz < (1 << 26):
            for name, _t, desc in parse_notes(r.read(p_offset, p_filesz), endian):
                if name == "VMCOREINFO":
                    vmcoreinfo = desc
    fsize = r.logical_size if r.segments is not None else r.size
    if end > fsize:
        e = BadDump(f"truncated: ELF segments end at {end:#x}, file is {fsize:#x} bytes")
        e.partial = (d, vmcoreinfo)
        raise e
    return d, vmcoreinfo


def dump_magic(head):
    """(kind, detail) for a head that carries dump magic, else None."""
    if head.startswith(b"makedumpfile\0"):
        return "dump", "flattened"
    if head.startswith(b"KDUMP   "):
        return "dump", "kdump-compressed"
    if head.startswith(b"DISKDUMP"):
        return "dump", "diskdump"
    if head.startswith(b"\x7fELF"):
        if len(head) >= 18:
            endian = "<" if head[5] == 1 else ">"
            e_type = struct.unpack_from(endian + "H", head, 16)[0]
            if e_type == 4:
                return "dump", "elf"
            return "other", f"ELF file of type {e_type} (not ET_CORE): an executable, module or debuginfo, not a dump"
        return "other", "short ELF file"
    return None


def open_decompressed(path, comp):
    """(readable binary stream, helper process or None) of a compressed
    file's contents: python's gzip/bz2/lzma, or the zstd/lz4 command."""
    import bz2
    import gzip
    import lzma
    if comp == "gz":
        return gzip.open(path, "rb"), None
    if comp == "bz2":
        return bz2.open(path, "rb"), None
    if comp == "xz":
        return lzma.open(path, "rb"), None
    argv = COMP_CLI[comp]
    if not shutil.which(argv[0]):
        raise RuntimeError(f"{comp}-compressed file but no {argv[0]} command "
                           f"(apt-get install {COMP_PKG[comp]})")
    p = subprocess.Popen(pdeath_wrap() + argv + [path], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    return p.stdout, p


def close_decompressed(f, proc):
    f.close()
    if proc:
        if proc.poll() is None:
            kill_group(proc)
        proc.wait()


def peek_decompressed(path, comp, n=4096):
    """The first n decompressed bytes (fewer for a short stream); raises
    RuntimeError when the stream cannot be read."""
    import lzma
    import zlib
    f, proc = open_decompressed(path, comp)
    try:
        buf = b""
        while len(buf) < n:
            b = f.read(n - len(buf))
            if not b:
                break
            buf += b
        if len(buf) < n and proc is not None:
            try:
                rc = proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                rc = None
            if rc:
                raise RuntimeError(f"{' '.join(COMP_CLI[comp][:2])} exit {rc} after "
                                   f"{len(buf)} bytes: a damaged {comp} stream")
        return buf
    except (OSError, EOFError, lzma.LZMAError, zlib.error, ValueError) as e:
        raise RuntimeError(f"{comp} stream unreadable: {e}")
    finally:
        close_decompressed(f, proc)


def sniff(path):
    """(kind, detail) where kind is dump|cdump|archive|incomplete|side|skip|other;
    for cdump (a single compressed dump) detail is (compression, inner format)."""
    fn = os.path.basename(path)
    with open(path, "rb") as f:
        head = f.read(512)
    if INCOMPLETE_RE.match(fn):
        return "incomplete", (f"{fn}: kdump-tools had not finished writing this dump "
                              f"(it renames it to dump.<stamp> or vmcore.<stamp> when "
                              f"complete); not opened")
    dm = dump_magic(head)
    if dm and dm[0] == "dump":
        return dm
    comp = None if dm else next((c for m, c in COMP_MAGIC if head.startswith(m)), None)
    if comp:
        try:
            inner = peek_decompressed(path, comp)
        except RuntimeError as e:
            return "other", f"{comp}-compressed file that cannot be decompressed ({e})"
        dm = dump_magic(inner)
        if dm and dm[0] == "dump":
            return "cdump", (comp, dm[1])
        return "archive", comp
    if head[257:262] == b"ustar":
        return "archive", "tar"
    if SIDE_RE.search(fn):
        return "side", side_kind(fn)
    # evidently not a dump, unless it is named like one (then it stays a
    # not-a-dump result, and the logs beside it are triaged)
    if not DUMP_NAME_RE.search(fn):
        if dm:
            return "skip", dm[1]
        if SKIP_RE.search(fn) and b"\0" not in head:
            return "skip", ("evidently not a dump: no dump magic, and its name is that of a "
                            "manifest, log, README, kexec_cmd or lock file")
        if head and all(c >= 0x20 or c in b"\t\n\r\f\x1b" for c in head):
            return "skip", "a text file without dump magic"
        if not head:
            return "skip", "an empty file (a marker or lock file)"
    if dm:
        return dm
    if not head:
        return "other", "empty file"
    return "other", "no dump signature (kdump-compressed, flattened makedumpfile or ELF core)"


def side_kind(fn):
    """kdump-dmesg (kdump-tools' dmesg.<stamp>), dump-dmesg (<dump>.dmesg),
    vmcore-dmesg (other dmesg files), console (console/serial captures)."""
    low = fn.lower()
    if KDUMP_DMESG_RE.match(fn):
        return "kdump-dmesg"
    if low.endswith(".dmesg"):
        return "dump-dmesg"
    return "vmcore-dmesg" if "dmesg" in low else "console"


def vmcoreinfo_facts(d, vi):
    """release / build-id / arch from a header dict and raw vmcoreinfo."""
    info = parse_vmcoreinfo(vi) if vi else {}
    out = {"release": info.get("OSRELEASE") or d.get("utsname_release") or None,
           "build_id": (info.get("BUILD-ID") or "").lower() or None,
           "arch": d.get("arch")}
    if not out["arch"]:
        # vmcoreinfo carries arch-only symbols
        if "SYMBOL(init_top_pgt)" in info or "NUMBER(phys_base)" in info:
            out["arch"] = "x86_64"
        elif "NUMBER(VA_BITS)" in info or "NUMBER(kimage_voffset)" in info:
            out["arch"] = "arm64"
    return out, info


def probe_dump(path, fmt):
    """Header facts of a dump; raises BadDump."""
    r = Reader(path)
    try:
        if fmt == "flattened":
            r.load_flattened()
            magic = r.read(0, 8)
            if magic == b"KDUMP   ":
                d, vi = probe_kdump(r, "flattened")
            elif magic.startswith(b"\x7fELF"):
                d, vi = probe_elf(r)
                d["format"] = "flattened"
            else:
                raise BadDump("flattened stream does not hold a kdump-compressed or ELF dump")
        elif fmt in ("kdump-compressed", "diskdump"):
            d, vi = probe_kdump(r, fmt)
        else:
            d, vi = probe_elf(r)
    except struct.error as e:
        raise BadDump(f"header too short: {e}")
    except BadDump as e:
        # a damaged dump whose header was readable: its build-id still
        # names the vmlinux that ovscrash-log can disassemble with
        part = getattr(e, "partial", None)
        if part:
            try:
                e.facts = vmcoreinfo_facts(dict(part[0], arch=part[0].get("arch") or
                                                MACHINE_ARCH.get(part[0].get("utsname_machine"))),
                                           part[1])[0]
            except (ValueError, TypeError):
                e.facts = None
        raise
    finally:
        r.close()
    facts, info = vmcoreinfo_facts(d, vi)
    d["vmcoreinfo"] = bool(vi)
    d["release"] = facts["release"]
    d["build_id"] = facts["build_id"]
    d["release_from"] = ("vmcoreinfo OSRELEASE" if info.get("OSRELEASE")
                         else "header utsname" if d.get("utsname_release") else None)
    d["arch"] = facts["arch"]
    # vmcoreinfo CRASHTIME: the wall clock at the panic (the fast path
    # checks a side file's boot clock line against it)
    ct = info.get("CRASHTIME", "")
    d["crash_time"] = int(ct) if ct.isdigit() else None
    return d

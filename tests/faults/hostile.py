"""An archive of 1,000 hostile entries, made at test time (issue 11).

Members: two real fixture dumps (the healthy one under a directory name
holding @ , : ESC, a newline and a Latin-1 byte; the lockup one under a
name that a later member repeats), crafted kdump-compressed, flattened
and ELF core headers (huge offsets, sizes and counts, truncated), prefixes
of a real dump, GNU sparse members claiming a terabyte, gzip / xz / zstd
decompression bombs (a kdump header, then GiBs of zeros: concatenated
streams, cheap to make), a file and a directory of one name, symlinks
(to /, up the tree, to itself), hard links, a FIFO and a device, unsafe
(absolute, ..) and over-long names, and hostile-named junk; the archive
ends inside its last member.

Asserted: every member is accounted for (a result naming it, or a line
under the skipped files); each real dump gets the verdict its fixture
manifest expects; no traceback; peak memory of the batch process and
peak scratch use stay under the stated bounds; the time is printed.
"""
import io
import json
import lzma
import os
import random
import struct
import subprocess
import tarfile
import threading
import time
import zlib

from check import results  # noqa: E402  (tests/e2e/check.py, on the path faults.py set)

MIB = 1 << 20
N_ENTRIES = 1000
MAX_DECOMPRESSED = 64 * MIB          # --max-decompressed of the run
SCRATCH_BOUND = 256 * MIB            # asserted: peak bytes under OUT/.scratch
RSS_BOUND = 256 * MIB                # asserted: peak RSS of the batch process itself
BOMB_BYTES = 4 << 30                 # what each bomb claims to expand to
SPARSE_BYTES = 1 << 40               # what each sparse member claims
HOSTILE = ["@", ",", ":", "\x1b[31m", "\n", "\udce9", " ", "'", '"', "$(id)", "\\", "%s%n",
           "\t", "-rf", "&amp;", "<b>", "\u202e", "*", "?", "~"]


def elf_core(e_phoff=64, e_phnum=1, e_phentsize=56, notes=None, phdrs=None, total=None):
    """An ELF64 little-endian x86_64 ET_CORE header and program headers."""
    h = bytearray(64)
    h[0:16] = b"\x7fELF\x02\x01\x01" + bytes(9)
    struct.pack_into("<HHIQQQIHHHHHH", h, 16, 4, 62, 1, 0, e_phoff, 0, 0, 64,
                     e_phentsize, e_phnum & 0xffff, 64, 0, 0)
    body = bytes(h)
    for p_type, off, filesz in phdrs or []:
        body += struct.pack("<IIQQQQQQ", p_type, 0, off, 0, 0, filesz, filesz, 0)
    body += notes or b""
    if total:
        body = body[:total]
    return body


def cat_streams(first, zeros_chunk, n, comp):
    """A decompression bomb: FIRST then n * zeros_chunk zero bytes, as
    concatenated streams of compression COMP (valid for gzip, xz, zstd)."""
    def one(data):
        if comp == "gz":
            c = zlib.compressobj(9, zlib.DEFLATED, 31)
            return c.compress(data) + c.flush()
        if comp == "xz":
            return lzma.compress(data, preset=0)
        return subprocess.run(["zstd", "-q", "-1", "-c"], input=data, stdout=subprocess.PIPE,
                              check=True).stdout
    z = one(bytes(zeros_chunk))
    return one(first) + z * n


class Archive:
    def __init__(self, path):
        self.t = tarfile.open(path, "w", format=tarfile.GNU_FORMAT)
        self.entries = []       # (member name, expectation)

    def add(self, name, data, expect="any", mode=0o644):
        i = tarfile.TarInfo(name)
        i.size = len(data)
        i.mode = mode
        i.mtime = 1764158400
        self.t.addfile(i, io.BytesIO(data))
        self.entries.append((name, expect))

    def special(self, name, typ, expect="skip", linkname=""):
        i = tarfile.TarInfo(name)
        i.type = typ
        i.linkname = linkname
        i.mtime = 1764158400
        self.t.addfile(i)
        self.entries.append((name, expect))


def build(f, d):
    """(archive path, [(member, expectation)]) in directory d."""
    rnd = random.Random(11)
    healthy = open(f.dump["healthy"], "rb").read()
    lockup = open(f.dump["lockup"], "rb").read()
    head = healthy[:64 * 1024]
    tarp = os.path.join(d, "hostile.tar")
    a = Archive(tarp)
    # the real dumps
    real_dir = "real/" + "".join(HOSTILE[:6]) + "dir"
    a.add(real_dir + "/vmcore", healthy, "ok:healthy")
    a.add("dup/vmcore", lockup, "ok:lockup")
    a.add("dup/vmcore", elf_core(e_phoff=1 << 63), "any")        # the same name again
    a.add("clash", b"a file where a directory is wanted\n", "any")
    a.add("clash/vmcore", elf_core(), "any")
    # crafted ELF cores
    big = [1 << 63, (1 << 64) - 1, 1 << 40, 1 << 32, 0x7fffffffffffffff]
    for v in big:
        a.add(f"elf/phoff-{v:x}/vmcore", elf_core(e_phoff=v), "bad")
        a.add(f"elf/note-offset-{v:x}/vmcore", elf_core(phdrs=[(4, v, 64)]), "bad")
        a.add(f"elf/note-size-{v:x}/vmcore", elf_core(phdrs=[(4, 120, v)]), "bad")
        a.add(f"elf/load-{v:x}/vmcore", elf_core(phdrs=[(1, v, v)]), "any")
    for n in (0, 2, 1000, 65535):
        a.add(f"elf/phnum-{n}/vmcore", elf_core(e_phnum=n, phdrs=[(4, 120, 8)]), "any")
    for n in (0, 1, 8, 200, 4096):
        a.add(f"elf/phentsize-{n}/vmcore", elf_core(e_phentsize=n, phdrs=[(4, 120, 8)]), "any")
    for cut in (4, 16, 52, 63, 64, 80, 119):
        a.add(f"elf/cut-{cut}/vmcore", elf_core(phdrs=[(4, 120, 64)], notes=bytes(64), total=cut), "any")
    # crafted kdump-compressed headers: words of the real header (64 KiB
    # prefix: truncated too) set to 0, 2^31-1, 2^32-1 and 2^63
    for off in range(8, 0x1d0, 4):
        for val in (0xffffffff, 0x7fffffff):
            b = bytearray(head)
            struct.pack_into("<I", b, off, val)
            a.add(f"kdump/word-{off:#x}-{val:x}/vmcore", bytes(b), "bad")
    for off in range(0x1000, 0x1000 + 0x80, 8):     # the sub-header's 64-bit fields
        b = bytearray(head)
        struct.pack_into("<Q", b, off, 1 << 63)
        a.add(f"kdump/sub-{off:#x}/vmcore", bytes(b), "bad")
    for n in list(range(1, 600, 7)) + [4095, 4096, 4097, 8191, 65536, 200000, MIB]:
        a.add(f"truncated/{n:07d}/vmcore", healthy[:n], "bad")
    # flattened makedumpfile streams with hostile segment headers
    fh = b"makedumpfile\0\0\0\0" + struct.pack(">qq", 1, 1) + bytes(4096 - 32)
    for off, size in ((1 << 62, 16), (0, 1 << 62), (-1, 16), (16, -5), ((1 << 63) - 1, 1 << 40)):
        seg = struct.pack(">qq", off, size) + bytes(64)
        a.add(f"flat/seg-{off & 0xffffffffffffffff:x}-{size & 0xffffffffffffffff:x}/vmcore",
              fh + seg, "bad")
    a.add("flat/only-header/vmcore", fh, "bad")
    # decompression bombs: a kdump header, then BOMB_BYTES of zeros
    for comp in ("gz", "xz", "zst"):
        a.add(f"bomb/dump.202611261200.{comp}", cat_streams(head, 64 * MIB, BOMB_BYTES // (64 * MIB),
                                                            comp), "too-large")
    # links, special files, unsafe and over-long names
    a.special("links/to-root", tarfile.SYMTYPE, linkname="/")
    a.special("links/up", tarfile.SYMTYPE, linkname="../../../../../etc/shadow")
    a.special("links/self", tarfile.SYMTYPE, linkname="self")
    a.special("links/vmcore", tarfile.SYMTYPE, linkname="../dup/vmcore")
    a.special("links/hard-real", tarfile.LNKTYPE, linkname=real_dir + "/vmcore")
    a.special("links/hard-missing", tarfile.LNKTYPE, linkname="no/such/member")
    a.special("special/fifo", tarfile.FIFOTYPE)
    a.special("special/null", tarfile.CHRTYPE)
    a.special("special/blockdev", tarfile.BLKTYPE)
    for name in ("/etc/ovscrash-hostile", "../escape", "a/../../escape2", "./../escape3"):
        a.add(name, b"escape\n", "skip")
    for n in (255, 256, 300, 1000):
        a.add("long/" + "n" * n, rnd.randbytes(600), "any")
    a.add("long/" + "/".join(["d" * 200] * 25) + "/vmcore", rnd.randbytes(600), "any")
    # hostile-named junk up to N_ENTRIES (binary: a not-a-dump result;
    # text: a skipped file; empty: a skipped file)
    i = 0
    while len(a.entries) < N_ENTRIES - 2:   # + the sparse and the last member
        h = HOSTILE[i % len(HOSTILE)] + HOSTILE[(i * 7 + 3) % len(HOSTILE)]
        kind = i % 3
        name = f"junk/{i:03d}{h}x" + ("" if kind else f"/vmcore{h}")
        data = (rnd.randbytes(rnd.randint(1, 3000)) if kind == 0 else
                f"text {i}\n".encode() if kind == 1 else b"")
        a.add(name, data, "any")
        i += 1
    a.t.close()
    # GNU sparse members (GNU tar --sparse), claiming SPARSE_BYTES
    sp = os.path.join(d, "sparse-stage")
    os.makedirs(sp)
    with open(os.path.join(sp, "vmcore"), "wb") as o:
        o.write(head[:4096])
        o.truncate(SPARSE_BYTES)
    sptar = os.path.join(d, "sparse.tar")
    subprocess.run(["tar", "--sparse", "-cf", sptar, "-C", d, "sparse-stage/vmcore"], check=True)
    os.unlink(os.path.join(sp, "vmcore"))
    subprocess.run(["tar", "-Af", tarp, sptar], check=True, capture_output=True)
    a.entries.append(("sparse-stage/vmcore", "skip"))
    # the last member: the archive ends inside it
    with tarfile.open(tarp, "a", format=tarfile.GNU_FORMAT) as t:
        data = rnd.randbytes(256 * 1024)
        i = tarfile.TarInfo("zz-last/vmcore")
        i.size = len(data)
        t.addfile(i, io.BytesIO(data))
    size = os.path.getsize(tarp)
    with open(tarp, "r+b") as o:
        o.truncate(size - 10240 - 128 * 1024)   # end-of-archive blocks and half the member
    a.entries.append(("zz-last/vmcore", "cut"))
    out = os.path.join(d, "hostile.tar.zst")
    subprocess.run(["zstd", "-q", "-1", "--rm", "-o", out, tarp], check=True)
    return out, a.entries


class Monitor(threading.Thread):
    """Samples the batch's peak RSS (VmHWM) and the bytes under the
    scratch directory while it runs."""

    def __init__(self, pid, scratch):
        super().__init__(daemon=True)
        self.pid, self.scratch = pid, scratch
        self.hwm = self.disk = 0
        self.stop = False

    def run(self):
        while not self.stop:
            try:
                with open(f"/proc/{self.pid}/status") as fh:
                    for line in fh:
                        if line.startswith("VmHWM:"):
                            self.hwm = max(self.hwm, int(line.split()[1]) * 1024)
            except OSError:
                pass
            total = 0
            for dp, _dn, fns in os.walk(self.scratch):
                for fn in fns:
                    try:
                        total += os.lstat(os.path.join(dp, fn)).st_blocks * 512
                    except OSError:
                        pass
            self.disk = max(self.disk, total)
            time.sleep(0.05)


def member_of(p):
    """The member name in a result or skipped path ARCHIVE!/member."""
    return p.split("!", 1)[1] if "!" in p else None


def check(f):
    d = os.path.join(f.w, "hostile")
    os.makedirs(d)
    t0 = time.time()
    arc, entries = build(f, d)
    t_build = time.time() - t0
    eq_n = len(entries)
    if eq_n != N_ENTRIES:
        raise AssertionError(f"made {eq_n} entries, wanted {N_ENTRIES}")
    out = os.path.join(f.w, "out-hostile")
    argv = f.argv(out, [arc], "-j", "2", "--max-decompressed", str(MAX_DECOMPRESSED),
                  "--timeout", "120")
    t0 = time.time()
    errf = open(os.path.join(d, "stderr"), "w+")
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errf,
                         env=f.env())
    mon = Monitor(p.pid, os.path.join(out, ".scratch"))
    mon.start()
    rc = p.wait(timeout=900)
    mon.stop = True
    mon.join()
    dt = time.time() - t0
    errf.seek(0)
    err = errf.read()
    with open(os.path.join(f.a.out, "hostile-stderr.log"), "w") as fh:
        fh.write(err)
    print(f"hostile archive: {N_ENTRIES} entries, {os.path.getsize(arc) >> 10} KiB compressed, "
          f"made in {t_build:.1f}s; batch {dt:.1f}s (exit {rc}); peak RSS of the batch "
          f"{mon.hwm >> 20} MiB (bound {RSS_BOUND >> 20}); peak scratch {mon.disk >> 20} MiB "
          f"(bound {SCRATCH_BOUND >> 20})", flush=True)
    if "Traceback" in err:
        raise AssertionError(f"traceback: {err[err.index('Traceback'):][:1500]}")
    if rc not in (0, 1):
        raise AssertionError(f"exit {rc}: {err[-1000:]}")
    # names with ESC, newlines and Latin-1 bytes are shown escaped
    # (every line is one of the batch's: a raw newline would start another)
    raw = [ln for ln in err.splitlines() if ln and not ln.startswith("ovscrash-batch: ")]
    if "\x1b" in err or raw:
        raise AssertionError("a member name reached stderr unescaped: "
                             + repr((raw or [err[max(0, err.find("\x1b") - 60):]])[0][:200]))
    got = results(out)
    with open(os.path.join(out, "skipped.json")) as fh:
        skipped = json.load(fh)["files"]
    where = {}
    for r in got.values():
        for pth in r["paths"]:
            where.setdefault(member_of(pth), []).append(("result", r))
    for s in skipped:
        where.setdefault(member_of(s["path"]), []).append(("skipped", s))
    damaged = [s for s in skipped if "!" not in s["path"] and "unreadable" in s["reason"]]
    lost = []
    for name, expect in entries:
        norm = "/".join(x for x in name.split("/") if x not in ("", "."))
        hits = where.get(name, []) + where.get("/" + norm, []) + where.get(norm, [])
        if "/" + name not in ("/" + norm, name):
            # an unsafe name ("./../x", "/etc/x") is shown as the archive
            # holds it, after the "!/" every member gets
            hits += where.get("/" + name, [])
        hits += [h for k, v in where.items() if k and k.startswith("/" + norm + " (copy")
                 for h in v]
        if expect == "cut":
            if not hits and not damaged:
                lost.append(f"{name!r} (the archive's damage is not listed)")
            continue
        if not hits:
            lost.append(repr(name))
            continue
        kinds = {h[0] for h in hits}
        if expect == "skip" and "skipped" not in kinds:
            lost.append(f"{name!r}: expected under the skipped files, got {hits[0][1]}")
        if expect.startswith("ok:"):
            k = expect[3:]
            rs = [h[1] for h in hits if h[0] == "result"]
            if not rs:
                lost.append(f"{name!r}: real dump without a result")
                continue
            f.check_ok(rs[0], k, f"hostile archive member {name!r}")
            eq_id = rs[0]["id"] == f.id[k]
            if not eq_id:
                lost.append(f"{name!r}: result of another dump")
        if expect == "bad":
            st = {h[1]["status"] for h in hits if h[0] == "result"}
            if st - {"bad-dump", "not-a-dump"}:
                lost.append(f"{name!r}: crafted header got {st}")
            for h in hits:
                if h[0] == "result" and (not h[1]["error"] or "\n" in h[1]["error"]):
                    lost.append(f"{name!r}: reason not one line: {h[1]['error']!r}")
                if h[0] == "result" and "/.scratch/" in (h[1]["error"] or ""):
                    lost.append(f"{name!r}: reason names the scratch copy: {h[1]['error']!r}")
        if expect == "too-large":
            st = {h[1]["status"] for h in hits if h[0] == "result"}
            if st != {"too-large"}:
                lost.append(f"{name!r}: bomb got {st}")
    if lost:
        raise AssertionError(f"{len(lost)} of {N_ENTRIES} members not accounted for as expected: "
                             + "; ".join(lost[:12]))
    if mon.hwm > RSS_BOUND:
        raise AssertionError(f"peak RSS of the batch {mon.hwm >> 20} MiB > {RSS_BOUND >> 20} MiB")
    if mon.disk > SCRATCH_BOUND:
        raise AssertionError(f"peak scratch {mon.disk >> 20} MiB > {SCRATCH_BOUND >> 20} MiB")
    f.clean(out)
    # the report of that run: every format written, no raw ESC, every result counted
    rep = {k: os.path.join(d, f"report.{k}") for k in ("json", "csv", "md", "html")}
    argv = [os.path.join(f.a.top, "scripts", "ovscrash-report"), out]
    for k, v in rep.items():
        argv += [f"--{k}", v]
    t0 = time.time()
    pr = subprocess.run(argv, capture_output=True, text=True, timeout=300)
    print(f"hostile archive: ovscrash-report on its {len(got)} results took {time.time() - t0:.1f}s",
          flush=True)
    if pr.returncode != 0 or "Traceback" in pr.stderr:
        raise AssertionError(f"ovscrash-report exit {pr.returncode}: {pr.stderr[-1000:]}")
    for k, v in rep.items():
        with open(v, "rb") as fh:
            if b"\x1b" in fh.read():
                raise AssertionError(f"report.{k} holds a raw ESC byte")
    with open(rep["json"]) as fh:
        total = json.load(fh).get("total")
    if total != len(got):
        raise AssertionError(f"report total {total}, results {len(got)}")

"""Dump and vmlinux files built byte by byte for the tests, from the
formats' own definitions (not from the batch's parser):

- ELF64 core: Elf64_Ehdr (64 bytes), Elf64_Phdr (56 bytes each), PT_NOTE
  holding Elf64_Nhdr notes (namesz, descsz, type; name and desc padded
  to 4), as /proc/vmcore and makedumpfile -E write them.
- kdump-compressed: makedumpfile's struct disk_dump_header (signature,
  header_version, new_utsname (6 x 65 bytes), struct timeval, then
  status, block_size, sub_hdr_size, bitmap_blocks, max_mapnr, ...),
  struct kdump_sub_header in the next block (offset_vmcoreinfo at 0x20,
  size_vmcoreinfo at 0x28, max_mapnr_64 at 0x60), two bitmaps, a table
  of struct page_desc (offset, size, flags, page_flags: 24 bytes), page
  data.
- flattened: makedumpfile -F's 4096-byte header then (offset, size) big
  endian segment headers, ending with (-1, -1).
- vmlinux: an ELF64 executable with .note.gnu.build-id, .debug_info and
  .shstrtab sections."""
import struct

EM_X86_64 = 62
EM_AARCH64 = 183
PT_LOAD, PT_NOTE = 1, 4
ET_EXEC, ET_CORE = 2, 4


def note(name, ntype, desc):
    nb = name.encode() + b"\0"
    pad = lambda b: b + b"\0" * (-len(b) % 4)
    return struct.pack("<III", len(nb), len(desc), ntype) + pad(nb) + pad(desc)


def vmcoreinfo(release="6.1.0-test", build_id="ab" * 20, extra=""):
    s = f"OSRELEASE={release}\n"
    if build_id:
        s += f"BUILD-ID={build_id}\n"
    return (s + extra).encode()


def elf_core(vmci=None, loads=((0x1000, 0x1000),), machine=EM_X86_64, notes=b"",
             phoff=64, phnum=None, phentsize=56, e_type=ET_CORE, pad_to=None):
    """An ELF64 little-endian core: PT_NOTE (VMCOREINFO + NOTES), then
    PT_LOADs given as (file offset, size); the file is long enough for
    every PT_LOAD unless pad_to says otherwise."""
    nt = (note("VMCOREINFO", 0, vmci) if vmci is not None else b"") + notes
    nph = 1 + len(loads)
    note_off = phoff + nph * 56
    phs = struct.pack("<IIQQQQQQ", PT_NOTE, 0, note_off, 0, 0, len(nt), 0, 0)
    for off, size in loads:
        phs += struct.pack("<IIQQQQQQ", PT_LOAD, 7, off, 0xffffffff81000000 + off, off,
                           size, size, 0x1000)
    eh = (b"\x7fELF" + bytes([2, 1, 1, 0]) + b"\0" * 8 +
          struct.pack("<HHIQQQIHHHHHH", e_type, machine, 1, 0,
                      phoff, 0, 0, 64, phentsize, nph if phnum is None else phnum, 0, 0, 0))
    body = eh + b"\0" * (phoff - 64) + phs + nt
    end = max([len(body)] + [o + s for o, s in loads])
    if pad_to is not None:
        end = pad_to
    return (body + b"\0" * max(0, end - len(body)))[:end] if pad_to is not None else \
        body + b"\0" * (end - len(body))


def kdump(vmci=None, machine="x86_64", release="6.1.0-test", pages=3, block_size=4096,
          header_version=6, signature=b"KDUMP   ", cut=None):
    """A kdump-compressed dump with PAGES dumpable pages (page data
    stored uncompressed), vmcoreinfo in the sub header."""
    uts = [b"Linux", b"host", release.encode(), b"#1 SMP", machine.encode(), b"(none)"]
    uts_b = b"".join(u[:64].ljust(65, b"\0") for u in uts)
    vmci = vmci if vmci is not None else vmcoreinfo(release)
    bitmap_blocks = 2                   # one block per bitmap
    # the sub header's blocks also hold the vmcoreinfo (as makedumpfile
    # writes it), at sub header + 0x200
    sub_hdr_size = 1 + (0x200 + len(vmci)) // block_size
    vi_off = block_size + 0x200
    bm_start = (1 + sub_hdr_size) * block_size
    half = bitmap_blocks * block_size // 2
    pd_start = bm_start + 2 * half
    data_start = pd_start + pages * 24
    hdr = signature + struct.pack("<i", header_version) + uts_b
    hdr = hdr.ljust(408, b"\0") + struct.pack("<qq", 0, 0)          # struct timeval
    hdr += struct.pack("<IiiIIIIIIi", 0, block_size, sub_hdr_size, bitmap_blocks,
                       pages, pages, pages, pages, 0, 1)
    hdr = hdr.ljust(block_size, b"\0")
    sub = struct.pack("<QiiQQ", 0, 31, 0, 0, pages) + struct.pack("<qQ", vi_off, len(vmci))
    sub = sub.ljust(0x60, b"\0") + struct.pack("<Q", pages)
    sub = (sub.ljust(0x200, b"\0") + vmci).ljust(sub_hdr_size * block_size, b"\0")
    bits = (1 << pages) - 1
    bm1 = bits.to_bytes(half, "little")
    bm2 = bits.to_bytes(half, "little")
    pds = b"".join(struct.pack("<qIIQ", data_start + i * 4096, 4096, 0, 0) for i in range(pages))
    data = b"".join(bytes([i & 0xff]) * 4096 for i in range(pages))
    raw = hdr + sub + bm1 + bm2 + pds + data
    return raw[:cut] if cut is not None else raw


def flatten(raw, chunk=5000):
    """RAW as a flattened makedumpfile stream."""
    out = b"makedumpfile".ljust(16, b"\0") + struct.pack(">qq", 1, 1)
    out = out.ljust(4096, b"\0")
    for off in range(0, len(raw), chunk):
        b = raw[off:off + chunk]
        out += struct.pack(">qq", off, len(b)) + b
    return out + struct.pack(">qq", -1, -1)


def vmlinux(build_id="ab" * 20, machine=EM_X86_64, debug_info=True):
    """An ELF64 executable with a GNU build-id note and (optionally) a
    .debug_info section: what the symbol store indexes a vmlinux by."""
    names = [b"", b".note.gnu.build-id", b".debug_info", b".shstrtab"]
    shstr = b"\0".join(names) + b"\0"
    name_off = [0]
    for n in names[1:]:
        name_off.append(shstr.index(n + b"\0", 1))
    bid = note("GNU", 3, bytes.fromhex(build_id))
    dbg = b"\x01" * 32
    off = 64
    secs = [(0, 0, 0, 0)]                      # (name, type, offset, size)
    blobs = b""
    secs.append((name_off[1], 7, off, len(bid)))
    blobs += bid
    if debug_info:
        secs.append((name_off[2], 1, off + len(blobs), len(dbg)))
        blobs += dbg
    secs.append((name_off[3], 3, off + len(blobs), len(shstr)))
    blobs += shstr
    shoff = off + len(blobs)
    shoff += -shoff % 8
    eh = (b"\x7fELF" + bytes([2, 1, 1, 0]) + b"\0" * 8 +
          struct.pack("<HHIQQQIHHHHHH", ET_EXEC, machine, 1, 0, 0, shoff, 0, 64, 0, 0,
                      64, len(secs), len(secs) - 1))
    body = (eh + blobs).ljust(shoff, b"\0")
    for name, typ, o, size in secs:
        body += struct.pack("<IIQQQQIIQQ", name, typ, 0, 0, o, size, 0, 0, 1, 0)
    return body

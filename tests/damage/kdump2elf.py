#!/usr/bin/env python3
"""Write an uncompressed ELF core from a kdump-compressed dump.

makedumpfile refuses -E on a kdump-compressed input ("'-E' option is
disable, because ... is kdump compressed format"), and crash has no
conversion command, so this reads makedumpfile's format directly
(disk_dump_header, kdump_sub_header, the two page bitmaps, the page
descriptor table) and writes an ELF64 ET_CORE with:

  - one PT_NOTE holding the dump's note area unchanged (the per-CPU
    NT_PRSTATUS notes and the VMCOREINFO note: phys_base, KERNELOFFSET);
  - one PT_LOAD per run of consecutive dumped page frames, p_paddr the
    frame's physical address, p_vaddr the direct-map address (PAGE_OFFSET +
    p_paddr), p_filesz = p_memsz, the pages uncompressed.

A page the kdump file left out (the second bitmap's clear bits: excluded by
the dump level) is in no PT_LOAD, so crash finds it missing in the ELF copy
as it does in the original.  Every page sits at p_offset + (paddr -
p_paddr), which is what the damage generator uses to patch it.

Usage: kdump2elf.py KDUMP ELF
"""
import struct
import sys
import zlib

DUMP_DH_COMPRESSED_ZLIB = 0x1
EM = {"x86_64": 62, "aarch64": 183}
# direct-map base written into p_vaddr (crash translates by p_paddr and
# the kernel's own page tables; /proc/vmcore writes the same kind of value)
PAGE_OFFSET = {"x86_64": 0xffff888000000000, "aarch64": 0xffff000000000000}


class DumpError(Exception):
    pass


def cstr(b):
    return b.split(b"\0", 1)[0].decode("ascii", "replace")


def read_at(f, off, n, what):
    f.seek(off)
    b = f.read(n)
    if len(b) != n:
        raise DumpError(f"{what} at {off:#x}+{n:#x} is beyond the end of the file")
    return b


def dumped_runs(bitmap):
    """[(first_pfn, count)] of the set bits of a little-endian bitmap."""
    bits = int.from_bytes(bitmap, "little")
    runs = []
    pfn = 0
    while bits:
        skip = (bits & -bits).bit_length() - 1	# trailing zeros
        bits >>= skip
        pfn += skip
        n = (~bits & (bits + 1)).bit_length() - 1	# trailing ones
        runs.append((pfn, n))
        bits >>= n
        pfn += n
    return runs


def convert(src, dst):
    with open(src, "rb") as f:
        h = read_at(f, 0, 0x1d0, "disk_dump_header")
        if h[:8] not in (b"KDUMP   ", b"DISKDUMP"):
            raise DumpError(f"{src}: not a kdump-compressed dump (signature {h[:8]!r})")
        machine = cstr(h[12 + 65 * 4:12 + 65 * 5])
        if machine not in EM:
            raise DumpError(f"{src}: machine {machine!r} not supported")
        block_size, sub_hdr_size, bitmap_blocks = struct.unpack_from("<iiI", h, 0x1ac)
        sub = read_at(f, block_size, 0x68, "kdump_sub_header")
        off_note, size_note = struct.unpack_from("<qQ", sub, 0x30)
        notes = read_at(f, off_note, size_note, "note area")
        half = bitmap_blocks * block_size // 2
        bm_off = (1 + sub_hdr_size) * block_size
        runs = dumped_runs(read_at(f, bm_off + half, half, "second bitmap"))
        pd_off = bm_off + 2 * half
        npages = sum(n for _, n in runs)
        pds = list(struct.iter_unpack("<qIIQ", read_at(f, pd_off, 24 * npages,
                                                         "page descriptors")))

        nph = 1 + len(runs)
        data = (64 + 56 * nph + len(notes) + block_size - 1) // block_size * block_size
        with open(dst, "wb") as o:
            ehdr = bytearray(64)
            ehdr[:16] = b"\x7fELF\x02\x01\x01" + bytes(9)
            struct.pack_into("<HHIQQQIHHHHHH", ehdr, 16, 4, EM[machine], 1, 0, 64, 0, 0,
                             64, 56, nph, 0, 0, 0)
            o.write(ehdr)
            o.write(struct.pack("<IIQQQQQQ", 4, 0, 64 + 56 * nph, 0, 0,
                                len(notes), len(notes), 0))
            off = data
            for pfn, n in runs:
                pa = pfn * block_size
                o.write(struct.pack("<IIQQQQQQ", 1, 7, off, PAGE_OFFSET[machine] + pa, pa,
                                    n * block_size, n * block_size, 0))
                off += n * block_size
            o.write(notes)
            o.seek(data)
            i = 0
            for pfn, n in runs:
                for k in range(n):
                    poff, size, flags, _ = pds[i]
                    i += 1
                    raw = read_at(f, poff, size, f"page {pfn + k:#x}")
                    if flags & DUMP_DH_COMPRESSED_ZLIB:
                        raw = zlib.decompress(raw)
                    elif flags & ~0x8:
                        raise DumpError(f"{src}: page {pfn + k:#x}: compression flags "
                                        f"{flags:#x} not supported (zlib only)")
                    if len(raw) != block_size:
                        raise DumpError(f"{src}: page {pfn + k:#x} is {len(raw)} bytes")
                    o.write(raw)
    return len(runs), npages


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[-1])
    try:
        nruns, npages = convert(sys.argv[1], sys.argv[2])
    except (DumpError, OSError, zlib.error) as e:
        sys.exit(f"kdump2elf: {e}")
    print(f"{sys.argv[2]}: {npages} pages in {nruns} PT_LOADs")


if __name__ == "__main__":
    main()

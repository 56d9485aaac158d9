"""The dump-format probes (ovscrash_batch.formats) on crafted headers
(craft.py) and on random and mutated ones from Hypothesis: the facts of
a well-formed dump are the crafted ones; anything else is a BadDump
with a reason, never another exception, and no read reaches past the
end of the file (a proxy around the Reader's file checks every read)."""
import shutil
import struct
import subprocess

import pytest
from hypothesis import given, settings, strategies as st

import craft
from ovscrash_batch import formats
from ovscrash_batch.formats import BadDump, probe_dump, sniff

BID = "0123456789abcdef0123456789abcdef01234567"


class CheckedFile:
    """A file object that fails the test on any read past the end of the
    file or of more bytes than the file holds (what a hostile header
    would make a naive reader allocate)."""

    def __init__(self, f, size):
        self.f, self.size, self.pos = f, size, 0

    def seek(self, off, whence=0):
        assert whence == 0 and 0 <= off <= self.size, f"seek to {off:#x} of a {self.size:#x} file"
        self.pos = off
        return self.f.seek(off)

    def read(self, n=-1):
        assert n >= 0 and self.pos + n <= self.size, \
            f"read of {n:#x} bytes at {self.pos:#x} of a {self.size:#x}-byte file"
        b = self.f.read(n)
        self.pos += len(b)
        return b

    def fileno(self):
        return self.f.fileno()

    def close(self):
        self.f.close()


@pytest.fixture(autouse=True)
def checked_reads(monkeypatch):
    orig = formats.Reader.__init__

    def init(self, path):
        orig(self, path)
        self.f = CheckedFile(self.f, self.size)
    monkeypatch.setattr(formats.Reader, "__init__", init)


def put(tmp_path, raw, name="vmcore"):
    p = tmp_path / name
    p.write_bytes(raw)
    return str(p)


def probe(path):
    kind, fmt = sniff(path)
    assert kind == "dump", (kind, fmt)
    return probe_dump(path, fmt)


# ---------------------------------------------------------------- crafted

def test_elf_core_facts(tmp_path):
    p = put(tmp_path, craft.elf_core(craft.vmcoreinfo("6.1.0-41-amd64", BID)))
    d = probe(p)
    assert (d["format"], d["arch"], d["release"], d["build_id"]) == \
        ("elf", "x86_64", "6.1.0-41-amd64", BID)
    if shutil.which("readelf"):     # an independent reader of the same note
        out = subprocess.run(["readelf", "-n", p], capture_output=True, text=True).stdout
        assert "VMCOREINFO" in out


def test_elf_core_arm64(tmp_path):
    d = probe(put(tmp_path, craft.elf_core(craft.vmcoreinfo(), machine=craft.EM_AARCH64)))
    assert d["arch"] == "arm64"


@pytest.mark.parametrize("sig,fmt", [(b"KDUMP   ", "kdump-compressed"), (b"DISKDUMP", "diskdump")])
def test_kdump_facts(tmp_path, sig, fmt):
    d = probe(put(tmp_path, craft.kdump(craft.vmcoreinfo("6.1.0-x", BID), machine="aarch64",
                                        release="6.1.0-x", pages=7, signature=sig)))
    assert (d["format"], d["arch"], d["release"], d["build_id"], d["dumpable_pages"]) == \
        (fmt, "arm64", "6.1.0-x", BID, 7)


def test_flattened_same_facts(tmp_path):
    raw = craft.kdump(craft.vmcoreinfo("6.1.0-x", BID), pages=5)
    plain = probe(put(tmp_path, raw, "a"))
    flat = probe(put(tmp_path, craft.flatten(raw, chunk=3000), "b"))
    assert flat["format"] == "flattened"
    for k in ("arch", "release", "build_id", "dumpable_pages"):
        assert flat[k] == plain[k], k


def test_flattened_without_end_marker(tmp_path):
    raw = craft.flatten(craft.kdump())[:-16]
    with pytest.raises(BadDump, match="end marker"):
        probe(put(tmp_path, raw))


def test_kdump_cut_in_page_data(tmp_path):
    raw = craft.kdump(pages=4)
    with pytest.raises(BadDump, match="truncated"):
        probe(put(tmp_path, raw[:len(raw) - 6000]))


def test_elf_load_beyond_file_keeps_facts(tmp_path):
    """A truncated ELF core: bad-dump, but its build-id is still read (for
    the log triage's vmlinux)."""
    raw = craft.elf_core(craft.vmcoreinfo("6.1.0-x", BID), loads=((0x1000, 0x100000),),
                         pad_to=0x2000)
    with pytest.raises(BadDump, match="truncated") as e:
        probe(put(tmp_path, raw))
    assert e.value.facts["build_id"] == BID


@pytest.mark.parametrize("field,value", [("phoff", 1 << 63), ("phoff", (1 << 64) - 1),
                                         ("phnum", 0xffff), ("phentsize", 0xffff)])
def test_elf_hostile_program_headers(tmp_path, field, value):
    """e_phoff of 2^63 (issue 11, item 1), and program headers that claim
    up to 4 GiB: a BadDump naming the file; before, the plain-file read
    asked for e_phnum * e_phentsize bytes (4 GiB) at once."""
    raw = bytearray(craft.elf_core(craft.vmcoreinfo()))
    off, fmt = {"phoff": (32, "<Q"), "phnum": (56, "<H"), "phentsize": (54, "<H")}[field]
    struct.pack_into(fmt, raw, off, value)
    if field == "phnum":
        struct.pack_into("<H", raw, 54, 0xffff)
    p = put(tmp_path, bytes(raw))
    with pytest.raises(BadDump) as e:
        probe(p)
    assert p in str(e.value) or "ELF core" in str(e.value)


def test_pt_note_offset_beyond(tmp_path):
    raw = bytearray(craft.elf_core(craft.vmcoreinfo()))
    struct.pack_into("<Q", raw, 64 + 8, 1 << 63)        # PT_NOTE p_offset
    with pytest.raises(BadDump, match="beyond"):
        probe(put(tmp_path, bytes(raw)))


@pytest.mark.parametrize("off,fmt,value", [
    (0x1a8 + 4, "<i", 3),               # block_size
    (0x1a8 + 4, "<i", 1 << 30),
    (0x1a8 + 8, "<i", -5),              # sub_hdr_size
    (0x1a8 + 12, "<I", 0),              # bitmap_blocks
    (0x1a8 + 12, "<I", 0xffffffff),
    (4096 + 0x20, "<q", 1 << 62),       # offset_vmcoreinfo
    (4096 + 0x28, "<Q", (1 << 24) - 1),  # size_vmcoreinfo
])
def test_kdump_hostile_fields(tmp_path, off, fmt, value):
    raw = bytearray(craft.kdump())
    struct.pack_into(fmt, raw, off, value)
    with pytest.raises(BadDump):
        probe(put(tmp_path, bytes(raw)))


def test_short_files(tmp_path):
    for head in (b"KDUMP   ", b"DISKDUMP\x06\0\0\0", b"makedumpfile\0",
                 b"\x7fELF\x02\x01\x01" + b"\0" * 9 + b"\x04\x00"):
        p = put(tmp_path, head, "short")
        kind, fmt = sniff(p)
        if kind == "dump":
            with pytest.raises(BadDump):
                probe_dump(p, fmt)


# ---------------------------------------------------------------- properties

def outcome(path):
    """probe_dump's answer for a file: facts or the BadDump reason; any
    other exception fails the test (and so does a read past the end)."""
    kind, fmt = sniff(path)
    if kind != "dump":
        return kind
    try:
        return probe_dump(path, fmt)
    except BadDump as e:
        assert str(e)
        return e


SEEDS = {
    "elf": lambda: craft.elf_core(craft.vmcoreinfo("6.1.0-x", BID),
                                  loads=((0x1000, 0x800), (0x1800, 0x800))),
    "kdump": lambda: craft.kdump(craft.vmcoreinfo("6.1.0-x", BID), pages=3),
    "flat-kdump": lambda: craft.flatten(craft.kdump(pages=2), chunk=4096),
    "flat-elf": lambda: craft.flatten(craft.elf_core(craft.vmcoreinfo()), chunk=700),
}
_seed_cache = {}


def seed(name):
    if name not in _seed_cache:
        _seed_cache[name] = SEEDS[name]()
    return _seed_cache[name]


# mutations: overwrite bytes (mostly in the headers), write 2/4/8-byte
# extreme values at aligned offsets, cut the file
WORD = st.sampled_from([0, 1, 0x7f, 0xff, 0x7fff, 0xffff, 0x7fffffff, 0xffffffff,
                        1 << 31, 1 << 40, 1 << 62, 1 << 63, (1 << 64) - 1])
MUT = st.one_of(
    st.tuples(st.just("byte"), st.integers(0, 20000), st.integers(0, 255)),
    st.tuples(st.just("word"), st.integers(0, 2600).map(lambda x: x * 8),
              st.tuples(st.sampled_from([2, 4, 8]), WORD)),
    st.tuples(st.just("cut"), st.integers(0, 30000), st.just(0)))


def mutate(raw, muts):
    b = bytearray(raw)
    for kind, off, v in muts:
        if kind == "byte" and off < len(b):
            b[off] = v
        elif kind == "word":
            width, val = v
            if off + width <= len(b):
                b[off:off + width] = (val & ((1 << (8 * width)) - 1)).to_bytes(width, "little")
        elif kind == "cut":
            del b[off:]
    return bytes(b)


@settings(max_examples=300)
@given(st.sampled_from(sorted(SEEDS)), st.lists(MUT, min_size=1, max_size=6))
def test_mutated_headers(tmp_path_factory, name, muts):
    p = tmp_path_factory.mktemp("m") / "vmcore"
    p.write_bytes(mutate(seed(name), muts))
    outcome(str(p))


@given(st.sampled_from([b"KDUMP   ", b"DISKDUMP", b"makedumpfile\0", b"\x7fELF\x02\x01\x01",
                        b"\x7fELF\x02\x02\x01", b"\x7fELF\x01\x01\x01"]),
       st.binary(min_size=0, max_size=6000))
def test_random_bodies(tmp_path_factory, magic, body):
    p = tmp_path_factory.mktemp("r") / "vmcore"
    p.write_bytes(magic + body)
    outcome(str(p))


@given(st.binary(max_size=700), st.sampled_from(["vmcore", "dump.202611261200", "x.bin",
                                                 "dmesg.txt", "dump-incomplete", "README"]))
def test_sniff_never_raises(tmp_path_factory, data, name):
    p = tmp_path_factory.mktemp("s") / name
    p.write_bytes(data)
    kind, detail = sniff(str(p))
    assert kind in ("dump", "cdump", "archive", "incomplete", "side", "skip", "other")
    assert detail

"""The symbol store's start-up cost (issue 12, item 5): it runs in the
batch's one thread before any crash starts, so no worker overlaps it.
A vmlinux reached under many names is read once (the fixture sets link
one vmlinux from every scenario: 10 reads of its symbol table before);
the linux_banner look-up finds its symbol with bytes.find instead of
unpacking every symbol in Python, and must find the same entries."""
import os
import struct

from hypothesis import given, strategies as st

import craft
from ovscrash_batch import symbols
from ovscrash_batch.symbols import SymbolStore, symbols_named


def brute(symtab, en, want):
    """The reading it replaces: every 24-byte entry unpacked in turn."""
    return [j for j in range(0, len(symtab) - len(symtab) % 24, 24)
            if struct.unpack_from(en + "I", symtab, j)[0] == want]


entries = st.lists(st.tuples(st.integers(0, 2**32 - 1), st.integers(0, 2**64 - 1),
                             st.integers(0, 2**64 - 1)), max_size=40)


@given(entries, st.sampled_from(["<", ">"]), st.integers(0, 2**32 - 1), st.data())
def test_symbols_named_is_the_entry_scan(ents, en, want, data):
    # the wanted name offset planted at entries' starts and inside their
    # value/size fields, where only an aligned hit may count
    ents = [(want if data.draw(st.booleans()) else n,
             (want << 32 | want) if data.draw(st.booleans()) else v, s) for n, v, s in ents]
    symtab = b"".join(struct.pack(en + "IBBHQQ", n, 0, 0, 1, v, s) for n, v, s in ents)
    assert list(symbols_named(symtab, en, want)) == brute(symtab, en, want)


def test_unaligned_hit_is_not_a_symbol():
    want = 0x11223344
    # entry 0's value field holds the bytes of `want` at offset 8 + 4
    symtab = struct.pack("<IBBHQQ", 7, 0, 0, 1, want << 32, 0)
    symtab += struct.pack("<IBBHQQ", want, 0, 0, 1, 0, 0)
    assert list(symbols_named(symtab, "<", want)) == [24]


def test_store_reads_a_vmlinux_once_whatever_its_names(tmp_path, monkeypatch):
    calls = []
    real = symbols.elf_image_info

    def counting(p):
        calls.append(p)
        return real(p)
    monkeypatch.setattr(symbols, "elf_image_info", counting)
    kern = tmp_path / "kernels"
    kern.mkdir()
    (kern / "vmlinux-6.1.0-a").write_bytes(craft.vmlinux(build_id="ab" * 20))
    (kern / "vmlinux-6.1.0-b").write_bytes(craft.vmlinux(build_id="cd" * 20))
    store = tmp_path / "store"
    for i in range(5):          # as the fixture sets: vmlinux linked from every scenario
        d = store / f"scenario{i}"
        d.mkdir(parents=True)
        os.symlink(kern / "vmlinux-6.1.0-a", d / "vmlinux")
    os.symlink(kern / "vmlinux-6.1.0-b", store / "vmlinux-6.1.0-b")
    s = SymbolStore([str(store)])
    assert len(calls) == 2, calls
    assert len(s.images) == 6
    # each entry names the path it was found under
    assert sorted(i["path"] for i in s.images) == sorted(
        [str(store / f"scenario{i}" / "vmlinux") for i in range(5)] + [str(store / "vmlinux-6.1.0-b")])
    assert {i["build_id"] for i in s.images} == {"ab" * 20, "cd" * 20}

"""Archive extraction (ovscrash_batch.archive through discover()): one bad
member never costs the rest of the archive, every member is accounted
for (extracted with its bytes, or listed as skipped with a reason), and
nothing is written outside the scratch directory.  Archives are crafted
here, member by member (tarutil)."""
import os
import tarfile

from hypothesis import given, strategies as st

from ovscrash_batch.discover import discover
from tarutil import build, member


def run_discover(tmp_path, raw, name="in.tar"):
    src = tmp_path / "in"
    src.mkdir(exist_ok=True)
    arc = src / name
    arc.write_bytes(raw)
    scratch = tmp_path / "scratch"
    scratch.mkdir(exist_ok=True)
    errors = []
    files, skipped = discover([str(arc)], str(scratch), errors)
    return str(arc), files, skipped, errors


def extracted(files):
    """{shown name: bytes} of every file discover() found."""
    out = {}
    for p, shown, _src, _kind, _detail in files:
        with open(p, "rb") as f:
            out[shown] = f.read()
    return out


def skipped_map(skipped):
    return {shown: why for shown, why in skipped}


def test_long_member_name_skipped_rest_triaged(tmp_path):
    """A component over 255 bytes cannot be created: that member is a
    skipped file naming the limit; the archive's other members are still
    found (before: the whole archive was one not-a-dump)."""
    longname = "d/" + "L" * 300
    raw = build([member("a/vmcore", b"KDUMP   one"), member(longname, b"lost"),
                 member("b/vmcore", b"KDUMP   two")], fmt=tarfile.GNU_FORMAT)
    arc, files, skipped, _ = run_discover(tmp_path, raw)
    got = extracted(files)
    assert got.get(f"{arc}!/a/vmcore") == b"KDUMP   one"
    assert got.get(f"{arc}!/b/vmcore") == b"KDUMP   two"
    why = skipped_map(skipped).get(f"{arc}!/{longname}")
    assert why and "255" in why, skipped


def test_file_then_same_name_as_directory(tmp_path):
    """`x` then `x/vmcore`: the second cannot be created under a file; it
    is skipped with the reason and later members still come out."""
    raw = build([member("x", b"first"), member("x/vmcore", b"second"),
                 member("y/vmcore", b"third")])
    arc, files, skipped, _ = run_discover(tmp_path, raw)
    got = extracted(files)
    assert got.get(f"{arc}!/x") == b"first"
    assert got.get(f"{arc}!/y/vmcore") == b"third"
    why = skipped_map(skipped).get(f"{arc}!/x/vmcore")
    assert why and "x" in why and "file" in why, skipped


def test_directory_then_same_name_as_file(tmp_path):
    raw = build([member("x/vmcore", b"first"), member("x", b"second"),
                 member("z", b"third")])
    arc, files, skipped, _ = run_discover(tmp_path, raw)
    got = extracted(files)
    assert got.get(f"{arc}!/x/vmcore") == b"first"
    assert got.get(f"{arc}!/z") == b"third"
    assert f"{arc}!/x" in skipped_map(skipped), skipped


def test_truncated_member(tmp_path):
    """The archive ends inside a member: the members before it are found,
    the cut one is a skipped file saying it is truncated."""
    raw = build([member("a/vmcore", b"A" * 1000), member("b/vmcore", b"B" * 5000)],
                truncate_last=1500)
    arc, files, skipped, _ = run_discover(tmp_path, raw)
    got = extracted(files)
    assert got.get(f"{arc}!/a/vmcore") == b"A" * 1000
    assert f"{arc}!/b/vmcore" not in got
    why = skipped_map(skipped).get(f"{arc}!/b/vmcore")
    assert why and "truncated" in why, skipped


def test_duplicate_names_keep_both(tmp_path):
    """The same member name twice (tar -r): both copies are kept under
    distinct shown names, the later one saying it is a copy; neither
    overwrites the other."""
    raw = build([member("d/vmcore", b"old dump"), member("d/vmcore", b"new dump"),
                 member("d/vmcore", b"newest dump")])
    arc, files, skipped, _ = run_discover(tmp_path, raw)
    got = extracted(files)
    assert sorted(got.values()) == sorted([b"old dump", b"new dump", b"newest dump"])
    assert got.get(f"{arc}!/d/vmcore") == b"old dump"
    later = {k: v for k, v in got.items() if k != f"{arc}!/d/vmcore"}
    assert len(later) == 2
    for k in later:
        assert k.startswith(f"{arc}!/d/vmcore") and "copy" in k, k
    # the copies keep the member's own file name (dump names are sniffed)
    assert all(os.path.basename(p) == "vmcore" for p, *_ in files)


def test_links_and_unsafe_names_skipped_rest_kept(tmp_path):
    raw = build([member("../escape", b"no"), member("/abs", b"no"),
                 member("l", kind=tarfile.SYMTYPE, linkname="/etc/passwd"),
                 member("h", kind=tarfile.LNKTYPE, linkname="ok"),
                 member("ok", b"yes")])
    arc, files, skipped, _ = run_discover(tmp_path, raw)
    got = extracted(files)
    assert got == {f"{arc}!/ok": b"yes"}
    sk = skipped_map(skipped)
    for n in ("../escape", "/abs", "l", "h"):
        assert f"{arc}!/{n}" in sk, (n, skipped)
    assert not (tmp_path / "escape").exists()


# ---------------------------------------------------------------- properties

# names with the characters crash, shells and terminals care about, Latin-1
# bytes that are not UTF-8 (surrogateescape), separators and dot parts
PART = st.one_of(
    st.text(alphabet=st.sampled_from(list("ab@,:\x1b\n .-\udce9\udcff")), min_size=1, max_size=8),
    st.sampled_from(["..", ".", "", "vmcore", "dump.202611261200", "x" * 256]))
NAME = st.lists(PART, min_size=1, max_size=4).map("/".join)
KIND = st.sampled_from([tarfile.REGTYPE] * 6 + [tarfile.SYMTYPE, tarfile.LNKTYPE,
                                                tarfile.DIRTYPE, tarfile.FIFOTYPE])
MEMBERS = st.lists(st.tuples(NAME, KIND, st.binary(max_size=600)), min_size=1, max_size=12)


def norm(name):
    """A member name as the batch shows it: empty and '.' parts dropped."""
    return "/".join(p for p in name.split("/") if p not in ("", "."))


@given(MEMBERS, st.booleans(), st.sampled_from([tarfile.GNU_FORMAT, tarfile.PAX_FORMAT]))
def test_every_member_accounted_for(tmp_path_factory, members, truncate, fmt):
    tmp_path = tmp_path_factory.mktemp("arc")
    ms = [member(n, d if k == tarfile.REGTYPE else b"", k, "target" if k in
                 (tarfile.SYMTYPE, tarfile.LNKTYPE) else "") for n, k, d in members]
    last_reg = ms[-1]["type"] == tarfile.REGTYPE and len(ms[-1]["data"]) > 0
    cut = truncate and last_reg
    raw = build(ms, fmt=fmt, truncate_last=len(ms[-1]["data"]) // 2 if cut else None)
    arc, files, skipped, errors = run_discover(tmp_path, raw)

    # nothing outside scratch (besides the input), no links made
    for dp, dns, fns in os.walk(tmp_path):
        for fn in fns + dns:
            p = os.path.join(dp, fn)
            assert not os.path.islink(p), p
            if os.path.isfile(p):
                assert p == arc or p.startswith(str(tmp_path / "scratch") + "/"), p
    if not files and skipped == [] and errors == []:
        return
    if len(files) == 1 and files[0][0] == arc:
        # not readable as an archive at all: one result for the file
        assert files[0][3] == "other"
        return
    got = {}
    for p, shown, _s, _k, _d in files:
        with open(p, "rb") as f:
            got.setdefault(shown, []).append(f.read())
    sk = skipped_map(skipped)
    found = [v for vs in got.values() for v in vs]
    for i, m in enumerate(ms):
        if m["type"] == tarfile.DIRTYPE:
            continue
        n = m["name"]
        shown = f"{arc}!/{norm(n)}"
        raw_shown = f"{arc}!/{n}"
        # (tarfile drops a trailing '/' of a file member's name)
        in_skipped = shown in sk or raw_shown in sk or raw_shown.rstrip("/") in sk
        if m["type"] != tarfile.REGTYPE:
            assert in_skipped, (n, m["type"], skipped)
            continue
        # found with its bytes, under its name or as a numbered copy of it
        hits = [k for k in got if k == shown or (k.startswith(shown + " (copy ")
                                                 and k.endswith(")"))]
        if any(m["data"] in got[k] for k in hits) and m["data"] in found:
            assert not (cut and i == len(ms) - 1), ("truncated member extracted", n)
            found.remove(m["data"])
        else:
            assert in_skipped, (n, list(got), skipped)
    assert found == [], ("extracted files that are no member", found)


def zstd(raw):
    import subprocess
    return subprocess.run(["zstd", "-q", "-c", "-1"], input=raw, capture_output=True,
                          check=True).stdout


def test_zstd_archive_clean_has_no_note(tmp_path):
    raw = zstd(build([member("a/vmcore", b"KDUMP   " + os.urandom(3000)),
                      member("a/dmesg.txt", b"text")]))
    arc, files, skipped, errors = run_discover(tmp_path, raw, "in.tar.zst")
    assert sorted(s for _p, s, *_ in files) == [f"{arc}!/a/dmesg.txt", f"{arc}!/a/vmcore"]
    assert skipped == [] and errors == []


def test_zstd_archive_cut_keeps_earlier_members(tmp_path):
    """A .tar.zst cut short: the members decompressed before the cut are
    found; the cut is a skipped entry with a reason (before: the whole
    archive was one not-a-dump)."""
    first = b"KDUMP   " + b"\0" * 5000
    raw = zstd(build([member("a/vmcore", first),
                      member("b/vmcore", os.urandom(400000))]))
    arc, files, skipped, _ = run_discover(tmp_path, raw[:len(raw) * 2 // 3], "in.tar.zst")
    got = extracted(files)
    assert got.get(f"{arc}!/a/vmcore") == first
    assert f"{arc}!/b/vmcore" not in got
    assert skipped and all(why for _s, why in skipped)
    assert any(s in (arc, f"{arc}!/b/vmcore") for s, _w in skipped), skipped


def test_member_larger_than_free_space_is_a_host_error(tmp_path, monkeypatch):
    """A member announcing more bytes than scratch has free (less the
    reserve) is this host's fault, not the archive's: not a byte of it is
    written, the archive gets no result (no file, no skipped line) and an
    error line names it and the scratch, so that a rerun with room
    extracts it."""
    from ovscrash_batch import archive

    class Vfs:
        f_bavail, f_frsize = (archive.FREE_RESERVE + 3000) // 4096 + 1, 4096
    monkeypatch.setattr(archive.os, "statvfs", lambda _p: Vfs)
    raw = build([member("a", b"x" * 100), member("big/vmcore", b"y" * 20000),
                 member("b", b"z" * 100)])
    arc, files, skipped, errors = run_discover(tmp_path, raw)
    assert files == [] and skipped == [], (files, skipped)
    assert len(errors) == 1 and arc in errors[0] and "big/vmcore" in errors[0] \
        and "20000" in errors[0] and "No space left" in errors[0], errors
    assert not os.listdir(tmp_path / "scratch"), "extracted members left in scratch"
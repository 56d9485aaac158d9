"""ovscrash-arrival's pure parts (issue 14, arrival): the state directory
name of a dump directory, and when a directory is not ready to triage.
Names and directories are crafted here; the expectations come from what
each test wrote (the bytes of the name, the files laid out)."""
import argparse
import os
import re

import pytest
from hypothesis import given, strategies as st

from ovscrash_batch import arrival


def unescape(s):
    return re.sub(rb"%([0-9A-F]{2})", lambda m: bytes([int(m.group(1), 16)]), s.encode("ascii"))


@given(st.binary(min_size=1, max_size=64).filter(lambda b: b"/" not in b and b"\0" not in b))
def test_state_name_is_one_safe_component_and_reversible(raw):
    name = os.fsdecode(raw)
    s = arrival.state_name(name)
    assert re.fullmatch(r"[A-Za-z0-9._%-]+", s), s
    assert s not in (".", "..") and not s.startswith(".")
    assert unescape(s) == raw


@pytest.mark.parametrize("name,want", [
    ("202611270401", "202611270401"),
    ("..", "%2E."),
    (".hidden", "%2Ehidden"),
    ("a b/", "a%20b%2F"),
    ("x\x1b\n", "x%1B%0A"),
])
def test_state_name_examples(name, want):
    assert arrival.state_name(name) == want


def arr(root):
    a = argparse.Namespace(crash_dir=str(root), state=str(root / "state"), settle=0, timeout=1,
                           jobs=1, symbols=[], crash=[], ext=[], ovscrash_log=None)
    return arrival.Arrival(a)


@pytest.mark.parametrize("files,why", [
    ([], "skipped: empty"),
    (["dump-incomplete"], "skipped: half-saved (dump-incomplete:"),
    (["dump-incomplete.gz", "dmesg.202611270401"], "skipped: half-saved (dump-incomplete.gz:"),
    (["vmcore-incomplete"], "skipped: half-saved (vmcore-incomplete:"),
    (["dmesg-incomplete"], "skipped: half-saved (dmesg-incomplete:"),
    (["README", "notes.json"], "skipped: no dump"),
    (["dump.202611270401"], None),
    (["dmesg.202611270401"], None),
    (["dump.202611270401.xz", "dmesg.202611270401"], None),
    (["vmcore.202611270401"], None),
])
def test_not_ready(tmp_path, files, why):
    d = tmp_path / "202611270401"
    d.mkdir()
    for f in files:
        (d / f).write_bytes(b"x")
    got = arr(tmp_path).not_ready("202611270401")
    if why is None:
        assert got is None
    else:
        assert got.startswith(why), got
        assert got.endswith("retried next run")


def test_candidates_skip_files_and_symlinks(tmp_path):
    (tmp_path / "202611270401").mkdir()
    (tmp_path / "kexec_cmd").write_text("x")
    (tmp_path / "link").symlink_to(tmp_path / "202611270401")
    assert arr(tmp_path).candidates() == ["202611270401"]


def test_done_in_beside_or_state(tmp_path):
    a = arr(tmp_path)
    (tmp_path / "d1").mkdir()
    (tmp_path / "d2").mkdir()
    assert a.done_in("d1") is None
    (tmp_path / "d1" / "ovscrash.json").write_text("{}")
    sd = tmp_path / "state" / "d2"
    sd.mkdir(parents=True)
    (sd / "ovscrash.json").write_text("{}")
    assert a.done_in("d1") == str(tmp_path / "d1")
    assert a.done_in("d2") == str(sd)

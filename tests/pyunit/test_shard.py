"""Shards (issue 12, item 6): the --shard value, the split, and what
ovscrash-report says about a set of shard directories: a missing shard,
a shard that did not finish, an identity with results in two
directories, shards that found different inputs.  Manifests and results
are crafted here; the expectations come from what each test wrote."""
import hashlib
import json
import pytest
from hypothesis import given, settings, strategies as st

from ovscrash_batch import report, shard

from test_report import result, write_result


def ident(n):
    return hashlib.sha256(str(n).encode()).hexdigest()


SLURM = {"SLURM_ARRAY_TASK_ID": "7", "SLURM_ARRAY_TASK_MIN": "5", "SLURM_ARRAY_TASK_MAX": "8",
         "SLURM_ARRAY_TASK_COUNT": "4"}


def test_parse_spec():
    assert shard.parse_spec("0/4") == (0, 4)
    assert shard.parse_spec(" 3/4 ") == (3, 4)
    assert shard.parse_spec("0/1") == (0, 1)
    # an array 5-8: task 7 is the third of four
    assert shard.parse_spec("slurm", SLURM) == (2, 4)


@pytest.mark.parametrize("spec,words", [
    ("4/4", "shards count from 0"),         # --array=1-4 with $SLURM_ARRAY_TASK_ID/4
    ("5/4", "K must be 0 .. 3"),
    ("0/0", "N must be"),
    ("-1/4", "wants K/N"),
    ("1/", "wants K/N"),
    ("a/b", "wants K/N"),
    ("/4", "wants K/N"),                   # an unset $SLURM_ARRAY_TASK_ID
    ("1/4/2", "wants K/N"),
    ("1\n/4", "wants K/N"),
])
def test_parse_spec_refuses(spec, words):
    with pytest.raises(shard.ShardSpecError) as e:
        shard.parse_spec(spec, {})
    assert words in str(e.value) and "\n" not in str(e.value)


def test_parse_spec_slurm_refuses():
    with pytest.raises(shard.ShardSpecError, match=r"SLURM_ARRAY_TASK_ID is ''"):
        shard.parse_spec("slurm", {})
    stepped = dict(SLURM, SLURM_ARRAY_TASK_MAX="11")     # --array=5-11:2
    with pytest.raises(shard.ShardSpecError, match="contiguous"):
        shard.parse_spec("slurm", stepped)


@settings(max_examples=50, derandomize=True)
@given(st.lists(st.integers(), min_size=1, max_size=60, unique=True), st.integers(1, 9),
       st.randoms())
def test_split_is_a_partition_whatever_the_order(ns, n, rnd):
    """Every identity is in exactly one shard, and which one does not
    depend on the order the identities come in."""
    ids = [ident(x) for x in ns]
    first = {i: shard.shard_of(i, n) for i in ids}
    rnd.shuffle(ids)
    parts = [[i for i in ids if shard.shard_of(i, n) == k] for k in range(n)]
    assert sorted(sum(parts, [])) == sorted(ids)
    assert all(first[i] == k for k in range(n) for i in parts[k])


def shard_set(tmp_path, n, count, skip_shards=(), running=(), own_dirs=True):
    """Results and manifests of a batch of COUNT entries split N ways, as
    ovscrash-batch writes them; shards in SKIP_SHARDS wrote nothing, those
    in RUNNING wrote their manifest only (and no result)."""
    entries = [(ident(i), f"/in/dump{i}") for i in range(count)]
    dirs = []
    for k in range(n):
        d = tmp_path / (f"shard{k}" if own_dirs else "out")
        d.mkdir(exist_ok=True)
        if str(d) not in dirs:
            dirs.append(str(d))
        if k in skip_shards:
            continue
        mine = [e for e in entries if shard.shard_of(e[0], n) == k]
        shard.write_manifest(str(d), k, n, ["/in"], entries, len(mine), "running")
        if k in running:
            continue
        for i, p in mine:
            r = result(0, p, shard=f"{k}/{n}")
            r["id"] = i
            write_result(d, r)
        shard.write_manifest(str(d), k, n, ["/in"], entries, len(mine), "done", exit=0)
    return entries, dirs


@pytest.mark.parametrize("own_dirs", [True, False])
def test_complete_set_has_no_problem(tmp_path, own_dirs):
    entries, dirs = shard_set(tmp_path, 4, 20, own_dirs=own_dirs)
    rep = report.build(dirs)
    assert rep["problems"] == []
    assert rep["total"] == 20
    (s,) = rep["shards"]
    assert (s["of"], s["done"], s["missing"], s["without_result"]) == (4, [0, 1, 2, 3], [], [])


def test_missing_shard_is_named(tmp_path):
    entries, dirs = shard_set(tmp_path, 4, 20, skip_shards=(2,))
    lost = sorted(p for i, p in entries if shard.shard_of(i, 4) == 2)
    assert lost, "the crafted set must put entries in shard 2"
    rep = report.build(dirs)
    (s,) = rep["shards"]
    assert s["missing"] == [2]
    assert sorted(e["path"] for e in s["without_result"]) == lost
    assert any(p.startswith("shard 2/4 is missing") for p in rep["problems"])
    for p in lost:
        assert any(pr.startswith(f"no result for {p} ") for pr in rep["problems"])
    md, html = report.to_md(rep), report.to_html(rep)
    assert "MISSING: 2/4" in md and "MISSING: 2/4" in html
    for p in lost:
        assert p in md and p in html
    assert any("MISSING: 2/4" in x for x in report.summary_lines(rep))


def test_report_exits_1_on_a_missing_shard(tmp_path):
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
    _e, dirs = shard_set(tmp_path / "a", 3, 9, skip_shards=(0,))
    assert report.main(dirs) == 1
    _e, dirs = shard_set(tmp_path / "b", 3, 9)
    assert report.main(dirs) == 0


def test_unfinished_shard_is_named(tmp_path):
    entries, dirs = shard_set(tmp_path, 2, 10, running=(1,))
    rep = report.build(dirs)
    (s,) = rep["shards"]
    assert s["unfinished"] == [1] and s["missing"] == []
    assert any(p.startswith("shard 1/2 did not finish") for p in rep["problems"])


def test_many_missing_entries_are_counted_not_listed(tmp_path):
    entries, dirs = shard_set(tmp_path, 2, 80, skip_shards=(0,))
    lost = sum(1 for i, _p in entries if shard.shard_of(i, 2) == 0)
    assert lost > shard.PROBLEM_LINES
    rep = report.build(dirs)
    assert sum(1 for p in rep["problems"] if p.startswith("no result for")) == shard.PROBLEM_LINES
    assert any(p.startswith(f"shard 0/2: {lost - shard.PROBLEM_LINES} more") for p in rep["problems"])
    assert len(rep["shards"][0]["without_result"]) == lost


def test_duplicate_across_shard_dirs_is_a_note(tmp_path):
    """The same identity in two directories (a rerun with another N, an
    overlapping shard): one dump in the report, and a note naming both
    directories and the one kept."""
    entries, dirs = shard_set(tmp_path, 2, 6)
    i, p = entries[0]
    k = shard.shard_of(i, 2)
    other = dirs[1 - k]
    r = result(0, p, status="crash-failed", shard=f"{1 - k}/2", finished="2026-11-27T00:00:00Z")
    r["id"] = i
    write_result(type(tmp_path)(other), r)
    rep = report.build(dirs)
    assert rep["total"] == 6 and rep["problems"] == []
    (note,) = rep["notes"]
    assert i[:16] in note and dirs[0] in note and dirs[1] in note
    assert f"kept {dirs[k]}'s" in note        # ok wins over the newer crash-failed
    assert [d["status"] for d in rep["dumps"] if d["id"] == i] == ["ok"]
    assert "note: " in report.to_md(rep)


def test_shards_that_saw_different_inputs(tmp_path):
    entries, dirs = shard_set(tmp_path, 2, 8)
    # shard 1 saw one more dump (a file that arrived late): it belongs to
    # whichever shard its identity says; the report expects it
    extra = (ident(99), "/in/late")
    mine = [e for e in entries + [extra] if shard.shard_of(e[0], 2) == 1]
    shard.write_manifest(dirs[1], 1, 2, ["/in"], entries + [extra], len(mine), "done", exit=0)
    rep = report.build(dirs)
    assert any("disagree on the input set" in p for p in rep["problems"])
    if shard.shard_of(extra[0], 2) == 0:
        assert [e["path"] for e in rep["shards"][0]["without_result"]] == ["/in/late"]


def test_hostile_manifests(tmp_path):
    """A manifest that is not one, lies about its shard or holds a
    malformed entry is a problem naming the file; the results still
    make a report."""
    entries, dirs = shard_set(tmp_path, 2, 4)
    d = tmp_path / "shard0"
    bad = {"shard-0-of-3.json": b"[]", "shard-1-of-3.json": b'{"schema": "ovscrash-batch-shard/1"',
           "shard-2-of-3.json": json.dumps({"schema": shard.SHARD_SCHEMA, "shard": 0, "of": 3,
                                            "state": "done", "entries": []}).encode(),
           "shard-5-of-7.json": json.dumps({"schema": shard.SHARD_SCHEMA, "shard": 5, "of": 7,
                                            "state": "done", "entries": [{"id": "x\x1b", "path": 1}]}
                                           ).encode()}
    for fn, raw in bad.items():
        (d / fn).write_bytes(raw)
    rep = report.build(dirs)
    for fn in bad:
        assert any(p.startswith(str(d / fn) + ":") for p in rep["problems"]), (fn, rep["problems"])
    assert rep["total"] == 4
    assert [s["of"] for s in rep["shards"]] == [2]
    assert "\x1b" not in report.to_md(rep) + report.to_html(rep)


def test_hostile_paths_in_manifest_are_escaped(tmp_path):
    evil = "/in/<b>x\x1b[31m|`*\u202e.vmcore"
    entries = [(ident(0), evil), (ident(1), "/in/b")]
    d = tmp_path / "o"
    d.mkdir()
    for k in range(2):
        if evil in [p for i, p in entries if shard.shard_of(i, 2) == k]:
            continue      # this shard is the missing one
        shard.write_manifest(str(d), k, 2, ["/in"], entries, 1, "done")
    rep = report.build([str(d)])
    md, html = report.to_md(rep), report.to_html(rep)
    for text in (md, html):
        assert "\x1b" not in text and "\u202e" not in text
    assert "<b>" not in html and "&lt;b&gt;x\\x1b" in html
    assert evil in [e["path"] for e in rep["shards"][0]["without_result"]]


def dead_pid():
    """A pid no process has now: one of a child that has exited."""
    import subprocess
    p = subprocess.Popen(["true"])
    p.wait()
    return p.pid


def test_shared_out_keeps_another_hosts_temp_file(tmp_path, monkeypatch):
    """Shards on two hosts share OUT.  Host B is writing a result (its
    temp file exists, not yet renamed) when host A's batch starts and
    cleans OUT of dead runs' temp files.  Before, the temp file was named
    by pid alone, B's pid is not alive on A, and A removed it: B's rename
    failed (FileNotFoundError) and its dump got no result.  Now the name
    carries the host and A leaves B's alone."""
    from ovscrash_batch import common, runner
    import os
    import socket
    real_host, real_pid, real_fsync = socket.gethostname(), os.getpid(), os.fsync
    state = {"host": "host-b", "pid": dead_pid()}
    monkeypatch.setattr(socket, "gethostname", lambda: state["host"])
    monkeypatch.setattr(os, "getpid", lambda: state["pid"])

    def fsync(fd):
        if state["host"] == "host-b":
            # B has written its temp file; A starts now
            state.update(host=real_host, pid=real_pid)
            runner.clean_stale(str(tmp_path))
        real_fsync(fd)
    monkeypatch.setattr(os, "fsync", fsync)
    res = tmp_path / (ident(1) + ".json")
    common.write_atomic(str(res), b"{}\n")
    assert res.read_bytes() == b"{}\n"
    assert state["host"] == real_host, "the clean ran during the write"


def test_clean_stale_removes_this_hosts_dead_temp_files(tmp_path):
    """What the host in the name must not cost: a dead run's leftovers of
    this host are removed, in the new format and the old (no host), a
    live run's and another host's are kept."""
    import os
    import socket
    from ovscrash_batch import runner
    host, dead = socket.gethostname(), dead_pid()
    names = {f".a.json.tmp.{host}.{dead}.1": False, f".b.json.tmp.{dead}.1": False,
             f".c.json.tmp.{host}.{os.getpid()}.1": True, f".d.json.tmp.other.{dead}.1": True,
             f".e.json.tmp.{host}.x.{dead}.1": True}
    for n in names:
        (tmp_path / n).write_bytes(b"x")
    runner.clean_stale(str(tmp_path))
    assert {n: (tmp_path / n).exists() for n in names} == names


def test_two_batches_of_other_inputs_merge_without_problem(tmp_path):
    """Two unsharded batches over different inputs (each shard 0 of 1),
    merged into one report: two complete sets, no disagreement (the
    e2e report of out1 + out-other is such a merge)."""
    dirs = []
    for b, count in (("a", 5), ("b", 2)):
        d = tmp_path / b
        d.mkdir()
        entries = [(ident(f"{b}{i}"), f"/{b}/dump{i}") for i in range(count)]
        shard.write_manifest(str(d), 0, 1, [f"/{b}"], entries, count, "done", exit=0)
        for i, p in entries:
            r = result(0, p)
            r["id"] = i
            write_result(d, r)
        dirs.append(str(d))
    rep = report.build(dirs)
    assert rep["problems"] == [] and rep["total"] == 7
    assert [(s["of"], s["inputs"], s["done"]) for s in rep["shards"]] == [(1, ["/a"], [0]), (1, ["/b"], [0])]


def test_unfinished_shard_whose_entries_have_results_is_a_note(tmp_path):
    """A run killed after its results were all written again by a rerun
    with another N into the same directory: nothing lacks a result, so
    the unfinished shard is a note, not a problem."""
    entries, dirs = shard_set(tmp_path, 2, 6)
    d = dirs[0]
    shard.write_manifest(d, 0, 1, ["/in"], entries, 6, "running")
    rep = report.build(dirs)
    assert rep["problems"] == []
    assert any(x.startswith("shard 0/1 did not finish") and "each of its entries has a result" in x
               for x in rep["notes"])

"""stop_writes() (issue 14's CI failure: a crash log's temp file left
after ^C): once the signal handler has closed the gate, no thread can
create a temp file behind the handler's cleanup listing."""
import os
import threading

import pytest

from ovscrash_batch import common


@pytest.fixture
def gate(monkeypatch):
    monkeypatch.setattr(common, "_stopped", False)
    monkeypatch.setattr(common, "_gate", threading.Lock())


def test_writes_before_the_stop_land_whole(tmp_path, gate):
    p = tmp_path / "a.log"
    common.write_atomic(str(p), b"x" * 4096)
    assert p.read_bytes() == b"x" * 4096
    assert os.listdir(tmp_path) == ["a.log"]


def test_no_temp_file_after_the_stop(tmp_path, gate):
    """Writers in a loop, the stop in the middle, then the listing the
    handler makes: nothing may appear after it."""
    go = threading.Event()
    refused = []

    def writer(n):
        go.wait()
        for i in range(10000):
            try:
                common.write_atomic(str(tmp_path / f"w{n}-{i}.log"), b"y" * 512)
            except common.Stopped:
                refused.append(n)
                return
    ts = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in ts:
        t.start()
    go.set()
    while len(os.listdir(tmp_path)) < 20:
        pass
    common.stop_writes()
    seen = set(os.listdir(tmp_path))
    for t in ts:
        t.join()
    after = set(os.listdir(tmp_path))
    new_tmp = [fn for fn in after - seen if common.TMP_RE.match(fn)]
    assert new_tmp == []
    assert sorted(refused) == [0, 1, 2, 3]
    with pytest.raises(common.Stopped):
        common.write_atomic(str(tmp_path / "late.log"), b"z")
    assert not (tmp_path / "late.log").exists()


def test_stop_inside_the_gate_does_not_hang(tmp_path, gate):
    """The handler interrupts the main thread while it holds the gate:
    stop_writes waits a bounded time, never forever."""
    with common._gate:
        common.stop_writes(wait=0.2)
    with pytest.raises(common.Stopped):
        common.write_atomic(str(tmp_path / "x"), b"")

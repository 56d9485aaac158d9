"""The fast path's own checks (ovscrash_batch.fastpath), on logs and
ovscrash-log entries crafted here: what makes a log unusable, when a side
file is not the dump's, and which classifications are kept without
crash.  The decision against crash's verdicts on real dumps is
tests/fastpath."""
from hypothesis import given, strategies as st

from ovscrash_batch import fastpath as fp

REL = "6.1.0-56-cloud-amd64"
BANNER = f"[    0.000000] Linux version {REL} (debian-kernel@lists.debian.org) (gcc-12)\n"
RTC = "[    2.500000] rtc_cmos 00:04: setting system clock to 2026-11-26T17:17:43 UTC (1795713463)\n"
OOPS = (f"[    9.900000] BUG: kernel NULL pointer dereference, address: 0000000000000010\n"
        f"[    9.900001] CPU: 1 PID: 156 Comm: x Tainted: G           OE      {REL} #1  Debian\n"
        "[    9.904049] CR2: 0000000000000010\n")


def facts(tmp_path, text, name="log"):
    p = tmp_path / name
    p.write_bytes(text if isinstance(text, bytes) else text.encode())
    return fp.log_facts(str(p))


def entry(kind="null-deref", verdict="NOT_THIS_BUG", others=(), msg=None, frames=4,
          where="f+0x1c/0x25 [m]"):
    reps = [{"kind": k, "caused_panic": False, "where": "g+0x1/0x2", "frames": 3,
             "message": "x"} for k in others]
    reps.append({"kind": kind, "caused_panic": True, "where": where, "frames": frames,
                 "message": "BUG: kernel NULL pointer dereference", "bucket": "479fa5740dfbc8da"})
    return {"verdict": verdict, "signature": "not-ovs-picktx", "reports": reps,
            "panic_message": msg, "warning": None,
            "panic_signature": {"kind": kind, "where": where, "bucket": "479fa5740dfbc8da"}}


def test_log_facts_release_clock_veto(tmp_path):
    f, why = facts(tmp_path, BANNER + RTC + OOPS)
    assert why is None
    assert f["releases"] == [REL] and not f["veto"]
    # RTC epoch + (last stamp - RTC line's stamp)
    assert abs(f["panic_wall"] - (1795713463 + 9.904049 - 2.5)) < 1e-6
    f, _ = facts(tmp_path, BANNER + OOPS + "[   9.91]  netdev_pick_tx+0x12/0x30\n", "v")
    assert f["veto"]


def test_log_facts_refuses_empty_and_huge(tmp_path):
    assert facts(tmp_path, b"")[1] == "empty"
    big = tmp_path / "big"
    with open(big, "wb") as f:
        f.truncate(fp.MAX_LOG + 1)
    f, why = fp.log_facts(str(big))
    assert f is None and "more than the fast path's" in why


def test_release_check(tmp_path):
    f, _ = facts(tmp_path, BANNER + OOPS)
    assert fp.release_check(f, REL) is None
    assert "6.1.0-56-cloud-amd64" in fp.release_check(f, "5.10.0-32-cloud-amd64")
    f, _ = facts(tmp_path, OOPS.replace(REL, "6.12.95+deb12-cloud-amd64") + BANNER, "two")
    assert "names kernel release 6.12.95" in fp.release_check(f, REL)
    f, _ = facts(tmp_path, "[ 1.0] nothing here\n", "none")
    assert "names no kernel release" in fp.release_check(f, REL)
    assert "no kernel release" in fp.release_check(f, None)


def test_time_check(tmp_path):
    f, _ = facts(tmp_path, BANNER + RTC + OOPS)
    crash = int(1795713463 + 9.904049 - 2.5)
    assert fp.time_check(f, crash)[0] is None
    assert fp.time_check(f, crash + 20)[0].startswith("the log dates its panic")
    assert "no vmcoreinfo CRASHTIME" in fp.time_check(f, None)[0]
    f, _ = facts(tmp_path, BANNER + OOPS, "norc")
    assert "setting system clock" in fp.time_check(f, crash)[0]


@given(st.integers(min_value=0, max_value=10 ** 7), st.integers(min_value=-10 ** 6, max_value=10 ** 6))
def test_time_check_slack(uptime, off):
    """Within 10 s + 1000 ppm of the uptime: accepted; beyond: refused."""
    f = {"panic_wall": 1795713463.0 + uptime, "uptime": float(uptime)}
    slack = fp.CLOCK_SLACK + uptime * fp.CLOCK_PPM / 1e6
    why, _s = fp.time_check(f, int(1795713463 + uptime + off))
    assert (why is None) == (abs(off) <= slack)


def test_resolvable(tmp_path):
    f, _ = facts(tmp_path, BANNER + OOPS)
    assert fp.resolvable(entry(), f) is None
    for kind in fp.DEFINITE_KINDS:
        assert fp.resolvable(entry(kind), f) is None
    # a candidate, an inconclusive log, a stuck kind anywhere: crash
    assert "OVS_PICKTX_LOCKUP" in fp.resolvable(entry(verdict="OVS_PICKTX_LOCKUP"), f)
    for kind in fp.STUCK_KINDS:
        assert kind in fp.resolvable(entry(kind), f)
        assert kind in fp.resolvable(entry(others=[kind]), f)
    assert "no location" in fp.resolvable(entry(frames=0), f)
    assert "no location" in fp.resolvable(entry(where=None), f)
    assert "stuck" in fp.resolvable(entry("panic", msg="softlockup: hung tasks"), f)
    e = entry()
    e["reports"][-1]["caused_panic"] = False
    assert "caused the panic" in fp.resolvable(e, f)
    assert "binary" in fp.resolvable(dict(entry(), warning="binary data (9 of 9)"), f)
    assert fp.resolvable(None, f)
    fv, _ = facts(tmp_path, BANNER + OOPS + " skb_tx_hash+0x1\n", "veto")
    assert "netdev_pick_tx" in fp.resolvable(entry(), fv)


def test_same_panic():
    assert fp.same_panic(entry(), entry())
    assert not fp.same_panic(entry(), entry("gpf"))
    other = entry()
    other["reports"][-1]["message"] = "BUG: kernel NULL pointer dereference, address: 0000000000000018"
    assert not fp.same_panic(entry(), other)

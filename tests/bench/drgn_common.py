"""Shared set-up of the drgn baselines (tests/bench/drgn_netdev.py,
drgn_vport.py): open a dump in drgn, time a walk in-session.

drgn (Debian's python3-drgn, 0.0.22 on bookworm) reads a kdump-compressed
vmcore itself through libkdumpfile, and an ELF core as well.  Start-up
(opening the dump, loading vmlinux and openvswitch.ko debuginfo) is not
timed: each walk is run once to warm drgn's type and symbol lookups, then
RUNS times, each timed with time.perf_counter() around the walk alone.
"""
import argparse
import statistics
import sys
import time

import drgn


def open_dump(argv, what):
    ap = argparse.ArgumentParser(description=f"drgn baseline: {what}")
    ap.add_argument("vmcore")
    ap.add_argument("vmlinux")
    ap.add_argument("module_debug", nargs="*", help="openvswitch.ko debuginfo")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", default="/dev/null",
                    help="where the walk's lines go (default /dev/null)")
    a = ap.parse_args(argv)
    prog = drgn.Program()
    try:
        prog.set_core_dump(a.vmcore)
    except Exception as e:      # drgn raises several kinds; say which file
        sys.exit(f"{a.vmcore}: drgn cannot open it: {e}")
    try:
        prog.load_debug_info([a.vmlinux] + a.module_debug)
    except drgn.MissingDebugInfoError as e:
        # modules without debuginfo (all but openvswitch) are expected
        print(f"drgn: {str(e).splitlines()[0]}", file=sys.stderr)
    return prog, a


def timed(walk, prog, a):
    """Run walk(prog, out) once to warm up, then a.runs times; print
    'count N', 'first S', 'median S' (wall) and 'cpu S' (the process's CPU
    time, median) in seconds on stdout."""
    with open(a.out, "w") as out:
        t0 = time.perf_counter()
        n = walk(prog, out)
        first = time.perf_counter() - t0
        times, cpus = [], []
        for _ in range(a.runs):
            t0, c0 = time.perf_counter(), time.process_time()
            walk(prog, out)
            times.append(time.perf_counter() - t0)
            cpus.append(time.process_time() - c0)
    print(f"count {n}")
    print(f"first {first:.6f}")
    print(f"median {statistics.median(times):.6f}")
    # CPU time of the walk too: on a loaded machine the wall time is noise
    print(f"cpu {statistics.median(cpus):.6f}")


_syms = {}


def sym(prog, addr):
    """crash's sym+off of an address, '' when none (as ovscrash prints).
    Memoized, as ovscrash's lookups are: drgn 0.0.22's Program.symbol()
    takes about 0.5 ms, and a walk asks the same few addresses (ops,
    rx_handler) of every device."""
    if not addr:
        return ""
    if addr not in _syms:
        try:
            s = prog.symbol(addr)
            off = addr - s.address
            _syms[addr] = f"{s.name}+{off}" if off else s.name
        except LookupError:
            _syms[addr] = ""
    return _syms[addr]

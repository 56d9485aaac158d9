"""ovscrash-batch: triage many Linux vmcores with crash + ovscrash.so.

    ovscrash-batch [options] --out DIR --symbols DIR INPUT...

INPUT is a directory tree or an archive (.tar, .tar.gz/.tgz, .tar.bz2,
.tar.xz, .tar.zst; recognised by magic bytes).  Dumps are recognised by
magic bytes, not by name: kdump-compressed ("KDUMP   "/"DISKDUMP"),
flattened makedumpfile output ("makedumpfile" -- reassembled once with
`makedumpfile -R` into a cache keyed by dump identity), ELF cores, and
any of these compressed with gzip/bzip2/xz/lz4/zstd (Debian kdump-tools'
dump.<stamp>.gz ..., decompressed as a stream under a size cap).
kdump-tools' dump-incomplete is reported `incomplete`, never opened;
files that are evidently not dumps (manifests, logs, READMEs, kexec_cmd,
lock files, vmlinux/modules) are listed once in OUT/skipped.json.  Every
other file gets one result JSON in --out, named by the dump's identity (sha256 of
size + first MiB + last MiB), written atomically; a rerun skips identities
that already have a result.  Each dump's architecture (read from the dump)
picks its crash + extension, so x86_64 and arm64 dumps can be mixed.
See docs/batch.md.

Python 3 standard library only.  This module is the command line; the
work is in the package's other modules.
"""
import argparse
import os
import re
import shutil
import signal
import socket
import tempfile

from .common import DEFAULT_MAX_DECOMPRESSED, MACHINE_ARCH, STATUSES, VERSION, stop_writes
from .links import LinkDir
from .shard import parse_spec, ShardSpecError
from .progress import DEFAULT_EVERY
from .runner import clean_own, clean_stale, clean_tmpdirs, run, Batch


def arch_map(values, what):
    m = {}
    for v in values or []:
        if "=" not in v:
            raise SystemExit(f"ovscrash-batch: --{what} wants ARCH=PATH, got {v!r}")
        k, p = v.split("=", 1)
        k = MACHINE_ARCH.get(k.lower(), k.lower())
        m[k] = os.path.abspath(p)
    return m


def signal_handler(b, scratch):
    """The SIGINT/SIGTERM handler: stop the batch now.  It runs in the
    main thread between any two bytecodes, so it takes no lock (see
    Batch.kill_all) and writes with os.write (sys.stderr's buffer has
    its own lock, held if the signal came inside a progress() write);
    the workers see b.stopping, the children are killed, no temp file
    is created any more (stop_writes: a worker whose crash was just
    killed writes its log), what this process half-wrote (scratch dir,
    result temp files, index and reassembly builds) is removed, and the
    exit status is 130."""
    def on_signal(signum, _frame):
        b.stopping = True
        stop_writes()
        b.kill_all()
        clean_own(b, scratch)
        os.write(2, (f"\novscrash-batch: stopped by signal {signum}; rerun to resume "
                     f"({b.done} of {b.total} results written this run)\n").encode())
        os._exit(130)
    return on_signal


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="ovscrash-batch",
        description="Triage many vmcores (dirs or tar archives) with crash + ovscrash.so "
                    "`triage -j`; one result JSON per dump in --out.")
    ap.add_argument("inputs", nargs="+", metavar="INPUT", help="directory or archive of dumps")
    ap.add_argument("--out", "-o", required=True, help="results directory (created)")
    ap.add_argument("--symbols", "-s", action="append", default=[], metavar="DIR",
                    help="symbol store: searched for vmlinux files, .build-id trees, "
                         "extracted -dbg packages (repeatable)")
    ap.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1,
                    help="parallel crash workers (default: nproc)")
    ap.add_argument("--timeout", type=float, default=300, help="per-dump seconds (default 300)")
    ap.add_argument("--shard", default=None, metavar="K/N",
                    help="process only dumps whose identity hash mod N is K (K from 0); "
                         "'slurm' takes K and N from the Slurm array task's environment")
    ap.add_argument("--crash", action="append", default=[], metavar="ARCH=PATH",
                    help="crash binary per dump architecture (x86_64, arm64); default: "
                         "build-crash.sh's cached build for the arch (X86_64 / ARM64)")
    ap.add_argument("--ext", action="append", default=[], metavar="ARCH=PATH",
                    help="extension per dump architecture; default: extension/ovscrash.so "
                         "(x86_64), extension/ovscrash-arm64.so (arm64)")
    ap.add_argument("--retry", default="", metavar="STATUS,...",
                    help="redo dumps whose existing result has one of these statuses "
                         "(e.g. timeout,crash-failed,unmatched,no-crash)")
    ap.add_argument("--scratch", default=None,
                    help="where archives are extracted and flattened dumps reassembled "
                         "(default OUT/.scratch)")
    ap.add_argument("--reassembly-cache", default=None, metavar="DIR",
                    help="where flattened dumps (plain or compressed) are reassembled once, keyed "
                         "by dump identity, for every later run (default OUT/reassembled)")
    ap.add_argument("--max-decompressed", default=str(DEFAULT_MAX_DECOMPRESSED), metavar="BYTES",
                    help="largest size one compressed dump may decompress to (suffix K/M/G/T; "
                         "default 64G); also bounded by the free space of the target filesystem")
    ap.add_argument("--no-progress-bar", action="store_true", help="plain lines even on a TTY")
    ap.add_argument("--progress-every", type=float, default=DEFAULT_EVERY, metavar="SECONDS",
                    help="when not on a TTY: a progress line with rate and ETA every SECONDS "
                         f"(default {DEFAULT_EVERY:g})")
    ap.add_argument("--index-cache", default=None, metavar="DIR",
                    help="symbol index cache: DIR/<build-id>/vmlinux is a copy of each matched "
                         "vmlinux with a .gdb_index, built once (gdb-add-index) and read by crash "
                         "instead of the original (default $OVSCRASH_CACHE/symindex)")
    ap.add_argument("--no-index", action="store_true",
                    help="run crash on the original vmlinux; build and use no index")
    ap.add_argument("--ovscrash-log", default=None, metavar="PATH",
                    help="log triage tool for dumps crash cannot triage and for logs without a "
                         "dump (default: tools/ovscrash-log of this tree, else ovscrash-log on PATH)")
    ap.add_argument("--full", action="store_true",
                    help="run crash on every dump; without it a dump whose own kernel log shows "
                         "a panic that cannot be this bug gets its verdict from the log, without "
                         "crash (the fast path, docs/batch.md)")
    ap.add_argument("--version", action="version", version=f"ovscrash-batch {VERSION}")
    a = ap.parse_args(argv)
    a.crash = arch_map(a.crash, "crash")
    a.ext = arch_map(a.ext, "ext")
    a.shard_i, a.shard_n, a.shard_str = 0, 1, None
    if a.shard:
        try:
            a.shard_i, a.shard_n = parse_spec(a.shard)
        except ShardSpecError as e:
            ap.error(str(e))
        a.shard_str = f"{a.shard_i}/{a.shard_n}"
    if a.jobs < 1:
        ap.error("--jobs must be >= 1")
    if not a.progress_every > 0:
        ap.error("--progress-every wants a number of seconds > 0")
    m = re.match(r"^(\d+)([KMGT]?)i?B?$", a.max_decompressed.strip(), re.I)
    if not m:
        ap.error("--max-decompressed wants a size such as 500M or 64G")
    a.max_decompressed = int(m.group(1)) << {"": 0, "K": 10, "M": 20, "G": 30, "T": 40}[m.group(2).upper()]
    retry = {s.strip() for s in a.retry.split(",") if s.strip()}
    bad = retry - set(STATUSES)
    if bad:
        ap.error(f"--retry: unknown status {', '.join(sorted(bad))}")

    out = os.path.abspath(a.out)
    os.makedirs(os.path.join(out, "logs"), exist_ok=True)
    clean_stale(out)
    sroot = os.path.abspath(a.scratch) if a.scratch else os.path.join(out, ".scratch")
    os.makedirs(sroot, exist_ok=True)
    scratch = tempfile.mkdtemp(prefix=f"{socket.gethostname()}-{os.getpid()}-", dir=sroot)
    b = Batch(a)
    b.links = LinkDir(scratch)
    # index and reassembly builds of runs that died (the caches' own
    # cleaning runs only when they build)
    for root in (b.symindex.root if b.symindex else None, b.recache.root):
        if root:
            clean_tmpdirs(root)

    on_signal = signal_handler(b, scratch)
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    try:
        return run(a, b, out, scratch, retry)
    finally:
        b.links.close()
        shutil.rmtree(scratch, ignore_errors=True)

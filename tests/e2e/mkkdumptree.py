#!/usr/bin/python3
"""Lay out a dump tree exactly as Debian's kdump-tools 1.8.1 writes it,
from the real fixture dumps of one set, with the real makedumpfile:

  DIR/var/crash/kexec_cmd                     kdump-config's kexec command line
  DIR/var/crash/kdump_lock                    kdump-config's flock file
  DIR/var/crash/<stamp>/dmesg.<stamp>         makedumpfile --dump-dmesg
  DIR/var/crash/<stamp>/dump.<stamp>[.gz|.bz2|.lz4|.xz]
                                              makedumpfile -F -c -d 31 | compress
  DIR/var/crash/<stamp>/dump-incomplete       a flattened dump cut short (still being written)
  DIR/var/crash/<stamp>/vmcore.<stamp>        the fallback copy when makedumpfile fails
  DIR/manifest.json                           what was laid out, and from which scenario

    mkkdumptree.py --fixtures SET_DIR --out DIR

The names, the pipeline (`makedumpfile $MAKEDUMP_ARGS vmcore | compress >
dump-incomplete<ext>`, then `mv` to `dump.<stamp><ext>`) and the
compressors (`gzip -c`, `bzip2 -c`, `lz4 -c`, `xz -c`) are those of
kdump-tools 1.8.1's kdump-config (kdump_save_core).  How this differs from
a real kdump-tools run (recorded in the manifest too):

- makedumpfile runs on the host, on the set's kdump-compressed vmcore (made
  by `makedumpfile -c -d 31` in the guest's capture kernel), not on
  /proc/vmcore in the capture kernel: the flattened dump re-filters a dump
  that was already filtered with the same level, so it holds the same pages.
- vmcore.<stamp> is a byte copy of the set's kdump-compressed vmcore; the
  real fallback is a `cp` of /proc/vmcore, an ELF core (makedumpfile cannot
  turn a kdump-compressed dump into ELF, and the fixtures have no ELF dump).
- dump-incomplete is the first 30% of a complete flattened stream: what the
  file holds while makedumpfile is still writing it.
- the stamps are fixed (202611261401...), not the capture time.
"""
import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys

# variant -> (compression suffix, compressor argv); kdump-config's compress()
COMPRESSORS = {"": None, ".gz": ["gzip", "-c"], ".bz2": ["bzip2", "-c"],
               ".lz4": ["lz4", "-c"], ".xz": ["xz", "-c"]}
# scenarios in the order they are given to the variants (a set lacking one
# moves on to the next)
PREFER = ("lockup", "healthy", "oops-null", "softlockup-other", "hungtask", "mirred", "race",
          "victim-hostile", "noovs", "hostile")
MAKEDUMP_ARGS = ["-F", "-c", "-d", "31"]
STAMP0 = 202611261401


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            b = f.read(1 << 20)
            if not b:
                return h.hexdigest()
            h.update(b)


def run_pipeline(vmcore, comp, dest):
    """makedumpfile -F -c -d 31 VMCORE | COMPRESS > DEST; both must succeed."""
    with open(dest, "wb") as out:
        md = subprocess.Popen(["makedumpfile"] + MAKEDUMP_ARGS + [vmcore],
                              stdout=subprocess.PIPE if comp else out, stderr=subprocess.PIPE)
        cp = None
        if comp:
            cp = subprocess.Popen(comp, stdin=md.stdout, stdout=out, stderr=subprocess.PIPE)
            md.stdout.close()
        err = md.stderr.read().decode("utf-8", "replace")
        rc = md.wait()
        crc = 0
        if cp:
            cerr = cp.stderr.read().decode("utf-8", "replace")
            crc = cp.wait()
            if crc:
                raise SystemExit(f"mkkdumptree: {' '.join(comp)} failed: {cerr[-400:]}")
        if rc:
            raise SystemExit(f"mkkdumptree: makedumpfile {' '.join(MAKEDUMP_ARGS)} {vmcore} "
                             f"exit {rc}: {err[-400:]}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--fixtures", required=True, help="a fixture set dir (fixtures/mkfixture.sh amd64)")
    ap.add_argument("--out", required=True, help="tree root to create (must not exist)")
    a = ap.parse_args()
    if os.path.exists(a.out):
        raise SystemExit(f"mkkdumptree: {a.out} exists")
    for tool in ["makedumpfile"] + [c[0] for c in COMPRESSORS.values() if c]:
        if not shutil.which(tool):
            raise SystemExit(f"mkkdumptree: {tool} not found (scripts/install-deps.sh)")
    scen = [s for s in PREFER if os.path.isfile(os.path.join(a.fixtures, s, "vmcore"))
            and os.path.isfile(os.path.join(a.fixtures, s, "manifest.json"))]
    if not scen:
        raise SystemExit(f"mkkdumptree: no scenario with vmcore + manifest.json in {a.fixtures}")
    variants = [("dump", ext) for ext in COMPRESSORS] + [("dump-incomplete", ""), ("vmcore", "")]
    crash = os.path.join(a.out, "var", "crash")
    os.makedirs(crash)
    entries = []
    for n, (kind, ext) in enumerate(variants):
        sc = scen[n % len(scen)]
        src = os.path.join(a.fixtures, sc, "vmcore")
        with open(os.path.join(a.fixtures, sc, "manifest.json")) as f:
            man = json.load(f)
        stamp = str(STAMP0 + n)
        d = os.path.join(crash, stamp)
        os.makedirs(d)
        dmesg = os.path.join(d, f"dmesg.{stamp}")
        p = subprocess.run(["makedumpfile", "--dump-dmesg", src, dmesg], capture_output=True, text=True)
        if p.returncode or not os.path.isfile(dmesg):
            raise SystemExit(f"mkkdumptree: makedumpfile --dump-dmesg {src}: {p.stdout[-300:]}{p.stderr[-300:]}")
        e = {"stamp": stamp, "scenario": sc, "source": os.path.realpath(src),
             "source_sha256": sha256(src), "kernel_release": man.get("kernel_release"),
             "arch": man.get("arch"), "expected": man.get("expected"),
             "dmesg": os.path.relpath(dmesg, a.out)}
        if kind == "dump":
            tmp = os.path.join(d, "dump-incomplete" + ext)
            run_pipeline(src, COMPRESSORS[ext], tmp)
            final = os.path.join(d, f"dump.{stamp}{ext}")
            os.rename(tmp, final)
            e.update(kind="dump", compression=ext[1:] or None, format="flattened",
                     command=f"makedumpfile {' '.join(MAKEDUMP_ARGS)} vmcore"
                     + (f" | {' '.join(COMPRESSORS[ext])}" if ext else "")
                     + f" > dump-incomplete{ext}; mv dump-incomplete{ext} dump.{stamp}{ext}",
                     expect_status="ok")
        elif kind == "dump-incomplete":
            full = os.path.join(d, ".full")
            run_pipeline(src, None, full)
            final = os.path.join(d, "dump-incomplete")
            with open(full, "rb") as f, open(final, "wb") as o:
                o.write(f.read(os.path.getsize(full) * 30 // 100))
            os.unlink(full)
            e.update(kind="dump-incomplete", compression=None, format="flattened (cut at 30%)",
                     command=f"makedumpfile {' '.join(MAKEDUMP_ARGS)} vmcore > dump-incomplete, "
                             f"first 30% kept", expect_status="incomplete")
        else:
            final = os.path.join(d, f"vmcore.{stamp}")
            shutil.copyfile(src, final)
            e.update(kind="vmcore", compression=None, format="kdump-compressed",
                     command="cp vmcore vmcore-incomplete; mv vmcore-incomplete vmcore." + stamp
                             + " (a copy of the kdump-compressed fixture dump, not of /proc/vmcore)",
                     expect_status="ok")
        e["path"] = os.path.relpath(final, a.out)
        e["size"] = os.path.getsize(final)
        entries.append(e)
    with open(os.path.join(crash, "kexec_cmd"), "w") as f:
        f.write("/sbin/kexec -p --command-line=\"BOOT_IMAGE=/vmlinuz root=/dev/vda1 console=ttyS0 "
                "reset_devices systemd.unit=kdump-tools-dump.service nr_cpus=1 irqpoll nousb\" "
                "--initrd=/var/lib/kdump/initrd.img /var/lib/kdump/vmlinuz\n")
    open(os.path.join(crash, "kdump_lock"), "w").close()
    skipped = ["var/crash/kexec_cmd", "var/crash/kdump_lock", "manifest.json"]
    doc = {"schema": "ovscrash-kdumptree/1", "layout": "Debian kdump-tools 1.8.1 (kdump-config kdump_save_core)",
           "fixtures": os.path.realpath(a.fixtures), "makedump_args": " ".join(MAKEDUMP_ARGS),
           "makedumpfile": subprocess.run(["makedumpfile", "-v"], capture_output=True,
                                          text=True).stdout.splitlines()[0:1],
           "entries": entries, "not_dumps": skipped,
           "differs_from_kdump_tools": [
               "makedumpfile ran on the host on the fixture's kdump-compressed vmcore "
               "(itself made by makedumpfile -c -d 31 in the guest's capture kernel), "
               "not on /proc/vmcore in the capture kernel",
               "vmcore.<stamp> is a copy of a kdump-compressed dump; kdump-tools' fallback is "
               "an ELF copy of /proc/vmcore",
               "dump-incomplete is a complete flattened stream cut at 30%",
               "stamps are fixed, not the capture time"]}
    with open(os.path.join(a.out, "manifest.json"), "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    print(a.out)


if __name__ == "__main__":
    sys.exit(main())

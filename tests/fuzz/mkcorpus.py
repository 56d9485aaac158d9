#!/usr/bin/env python3
"""Regenerate the committed seed corpus tests/fuzz/corpus/<target>/.

Seeds are real texts: the kernel logs and crash outputs of tests/unit/data,
the fixtures' console logs and vmcore-dmesg files (windows around each
report, so each seed stays small; libFuzzer's -merge then keeps only
those that add coverage; the inputs that once broke a target,
tests/unit/data/fuzz_<target>_*.txt, are always kept), and `bt -E`, `bt -a -e` and
`dis -lx netdev_pick_tx` captured with the project's crash from the
lockup and qemu-dump fixtures of each architecture.  ELF seeds are
seed_module.c built for x86_64 and arm64 (relocatable, build-id note,
DWARF); the decompression seeds are those compressed with xz and zstd.

    tests/fuzz/mkcorpus.py        (needs the fixtures and both crashes)
"""
import glob
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
CACHE = os.environ.get("OVSCRASH_CACHE", "/var/cache/ovscrash")
CORPUS = os.path.join(HERE, "corpus")
DATA = os.path.join(TOP, "tests/unit/data")
WINDOW = 12 * 1024	# bytes per log window
PER_FILE = 4		# windows kept per log file
TRIGGER = re.compile(rb"(BUG: |watchdog: |Kernel panic|INFO: task|Unable to handle|"
                     rb"Internal error|WARNING: CPU|general protection|NMI backtrace|"
                     rb"detected stalls|Out of memory|sysrq: )")
MARK = 0x5e5e0001


def put(target, data, tag):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    name = f"{tag}-{hashlib.sha1(data).hexdigest()[:12]}"
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def log_windows(data):
    """Up to PER_FILE windows starting a few lines before a trigger line."""
    out, last_end = [], -1
    for m in TRIGGER.finditer(data):
        if m.start() < last_end:
            continue
        start = data.rfind(b"\n", 0, max(0, m.start() - 1024)) + 1
        end = min(len(data), start + WINDOW)
        end = data.rfind(b"\n", start, end) + 1 or end
        out.append(data[start:end])
        last_end = end
        if len(out) == PER_FILE:
            break
    return out


def dump_blocks(data):
    """Each register dump alone (its RIP/pc line and the 20 after): small
    seeds, whose lines the mutator cuts and splices far more often."""
    lines = data.split(b"\n")
    return [b"\n".join(lines[i:i + 21]) + b"\n" for i, l in enumerate(lines)
            if re.search(rb"(RIP: |pc : )", l)][:PER_FILE]


def crash_outputs(crash, d, cmds):
    """{command: output} of one crash session (eval markers split them)."""
    lines = []
    for i, c in enumerate(cmds):
        lines += [f"eval {MARK + 2 * i:#x}", c]
    with tempfile.NamedTemporaryFile("w", suffix=".crash") as f:
        f.write("\n".join(lines) + "\nq\n")
        f.flush()
        p = subprocess.run([crash, "-s", os.path.join(d, "vmlinux"), os.path.join(d, "vmcore"),
                            "-i", f.name], stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=300)
    parts = re.split(rb"^hexadecimal: 5e5e([0-9a-f]{4}).*\n *decimal:.*\n *octal:.*\n"
                     rb" *binary:.*\n", p.stdout, flags=re.M)
    return {cmds[(int(parts[i], 16) - 1) // 2]: parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def text_seeds():
    for path in sorted(glob.glob(os.path.join(DATA, "*"))):
        name = os.path.basename(path)
        data = open(path, "rb").read()
        tag = os.path.splitext(name)[0]
        if name.startswith("fuzz_"):	# fuzz_<target>_<what>: a found crash
            put(name.split("_")[1], data, "regress-" + tag)
        elif "_dis" in name:
            put("dis", data, tag)
        elif "bt" in name:
            put("exframe", data, tag)
        else:
            for w in log_windows(data) or [data[:WINDOW]]:
                put("regdump", w, tag)
                put("panicsig", w, tag)
    for path in sorted(glob.glob(os.path.join(CACHE, "fixtures/*/*/console.log")) +
                       glob.glob(os.path.join(CACHE, "fixtures/*/*/vmcore-dmesg.txt"))):
        if "-dev-" in path:	# a developer's partial set (mkfixture.sh)
            continue
        parts = path.split(os.sep)
        tag = f"{parts[-3].split('-')[0]}-{parts[-3].split('-')[1]}-{parts[-2]}-" \
              f"{os.path.splitext(parts[-1])[0]}"
        data = open(path, "rb").read()
        for w in log_windows(data):
            put("panicsig", w, tag)
            put("regdump", w, tag)
        for b in dump_blocks(data):
            put("regdump", b, tag + "-dump")
    for arch, target in (("amd64", "X86_64"), ("arm64", "ARM64")):
        crash = subprocess.run([os.path.join(TOP, "scripts/build-crash.sh"), target],
                               capture_output=True, text=True, check=True).stdout.strip()
        for d in sorted(glob.glob(os.path.join(CACHE, f"fixtures/{arch}-*/lockup")) +
                        glob.glob(os.path.join(CACHE, f"fixtures/{arch}-*/qemu-dump"))):
            tag = f"{arch}-{d.split(os.sep)[-2].split('-')[1]}-{os.path.basename(d)}"
            o = crash_outputs(crash, d, ["bt -E", "bt -a -e", "dis -lx netdev_pick_tx"])
            for cmd, target_ in (("bt -E", "exframe"), ("bt -a -e", "exframe"),
                                 ("dis -lx netdev_pick_tx", "dis")):
                if o.get(cmd, b"").strip():
                    put(target_, o[cmd][:64 * 1024], f"{tag}-{cmd.replace(' ', '').replace('-', '_')}")


def elf_seeds():
    src = os.path.join(HERE, "seed_module.c")
    with tempfile.TemporaryDirectory() as tmp:
        for arch, pre in (("x86_64", ""), ("arm64", "aarch64-linux-gnu-")):
            cc, ld, objcopy = pre + "gcc", pre + "ld", pre + "objcopy"
            o, ko = os.path.join(tmp, arch + ".o"), os.path.join(tmp, arch + ".ko")
            subprocess.run([cc, "-g", "-O2", "-fno-asynchronous-unwind-tables", "-c", "-o", o, src],
                           check=True)
            subprocess.run([ld, "-r", "--build-id=sha1", "-o", ko, o], check=True)
            data = open(ko, "rb").read()
            put("elf", data, f"{arch}-ko")
            stripped = os.path.join(tmp, arch + "-s.ko")
            subprocess.run([objcopy, "--strip-debug", ko, stripped], check=True)
            put("elf", open(stripped, "rb").read(), f"{arch}-ko-nodebug")
            # the note section alone, as the extension reads it from memory
            note = os.path.join(tmp, arch + ".note")
            subprocess.run([objcopy, "-O", "binary", "--only-section=.note.gnu.build-id", ko, note],
                           check=True)
            put("elf", open(note, "rb").read(), f"{arch}-note")
            # decompress: first byte's low bit 0 = xz, 1 = zst
            put("decompress", b"\0" + subprocess.run(["xz", "-c", "--check=crc32", ko],
                                                    capture_output=True, check=True).stdout,
                f"{arch}-ko-xz")
            put("decompress", b"\1" + subprocess.run(["zstd", "-q", "-c", ko],
                                                    capture_output=True, check=True).stdout,
                f"{arch}-ko-zst")


def minimize():
    """Keep only the seeds that add coverage (libFuzzer's -merge=1), when
    the targets are built (make -C tests/fuzz)."""
    for t in sorted(os.listdir(CORPUS)):
        fuzzer = os.path.join(TOP, "build/fuzz", "fuzz_" + t)
        if not os.access(fuzzer, os.X_OK):
            continue
        d = os.path.join(CORPUS, t)
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([fuzzer, "-merge=1", tmp, d], capture_output=True, check=True)
            keep = set(os.listdir(tmp))	# named by the SHA-1 of their bytes
        for f in os.listdir(d):
            path = os.path.join(d, f)
            if f.startswith("regress-"):
                continue
            if hashlib.sha1(open(path, "rb").read()).hexdigest() not in keep:
                os.unlink(path)


def main():
    shutil.rmtree(CORPUS, ignore_errors=True)
    text_seeds()
    elf_seeds()
    minimize()
    for t in sorted(os.listdir(CORPUS)):
        files = glob.glob(os.path.join(CORPUS, t, "*"))
        print(f"{t}: {len(files)} seeds, {sum(os.path.getsize(f) for f in files)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())

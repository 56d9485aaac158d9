#!/usr/bin/env python3
"""Checks of tools/ovscrash-log (log-only triage).

Expectations come from independent readers only: the original report's
registers read off its own listing (hash x2, qcount x25, qoffset x20,
dev x22 from `mov x22, x0`; docs/verified-facts), the fixtures'
manifest.json (what the generator set up), binutils' objdump and
addr2line on the same vmlinux -- never from earlier ovscrash-log output.
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from suite import Suite, eq, fixture_label, true  # noqa: E402


class Tool:
    def __init__(self, path, out):
        self.path = path
        self.out = out
        self.n = 0

    def run(self, args, timeout=120, valgrind=False):
        cmd = [self.path] + args
        if valgrind:
            cmd = ["valgrind", "-q", "--error-exitcode=99", "--leak-check=full",
                   "--errors-for-leak-kinds=definite"] + cmd
        p = subprocess.run(cmd, capture_output=True, timeout=timeout)
        self.n += 1
        with open(os.path.join(self.out, f"run{self.n:02d}.txt"), "wb") as f:
            f.write(b"$ " + " ".join(cmd).encode(errors="surrogateescape") + b"\n" + p.stdout + b"\n--- stderr\n" + p.stderr)
        return p

    def json(self, args, **kw):
        p = self.run(["-j"] + args, **kw)
        eq(p.returncode, 0, f"exit status of {args} (stderr {p.stderr[:300]!r})")
        return json.loads(p.stdout)


def only_file(doc):
    eq(doc["command"], "ovscrash-log", "command")
    eq(len(doc["files"]), 1, "files")
    return doc["files"][0]


def evidence(f):
    return "\n".join(e["text"] for e in f["evidence"])


def seed_checks(s, t, data):
    dmesg = os.path.join(data, "arm64_510_dmesg.txt")
    full = os.path.join(data, "arm64_510_dis.txt")
    excerpt = os.path.join(data, "arm64_510_dis_excerpt.txt")
    # the report's own register dump, read here with a plain regex
    regs = dict((k, int(v, 16)) for k, v in
                re.findall(r"\b(x\d+)\s*:\s*([0-9a-f]{16})", open(dmesg).read()))
    res = {}

    def full_dis():
        f = only_file(t.json(["--disasm", full, dmesg]))
        res["full"] = f
        d = f["decode"]
        eq(d["method"], "disasm", "method")
        true(d["loop_verified"], "loop not verified on the full listing")
        eq((d["hash_reg"], d["qcount_reg"], d["qoffset_reg"], d["dev_reg"]),
           ("x2", "x25", "x20", "x22"), "registers (report: hash x2, qcount x25, qoffset x20, dev x22)")
        eq(int(d["hash"], 16), regs["x2"], "hash value")
        eq(int(d["qcount"], 16), regs["x25"], "qcount value")
        eq(int(d["dev"], 16), regs["x22"], "dev value")
        eq(d["pc_offset"], 0x27c, "PC offset (pc : netdev_pick_tx+0x27c/0x294)")
        eq(d["sub_offset"], 0x27c, "sub of the loop")
        eq(d["sub_source"], "dev.c:3190", "source line of the loop's sub")
        eq(f["verdict"], "OVS_PICKTX_LOCKUP", "verdict")
        eq(f["transmit_path"]["ovs"], True, "OVS transmit path from the call trace")
        eq(len(f["reports"]), 1, "reports")
        r = f["reports"][0]
        eq((r["kind"], r["cpu"], r["where"]), ("soft-lockup", 1, "netdev_pick_tx+0x27c/0x294"), "report")
        eq(f["panic_message"], "softlockup: hung tasks", "panic message")
        true(re.match(r"^[0-9a-f]{16}$", r["bucket"]), f"bucket {r['bucket']}")
    s.check("arm64 5.10 report, full dis -l: hash x2, qcount x25, qoffset x20, dev x22", full_dis)

    def partial():
        f = only_file(t.json(["--disasm", excerpt, dmesg]))
        d = f["decode"]
        eq(d["method"], "disasm-subtraction", "method")
        eq(d["loop_verified"], False, "loop verified from an excerpt without the compare")
        eq((d["hash_reg"], d["qcount_reg"], d["qoffset_reg"], d["dev_reg"]),
           ("x2", "x25", "x20", "x22"), "registers")
        eq(d["cmp_offset"], None, "compare offset")
        eq(d["sub_source"], "dev.c:3190", "source line of the sub")
        true("subtraction" in d["note"], f"note does not say how: {d['note']}")
        true(any("subtraction" in c for c in f["caveats"]), f"no caveat says so: {f['caveats']}")
        eq(f["verdict"], "OVS_PICKTX_LOCKUP", "verdict")
        if "full" in res:
            true(f["confidence"] < res["full"]["confidence"],
                 f"excerpt confidence {f['confidence']} not below full {res['full']['confidence']}")
        p = t.run(["--disasm", excerpt, dmesg])
        true(b"registers from the subtraction at +0x27c only" in p.stdout, "text does not say so")
    s.check("arm64 5.10 report, partial excerpt: same registers, lower confidence, said so", partial)

    def no_dis():
        f = only_file(t.json([dmesg]))
        d = f["decode"]
        eq(d["method"], "none", "method")
        true("hash_reg" not in d, "registers assigned without a disassembly")
        eq(f["verdict"], "OVS_PICKTX_LOCKUP", "verdict from the call trace")
        if "full" in res:
            true(f["confidence"] < res["full"]["confidence"], "confidence not lower without disassembly")
        true(any("no disassembly" in c for c in f["caveats"]), f"caveats {f['caveats']}")
    s.check("arm64 5.10 report, no disassembly: verdict from the call trace, lower confidence", no_dis)

    def mismatch():
        f = only_file(t.json(["--disasm", os.path.join(data, "x86_64_61_dis.txt"), dmesg]))
        eq(f["decode"]["method"], "none", "method with another arch's dis text")
        true("x86_64" in f["decode"]["note"], f"note {f['decode']['note']}")
        true(any("disassembly not used" in c for c in f["caveats"]), f"caveats {f['caveats']}")
    s.check("dis text of another architecture is refused with a reason", mismatch)


def assemble_arm64(lines, work):
    """Machine words of arm64 instructions, from binutils' own assembler."""
    src, obj = os.path.join(work, "c.s"), os.path.join(work, "c.o")
    with open(src, "w") as f:
        f.write("\n".join(lines) + "\n")
    subprocess.run(["aarch64-linux-gnu-as", src, "-o", obj], check=True)
    out = subprocess.run(["aarch64-linux-gnu-objdump", "-d", obj], capture_output=True,
                         text=True, check=True).stdout
    return re.findall(r"^\s*[0-9a-f]+:\s+([0-9a-f]{8})\s", out, re.M)


def code_line_checks(s, t, data, work):
    x86 = os.path.join(data, "x86_64_61_dmesg.txt")

    def x86_code():
        # verified facts (6.1.192 x86_64): hash %edx, qcount %eax; the log's
        # Code: bytes from the PC are <29> c2 39 c2 72 02 eb f8 (sub, cmp, jb, jmp back)
        f = only_file(t.json([x86]))
        d = f["decode"]
        eq(d["method"], "code-bytes", "method")
        eq(d["loop_verified"], True, "the 4-instruction loop closes inside the Code: bytes")
        eq((d["hash_reg"], d["qcount_reg"]), ("rdx", "rax"), "registers")
        eq((d["sub_offset"], d["cmp_offset"]), (0x26d, 0x26f), "sub/cmp offsets")
        eq(d["dev_reg"], None, "dev register without a prologue")
        eq(f["verdict"], "OVS_PICKTX_LOCKUP", "verdict")
        true(any("Code: bytes" in c for c in f["caveats"]), f"caveats {f['caveats']}")
    s.check("x86_64 log, no vmlinux: the loop decoded from the report's Code: bytes", x86_code)

    def x86_code_at_jmp():
        # the same report caught one instruction later: RIP on the loop's
        # `jmp` (+0x273 = +0x26d + 6, eb f8 jumps back to the sub)
        t_ = open(x86).read()
        t_ = t_.replace("netdev_pick_tx+0x26d/0x2b0", "netdev_pick_tx+0x273/0x2b0")
        t_ = t_.replace("<29> c2 39 c2 72 02 eb f8", "29 c2 39 c2 72 02 <eb> f8")
        log = os.path.join(work, "x86_jmp.log")
        with open(log, "w") as f:
            f.write(t_)
        d = only_file(t.json([log]))["decode"]
        eq((d["method"], d["pc_offset"], d["sub_offset"]), ("code-bytes", 0x273, 0x26d), "decode")
        eq((d["hash_reg"], d["qcount_reg"]), ("rdx", "rax"), "registers")
    s.check("x86_64 log, RIP on the loop's jmp: bytes before the PC decoded from the jmp's target", x86_code_at_jmp)

    def arm64_code():
        words = assemble_arm64(["strh w24, [x23, #276]", "mov w0, w24", "b .-0x80", "mov w0, w24",
                                "sub w2, w2, w25"], work)
        eq(len(words), 5, "assembled words")
        code = "Code: " + " ".join(words[:4]) + f" ({words[4]})"
        lines = open(os.path.join(data, "arm64_510_dmesg.txt")).read().splitlines()
        i = next(k for k, l in enumerate(lines) if "Call trace:" in l)
        lines.insert(i, "[ 1256.568050] " + code)
        log = os.path.join(work, "arm64_code.log")
        with open(log, "w") as f:
            f.write("\n".join(lines) + "\n")
        f = only_file(t.json([log]))
        d = f["decode"]
        eq(d["method"], "code-bytes-subtraction", "method")
        eq((d["hash_reg"], d["qcount_reg"]), ("x2", "x25"), "registers from the sub at the PC")
        eq(d["loop_verified"], False, "loop verified")
        # a malformed Code: line decodes nothing
        bad = "\n".join(lines).replace(code, "Code: 4b19004 (zzzzzzzz)")
        with open(log, "w") as f:
            f.write(bad + "\n")
        eq(only_file(t.json([log]))["decode"]["method"], "none", "method for a malformed Code: line")
    s.check("arm64 Code: line (words from aarch64-linux-gnu-as): decoded from the sub at the PC", arm64_code)


def objdump_lines(objdump, vmlinux, start, size):
    p = subprocess.run([objdump, "-d", "--no-show-raw-insn", f"--start-address={start:#x}",
                        f"--stop-address={start + size:#x}", vmlinux],
                       capture_output=True, text=True, timeout=300)
    out = {}
    for l in p.stdout.splitlines():
        m = re.match(r"^\s*([0-9a-f]+):\s+(.*)$", l)
        if m:
            out[int(m.group(1), 16)] = m.group(2)
    return out


def norm(ins):
    ins = re.sub(r"\s+<[^>]*>", "", ins)        # <sym+off> annotations
    ins = re.sub(r"\s+(#|//).*$", "", ins)       # comments
    ins = ins.replace("0x", "")
    return " ".join(ins.replace(",", ", ").split()).replace(" ,", ",")


def vmlinux_checks(s, t, arch, set_dir, A):
    tools = {"amd64": ("objdump", "addr2line"),
             "arm64": ("aarch64-linux-gnu-objdump", "aarch64-linux-gnu-addr2line")}[arch]
    # a scenario that spins in netdev_pick_tx (its log gives the length)
    lock = os.path.join(set_dir, "lockup")
    for mf in sorted(glob.glob(os.path.join(set_dir, "*", "manifest.json"))):
        if (json.load(open(mf)).get("expected") or {}).get("pc_symbol") == "netdev_pick_tx":
            lock = os.path.dirname(mf)
            break
    if not os.path.isdir(lock):     # no spin: any scenario's vmlinux, no log
        any_vml = sorted(glob.glob(os.path.join(set_dir, "*", "vmlinux")))
        if not any_vml:
            s.check(f"{A}: fixture set {set_dir} has a vmlinux", lambda: true(False, "none"))
            return
        lock = os.path.dirname(any_vml[0])
    vml = os.path.join(lock, "vmlinux")
    dmesg = os.path.join(lock, "vmcore-dmesg.txt")

    def agree():
        p = t.run(["--vmlinux", vml, "--print-disasm"] + ([dmesg] if os.path.exists(dmesg) else []))
        eq(p.returncode, 0, "exit status")
        ours, lines, cur = {}, {}, None
        for l in p.stdout.decode().splitlines():
            m = re.match(r"^0x([0-9a-f]+) <[^>]*>:\t(.*)$", l)
            if m:
                a = int(m.group(1), 16)
                ours[a] = m.group(2)
                lines[a] = cur
            elif re.match(r"^\S+: \d+$", l):
                cur = l
        true(len(ours) > 50, f"only {len(ours)} instructions")
        start = min(ours)
        size = max(ours) - start + 16   # the last instruction whole
        theirs = objdump_lines(tools[0], vml, start, size)
        eq(sorted(ours), sorted(a for a in theirs if a <= max(ours)), "instruction addresses vs objdump")
        bad = [(hex(a), ours[a], theirs[a]) for a in ours if norm(ours[a]) != norm(theirs[a])]
        eq(bad[:5], [], f"instructions differing from {tools[0]} ({len(bad)} of {len(ours)})")
        # source lines against addr2line, the loop's sub first
        addrs = sorted(ours)
        p = subprocess.run([tools[1], "-e", vml] + [hex(a) for a in addrs],
                           capture_output=True, text=True, timeout=600)
        a2l = p.stdout.splitlines()
        eq(len(a2l), len(addrs), "addr2line answers")
        diff = []
        for a, want in zip(addrs, a2l):
            m = re.match(r"^(.*):(\d+)", want)
            if not m or m.group(2) == "0" or lines[a] is None:
                continue
            f, ln = lines[a].rsplit(": ", 1)
            if not (m.group(1).endswith(f) and ln == m.group(2)):
                diff.append((hex(a), lines[a], want))
        eq(diff[:5], [], f"source lines differing from addr2line ({len(diff)} of {len(addrs)})")
        print(f"  {A}: {len(ours)} instructions agree with {tools[0]}, lines with {tools[1]}")
    s.check(f"{A}: --vmlinux disassembly agrees with objdump and addr2line", agree)

    def valgrind_vmlinux():
        logs = [x for x in (dmesg, os.path.join(lock, "console.log")) if os.path.exists(x)]
        p = t.run(["-j", "--vmlinux", vml] + logs, valgrind=True, timeout=600)
        eq(p.returncode, 0, f"valgrind exit: {p.stderr[-500:]!r}")
        true(b"==" not in p.stderr, f"valgrind reports: {p.stderr[-800:]!r}")
    s.check(f"{A}: --vmlinux run (libopcodes, libdw) clean under valgrind", valgrind_vmlinux)


def fixture_checks(s, t, arch, set_dir, A):
    for scen_dir in sorted(glob.glob(os.path.join(set_dir, "*", "manifest.json"))):
        scen_dir = os.path.dirname(scen_dir)
        scen = os.path.basename(scen_dir)
        m = json.load(open(os.path.join(scen_dir, "manifest.json")))
        exp = m.get("expected") or {}
        vml = os.path.join(scen_dir, "vmlinux")
        for log in ("vmcore-dmesg.txt", "console.log"):
            path = os.path.join(scen_dir, log)
            if not os.path.exists(path):
                continue

            def one(path=path, m=m, exp=exp, vml=vml, scen=scen):
                f = only_file(t.json(["--vmlinux", vml, path], timeout=300))
                eq(f["verdict"], exp.get("verdict_kind"), "verdict kind")
                if m.get("panic_message"):
                    eq(f["panic_message"], m["panic_message"], "panic message")
                if exp.get("panic_kind") or exp.get("panic"):
                    kinds = [r["kind"] for r in f["reports"] if r["caused_panic"]]
                    eq(kinds, [exp.get("panic_kind") or exp.get("panic")], "kind of the report that panicked")
                if exp.get("function"):
                    w = [r["where"] for r in f["reports"] if r["caused_panic"]]
                    true(w and w[0].startswith(exp["function"] + "+"), f"where {w}")
                if exp.get("pc_symbol") != "netdev_pick_tx":
                    return
                d = f["decode"]
                spin = f["reports"][f["spin_report"] - 1]
                true(spin["where"].startswith(exp["pc_symbol"] + "+"), f"spin where {spin['where']}")
                eq(d["method"], "vmlinux", "decode method")
                true(d["loop_verified"], f"loop not verified: {d.get('note')}")
                eq(int(d["hash"], 16), exp["hash"], "hash")
                eq(int(d["qcount"], 16) & 0xffffffff, exp["qcount"], "qcount")
                if m.get("victim"):
                    eq(int(d["dev"], 16), int(m["victim"]["address"], 16), "dev register = victim address")
                eq(f["transmit_path"]["ovs"], exp["verdict_kind"] == "OVS_PICKTX_LOCKUP", "OVS transmit path")
                if exp.get("path"):
                    eq(f["transmit_path"]["other"], exp["path"], "other transmit path")
                if arch == "amd64":
                    # x86_64 register dumps carry a Code: line (42 bytes
                    # before the RIP, 22 from it): without a vmlinux the
                    # loop can be verified only when it lies inside that
                    # window (6.1, 6.12); 5.10's loop spans 0x9e bytes, and
                    # then the tool must say so rather than claim it
                    g = only_file(t.json([path]))
                    c = g["decode"]
                    fits = d["loop_start"] >= d["pc_offset"] - 42 and d["loop_end"] <= d["pc_offset"] + 22
                    if fits:
                        eq((c["method"], c["loop_verified"]), ("code-bytes", True),
                           f"decode without vmlinux ({c.get('note')})")
                        eq((int(c["hash"], 16), int(c["qcount"], 16)), (exp["hash"], exp["qcount"]),
                           "hash/qcount from Code:")
                    else:
                        eq(c["loop_verified"], False, "loop verified from an excerpt that cannot hold it")
                        true(c.get("note"), "no reason given for the unverified decode")
                    eq(g["verdict"], exp["verdict_kind"], "verdict without vmlinux")
                print(f"  {A} {scen} {os.path.basename(path)}: {d['hash_reg']}/{d['qcount_reg']}/"
                      f"{d['dev_reg']} sub {d['sub_source']} confidence {f['confidence']}")
            s.check(f"{A} {scen}: {log} with --vmlinux matches manifest.json", one)


HOSTILE = (b"<4>[   52.001122] watchdog: BUG: soft lockup - CPU#1 stuck for 22s! [ev\x1b[31mil\"<b>\xff:22]\n"
           b"<4>[   52.001150] CPU: 1 PID: 22 Comm: ev\x1b[31mil\"<b>\xff Not tainted 6.1.0 #1\n"
           b"<4>[   52.001170] RIP: 0010:netdev_pick_tx+0x26d/0x2b0\n"
           b"<4>[   52.001180] Code: 0f b7 <29> <c2> \xff\x1b[0m 39 c2 72\n"
           b"<4>[   52.001200] RAX: 0000000000000000 RBX: ffff888004a3c000 RCX: 0000000000000001\n"
           b"<4>[   52.001210] RDX: 0000000000000000 RSI: ffff888005d1e200 RDI: ffff888004a3c000\n"
           b"<4>[   52.001220] RBP: ffff888005d1e200 R08: 0000000000000002 R09: ffffc90000003c10\n"
           b"<4>[   52.001230] R10: 0000000000000000 R11: 0000000000000000 R12: ffff888004a3c000\n"
           b"<4>[   52.001240] R13: 0000000000000000 R14: ffff888003e81c00 R15: 0000000000000000\n"
           b"<4>[   52.001280] Call Trace:\n"
           b"<4>[   52.001282]  <IRQ>\n"
           b"<4>[   52.001285]  netdev_core_pick_tx+0x9c/0xb0\n"
           b"<4>[   52.001290]  ev\x1b]0;pwn\x07il\xff<script>+0x1/0x10 [m\x1b[0mod\xfe]\n"
           b"<4>[   52.001300]  do_execute_actions+0x5d/0x1780 [openvswitch]\n"
           b"<0>[   52.001600] Kernel panic - not syncing: \x1b[2Jsoftlockup\xff \"x\"\n")


def clean(b, what):
    for bad in (b"\x1b", b"\xff", b"\xfe", b"\x07", b"\x00"):
        true(bad not in b, f"{what} carries raw byte {bad!r}")


def hostile_checks(s, t, data, work):
    # a file name with raw ESC and 0xff bytes (str with surrogate escapes)
    hostile = os.fsdecode(os.path.join(os.fsencode(work), b"hostile\x1b[1m\xff.log"))
    with open(hostile, "wb") as f:
        f.write(HOSTILE)
    empty = os.path.join(work, "empty.log")
    open(empty, "wb").close()
    binary = os.path.join(work, "binary.log")
    with open(binary, "wb") as f:
        f.write(bytes((i * 7919 + 13) % 256 for i in range(200000)))
    missing = os.path.join(work, "missing.log")
    dis = os.path.join(data, "x86_64_61_dis.txt")

    def escaped():
        for args in (["--disasm", dis, hostile], ["-j", "--disasm", dis, hostile]):
            p = t.run(args)
            eq(p.returncode, 0, f"exit status {args[0]}")
            clean(p.stdout, "stdout")
            clean(p.stderr, "stderr")
        doc = json.loads(p.stdout)
        f = doc["files"][0]
        true("\\x1b" in f["file"] and "\\xff" in f["file"], f"file name not escaped: {f['file']!r}")
        r = f["reports"][0]
        eq(r["kind"], "soft-lockup", "kind")
        eq(f["decode"]["hash_reg"], "rdx", "hash register still decoded")
        true("\\x1b" in json.dumps(f), "no escaped ESC anywhere in the JSON")
        eq(f["verdict"], "OVS_PICKTX_LOCKUP", "verdict")
    s.check("hostile log: ESC/markup/0xff in comm, symbol, module, panic string and file name are escaped", escaped)

    def empty_file():
        p = t.run([empty])
        eq(p.returncode, 0, "exit status")
        eq(len(p.stderr.decode().strip().splitlines()), 1, f"stderr {p.stderr!r}")
        true(b"empty file" in p.stderr, f"stderr {p.stderr!r}")
        f = only_file(t.json([empty]))
        eq(f["warning"], "empty file", "warning")
        eq(f["reports"], [], "reports")
        eq(f["verdict"], "UNKNOWN", "verdict")
    s.check("empty file: one-line warning, no reports, UNKNOWN", empty_file)

    def binary_file():
        p = t.run(["-j", binary])
        eq(p.returncode, 0, "exit status")
        clean(p.stdout, "stdout")
        true(b"binary data" in p.stderr, f"stderr {p.stderr!r}")
        eq(len(p.stderr.decode("utf-8", "replace").strip().splitlines()), 1, "stderr lines")
        json.loads(p.stdout)
    s.check("binary file: one-line warning, valid JSON", binary_file)

    def missing_file():
        p = t.run([missing, os.path.join(data, "arm64_510_dmesg.txt")])
        eq(p.returncode, 1, "exit status")
        err = p.stderr.decode().strip().splitlines()
        eq(err, [f"ovscrash-log: {missing}: No such file or directory"], "stderr")
        true(b"arm64_510_dmesg.txt" in p.stdout, "the readable file was not triaged")
        doc = json.loads(t.run(["-j", missing]).stdout)
        eq(doc["files"][0]["error"], "No such file or directory", "JSON error")
        p = t.run(["--vmlinux", missing, empty])
        eq(p.returncode, 1, "missing vmlinux")
        p = t.run(["--disasm", missing, empty])
        eq(p.returncode, 1, "missing dis file")
        p = t.run([work])
        eq((p.returncode, p.stderr.decode().strip()), (1, f"ovscrash-log: {work}: is a directory"), "directory")
    s.check("missing/unreadable files: exit 1, one line naming the file", missing_file)

    def usage():
        for args, rc in ((["--bogus", empty], 2), ([], 2), (["--vmlinux", "a", "--disasm", "b", empty], 2),
                         (["-h"], 0), (["--help"], 0), (["--version"], 0), (["--disasm"], 2)):
            p = t.run(args)
            eq(p.returncode, rc, f"exit status of {args}")
        true(t.run(["--version"]).stdout.startswith(b"ovscrash-log "), "version line")
        true(b"usage:" in t.run(["-h"]).stdout, "help text")
    s.check("usage errors exit 2; -h/--version exit 0", usage)

    def under_valgrind():
        if not shutil.which("valgrind"):
            raise AssertionError("valgrind not installed")
        for args in (["-j", "--disasm", dis, hostile, binary, empty, missing],
                     ["--disasm", os.path.join(data, "arm64_510_dis_excerpt.txt"),
                      os.path.join(data, "arm64_510_dmesg.txt")],
                     [os.path.join(data, "x86_64_61_dmesg.txt"), os.path.join(work, "arm64_code.log")]):
            p = t.run(args, valgrind=True, timeout=600)
            true(p.returncode in (0, 1), f"valgrind exit {p.returncode}: {p.stderr[-500:]!r}")
            true(b"==" not in p.stderr, f"valgrind reports: {p.stderr[-800:]!r}")
    s.check("hostile, binary, empty, missing and excerpt inputs run clean under valgrind", under_valgrind)


def install_checks(s, t, top, work):
    def install():
        dest = os.path.join(work, "dest")
        p = subprocess.run(["make", "-s", "-C", top, "install", f"DESTDIR={dest}", "PREFIX=/usr"],
                           capture_output=True, text=True, timeout=900)
        eq(p.returncode, 0, f"make install: {p.stderr[-400:]}")
        tool = os.path.join(dest, "usr", "bin", "ovscrash-log")
        true(os.access(tool, os.X_OK), "ovscrash-log not installed executable")
        version = re.search(r"^VERSION := (\S+)", open(os.path.join(top, "Makefile")).read(), re.M).group(1)
        p = subprocess.run([tool, "--version"], capture_output=True, text=True)
        eq(p.stdout.strip(), f"ovscrash-log {version}", "installed tool's version")
    s.check("make install puts ovscrash-log in $(PREFIX)/bin", install)


def set_label(arch, set_dir):
    """arch, plus the kernel version off the host's own line (5.10, 6.12)"""
    for mf in sorted(glob.glob(os.path.join(set_dir, "*", "manifest.json"))):
        with open(mf) as f:
            return fixture_label(json.load(f))
    return arch


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tool", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--top", help="source tree: also check make install")
    ap.add_argument("--set", action="append", default=[], help="ARCH:FIXTURE_SET_DIR (repeatable)")
    a = ap.parse_args()
    s = Suite()
    t = Tool(a.tool, a.out)
    work = tempfile.mkdtemp(prefix="ovscrash-log-test.")
    try:
        seed_checks(s, t, a.data)
        code_line_checks(s, t, a.data, work)
        hostile_checks(s, t, a.data, work)
        if a.top:
            install_checks(s, t, a.top, work)
        for st in a.set:
            arch, set_dir = st.split(":", 1)
            A = set_label(arch, set_dir)
            vmlinux_checks(s, t, arch, set_dir, A)
            fixture_checks(s, t, arch, set_dir, A)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return s.summary("log")


if __name__ == "__main__":
    sys.exit(main())

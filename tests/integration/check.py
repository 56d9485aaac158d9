#!/usr/bin/env python3
"""Integration checks of ovscrash on real vmcores.

Every expectation comes from the fixture's manifest.json (written by the
generator from what it set up), from crash's own commands run in the same
session, or from facts about the kernel recorded in docs -- never from
earlier ovscrash output.
"""
import argparse
import glob
import json
import os
import re
import shutil
import struct
import signal
import subprocess
import sys
import tempfile
import time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from suite import Suite, eq, fixture_label as label, host_line as bookworm, true  # noqa: E402
import dfserver  # noqa: E402

MARK_BASE = 0x5e5e0000


def run_crash(crash, vmlinux, vmcore, cmds, ext=None, env=None, timeout=300, prefix=()):
    """One crash session; returns {command: output} using echo markers.
    prefix: argv before crash's (stdbuf -oL: output of a session killed at
    its timeout is not lost in crash's stdio buffer)."""
    # crash's echo is a shell escape whose output overtakes crash's own
    # buffered output; eval prints through crash's fp, in order.
    lines = []
    if ext:
        lines.append(f"extend {ext}")
    for i, c in enumerate(cmds):
        lines.append(f"eval {MARK_BASE + 2 * i + 1:#x}")  # odd: no "(nKB)" suffix
        lines.append(c)
    with tempfile.NamedTemporaryFile("w", suffix=".crash", delete=False) as f:
        f.write("\n".join(lines) + "\n")
        script = f.name
    try:
        t0 = time.time()
        p = subprocess.run([*prefix, crash, "-s", vmlinux, vmcore, "-i", script],
                           stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout,
                           env=env)
        elapsed = time.time() - t0
    finally:
        os.unlink(script)
    res = split_session(p.stdout, cmds)
    res.update({"__stderr__": p.stderr.decode("utf-8", "replace"), "__elapsed__": elapsed})
    return res


def split_session(stdout, cmds):
    """{command: output} of run_crash's session output (bytes): the text
    after each command's eval marker; a command whose marker never came
    (crash died or was killed before it) is absent."""
    text = (stdout or b"").decode("utf-8", "replace")
    res = {"__all__": text}
    parts = re.split(r"^hexadecimal: 5e5e([0-9a-f]{4}).*\n *decimal:.*\n *octal:.*\n *binary:.*\n",
                     text, flags=re.M)
    res["__preamble__"] = parts[0]
    for i in range(1, len(parts) - 1, 2):
        idx = (int(parts[i], 16) - 1) // 2
        res[cmds[idx]] = parts[i + 1]
    return res


def js(out):
    """The JSON document in a command's output."""
    start = out.index("{")
    return json.loads(out[start:out.rindex("}") + 1])


TRIAGE_CMDS = ["ovscrash -j", "netdev -j", "netdev -a -j", "netdev -N p1 -j", "vport -j",
               "picktx -j", "triage -j", "ovsmod -j", "ovscrash", "netdev", "vport",
               "picktx", "triage", "help triage", "help netdev", "bt", "bt -E", "sys",
               "dis -lx netdev_pick_tx", "dis do_output", "log", "bt -a -e"]


def lockup_checks(s, r, m, crash, fx):
    A = label(m)
    victim = m["victim"]
    vaddr = int(victim["address"], 16)

    def bt_chain():
        bt = r["bt"]
        true("invalid NT_PRSTATUS" not in r["__all__"], "crash discarded the dump's CPU notes")
        frames = re.findall(r"^\s*#\d+ \[[0-9a-f]+\] (\S+) at [0-9a-f]+(?: \[(\w+)\])?", bt, re.M)
        names = [f[0] for f in frames]
        true("netdev_pick_tx" in names, f"no netdev_pick_tx frame in bt: {names}")
        i = names.index("netdev_pick_tx")
        eq(names[i + 1:i + 3], ["netdev_core_pick_tx", "__dev_queue_xmit"], "frames above netdev_pick_tx")
        # every build: an openvswitch frame within the next four callers
        true(any(f[1] == "openvswitch" for f in frames[i + 3:i + 7]),
             f"no [openvswitch] frame above __dev_queue_xmit: {frames[i:i + 7]}")
        if not bookworm(m):
            pass	# inlining differs per build (5.10: dev_queue_xmit out of line)
        elif m["arch"] == "arm64":
            # arm64's unwinder shows the whole OVS output path
            eq(frames[i + 3:i + 6], [("dev_queue_xmit", "openvswitch"), ("ovs_vport_send", "openvswitch"),
                                     ("do_output", "openvswitch")], "OVS output frames")
        else:
            # on x86_64 do_output() and ovs_vport_send() are tail calls (jmp),
            # so the frame above __dev_queue_xmit is their caller
            eq(frames[i + 3], ("do_execute_actions", "openvswitch"), "OVS caller frame")
            true(re.search(r"jmp\s+0x[0-9a-f]+ <ovs_vport_send>", r["dis do_output"]),
                 "do_output does not tail-call ovs_vport_send")
        true("netdev_frame_hook" in names, "packet did not enter through OVS's rx hook")
        true("__crash_kexec" in names or "machine_kexec" in names, "panic did not go through kdump")
    s.check(f"{A} lockup: crash bt shows the spin in netdev_pick_tx under the OVS output path", bt_chain)

    def rntq_crash():
        o = run_crash(crash, fx["vmlinux"], fx["vmcore"],
                      [f"struct net_device.real_num_tx_queues,reg_state {vaddr:x}"])
        txt = o[f"struct net_device.real_num_tx_queues,reg_state {vaddr:x}"]
        true(re.search(r"real_num_tx_queues = 0,", txt), f"crash reads: {txt.strip()}")
    s.check(f"{A} lockup: crash reads the victim's real_num_tx_queues as 0", rntq_crash)

    def info():
        d = js(r["ovscrash -j"])
        eq(d["kernel_release"], m["kernel_release"], "kernel release")
        eq(d["openvswitch_build_id"], m["openvswitch_build_id"], "openvswitch build-id in dump")
        true(d["openvswitch_debuginfo"], "no debuginfo resolved")
        true("build-id match" in r["ovscrash"], "text mode does not say how debuginfo matched")
    s.check(f"{A} lockup: ovscrash reports release and build-id-verified openvswitch debuginfo", info)

    def netdev_all():
        d = js(r["netdev -j"])
        devs = {(x["name"], x["netns_inode"]): x for x in d["devices"]}
        for name, dm in m["devices"].items():
            inode = m["netns"][dm["netns"]]
            true((name, inode) in devs, f"{name} in netns {inode} not listed")
            eq(devs[(name, inode)]["ifindex"], dm["ifindex"], f"{name} ifindex")
            if dm.get("num_tx_queues") and name != victim["name"]:
                eq(devs[(name, inode)]["real_num_tx_queues"], dm["num_tx_queues"], f"{name} txq")
        v = devs[(victim["name"], victim["netns_inode"])]
        eq(int(v["address"], 16), vaddr, "victim address")
        eq(v["listed"], victim["listed"], "victim listed")
        eq(v["real_num_tx_queues"], victim["real_num_tx_queues"], "victim real_num_tx_queues")
        eq(v["num_tx_queues"], victim["num_tx_queues"], "victim num_tx_queues")
        eq(v["reg_state_name"], victim["reg_state"], "victim reg_state")
        # arm64's kernel lacks CONFIG_KALLSYMS_ALL: module data has no symbol
        true(v["netdev_ops"] in ("veth_netdev_ops", "[veth]"), f"victim driver ops {v['netdev_ops']}")
        true("START" in v["state_names"], "victim not running (START)")
        eq(v["found_via"], "vport", "victim found via")
        p1 = devs[("p1", m["netns"]["root"])]
        eq(p1["rx_handler"], "netdev_frame_hook", "p1 rx_handler")
        # OVS ports are linked under the datapath's internal device; the
        # helper unlinked the victim (ovs_netdev_detach_dev's effect)
        dpdev = devs[(m["datapath"], m["netns"]["root"])]
        eq(p1["master"], dpdev["address"], "p1's master")
        eq(victim["master_before"], m["datapath"], "manifest: victim's master before")
        eq(v["master"], None, "victim's master after detach")
        for x in d["devices"]:
            true(re.fullmatch(r"0x[0-9a-f]+", x["address"]), f"address {x['address']} not hex")
    s.check(f"{A} lockup: netdev lists every device of every netns, and the unlisted victim", netdev_all)

    def netdev_filters():
        a = js(r["netdev -a -j"])["devices"]
        eq([x["name"] for x in a], [victim["name"]], "anomalies")
        n = js(r["netdev -N p1 -j"])["devices"]
        eq([(x["name"], x["ifindex"]) for x in n], [("p1", m["devices"]["p1"]["ifindex"])], "-N p1")
        ns_b = m["netns"]["B"]
        o = run_crash(crash, fx["vmlinux"], fx["vmcore"], [f"netdev -n {ns_b} -j",
                      f"netdev -j {vaddr:x}", "netdev -i 5 -j"], ext=fx["ext"])
        eq(sorted(x["name"] for x in js(o[f"netdev -n {ns_b} -j"])["devices"]), ["lo", "vB"], "-n netns B")
        eq([x["name"] for x in js(o[f"netdev -j {vaddr:x}"])["devices"]], [victim["name"]], "by address")
        want = sorted(n for n, d in m["devices"].items() if d["ifindex"] == 5)
        eq(sorted(x["name"] for x in js(o["netdev -i 5 -j"])["devices"]), want, "-i 5")
    s.check(f"{A} lockup: netdev filters (-a, -N, -n, -i, address)", netdev_filters)

    def vport():
        d = js(r["vport -j"])
        true(d["available"], f"vport unavailable: {d['status']}")
        eq([x["name"] for x in d["datapaths"]], [m["datapath"]], "datapaths")
        eq(d["datapaths"][0]["netns_inode"], m["netns"]["root"], "datapath netns")
        got = sorted((v["port_no"], v["netdev"]["name"], v["type"]) for v in d["vports"])
        want = sorted((p["port_no"], p["device"], p["type"]) for p in m["ports"])
        eq(got, want, "vports")
        for v in d["vports"]:
            is_victim = v["netdev"]["name"] == victim["name"]
            eq(v["race_window"], is_victim, f"race_window of port {v['port_no']}")
            eq(v["datapath"], m["datapath"], "vport datapath")
            if is_victim:
                eq(v["port_no"], victim["port_no"], "victim port")
                eq(v["rx_handler_attached"], False, "victim rx handler")
            elif v["type"] == "netdev":
                eq(v["rx_handler_attached"], True, f"port {v['port_no']} rx handler")
        true("RACE" in r["vport"], "text vport does not mark the race")
    s.check(f"{A} lockup: vport lists the datapath, its ports, and marks the victim's race window", vport)

    def picktx():
        d = js(r["picktx -j"])
        spins = d["spins"]
        true(spins, "no spinning CPU found")
        panic = [x for x in spins if x["panic_cpu"]]
        eq(len(panic), 1, "spins on the panic CPU")
        sp = panic[0]
        true(sp["loop"]["found"], f"loop not decoded: {sp['loop']}")
        eq(sp["hash"]["value"], m["expected"]["hash"], "hash")
        eq(sp["qcount"]["value"], m["expected"]["qcount"], "qcount")
        eq(int(sp["netdev"]["address"], 16), vaddr, "device from registers")
        eq(sp["qcount_matches_real_num_tx_queues"], True, "qcount vs real_num_tx_queues")
        # independent check of the register choice: the instruction at the
        # loop's sub offset in crash's own dis output subtracts qcount from hash
        off = sp["loop"]["sub_offset"]
        line = [l for l in r["dis -lx netdev_pick_tx"].splitlines()
                if re.search(rf"<netdev_pick_tx\+0x{off:x}>:", l)]
        eq(len(line), 1, f"dis line at +0x{off:x}")
        if m["arch"] == "arm64":	# sub wH, wH, wQ
            mm = re.search(r"sub\s+w(\d+),\s*w(\d+),\s*w(\d+)", line[0])
            true(mm and mm.group(1) == mm.group(2), f"not a sub hash,hash,qcount at +0x{off:x}: {line[0]}")
            h, q = "x" + mm.group(1), "x" + mm.group(3)
        else:			# AT&T: sub %qcount,%hash
            mm = re.search(r"sub\s+%(\w+),%(\w+)", line[0])
            true(mm, f"not a sub at +0x{off:x}: {line[0]}")
            q, h = "r" + mm.group(1)[1:], "r" + mm.group(2)[1:]
        eq(sp["hash"]["register"], h, "hash register vs dis")
        eq(sp["qcount"]["register"], q, "qcount register vs dis")
        # and the values: crash's own frame of that CPU (bt -E; arm64 5.10
        # runs softirqs on the task stack, where only bt -a -e finds it)
        src = "bt -a -e" if "bt -a -e" in sp["source"] else "bt -E"
        if not bookworm(m) and m["arch"] == "arm64":
            eq(src, "bt -a -e", "frame source on arm64 5.10")
        frames = r[src].split("KERNEL-MODE EXCEPTION FRAME AT: ")
        # (one frame: up to the blank line before the next frame or task)
        fr = [f.split("\n\n")[0] for f in frames if f.startswith(sp["frame"][2:])]
        true(fr, f"frame address not in crash's {src}")
        regs = dict((k.lower(), int(v, 16)) for k, v in re.findall(r"(?<![A-Z_])([A-Z0-9]+): ([0-9a-f]{8,16})", fr[0]))
        eq(regs[sp["hash"]["register"]], sp["hash"]["value"], f"hash value vs {src}")
        eq(regs[sp["qcount"]["register"]], sp["qcount"]["value"], f"qcount value vs {src}")
        true(sp["pc_symbol"].startswith("netdev_pick_tx+0x"), "pc symbol")
        # the offset printed is the oops's (kallsyms) one: the soft-lockup
        # report of the panicking CPU in the dump's log says where it was
        oops = re.findall(r"(?:pc : |RIP: 0010:)netdev_pick_tx\+0x([0-9a-f]+)/", r["log"])
        true(oops, "no netdev_pick_tx oops line in the log")
        eq(sp["pc_offset"], int(oops[0], 16), "pc offset vs the oops")
        # gdb/DWARF offsets skip arm64's two ftrace patchable NOPs (8 bytes)
        eq(sp["pc_offset"] - sp["pc_offset_gdb"], 8 if m["arch"] == "arm64" else 0, "gdb offset delta")
        true(d["log_register_dumps"] >= 1, "no register dump found in the kernel log")
    s.check(f"{A} lockup: picktx decodes hash/qcount registers, values and the device", picktx)

    def triage():
        d = js(r["triage -j"])
        eq(d["signature"], m["expected"]["verdict"], "signature")
        eq(d["verdict"], m["expected"]["verdict_kind"], "verdict")
        true(d["confidence"] >= 80, f"confidence {d['confidence']}")
        eq(sorted(f["commit"] for f in d["fixes"]), ["066b86787fa3", "47e55e4b410f"], "fixing commits")
        eq(d["vport"]["datapath"], m["datapath"], "datapath")
        eq(d["vport"]["port_no"], victim["port_no"], "port")
        eq(d["vport"]["netdev"]["name"], victim["name"], "victim")
        eq(d["spin"]["hash"]["value"], 0, "hash")
        eq(d["spin"]["qcount"]["value"], 0, "qcount")
        true(all(e["command"] for e in d["evidence"]), "evidence without a crash command")
        true(any(victim["name"] in e["text"] for e in d["evidence"]), "victim not named in evidence")
        # which fixes the module carries: the manifest's independent DWARF
        # reader (fixtures/ovsfixes.py); 6.1 and 6.12 carry both (the lockup
        # is induced), 5.10 neither
        fm = m["fixes_in_module"]
        eq(d["fixes_in_kernel"]["carrier_check_066b86787fa3"], fm["066b86787fa3"], "carrier check detected")
        eq(d["fixes_in_kernel"]["running_check_47e55e4b410f"], fm["47e55e4b410f"], "running check detected")
        t = r["triage"]
        for needle in ("066b86787fa3", "47e55e4b410f", victim["name"], "crash> "):
            true(needle in t, f"text triage lacks {needle!r}")
    s.check(f"{A} lockup: triage names the bug, victim, datapath, port, registers and fixes", triage)


def common_checks(s, r, m, scen):
    scen = f"{m['arch']} {scen}"
    def loads():
        true(re.search(r"ovscrash(-\w+)?\.so: shared object loaded", r["__preamble__"]), "extension did not load")
        eq(js(r["ovscrash -j"])["kernel_release"], m["kernel_release"], "release")
    s.check(f"{scen}: the extension loads and its command runs", loads)

    def help_text():
        h = r["help triage"]
        for sec in ("NAME", "SYNOPSIS", "DESCRIPTION"):
            true(re.search(rf"^{sec}\b", h, re.M), f"help lacks {sec}")
        true("triage - " in h, "help NAME line")
        true("-j" in r["help netdev"], "netdev help lacks -j")
    s.check(f"{scen}: help text in crash's format", help_text)

    def ovsmod():
        d = js(r["ovsmod -j"])
        eq(d["build_id"], m["openvswitch_build_id"], "module build-id")
        true(d["symbols_loaded"], "symbols not loaded")
        true(d["error"] is None, f"error: {d['error']}")
    if m.get("ovs_loaded", True):	# noovs_checks covers the absent module
        s.check(f"{scen}: ovsmod loads build-id-verified openvswitch debuginfo", ovsmod)


def healthy_checks(s, r, m):
    A = label(m)
    def no_spin():
        true("netdev_pick_tx" not in r["bt"], "healthy bt shows netdev_pick_tx")
        true("netdev_pick_tx" not in r["bt -E"], "healthy bt -E shows netdev_pick_tx")
        eq(js(r["picktx -j"])["spins"], [], "spins")
    s.check(f"{A} healthy: no CPU spins in netdev_pick_tx (crash bt, bt -E, picktx)", no_spin)

    def triage():
        d = js(r["triage -j"])
        eq(d["verdict"], m["expected"]["verdict_kind"], "verdict")
        eq(d["signature"], m["expected"]["verdict"], "signature")
        eq(d["fixes"], [], "fixes")
        true("sysrq" in d["panic"].lower(), f"panic string {d['panic']!r}")
        true(all(e["command"] for e in d["evidence"]), "evidence without a crash command")
        true("not this bug" in r["triage"].lower() or "not the ovs" in r["triage"].lower(),
             "text triage does not say not this bug")
    s.check(f"{A} healthy: triage says not this bug and names the panic", triage)

    def vport():
        d = js(r["vport -j"])
        eq([v["race_window"] for v in d["vports"]], [False] * len(m["ports"]), "race windows")
        eq(js(r["netdev -a -j"])["devices"], [], "anomalies on healthy")
    s.check(f"{A} healthy: no vport in the race window, no anomalous device", vport)


def escape_like_docs(raw):
    """docs/design.md's rule for dump strings, written again here: printable
    ASCII stays, backslash doubles, quotes and everything else become \\xNN"""
    out = []
    for b in raw:
        if b == 0x5c:
            out.append("\\\\")
        elif 0x20 <= b < 0x7f and b not in (0x22, 0x27):
            out.append(chr(b))
        else:
            out.append("\\x%02x" % b)
    return "".join(out)


def hostile_checks(s, r, m):
    A = label(m)
    h = m["hostile"]
    want_name = escape_like_docs(bytes.fromhex(h["name_hex"]))

    def walks_survive():
        d = js(r["netdev -j"])
        true(d["warning"] and "cycle" in d["warning"], f"cycle not reported: {d['warning']}")
        true("bad pointer dead000000000100" in d["warning"], f"poisoned entry not reported: {d['warning']}")
        names = [x["name"] for x in d["devices"]]
        eq(len(names), len(set(zip(names, (x["netns_inode"] for x in d["devices"])))), "duplicates")
        true("vB" in names, "devices before the poisoned entry are kept")
        true("sys" in r and "PANIC:" in r["sys"], "crash did not carry on after the walks")
        eq(js(r["triage -j"])["verdict"], m["expected"]["verdict_kind"], "verdict")
    s.check(f"{A} hostile: cyclic and poisoned device lists are reported, the walk and crash carry on",
            walks_survive)

    def names_escaped():
        d = js(r["netdev -j"])
        dev = [x for x in d["devices"] if int(x["address"], 16) == int(h["address"], 16)]
        eq(len(dev), 1, "hostile device listed once")
        eq(dev[0]["name"], want_name, "escaped name in JSON")
        true(want_name in r["netdev"], "escaped name in text output")
        for cmd in ("netdev", "netdev -j", "vport", "vport -j", "triage", "triage -j"):
            # output is decoded as UTF-8 with replacement: a raw 0xff shows as U+FFFD
            true("\x1b" not in r[cmd] and "\ufffd" not in r[cmd], f"raw control byte in {cmd} output")
    s.check(f"{A} hostile: a device name with markup, quotes, ESC and 0xff is escaped in text and JSON",
            names_escaped)


def noovs_checks(s, r, m):
    A = label(m)
    reason = "module openvswitch is not loaded in this dump"

    def no_ovs():
        eq(m["ovs_loaded"], False, "manifest: OVS not loaded")
        eq(js(r["ovscrash -j"])["openvswitch_loaded"], False, "ovscrash -j")
        d = js(r["vport -j"])
        eq((d["available"], d["status"], d["vports"]), (False, reason, []), "vport -j")
        eq(r["vport"].strip(), "vport: " + reason, "vport text: one line with the reason")
        eq(js(r["ovsmod -j"])["error"], reason, "ovsmod -j")
        t = js(r["triage -j"])
        eq(t["verdict"], m["expected"]["verdict_kind"], "verdict")
        eq(t["ovs_status"], reason, "triage ovs_status")
        nd = js(r["netdev -j"])
        names = sorted(x["name"] for x in nd["devices"])
        # one loopback per namespace: root, A, B, and the tenants' (sets
        # with "tenancy": pod-idle, cni-..., pod-sock)
        nss = set(m["netns"]) | set((m.get("tenancy") or {}).get("netns", {}))
        eq(names, sorted(["lo"] * len(nss) + list(m["devices"])), "devices still listed")
        true(all(x["rx_handler"] is None for x in nd["devices"]), "an rx handler without OVS")
        true("PANIC:" in r["sys"], "crash did not carry on")
    s.check(f"{A} noovs: a kernel without OVS loaded gives one-line reasons, the rest carries on",
            no_ovs)


def bt_frames(bt):
    """(function, module) of each frame crash's bt prints, top first"""
    return re.findall(r"^\s*#\d+ \[[0-9a-f]+\] (\S+) at [0-9a-f]+(?: \[(\w+)\])?", bt, re.M)


def victim_crash_checks(s, m, crash, fx, scen):
    """the victim's state, read with crash's own struct/rd commands"""
    A = label(m)
    victim = m["victim"]
    vaddr = int(victim["address"], 16)

    def state():
        cmds = [f"struct net_device.real_num_tx_queues,num_tx_queues,reg_state {vaddr:x}",
                f"px &((struct net_device *){vaddr:#x})->name", f"p/d {victim['reg_state']}"]
        o = run_crash(crash, fx["vmlinux"], fx["vmcore"], cmds)
        txt = o[cmds[0]]
        true(re.search(r"real_num_tx_queues = 0,", txt), f"crash reads: {txt.strip()}")
        true(re.search(rf"\bnum_tx_queues = {victim['num_tx_queues']},", txt), f"crash reads: {txt.strip()}")
        # reg_state is a u8 in this build (an enum bitfield in others):
        # compare with the enumerator's value from the debuginfo
        val = re.search(r"= (\d+)", o[cmds[2]])
        true(val, f"no value of {victim['reg_state']}: {o[cmds[2]]!r}")
        true(re.search(rf"reg_state = ({victim['reg_state']}|{val.group(1)}\b)", txt),
             f"crash reads: {txt.strip()}")
        # the name's bytes, as crash's rd reads them
        addr = re.search(r"\) (0x[0-9a-f]+)", o[cmds[1]])
        true(addr, f"no address of name: {o[cmds[1]]!r}")
        raw = bytes.fromhex(victim["name_hex"])
        rd = f"rd -8 {addr.group(1)} {len(raw) + 1}"
        o = run_crash(crash, fx["vmlinux"], fx["vmcore"], [rd])
        # "ADDR:  3c 70 32 ...   <p2...": one line (IFNAMSIZ is 16)
        lines = [l for l in o[rd].splitlines() if re.match(r"\s*[0-9a-f]+:\s", l)]
        true(lines, f"crash rd printed no memory: {o[rd]!r}")
        toks = lines[0].split(":", 1)[1].split()[:len(raw) + 1]
        got = bytes(int(t, 16) for t in toks if re.fullmatch(r"[0-9a-f]{2}", t))
        eq(got, raw + b"\0", "victim name bytes in the dump (crash rd)")
    s.check(f"{A} {scen}: crash reads the victim's real_num_tx_queues 0, reg_state and name bytes", state)


def victim_hostile_checks(s, r, m, crash, fx):
    A = label(m)
    victim = m["victim"]
    vaddr = int(victim["address"], 16)
    raw = bytes.fromhex(victim["name_hex"])
    want = escape_like_docs(raw)

    def setup():
        true(any(b < 0x20 for b in raw) and b"\x1b[7m" in raw and any(b >= 0x80 for b in raw),
             f"manifest: name {victim['name_hex']} lacks control bytes, ESC [7m or a high byte")
        for c in b'<"&\\':
            true(c in raw, f"manifest: name lacks {chr(c)!r}")
        eq(victim["name"], None, "manifest: raw name is not given as text")
        true(victim["port_no"] is not None, "manifest: victim's OVS port")
    s.check(f"{A} victim-hostile: the manifest's victim name holds the hostile bytes", setup)

    def bt_chain():
        names = [f[0] for f in bt_frames(r["bt"])]
        true("netdev_pick_tx" in names, f"no netdev_pick_tx frame in bt: {names}")
        i = names.index("netdev_pick_tx")
        eq(names[i + 1:i + 3], ["netdev_core_pick_tx", "__dev_queue_xmit"], "frames above netdev_pick_tx")
        true(any(mod == "openvswitch" for _, mod in bt_frames(r["bt"])), "no openvswitch frame in bt")
        true("netdev_frame_hook" in names, "packet did not enter through OVS's rx hook")
    s.check(f"{A} victim-hostile: crash bt shows the spin in netdev_pick_tx under OVS", bt_chain)

    victim_crash_checks(s, m, crash, fx, "victim-hostile")

    def walks():
        d = js(r["netdev -j"])
        v = [x for x in d["devices"] if int(x["address"], 16) == vaddr]
        eq(len(v), 1, "victim listed once")
        eq(v[0]["name"], want, "escaped victim name in netdev -j")
        eq((v[0]["real_num_tx_queues"], v[0]["found_via"]), (0, "vport"), "victim queues, found via")
        vp = js(r["vport -j"])
        pv = [x for x in vp["vports"] if x["port_no"] == victim["port_no"]]
        eq(len(pv), 1, "victim's port in vport -j")
        eq(pv[0]["netdev"]["name"], want, "escaped name of the victim's vport")
        eq(pv[0]["race_window"], True, "victim's vport in the race window")
        sp = [x for x in js(r["picktx -j"])["spins"] if x["panic_cpu"]]
        eq(len(sp), 1, "spins on the panic CPU")
        eq(int(sp[0]["netdev"]["address"], 16), vaddr, "device from the registers")
        eq((sp[0]["hash"]["value"], sp[0]["qcount"]["value"]), (0, 0), "hash, qcount")
    s.check(f"{A} victim-hostile: netdev, vport and picktx find the renamed victim and escape its name",
            walks)

    def triage():
        d = js(r["triage -j"])
        eq(d["verdict"], m["expected"]["verdict_kind"], "verdict")
        true(d["confidence"] >= m["expected"]["min_confidence"], f"confidence {d['confidence']}")
        eq(sorted(f["commit"] for f in d["fixes"]), ["066b86787fa3", "47e55e4b410f"], "fixing commits")
        eq(d["vport"]["port_no"], victim["port_no"], "victim's vport matched")
        eq(d["vport"]["datapath"], m["datapath"], "datapath")
        eq(d["vport"]["netdev"]["name"], want, "victim in triage -j, escaped")
        ev = [e["text"] for e in d["evidence"]]
        true(any(want in t for t in ev), f"evidence does not name the victim as {want}")
        true(any("real_num_tx_queues" in t for t in ev), "evidence does not give dev->real_num_tx_queues")
        true(want in r["triage"], "text triage does not name the victim escaped")
    s.check(f"{A} victim-hostile: triage says OVS_PICKTX_LOCKUP at full confidence, names the victim "
            "escaped, its queues and its vport", triage)

    def no_raw_bytes():
        for cmd in ("netdev", "netdev -j", "netdev -a -j", "vport", "vport -j", "picktx", "picktx -j",
                    "triage", "triage -j"):
            bad = [c for c in r[cmd] if c in "\x1b\x01\x7f\ufffd"]
            eq(bad, [], f"raw name bytes in {cmd} output")
    s.check(f"{A} victim-hostile: no raw control or high byte of the name reaches any output", no_raw_bytes)


def picktx_victim(r, m, vaddr):
    """The panic CPU's decoded spin: the victim's address from the
    registers, hash and qcount as the manifest expects."""
    sp = [x for x in js(r["picktx -j"])["spins"] if x["panic_cpu"]]
    eq(len(sp), 1, "spins on the panic CPU")
    eq(int(sp[0]["netdev"]["address"], 16), vaddr, "device from the registers")
    eq((sp[0]["hash"]["value"], sp[0]["qcount"]["value"]), (m["expected"]["hash"], m["expected"]["qcount"]),
       "hash, qcount")


def mirred_checks(s, r, m, crash, fx):
    A = label(m)
    victim = m["victim"]
    vaddr = int(victim["address"], 16)

    def bt_chain():
        frames = bt_frames(r["bt"])
        names = [f[0] for f in frames]
        true("netdev_pick_tx" in names, f"no netdev_pick_tx frame in bt: {names}")
        i = names.index("netdev_pick_tx")
        eq(names[i + 1:i + 3], ["netdev_core_pick_tx", "__dev_queue_xmit"], "frames above netdev_pick_tx")
        true(("tcf_mirred_act", "act_mirred") in frames[i:], f"tcf_mirred_act [act_mirred] not below: {frames}")
        eq([f for f in frames if f[1] == "openvswitch"], [], "openvswitch frames")
        true("__crash_kexec" in names or "machine_kexec" in names, "panic did not go through kdump")
    s.check(f"{A} mirred: crash bt shows the spin in netdev_pick_tx reached from tcf_mirred_act, no OVS",
            bt_chain)

    victim_crash_checks(s, m, crash, fx, "mirred")

    def setup():
        eq((m["ovs_loaded"], m["ovs_datapath"], m["datapath"], m["ports"]), (True, False, None, []),
           "manifest: openvswitch.ko loaded, no datapath")
        o = run_crash(crash, fx["vmlinux"], fx["vmcore"], ["mod"])
        mods = set(re.findall(r"^\s*[0-9a-f]+\s+(\w+)\s", o["mod"], re.M))
        for want in ("act_mirred", "cls_matchall", "sch_ingress", "openvswitch"):
            true(want in mods, f"{want} not in crash's mod list")
        eq(js(r["vport -j"])["datapaths"], [], "datapaths")
    s.check(f"{A} mirred: tc modules and openvswitch.ko loaded, no OVS datapath (crash mod, vport)", setup)

    s.check(f"{A} mirred: picktx decodes the spin on the victim", lambda: picktx_victim(r, m, vaddr))

    def triage():
        d = js(r["triage -j"])
        eq(d["verdict"], m["expected"]["verdict_kind"], "verdict")
        eq(d["fixes"], m["expected"]["fixes"], "fixes")
        texts = [d["summary"]] + [e["text"] for e in d["evidence"]]
        true(any(m["expected"]["path"] in t for t in texts), f"summary/evidence do not name {m['expected']['path']}")
        true(m["expected"]["path"] in r["triage"], "text triage does not name tc mirred")
        true("FIXED BY" not in r["triage"], "text triage offers the OVS fixes")
    s.check(f"{A} mirred: triage says PICKTX_SPIN_OTHER through tc mirred, no OVS fixes", triage)


# the kernel's report line of each panic kind, per arch (from the kernel's
# own printk formats)
PANIC_LINES = {
    "soft-lockup": {"amd64": r"watchdog: BUG: soft lockup - CPU#(\d+) stuck for \d+s!",
                    "arm64": r"watchdog: BUG: soft lockup - CPU#(\d+) stuck for \d+s!"},
    "null-deref": {"amd64": r"BUG: kernel NULL pointer dereference, address: 0*10\b",
                   "arm64": r"Unable to handle kernel NULL pointer dereference at virtual address 0*10\b"},
    "hung-task": {"amd64": r"INFO: task (\S+):(\d+) blocked for more than \d+ seconds\.",
                  "arm64": r"INFO: task (\S+):(\d+) blocked for more than \d+ seconds\."},
}
# panic()'s message; none for an oops: with kdump loaded and panic_on_oops,
# oops_end()/die() call crash_kexec() before panic("Fatal exception")
PANIC_MESSAGES = {"soft-lockup": "softlockup: hung tasks", "null-deref": None,
                  "hung-task": "hung_task: blocked tasks"}


def other_panic_checks(s, r, m, crash, fx, scen, signatures):
    """softlockup-other, oops-null, hungtask: a panic in the helper module"""
    A = label(m)
    ex = m["expected"]
    site = m["panic_site"]
    fn, mod = ex["function"], ex["module"]

    def log():
        lg = r["log"]
        mm = re.search(PANIC_LINES[ex["panic_kind"]][A], lg)
        true(mm, f"no {ex['panic_kind']} report in crash's log")
        if ex["panic_kind"] == "soft-lockup":
            eq(int(mm.group(1)), site["cpu"], "CPU of the soft lockup")
        if ex["panic_kind"] == "hung-task":
            eq((mm.group(1), int(mm.group(2))), (site["task"], site["pid"]), "hung task")
            # a reliable frame ("? " marks a guess) of the hung task's trace
            true(re.search(rf"\]\s+{fn}\+0x[0-9a-f]+/0x[0-9a-f]+ \[{mod}\]", lg),
                 f"{fn} [{mod}] not in the hung task's call trace")
        else:
            pcl = r"RIP: 0010:" if m["arch"] == "amd64" else r"pc : "
            true(re.search(rf"{pcl}{fn}\+0x[0-9a-f]+/0x[0-9a-f]+ \[{mod}\]", lg),
                 f"no {pcl}{fn}+off [{mod}] line in the log")
        msg = PANIC_MESSAGES[ex["panic_kind"]]
        if msg:
            true(f"Kernel panic - not syncing: {msg}" in lg, "panic message")
        else:
            true("Kernel panic - not syncing" not in lg, "a panic() line after the oops")
        eq(m["panic_message"], msg, "manifest panic message")
    s.check(f"{A} {scen}: crash's log has the {ex['panic_kind']} report at {fn} [{mod}]", log)

    def bt():
        if ex["panic_kind"] == "hung-task":
            # the panic is khungtaskd's; the hung task sleeps in the helper
            cmds = [f"bt {site['pid']}", f"ps {site['pid']}"]
            o = run_crash(crash, fx["vmlinux"], fx["vmcore"], cmds)
            names = [f[0] for f in bt_frames(o[cmds[0]])]
            true("khungtaskd" in r["bt"], "the panic task is not khungtaskd")
            true(re.search(rf"^\s*>?\s*{site['pid']}\s+\d+\s+\d+\s+[0-9a-f]+\s+UN\s", o[cmds[1]], re.M),
                 f"task {site['pid']} not in UN state: {o[cmds[1]]!r}")
        else:
            names = [f[0] for f in bt_frames(r["bt"])] + re.findall(
                r"\[exception RIP: (\w+)\+\d+\]", r["bt"]) + re.findall(r"PC: [0-9a-f]+\s+\[(\w+)\+\d+\]", r["bt -E"])
            true(re.search(rf'PID: {site["pid"]}\s+TASK: [0-9a-f]+\s+CPU: \d+\s+COMMAND: "{site["task"]}"',
                           r["bt"]), f"the panic task is not {site['task']} ({site['pid']})")
            true("__crash_kexec" in r["bt"] or "machine_kexec" in r["bt"], "panic did not go through kdump")
        true(fn in names, f"{fn} not in crash's backtrace: {names}")
        eq(js(r["picktx -j"])["spins"], [], "picktx spins")
    s.check(f"{A} {scen}: crash bt puts the {ex['panic_kind']} in {fn}, nothing spins in netdev_pick_tx", bt)

    def triage():
        d = js(r["triage -j"])
        eq(d["verdict"], ex["verdict_kind"], "verdict")
        eq(d["fixes"], [], "fixes")
        ps = d["panic_signature"]
        true(isinstance(ps, dict), f"panic_signature {ps!r}")
        eq((ps["kind"], ps["function"], ps["module"]), (ex["panic_kind"], fn, mod), "panic signature")
        true(re.fullmatch(r"[0-9a-f]{16}", ps["bucket"] or ""), f"bucket {ps['bucket']!r}")
        signatures[(scen, A)] = ps["bucket"]
    s.check(f"{A} {scen}: triage says not this bug, panic signature {ex['panic_kind']} at {fn} [{mod}]",
            triage)


def bucket_checks(s, signatures):
    """the same bug buckets together across arches, different bugs apart"""
    scens = sorted({sc for sc, _ in signatures})

    def same():
        for sc in scens:
            got = {a: b for (x, a), b in signatures.items() if x == sc}
            if len(got) > 1:
                eq(len(set(got.values())), 1, f"{sc} buckets per arch {got}")
    s.check("panic buckets: one bucket per scenario across amd64 and arm64", same)

    def apart():
        per = {}
        for (sc, _), b in signatures.items():
            per.setdefault(b, set()).add(sc)
        eq([sorted(v) for v in per.values() if len(v) > 1], [], "scenarios sharing a bucket")
    s.check("panic buckets: different scenarios, different buckets", apart)


# ---- veth peers and the tenant (issue 13) ----

# The veth pairs of the current fixture sets' recipe (fixtures/guest/init:
# `ip link add vA ... type veth peer name p1`, `ip link add p2 ... peer
# name vB`); sets built since record them in "tenancy"."veths".
RECIPE_PAIRS = (("p1", "vA"), ("p2", "vB"))
NETDEV_ALIGN = 32	# include/linux/netdevice.h


def dbg_layout(tree, rel, vmlinux, moddir):
    """An unpacked -dbg package's layout (dpkg-deb -x) under TREE:
    usr/lib/debug/boot/vmlinux-REL linked to the fixture's vmlinux, and
    the module directory usr/lib/debug/lib/modules/REL/MODDIR, made.
    Returns (that vmlinux path, the module directory)."""
    boot = os.path.join(tree, "usr/lib/debug/boot")
    mods = os.path.join(tree, f"usr/lib/debug/lib/modules/{rel}", moddir)
    os.makedirs(boot, exist_ok=True)
    os.makedirs(mods, exist_ok=True)
    vml = os.path.join(boot, f"vmlinux-{rel}")
    if not os.path.lexists(vml):
        os.symlink(os.path.realpath(vmlinux), vml)
    return vml, mods


def veth_debug_dir(fx):
    """Where the fixture's kernel keeps veth.ko's debuginfo (the unpacked
    -dbg package's modules tree, fetch-kernel.sh): the main session's
    OVSCRASH_DEBUG_PATH, so netdev and triage load it as they would from
    a -dbg tree beside the vmlinux."""
    return os.path.join(os.path.dirname(os.path.realpath(fx["vmlinux"])), "debug", "kernel",
                        "drivers", "net")


def renamed(m):
    """{name at set-up: the name as ovscrash shows it} of the devices the
    scenario renamed afterwards (hostile: p1; victim-hostile: the victim,
    found among the recorded pairs by its ifindex)."""
    out = {}
    h = m.get("hostile")
    if h and h.get("name_hex"):
        out[h["device"]] = escape_like_docs(bytes.fromhex(h["name_hex"]))
    v = m.get("victim") or {}
    if v.get("name") is None and v.get("name_hex"):
        for x in (m.get("tenancy") or {}).get("veths", []):
            for dev, ns, ifx in ((x["dev"], x["netns"], x["ifindex"]),
                                 (x["peer"], x["peer_netns"], x["peer_ifindex"])):
                if ifx == v["ifindex"] and m["netns"].get(ns) == v["netns_inode"]:
                    out[dev] = escape_like_docs(bytes.fromhex(v["name_hex"]))
    return out


def manifest_pairs(m):
    """[(dev, netns inode, peer, peer netns inode, peer ifindex)] the
    fixture set up: the manifest's tenancy, else the recipe's pairs among
    the manifest's devices; a device the scenario renamed by the name it
    has in the dump."""
    t = m.get("tenancy")
    ren = renamed(m)
    devs, out = set(m.get("devices", {})) | set(ren), []
    if t and t.get("veths"):
        ino = dict(m["netns"])
        for name, ns in t.get("netns", {}).items():
            ino.setdefault(name, ns["inode"])
        # recorded at set-up: a scenario may delete one end later (race);
        # the devices at the dump are the manifest's
        for v in t["veths"]:
            if v["dev"] in devs and v["peer"] in devs:
                out.append((v["dev"], ino[v["netns"]], v["peer"], ino[v["peer_netns"]], v["peer_ifindex"]))
                out.append((v["peer"], ino[v["peer_netns"]], v["dev"], ino[v["netns"]], v["ifindex"]))
    else:
        md = m.get("devices", {})
        for a, b in RECIPE_PAIRS:
            if a in md and b in md:
                out.append((a, m["netns"][md[a]["netns"]], b, m["netns"][md[b]["netns"]], md[b]["ifindex"]))
                out.append((b, m["netns"][md[b]["netns"]], a, m["netns"][md[a]["netns"]], md[a]["ifindex"]))
    return [(ren.get(a, a), ia, ren.get(b, b), ib, fb) for a, ia, b, ib, fb in out]


def peer_checks(s, r, m, crash, fx, scen):
    """Every veth's peer in netdev -j against the manifest (name, ifindex,
    namespace inode), cross-checked with crash's own reading of struct
    veth_priv.peer; the PEER column in text."""
    A = f"{label(m)} {scen}"
    pairs = manifest_pairs(m)
    if not pairs:
        s.skip(f"{A}: veth peers against the manifest", "the manifest records no veth pair of this scenario")
        return
    cache = {}

    def devs():
        if "d" not in cache:
            d = js(r["netdev -j"])
            cache["d"] = {(x["name"], x["netns_inode"]): x for x in d["devices"]}
            cache["status"] = d.get("peer_status")
        return cache["d"]

    def against_manifest():
        devs()
        eq(cache["status"], None, "peer_status")
        for dev, ino, peer, pino, pifx in pairs:
            x = devs().get((dev, ino))
            true(x is not None, f"{dev} in netns {ino} not listed")
            p = x["peer"]
            true(p is not None, f"{dev}: no peer (not taken for a veth)")
            eq((p["state"], p["name"], p["ifindex"], p["netns_inode"]), ("ok", peer, pifx, pino),
               f"{dev}'s peer (state, name, ifindex, netns inode)")
            eq(p["mutual"], True, f"{dev}'s peer points back at it")
        for x in devs().values():
            if x["netdev_ops"] not in ("veth_netdev_ops", "[veth]"):
                eq(x["peer"], None, f"{x['name']} is not a veth: peer")
    s.check(f"{A}: netdev -j gives every veth its peer as the manifest records it (name, ifindex, netns); "
            "null for every other device", against_manifest)

    def crash_reads():
        veths = [x for x in devs().values() if x["peer"] and x["peer"]["state"] in ("ok", "cleared")]
        true(veths, "no veth with a peer read")
        cmds = [f"mod -s veth {veth_debug_dir(fx)}/veth.ko", "p -x sizeof(struct net_device)"]
        size = None
        o = run_crash(crash, fx["vmlinux"], fx["vmcore"], cmds)
        mm = re.search(r"= (0x[0-9a-f]+)", o[cmds[1]])
        true(mm, f"crash's sizeof(struct net_device): {o[cmds[1]]!r}")
        size = int(mm.group(1), 16)
        priv = (size + NETDEV_ALIGN - 1) & ~(NETDEV_ALIGN - 1)
        more = [f"struct veth_priv.peer {int(x['address'], 16) + priv:x}" for x in veths]
        o = run_crash(crash, fx["vmlinux"], fx["vmcore"], cmds[:1] + more)
        for x, c in zip(veths, more):
            mm = re.search(r"peer = (0x[0-9a-f]+)", o.get(c, ""))
            true(mm, f"crash: {c}: {o.get(c, '')!r}")
            want = None if int(mm.group(1), 16) == 0 else int(mm.group(1), 16)
            got = x["peer"]["address"] if x["peer"]["state"] == "ok" else None
            eq(got and int(got, 16), want, f"{x['name']}'s peer, against crash's struct veth_priv.peer")
    s.check(f"{A}: each veth's peer equals crash's own struct veth_priv.peer (veth.ko debuginfo)", crash_reads)

    def text():
        t = r["netdev"]
        true(re.search(r"^NET_DEVICE .* REFS PEER +NOTE$", t, re.M), "no PEER column before NOTE")
        for dev, ino, peer, pino, pifx in pairs:
            x = devs()[(dev, ino)]
            line = next(ln for ln in t.splitlines() if ln.startswith(x["address"][2:] + " "))
            true(re.search(rf" {re.escape(peer)}@\S+", line), f"{dev}'s PEER column: {line!r}")
        for x in devs().values():
            if x["peer"] is None:
                line = next(ln for ln in t.splitlines() if ln.startswith(x["address"][2:] + " "))
                true(re.search(r" \d+ - ", line), f"{x['name']}: PEER not '-': {line!r}")
    s.check(f"{A}: netdev's PEER column names each peer (name@netns), '-' for other devices", text)


def tenant_checks(s, r, m, scen):
    """triage's tenant: the victim's peer and its namespace (manifest),
    and, on sets with "tenancy", the task and cgroup living there."""
    A = f"{label(m)} {scen}"
    victim = m.get("victim") or {}
    d = js(r["triage -j"])
    tn = d.get("tenant")

    def peer():
        true(tn is not None, "triage -j has no tenant")
        eq(tn["victim_name"], victim["name"], "tenant's victim")
        race = m.get("race")
        if race:
            p = tn["peer"]
            true(p is not None, "race victim taken for no veth")
            # the real race: veth_dellink cleared both ends' peers; the
            # other end is found on the victim's unregister batch
            eq(p["state"], "cleared", "race victim's veth_priv.peer")
            true(p["found_via_unreg_list"], f"race peer not found on the unreg_list: {p}")
            eq(p["netns_inode"], race["peer_netns_inode"], "race peer's netns inode")
            if "peer" in race:
                eq((p["name"], p["ifindex"]), (race["peer"], race["peer_ifindex"]),
                   "race peer's name and ifindex")
                true(f"<-> {race['peer']} " in tn["line"] and "(being torn down)" in tn["line"],
                     f"tenant line: {tn['line']!r}")
            eq(p["netns_dying"], True, "the pod's namespace is being torn down")
            return
        pairs = {(a, b): (c, dd) for a, b, c, dd, _ in manifest_pairs(m)}
        want = pairs.get((victim["name"], victim["netns_inode"]))
        true(want, "manifest: the victim is in no veth pair")
        eq((tn["peer"]["name"], tn["netns_inode"]), want, "tenant: peer and its netns inode")
        true(f"victim {victim['name']} <-> {want[0]} in netns " in tn["line"], f"tenant line {tn['line']!r}")
        true(f"TENANT: {tn['line']}" in r["triage"], "text triage lacks the TENANT line")
        true(any(e["text"].startswith("the peer ") and e["command"] for e in d["evidence"]),
             "no evidence with a crash command for the peer")
    s.check(f"{A}: triage names the victim's veth peer and its namespace", peer)

    ten = m.get("tenancy")
    if not ten:
        s.skip(f"{A}: triage names the tenant's task and cgroup", "the manifest has no \"tenancy\" (older set)")
        return
    if m.get("race"):
        return

    def task():
        ino = tn["netns_inode"]
        want = [t for t in ten["tasks"] if t["netns_inode"] == ino]
        true(want, f"manifest: no task in netns {ino}")
        got = {t["pid"]: t for t in tn["tasks"] or []}
        for w in want:
            g = got.get(w["pid"])
            true(g, f"pid {w['pid']} not among the tenant's tasks {sorted(got)}")
            # the manifest's comm is /proc's, the newline the guest wrote stripped
            true(g["comm"] == w["comm"] or g["comm"] == w["comm"] + "\\x0a", f"comm {g['comm']!r}")
            eq(g["cgroup_v2"], w["cgroup_v2"], "cgroup v2")
            for h, path in w["cgroup_v1"].items():
                eq(g["cgroup_v1"].get(h), path, f"cgroup v1 {h}")
        first = min(want, key=lambda t: t["pid"])
        true(f"(pid {first['pid']} {first['comm']}" in tn["line"] and first["cgroup_v2"] in tn["line"],
             f"tenant line {tn['line']!r}")
        true(f"ps {first['pid']}" in [e["command"] for e in d["evidence"]], "no `ps PID` evidence")
    s.check(f"{A}: triage names the tenant's task and its cgroup as the manifest records them", task)


def peer_debuginfo_checks(s, crash, ext, fx, m, tmp, A):
    """Where veth.ko's debuginfo comes from: found by itself in an
    unpacked -dbg tree the vmlinux sits in; absent, one line and no
    peer (never a guessed offset)."""
    env = {k: v for k, v in os.environ.items() if k != "OVSCRASH_DEBUG_PATH"}

    def dbg_tree():
        vml, mods = dbg_layout(os.path.join(tmp, "vethtree"), m["kernel_release"], fx["vmlinux"],
                               "kernel/drivers/net")
        ko = os.path.join(mods, "veth.ko")
        if not os.path.lexists(ko):
            os.symlink(os.path.join(veth_debug_dir(fx), "veth.ko"), ko)
        o = run_crash(crash, vml, fx["vmcore"], ["netdev -j", "ovsmod -m veth -j"], ext=ext, env=env)
        d = js(o["netdev -j"])
        eq(d["peer_status"], None, "peer_status")
        p1 = next(x for x in d["devices"] if x["name"] == "p1")
        eq((p1["peer"]["state"], p1["peer"]["name"]), ("ok", "vA"), "p1's peer")
        mo = js(o["ovsmod -m veth -j"])
        true(mo["symbols_loaded"] and "build-id match" in (mo["how"] or ""), f"veth.ko: {mo['how']}")
    s.check(f"{A} veth peers: veth.ko debuginfo found by itself in the -dbg tree the vmlinux sits in, "
            "build-id verified", dbg_tree)

    def absent():
        o = run_crash(crash, fx["vmlinux"], fx["vmcore"], ["netdev -j", "netdev", "triage -j"], ext=ext, env=env)
        d = js(o["netdev -j"])
        st = d["peer_status"] or ""
        true(st.startswith("veth peers not read: veth.ko debuginfo:") and "\n" not in st, f"peer_status {st!r}")
        veths = [x for x in d["devices"] if x["netdev_ops"] in ("veth_netdev_ops", "[veth]")]
        true(veths, "no veth listed")
        for x in veths:
            eq((x["peer"]["state"], x["peer"]["address"]), ("unknown", None), f"{x['name']}'s peer")
        true(f"NOTE: {st}" in o["netdev"], "text netdev lacks the NOTE line")
        tn = js(o["triage -j"])["tenant"]
        true(tn["line"].endswith(f"<-> ? ({st})"), f"tenant line {tn['line']!r}")
        eq(js(o["triage -j"])["verdict"], m["expected"]["verdict_kind"], "verdict still given")
    s.check(f"{A} veth peers: without veth.ko debuginfo one NOTE line, every veth's peer unknown "
            "(no guessed offset), triage carries on", absent)



def bad_input_checks(s, crash, ext, fx, tmp, A):
    def no_debuginfo():
        d = os.path.join(tmp, f"nodebug-{A}")
        os.makedirs(d, exist_ok=True)
        for n in ("vmlinux", "vmcore"):
            if not os.path.exists(os.path.join(d, n)):
                os.symlink(os.path.realpath(fx[n]), os.path.join(d, n))
        env = dict(os.environ)
        env.pop("OVSCRASH_DEBUG_PATH", None)
        o = run_crash(crash, os.path.join(d, "vmlinux"), os.path.join(d, "vmcore"),
                      ["vport", "vport -j", "triage -j"], ext=ext, env=env)
        # vmlinux's own directory (the kernel cache) holds the debug tree;
        # resolve the symlink away: search must then name every place it looked
        doc = js(o["vport -j"])
        if doc["available"]:
            true(os.path.realpath(fx["vmlinux"]).startswith(os.path.dirname(os.path.realpath(fx["vmlinux"]))),
                 "found without a reachable debug file")
        else:
            true("no matching openvswitch debuginfo" in doc["status"], doc["status"])
        true("Traceback" not in o["__all__"], "crash died")
        true(js(o["triage -j"])["verdict"], "triage gave no verdict")
    s.check(f"{A} bad input: missing debuginfo gives a one-line reason, triage carries on", no_debuginfo)

    def mismatch():
        d = os.path.join(tmp, f"wrongko-{A}")
        os.makedirs(d, exist_ok=True)
        wrong = os.path.join(os.path.dirname(os.path.realpath(fx["ovsdebug"])), "vport-vxlan.ko")
        link = os.path.join(d, "openvswitch.ko")
        if not os.path.exists(link):
            os.symlink(wrong, link)
        o = run_crash(crash, fx["vmlinux"], fx["vmcore"], [f"ovsmod -j {link}"], ext=ext)
        doc = js(o[f"ovsmod -j {link}"])
        true(doc["error"], "a mismatched module was accepted")
        true(re.search(r"rejected .*openvswitch.ko: build-id [0-9a-f]+ does not match", doc["search"]),
             f"search report: {doc['search']}")
    s.check(f"{A} bad input: a debug file with the wrong build-id is refused with the reason", mismatch)

    def compressed_modules():
        for tool, ext_ in (("xz", ".xz"), ("zstd", ".zst")):
            d = os.path.join(tmp, f"compressed-{A}-{tool}")
            os.makedirs(d, exist_ok=True)
            ko = os.path.join(d, "openvswitch.ko" + ext_)
            with open(ko, "wb") as out:
                subprocess.run([tool, "-q", "-c", os.path.realpath(fx["ovsdebug"])], stdout=out, check=True)
            before = set(glob.glob(os.path.join(os.environ.get("TMPDIR", "/tmp"), "ovscrash-ko-*")))
            o = run_crash(crash, fx["vmlinux"], fx["vmcore"], [f"ovsmod -j {d}", "vport -j"], ext=ext)
            doc = js(o[f"ovsmod -j {d}"])
            eq((doc["error"], doc["path"], doc["how"]), (None, ko, "build-id match"), f"{tool} module")
            true(js(o["vport -j"])["available"], f"OVS walk with the {tool} debuginfo")
            eq(set(glob.glob(os.path.join(os.environ.get("TMPDIR", "/tmp"), "ovscrash-ko-*"))) - before, set(), "decompressed copy left behind")
    s.check(f"{A} module debuginfo: .ko.xz and .ko.zst are decompressed, verified, loaded, cleaned up",
            compressed_modules)

    def bad_module_and_addr():
        o = run_crash(crash, fx["vmlinux"], fx["vmcore"],
                      ["ovsmod -m no_such_module -j", "netdev -j 1234", "netdev -N '<x>' -j"], ext=ext)
        eq(js(o["ovsmod -m no_such_module -j"])["error"],
           "module no_such_module is not loaded in this dump", "missing module")
        eq(js(o["netdev -j 1234"])["devices"], [], "bogus address")
    s.check(f"{A} bad input: absent module and bogus address give clear results", bad_module_and_addr)


def module_file_checks(s, crash, ext, fx, m, tmp, A, timings):
    """Hostile module files and paths (issue 11, items 6-9): symlink loops
    and a link to / beside the dump, a decompression bomb, a dump directory
    whose name holds a space, quotes, | > ; ESC and a newline, a module of
    another build (the 5.10 fixture's) or with no build-id loaded with
    mod -s beforehand, and a SIGKILL while a decompressed copy is loaded.
    Expected build-ids come from readelf and the manifest, entry counts
    from os.walk, names from escape_like_docs."""
    ovs_src = os.path.realpath(fx["ovsdebug"])
    want = m["openvswitch_build_id"]
    kdir = os.path.dirname(os.path.realpath(fx["vmlinux"]))
    kernels = os.path.dirname(kdir)
    base = dict(os.environ)
    for k in ("OVSCRASH_DEBUG_PATH", "DEBUGINFOD_URLS", "OVSCRASH_DEBUGINFOD_TIMEOUT"):
        base.pop(k, None)

    def dumpdir(name):
        """the dump alone in a directory of its own, vmlinux a symlink to the
        kernel cache's (whose directory holds no openvswitch.ko)"""
        d = os.path.join(tmp, f"{name}-{A}")
        os.makedirs(d, exist_ok=True)
        if not os.path.exists(os.path.join(d, "vmcore")):
            hardlink_or_copy(fx["vmcore"], os.path.join(d, "vmcore"))
        if not os.path.lexists(os.path.join(d, "vmlinux")):
            os.symlink(os.path.realpath(fx["vmlinux"]), os.path.join(d, "vmlinux"))
        return d

    def session(d, cmds, **env):
        e = dict(base, DEBUGINFOD_CACHE_PATH=d + "-dcache", **env)
        o = run_crash(crash, os.path.join(d, "vmlinux"), os.path.join(d, "vmcore"), cmds,
                      ext=ext, env=e)
        true("Traceback" not in o["__all__"], "crash died")
        return o

    def links():
        d = dumpdir("links")
        sub = os.path.join(d, "sub")
        os.makedirs(sub, exist_ok=True)
        for name, target in (("root", "/"), ("loop", "."), ("sub/up", ".."), ("proc", "/proc")):
            if not os.path.lexists(os.path.join(d, name)):
                os.symlink(target, os.path.join(d, name))
        ko = os.path.join(sub, "openvswitch.ko.debug")
        if not os.path.exists(ko):
            hardlink_or_copy(ovs_src, ko)
        # every entry once: what os.walk sees without following links
        entries = sum(len(ds) + len(fs) for _, ds, fs in os.walk(d))
        o = session(d, ["ovsmod -j"])
        doc = js(o["ovsmod -j"])
        eq((doc["error"], doc["path"], doc["how"]), (None, ko, "build-id match"), "ovsmod")
        line = [x for x in doc["search"].splitlines() if x.startswith(f"  {d}: searched (")]
        true(line, f"no report line for {d}: {doc['search']}")
        true(line[0].startswith(f"  {d}: searched ({entries} entries, "),
             f"entries walked (os.walk counts {entries}): {line[0]}")
        true("2 symlinks leading out of it not followed" in line[0], line[0])
        true("2 directories met again (symlink loops) not walked again" in line[0], line[0])
        true(o["__elapsed__"] < 120, f"session took {o['__elapsed__']:.0f}s")
        timings[f"{A} links session"] = o["__elapsed__"]
    s.check(f"{A} module search: a link to / or /proc and symlink loops beside the dump are "
            "not walked, each entry counted once, the reason stated", links)

    def bomb():
        d = dumpdir("bomb")
        ko = os.path.join(d, "openvswitch.ko.zst")
        if not os.path.exists(ko):
            with open(ko, "wb") as out:
                z = subprocess.Popen(["zstd", "-q", "-c"], stdin=subprocess.PIPE, stdout=out)
                chunk = bytes(1 << 20)
                for _ in range(300):	# 300 MiB of zeros, about 10 KB compressed
                    z.stdin.write(chunk)
                z.stdin.close()
                eq(z.wait(), 0, "zstd")
        tmpd = os.path.join(tmp, f"bomb-tmp-{A}")
        os.makedirs(tmpd, exist_ok=True)
        o = session(d, ["ovsmod -j", "vport -j"], TMPDIR=tmpd)
        doc = js(o["ovsmod -j"])
        true(doc["error"], "a bomb was accepted")
        want_line = (f"  rejected {ko}: decompresses to more than {256 << 20} bytes "
                     "(OC_DECOMPRESS_MAX): refused as a decompression bomb")
        true(want_line in doc["search"].splitlines(), f"search report: {doc['search']}")
        true(doc["error"] in js(o["vport -j"])["status"], "vport does not say why")
        eq(os.listdir(tmpd), [], "files left in TMPDIR")
        timings[f"{A} bomb session"] = o["__elapsed__"]
    s.check(f"{A} module search: a .ko.zst bomb beside the dump is refused at 256 MiB, "
            "one line naming it, nothing left in TMPDIR", bomb)

    def hostile_name():
        d = dumpdir("hostname")
        raw = "mod dir |x>y;'q\"\x1b[31m\nz"
        hd = os.path.join(tmp, f"{raw}-{A}")
        os.makedirs(hd, exist_ok=True)
        ko = os.path.join(hd, "openvswitch.ko.debug")
        if not os.path.exists(ko):
            hardlink_or_copy(ovs_src, ko)
        o = session(d, ["ovsmod", "ovsmod -j", "vport -j", "ovscrash"], OVSCRASH_DEBUG_PATH=hd)
        doc = js(o["ovsmod -j"])	# json.loads: valid JSON
        shown = escape_like_docs(ko.encode())
        eq((doc["error"], doc["path"], doc["how"]), (None, shown, "already loaded, build-id match"),
           "ovsmod -j")
        true(js(o["vport -j"])["available"], "OVS walk with debuginfo from that directory")
        eq(o["ovsmod"].strip().splitlines()[0], f"openvswitch: {shown} (build-id match)",
           "ovsmod text")
        for c in ("ovsmod", "ovsmod -j", "ovscrash"):
            true("\x1b" not in o[c], f"{c} printed a raw ESC")
        true(not glob.glob(os.path.join(os.getcwd(), "y;*")), "crash redirected output")
    s.check(f"{A} module search: a directory named with space, quotes, | > ; ESC and newline "
            "loads (mod -s by fd), its name escaped in text and JSON", hostile_name)

    # another build of the module: the 5.10 kernel line's, same arch
    wrongs = sorted(glob.glob(os.path.join(kernels, f"5.10.*-{m['arch']}-*", "debug", "kernel",
                                           "net", "openvswitch", "openvswitch.ko")))
    wrong = wrongs[0] if wrongs else os.path.join(kernels, f"5.10-{m['arch']}-not-cached")

    def loaded_wrong_replaced():
        if not os.path.exists(wrong):
            raise AssertionError(f"{wrong}: the 5.10 kernel is not in the cache")
        wid = readelf_build_id(wrong)
        true(wid and wid != want, f"5.10 module build-id {wid}")
        o = run_crash(crash, fx["vmlinux"], fx["vmcore"],
                      [f"mod -s openvswitch {wrong}", "ovsmod -j", "mod", "triage -j"], ext=ext,
                      env=base)
        doc = js(o["ovsmod -j"])
        eq((doc["error"], doc["how"]), (None, "build-id match, replacing a mismatched file loaded before"),
           "ovsmod")
        line = (f"  {wrong} (loaded before) has build-id {wid}, the dump's openvswitch has "
                f"{want}: not used")
        true(line in doc["search"].splitlines(), f"search report: {doc['search']}")
        true(not re.search(r"\sopenvswitch\s.*" + re.escape(wrong), o["mod"]),
             f"crash still has the 5.10 module: {o['mod']}")
        how = js(o["triage -j"])["fixes_in_kernel"]["how"]
        true(f"whose build-id {want} matches the dump's" in how, how)
    s.check(f"{A} mismatched module loaded with mod -s beforehand: named with both build-ids "
            "and replaced by the matching file", loaded_wrong_replaced)

    def loaded_wrong_alone():
        if not os.path.exists(wrong):
            raise AssertionError(f"{wrong}: the 5.10 kernel is not in the cache")
        wid = readelf_build_id(wrong)
        d = dumpdir("loadedwrong")
        o = session(d, [f"mod -s openvswitch {wrong}", "ovsmod -j", "triage -j", "triage", "vport -j"])
        doc = js(o["ovsmod -j"])
        true(doc["error"] and doc["error"].startswith(
            f"{wrong} (loaded before) has build-id {wid}, the dump's openvswitch has {want}: not used"),
            f"ovsmod error: {doc['error']}")
        t = js(o["triage -j"])
        k = t["fixes_in_kernel"]
        eq((k["carrier_check_066b86787fa3"], k["running_check_47e55e4b410f"]), (None, None),
           "fix check from a mismatched module")
        true(k["how"].startswith("unknown: ") and wid in k["how"] and "verified" not in k["how"],
             k["how"])
        true("verified" not in o["triage"].split("FIXES IN THIS KERNEL")[-1], "triage text claims verified")
        true(not js(o["vport -j"])["available"], "vport walked with a mismatched module")
    s.check(f"{A} mismatched module loaded with mod -s and no matching file: error names it with "
            "both build-ids, triage's fix check is unknown, never 'verified'", loaded_wrong_alone)

    def loaded_unverifiable():
        d = dumpdir("noid")
        noid = os.path.join(d, "stripped-id.ko")
        if not os.path.exists(noid):
            # the GNU build-id note's type 3 made another (arch-independent,
            # unlike objcopy): readelf then shows no build-id
            with open(ovs_src, "rb") as f:
                data = f.read()
            bid = bytes.fromhex(want)
            note = struct.pack("<III", 4, len(bid), 3) + b"GNU\0" + bid
            eq(data.count(note), 1, "build-id notes in the fixture module")
            with open(noid, "wb") as f:
                f.write(data.replace(note, struct.pack("<III", 4, len(bid), 0x4f43) + b"GNU\0" + bid))
        eq(readelf_build_id(noid), None, "build-id note left in the copy")
        o = session(d, [f"mod -s openvswitch {noid}", "ovsmod -j", "triage -j"])
        doc = js(o["ovsmod -j"])
        eq(doc["error"], None, "ovsmod error")
        true(doc["how"].startswith("already loaded, unverified: ") and "no GNU build-id note" in doc["how"],
             doc["how"])
        how = js(o["triage -j"])["fixes_in_kernel"]["how"]
        true("unverified: " in how and "matches" not in how, how)
    s.check(f"{A} module loaded with mod -s whose build-id cannot be read: 'unverified' with the "
            "reason, in ovsmod and in triage's fix check", loaded_unverifiable)

    def sigkill():
        d = dumpdir("sigkill")
        ko = os.path.join(d, "openvswitch.ko.xz")
        if not os.path.exists(ko):
            with open(ko, "wb") as out:
                subprocess.run(["xz", "-q", "-0", "-c", ovs_src], stdout=out, check=True)
        tmpd = os.path.join(tmp, f"sigkill-tmp-{A}")
        os.makedirs(tmpd, exist_ok=True)
        marker = os.path.join(tmp, f"sigkill-marker-{A}")
        script = os.path.join(tmp, f"sigkill-{A}.crash")
        with open(script, "w") as f:
            f.write(f"extend {ext}\novsmod\nvport\n!touch {marker}\n!sleep 120\n")
        p = subprocess.Popen([crash, "-s", os.path.join(d, "vmlinux"), os.path.join(d, "vmcore"),
                              "-i", script], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, env=dict(base, TMPDIR=tmpd),
                             start_new_session=True)
        t0 = time.time()
        while not os.path.exists(marker) and time.time() - t0 < 240 and p.poll() is None:
            time.sleep(0.5)
        true(os.path.exists(marker), "crash did not get past ovsmod")
        # the kernel's view of crash's open files: the copy is open, unnamed
        held = []
        for fd in os.listdir(f"/proc/{p.pid}/fd"):
            try:
                held.append(os.readlink(f"/proc/{p.pid}/fd/{fd}"))
            except OSError:
                pass
        named = os.listdir(tmpd)
        os.killpg(p.pid, 9)
        p.communicate()
        true([h for h in held if h.startswith(tmpd + "/") and h.endswith(" (deleted)")],
             f"no unnamed copy in TMPDIR held by crash: {held}")
        eq(named, [], "named files in TMPDIR while the copy is loaded")
        eq(os.listdir(tmpd), [], "decompressed copy left in TMPDIR after SIGKILL")
    s.check(f"{A} a crash SIGKILLed with a decompressed module loaded leaves nothing in TMPDIR",
            sigkill)

    def enospc():
        d = dumpdir("enospc")
        ko = os.path.join(d, "openvswitch.ko.zst")
        if not os.path.exists(ko):
            with open(ko, "wb") as out:
                subprocess.run(["zstd", "-q", "-c", ovs_src], stdout=out, check=True)
        tmpd = os.path.join(tmp, f"enospc-tmp-{A}")
        os.makedirs(tmpd, exist_ok=True)
        mnt = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", tmpd],
                             capture_output=True, text=True)
        if mnt.returncode:
            s.skip(f"{A} ENOSPC in TMPDIR", f"cannot mount a small tmpfs: {mnt.stderr.strip()}")
            return
        try:
            o = session(d, ["ovsmod -j"], TMPDIR=tmpd)
            doc = js(o["ovsmod -j"])
            true(doc["error"], "a truncated copy was accepted")
            line = f"  rejected {ko}: writing its decompressed copy: No space left on device"
            true(line in doc["search"].splitlines(), f"search report: {doc['search']}")
            eq(os.listdir(tmpd), [], "partial copy left in TMPDIR")
        finally:
            subprocess.run(["umount", tmpd], check=True)
    s.check(f"{A} a full TMPDIR (1 MiB tmpfs): the .ko.zst is rejected with ENOSPC in one line "
            "naming it, no partial copy left", enospc)

def budget_checks(s, crash, ext, fx, m, A):
    """One work budget per command (issue 11, item 5).  How many reads a
    walk needs comes from the documented charging rule (each list head,
    then each node, one unit: docs/commands.md) applied to counts from
    crash's own `list` and the manifest; the list heads named from
    crash's `sym` and `struct -o`."""
    pre = ["sym net_namespace_list", "sym net_todo_list", "struct net.dev_base_head -o",
           "struct net_device.dev_list -o", "list -H net_namespace_list -o net.list",
           "list -H net_todo_list"]
    o = run_crash(crash, fx["vmlinux"], fx["vmcore"], pre)

    def sym(cmd):
        mm = re.match(r"\s*([0-9a-f]+) ", o[cmd])
        true(mm, f"crash {cmd}: {o[cmd]!r}")
        return int(mm.group(1), 16)

    def member_off(cmd, member):
        mm = re.search(rf"\[(\d+)\] struct list_head {member};", o[cmd])
        true(mm, f"crash {cmd}: {o[cmd]!r}")
        return int(mm.group(1))

    def entries(out):
        return [int(x, 16) for x in re.findall(r"^([0-9a-f]{8,16})$", out, re.M)]

    nsl, todo = sym(pre[0]), sym(pre[1])
    dbh, dl = member_off(pre[2], "dev_base_head"), member_off(pre[3], "dev_list")
    nets, todos = entries(o[pre[4]]), entries(o[pre[5]])
    devcmds = [f"list -H {n + dbh:#x}" for n in nets]
    o2 = run_crash(crash, fx["vmlinux"], fx["vmcore"], devcmds)
    listed = [[a - dl for a in entries(o2[c])] for c in devcmds]
    # netdev's own walks: namespaces (head + nodes), each one's device
    # list (head + nodes), then net_todo_list (head + nodes)
    need = 1 + len(nets) + sum(1 + len(x) for x in listed) + 1 + len(todos)
    # vport's: namespaces, each one's ovs_net.dps (head + datapaths),
    # each datapath's 1024 bucket heads and its vports
    vneed = 1 + 2 * len(nets) + 1 + 1024 + len(m["ports"])
    nsl_at = f"list head {nsl:x} after 0 entries"
    cmds = [f"netdev -j -B {need}", f"netdev -j -B {need - 1}", "netdev -j -B 1",
            f"vport -j -B {vneed}", f"vport -j -B {vneed - 1}", "vport -B 1",
            "triage -j -B 1", "triage -B 1", "triage -j -B 0,0.001", "netdev -B 1x",
            "sys", "netdev -j", "help netdev", "help triage"]
    r = run_crash(crash, fx["vmlinux"], fx["vmcore"], cmds, ext=ext)

    def preconditions():
        true(nets and all(n > 0 for n in nets), f"crash list of net_namespace_list: {o[pre[4]]!r}")
        # the set-up's namespaces, and the tenants' (sets of the tenancy
        # recipe: pod-idle, the private-mount one, pod-sock) by inode
        want = set(m["netns"].values()) | {
            t["inode"] for t in (m.get("tenancy") or {}).get("netns", {}).values()}
        eq(len(nets), len(want), "namespaces (crash list)")
    s.check(f"{A} budget: crash lists the manifest's namespaces (precondition)", preconditions)

    def netdev_exact():
        d = js(r[cmds[0]])
        t = d["truncated"]
        true(t, "the netns and todo walks used the whole budget, the OVS walk must stop")
        eq((t["where"], t["reason"], t["nodes_read"]),
           (nsl_at, f"node budget of {need} spent", need), "truncated at the OVS walk's first node")
        got = sorted(int(x["address"], 16) for x in d["devices"] if x["found_via"] == "netns")
        eq(got, sorted(a for x in listed for a in x), "devices listed = crash's lists of every netns")
        d = js(r[cmds[1]])
        t = d["truncated"]
        last = f"list head {todo:x} after {max(len(todos) - 1, 0)} entries"
        eq((t["where"], t["nodes_read"]), (last, need - 1), "one read fewer stops at net_todo_list")
        eq(sorted(int(x["address"], 16) for x in d["devices"] if x["found_via"] == "netns"),
           got, "every listed device still found")
        eq(d["ovs_status"], "the command's budget was spent before the vport walk", "OVS skipped")
        d = js(r[cmds[2]])
        eq((d["truncated"]["where"], d["truncated"]["nodes_read"]), (nsl_at, 1), "-B 1")
        eq([x for x in d["devices"] if x["found_via"] == "netns"], [], "-B 1: no walked device")
        # the spinning CPU's register search is no walk: the victim is still found
        eq([x["name"] for x in d["devices"] if x["found_via"] == "registers"], [m["victim"]["name"]],
           "-B 1: victim from the registers")
    s.check(f"{A} budget: netdev stops at exactly the budget, names the list head (crash sym) "
            "and keeps what it read (crash list)", netdev_exact)

    def vport_exact():
        d = js(r[cmds[3]])
        eq(d["truncated"], None, f"vport -B {vneed} (enough)")
        want = sorted((p["port_no"], p["device"]) for p in m["ports"])
        eq(sorted((v["port_no"], v["netdev"]["name"]) for v in d["vports"]), want, "vports")
        d = js(r[cmds[4]])
        t = d["truncated"]
        true(t, f"vport -B {vneed - 1} not truncated")
        eq((t["reason"], t["nodes_read"]), (f"node budget of {vneed - 1} spent", vneed - 1), "counts")
        true(re.fullmatch(r"list head [0-9a-f]+ after \d+ entries", t["where"]), f"where {t['where']!r}")
        txt = [l for l in r[cmds[5]].splitlines() if l.startswith("TRUNCATED")]
        eq(len(txt), 1, "one TRUNCATED line")
        true(txt[0].startswith(f"TRUNCATED: stopped at {nsl_at}: node budget of 1 spent (1 nodes read, "),
             f"text: {txt[0]!r}")
    s.check(f"{A} budget: vport needs namespaces x datapaths x 1024 buckets x vports reads; "
            "one fewer is reported in one line", vport_exact)

    def triage_partial():
        d = js(r[cmds[6]])
        eq(d["verdict"], m["expected"]["verdict_kind"], "verdict from what was gathered (the spin)")
        eq((d["partial"], d["truncated"]["where"], d["truncated"]["nodes_read"]), (True, nsl_at, 1),
           "partial, where")
        eq(d["vport"], None, "no vport read")
        true(any(c.startswith("partial: evidence gathering stopped at " + nsl_at) for c in d["caveats"]),
             f"caveats {d['caveats']}")
        true(not any("no OVS vport refers" in e["text"] for e in d["evidence"]),
             "an unwalked vport table claimed to lack the device")
        true(d["evidence"] and all(e["command"] for e in d["evidence"]), "evidence")
        t = r[cmds[7]]
        true(t.lstrip().startswith("PARTIAL:"), f"text triage not marked partial: {t[:80]!r}")
        true(f"TRUNCATED: stopped at {nsl_at}" in t, "text triage lacks the TRUNCATED line")
        true("VERDICT:" in t and "EVIDENCE:" in t, "text verdict and evidence")
        d = js(r[cmds[8]])
        eq((d["partial"], d["truncated"]["reason"]), (True, "time budget of 0.001 s spent"), "time bound")
        true(d["verdict"] and d["signature"], "a verdict even out of time")
    s.check(f"{A} budget: triage -B 1 still gives a verdict on the spin, marked partial, with no "
            "claim about the unwalked vports; a 1 ms budget still gives valid JSON", triage_partial)

    def session_goes_on():
        true(re.search(r'-B: budget "1x": expected NODES', r[cmds[9]]), f"bad -B: {r[cmds[9]]!r}")
        true("PANIC:" in r["sys"], "crash did not carry on")
        d = js(r["netdev -j"])
        eq(d["truncated"], None, "the next command has a fresh budget")
        true(m["victim"]["name"] in [x["name"] for x in d["devices"]], "victim")
        for c in ("help netdev", "help triage"):
            true("-B n[,s]" in r[c] and "OVSCRASH_BUDGET" in r[c], f"{c} lacks -B")
        env = dict(os.environ, OVSCRASH_BUDGET="1")
        o3 = run_crash(crash, fx["vmlinux"], fx["vmcore"], ["vport -j", "vport -j -B 0"], ext=ext, env=env)
        eq(js(o3["vport -j"])["truncated"]["nodes_read"], 1, "$OVSCRASH_BUDGET=1")
        eq(js(o3["vport -j -B 0"])["truncated"], None, "-B 0 (unbounded) over the environment")
        env["OVSCRASH_BUDGET"] = "lots"
        o3 = run_crash(crash, fx["vmlinux"], fx["vmcore"], ["vport -j", "sys"], ext=ext, env=env)
        true('$OVSCRASH_BUDGET: budget "lots"' in o3["vport -j"], f"bad env: {o3['vport -j']!r}")
        true("PANIC:" in o3["sys"], "crash did not carry on")
    s.check(f"{A} budget: a bad -B or $OVSCRASH_BUDGET is one line, -B beats the environment, "
            "and the session carries on with a fresh budget", session_goes_on)


def ctrl_c_checks(s, crash, ext, fx, m, A):
    """Ctrl-C in the middle of triage, at 12 moments from 0.1 s to 1.2 s
    in, in one interactive crash session (a pty, as a person types it):
    crash's SIGINT handler frees the command's buffers and jumps to the
    main loop, also from inside the crash commands ovscrash runs; the
    command must end there and the session carry on.  crash's own sys
    and a complete triage after them are the proof."""
    import pty
    import select

    def run():
        pid, fd = pty.fork()
        if pid == 0:
            os.execv(crash, [crash, "-s", fx["vmlinux"], fx["vmcore"]])
        buf = bytearray()

        def until(pat, t):
            end = time.time() + t
            while time.time() < end:
                if pat in buf:
                    return True
                if select.select([fd], [], [], 0.2)[0]:
                    try:
                        d = os.read(fd, 65536)
                    except OSError:
                        return False
                    if not d:
                        return False
                    buf.extend(d)
                    if pat in buf:
                        return True
            return False
        try:
            true(until(b"crash> ", 300), "no crash prompt")
            os.write(fd, f"extend {ext}\n".encode())
            true(until(b"shared object loaded", 60) and until(b"crash> ", 60), "extend")
            def sync(i):
                """the session answers again (a ^C that came after the
                command ended can eat the next line's first bytes)"""
                until(b"crash> ", 120)
                for _ in range(3):
                    time.sleep(0.3)
                    del buf[:]
                    os.write(fd, f"eval {MARK_BASE + 2 * i + 1:#x}\n".encode())
                    if until(f"hexadecimal: {MARK_BASE + 2 * i + 1:x}".encode(), 5):
                        return until(b"crash> ", 10)
                return False
            for i in range(12):
                del buf[:]
                os.write(fd, b"triage\n")
                time.sleep(0.1 * (i + 1))
                os.write(fd, b"\x03")
                true(sync(i), f"no answer after Ctrl-C {0.1 * (i + 1):.1f} s into triage: "
                     f"{bytes(buf[-300:])!r}")
            del buf[:]
            os.write(fd, b"sys\n")
            true(until(b"PANIC:", 60), f"sys after the interrupts: {bytes(buf[-300:])!r}")
            until(b"crash> ", 10)
            del buf[:]
            os.write(fd, b"triage -j\n")
            true(until(b'"partial": false', 300), f"triage after the interrupts: {bytes(buf[-300:])!r}")
            true(m["expected"]["verdict"].encode() in buf, "triage after the interrupts: signature")
            until(b"crash> ", 10)
            os.write(fd, b"q\n")
        finally:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            _, st = os.waitpid(pid, 0)
            os.close(fd)
        true(not os.WIFSIGNALED(st) or os.WTERMSIG(st) == signal.SIGKILL,
             f"crash died of signal {os.WTERMSIG(st) if os.WIFSIGNALED(st) else None}")
    s.check(f"{A} Ctrl-C: triage interrupted at 12 moments ends each time, crash carries on "
            "(sys, then a full triage)", run)


def readelf_build_id(path):
    out = subprocess.run(["readelf", "-n", path], capture_output=True, text=True).stdout
    m = re.search(r"Build ID: ([0-9a-f]+)", out)
    return m.group(1) if m else None


def has_debug_info(path):
    out = subprocess.run(["readelf", "-S", "-W", path], capture_output=True, text=True).stdout
    return re.search(r"\s\.debug_info\s", out) is not None


def hardlink_or_copy(src, dst):
    src = os.path.realpath(src)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def debuginfo_search_checks(s, crash, ext, fx, m, tmp, A, timings):
    """Module debuginfo where users keep it, found without being told: an
    unpacked -dbg tree beside the vmlinux, its .build-id links, and a real
    debuginfod server (hit, unknown build-id, server down, server hanging).
    Each session runs on a copy of the dump in a directory of its own, with
    a vmlinux symlink there, so the fixture's openvswitch.ko.debug beside
    the dump and the kernel cache's debug tree beside the real vmlinux are
    out of reach.  Expected build-ids come from readelf and the manifest."""
    rel = m["kernel_release"]
    ovs_src = os.path.realpath(fx["ovsdebug"])
    ovs_bid = readelf_build_id(ovs_src)
    kdir = os.path.dirname(os.path.realpath(fx["vmlinux"]))
    nsh_img = os.path.join(kdir, "modules", "kernel", "net", "nsh", "nsh.ko")
    base = dict(os.environ)
    for k in ("OVSCRASH_DEBUG_PATH", "DEBUGINFOD_URLS", "OVSCRASH_DEBUGINFOD_TIMEOUT"):
        base.pop(k, None)

    def dumpdir(name):
        d = os.path.join(tmp, f"{name}-{A}")
        os.makedirs(d, exist_ok=True)
        if not os.path.exists(os.path.join(d, "vmcore")):
            hardlink_or_copy(fx["vmcore"], os.path.join(d, "vmcore"))
        return d

    def session(name, cmds, vmlinux=None, **env):
        d = dumpdir(name)
        if vmlinux is None:
            vmlinux = os.path.join(d, "vmlinux")
            if not os.path.lexists(vmlinux):
                os.symlink(os.path.realpath(fx["vmlinux"]), vmlinux)
        e = dict(base, DEBUGINFOD_CACHE_PATH=d + "-dcache", **env)
        o = run_crash(crash, vmlinux, os.path.join(d, "vmcore"), cmds, ext=ext, env=e)
        true("Traceback" not in o["__all__"], "crash died")
        return o

    def preconditions():
        eq(ovs_bid, m["openvswitch_build_id"], "fixture debug module's build-id (readelf)")
        true(has_debug_info(ovs_src), "fixture debug module has no .debug_info")
    s.check(f"{A} debuginfo search: the fixture debug module is the dump's (readelf, manifest)",
            preconditions)

    def dbg_tree():
        vml, mods = dbg_layout(os.path.join(tmp, f"dbgtree-{A}"), rel, fx["vmlinux"],
                               "kernel/net/openvswitch")
        ko = os.path.join(mods, "openvswitch.ko")
        shutil.copyfile(ovs_src, ko)
        # a server that is down does not matter when a local file matches
        with dfserver.Blackhole() as bh:
            o = session("dbgdump", ["ovsmod -j", "vport -j"], vmlinux=vml,
                        DEBUGINFOD_URLS=bh.url)
        d = js(o["ovsmod -j"])
        eq((d["error"], d["path"], d["how"], d["build_id"]), (None, ko, "build-id match", ovs_bid),
           "ovsmod in an unpacked -dbg tree")
        eq(d["debuginfod"], None, "debuginfod asked although a local file matched")
        true(js(o["vport -j"])["available"], "vport walk with the -dbg tree's module")
    s.check(f"{A} debuginfo search: crash <tree>/usr/lib/debug/boot/vmlinux-<rel> finds "
            "<tree>/usr/lib/debug/lib/modules/<rel>/.../openvswitch.ko (no server asked)", dbg_tree)

    def dbg_tree_build_id():
        # the same tree holding the module only under .build-id/xx/yyyy.debug
        tree = os.path.join(tmp, f"dbgtree-bid-{A}")
        boot = os.path.join(tree, "usr/lib/debug/boot")
        bdir = os.path.join(tree, "usr/lib/debug/.build-id", ovs_bid[:2])
        os.makedirs(boot, exist_ok=True)
        os.makedirs(bdir, exist_ok=True)
        vml = os.path.join(boot, f"vmlinux-{rel}")
        if not os.path.lexists(vml):
            os.symlink(os.path.realpath(fx["vmlinux"]), vml)
        f = os.path.join(bdir, ovs_bid[2:] + ".debug")
        shutil.copyfile(ovs_src, f)
        o = session("dbgdump-bid", ["ovsmod -j"], vmlinux=vml)
        d = js(o["ovsmod -j"])
        eq((d["error"], d["path"], d["how"]), (None, f, "build-id match"), "ovsmod by .build-id")
    s.check(f"{A} debuginfo search: <tree>/usr/lib/debug/.build-id/xx/yyyy.debug of the -dbg tree",
            dbg_tree_build_id)

    deb = os.path.join(tmp, f"dbg-{A}.deb")

    def server():
        dfserver.make_dbg_deb(deb, f"linux-image-{rel}-dbg", m.get("kernel_package_version", "0"),
                              A, {f"usr/lib/debug/lib/modules/{rel}/kernel/net/openvswitch/"
                                  "openvswitch.ko": ovs_src})
        nsh_bid = readelf_build_id(nsh_img)
        true(nsh_bid, f"no build-id in {nsh_img}")
        with dfserver.Debuginfod(os.path.join(tmp, f"dfd-{A}"), debs=[deb], ready=[ovs_bid]) as srv:
            timings[f"{A} debuginfod index"] = srv.index_seconds
            o = session("dfd-hit", ["mod", "ovsmod -j", "vport -j", "ovsmod -m nsh -j"],
                        DEBUGINFOD_URLS=srv.url)
        d = js(o["ovsmod -j"])
        cache = os.path.join(tmp, f"dfd-hit-{A}-dcache")
        eq((d["error"], d["how"], d["build_id"]), (None, "build-id match (debuginfod)", ovs_bid),
           "ovsmod from debuginfod")
        true(d["path"].startswith(cache + "/"), f"not from the debuginfod cache: {d['path']}")
        eq(readelf_build_id(d["path"]), ovs_bid, "build-id of the fetched file (readelf)")
        true(has_debug_info(d["path"]), "the fetched file has no .debug_info")
        true(js(o["vport -j"])["available"], "vport walk with the fetched module")
        # a module the server does not hold: crash's own mod lists it
        true(re.search(r"^\s*\S+\s+nsh\s", o["mod"], re.M), "nsh is not loaded in the dump (mod)")
        n = js(o["ovsmod -m nsh -j"])
        want = f"debuginfod: {srv.url}: build-id {nsh_bid} not found"
        eq(n["build_id"], nsh_bid, "nsh build-id in the dump")
        eq(n["debuginfod"], want, "one-line reason for an unknown build-id")
        true(n["error"].endswith(want), f"error line: {n['error']}")
        eq(n["error"].count("\n"), 0, "reason is one line")
    s.check(f"{A} debuginfod: a real server (indexing a -dbg .deb) serves openvswitch debuginfo by the "
            "dump's build-id with nothing local; an unknown build-id gets a one-line reason", server)

    def down():
        url = f"http://127.0.0.1:{dfserver.free_port()}"
        t0 = time.time()
        o = session("dfd-down", ["ovsmod -j", "vport -j", "triage -j"], DEBUGINFOD_URLS=url)
        timings[f"{A} session, server down"] = time.time() - t0
        d = js(o["ovsmod -j"])
        true(d["error"] and d["error"].startswith("no matching openvswitch debuginfo found"),
             f"error: {d['error']}")
        true(d["debuginfod"] and d["debuginfod"].startswith(f"debuginfod: {url}: ")
             and "not found" not in d["debuginfod"], f"reason: {d['debuginfod']}")
        true(d["debuginfod"] in js(o["vport -j"])["status"], "vport does not say why")
        true(js(o["triage -j"])["verdict"], "triage gave no verdict")
    s.check(f"{A} debuginfod: server down gives the error in one line, the local search's result "
            "stands and triage carries on", down)

    def hang():
        bound = 3
        with dfserver.Blackhole() as bh:
            t0 = time.time()
            o = session("dfd-hang", ["ovsmod -j", "triage -j", "ovsmod -m openvswitch -j"],
                        DEBUGINFOD_URLS=bh.url, OVSCRASH_DEBUGINFOD_TIMEOUT=str(bound))
            took = time.time() - t0
        timings[f"{A} session, server hanging (bound {bound} s)"] = took
        d = js(o["ovsmod -j"])
        eq(d["debuginfod"], f"debuginfod: {bh.url}: no answer for build-id {ovs_bid} within {bound} s",
           "reason")
        true(js(o["triage -j"])["verdict"], "triage gave no verdict")
        again = js(o["ovsmod -m openvswitch -j"])
        eq(again["debuginfod"], d["debuginfod"], "reason the second time")
        true("not asked again" in again["search"], "the server was asked twice in one session")
        # libdebuginfod leaves an empty cache file after an aborted query,
        # which it would read as "not found" for 10 minutes: removed
        stale = os.path.join(tmp, f"dfd-hang-{A}-dcache", ovs_bid, "debuginfo")
        true(not os.path.exists(stale), f"aborted query left {stale}")
        # the session without the wait took timings[down]; the hang adds at
        # most the bound (plus scheduling slack on a loaded machine)
        ref = timings.get(f"{A} session, server down")
        if ref is not None:
            true(took < ref + bound + 15, f"session took {took:.1f}s (server down: {ref:.1f}s)")
    s.check(f"{A} debuginfod: a server that never answers is given up after the bound "
            "(OVSCRASH_DEBUGINFOD_TIMEOUT=3)", hang)


def packaging_checks(s, crash, fx, top, tmp):
    def install():
        dest = os.path.join(tmp, "destdir")
        subprocess.run(["make", "-s", "-C", top, "install", f"DESTDIR={dest}"], check=True,
                       capture_output=True)
        # the layout of docs/packaging.md: crash's own search directory,
        # and the per-target directory ovscrash-crash puts in
        # $CRASH_EXTENSIONS (this is the x86_64-target crash)
        for rel in ("usr/lib/crash/extensions", "usr/lib/ovscrash/extensions/x86_64"):
            true(os.path.exists(os.path.join(dest, rel, "ovscrash.so")), f"not installed in /{rel}")
        extdir = os.path.join(dest, "usr/lib/ovscrash/extensions/x86_64")
        env = dict(os.environ, CRASH_EXTENSIONS=extdir)
        o = run_crash(crash, fx["vmlinux"], fx["vmcore"], ["extend ovscrash.so", "ovscrash -j"], env=env)
        true(re.search(r"ovscrash.so: shared object loaded", o["extend ovscrash.so"]),
             f"extend without a path failed: {o['extend ovscrash.so'][:200]}")
        version = re.search(r"^VERSION := (\S+)", open(os.path.join(top, "Makefile")).read(), re.M).group(1)
        eq(js(o["ovscrash -j"])["ovscrash"], version, "installed extension's version")
    s.check("install: `extend ovscrash.so` finds the installed extension without a path", install)

    def system_crash():
        syscrash = shutil.which("crash")
        true(syscrash, "Debian's crash is not installed")
        subprocess.run(["make", "-s", "-C", top, "ext-system"], check=True, capture_output=True)
        so = os.path.join(top, "build/system/ovscrash.so")
        o = run_crash(syscrash, fx["vmlinux"], fx["vmcore"], ["ovscrash -j", "vport -j", "picktx -j"],
                      ext=so)
        true(js(o["ovscrash -j"])["crash"].startswith("8."), "not Debian's crash 8.x")
        vp = js(o["vport -j"])
        eq(sorted(v["race_window"] for v in vp["vports"]), [False, False, True], "race windows")
        # crash 8.0.2 cannot unwind this kernel's IRQ stacks (bt -E fails):
        # picktx falls back to the kernel log's register dump
        sp = js(o["picktx -j"])["spins"]
        true(sp, "no spin found with Debian's crash")
        eq(sp[0]["source"], "kernel log", "source of the spin")
        eq((sp[0]["hash"]["value"], sp[0]["qcount"]["value"]), (0, 0), "hash, qcount")
    s.check("system crash: built against /usr/include/crash, Debian's crash 8.0.2 still decodes "
            "the lockup from the kernel log", system_crash)


def race_checks(s, r, m, crash, fx):
    """The real race (openvswitch.ko rebuilt without the fixes, nothing
    written): expectations from the manifest (what the guest and
    ovscrash_delay.ko observed), checked with crash's own commands; then
    what triage must say about it (the issue's expectations)."""
    A = label(m)
    victim = m["victim"]
    vaddr = int(victim["address"], 16)
    LIST_POISON2 = 0xdead000000000122	# hlist_del_rcu()'s pprev (x86_64 and arm64 POISON_POINTER_DELTA)

    stock = not m["ovs_module"]["reverted"]

    def manifest():
        # the module that ran carries neither fix (independent DWARF reader)
        eq(m["fixes_in_module"], {"066b86787fa3": False, "47e55e4b410f": False}, "manifest: module's fixes")
        if stock:	# bullseye's 5.10: Debian's own module, nothing rebuilt
            eq(m["fixes_in_stock_module"], m["fixes_in_module"], "manifest: the stock module's fixes")
            eq(m["ovs_module"]["origin"].split()[0], "stock", "manifest: module origin")
        else:
            eq(m["ovs_module"]["reverted"], ["066b86787fa3", "47e55e4b410f"], "manifest: fixes reverted")
        eq(m["ovs_module"]["build_id"], m["openvswitch_build_id"], "manifest: debug file is the module that ran")
        eq(m["trigger"], "ip netns del", "manifest: trigger")
        eq(m["race"]["peer_netns"], "pod-payments", "manifest: peer netns")
        true(1 <= m["race"]["hit_try"] <= 40, f"manifest: hit on try {m['race']['hit_try']}")
        at = victim["at_unregister"]
        eq((at["reg_state"], at["listed"], at["running"], at["carrier"]),
           ("NETREG_UNREGISTERING", False, False, False), "manifest: victim at NETDEV_UNREGISTER")
        if victim["notify_work_done"]:
            eq((victim["reg_state"], victim["real_num_tx_queues"], victim["listed"], victim["vport_linked"]),
               ("NETREG_UNREGISTERING", 0, False, False), "manifest: victim as the notify work left it")
            eq((victim["running"], victim["carrier"]), (False, False), "manifest: victim not running, no carrier")
        # else (5.10): OVS's notify work started but never returned: it waits
        # for an RCU grace period the spinning CPU holds off; the dump shows
        # the rest (dev_state, vport_unlinked)
    s.check(f"{A} race: the manifest records a real race ({'stock' if stock else 'rebuilt'} module, "
            "ip netns del, victim unlinked)", manifest)

    def bt_chain():
        true("invalid NT_PRSTATUS" not in r["__all__"], "crash discarded the dump's CPU notes")
        frames = re.findall(r"^\s*#\d+ \[[0-9a-f]+\] (\S+) at [0-9a-f]+(?: \[(\w+)\])?", r["bt"], re.M)
        names = [f[0] for f in frames]
        true("netdev_pick_tx" in names, f"no netdev_pick_tx frame in bt: {names}")
        i = names.index("netdev_pick_tx")
        eq(names[i + 1:i + 3], ["netdev_core_pick_tx", "__dev_queue_xmit"], "frames above netdev_pick_tx")
        true(any(f[1] == "openvswitch" for f in frames[i + 3:i + 7]),
             f"no [openvswitch] frame above __dev_queue_xmit: {frames[i:i + 7]}")
        if not bookworm(m):
            true(("do_execute_actions", "openvswitch") in frames[i + 3:], "no do_execute_actions [openvswitch]")
        elif m["arch"] == "amd64":
            # do_output() and ovs_vport_send() are tail calls on x86_64
            eq(frames[i + 3], ("do_execute_actions", "openvswitch"), "OVS caller frame")
        else:
            true(("do_execute_actions", "openvswitch") in frames[i + 3:], "no do_execute_actions [openvswitch]")
        true("netdev_frame_hook" in names, "packet did not enter through OVS's rx hook")
        true("__crash_kexec" in names or "machine_kexec" in names, "panic did not go through kdump")
    s.check(f"{A} race: crash bt shows netdev_pick_tx <- netdev_core_pick_tx <- __dev_queue_xmit <- "
            "[openvswitch]", bt_chain)

    # crash's own reads (no extension), chained over four sessions: the
    # victim, its vport, the datapath's port hash and the module's notes.
    # Run once, when the first check needs them; a failure is that check's.
    mod_cmd = f"mod -s openvswitch {os.path.realpath(fx['ovsdebug'])}"
    dev_cmd = f"struct net_device.name,real_num_tx_queues,num_tx_queues,reg_state,state {vaddr:x}"
    off_cmd = "px &((struct vport *)0)->dp_hash_node"
    vp_cmd = (f"struct vport.dev,dp,port_no,dp_hash_node {int(victim['vport_address'], 16):x}"
              if victim["vport_address"] else None)
    memo = {}

    def hexval(out):
        """the first hex number after '=' ($1 = (type *) 0x30, x = 0x...)"""
        return int(re.search(r"(0x[0-9a-f]+)", out.split("=", 1)[1]).group(1), 16)

    def rd_bytes(out):
        """the bytes of crash's rd -8 output (hex columns only)"""
        return bytes(int(x, 16) for l in out.splitlines() if ":" in l
                     for x in re.findall(r"\b[0-9a-f]{2}\b", l.split(":", 1)[1][:50]))

    def facts():
        if "error" in memo:
            raise memo["error"]
        if memo:
            return memo
        try:
            o = run_crash(crash, fx["vmlinux"], fx["vmcore"],
                          [mod_cmd, dev_cmd, "net", "mod", off_cmd] + ([vp_cmd] if vp_cmd else []))
            memo.update(dev=o[dev_cmd], net=o["net"], vport=o.get(vp_cmd, ""))
            mods = re.findall(r"^\s*([0-9a-f]+)\s+openvswitch\s", o["mod"], re.M)
            eq(len(mods), 1, "openvswitch in crash's mod list")
            c_na = f"struct module.notes_attrs {mods[0]}"
            cmds = [mod_cmd, c_na]
            if vp_cmd:
                memo["off"] = hexval(o[off_cmd])
                memo["dp"] = int(re.search(r"dp = (0x[0-9a-f]+)", o[vp_cmd]).group(1), 16)
                c_ports = f"struct datapath.ports {memo['dp']:x}"
                cmds.append(c_ports)
            o = run_crash(crash, fx["vmlinux"], fx["vmcore"], cmds)
            na = hexval(o[c_na])
            c_n = f"struct module_notes_attrs.notes {na:x}"
            c_p = [f"px ((struct module_notes_attrs *){na:#x})->attrs[{i}].private" for i in (0, 1)]
            cmds = [mod_cmd, c_n] + c_p
            if vp_cmd:
                rd = f"rd -64 {hexval(o[c_ports]):x} 1024"	# DP_VPORT_HASH_BUCKETS hlist_heads
                cmds.append(rd)
            o = run_crash(crash, fx["vmlinux"], fx["vmcore"], cmds)
            nnotes = int(re.search(r"notes = (\d+)", o[c_n]).group(1))
            rds = [f"rd -8 {hexval(o[c]):x} 36" for c in c_p[:nnotes]]
            cmds = [mod_cmd] + rds
            lists = []
            if vp_cmd:
                heads = [int(w, 16) for l in o[rd].splitlines() if ":" in l
                         for w in l.split(":", 1)[1].split()[:2] if re.fullmatch(r"[0-9a-f]{16}", w)]
                eq(len(heads), 1024, "bucket heads read")
                lists = [f"list -o {memo['off']} -s vport.port_no,dev {h - memo['off']:x}" for h in heads if h]
                cmds += lists
            o = run_crash(crash, fx["vmlinux"], fx["vmcore"], cmds)
            memo["notes"] = [rd_bytes(o[c]) for c in rds]
            memo["hash_vports"] = [(int(p), int(d, 16)) for c in lists for p, d in
                                   re.findall(r"port_no = (\d+),?\s*\n\s*dev = (0x[0-9a-f]+)", o[c])]
        except Exception as e:  # noqa: BLE001 - the checks report it
            memo.clear()
            memo["error"] = e
            raise
        return memo

    # what the observer saw when the notify work returned; where it never
    # returned, the state seen at NETDEV_UNREGISTER and the expected qcount
    seen = victim if victim["notify_work_done"] else dict(
        victim["at_unregister"], real_num_tx_queues=m["expected"]["qcount"],
        reg_state_value=2)	# NETREG_UNREGISTERING

    def dev_state():
        txt = facts()["dev"]
        true(re.search(rf'name = "{re.escape(victim["name"])}\\000', txt), f"crash reads name: {txt.strip()}")
        for field, want in (("real_num_tx_queues", seen["real_num_tx_queues"]),
                            ("num_tx_queues", victim["num_tx_queues"])):
            true(re.search(rf"\b{field} = {want},?\s*$", txt, re.M), f"crash reads {field}: {txt.strip()}")
        # state: as observed; where the notify work never returned, the
        # state seen at NETDEV_UNREGISTER, or that with LINKWATCH_PENDING
        # (__LINK_STATE_LINKWATCH_PENDING = 3) cleared: the linkwatch work
        # may run between the unregister and the panic (seen on arm64 6.1)
        states = {seen["state"]}
        if not victim["notify_work_done"] and "LINKWATCH_PENDING" in (seen.get("state_names") or []):
            states.add(seen["state"] & ~(1 << 3))
        st = re.search(r"\bstate = (\d+),?\s*$", txt, re.M)
        true(st and int(st.group(1)) in states, f"crash reads state (want one of {sorted(states)}): {txt.strip()}")
        # 6.1's reg_state is a u8-sized field: crash prints its name or number
        true(re.search(rf"\breg_state = ({seen['reg_state']}\b|{seen['reg_state_value']} )", txt),
             f"crash reads reg_state: {txt.strip()}")
        # unlisted: not among the root netns devices crash's own `net` prints
        true(f"{vaddr:x}" not in facts()["net"] and victim["name"] not in facts()["net"],
             "the victim is still on the netns device list (crash net)")
    s.check(f"{A} race: crash reads the victim's real_num_tx_queues, reg_state, state as observed; "
            "unlisted", dev_state)

    def vport_unlinked():
        true(victim["vport_address"], "manifest: no vport address observed")
        f = facts()
        txt = f["vport"]
        dev = re.search(r"dev = (0x[0-9a-f]+)", txt)
        true(dev and int(dev.group(1), 16) == vaddr, f"vport's dev is not the victim: {txt.strip()}")
        eq(int(re.search(r"port_no = (\d+)", txt).group(1)), victim["port_no"], "vport's port_no")
        pprev = re.search(r"pprev = (0x[0-9a-f]+)", txt)
        true(pprev, f"no dp_hash_node.pprev: {txt.strip()}")
        unlinked = int(pprev.group(1), 16) == LIST_POISON2
        vj = js(r["vport -j"])
        listed = [v for v in vj["vports"] if int(v["netdev"]["address"], 16) == vaddr]
        if victim["notify_work_done"] or victim.get("vport_linked") is False:
            # observed detached: unlinked in the dump
            true(unlinked, f"vport's dp_hash_node.pprev is not LIST_POISON2 (hlist_del_rcu): {txt.strip()}")
        # crash's own walk of every bucket of the datapath's port hash:
        # the base ports, plus the victim's exactly when its node is not
        # poisoned (where the notify work never returned, the dump may
        # hold either: the manifest did not observe it)
        want = sorted(p["port_no"] for p in m["race"]["base_ports"]) + ([] if unlinked else [victim["port_no"]])
        eq(sorted(p for p, _ in f["hash_vports"]), sorted(want), "ports crash finds in the datapath's hash")
        eq(any(d == vaddr for _, d in f["hash_vports"]), not unlinked,
           "crash's hash walk reaches the victim's vport")
        eq(bool(listed), not unlinked, "vport -j lists the victim's vport as crash's hash walk does")
    s.check(f"{A} race: the victim's vport is unlinked as observed, or, where the notify work never "
            "returned, linked exactly as crash's walk of the datapath's port hash finds it", vport_unlinked)

    def module_build_id():
        # the build-id note of the module in the dump, read through
        # struct module's sysfs notes, against the rebuilt debug file
        want = subprocess.run(["readelf", "-n", os.path.realpath(fx["ovsdebug"])], capture_output=True,
                              text=True).stdout
        want = re.search(r"Build ID: ([0-9a-f]+)", want).group(1)
        eq(want, m["ovs_module"]["build_id"], "rebuilt module's build-id (readelf)")
        found = [b[16:16 + int.from_bytes(b[4:8], "little")].hex() for b in facts()["notes"]
                 if b[12:16] == b"GNU\0" and b[8:12] == b"\x03\0\0\0"]	# NT_GNU_BUILD_ID
        eq(found, [want], "build-id note of openvswitch in the dump")
    s.check(f"{A} race: the openvswitch module in the dump carries the rebuilt module's build-id "
            "(crash reads its note)", module_build_id)

    s.check(f"{A} race: picktx decodes the spin on the victim, hash 0 qcount 0",
            lambda: picktx_victim(r, m, vaddr))

    def triage():
        # the issue's expectations for the real race: the vport is gone,
        # the device is not running and has no carrier, both fixes absent
        d = js(r["triage -j"])
        eq(d["verdict"], m["expected"]["verdict_kind"], "verdict")
        eq(d["signature"], m["expected"]["verdict"], "signature")
        ev = [e["text"] for e in d["evidence"]]
        true(all(e["command"] for e in d["evidence"]), "evidence without a crash command")
        true(any(victim["name"] in t for t in ev), "victim not named in evidence")
        true(any("NETREG_UNREGISTERING" in t for t in ev), "reg_state NETREG_UNREGISTERING not in evidence")
        eq(sorted(f["commit"] for f in d["fixes"]), sorted(m["expected"]["fixes_absent"]), "fixes listed")
        fj = {f["commit"]: f for f in d.get("fixes_judged", [])}
        for c in m["expected"]["fixes_absent"]:
            true(c in fj, f"fixes_judged lacks {c}")
            eq((fj[c]["would_stop"], fj[c]["present"]), (True, False), f"fixes_judged {c}")
        if stock:	# the issue: on stock 5.10, both fixes absent and no caveat
            eq(d["fixes_in_kernel"]["carrier_check_066b86787fa3"], False, "carrier check in the stock module")
            eq(d["fixes_in_kernel"]["running_check_47e55e4b410f"], False, "running check in the stock module")
            eq(d.get("caveats"), [], "caveats")
            true("CAVEAT" not in r["triage"], "text triage has a caveat")
    s.check(f"{A} race: triage says OVS_PICKTX_LOCKUP, names the victim and NETREG_UNREGISTERING, "
            "judges both fixes absent and stopping it" + (", no caveat" if stock else ""), triage)


def qemu_dump_checks(s, r, m):
    """The induced lockup dumped by QEMU (dump-guest-memory), no kdump:
    no CPU notes, so crash cannot unwind; triage decodes from the
    exception frames bt -E finds and the kernel log's call trace, and
    says which source each part came from."""
    A = label(m)
    vaddr = int(m["victim"]["address"], 16)

    def no_unwind():
        eq(m["dump_method"], "qemu-dump-guest-memory", "manifest: dump method")
        eq(m["vmcore_dmesg"], None, "manifest: no vmcore-dmesg (no capture kernel ran)")
        # crash's own words: the dump has no usable per-CPU register notes
        true("cannot find NT_PRSTATUS note" in r["__stderr__"] + r["__all__"],
             "crash did not report missing NT_PRSTATUS notes")
        true(not re.search(r"^\s*#\d+ \[", r["bt"], re.M), f"crash bt unwound: {r['bt'][:300]}")
    s.check(f"{A} qemu-dump: QEMU's dump has no CPU notes and crash's bt cannot unwind", no_unwind)

    def picktx():
        picktx_victim(r, m, vaddr)
        sp = [x for x in js(r["picktx -j"])["spins"] if x["panic_cpu"]]
        eq(sp[0]["source"], "exception frame (bt -E)", "spin source")
        # the frame address is one crash's own bt -E prints
        true(sp[0]["frame"][2:] in r["bt -E"], "frame not among crash's bt -E frames")
    s.check(f"{A} qemu-dump: picktx decodes the spin from the exception frame bt -E finds", picktx)

    def triage():
        d = js(r["triage -j"])
        eq(d["verdict"], m["expected"]["verdict_kind"], "verdict")
        eq(d["signature"], m["expected"]["verdict"], "signature")
        tp = d["transmit_path"]
        eq((tp["ovs"], tp["source"], tp["command"]), (True, "log call trace", "log"), "transmit path source")
        cmds = {e["command"] for e in d["evidence"]}
        true({"bt -E", "log"} <= cmds, f"evidence commands {sorted(cmds)}")
        eq(d["spin"]["source"], "exception frame (bt -E)", "spin source in triage")
        true("(log call trace" in r["triage"], "text triage does not say the path came from the log")
    s.check(f"{A} qemu-dump: triage names the bug from bt -E and the log, and says so", triage)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", action="append", required=True,
                    help="ARCH:FIXTURE_SET_DIR:CRASH:EXTENSION (repeatable)")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    s = Suite()
    top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    tmp = tempfile.mkdtemp(prefix="ovscrash-it-")
    signatures = {}	# (scenario, arch) -> panic bucket, for bucket_checks
    timings = {}	# debuginfo_search_checks: indexing and bounded waits, seconds
    # hermetic: a user's DEBUGINFOD_URLS (Debian's profile.d sets one) would
    # make every search that finds nothing locally ask that server
    os.environ.pop("DEBUGINFOD_URLS", None)
    only = os.environ.get("OVSCRASH_CHECK_SCENARIOS", "").split()	# run.sh: a subset
    try:
        for spec in a.set:
            arch, fixtures, crash, ext = spec.split(":")
            for scen in ("lockup", "healthy", "hostile", "noovs", "victim-hostile", "mirred",
                         "softlockup-other", "oops-null", "hungtask", "race", "qemu-dump"):
                d = os.path.join(fixtures, scen)
                if not os.path.isdir(d) or (only and scen not in only):
                    continue
                m = json.load(open(os.path.join(d, "manifest.json")))
                eq(m["arch"], arch, "fixture arch")
                fx = {"vmlinux": os.path.join(d, "vmlinux"), "vmcore": os.path.join(d, "vmcore"),
                      "ovsdebug": os.path.join(d, "openvswitch.ko.debug"), "ext": ext}
                # veth.ko's debuginfo where an unpacked -dbg tree has it
                env = dict(os.environ, OVSCRASH_DEBUG_PATH=veth_debug_dir(fx))
                r = run_crash(crash, fx["vmlinux"], fx["vmcore"], TRIAGE_CMDS, ext=ext, env=env)
                with open(os.path.join(a.out, f"{arch}-{scen}.session.txt"), "w") as f:
                    f.write(r["__all__"])
                print(f"# {arch} {scen}: crash session with {len(TRIAGE_CMDS)} commands "
                      f"took {r['__elapsed__']:.1f}s")
                common_checks(s, r, m, scen)
                peer_checks(s, r, m, crash, fx, scen)
                if scen in ("lockup", "race"):
                    tenant_checks(s, r, m, scen)
                if scen == "lockup":
                    lockup_checks(s, r, m, crash, fx)
                    # the search and packaging mechanics, once per arch: on
                    # the host's own kernel line (Debian's crash 8.0.2
                    # cannot open 6.12 dumps at all)
                    if bookworm(m):
                        bad_input_checks(s, crash, ext, fx, tmp, arch)
                        peer_debuginfo_checks(s, crash, ext, fx, m, tmp, arch)
                    # the long checks of the search, budget and module
                    # mechanics (minutes each): the ASan suite skips them
                    # (OVSCRASH_CHECK_SLOW=0), the unit tests under ASan
                    # and valgrind cover their parsers
                    slow = os.environ.get("OVSCRASH_CHECK_SLOW", "1") != "0"
                    if bookworm(m) and slow:
                        budget_checks(s, crash, ext, fx, m, arch)
                    if bookworm(m) and arch == "amd64" and slow:
                        ctrl_c_checks(s, crash, ext, fx, m, arch)
                        debuginfo_search_checks(s, crash, ext, fx, m, tmp, arch, timings)
                        module_file_checks(s, crash, ext, fx, m, tmp, arch, timings)
                    # (the ASan suite skips it: it builds and loads the
                    # plain extension, not the one under test)
                    if bookworm(m) and arch == "amd64" and \
                            os.environ.get("OVSCRASH_CHECK_PACKAGING", "1") != "0":
                        packaging_checks(s, crash, fx, top, tmp)
                elif scen == "hostile":
                    hostile_checks(s, r, m)
                elif scen == "noovs":
                    noovs_checks(s, r, m)
                elif scen == "victim-hostile":
                    victim_hostile_checks(s, r, m, crash, fx)
                elif scen == "mirred":
                    mirred_checks(s, r, m, crash, fx)
                elif scen == "race":
                    race_checks(s, r, m, crash, fx)
                elif scen == "qemu-dump":
                    qemu_dump_checks(s, r, m)
                elif scen in ("softlockup-other", "oops-null", "hungtask"):
                    other_panic_checks(s, r, m, crash, fx, scen, signatures)
                else:
                    healthy_checks(s, r, m)
        if signatures:
            bucket_checks(s, signatures)
        for k, v in timings.items():
            print(f"# {k}: {v:.1f}s")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return s.summary("integration")


if __name__ == "__main__":
    sys.exit(main())

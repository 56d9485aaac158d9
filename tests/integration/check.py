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
import subprocess
import sys
import tempfile
import time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from suite import Suite  # noqa: E402

MARK_BASE = 0x5e5e0000


def run_crash(crash, vmlinux, vmcore, cmds, ext=None, env=None, timeout=300):
    """One crash session; returns {command: output} using echo markers."""
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
        p = subprocess.run([crash, "-s", vmlinux, vmcore, "-i", script],
                           stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout,
                           env=env)
        elapsed = time.time() - t0
    finally:
        os.unlink(script)
    text = p.stdout.decode("utf-8", "replace")
    res = {"__all__": text, "__stderr__": p.stderr.decode("utf-8", "replace"),
           "__elapsed__": elapsed}
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


def eq(a, b, what):
    if a != b:
        raise AssertionError(f"{what}: got {a!r}, expected {b!r}")


def true(c, what):
    if not c:
        raise AssertionError(what)


TRIAGE_CMDS = ["ovscrash -j", "netdev -j", "netdev -a -j", "netdev -N p1 -j", "vport -j",
               "picktx -j", "triage -j", "ovsmod -j", "ovscrash", "netdev", "vport",
               "picktx", "triage", "help triage", "help netdev", "bt", "bt -E", "sys",
               "dis -lx netdev_pick_tx", "dis do_output", "log"]


def lockup_checks(s, r, m, crash, fx):
    A = m["arch"]
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
        if A == "arm64":
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
        if A == "arm64":	# sub wH, wH, wQ
            mm = re.search(r"sub\s+w(\d+),\s*w(\d+),\s*w(\d+)", line[0])
            true(mm and mm.group(1) == mm.group(2), f"not a sub hash,hash,qcount at +0x{off:x}: {line[0]}")
            h, q = "x" + mm.group(1), "x" + mm.group(3)
        else:			# AT&T: sub %qcount,%hash
            mm = re.search(r"sub\s+%(\w+),%(\w+)", line[0])
            true(mm, f"not a sub at +0x{off:x}: {line[0]}")
            q, h = "r" + mm.group(1)[1:], "r" + mm.group(2)[1:]
        eq(sp["hash"]["register"], h, "hash register vs dis")
        eq(sp["qcount"]["register"], q, "qcount register vs dis")
        # and the values: crash's bt -E frame of that CPU
        frames = r["bt -E"].split("KERNEL-MODE EXCEPTION FRAME AT: ")
        fr = [f for f in frames if f.startswith(sp["frame"][2:])]
        true(fr, "frame address not in crash's bt -E")
        regs = dict((k.lower(), int(v, 16)) for k, v in re.findall(r"(?<![A-Z_])([A-Z0-9]+): ([0-9a-f]{8,16})", fr[0]))
        eq(regs[sp["hash"]["register"]], sp["hash"]["value"], "hash value vs bt -E")
        eq(regs[sp["qcount"]["register"]], sp["qcount"]["value"], "qcount value vs bt -E")
        true(sp["pc_symbol"].startswith("netdev_pick_tx+0x"), "pc symbol")
        # the offset printed is the oops's (kallsyms) one: the soft-lockup
        # report of the panicking CPU in the dump's log says where it was
        oops = re.findall(r"(?:pc : |RIP: 0010:)netdev_pick_tx\+0x([0-9a-f]+)/", r["log"])
        true(oops, "no netdev_pick_tx oops line in the log")
        eq(sp["pc_offset"], int(oops[0], 16), "pc offset vs the oops")
        # gdb/DWARF offsets skip arm64's two ftrace patchable NOPs (8 bytes)
        eq(sp["pc_offset"] - sp["pc_offset_gdb"], 8 if A == "arm64" else 0, "gdb offset delta")
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
        # Debian's 6.1.192 carries both fixes (docs/fixtures.md): the lockup is induced
        eq(d["fixes_in_kernel"]["carrier_check_066b86787fa3"], True, "carrier check detected")
        eq(d["fixes_in_kernel"]["running_check_47e55e4b410f"], True, "running check detected")
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
    A = m["arch"]
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
    A = m["arch"]
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
    A = m["arch"]
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
        eq(names, sorted(["lo", "lo", "lo"] + list(m["devices"])), "devices still listed")
        true(all(x["rx_handler"] is None for x in nd["devices"]), "an rx handler without OVS")
        true("PANIC:" in r["sys"], "crash did not carry on")
    s.check(f"{A} noovs: a kernel without OVS loaded gives one-line reasons, the rest carries on",
            no_ovs)


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


def packaging_checks(s, crash, fx, top, tmp):
    def install():
        dest = os.path.join(tmp, "destdir")
        subprocess.run(["make", "-s", "-C", top, "install", f"DESTDIR={dest}"], check=True,
                       capture_output=True)
        extdir = os.path.join(dest, "usr/lib64/crash/extensions")
        true(os.path.exists(os.path.join(extdir, "ovscrash.so")), "not installed")
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", action="append", required=True,
                    help="ARCH:FIXTURE_SET_DIR:CRASH:EXTENSION (repeatable)")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    s = Suite()
    top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    tmp = tempfile.mkdtemp(prefix="ovscrash-it-")
    try:
        for spec in a.set:
            arch, fixtures, crash, ext = spec.split(":")
            for scen in ("lockup", "healthy", "hostile", "noovs"):
                d = os.path.join(fixtures, scen)
                if not os.path.isdir(d):
                    continue
                m = json.load(open(os.path.join(d, "manifest.json")))
                eq(m["arch"], arch, "fixture arch")
                fx = {"vmlinux": os.path.join(d, "vmlinux"), "vmcore": os.path.join(d, "vmcore"),
                      "ovsdebug": os.path.join(d, "openvswitch.ko.debug"), "ext": ext}
                r = run_crash(crash, fx["vmlinux"], fx["vmcore"], TRIAGE_CMDS, ext=ext)
                with open(os.path.join(a.out, f"{arch}-{scen}.session.txt"), "w") as f:
                    f.write(r["__all__"])
                print(f"# {arch} {scen}: crash session with {len(TRIAGE_CMDS)} commands "
                      f"took {r['__elapsed__']:.1f}s")
                common_checks(s, r, m, scen)
                if scen == "lockup":
                    lockup_checks(s, r, m, crash, fx)
                    bad_input_checks(s, crash, ext, fx, tmp, arch)
                    if arch == "amd64":
                        packaging_checks(s, crash, fx, top, tmp)
                elif scen == "hostile":
                    hostile_checks(s, r, m)
                elif scen == "noovs":
                    noovs_checks(s, r, m)
                else:
                    healthy_checks(s, r, m)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return s.summary("integration")


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Checks of the task/cgroup index (extension/tasks.c) on real vmcores.

What ovscrash's hidden `ovstasks` command reports is compared with:
  - crash's own `ps -G` (the thread group leaders, their pids, task
    addresses and comms) and gdb's reading, in crash, of
    task->nsproxy->net_ns and its ns.inum (`p` of the expression);
  - the fixture manifest: "netns" (name -> inode: the flood runs in A),
    "race" (the torn-down peer namespace) and, on fixture sets built with
    the tenants, "tenancy" (each task's pid, comm, cgroup v2 path and v1
    name=systemd path; the namespaces held only by a mount or a socket).
Never against earlier ovscrash output.
"""
import argparse
import json
import os
import re
import shutil
import struct
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
from suite import Suite, eq, fixture_label, true  # noqa: E402
from check import js, run_crash  # noqa: E402
sys.path.insert(0, os.path.join(HERE, "..", "damage"))
import kdump2elf  # noqa: E402
from mkdamaged import file_offset, pt_loads  # noqa: E402

# a ps -G line: [>] PID PPID CPU TASK ST %MEM VSZ RSS COMM (the comm may
# hold any byte, a newline included: it runs to the end of the line and
# crash prints a comm's newline as is)
PS_RE = re.compile(r"^[> ]\s*(\d+)\s+\d+\s+\d+\s+([0-9a-f]+)\s+[A-Z]{2}\s+[\d.]+\s+\d+\s+\d+\s+(.*)$")

SESSION = ["ovstasks -B 5 -j", "ovstasks -j", "ps -G", "ovstasks", "ovstasks -s -j"]


def escape_like_docs(raw):
    """core/strutil's oc_escape_text of a byte string (docs/commands.md):
    printable ASCII but quotes and backslash as is, the rest \\xNN."""
    out = []
    for b in raw:
        if b == 0x5c:
            out.append("\\\\")
        elif 0x20 <= b <= 0x7e and b not in (0x22, 0x27):
            out.append(chr(b))
        else:
            out.append(f"\\x{b:02x}")
    return "".join(out)


def ps_leaders(text):
    """[(pid, task, comm bytes)] of crash's ps -G output; a comm's
    newline continues it on the next line (crash prints it as is)."""
    rows = []
    lines = text.split("\n")
    for i, ln in enumerate(lines):
        mt = PS_RE.match(ln)
        if not mt:
            continue
        comm = mt.group(3)
        # a comm ending in a newline: the next line is empty
        if i + 1 < len(lines) and lines[i + 1] == "" and i + 2 < len(lines) \
                and PS_RE.match(lines[i + 2]):
            comm += "\n"
        rows.append((int(mt.group(1)), int(mt.group(2), 16), comm.encode()))
    return rows


def by_inode(doc):
    return {n["inode"]: n for n in doc["netns"]}


def gdb_chain(crash, fx, ext, tasks):
    """{task: (net, inum)} as crash's gdb reads task->nsproxy->net_ns."""
    cmds = []
    for t in tasks:
        cmds.append(f"p -x (unsigned long)((struct task_struct *){t:#x})->nsproxy->net_ns")
        cmds.append(f"p ((struct task_struct *){t:#x})->nsproxy->net_ns->ns.inum")
    r = run_crash(crash, fx["vmlinux"], fx["vmcore"], cmds, ext=ext)
    res = {}
    for t in tasks:
        a = re.search(r"= (0x[0-9a-f]+)", r.get(cmds[2 * len(res)], ""))
        b = re.search(r"= (\d+)", r.get(cmds[2 * len(res) + 1], ""))
        res[t] = (int(a.group(1), 16) if a else None, int(b.group(1)) if b else None)
    return res


def scenario_checks(s, A, scen, m, r, crash, fx, ext):
    doc = js(r["ovstasks -j"])
    nets = by_inode(doc)
    leaders = ps_leaders(r["ps -G"])
    T = f"{A} {scen}"

    def budget():
        d = js(r["ovstasks -B 5 -j"])
        true(d.get("error") and "walk stopped at task 5 of" in d["error"]
             and "node" in d["error"], f"budget error: {d.get('error')!r}")
        true("netns" not in d, "a stopped walk listed namespaces")
        # not kept half-built: the next command builds it whole
        true(doc.get("error") is None and doc["stats"]["indexed"] > 5,
             f"index after a stopped walk: {doc.get('stats')}")
    s.check(f"{T}: ovstasks -B 5 stops the task walk with its reason, the next command "
            f"builds the index whole", budget)

    def counts():
        live = [x for x in leaders if x[0] > 0]
        st = doc["stats"]
        eq(st["leaders"], len(live), "thread group leaders against ps -G (pid > 0)")
        eq(sum(n["total"] for n in doc["netns"]) + st["no_nsproxy"] + st["unreadable"],
           len(live), "tasks in namespaces + no nsproxy + unreadable against ps -G")
        eq(st["namespaces"], len(doc["netns"]), "namespaces")
        eq(js(r["ovstasks -s -j"])["stats"], st, "ovstasks -s stats")
    s.check(f"{T}: every thread group leader of crash's ps -G is in one namespace "
            f"(or counted as exiting)", counts)

    def flood():
        flood = sorted((p, t) for p, t, c in leaders if c == b"flood")
        true(flood, "crash's ps -G shows no flood task")
        inum = m["netns"]["A"]
        true(inum in nets, f"no namespace with inode {inum} (netns A) in ovstasks")
        got = sorted((t["pid"], int(t["task"], 16)) for t in nets[inum]["tasks"]
                     if t["comm"] == "flood")
        eq(got, flood, "flood tasks (pid, task) of netns A against ps -G")
        chain = gdb_chain(crash, fx, ext, [t for _, t in flood])
        for p, t in flood:
            eq(chain[t], (int(nets[inum]["net"], 16), inum),
               f"pid {p}: task->nsproxy->net_ns and its inode as crash's gdb reads them")
    s.check(f"{T}: the flood tasks are in netns A (crash's ps -G, gdb's "
            f"task->nsproxy->net_ns->ns.inum, the manifest's inode)", flood)

    def comm_escaped():
        # each listed comm is crash's ps comm, escaped
        seen = 0
        for n in doc["netns"]:
            for t in n["tasks"]:
                want = [c for p, _, c in leaders if p == t["pid"]]
                eq(len(want), 1, f"pid {t['pid']} in ps -G")
                c = want[0]
                # ps shows a kernel thread's comm in brackets
                if c[:1] == b"[" and c[-1:] == b"]" and t["comm"] == escape_like_docs(c[1:-1]):
                    c = c[1:-1]
                eq(t["comm"], escape_like_docs(c), f"pid {t['pid']} comm")
                seen += 1
        true(seen, "no task listed")
        true("\n  pid" in r["ovstasks"] and not re.search(r"[\x00-\x08\x0b-\x1f\x7f]",
                                                          r["ovstasks"]),
             "text output holds raw control bytes")
    s.check(f"{T}: comms are crash's ps comms, escaped (text and JSON)", comm_escaped)

    if scen == "race":
        def race():
            inum = m["race"]["peer_netns_inode"]
            true(inum not in nets, f"{m['race']['peer_netns']} ({inum}) listed with tasks: "
                 f"{nets.get(inum)}")
            # the walk did see namespaces: A's flood
            true(m["netns"]["A"] in nets, "netns A missing")
        s.check(f"{T}: the torn-down peer namespace {m['race']['peer_netns']} has no task",
                race)

    ten = m.get("tenancy")
    if not ten:
        s.skip(f"{T}: tenancy", "the manifest has no \"tenancy\" (fixture set built "
               "before the tenants)")
        return

    def tasks():
        true(ten["tasks"], "manifest lists no task")
        for mt in ten["tasks"]:
            if mt.get("stopped"):
                # killed before the panic (the race's pause task): in no
                # namespace (gone, or a zombie without nsproxy)
                listed = [n["inode"] for n in doc["netns"] for t in n["tasks"]
                          if t["pid"] == mt["pid"]]
                eq(listed, [], f"namespaces listing the stopped pid {mt['pid']}")
                print(f"# {T}: stopped pid {mt['pid']} in crash's ps -G: "
                      f"{any(p == mt['pid'] for p, _, _ in leaders)}")
                continue
            n = nets.get(mt["netns_inode"])
            true(n, f"pid {mt['pid']}: no namespace {mt['netns_inode']} in ovstasks")
            t = [x for x in n["tasks"] if x["pid"] == mt["pid"]]
            true(len(t) == 1 or n["total"] > len(n["tasks"]),
                 f"pid {mt['pid']} not in {mt['netns']}'s tasks")
            if not t:
                continue
            t = t[0]
            # the manifest's comm is $(cat /proc/PID/comm), which drops the
            # trailing newline `echo NAME >/proc/self/comm` leaves in it
            comm = t["comm"]
            if comm.endswith("\\x0a") and comm[:-4] == mt["comm"]:
                print(f"# note: pid {mt['pid']}'s comm is {comm!r} in the dump; "
                      f"the manifest's {mt['comm']!r} lost the newline")
                comm = comm[:-4]
            eq(comm, mt["comm"], f"pid {mt['pid']} comm")
            cg = {c["hierarchy"]: c["path"] for c in t["cgroups"]}
            eq(cg.get(""), mt["cgroup_v2"], f"pid {mt['pid']} cgroup v2 path")
            for h, path in mt.get("cgroup_v1", {}).items():
                eq(cg.get(h), path, f"pid {mt['pid']} cgroup v1 {h} path")
    s.check(f"{T}: each manifest task's namespace, pid, comm, cgroup v2 and v1 paths", tasks)

    def holders():
        checked = 0
        for name, ns in ten["netns"].items():
            if ns.get("holder") in ("mount", "mount-private", "socket"):
                true(ns["inode"] not in nets, f"{name} ({ns['holder']} only) has tasks: "
                     f"{nets.get(ns['inode'])}")
                checked += 1
            for k in ("mount_holder", "socket_holder"):
                h = ns.get(k)
                if not h:
                    continue
                n = nets.get(h["netns_inode"])
                true(n and (any(t["pid"] == h["pid"] for t in n["tasks"])
                            or n["total"] > len(n["tasks"])),
                     f"{k} pid {h['pid']} not in namespace {h['netns_inode']}")
        true(checked, "the manifest names no mount- or socket-held namespace")
    s.check(f"{T}: namespaces held only by a mount or a socket have no task; their "
            f"holders live where the manifest says", holders)

    def tenant():
        # the pod's container cgroup names the pod, the docker scope the container
        for mt in ten["tasks"]:
            if mt.get("stopped"):
                continue
            t = [x for x in nets[mt["netns_inode"]]["tasks"] if x["pid"] == mt["pid"]]
            if not t:
                continue
            v2 = [c for c in t[0]["cgroups"] if c["hierarchy"] == ""][0]
            mp = re.search(r"/pod([0-9a-f-]{36})(?:/|$)", mt["cgroup_v2"])
            md = re.search(r"/docker-([0-9a-f]{12})[0-9a-f]*\.scope$", mt["cgroup_v2"])
            if mp:
                true(v2["tenant"] and v2["tenant"].startswith(f"pod {mp.group(1)}"),
                     f"pid {mt['pid']} tenant {v2['tenant']!r}")
            elif md:
                eq(v2["tenant"], f"docker {md.group(1)}", f"pid {mt['pid']} tenant")
    s.check(f"{T}: the tenant named from the cgroup path (pod uid, docker id)", tenant)


def timing(stderr, cmd):
    mt = re.search(rf"^OVSCRASH_TIMING {cmd} wall_ms ([\d.]+) cpu_ms ([\d.]+)", stderr, re.M)
    return (float(mt.group(1)), float(mt.group(2))) if mt else None


def scale_checks(s, A, set_dir, crash, ext):
    d = os.path.join(set_dir + "-scale", "scale-10k")
    if not os.path.isdir(d):
        s.skip(f"{A} scale-10k: index cost", f"no scale set at {d}")
        return
    fx = {"vmlinux": os.path.join(d, "vmlinux"), "vmcore": os.path.join(d, "vmcore")}
    env = dict(os.environ, OVSCRASH_TIMING="1")
    # separate sessions: neither command finds the other's pages cached
    rt = run_crash(crash, fx["vmlinux"], fx["vmcore"], ["ovstasks -s -j"], ext=ext, env=env)
    rn = run_crash(crash, fx["vmlinux"], fx["vmcore"], ["netdev -j"], ext=ext, env=env)

    def cost():
        t, n = timing(rt["__stderr__"], "ovstasks"), timing(rn["__stderr__"], "netdev")
        true(t and n, "no OVSCRASH_TIMING line")
        st = js(rt["ovstasks -s -j"])["stats"]
        print(f"# {A} scale-10k: ovstasks -s wall_ms {t[0]:.1f} cpu_ms {t[1]:.1f} "
              f"({st['leaders']} leaders, {st['namespaces']} namespaces); "
              f"netdev wall_ms {n[0]:.1f} cpu_ms {n[1]:.1f}")
        true(st["indexed"] > 0, "nothing indexed")
        # "well under the netdev walk": a quarter of its CPU time at most
        true(t[1] < n[1] / 4, f"index cpu_ms {t[1]} not under a quarter of netdev's {n[1]}")
    s.check(f"{A} scale-10k: the task index costs under a quarter of the netdev walk", cost)


def gdb_value(out, what):
    mt = re.search(r"= (?:\([^)]*\) )?(0x[0-9a-f]+)", out)
    true(mt, f"crash's gdb: {what}: {out.strip()[:200]}")
    return int(mt.group(1), 16)


def damage_checks(s, A, d, m, crash, ext):
    """Patch an uncompressed ELF copy of the lockup dump where crash's gdb
    and vtop say, and check what ovstasks says of it:
      - a flood task's nsproxy -> a non-kernel address: the task is left
        out, counted unreadable, named in one warning line;
      - (tenancy sets) the kernfs_node of nginx's v2 cgroup made its own
        parent: the loop named, that path left out, the v1 path kept."""
    T = f"{A} damaged lockup"
    st = {}

    def setup():
        tmp = tempfile.mkdtemp(prefix="ovscrash-tasks-")
        try:
            elf = os.path.join(tmp, "vmcore.elf")
            kdump2elf.convert(os.path.join(d, "vmcore"), elf)
            vmlinux = os.path.join(d, "vmlinux")
            r0 = run_crash(crash, vmlinux, elf, ["ps -G"])
            flood = sorted((p, t) for p, t, c in ps_leaders(r0["ps -G"]) if c == b"flood")
            true(flood, "no flood task in crash's ps -G of the ELF copy")
            fpid, ftask = flood[0]
            ten = m.get("tenancy") or {}
            nginx = [t for t in ten.get("tasks", []) if t["comm"] == "nginx"]
            q = [f"p -x &((struct task_struct *){ftask:#x})->nsproxy",
                 f"p -x ((struct task_struct *){ftask:#x})->nsproxy"]
            if nginx:
                ntask = [t for p, t, _ in ps_leaders(r0["ps -G"]) if p == nginx[0]["pid"]][0]
                kn = f"((struct task_struct *){ntask:#x})->cgroups->dfl_cgrp->kn"
                q += [f"p -x {kn}", f"p -x &{kn}->parent"]
            r1 = run_crash(crash, vmlinux, elf, q)
            va = [gdb_value(r1.get(c, ""), c) for c in q]
            patches = [(va[0], va[1], 0xdead4ead00000000)]
            if nginx:
                patches.append((va[3], None, va[2]))	# kn->parent = kn
            r2 = run_crash(crash, vmlinux, elf, [f"vtop {v:#x}" for v, _, _ in patches])
            loads = pt_loads(elf)
            with open(elf, "r+b") as f:
                for v, old, new in patches:
                    mt = re.search(rf"^{v:x}\s+([0-9a-f]+)", r2.get(f"vtop {v:#x}", ""), re.M)
                    true(mt, f"vtop {v:#x}")
                    off = file_offset(loads, int(mt.group(1), 16), 8)
                    f.seek(off)
                    if old is not None:
                        eq(struct.unpack("<Q", f.read(8))[0], old, f"pristine bytes at {v:#x}")
                        f.seek(off)
                    f.write(struct.pack("<Q", new))
            cmds = ["ovstasks -j", "ovstasks", "sys"]
            r = run_crash(crash, vmlinux, elf, cmds, ext=ext)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

        st.update(r=r, ftask=ftask, fpid=fpid, flood=flood, nginx=nginx, va=va, cmds=cmds)
    s.check(f"{T}: the damaged copy made (crash's gdb and vtop on the ELF copy)", setup)
    if "r" not in st:
        return
    r, ftask, fpid, flood, nginx, va, cmds = (st[k] for k in ("r", "ftask", "fpid", "flood",
                                                               "nginx", "va", "cmds"))

    def nsproxy():
        true(all(c in r for c in cmds), f"session died: {r['__stderr__'][-300:]}")
        doc = js(r["ovstasks -j"])
        st = doc["stats"]
        eq(st["unreadable"], 1, "unreadable leaders")
        want = f"task {ftask:#x} pid {fpid}: nsproxy 0xdead4ead00000000 unreadable"
        eq(st["warning"], want, "warning")
        true(f"WARNING: {want}" in r["ovstasks"], "text has no WARNING line")
        pids = [t["pid"] for n in doc["netns"] for t in n["tasks"]]
        true(fpid not in pids, f"pid {fpid} listed")
        true([p for p, _ in flood[1:]] == [t["pid"] for n in doc["netns"] for t in n["tasks"]
                                           if t["comm"] == "flood"], "the other flood task")
        true("RELEASE" in r["sys"], "crash's sys after ovstasks")
    s.check(f"{T}: a task whose nsproxy is garbage is left out, counted and named", nsproxy)
    if not nginx:
        s.skip(f"{T}: kernfs parent loop", "the manifest has no tenancy (no cgroup tree)")
        return

    def loop():
        doc = js(r["ovstasks -j"])
        n = by_inode(doc)[nginx[0]["netns_inode"]]
        t = [x for x in n["tasks"] if x["pid"] == nginx[0]["pid"]][0]
        true(f"kernfs_node {va[2]:#x}: parent chain loops" in (n["error"] or ""),
             f"error {n['error']!r}")
        cg = {c["hierarchy"]: c["path"] for c in t["cgroups"]}
        true("" not in cg, f"v2 path from a looping chain: {cg.get('')!r}")
        eq(cg.get("name=systemd"), nginx[0]["cgroup_v1"]["name=systemd"], "v1 path kept")
    s.check(f"{T}: a kernfs_node that is its own parent: the loop named, the v2 path left "
            f"out, v1 kept", loop)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", action="append", required=True,
                    help="ARCH:FIXTURE_SET_DIR:CRASH:EXTENSION (repeatable)")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    s = Suite()
    for spec in a.set:
        arch, set_dir, crash, ext = spec.split(":")
        m = None
        if not os.path.isdir(os.path.join(set_dir, "lockup")):
            s.check(f"{arch} {set_dir}: the fixture set",
                    lambda: true(False, "no lockup scenario in it (set pruned or not built)"))
            continue
        for scen in ("lockup", "race"):
            d = os.path.join(set_dir, scen)
            if not os.path.isdir(d):
                continue
            m = json.load(open(os.path.join(d, "manifest.json")))
            eq(m["arch"], arch, "fixture arch")
            A = fixture_label(m)
            fx = {"vmlinux": os.path.join(d, "vmlinux"), "vmcore": os.path.join(d, "vmcore")}
            r = run_crash(crash, fx["vmlinux"], fx["vmcore"], SESSION, ext=ext)
            with open(os.path.join(a.out, f"{os.path.basename(set_dir)}-{scen}.txt"), "w") as f:
                f.write(r["__all__"])
            print(f"# {A} {scen}: session took {r['__elapsed__']:.1f}s")
            if not all(c in r for c in SESSION):
                s.check(f"{A} {scen}: crash session", lambda: true(False, r["__stderr__"][-500:]))
                continue
            scenario_checks(s, A, scen, m, r, crash, fx, ext)
        if m and arch == "amd64" and fixture_label(m) == "amd64" and \
                os.environ.get("OVSCRASH_TASKS_SLOW", "1") != "0":
            d = os.path.join(set_dir, "lockup")
            damage_checks(s, "amd64", d, json.load(open(os.path.join(d, "manifest.json"))),
                          crash, ext)
            scale_checks(s, fixture_label(m), set_dir, crash, ext)
    return s.summary("tasks")


if __name__ == "__main__":
    sys.exit(main())

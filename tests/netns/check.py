#!/usr/bin/env python3
"""The netns command and the namespace names in netdev, vport and triage
(issue 13), on the real fixture dumps of every set given.

Every expectation comes from the fixture's manifest.json (the namespaces
the guest named, and on sets built with the tenancy recipe their names,
tasks, cgroups and holders) or from crash's own commands in the same dump:
`list -H net_namespace_list` (the table), `mount -n PID` (the nsfs mounts
of a task's mount namespace), `struct net` (the reference count) -- never
from earlier ovscrash output.
"""
import argparse
import json
import os
import re
import sys
import time

import importlib.util
here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, ".."))
from suite import Suite, eq, fixture_label, true  # noqa: E402
# the integration suite's crash session runner (one session, output per command)
_spec = importlib.util.spec_from_file_location("integration_check",
                                               os.path.join(here, "..", "integration", "check.py"))
_it = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_it)
run_crash, js = _it.run_crash, _it.js

NETNS_DIRS = ("/run/netns/", "/var/run/netns/")
HOSTILE = "nope\x1b[31m\xff"	# typed at crash's prompt (UTF-8): escaped back


def short(path):
    """what the NAMES column shows of a name (ip netns's directory dropped)"""
    for d in NETNS_DIRS:
        if path.startswith(d) and len(path) > len(d):
            return path[len(d):]
    return path


def crash_nsfs_basenames(out):
    """the last components of crash's `mount` DIRNAMEs of type nsfs (crash
    joins a bind mount of a directory onto itself twice, /run/netns/netns/A:
    the last component is what it and ovscrash agree on)"""
    names = set()
    for line in out.splitlines():
        f = line.split()
        if len(f) >= 5 and re.fullmatch(r"[0-9a-f]{8,16}", f[0]) and f[2] == "nsfs":
            names.add(f[4].rstrip("/").rsplit("/", 1)[-1])
    return names


def refcount(out):
    """the counter crash's `struct net.ns.count` / `struct net.count` prints"""
    mm = re.search(r"counter = (-?\d+)", out or "")
    return int(mm.group(1)) if mm else None


def comm_of(escaped):
    """a task's comm as ovscrash escapes it, less the newline `echo NAME >
    /proc/PID/comm` (the guest's way of naming a task) leaves in it"""
    return re.sub(r"(\\x0a)+$", "", escaped)


def checks(s, arch, crash, ext, scen_dir, scen):
    m = json.load(open(os.path.join(scen_dir, "manifest.json")))
    A = f"{fixture_label(m)} {scen}"
    vmlinux, vmcore = os.path.join(scen_dir, "vmlinux"), os.path.join(scen_dir, "vmcore")
    ten = m.get("tenancy")
    holders = sorted({t[k]["pid"] for t in (ten or {}).get("netns", {}).values()
                      for k in ("mount_holder",) if k in t})
    cmds = ["netdev -j", "vport -j", "triage -j", "netns -j", "netns", "netdev", "vport",
            "help netns", "list -H net_namespace_list -o net.list", "mount -n 1",
            f"netns {HOSTILE}", f"netns -j {HOSTILE}"] + [f"mount -n {p}" for p in holders]
    r = run_crash(crash, vmlinux, vmcore, cmds, ext=ext)
    print(f"# {A}: crash session of {len(cmds)} commands took {r['__elapsed__']:.1f}s", flush=True)
    doc = {}

    def valid_json():
        for c in cmds:
            if "-j" in c.split() and HOSTILE not in c:
                doc[c] = js(r[c])
        d = js(r[f"netns -j {HOSTILE}"])
        eq(d["namespaces"], [], "rows for an unknown name")
        true(d["error"] and "\\x1b[31m\\xc3\\xbf" in d["error"],
             f"error does not name the escaped argument: {d['error']!r}")
        t = r[f"netns {HOSTILE}"]
        eq(len(t.strip().splitlines()), 1, f"one error line: {t!r}")
        true("\x1b" not in t and "\x1b" not in r[f"netns -j {HOSTILE}"], "raw ESC in the output")
        true("no network namespace with that address, inode or name" in t, f"text error {t!r}")
        true("netns" in r["help netns"] and "-B n[,s]" in r["help netns"], "help netns")
    s.check(f"{A}: netns/netdev/vport/triage -j are valid JSON; an unknown (hostile) name is one "
            "escaped error line", valid_json)
    if "netns -j" not in doc:
        return
    rows = doc["netns -j"]["namespaces"]
    by_inode = {x["inode"]: x for x in rows}
    named = [x for x in rows if x["names"]]
    # the second session, once the rows are known: crash's counts, and
    # each namespace asked for by address, inode, path and name
    count_cmds = [f"struct net.{mb} {x['address'][2:]}" for x in rows for mb in ("ns.count", "count")]
    want = {}
    for x in rows:
        for arg in (x["address"][2:], x["address"], str(x["inode"])):
            want[f"netns -j {arg}"] = x["address"]
    for x in named:
        for arg in (x["names"][0], short(x["names"][0])):
            want[f"netns -j {arg}"] = x["address"]
    # a kernel address that is no struct net: a net_device's
    not_net = f"netns -j {doc['netdev -j']['devices'][0]['address'][2:]}"
    cut = ["netns -j -B 1", "netns -j"]	# a cut table, then the next command's
    o = run_crash(crash, vmlinux, vmcore, count_cmds + cut + list(want) + [not_net], ext=ext)

    def table():
        crash_nets = sorted(int(x, 16) for x in
                            re.findall(r"^([0-9a-f]{8,16})$", r[cmds[8]], re.M))
        true(crash_nets, f"crash list: {r[cmds[8]]!r}")
        eq(sorted(int(x["address"], 16) for x in rows if x["listed"]), crash_nets,
           "listed rows = crash's list -H net_namespace_list")
        for x in rows:
            eq(x["dying"], not x["listed"] or x["count"] == 0, f"dying of {x['address']}")
            true(x["state"] == "listed" if not x["dying"] else x["state"].startswith("dying"),
                 f"state {x['state']!r}")
        for name, inode in m["netns"].items():
            true(inode in by_inode, f"netns {name} (inode {inode}) not a row")
        eq(doc["netns -j"]["truncated"], None, "table truncated")
    s.check(f"{A}: netns lists every namespace of crash's net_namespace_list with the manifest's "
            "inodes", table)

    def names():
        if ten:
            for name, t in ten["netns"].items():
                x = by_inode.get(t["inode"])
                true(x, f"{name} (inode {t['inode']}) not a row")
                eq(sorted(x["names"]), sorted(t["names"]), f"names of {name}")
                eq(x["names_total"], len(t["names"]), f"names_total of {name}")
            named = {t["inode"] for t in ten["netns"].values()}
        else:
            for name, inode in m["netns"].items():
                if name != "root":
                    true(f"/run/netns/{name}" in by_inode[inode]["names"],
                         f"/run/netns/{name} not among {by_inode[inode]['names']}")
            named = {i for n, i in m["netns"].items() if n != "root"}
        eq(by_inode[m["netns"]["root"]]["names"], [], "the root namespace's names")
        for x in rows:
            if x["inode"] not in named:
                eq(x["names"], [], f"names of the unnamed namespace {x['inode']}")
        # crash's own mount tables: every nsfs mount's last component
        ours = {n.rsplit("/", 1)[-1] for x in rows for n in x["names"]}
        theirs = set()
        for c in ["mount -n 1"] + [f"mount -n {p}" for p in holders]:
            true("nsfs" in r[c] or not ours, f"crash {c}: no nsfs mount: {r[c][:300]!r}")
            theirs |= crash_nsfs_basenames(r[c])
        eq(ours, theirs, "names = the nsfs mounts of crash's mount -n (pid 1, mount holders)")
    s.check(f"{A}: namespace names = the manifest's and crash's nsfs mounts (every mount "
            "namespace)", names)

    def counts():
        per = {}
        for d in doc["netdev -j"]["devices"]:
            if d["found_via"] == "netns" and d["listed"]:
                per[d["netns_inode"]] = per.get(d["netns_inode"], 0) + 1
        for x in rows:
            if x["listed"]:
                eq(x["devices"], per.get(x["inode"], 0), f"devices of {x['inode']} (netdev -j)")
        for x in rows:
            a = x["address"][2:]
            want = refcount(o.get(f"struct net.ns.count {a}"))
            if want is None:
                want = refcount(o.get(f"struct net.count {a}"))
            true(want is not None, f"crash reads no count of net {a}")
            eq(x["count"], want, f"count of {x['inode']} (crash struct)")
    s.check(f"{A}: device counts = netdev -j's, reference counts = crash's struct net",
            counts)

    def shown_everywhere():
        names_of = {x["inode"]: x["names"] for x in rows}
        for d in doc["netdev -j"]["devices"]:
            if d["netns_inode"] in names_of:
                eq(d["netns_names"], names_of[d["netns_inode"]], f"netdev {d['name']} netns_names")
        vp = doc["vport -j"]
        for dp in vp["datapaths"]:
            eq(dp["netns_names"], names_of[dp["netns_inode"]], f"datapath {dp['name']}")
        for v in vp["vports"]:
            if v["netdev"]:
                eq(v["netdev"]["netns_names"], names_of.get(v["netdev"]["netns_inode"]),
                   f"vport {v['port_no']}")
        tr = doc["triage -j"]
        for part in (tr.get("spin"), tr.get("vport")):
            nd = part and part.get("netdev")
            if nd:
                eq(nd["netns_names"], names_of.get(nd["netns_inode"]), "triage netdev netns_names")
        # text: the NAMES column of netns, NETNS_NAMES of netdev
        for x in rows:
            line = [l for l in r["netns"].splitlines() if l.startswith(x["address"][2:] + " ")]
            eq(len(line), 1, f"text row of {x['address']}")
            for n in x["names"]:
                true(short(n) in line[0], f"{short(n)} not in the text row {line[0]!r}")
            if not x["names"]:
                true(line[0].rstrip().endswith(" -"), f"unnamed row {line[0]!r}")
        true("NETNS_NAMES" in r["netdev"] and "NETNS_NAMES" in r["vport"], "text column headers")
        for d in doc["netdev -j"]["devices"]:
            if d["netns_names"]:
                line = [l for l in r["netdev"].splitlines() if l.startswith(d["address"][2:] + " ")]
                true(line and short(d["netns_names"][0]) in line[0], f"netdev text of {d['name']}")
    s.check(f"{A}: netdev, vport and triage show each namespace's names (JSON and text)",
            shown_everywhere)

    def select():
        for c, addr in want.items():
            d = js(o[c])
            eq([y["address"] for y in d["namespaces"]], [addr], c)
        d = js(o[not_net])
        eq(d["namespaces"], [], f"{not_net} (a net_device)")
        true("not a struct net" in (d["error"] or ""), f"error {d['error']!r}")
    s.check(f"{A}: netns ADDRESS | 0xADDRESS | INODE | PATH | NAME selects that namespace; "
            "a net_device's address is refused",
            select)

    def budget():
        d = js(o[cut[0]])
        t = d["truncated"]
        true(t and t["reason"] == "node budget of 1 spent", f"netns -B 1: truncated {t}")
        d = js(o[cut[1]])
        eq(d["truncated"], None, "the next netns (fresh budget)")
        eq([(x["address"], x["names"], x["devices"]) for x in d["namespaces"] if x["listed"]],
           [(x["address"], x["names"], x["devices"]) for x in rows if x["listed"]],
           "the table built again in full after a cut one")
    s.check(f"{A}: netns -B 1 says where it stopped; the next command builds the whole table "
            "again", budget)

    if not ten:
        s.skip(f"{A}: tasks, cgroups and holders of the tenants",
               "the manifest has no \"tenancy\" (fixture set of an older recipe)")
        return

    def tenants():
        live = {t["inode"] for t in ten["netns"].values()}
        for t in ten["tasks"]:
            if t["netns_inode"] not in live:
                # the race's pod: its task stopped, its namespace deleted
                # before the panic: no task of it may be claimed alive
                x = by_inode.get(t["netns_inode"])
                true(x is None or x["dying"], f"torn-down {t['netns']}: {x}")
                true(x is None or not any(y["pid"] == t["pid"] for y in x["tasks"] or []),
                     f"stopped task {t['pid']} listed")
                continue
            x = by_inode[t["netns_inode"]]
            got = [y for y in x["tasks"] if y["pid"] == t["pid"]]
            true(got or x["tasks_total"] > len(x["tasks"]),
                 f"pid {t['pid']} not among the tasks of {t['netns']}")
            if not got:
                continue
            y = got[0]
            eq(comm_of(y["comm"]), t["comm"], f"comm of pid {t['pid']}")
            cg = {c["hierarchy"]: c["path"] for c in y["cgroups"]}
            eq(cg.get(""), t["cgroup_v2"], f"cgroup v2 of pid {t['pid']}")
            for h, p in t.get("cgroup_v1", {}).items():
                eq(cg.get(h), p, f"cgroup v1 {h} of pid {t['pid']}")
            # the pod or container the path gives away, read here from the
            # manifest's path (Kubernetes' cgroupfs layout, a docker scope)
            k8s = re.search(r"/pod([0-9a-f-]{36})/([0-9a-f]{64})$", t["cgroup_v2"])
            dock = re.search(r"/docker-([0-9a-f]{64})\.scope$", t["cgroup_v2"])
            if k8s:
                eq(y["tenant"], f"pod {k8s.group(1)} container {k8s.group(2)[:12]}",
                   f"tenant of pid {t['pid']}")
            elif dock:
                eq(y["tenant"], f"docker {dock.group(1)[:12]}", f"tenant of pid {t['pid']}")
        for name, t in ten["netns"].items():
            x = by_inode[t["inode"]]
            if t["holder"] == "task":
                true(x["tasks_total"] and x["held_by"] is None, f"{name}: {x['held_by']!r}")
            elif t["holder"] in ("mount", "mount-private"):
                eq(x["tasks_total"], 0, f"tasks of {name}")
                eq(x["held_by"], f"no task: held by mount {t['names'][0]}", f"holder of {name}")
            elif t["holder"] == "socket":
                eq((x["tasks_total"], x["names"]), (0, []), f"tasks and names of {name}")
                true(re.fullmatch(r"no task, no name: held by \d+ other references? "
                                  r"\(sockets, devices\.\.\.\)", x["held_by"] or ""),
                     f"holder of {name}: {x['held_by']!r}")
                true(x["count"] >= 1, f"count of {name}")
    s.check(f"{A}: tenants: tasks (pid, comm), cgroup v2 and v1 paths, the pod or container "
            "they name, and what holds a namespace without a task (mount, socket)", tenants)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", action="append", required=True, help="ARCH:SET_DIR:CRASH:EXT")
    a = ap.parse_args()
    s = Suite()
    t0 = time.time()
    for spec in a.set:
        arch, set_dir, crash, ext = spec.split(":")
        for scen in ("lockup", "race"):
            d = os.path.join(set_dir, scen)
            if not os.path.isfile(os.path.join(d, "manifest.json")):
                continue
            checks(s, arch, crash, ext, d, scen)
    print(f"# netns suite: {time.time() - t0:.0f}s")
    return s.summary("netns")


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Damaged dumps made from a real one: the plan and the patched copies.

From a real fixture dump (kdump-compressed) this writes, once, into
OUT/<hash of the inputs>/:

  vmcore.elf   an uncompressed ELF copy (kdump2elf.py), which crash reads
               like the original;
  plan.json    what crash itself says about the pristine copy (device
               lists, the OVS vport table, ovs_net_id, the printk ring),
               and the damage to make from it: for every damaged dump the
               patches (kernel virtual address, physical address from
               crash's vtop, file offset from the ELF's PT_LOAD p_paddr
               mapping, the bytes that were there and the bytes written)
               and what a correct tool must still show.

A damaged copy is then written by materialize(): the pristine copy with
the patches applied, each one checked against the bytes it replaces.

Every address comes from crash's own commands on the pristine copy
(list, struct, p, rd, sym, vtop); nothing comes from ovscrash.
"""
import hashlib
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "integration"))
from check import run_crash  # noqa: E402
import kdump2elf  # noqa: E402

# Bump when the plan's content changes in a way the hash of this file's
# text would not show (it does show every code change).
PLAN_VERSION = 1
BUCKETS = 1024	# DP_VPORT_HASH_BUCKETS, net/openvswitch/datapath.h


class GenError(Exception):
    pass


def hx(v):
    return f"{v:#x}"


def session(crash, vmlinux, dump, cmds, what):
    r = run_crash(crash, vmlinux, dump, cmds, timeout=300)
    if os.environ.get("OVSCRASH_TEST_VERBOSE"):
        print(f"# mkdamaged: {what}: {len(cmds)} commands, {r['__elapsed__']:.1f}s", file=sys.stderr)
    missing = [c for c in cmds if c not in r]
    if missing:
        raise GenError(f"{what}: crash gave no output for {missing[:3]}; "
                       f"stderr: {r['__stderr__'].strip()[:300]}")
    for c in cmds:
        if re.search(r"^(crash|[a-z]+): (invalid|read error|cannot|no such)", r[c], re.M):
            raise GenError(f"{what}: crash> {c}: {r[c].strip()[:300]}")
    return r


def num(out, what):
    """The value of crash's `p/x EXPR` (or `p EXPR`)."""
    m = re.search(r"= (?:\([^)]*\) )?(-?(?:0x[0-9a-f]+|\d+))", out)
    if not m:
        raise GenError(f"{what}: no value in {out.strip()[:200]!r}")
    return int(m.group(1), 0)


def hexlines(out):
    return [int(x, 16) for x in re.findall(r"^([0-9a-f]{8,16})$", out, re.M)]


def structs_with(out, member):
    """[(address, value)] of crash's `list ... -s STRUCT.MEMBER` output."""
    res = []
    for m in re.finditer(r"^([0-9a-f]{8,16})\n\s+" + member + r" = (.*)$", out, re.M):
        res.append((int(m.group(1), 16), m.group(2)))
    return res


def cname(v):
    """A C string as crash prints it: "p1\\000\\000..." -> p1"""
    m = re.match(r'"((?:[^"\\]|\\.)*)"', v)
    return m.group(1).split("\\000")[0] if m else v


def pt_loads(path):
    """[(p_paddr, p_offset, p_filesz)] of an ELF64 core's PT_LOADs."""
    with open(path, "rb") as f:
        h = f.read(64)
        phoff, = struct.unpack_from("<Q", h, 32)
        phnum, = struct.unpack_from("<H", h, 56)
        f.seek(phoff)
        ph = f.read(56 * phnum)
    res = []
    for i in range(phnum):
        typ, _fl, off, _va, pa, fsz = struct.unpack_from("<IIQQQQ", ph, 56 * i)
        if typ == 1:
            res.append((pa, off, fsz))
    return res


def file_offset(loads, paddr, n):
    for pa, off, fsz in loads:
        if pa <= paddr and paddr + n <= pa + fsz:
            return off + paddr - pa
    raise GenError(f"physical {paddr:#x}+{n} is in no PT_LOAD of the ELF copy")


def q64(v):
    return struct.pack("<Q", v)


def page_chunks(addr, n):
    """[(address, length)] of addr..addr+n split at 4 KiB page boundaries
    (consecutive virtual pages need not be consecutive in the file)."""
    res = []
    while n > 0:
        k = min(n, 4096 - (addr & 0xfff))
        res.append((addr, k))
        addr += k
        n -= k
    return res


def inputs_hash(fixture_dir, m, extra):
    h = hashlib.sha256()
    for name in ("kdump2elf.py", "mkdamaged.py"):
        with open(os.path.join(here, name), "rb") as f:
            h.update(f.read())
    h.update(str(PLAN_VERSION).encode())
    with open(os.path.join(fixture_dir, "vmcore"), "rb") as f:
        for blk in iter(lambda: f.read(1 << 20), b""):
            h.update(blk)
    h.update(m["vmlinux_build_id"].encode())
    h.update(m["openvswitch_build_id"].encode())
    h.update(extra.encode())
    return h.hexdigest()[:12]


def survey(crash, vmlinux, elf, m):
    """What crash says about the pristine copy (two sessions: the second
    needs addresses the first read)."""
    mod = f"mod -s openvswitch {m['openvswitch_debug']}"
    offs = {
        "dev_list": "&((struct net_device *)0)->dev_list",
        "net_list": "&((struct net *)0)->list",
        "dev_base_head": "&((struct net *)0)->dev_base_head",
        "gen_len_off": "&((struct net_generic *)0)->s.len",
        "gen_ptr": "&((struct net_generic *)0)->ptr",
        "dp_list_node": "&((struct datapath *)0)->list_node",
        "vport_hash": "&((struct vport *)0)->dp_hash_node",
        "desc_size": "sizeof(struct prb_desc)",
    }
    gen = "((struct net_generic *)init_net.gen)"
    ovs_net = f"((struct ovs_net *){gen}->ptr[ovs_net_id])"
    vals = {
        "gen_len": f"{gen}->s.len",
        "ovs_net": f"{gen}->ptr[ovs_net_id]",
        "dps_head": f"&{ovs_net}->dps",
        "dp_first": f"{ovs_net}->dps.next",
        "ports": f"((struct datapath *)((char *){ovs_net}->dps.next - "
                 f"(unsigned long)&((struct datapath *)0)->list_node))->ports",
        "ovs_net_id": "ovs_net_id",
        "prb_count_bits": "prb->desc_ring.count_bits",
        "prb_descs": "prb->desc_ring.descs",
        "prb_data": "prb->text_data_ring.data",
        "page_offset": "page_offset_base",
    }
    nets_cmd = "list -H net_namespace_list -o net.list -s net.gen"
    c1 = [mod] + [f"p/x {e}" for e in list(offs.values()) + list(vals.values())] + [
        nets_cmd, "sym init_net", "sym ovs_net_id"]
    r = session(crash, vmlinux, elf, c1, "survey")
    f = {k: num(r[f"p/x {e}"], k) for k, e in list(offs.items()) + list(vals.items())}
    nets = structs_with(r[nets_cmd], "gen")
    f["nets"] = [a for a, _ in nets]
    f["gen"] = {hx(a): int(v.rstrip(","), 16) for a, v in nets}
    f["init_net"] = int(r["sym init_net"].split()[0], 16)
    f["ovs_net_id_addr"] = int(r["sym ovs_net_id"].split()[0], 16)
    if f["init_net"] not in f["nets"]:
        raise GenError(f"init_net {f['init_net']:#x} not on net_namespace_list")
    if f["dp_first"] == f["dps_head"]:
        raise GenError("no datapath in init_net")

    devcmd = {n: f"list -o net_device.dev_list -s net_device.name -H {n + f['dev_base_head']:#x}"
              for n in f["nets"]}
    dpcmd = f"list -H {f['dps_head']:#x} -o datapath.list_node"
    rdcmd = f"rd -64 {f['ports']:#x} {BUCKETS}"
    r = session(crash, vmlinux, elf, [mod] + list(devcmd.values()) + [dpcmd, rdcmd], "lists")
    f["devices"] = {hx(n): [(hx(a), cname(v)) for a, v in structs_with(r[c], "name")]
                    for n, c in devcmd.items()}
    f["dps"] = hexlines(r[dpcmd])
    if len(f["dps"]) != 1:
        raise GenError(f"expected one datapath in init_net, crash lists {f['dps']}")
    words = []
    for line in r[rdcmd].splitlines():
        mm = re.match(r"^([0-9a-f]+):\s+((?:[0-9a-f]{16}\s*)+)", line)
        if mm:
            words += [int(w, 16) for w in mm.group(2).split()]
    if len(words) != BUCKETS:
        raise GenError(f"rd of the vport buckets gave {len(words)} words")
    f["buckets"] = {b: w for b, w in enumerate(words) if w}
    return f


def survey_vports(crash, vmlinux, elf, m, f, extra):
    """The vport of each non-empty bucket (crash's list over the hlist),
    plus crash's output of the extra commands (vtop)."""
    mod = f"mod -s openvswitch {m['openvswitch_debug']}"
    chains = {b: f"list -o vport.dp_hash_node -s vport.port_no {first - f['vport_hash']:#x}"
              for b, first in f["buckets"].items()}
    r = session(crash, vmlinux, elf, [mod] + list(chains.values()) + extra, "vports")
    f["vports"] = {}	# port_no -> {addr, bucket, chain_len}
    for b, c in chains.items():
        found = structs_with(r[c], "port_no")
        for a, v in found:
            f["vports"][int(re.match(r"\d+", v).group(0))] = {"addr": a, "bucket": b,
                                                               "chain_len": len(found)}
    want = sorted(p["port_no"] for p in m["ports"])
    if sorted(f["vports"]) != want:
        raise GenError(f"crash finds ports {sorted(f['vports'])}, manifest {want}")
    return r


def plan_damage(f, m):
    """The damaged dumps: name, what, patches [(vaddr, new bytes, expected
    old value or None, what)], and what a correct tool still shows."""
    root = hx(f["init_net"])
    devs = f["devices"][root]
    dl = f["dev_list"]
    vh = f["vport_hash"]
    all_devs = sorted({a for n in f["devices"].values() for a, _ in n} | {m["victim"]["address"]})
    other_ns = sorted(a for n, lst in f["devices"].items() if n != root for a, _ in lst)
    names = {a: nm for lst in f["devices"].values() for a, nm in lst}
    byname = {nm: int(a, 16) for a, nm in devs}
    vp = {p: v["addr"] for p, v in f["vports"].items()}
    real_vports = sorted(hx(a) for a in vp.values())
    dp = f["dps"][0]
    # a kernel direct-map address 1 GiB beyond the dump's last page:
    # canonical, in the kernel's range, in no PT_LOAD (crash cannot read it)
    garbage = f["page_offset"] + f["mem_end"] + (1 << 30) + 0xead000
    victim_port = m["victim"]["port_no"]
    others = [p for p in sorted(vp) if p != victim_port]	# ports 0 and 1
    if len(others) < 2 or any(f["vports"][p]["chain_len"] != 1 for p in vp):
        raise GenError(f"vport buckets not one port each: {f['vports']}")
    p_a, p_b = others[0], others[1]
    b_b = f["vports"][p_b]["bucket"]
    base = {"devices_real": all_devs, "vports_real": real_vports, "dps_real": [hx(dp)],
            "verdict": m["expected"]["verdict"]}
    # the control: the copy as it is; every check but the reason must pass
    D = [{"name": "pristine", "meets": None, "what": "no damage (the ELF copy itself)",
          "patches": [], "reason_any": [], "devices_kept": all_devs, "vports_kept": real_vports}]

    # -- the net_device list of init_net: lo -> p1 -> dp0 -> head
    first, last = devs[0][0], devs[-1][0]
    D.append({"name": "netdev-cycle", "meets": "netdev",
              "what": f"init_net's device list: {names[last]}.dev_list.next -> "
                      f"{names[first]}.dev_list (a cycle that never returns to the head)",
              "patches": [(int(last, 16) + dl, q64(int(first, 16) + dl), f["init_net"] + f["dev_base_head"],
                           f"net_device {last} ({names[last]}).dev_list.next")],
              "reason_any": sorted({hx(int(a, 16) + k) for a, _ in devs for k in (0, dl)}),
              "devices_kept": [a for a, _ in devs] + other_ns})
    p1 = byname["p1"]
    nxt = int(devs[[a for a, _ in devs].index(hx(p1)) + 1][0], 16) + dl if hx(p1) != last else None
    D.append({"name": "netdev-garbage", "meets": "netdev",
              "what": f"init_net's device list: p1.dev_list.next -> {garbage:#x} "
                      f"(kernel direct-map address beyond the machine's memory)",
              "patches": [(p1 + dl, q64(garbage), nxt, f"net_device {p1:#x} (p1).dev_list.next")],
              "reason_any": [hx(garbage), hx(garbage - dl), hx(p1), hx(p1 + dl)],
              "devices_kept": [a for a, _ in devs[:[a for a, _ in devs].index(hx(p1)) + 1]] + other_ns})

    # a whole page of p1's net_device: every word the garbage pointer
    # (its name, counts, ops and list links all garbage)
    D.append({"name": "netdev-page", "meets": "netdev",
              "what": f"p1's net_device {p1:#x} to the end of its page: every word {garbage:#x}",
              "patches": [(p1, q64(garbage) * ((4096 - (p1 & 0xfff)) // 8), nxt,
                           f"net_device {p1:#x} (p1), to the end of its page")],
              "check_old_at": dl,
              "reason_any": [hx(garbage), hx(garbage - dl), hx(p1), hx(p1 + dl)],
              "devices_kept": [a for a, _ in devs[:[a for a, _ in devs].index(hx(p1))]] + other_ns})

    # -- the vport table of dp0: ports[] buckets and dp_hash_node chains
    bucket = f["ports"] + 8 * b_b
    kept = [hx(vp[p]) for p in vp if p != p_b]
    D.append({"name": "vport-garbage", "meets": "vport",
              "what": f"dp0 ports[{b_b}] (port {p_b}'s bucket) -> {garbage:#x}",
              "patches": [(bucket, q64(garbage), vp[p_b] + vh, f"datapath {dp:#x} ports[{b_b}].first")],
              "reason_any": [hx(garbage), hx(garbage - vh), hx(bucket), hx(f["ports"]), hx(dp)],
              "vports_kept": kept})
    D.append({"name": "vport-cycle", "meets": "vport",
              "what": f"vport {p_a}.dp_hash_node.next -> vport {p_b}'s node and back: "
                      f"a cycle of two across two buckets",
              "patches": [(vp[x] + vh, q64(vp[y] + vh), 0, f"vport {vp[x]:#x} (port {x}).dp_hash_node.next")
                          for x, y in ((p_a, p_b), (p_b, p_a))],
              "reason_any": [hx(vp[p] + k) for p in (p_a, p_b) for k in (0, vh)],
              "vports_kept": [hx(a) for a in vp.values()]})
    D.append({"name": "vport-selfnode", "meets": "vport",
              "what": f"vport {p_b}.dp_hash_node.next -> itself",
              "patches": [(vp[p_b] + vh, q64(vp[p_b] + vh), 0,
                           f"vport {vp[p_b]:#x} (port {p_b}).dp_hash_node.next")],
              "reason_any": [hx(vp[p_b]), hx(vp[p_b] + vh)],
              "vports_kept": [hx(a) for a in vp.values()]})
    D.append({"name": "vport-selfbucket", "meets": "vport",
              "what": f"dp0 ports[{b_b}].first -> &ports[{b_b}] (the bucket points at itself)",
              "patches": [(bucket, q64(bucket), vp[p_b] + vh, f"datapath {dp:#x} ports[{b_b}].first")],
              "reason_any": [hx(bucket), hx(bucket - vh), hx(f["ports"]), hx(dp)],
              "vports_kept": kept})

    # the page of ports[] that holds port p_b's bucket: every bucket in
    # it a garbage pointer (512 walks meeting garbage in one command)
    pg = bucket & ~0xfff
    D.append({"name": "vport-page", "meets": "vport",
              "what": f"dp0 ports[] page {pg:#x} (buckets {(pg - f['ports']) // 8}.."
                      f"{(pg - f['ports']) // 8 + 511}): every bucket {garbage:#x}",
              "patches": [(pg, q64(garbage) * 512, vp[p_b] + vh, f"datapath {dp:#x} ports[] page")],
              "check_old_at": bucket - pg,
              "reason_any": [hx(garbage), hx(garbage - vh), hx(f["ports"]), hx(dp)]
              + [hx(pg + 8 * i) for i in range(512)],
              "vports_kept": [hx(vp[p]) for p in vp
                              if not pg <= f["ports"] + 8 * f["vports"][p]["bucket"] < pg + 4096]})

    # -- how OVS finds its per-namespace state
    gen = f["gen"][root]
    D.append({"name": "netgen-len", "meets": "vport",
              "what": f"init_net's net_generic {gen:#x} len {f['gen_len']} -> 3 "
                      f"(below ovs_net_id {f['ovs_net_id']}; the kernel's net_generic() never reads len)",
              "patches": [(gen + f["gen_len_off"], struct.pack("<I", 3), f["gen_len"],
                           f"net_generic {gen:#x}.s.len")],
              "reason_any": [hx(gen), hx(f["init_net"])],
              "vports_kept": real_vports})
    bad_id = 0x7fff1234
    D.append({"name": "ovs-net-id", "meets": "vport",
              "what": f"ovs_net_id {f['ovs_net_id']} -> {bad_id:#x}",
              "patches": [(f["ovs_net_id_addr"], struct.pack("<I", bad_id), f["ovs_net_id"],
                           "ovs_net_id [openvswitch]")],
              "reason_any": ["ovs_net_id", hx(f["ovs_net_id_addr"]), hx(bad_id), str(bad_id)],
              "vports_kept": []})

    # -- the printk ring: every descriptor and the first text page garbage
    ndesc = 1 << f["prb_count_bits"]
    pat = bytes(range(0x80, 0x98)) * 1	# 24 bytes: state_var and both lpos garbage
    patches = []
    for a, n in page_chunks(f["prb_descs"], ndesc * f["desc_size"]):
        i = a - f["prb_descs"]
        patches.append((a, (pat * (n // len(pat) + 2))[i % len(pat):i % len(pat) + n], None,
                        f"prb descriptors +{i:#x}"))
    for a, n in page_chunks(f["prb_data"], 4096):
        patches.append((a, b"\xff" * n, None, f"printk text ring +{a - f['prb_data']:#x}"))
    D.append({"name": "printk", "meets": "log",
              "what": f"printk ring: {ndesc} descriptors at {f['prb_descs']:#x} and the first "
                      f"text page at {f['prb_data']:#x} overwritten with garbage",
              "patches": patches, "vports_kept": real_vports,
              # triage's panic message comes from the log: it must say the
              # log gave nothing, not print an empty panic as if read
              "reason_any": ["log", "printk", "prb", hx(f["prb_descs"]), hx(f["prb_data"])]})
    for d in D:
        for k, v in base.items():
            d.setdefault(k, v)
        d["verdict_kept"] = d["name"] not in ("ovs-net-id", "netgen-len")
    return D


def build(fixture_dir, crash, out_root):
    """Make (or find) OUT/<hash>/{vmcore.elf,plan.json}; return the plan."""
    m = json.load(open(os.path.join(fixture_dir, "manifest.json")))
    vmlinux = m["vmlinux"]
    key = inputs_hash(fixture_dir, m, crash)
    d = os.path.join(out_root, key)
    plan_path = os.path.join(d, "plan.json")
    if os.path.exists(plan_path):
        return json.load(open(plan_path))
    os.makedirs(out_root, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=f".{key}.", dir=out_root)
    try:
        elf = os.path.join(tmp, "vmcore.elf")
        kdump2elf.convert(os.path.join(fixture_dir, "vmcore"), elf)
        f = survey(crash, vmlinux, elf, m)
        # every address a patch may write, translated by crash's vtop in
        # the session that lists the vports
        ndesc_bytes = (1 << f["prb_count_bits"]) * f["desc_size"]
        cand = {f["gen"][hx(f["init_net"])] + f["gen_len_off"], f["ovs_net_id_addr"]}
        cand |= {a for a, _ in page_chunks(f["prb_data"], 4096)}
        cand |= {int(a, 16) + f["dev_list"] for lst in f["devices"].values() for a, _ in lst}
        cand |= {first for first in f["buckets"].values()}
        cand |= {f["ports"] + 8 * b for b in f["buckets"]}
        cand |= {(f["ports"] + 8 * b) & ~0xfff for b in f["buckets"]}
        cand |= {int(a, 16) for lst in f["devices"].values() for a, _ in lst}
        cand |= {a for a, _ in page_chunks(f["prb_descs"], ndesc_bytes)}
        vaddrs = sorted(cand)
        cmds = [f"vtop {v:#x}" for v in vaddrs]
        r = survey_vports(crash, vmlinux, elf, m, f, cmds)
        phys = {}
        for v, c in zip(vaddrs, cmds):
            mm = re.search(rf"^{v:x}\s+([0-9a-f]+)", r[c], re.M)
            if not mm:
                raise GenError(f"vtop {v:#x}: {r[c].strip()[:200]}")
            phys[v] = int(mm.group(1), 16)
        loads = pt_loads(elf)
        f["mem_end"] = max(pa + n for pa, _, n in loads)
        damages = plan_damage(f, m)
        with open(elf, "rb") as fe:
            for d_ in damages:
                out = []
                for v, new, old, what in d_["patches"]:
                    if v not in phys:
                        raise GenError(f"{d_['name']}: {what} at {v:#x} was not translated")
                    pa = phys[v]
                    if (pa & 0xfff) + len(new) > 4096:
                        raise GenError(f"patch at {v:#x} crosses a page")
                    off = file_offset(loads, pa, len(new))
                    fe.seek(off)
                    cur = fe.read(len(new))
                    if old is not None:
                        at = d_.get("check_old_at", 0)
                        got = int.from_bytes(cur[at:at + (8 if len(new) != 4 else 4)], "little")
                        if got != old:
                            raise GenError(f"{d_['name']}: {what} at {v:#x} (file {off:#x}) holds "
                                           f"{got:#x}, crash read {old:#x}")
                    out.append({"what": what, "vaddr": hx(v), "paddr": hx(pa), "offset": off,
                                "old": cur.hex(), "new": new.hex()})
                d_["patches"] = out
        plan = {"key": key, "fixture": fixture_dir, "vmlinux": vmlinux, "crash": crash,
                "elf": os.path.join(d, "vmcore.elf"), "facts": f, "damages": damages}
        with open(os.path.join(tmp, "plan.json"), "w") as fo:
            json.dump(plan, fo, indent=1, default=lambda o: hx(o) if isinstance(o, int) else str(o))
        os.rename(tmp, d)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    prune(out_root, key, fixture_dir)
    return json.load(open(plan_path))


def prune(out_root, key, fixture_dir):
    """Remove the copies an older generator (or crash) made of the same
    fixture: one 70 MiB copy per fixture stays in the cache."""
    for name in os.listdir(out_root):
        old = os.path.join(out_root, name, "plan.json")
        if name == key or not re.fullmatch(r"[0-9a-f]{12}", name) or not os.path.exists(old):
            continue
        try:
            same = json.load(open(old)).get("fixture") == fixture_dir
        except ValueError:
            same = False
        if same:
            shutil.rmtree(os.path.join(out_root, name), ignore_errors=True)


def materialize(plan, damage, path):
    """Write the pristine copy with damage's patches applied to path."""
    shutil.copyfile(plan["elf"], path)
    with open(path, "r+b") as f:
        for p in damage["patches"]:
            f.seek(p["offset"])
            if f.read(len(p["old"]) // 2).hex() != p["old"]:
                raise GenError(f"{path}: bytes at {p['offset']:#x} are not the pristine ones")
            f.seek(p["offset"])
            f.write(bytes.fromhex(p["new"]))


def main():
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("fixture_dir")
    ap.add_argument("crash")
    ap.add_argument("out_root")
    a = ap.parse_args()
    try:
        plan = build(a.fixture_dir, a.crash, a.out_root)
    except (GenError, kdump2elf.DumpError, OSError, subprocess.SubprocessError) as e:
        sys.exit(f"mkdamaged: {e}")
    for d in plan["damages"]:
        print(f"{d['name']}: {d['what']}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""ovscrash on damaged dumps made from a real one.

mkdamaged.py turns the amd64 lockup fixture into an ELF copy and a plan of
damage (device list cycles and garbage pointers, a damaged OVS vport
table, a garbage net_generic.len and ovs_net_id, a garbage printk ring).
Each damaged copy gets one crash session running every ovscrash command,
text and -j, then plain crash commands.  Further sessions: the pristine
dump with a vmlinux of another build of the same release, and with a
mismatched openvswitch.ko loaded by `mod -s` before ovscrash.

Expected everywhere: every command finishes (the session has a bound;
the command running when it ran out is named); the damage met is named
in a one-line reason carrying the damaged address; every -j output is
valid JSON and triage -j has a verdict; crash's next commands still work;
nothing is listed that is not in the dump and nothing claims "verified"
that was not.  What counts as damaged, real or kept comes from the plan
(what the generator patched, and crash's own view of the pristine copy)
and from the fixture's manifest -- never from ovscrash's output.
"""
import argparse
import concurrent.futures
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, ".."))
sys.path.insert(0, os.path.join(here, "..", "integration"))
from suite import Suite, eq, true  # noqa: E402
from check import readelf_build_id, run_crash, split_session  # noqa: E402
import mkdamaged  # noqa: E402

OVS_CMDS = ["netdev", "netdev -j", "netdev -a", "netdev -a -j", "vport", "vport -j",
            "ovsmod", "ovsmod -j", "picktx", "picktx -j", "triage", "triage -j"]
AFTER = ["sys", "p jiffies"]
MEETS = {"netdev": ["netdev -a", "netdev -a -j", "netdev", "netdev -j"],
         "vport": ["vport", "vport -j"],
         "log": ["triage", "triage -j"]}
# a claim that something was checked and held: "build-id match",
# "build-id-verified", "verified" (but not "unverified", "not verified")
CLAIM = re.compile(r"build-id match\b|(?<!un)(?<!not )verified", re.I)


def session(crash, vmlinux, dump, pre, ext, timeout):
    """One crash session: pre (e.g. mod -s), extend, OVS_CMDS, AFTER.
    Returns (outputs, timed_out, seconds)."""
    cmds = pre + [f"extend {ext}"] + OVS_CMDS + AFTER
    t0 = time.time()
    try:
        # line-buffered, so that a session killed at its bound still
        # shows which command it was in
        r = run_crash(crash, vmlinux, dump, cmds, timeout=timeout, prefix=("stdbuf", "-oL"))
        return cmds, r, False, time.time() - t0
    except subprocess.TimeoutExpired as e:
        r = split_session(e.stdout, cmds)
        r["__stderr__"] = (e.stderr or b"").decode("utf-8", "replace")
        return cmds, r, True, time.time() - t0


def strings(doc):
    """Every string value in a JSON document."""
    if isinstance(doc, str):
        yield doc
    elif isinstance(doc, dict):
        for v in doc.values():
            yield from strings(v)
    elif isinstance(doc, list):
        for v in doc:
            yield from strings(v)


def jdoc(out, cmd):
    """The one JSON document a -j command printed (with nothing but
    whitespace around it)."""
    true(out is not None, f"{cmd}: no output (crash did not get to it)")
    s = out.strip()
    try:
        return json.loads(s)
    except ValueError as e:
        raise AssertionError(f"{cmd}: not one JSON document ({e}): {s[:200]!r}")


def addr_in(token, text):
    """token (0x-hex address, or a word) in text, as a whole number."""
    if token.startswith("0x"):
        return re.search(rf"(?<![0-9a-fx]){token[2:]}(?![0-9a-f])", text.lower()) is not None
    return re.search(rf"\b{re.escape(token.lower())}\b", text.lower()) is not None


def reason_lines(out, tokens):
    """Lines of text output that name one of tokens and are not a row of
    a table (rows begin with the record's address)."""
    return [l for l in (out or "").splitlines()
            if any(addr_in(t, l) for t in tokens) and not re.match(r"^\s*[0-9a-f]{12,16}\s", l)]


def json_reasons(doc, tokens):
    """String values of a JSON document that name one of tokens and are
    more than the bare address (a device's "address" is no reason)."""
    return [s for s in strings(doc)
            if any(addr_in(t, s) for t in tokens) and not re.fullmatch(r"(0x)?[0-9a-f]+", s)]


def common_checks(s, name, m, cmds, r, timed_out, secs, timeout):
    """What holds on every damaged dump."""
    def bounded():
        missing = [c for c in cmds if c not in r]
        if timed_out:
            ran = [c for c in cmds if c in r]
            where = f"in `{ran[-1]}`" if ran else "before its first command (crash start-up)"
            raise AssertionError(f"session killed after {timeout}s, {where}; never reached {missing}")
        eq(missing, [], "commands crash never ran (it died?)")
    s.check(f"{name}: every command finishes within the session bound ({secs:.0f}s of {timeout}s)",
            bounded)

    def after():
        true("sys" in r and f"RELEASE: {m['kernel_release']}" in r["sys"],
             f"`sys` after ovscrash: {(r.get('sys') or '').strip()[:200]!r}")
        true("p jiffies" in r and re.search(r"jiffies = (\$\d+ = )?\d+", r["p jiffies"]),
             f"`p jiffies` after ovscrash: {(r.get('p jiffies') or '').strip()[:200]!r}")
    s.check(f"{name}: crash's next commands (sys, p jiffies) still work", after)

    def json_ok():
        for c in OVS_CMDS:
            if c.endswith(" -j"):
                jdoc(r.get(c), c)
        d = jdoc(r.get("triage -j"), "triage -j")
        true(isinstance(d.get("verdict"), str) and d["verdict"], f"triage -j verdict: {d.get('verdict')!r}")
        true(isinstance(d.get("signature"), str) and d["signature"],
             f"triage -j signature: {d.get('signature')!r}")
    s.check(f"{name}: every -j output is one valid JSON document, triage -j has a verdict", json_ok)


def damage_checks(s, d, m, r):
    name = d["name"]
    if d["reason_any"]:
        def reason():
            bad = []
            for c in MEETS[d["meets"]][:2]:
                out = r.get(c)
                if c.endswith(" -j"):
                    ok = out is not None and json_reasons(jdoc(out, c), d["reason_any"])
                else:
                    ok = reason_lines(out, d["reason_any"])
                if not ok:
                    bad.append(c)
            true(not bad, f"no one-line reason naming any of {d['reason_any'][:4]}"
                 f"{'...' if len(d['reason_any']) > 4 else ''} in: {', '.join(bad)}")
        s.check(f"{name}: {' and '.join(MEETS[d['meets']][:2])} name the damage "
                f"({', '.join(d['reason_any'][:2])}...)", reason)

    def nothing_invented():
        devs = [x["address"] for x in jdoc(r.get("netdev -j"), "netdev -j")["devices"]]
        extra = sorted(set(devs) - set(d["devices_real"]))
        eq(extra, [], "netdev lists devices that are not in the dump")
        eq(sorted({a for a in devs if devs.count(a) > 1}), [], "netdev lists a device twice")
        v = jdoc(r.get("vport -j"), "vport -j")
        dps = [x["address"] for x in v.get("datapaths", [])]
        eq(sorted(set(dps) - set(d["dps_real"])), [], "vport lists datapaths that are not in the dump")
        vps = [x["address"] for x in v.get("vports", [])]
        eq(sorted(set(vps) - set(d["vports_real"])), [], "vport lists vports that are not in the dump")
        eq(sorted({a for a in vps if vps.count(a) > 1}), [], "vport lists a vport twice")
        # the race window is a claim about a device's state: only the
        # victim's port (manifest) is in it; garbage read elsewhere is no race
        race = sorted({x.get("port_no") for x in v.get("vports", []) if x.get("race_window")})
        true(set(race) <= {m["victim"]["port_no"]},
             f"vport marks ports {race} in the race window; only port {m['victim']['port_no']} is")
    s.check(f"{name}: netdev and vport list only devices, datapaths and vports of the dump, "
            f"each once, and mark no other port's race window", nothing_invented)

    def kept():
        devs = {x["address"] for x in jdoc(r.get("netdev -j"), "netdev -j")["devices"]}
        eq(sorted(set(d.get("devices_kept", [])) - devs), [], "devices the damage does not hide, missing")
        vps = {x["address"] for x in jdoc(r.get("vport -j"), "vport -j").get("vports", [])}
        eq(sorted(set(d.get("vports_kept", [])) - vps), [], "vports the damage does not hide, missing")
        if d["verdict_kept"]:
            eq(jdoc(r.get("triage -j"), "triage -j")["signature"], d["verdict"],
               "verdict (the damage is off the lockup's evidence path)")
    s.check(f"{name}: what the damage does not touch is still listed"
            + (", and the verdict stands" if d["verdict_kept"] else ""), kept)


def fix_claim_checks(s, name, m, r, loaded_path):
    """With a module loaded before ovscrash that is not the dump's: no
    claim of a verified match for it, and no fix verdict read from it.
    ovscrash may replace it by a file that does match (the fixture's own
    openvswitch.ko.debug sits beside the vmlinux): a claim is then right
    only when it is about a file whose build-id, read by readelf, is the
    dump's module's (the manifest's)."""
    want = m["openvswitch_build_id"]

    def no_claim():
        for c in ("ovsmod", "triage"):
            hits = [l.strip() for l in (r.get(c) or "").splitlines()
                    if CLAIM.search(l) and loaded_path in l]
            eq(hits, [], f"{c} claims verification of {loaded_path}")
        for c in ("ovsmod -j", "triage -j"):
            hits = [x for x in strings(jdoc(r.get(c), c)) if CLAIM.search(x) and loaded_path in x]
            eq(hits, [], f"{c} claims verification of {loaded_path}")
        d = jdoc(r.get("ovsmod -j"), "ovsmod -j")
        if CLAIM.search(d.get("how") or ""):
            eq(readelf_build_id(d["path"]), want,
               f"ovsmod claims {d['how']!r} for {d['path']}: readelf's build-id")
        claims = [x for x in strings(jdoc(r.get("triage -j"), "triage -j")) if CLAIM.search(x)]
        for x in claims:
            true(want in x, f"triage claims verification without the dump's build-id {want}: {x}")
    s.check(f"{name}: no build-id match / verified claim for the mismatched module", no_claim)

    def names_file():
        true(any(loaded_path in l for l in (r.get("ovsmod") or "").splitlines()),
             f"ovsmod does not name {loaded_path}")
        true(any(loaded_path in x for x in strings(jdoc(r.get("ovsmod -j"), "ovsmod -j"))),
             f"ovsmod -j does not name {loaded_path}")
    s.check(f"{name}: ovsmod names the loaded file", names_file)

    def fixes():
        k = jdoc(r.get("triage -j"), "triage -j").get("fixes_in_kernel") or {}
        want = m.get("fixes_in_module") or {}
        for key, commit in (("carrier_check_066b86787fa3", "066b86787fa3"),
                            ("running_check_47e55e4b410f", "47e55e4b410f")):
            got = k.get(key)
            true(got is None or got == want.get(commit),
                 f"{key}: {got} read from the mismatched module; the dump's module has it: "
                 f"{want.get(commit)}")
    s.check(f"{name}: the fix check is unknown or right, never read from the wrong module", fixes)


def flip_build_id(src, dst):
    """Copy an ELF module with the last byte of its NT_GNU_BUILD_ID
    flipped; returns (old, new) build-id hex."""
    data = bytearray(open(src, "rb").read())
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3a)
    stro = struct.unpack_from("<Q", data, shoff + shstrndx * shentsize + 0x18)[0]
    for i in range(shnum):
        sh = shoff + i * shentsize
        nm, typ = struct.unpack_from("<II", data, sh)
        off, size = struct.unpack_from("<QQ", data, sh + 0x18)
        sname = data[stro + nm:data.index(0, stro + nm)].decode()
        if typ == 7 and sname == ".note.gnu.build-id":
            namesz, descsz, ntype = struct.unpack_from("<III", data, off)
            desc = off + 12 + ((namesz + 3) & ~3)
            old = data[desc:desc + descsz].hex()
            data[desc + descsz - 1] ^= 0xff
            open(dst, "wb").write(data)
            return old, data[desc:desc + descsz].hex()
    raise RuntimeError(f"{src}: no .note.gnu.build-id")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fixture", required=True, help="the amd64 6.1 lockup fixture directory")
    ap.add_argument("--crash", required=True)
    ap.add_argument("--ext", required=True)
    ap.add_argument("--cache", required=True, help="where the ELF copy and plan are kept")
    ap.add_argument("--out", required=True)
    ap.add_argument("--other-vmlinux", help="vmlinux of another build of the same release")
    ap.add_argument("--other-ko", help="openvswitch.ko of another kernel (mod -s)")
    ap.add_argument("--timeout", type=int, default=int(os.environ.get("OVSCRASH_DAMAGE_TIMEOUT", 90)))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--only", help="run only the damage of this name")
    a = ap.parse_args()
    os.environ.pop("DEBUGINFOD_URLS", None)	# hermetic, as the integration suite
    s = Suite()
    m = json.load(open(os.path.join(a.fixture, "manifest.json")))
    os.makedirs(a.out, exist_ok=True)
    t0 = time.time()
    plan = mkdamaged.build(a.fixture, a.crash, a.cache)
    print(f"# plan {plan['key']}: {len(plan['damages'])} damaged dumps from {a.fixture} "
          f"({time.time() - t0:.0f}s)", flush=True)
    tmp = tempfile.mkdtemp(prefix="ovscrash-damage-")
    vmcore = os.path.join(a.fixture, "vmcore")

    def job(spec):
        """(name, pre, dump, vmlinux) -> session result; the damaged copy
        exists only while its session runs."""
        name, pre, dump, vmlinux, damage = spec
        path = dump
        if damage is not None:
            path = os.path.join(tmp, f"{name}.elf")
            mkdamaged.materialize(plan, damage, path)
        try:
            return spec, session(a.crash, vmlinux, path, pre, a.ext, a.timeout)
        finally:
            if damage is not None:
                os.unlink(path)

    specs = [(d["name"], [], None, plan["vmlinux"], d) for d in plan["damages"]]
    flipped = os.path.join(tmp, "openvswitch-flipped.ko")
    old_id, new_id = flip_build_id(m["openvswitch_debug"], flipped)
    specs.append(("mod-build-id", [f"mod -s openvswitch {flipped}"], vmcore, plan["vmlinux"], None))
    if a.other_ko:
        specs.append(("mod-other-kernel", [f"mod -s openvswitch {a.other_ko}"], vmcore,
                      plan["vmlinux"], None))
    if a.only:
        specs = [x for x in specs if x[0] == a.only]
    try:
        with concurrent.futures.ThreadPoolExecutor(a.jobs) as ex:
            for spec, (cmds, r, timed_out, secs) in ex.map(job, specs):
                name = spec[0]
                with open(os.path.join(a.out, f"damage-{name}.session.txt"), "w") as f:
                    f.write(r["__all__"])
                d = spec[4]
                print(f"# {name}: {d['what'] if d else spec[1][0]} ({secs:.1f}s)", flush=True)
                common_checks(s, name, m, cmds, r, timed_out, secs, a.timeout)
                if d is not None:
                    damage_checks(s, d, m, r)
                else:
                    path = spec[1][0].split()[-1]
                    fix_claim_checks(s, name, m, r, path)
        if a.other_vmlinux and not a.only:
            other_vmlinux_checks(s, a, m, vmcore)
        elif not a.only:
            s.skip("other-build vmlinux", "no vmlinux of another build (fetch-other-vmlinux.sh failed)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"# damage suite: {time.time() - t0:.0f}s", flush=True)
    return s.summary("damage")


def other_vmlinux_checks(s, a, m, vmcore):
    """crash given the vmlinux of another build of the same release: a
    clear refusal naming both files, in bounded time -- or, if it opens
    the dump, the common checks."""
    name = "other-build vmlinux"
    cmds, r, timed_out, secs = session(a.crash, a.other_vmlinux, vmcore, [], a.ext, a.timeout)
    with open(os.path.join(a.out, "damage-other-vmlinux.session.txt"), "w") as f:
        f.write(r["__all__"] + "\n--- stderr\n" + r.get("__stderr__", ""))
    print(f"# {name}: {a.other_vmlinux} ({secs:.1f}s)", flush=True)
    text = r["__all__"] + r.get("__stderr__", "")
    if "do not match" in text or not any(c in r for c in cmds):
        def refused():
            true(not timed_out, f"crash still running after {a.timeout}s")
            mm = [l for l in text.splitlines() if "do not match" in l]
            true(mm, f"no 'do not match' line: {text.strip()[-300:]!r}")
            true(os.path.basename(a.other_vmlinux) in mm[0] and os.path.basename(vmcore) in mm[0],
                 f"the refusal does not name both files: {mm[0]!r}")
        s.check(f"{name}: crash refuses it in one line naming both files ({secs:.0f}s)", refused)
    else:
        common_checks(s, name, m, cmds, r, timed_out, secs, a.timeout)


if __name__ == "__main__":
    sys.exit(main())

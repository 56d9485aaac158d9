#!/usr/bin/python3
"""Verdict checks of the package suite, against the fixtures' manifests.

  verdict.py crash OUTPUT MANIFEST EXT
      OUTPUT: what `extend ovscrash.so` + `triage -j` printed in crash;
      checks that crash loaded EXT (crash's own "EXT: shared object
      loaded" line) and that triage's verdict and signature are the
      manifest's expected verdict_kind and verdict.
  verdict.py report REPORT_JSON DUMPS_DIR
      REPORT_JSON: ovscrash-report --json over the batch's results of
      DUMPS_DIR/<name>/vmcore, each copied beside its manifest.json;
      checks every dump has a row whose verdict and signature are its
      manifest's, given by crash (status ok) running the installed crash
      and extension of the dump's arch (LIBEXEC/crash[-ARCH],
      LIBEXEC/extensions/ARCH/ovscrash.so; LIBEXEC /usr/lib/ovscrash).
Prints one line per check ("ok: ..." / "FAIL: ...") and exits 1 on any
failure."""
import json
import os
import sys

bad = 0
LIBEXEC = "/usr/lib/ovscrash"
HOST = {"aarch64": "arm64"}.get(os.uname().machine, os.uname().machine)


def check(cond, what):
    global bad
    print(("ok: " if cond else "FAIL: ") + what)
    bad += not cond


def first_json(text):
    """The first JSON object in crash's output (after the extend line)."""
    dec = json.JSONDecoder()
    i = text.find("{")
    while i >= 0:
        try:
            return dec.raw_decode(text, i)[0]
        except ValueError:
            i = text.find("{", i + 1)
    return None


def crash(output, manifest, ext):
    with open(output, errors="replace") as f:
        text = f.read()
    with open(manifest) as f:
        exp = json.load(f)["expected"]
    check(f"{ext}: shared object loaded" in text,
          f"crash says it loaded {ext} (`extend ovscrash.so`, no path)")
    d = first_json(text)
    check(isinstance(d, dict), f"triage -j printed a JSON object ({output})")
    d = d if isinstance(d, dict) else {}
    check(d.get("verdict") == exp["verdict_kind"],
          f"verdict {d.get('verdict')!r} is the manifest's {exp['verdict_kind']!r}")
    check(d.get("signature") == exp["verdict"],
          f"signature {d.get('signature')!r} is the manifest's {exp['verdict']!r}")


def report(report_json, dumps):
    with open(report_json) as f:
        rows = json.load(f).get("dumps") or []
    for name in sorted(os.listdir(dumps)):
        with open(os.path.join(dumps, name, "manifest.json")) as f:
            exp = json.load(f)["expected"]
        vm = os.path.join(dumps, name, "vmcore")
        mine = [r for r in rows if r.get("path") and os.path.realpath(r["path"]) == os.path.realpath(vm)]
        check(len(mine) == 1, f"{name}: one report row for {vm} ({len(mine)} found)")
        r = mine[0] if mine else {}
        check(r.get("verdict") == exp["verdict_kind"],
              f"{name}: batch verdict {r.get('verdict')!r} is the manifest's {exp['verdict_kind']!r}")
        check(r.get("signature") == exp["verdict"],
              f"{name}: batch signature {r.get('signature')!r} is the manifest's {exp['verdict']!r}")
        # a verdict from the log beside the dump would match too: crash
        # must have given it, with the installed tools of the dump's arch
        arch = {"amd64": "x86_64"}.get(exp_arch(dumps, name), "arm64")
        check(r.get("status") == "ok" and r.get("verdict_source") != "log",
              f"{name}: verdict from crash (status {r.get('status')!r}, "
              f"source {r.get('verdict_source')!r}; error {r.get('error')!r})")
        want = {"crash_binary": f"{LIBEXEC}/crash" + ("" if arch == HOST else f"-{arch}"),
                "extension": f"{LIBEXEC}/extensions/{arch}/ovscrash.so"}
        for k, v in want.items():
            check(r.get(k) == v, f"{name}: {k} {r.get(k)!r} is the installed {v!r}")


def exp_arch(dumps, name):
    with open(os.path.join(dumps, name, "manifest.json")) as f:
        return json.load(f)["arch"]


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "crash":
        crash(*sys.argv[2:])
    elif len(sys.argv) == 4 and sys.argv[1] == "report":
        report(*sys.argv[2:])
    else:
        sys.exit(__doc__)
    sys.exit(1 if bad else 0)

#!/usr/bin/python3
"""Checks of docs/guide.md and the HTML report screenshot it shows.

Runs scripts/ovscrash-batch on a few fixture dumps of both arches (lockup,
race, healthy, oops-null: copied into a temporary archive tree, never
edited), renders ovscrash-report --html, loads it in headless chromium
(tests/e2e's chromium_render) and checks the screenshot (PNG signature,
IHDR size equal to the window, not blank) and the page's DOM (each dump's
verdict as its fixture manifest says).  Then checks docs/guide.md: it links
docs/img/report.png, that image is committed and a valid PNG; every
`crash> ` command in its code blocks is one the extension's command table
(extension/ovscrash.c) or crash itself (`crash -h CMD`) knows; its pasted
VERDICT/SIGNATURE/PANIC KIND/FIXES lines are what triage and ovscrash-log
print today on the lockup and race fixtures, its fix claims those of the
manifests; every relative link and #anchor resolves.

--update copies the fresh screenshot to docs/img/report.png.
Prints PASS/FAIL lines and a final `guide: N passed, M failed`.
"""
import argparse
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import zlib

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, ".."))
sys.path.insert(0, os.path.join(here, "..", "e2e"))
from suite import Suite, eq, true  # noqa: E402
from check import chromium_render, ident, results  # noqa: E402

WINDOW = (1280, 900)
SCENARIOS = ("lockup", "race", "healthy", "oops-null")
# a screenshot of the report has text, table rules, the chart's bars: far
# more colours than this; a blank or single-colour page has 1 or 2
MIN_COLOURS = 16
PNG_SIG = b"\x89PNG\r\n\x1a\n"
CRASH_PROMPT = re.compile(r"^\s*crash> (\S+)", re.M)
# the pasted lines that must still be what the tools print today
FRESH = re.compile(r"^(VERDICT: |  SIGNATURE: |  PANIC KIND: |FIXES IN THIS KERNEL: ).*$", re.M)
# docs the guide links that other issue-14 parts write (their branches are
# merged with this one): missing, they are a skip, not a failure
OTHER_PARTS = {"packaging.md": "i14-deb", "arrival.md": "i14-arrival"}
LINK = re.compile(r"\]\(([^)\s]+)\)")


def anchors(md):
    """GitHub's heading anchors of a Markdown text: lower case, spaces to
    '-', everything but letters, digits, '-' and '_' dropped."""
    out = set()
    for h in re.findall(r"^#+ (.*)$", re.sub(r"^```.*?^```", "", md, flags=re.S | re.M), re.M):
        out.add(re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-"))
    return out


def png_chunks(data, what):
    """[(type, payload)] of a PNG's chunks, checking the signature and each
    chunk's CRC."""
    if not data.startswith(PNG_SIG):
        raise AssertionError(f"{what}: no PNG signature (starts {data[:8]!r})")
    out, off = [], len(PNG_SIG)
    while off < len(data):
        if off + 8 > len(data):
            raise AssertionError(f"{what}: chunk header cut at byte {off}")
        n, typ = struct.unpack(">I4s", data[off:off + 8])
        body = data[off + 8:off + 8 + n]
        if len(body) != n or off + 12 + n > len(data):
            raise AssertionError(f"{what}: chunk {typ!r} at byte {off} cut short")
        crc, = struct.unpack(">I", data[off + 8 + n:off + 12 + n])
        if zlib.crc32(typ + body) != crc:
            raise AssertionError(f"{what}: chunk {typ!r} at byte {off}: CRC mismatch")
        out.append((typ, body))
        off += 12 + n
        if typ == b"IEND":
            break
    if not out or out[0][0] != b"IHDR" or out[-1][0] != b"IEND":
        raise AssertionError(f"{what}: no IHDR first / IEND last")
    return out


def png_info(path):
    """(width, height, distinct colours) of an 8-bit RGB/RGBA PNG, decoded
    with zlib (chromium writes those); a lower bound of 0 colours for other
    types, which the caller then rejects."""
    with open(path, "rb") as f:
        data = f.read()
    chunks = png_chunks(data, path)
    w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    bpp = {2: 3, 6: 4}.get(ctype)
    if depth != 8 or bpp is None or interlace:
        raise AssertionError(f"{path}: PNG colour type {ctype} depth {depth} interlace "
                             f"{interlace}: not the 8-bit RGB(A) chromium writes")
    raw = zlib.decompress(b"".join(b for t, b in chunks if t == b"IDAT"))
    stride = w * bpp
    eq(len(raw), h * (stride + 1), f"{path}: decompressed image size")
    colours, prev = set(), bytearray(stride)
    for y in range(h):
        ft = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if ft == 1:
                line[x] = (line[x] + a) & 255
            elif ft == 2:
                line[x] = (line[x] + b) & 255
            elif ft == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif ft == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[x] = (line[x] + pr) & 255
            elif ft != 0:
                raise AssertionError(f"{path}: row {y}: filter type {ft}")
        if y % 4 == 0:   # every 4th row is plenty to count colours
            colours.update(bytes(line[i:i + 3]) for i in range(0, stride, bpp))
        prev = line
    return w, h, len(colours)


def command_table(top):
    """The command names of extension/ovscrash.c's command_table[]."""
    with open(os.path.join(top, "extension", "ovscrash.c")) as f:
        src = f.read()
    m = re.search(r"command_table\[\]\s*=\s*\{(.*?)\n\};", src, re.S)
    if not m:
        raise AssertionError("extension/ovscrash.c: no command_table[] found")
    return set(re.findall(r'\{\s*"([^"]+)"', m.group(1)))


def crash_knows(crash, cmd):
    """Whether crash's own help has a page for CMD (`crash -h CMD` prints
    "NAME\n  CMD - ..."; for an unknown name "No help data ...")."""
    p = subprocess.run([crash, "-h", cmd], capture_output=True, text=True, timeout=60)
    return re.search(r"^NAME\n\s+" + re.escape(cmd) + r" - ", p.stdout, re.M) is not None


class Guide:
    def __init__(self, a):
        self.a = a
        self.w = a.work
        self.top = a.top
        self.shot = os.path.join(a.out, "report.png")

    # ------------------------------------------------------------ the batch
    def stage(self):
        """dumps/<arch>/<scenario>/{vmcore,console.log} copies and a -dbg
        style symbol store of both kernels (as tests/e2e builds it)."""
        self.man, self.want = {}, {}
        dumps = os.path.join(self.w, "dumps")
        sym = os.path.join(self.w, "sym")
        for arch, fx in (("amd64", self.a.fixtures), ("arm64", self.a.fixtures_arm64)):
            for s in SCENARIOS:
                src = os.path.join(fx, s)
                if not os.path.isfile(os.path.join(src, "manifest.json")):
                    continue
                with open(os.path.join(src, "manifest.json")) as f:
                    m = json.load(f)
                d = os.path.join(dumps, arch, s)
                os.makedirs(d)
                shutil.copyfile(os.path.join(src, "vmcore"), os.path.join(d, "vmcore"))
                shutil.copyfile(os.path.join(src, "console.log"), os.path.join(d, "console.log"))
                self.want[ident(os.path.join(d, "vmcore"))] = (f"{arch}/{s}", m)
                rel = m["kernel_release"]
                boot = os.path.join(sym, "usr/lib/debug/boot")
                os.makedirs(boot, exist_ok=True)
                vml = os.path.join(boot, f"vmlinux-{rel}")
                if not os.path.lexists(vml):
                    os.symlink(os.path.realpath(os.path.join(src, "vmlinux")), vml)
                ko = os.path.join(src, "openvswitch.ko.debug")
                mods = os.path.join(sym, f"usr/lib/debug/lib/modules/{rel}/kernel/net/openvswitch")
                # race's module differs from lockup's (fixes absent): keep
                # every one, under a name per scenario, all searched
                os.makedirs(mods, exist_ok=True)
                # veth.ko's debuginfo where Debian's -dbg package has it
                # (the TENANT line, issue 13): the kernel cache's copy
                kdir = os.path.dirname(os.path.realpath(os.path.join(src, "vmlinux")))
                veth = os.path.join(kdir, "debug", "kernel", "drivers", "net", "veth.ko")
                vdir = os.path.join(sym, f"usr/lib/debug/lib/modules/{rel}/kernel/drivers/net")
                if os.path.isfile(veth) and not os.path.lexists(os.path.join(vdir, "veth.ko")):
                    os.makedirs(vdir, exist_ok=True)
                    os.symlink(veth, os.path.join(vdir, "veth.ko"))
                if os.path.exists(ko):
                    sub = "" if s == "lockup" else s
                    link = os.path.join(mods, sub, "openvswitch.ko")
                    os.makedirs(os.path.dirname(link), exist_ok=True)
                    os.symlink(os.path.realpath(ko), link)
        true(len(self.want) >= 4, f"fewer than 4 fixture dumps staged ({len(self.want)})")
        self.dumps, self.sym = dumps, sym

    def t_batch(self):
        self.stage()
        self.res = os.path.join(self.w, "results")
        argv = [os.path.join(self.top, "scripts", "ovscrash-batch"), "--out", self.res,
                "--crash", f"x86_64={self.a.crash}", "--ext", f"x86_64={self.a.ext}",
                "--crash", f"arm64={self.a.crash_arm64}", "--ext", f"arm64={self.a.ext_arm64}",
                "--symbols", self.sym, "--no-progress-bar", "-j", "2",
                # no symbol index cache: nothing written outside the work dir
                "--no-index", self.dumps]
        p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                           env=dict(os.environ, HOME=self.w))
        with open(os.path.join(self.a.out, "batch.log"), "w") as f:
            f.write(f"$ {' '.join(argv)}\n# rc={p.returncode}\n{p.stdout}\n{p.stderr}\n")
        if p.returncode != 0:
            raise AssertionError(f"ovscrash-batch exit {p.returncode}: {p.stderr[-1500:]}")
        r = results(self.res)
        eq(sorted(r), sorted(self.want), "result ids (one per staged dump)")
        for i, (name, m) in self.want.items():
            eq(r[i]["status"], "ok", f"{name}: status ({r[i].get('error')})")
            eq(r[i]["verdict"], m["expected"]["verdict_kind"], f"{name}: verdict")

    def t_report(self):
        self.html = os.path.join(self.a.out, "report.html")
        argv = [os.path.join(self.top, "scripts", "ovscrash-report"), self.res,
                "--html", self.html, "--md", os.path.join(self.a.out, "report.md")]
        p = subprocess.run(argv, capture_output=True, text=True)
        if p.returncode != 0:
            raise AssertionError(f"ovscrash-report exit {p.returncode}: {p.stderr[-800:]}")
        with open(os.path.join(self.a.out, "report.txt"), "w") as f:
            f.write(p.stdout)
        true(os.path.getsize(self.html) > 1000, f"{self.html}: nearly empty")

    def t_chromium(self):
        self.dom = chromium_render(os.path.abspath(self.html), self.shot,
                                   os.path.join(self.w, "chromium-profile"), WINDOW)
        with open(os.path.join(self.a.out, "report.dom.html"), "w") as f:
            f.write(self.dom)

    def t_png(self):
        w, h, n = png_info(self.shot)
        eq((w, h), WINDOW, f"{self.shot}: IHDR size")
        true(n > MIN_COLOURS, f"{self.shot}: only {n} distinct colours: a blank page")

    def t_dom(self):
        """Each dump: one row of the dumps table naming its path, status ok,
        its signature cell the manifest's expected verdict (when the
        manifest names one); its detail section the manifest's panic kind
        and the function (and module) the generator made it panic in."""
        rows = re.findall(r'<tr class="row">(.*?)</tr>', self.dom, re.S)
        true(rows, "no report rows in the DOM")
        cell = re.compile(r"<td[^>]*>(.*?)</td>", re.S)
        for i, (name, m) in self.want.items():
            e = m["expected"]
            mine = [r for r in rows if f"/{name}/vmcore</td>" in r]
            eq(len(mine), 1, f"DOM rows of the dumps table naming {name}/vmcore")
            cells = cell.findall(mine[0])
            eq(cells[1], "ok", f"{name}: status cell")
            if e.get("verdict"):
                eq(cells[2], e["verdict"], f"{name}: signature cell")
            sec = re.search(r'<section class="dump" id="d-' + i + r'">(.*?)</section>',
                            self.dom, re.S)
            true(sec, f"{name}: no detail section d-{i[:12]} in the DOM")
            sec = sec.group(1)
            true(f"<li>panic_kind: {e['panic_kind']}</li>" in sec,
                 f"{name}: detail section lacks panic_kind {e['panic_kind']}")
            if e.get("function"):
                mod = f" [{e['module']}]" if e.get("module") else ""
                where = re.search(r"<li>panic_where: (.*?)</li>", sec)
                want = (re.escape(e["function"]) + r"\+0x[0-9a-f]+(/0x[0-9a-f]+)?"
                        + re.escape(mod))
                true(where and re.fullmatch(want, where.group(1)),
                     f"{name}: panic_where {where and where.group(1)!r} is not "
                     f"{e['function']}+OFF{mod}")

    def t_update(self):
        dst = os.path.join(self.top, "docs", "img", "report.png")
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copyfile(self.shot, dst)
        print(f"updated {dst}", flush=True)

    # ------------------------------------------------------------ the guide
    def guide_text(self):
        with open(os.path.join(self.top, "docs", "guide.md")) as f:
            return f.read()

    def t_guide_image(self):
        g = self.guide_text()
        true(re.search(r"\]\((img/report\.png|docs/img/report\.png)\)", g),
             "docs/guide.md: no link to img/report.png")
        img = os.path.join(self.top, "docs", "img", "report.png")
        true(os.path.isfile(img), f"{img}: missing (tests/guide/run.sh --update writes it)")
        w, h, n = png_info(img)
        eq((w, h), WINDOW, f"{img}: IHDR size")
        true(n > MIN_COLOURS, f"{img}: only {n} distinct colours: a blank page")

    def crash_session(self, fx, cmds):
        """crash's output of CMDS after `extend` on fixture dir FX."""
        script = os.path.join(self.w, "guide-cmds")
        with open(script, "w") as f:
            f.write("\n".join([f"extend {self.a.ext}"] + cmds + ["exit"]) + "\n")
        p = subprocess.run([self.a.crash, "-s", "--no_crashrc", os.path.join(fx, "vmlinux"),
                            os.path.join(fx, "vmcore"), "-i", script], stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, timeout=300, cwd=self.w,
                           env=dict(os.environ, HOME=self.w))
        return p.stdout + p.stderr

    def t_guide_fresh(self):
        """The guide's pasted VERDICT, SIGNATURE, PANIC KIND and FIXES lines
        are what triage (lockup, race) and ovscrash-log (the lockup's
        vmcore-dmesg.txt) print today, and its FIXES lines say what the
        manifests say of the fixes in each fixture's openvswitch.ko."""
        g = self.guide_text()
        fx = self.a.fixtures
        out = self.crash_session(os.path.join(fx, "lockup"), ["triage"])
        out += self.crash_session(os.path.join(fx, "race"), ["triage"])
        log = subprocess.run([os.path.join(self.top, "tools", "ovscrash-log"), "--vmlinux",
                              os.path.join(fx, "lockup", "vmlinux"),
                              os.path.join(fx, "lockup", "vmcore-dmesg.txt")],
                             capture_output=True, text=True, timeout=120)
        today = set((out + log.stdout).splitlines())
        pasted = [m.group(0) for m in FRESH.finditer(g)]
        true(len(pasted) >= 8, f"docs/guide.md: only {len(pasted)} pasted verdict lines found")
        eq(sorted(set(l for l in pasted if l not in today)), [],
           "pasted lines of docs/guide.md the tools no longer print (re-run and re-paste)")
        # the fix claims: lockup's module has both, race's neither
        for scen in ("lockup", "race"):
            with open(os.path.join(fx, scen, "manifest.json")) as f:
                m = json.load(f)
            absent = set(m["expected"].get("fixes_absent") or
                         [c for c, have in (m.get("fixes_in_module") or {}).items() if not have])
            for c in ("066b86787fa3", "47e55e4b410f"):
                word = "ABSENT" if c in absent else "present"
                line = [l for l in pasted if l.startswith("FIXES IN THIS KERNEL:")
                        and f"({c}) {word}" in l]
                true(line, f"docs/guide.md: no FIXES IN THIS KERNEL line saying {c} {word} "
                     f"({scen}'s manifest)")

    def t_guide_commands(self):
        g = self.guide_text()
        blocks = re.findall(r"^```[^\n]*\n(.*?)^```", g, re.S | re.M)
        cmds = set()
        for b in blocks:
            cmds.update(CRASH_PROMPT.findall(b))
        true(cmds, "docs/guide.md: no `crash> ` command in its code blocks")
        ours = command_table(self.top)
        true({"triage", "netdev", "vport", "picktx"} <= ours,
             f"extension/ovscrash.c's command table read as {sorted(ours)}")
        # the reader itself: crash knows bt, not a made-up name
        true(crash_knows(self.a.crash, "bt") and not crash_knows(self.a.crash, "nosuchcmd"),
             f"`{self.a.crash} -h CMD` does not tell commands apart")
        unknown = sorted(c for c in cmds if c not in ours and not crash_knows(self.a.crash, c))
        eq(unknown, [],
           "crash> commands in docs/guide.md that neither the extension nor crash knows")


def guide_links(top):
    """[(link, problem)] of docs/guide.md's relative links whose file is
    missing or whose #anchor is no heading of that file; links to
    OTHER_PARTS files that are missing come back with problem None."""
    docs = os.path.join(top, "docs")
    with open(os.path.join(docs, "guide.md")) as f:
        g = f.read()
    bad = []
    for link in LINK.findall(g):
        if re.match(r"[a-z]+:", link):
            continue
        path, _, frag = link.partition("#")
        target = os.path.normpath(os.path.join(docs, path or "guide.md"))
        if not os.path.exists(target):
            bad.append((link, None if path in OTHER_PARTS else f"{target} does not exist"))
            continue
        if frag:
            with open(target) as f:
                if frag not in anchors(f.read()):
                    bad.append((link, f"no heading of {os.path.relpath(target, top)} "
                                      f"has anchor #{frag}"))
    return bad


def main():
    ap = argparse.ArgumentParser()
    for k in ("top", "crash", "ext", "crash-arm64", "ext-arm64", "fixtures",
              "fixtures-arm64", "work", "out"):
        ap.add_argument("--" + k, required=True)
    ap.add_argument("--update", action="store_true",
                    help="copy the fresh screenshot to docs/img/report.png")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    s, g = Suite(), Guide(a)
    s.check("batch on fixture dumps of both arches: verdicts as the manifests say", g.t_batch)
    if s.failed == 0:
        s.check("ovscrash-report --html", g.t_report)
    if s.failed == 0:
        s.check(f"report in headless chromium ({WINDOW[0]}x{WINDOW[1]})", g.t_chromium)
    if s.failed == 0:
        s.check("screenshot: PNG, window-sized, not blank", g.t_png)
        s.check("report DOM: each dump's row holds its manifest's verdict", g.t_dom)
        if a.update and s.failed == 0:
            s.check("--update: screenshot copied to docs/img/report.png", g.t_update)
    s.check("docs/guide.md links docs/img/report.png, a committed window-sized PNG",
            g.t_guide_image)
    s.check("docs/guide.md: every `crash> ` command is the extension's or crash's",
            g.t_guide_commands)
    s.check("docs/guide.md: pasted verdict lines are today's output; fix claims as the manifests",
            g.t_guide_fresh)
    links = guide_links(a.top)
    s.check("docs/guide.md: every relative link and #anchor resolves",
            lambda: eq([b for b in links if b[1]], [], "broken links"))
    for link, why in links:
        if why is None:
            s.skip(f"docs/guide.md link {link}",
                   f"written by {OTHER_PARTS[link.partition('#')[0]]}, not merged here yet")
    return s.summary("guide")


if __name__ == "__main__":
    sys.exit(main())

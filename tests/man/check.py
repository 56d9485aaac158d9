"""The man pages' checks (tests/man/run.sh): rendering, coverage of the
commands and options against independent readers (the extension's command
table, crash's own help, each program's --help or usage), and the JSON
schema page against real documents of a fixture dump."""
import argparse
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from suite import Suite, eq, true  # noqa: E402

# the pages the package installs (docs/packaging contract, issue 14)
PAGES = ["ovscrash.7", "ovscrash-batch.1", "ovscrash-report.1", "ovscrash-log.1",
         "ovscrash-crash.1", "ovscrash-arrival.8", "ovscrash-json.5", "ovscrash-watch.8"]
# an option token: -a, --max-decompressed
OPT_RE = re.compile(r"(?<![\w-])(--?[A-Za-z][A-Za-z0-9-]*)")
# scdoc markup that reached the rendered text unconverted (_word_ after a
# character scdoc does not take for a word boundary, *word*)
MARKUP_RE = re.compile(r"(?<!_)_[A-Za-z]+_(?![A-Za-z0-9_])|\*[A-Za-z][A-Za-z0-9_-]*\*")
TIMEOUT = 300


def run(argv, **kw):
    kw.setdefault("timeout", TIMEOUT)
    return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, errors="replace", **kw)


def man_env(width):
    env = dict(os.environ, MANWIDTH=str(width), LC_ALL="C.UTF-8", MANPAGER="cat", PAGER="cat")
    env.pop("MAN_KEEP_FORMATTING", None)
    return env


def render(path, width=80):
    """The page as man shows it, overstrike and escapes removed."""
    r = run(["man", "-l", path], env=man_env(width))
    true(r.returncode == 0, f"man -l {path}: exit {r.returncode}: {r.stderr.strip()[:300]}")
    return re.sub(r".\x08", "", r.stdout)


def sections(text, indent):
    """{title: [lines]} of a rendered page: titles are lines with exactly
    INDENT spaces before a non-blank (0: .SH, 3: .SS)."""
    out, cur = {}, None
    for line in text.splitlines():
        lead = len(line) - len(line.lstrip(" "))
        if line.strip() and lead == indent:
            cur = line.strip()
            out[cur] = []
        elif line.strip() and lead < indent:
            cur = None
        elif cur is not None:
            out[cur].append(line)
    return out


def item_tags(lines):
    """The tags of a section's definition items: a line indented 7 right
    above a line indented 11 (scdoc's tab-indented paragraph; a literal
    block, indented 11 too, comes after a blank line)."""
    tags = []
    for ln, nxt in zip(lines, lines[1:]):
        if (ln.strip() and nxt.strip()
                and len(ln) - len(ln.lstrip(" ")) == 7
                and len(nxt) - len(nxt.lstrip(" ")) == 11):
            tags.append(ln.strip())
    return tags


def tag_tokens(tags):
    """Options and positional words named by item tags: "-n inode" gives
    -n; "-s, --symbols DIR" gives -s and --symbols; "address" gives
    address."""
    toks = set()
    for t in tags:
        opts = OPT_RE.findall(t)
        toks.update(opts)
        if not opts:
            toks.add(t.split()[0])
    return toks


def usage_tokens(usage):
    """Options and positionals of a crash help usage line:
    "[-a] [-n inode] [-B n[,s]] [address | inode | name]" gives -a, -n,
    -B, address, inode, name."""
    toks, depth, cur, groups = set(), 0, "", []
    for ch in usage:
        if ch == "[":
            if depth == 0:
                cur = ""
            else:
                cur += ch
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                groups.append(cur)
            else:
                cur += ch
        elif depth:
            cur += ch
    rest = re.sub(r"\[.*?\]+", " ", usage)
    groups += rest.split()
    for g in groups:
        g = g.strip()
        m = re.match(r"(-[A-Za-z])\b", g)
        if m:
            toks.add(m.group(1))
        else:
            toks.update(w.strip() for w in g.split("|") if w.strip())
    return toks


def c_strings(block):
    return [bytes(s, "utf-8").decode("unicode_escape")
            for s in re.findall(r'"((?:[^"\\]|\\.)*)"', block)]


def command_table(top):
    """{name: (usage, hidden)} from the command_table[] of extension/*.c
    and each command's help array (name, summary, usage, ...)."""
    cmds = {}
    for fn in sorted(os.listdir(os.path.join(top, "extension"))):
        if not fn.endswith(".c"):
            continue
        src = open(os.path.join(top, "extension", fn)).read()
        m = re.search(r"struct command_table_entry\s+command_table\[\]\s*=\s*\{(.*?)\n\};", src, re.S)
        if not m:
            continue
        for name, _fn, helpname, flags in re.findall(
                r'\{\s*"(\w+)"\s*,\s*(\w+)\s*,\s*(\w+)\s*,\s*([\w| ]+?)\s*\}', m.group(1)):
            h = re.search(r"static char \*" + helpname + r"\[\]\s*=\s*\{(.*?)\n\};", src, re.S)
            true(h, f"extension/{fn}: no help array {helpname} for {name}")
            strs = c_strings(h.group(1))
            true(len(strs) >= 3 and strs[0] == name,
                 f"extension/{fn}: {helpname} does not start with name, summary, usage")
            cmds[name] = (strs[2], "HIDDEN_COMMAND" in flags)
    return cmds


def scd_sections(src):
    """[(level, title, lines)] of an scd source by its # headings."""
    out = []
    lit = False
    for line in src.splitlines():
        if line.startswith("```"):
            lit = not lit
        if not lit and re.match(r"#+ ", line):
            level = len(line) - len(line.lstrip("#"))
            out.append((level, line.lstrip("#").strip(), []))
        elif out:
            out[-1][2].append(line)
    return out


def literal_blocks(lines):
    """The literal blocks of scd lines, with scdoc's doubled backslashes
    undone (\\\\ in a literal block renders as one backslash)."""
    blocks, cur = [], None
    for line in lines:
        if line.startswith("```"):
            if cur is None:
                cur = []
            else:
                blocks.append("\n".join(cur).replace("\\\\", "\\"))
                cur = None
        elif cur is not None:
            cur.append(line)
    return blocks


def schema_words(lines):
    """The words of a json page section before its EXAMPLE line."""
    txt = []
    for line in lines:
        if line.startswith("EXAMPLE"):
            break
        txt.append(line)
    return set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", "\n".join(txt)))


def help_options(text):
    """Options of an argparse --help or a usage text: the option part of
    lines that start with two blanks and a dash (help text after two
    blanks, or on its own line)."""
    opts = set()
    for line in text.splitlines():
        m = re.match(r"^ {2}(-\S.*?)(?: {2,}|$)", line)
        if m:
            opts.update(OPT_RE.findall(m.group(1)))
    return opts


def page_options(top, page):
    text = render(os.path.join(top, "build", "man", page), 200)
    secs = sections(text, 0)
    true("OPTIONS" in secs, f"{page}: no OPTIONS section")
    return {t for t in tag_tokens(item_tags(secs["OPTIONS"])) if t.startswith("-")}


def same_options(page, want, have):
    missing = sorted(want - have)
    extra = sorted(have - want)
    true(not missing, f"{page}: options of the program not in the page's OPTIONS: {missing}")
    true(not extra, f"{page}: options in the page the program does not accept: {extra}")


class Checks:
    def __init__(self, a):
        self.a = a
        self.top = a.top
        self.man = os.path.join(a.top, "build", "man")
        self.s = Suite()
        self.real = {}      # real documents of the fixture, by section title

    def page(self, p):
        return os.path.join(self.man, p)

    def src(self, p):
        return open(os.path.join(self.top, "man", p + ".scd"), encoding="utf-8").read()

    # ---- rendering ----

    def rendering(self):
        for p in PAGES:
            self.s.check(f"{p}: rendered by make man", lambda p=p: true(
                os.path.isfile(self.page(p)) and os.path.getsize(self.page(p)) > 0,
                f"build/man/{p} missing or empty (man/{p}.scd absent?)"))
        built = sorted(f for f in os.listdir(self.man) if not f.endswith(".tmp"))
        self.s.check("every page built is one of the package's pages", lambda: eq(
            sorted(set(built) - set(PAGES)), [], "pages not in the package's list"))
        for p in PAGES:
            if not os.path.isfile(self.page(p)):
                continue
            self.s.check(f"{p}: man -l --warnings=w, lintian's man --warnings, groff -ww: no warning",
                         lambda p=p: self.no_warning(p))
            self.s.check(f"{p}: MANWIDTH=80 man -l: NAME section naming the page; lexgrog reads it",
                         lambda p=p: self.name_section(p))
            self.s.check(f"{p}: no scdoc markup or roff control line left in the text",
                         lambda p=p: self.lint(p))
            self.s.check(f"{p}: every ovscrash page it refers to exists",
                         lambda p=p: self.refs(p))
            if os.path.isdir("/usr/share/lintian/data/spelling"):
                self.s.check(f"{p}: no word of lintian's spelling corrections",
                             lambda p=p: self.spelling(p))
            else:
                self.s.skip(f"{p}: spelling", "lintian not installed")

    def no_warning(self, p):
        r = run(["man", "-l", "--warnings=w", self.page(p)], env=man_env(80))
        eq(r.stderr.strip(), "", f"man -l --warnings=w {p}: stderr")
        # lintian's groff-message check, as its tag description gives it
        r = run(["man", "--warnings", "-E", "UTF-8", "-l", "-Tutf8", "-Z", self.page(p)],
                env=dict(man_env(80), MANROFFSEQ=""))
        eq(r.stderr.strip(), "", f"man --warnings -E UTF-8 -l -Tutf8 -Z {p} (lintian's): stderr")
        r = run(["groff", "-ww", "-z", "-man", "-Tutf8", self.page(p)])
        eq(r.stderr.strip(), "", f"groff -ww -z -man {p}: stderr")

    def name_section(self, p):
        text = render(self.page(p), 80)
        secs = sections(text, 0)
        true("NAME" in secs, f"{p}: no NAME section in man's output ({len(text)} bytes)")
        name = " ".join(ln.strip() for ln in secs["NAME"] if ln.strip())
        want = p.rsplit(".", 1)[0]
        true(name.startswith(want + " - ") and len(name) > len(want) + 10,
             f"{p}: NAME is {name[:80]!r}, not '{want} - <what it is>'")
        true(len(text.splitlines()) > 20, f"{p}: only {len(text.splitlines())} lines")
        # mandb's reader of the NAME line (whatis, apropos; lintian's
        # bad-whatis-entry)
        r = run(["lexgrog", self.page(p)], env=dict(os.environ, LC_ALL="C.UTF-8"))
        eq(r.returncode, 0, f"lexgrog {p}: exit status ({r.stdout.strip()[:200]})")
        true(f'"{want} - ' in r.stdout, f"lexgrog {p}: {r.stdout.strip()[:200]!r}")

    def lint(self, p):
        bad = []
        lit = False
        for n, line in enumerate(self.src(p).splitlines(), 1):
            if line.startswith("```"):
                lit = not lit
                continue
            if lit:
                # scdoc takes a lone backslash in a literal block as an
                # escape and drops it (a shell continuation vanished)
                if re.search(r"\\", line.replace("\\\\", "")):
                    bad.append(f"man/{p}.scd:{n}: lone backslash in a literal block")
            elif re.match(r"[.']", line) and not re.match(r"\. ", line):
                # scdoc passes it through: roff reads it as a request and
                # the line's text is lost (".ko.xz" vanished)
                bad.append(f"man/{p}.scd:{n}: a text line starting with {line[0]!r}")
        text = render(self.page(p), 200)
        for line in text.splitlines():
            m = MARKUP_RE.search(line)
            if m:
                bad.append(f"{p}: scdoc markup left in the text: {m.group()!r} in {line.strip()[:60]!r}")
        true(not bad, "; ".join(bad[:5]))

    def spelling(self, p):
        """Lintian's spelling lists (typo-in-manual-page) over the page's
        roff lines, words taken a little more strictly than lintian does
        (roff escapes and surrounding punctuation removed), so a word cut
        in an example ("nam...") counts too."""
        base = "/usr/share/lintian/data/spelling"
        single, multi = {}, []
        with open(os.path.join(base, "corrections"), encoding="utf-8") as f:
            for ln in f:
                if "||" in ln and not ln.startswith("#"):
                    a, b = ln.rstrip("\n").split("||", 1)
                    single[a.lower()] = b
        with open(os.path.join(base, "corrections-multiword"), encoding="utf-8") as f:
            for ln in f:
                if "||" in ln and not ln.startswith("#"):
                    a, b = ln.rstrip("\n").split("||", 1)
                    flags = re.I if a.startswith("(?i)") else 0
                    a = a[4:] if flags else a
                    multi.append((re.compile(r"\b(" + a + r")\b", flags), b))
        bad = []
        with open(self.page(p), encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if line.startswith('.\\"'):
                    continue
                text = re.sub(r"\\(f[BIRP]|&|e|\(..|-)", " ", line)
                for w in text.split():
                    w = re.sub(r"^[^A-Za-z]+|[^A-Za-z]+$", "", w)
                    if re.fullmatch(r"[A-Z]{1,5}", w):
                        continue
                    if w.lower() in single:
                        bad.append(f"line {n}: {w!r} (lintian: {single[w.lower()]!r})")
                for rx, fix in multi:
                    m = rx.search(text)
                    if m:
                        bad.append(f"line {n}: {m.group(1)!r} (lintian: {fix!r})")
        true(not bad, f"build/man/{p}: " + "; ".join(bad[:6]))

    def refs(self, p):
        text = render(self.page(p), 200)
        refs = set(re.findall(r"\b(ovscrash[a-z-]*)\((\d)\)", text))
        missing = sorted(f"{n}({s})" for n, s in refs if f"{n}.{s}" not in PAGES)
        eq(missing, [], f"{p}: refers to pages that do not exist")

    # ---- commands of the extension ----

    def commands(self):
        cmds = command_table(self.top)
        self.s.check("the extension's command table has the six commands and ovscrash",
                     lambda: true({"netdev", "vport", "netns", "ovsmod", "picktx", "triage",
                                   "ovscrash"} <= set(cmds), f"table: {sorted(cmds)}"))
        text = render(self.page("ovscrash.7"), 200)
        cmd_secs = self.command_sections(text)
        for name, (usage, hidden) in sorted(cmds.items()):
            if hidden:
                continue
            self.s.check(f"ovscrash.7: command {name}: a section with every option of "
                         f"its help usage line (extension source)",
                         lambda n=name, u=usage: self.command_section(cmd_secs, n, u))

    @staticmethod
    def command_sections(text):
        top = sections(text, 0)
        true("COMMANDS" in top, "ovscrash.7: no COMMANDS section")
        return sections("\n".join(top["COMMANDS"]), 3)

    @staticmethod
    def command_section(cmd_secs, name, usage):
        true(name in cmd_secs, f"ovscrash.7: no subsection {name!r} under COMMANDS "
                               f"(has {sorted(cmd_secs)})")
        want = usage_tokens(usage)
        have = tag_tokens(item_tags(cmd_secs[name]))
        missing = sorted(want - have)
        true(not missing, f"ovscrash.7 {name}: no item for {missing} of the usage {usage!r}")
        extra = sorted(t for t in have - want)
        true(not extra, f"ovscrash.7 {name}: items {extra} that the usage {usage!r} lacks")

    def environment(self):
        """Every variable the extension (and core/, linked into it) reads
        with getenv() has an item in ovscrash(7)'s ENVIRONMENT: the
        getenv() arguments of the sources, macros resolved through the
        tree's #defines and libdebuginfod's header."""
        defs = {}
        heads = [os.path.join(self.top, d, f) for d in ("extension", "core")
                 for f in os.listdir(os.path.join(self.top, d)) if f.endswith(".h")]
        for h in heads + ["/usr/include/elfutils/debuginfod.h"]:
            if os.path.isfile(h):
                for k, v in re.findall(r'#define\s+(\w+)\s+"([^"]+)"', open(h).read()):
                    defs[k] = v
        want = set()
        for d in ("extension", "core"):
            for f in sorted(os.listdir(os.path.join(self.top, d))):
                if f.endswith(".c"):
                    for arg in re.findall(r"getenv\(\s*([^)]+?)\s*\)",
                                          open(os.path.join(self.top, d, f)).read()):
                        lit = re.fullmatch(r'"([^"]+)"', arg)
                        name = lit.group(1) if lit else defs.get(arg)
                        true(name, f"{d}/{f}: getenv({arg}): no #define gives its name")
                        want.add(name)
        text = render(self.page("ovscrash.7"), 200)
        secs = sections(text, 0)
        true("ENVIRONMENT" in secs, "ovscrash.7: no ENVIRONMENT section")
        have = set()
        for t in item_tags(secs["ENVIRONMENT"]):
            have.update(w.strip() for w in t.split(","))
        missing = sorted(want - have)
        true(len(want) >= 5, f"only {sorted(want)} read with getenv: parse failed?")
        true(not missing, f"ovscrash.7 ENVIRONMENT: no item for {missing} "
                          f"(read with getenv by the extension)")

    # ---- programs' options ----

    def programs(self):
        top = self.top
        self.s.check("ovscrash-batch.1: exactly the options of ovscrash-batch --help",
                     lambda: self.argparse_page("ovscrash-batch.1",
                                                [os.path.join(top, "scripts", "ovscrash-batch")]))
        self.s.check("ovscrash-report.1: exactly the options of ovscrash-report --help",
                     lambda: self.argparse_page("ovscrash-report.1",
                                                [os.path.join(top, "scripts", "ovscrash-report")]))
        self.s.check("ovscrash-log.1: exactly the options of ovscrash-log's usage",
                     lambda: self.argparse_page("ovscrash-log.1",
                                                [os.path.join(top, "tools", "ovscrash-log")]))
        arrival = os.path.join(top, "scripts", "ovscrash-arrival")
        if os.path.isfile(arrival):
            self.s.check("ovscrash-arrival.8: exactly the options of ovscrash-arrival --help",
                         lambda: self.argparse_page("ovscrash-arrival.8", [arrival]))
        else:
            self.s.skip("ovscrash-arrival.8: options", "scripts/ovscrash-arrival not in this tree")
        self.s.check("ovscrash-watch.8: exactly the options of ovscrash-watch --help",
                     lambda: self.argparse_page("ovscrash-watch.8",
                                                [os.path.join(top, "build", "watch", "ovscrash-watch")]))
        wrapper = os.path.join(top, "scripts", "ovscrash-crash")
        if os.path.isfile(wrapper):
            self.s.check("ovscrash-crash.1: exactly the options scripts/ovscrash-crash reads",
                         lambda: self.wrapper_page(wrapper))
        else:
            self.s.skip("ovscrash-crash.1: options", "scripts/ovscrash-crash not in this tree")

    def argparse_page(self, page, argv):
        r = run(argv + ["--help"])
        eq(r.returncode, 0, f"{' '.join(argv)} --help: exit status ({r.stderr.strip()[:200]})")
        want = help_options(r.stdout)
        true(len(want) >= 3, f"{argv[0]} --help: only {sorted(want)} found: not a usage text?")
        same_options(page, want, page_options(self.top, page))

    def wrapper_page(self, path):
        code = [ln for ln in open(path).read().splitlines() if not ln.lstrip().startswith("#")]
        want = {o for o in OPT_RE.findall("\n".join(code)) if o.startswith("--")}
        true(want, f"{path}: no --option in its code")
        same_options("ovscrash-crash.1", want, page_options(self.top, "ovscrash-crash.1"))

    # ---- JSON page ----

    def json_examples(self):
        secs = scd_sections(self.src("ovscrash-json.5"))
        n = 0
        for _lvl, title, lines in secs:
            ex = [b for b in literal_blocks(lines) if b.lstrip().startswith("{")]
            for i, b in enumerate(ex):
                n += 1
                self.s.check(f"ovscrash-json.5: {title}: example {i + 1} is one JSON document",
                             lambda b=b, t=title: self.parses(b, t))
        self.s.check("ovscrash-json.5: an example for each of the 10 documents",
                     lambda: true(n >= 10, f"{n} JSON examples"))

    @staticmethod
    def parses(block, title):
        try:
            doc = json.loads(block)
        except ValueError as e:
            raise AssertionError(f"{title}: {e}") from None
        true(isinstance(doc, dict) and doc, f"{title}: not a non-empty object")

    def fixture(self):
        a = self.a
        if not a.fixture:
            for what in ("crash's help", "real -j documents", "batch result and report"):
                self.s.skip(f"fixture checks: {what}", "no fixture (OVSCRASH_MAN_FIXTURE='')")
            return
        cmds = {n: u for n, (u, hidden) in command_table(self.top).items() if not hidden}
        w = a.work
        ext = os.path.join(self.top, "extension", "ovscrash.so")
        lines = [f"help > {w}/help-before.txt", f"extend {ext}", f"help > {w}/help-after.txt"]
        for n in sorted(cmds):
            lines += [f"help {n} > {w}/help-{n}.txt", f"{n} -j > {w}/{n}.json"]
        lines.append("exit")
        with open(os.path.join(w, "cmds"), "w") as f:
            f.write("\n".join(lines) + "\n")
        r = run([a.crash, "-s", "--no_crashrc", os.path.join(a.fixture, "vmlinux"),
                 os.path.join(a.fixture, "vmcore"), "-i", os.path.join(w, "cmds")],
                stdin=subprocess.DEVNULL)
        with open(os.path.join(a.out, "crash.log"), "w") as f:
            f.write(r.stdout + r.stderr)
        self.s.check("crash on the fixture ran the help and -j commands",
                     lambda: true(os.path.isfile(os.path.join(w, "triage.json")),
                                  f"crash exit {r.returncode}, no triage -j output; "
                                  f"see {a.out}/crash.log"))
        self.s.check("crash's help lists exactly the table's commands once the extension "
                     "is loaded", lambda: self.help_list(cmds))
        text = render(self.page("ovscrash.7"), 200)
        cmd_secs = self.command_sections(text)
        for n in sorted(cmds):
            self.s.check(f"ovscrash.7: command {n}: an item for every option of crash's "
                         f"`help {n}` SYNOPSIS", lambda n=n: self.crash_help(cmd_secs, n))
        jsecs = {t: ls for _l, t, ls in scd_sections(self.src("ovscrash-json.5"))}
        for n in sorted(cmds):
            self.s.check(f"ovscrash-json.5: every top-level member of a real `{n} -j` in its "
                         f"section, and its example has exactly those members",
                         lambda n=n: self.doc_members(jsecs, f"{n} -j", self.load(f"{n}.json")))
        self.s.check("ovscrash-json.5: every member of real netdev device, peer, "
                     "vport, datapath, namespace, spin and tenant records in their sections",
                     lambda: self.nested_members(jsecs))
        self.s.check("ovscrash-json.5: every member of a real ovscrash-log -j and of its "
                     "file entry", lambda: self.log_members(jsecs))
        self.s.check("ovscrash-json.5: every member of a real batch result and report, "
                     "and their examples have exactly those members",
                     lambda: self.batch_members(jsecs))

    def load(self, name):
        p = os.path.join(self.a.work, name)
        true(os.path.isfile(p), f"{name}: crash wrote no such file")
        with open(p) as f:
            txt = f.read()
        start = txt.find("{")
        true(start >= 0, f"{name}: no JSON document in {txt[:200]!r}")
        return json.loads(txt[start:])

    def help_list(self, cmds):
        def words(f):
            txt = open(os.path.join(self.a.work, f)).read().split("crash version:")[0]
            return set(txt.split())
        new = words("help-after.txt") - words("help-before.txt")
        eq(sorted(new), sorted(cmds), "commands crash's help gained with the extension")

    def crash_help(self, cmd_secs, n):
        txt = open(os.path.join(self.a.work, f"help-{n}.txt")).read()
        m = re.search(r"^SYNOPSIS\s*\n\s*(\S.*)$", txt, re.M)
        true(m, f"help {n}: no SYNOPSIS in {txt[:200]!r}")
        syn = m.group(1).strip()
        true(syn.startswith(n), f"help {n}: SYNOPSIS {syn!r}")
        self.command_section(cmd_secs, n, syn[len(n):])

    @staticmethod
    def doc_members(jsecs, title, doc, example=True):
        true(title in jsecs, f"ovscrash-json.5: no section {title!r}")
        words = schema_words(jsecs[title])
        missing = sorted(k for k in doc if k not in words)
        true(not missing, f"section {title!r}: members of the real document not in its "
                          f"schema: {missing}")
        if example:
            ex = [json.loads(b) for b in literal_blocks(jsecs[title])
                  if b.lstrip().startswith("{")]
            true(ex, f"section {title!r}: no JSON example")
            eq(sorted(ex[-1]), sorted(doc), f"section {title!r}: the example's members "
                                            f"(a stale or invented example)")

    def nested_members(self, jsecs):
        nd = self.load("netdev.json")["devices"][0]
        self.doc_members(jsecs, "netdev", nd, example=False)
        vp = self.load("vport.json")
        self.doc_members(jsecs, "vport -j", vp["vports"][0], example=False)
        self.doc_members(jsecs, "vport -j", vp["datapaths"][0], example=False)
        ns = self.load("netns.json")["namespaces"][0]
        self.doc_members(jsecs, "netns -j", ns, example=False)
        self.doc_members(jsecs, "picktx -j", self.load("picktx.json")["spins"][0], example=False)
        tr = self.load("triage.json")
        self.doc_members(jsecs, "triage -j", tr["tenant"], example=False)
        self.doc_members(jsecs, "peer", tr["tenant"]["peer"], example=False)
        self.doc_members(jsecs, "triage -j", tr["panic_signature"], example=False)

    def log_members(self, jsecs):
        log = os.path.join(self.a.fixture, "vmcore-dmesg.txt")
        r = run([os.path.join(self.top, "tools", "ovscrash-log"), "-j", log])
        eq(r.returncode, 0, f"ovscrash-log -j {log}: exit status")
        doc = json.loads(r.stdout)
        self.doc_members(jsecs, "OVSCRASH-LOG -J", doc)
        self.doc_members(jsecs, "OVSCRASH-LOG -J", doc["files"][0], example=False)
        self.doc_members(jsecs, "OVSCRASH-LOG -J", doc["files"][0]["decode"], example=False)

    def batch_members(self, jsecs):
        a, w = self.a, self.a.work
        res = os.path.join(w, "results")
        r = run([os.path.join(self.top, "scripts", "ovscrash-batch"), "--no-index",
                 "--no-progress-bar", "--symbols", a.fixture, "--out", res,
                 "--scratch", os.path.join(w, "scratch"), "--crash", f"x86_64={a.crash}",
                 "--ext", f"x86_64={os.path.join(self.top, 'extension', 'ovscrash.so')}",
                 "--ovscrash-log", os.path.join(self.top, "tools", "ovscrash-log"), a.fixture])
        with open(os.path.join(a.out, "batch.log"), "w") as f:
            f.write(r.stdout + r.stderr)
        results = [f for f in os.listdir(res) if re.fullmatch(r"[0-9a-f]{64}\.json", f)]
        eq(len(results), 1, f"batch results in {res} (log {a.out}/batch.log)")
        with open(os.path.join(res, results[0])) as f:
            doc = json.load(f)
        self.doc_members(jsecs, "BATCH RESULT", doc)
        rj = os.path.join(w, "report.json")
        r = run([os.path.join(self.top, "scripts", "ovscrash-report"), res, "--json", rj])
        eq(r.returncode, 0, f"ovscrash-report: exit status ({r.stderr.strip()[:200]})")
        with open(rj) as f:
            rep = json.load(f)
        self.doc_members(jsecs, "REPORT", rep)
        self.doc_members(jsecs, "REPORT", rep["groups"][0], example=False)
        self.doc_members(jsecs, "REPORT", rep["buckets"][0], example=False)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--top", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--fixture", help="a lockup fixture dir: vmcore, vmlinux, vmcore-dmesg.txt")
    ap.add_argument("--crash", help="the x86_64 crash binary")
    a = ap.parse_args()
    c = Checks(a)
    c.rendering()
    c.commands()
    c.s.check("ovscrash.7: an ENVIRONMENT item for every variable the extension reads "
              "(getenv in extension/, core/)", c.environment)
    c.programs()
    c.json_examples()
    c.fixture()
    return c.s.summary("man")


if __name__ == "__main__":
    sys.exit(main())

"""ovscrash-report on hostile result directories: files that are not
result objects (issue 11, item 9) are named as problems and the rest is
reported; file names with control, bidi, markup, CSV-formula and
non-UTF-8 characters come out escaped in every format."""
import csv
import hashlib
import html.parser
import io
import json
import re

from hypothesis import given, settings, strategies as st

from ovscrash_batch import report


def ident(n):
    return hashlib.sha256(str(n).encode()).hexdigest()


def result(i, path, status="ok", **kw):
    r = {"schema": "ovscrash-batch-result/1", "id": ident(i), "status": status, "error": None,
         "input": {"path": path, "name": path.rsplit("/", 1)[-1], "size": 10, "source": "/in"},
         "paths": [path], "side_files": [], "arch": "x86_64", "dump": {"format": "elf"},
         "match": None, "signature": None, "verdict": None, "crash": None, "triage": None,
         "finished": "2026-11-26T12:00:00Z"}
    r.update(kw)
    return r


def write_result(d, r, raw=None):
    p = d / f"{r['id'] if raw is None else raw[0]}.json"
    p.write_bytes(json.dumps(r).encode() if raw is None else raw[1])
    return p


def test_non_object_and_non_utf8_results_are_problems(tmp_path):
    """Before: a result file holding a JSON list stopped the report with
    AttributeError; now each such file is a problem naming it."""
    good = result(0, "/in/vmcore")
    write_result(tmp_path, good)
    bad = {"list": b"[1, 2]", "string": b'"x"', "number": b"7", "null": b"null",
           "latin1": b'{"id": "\xe9"}', "truncated": b'{"id": '}
    names = {}
    for i, (k, raw) in enumerate(bad.items()):
        names[k] = str(write_result(tmp_path, None, (ident(100 + i), raw)))
    rep = report.build([str(tmp_path)])
    assert [d["id"] for d in rep["dumps"]] == [good["id"]]
    for k, p in names.items():
        assert any(pr.startswith(p + ":") for pr in rep["problems"]), (k, rep["problems"])
    # every format still renders
    report.to_md(rep), report.to_html(rep), report.to_csv(rep)


def test_report_main_writes_despite_bad_files(tmp_path):
    d = tmp_path / "res"
    d.mkdir()
    write_result(d, result(0, "/in/vmcore"))
    write_result(d, None, (ident(1), b"[]"))
    outs = {k: tmp_path / f"r.{k}" for k in ("json", "csv", "md", "html")}
    rc = report.main([str(d)] + [a for k, p in outs.items() for a in (f"--{k}", str(p))])
    assert rc == 1          # a problem was found
    for p in outs.values():
        assert p.exists() and p.stat().st_size > 0
    assert json.loads(outs["json"].read_text())["total"] == 1


def test_mixed_types_across_results(tmp_path):
    """Each result renders alone, but an arch of true beside "x86_64" (or
    a numeric input path beside a string one) failed the report's sort
    (TypeError: '<' not supported between 'bool' and 'str'); found by
    the property below with 800 examples."""
    write_result(tmp_path, result(0, "/in/a"))
    write_result(tmp_path, result(1, "/in/b", arch=True))
    r = result(2, "/in/c")
    r["input"]["path"] = 5
    write_result(tmp_path, r)
    rep = report.build([str(tmp_path)])
    assert {d["id"] for d in rep["dumps"]} == {ident(0), ident(1), ident(2)}
    assert rep["by_arch"] == {"x86_64": 2}
    report.to_md(rep), report.to_html(rep), report.to_csv(rep)


# random JSON in every field a result may carry
JSONV = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                     lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=6), c,
                                                                        max_size=3),
                     max_leaves=8)
FIELDS = ["status", "error", "input", "paths", "side_files", "arch", "dump", "match",
          "signature", "verdict", "crash", "triage", "log_run", "log_triage", "bucket",
          "verdict_source", "panic_where", "finished"]


@given(st.lists(st.dictionaries(st.sampled_from(FIELDS), JSONV, max_size=6),
                min_size=1, max_size=3))
def test_random_field_values_never_stop_the_report(tmp_path_factory, randoms):
    """Random values in one or more results (mixed types across results
    too: an arch of true beside "x86_64" once failed the sort)."""
    d = tmp_path_factory.mktemp("res")
    write_result(d, result(0, "/in/good"))
    for i, fields in enumerate(randoms, 1):
        r = result(i, f"/in/x{i}")
        r.update(fields)
        write_result(d, r)
    rep = report.build([str(d)])
    ids = {x["id"] for x in rep["dumps"]}
    assert ident(0) in ids
    # each random one is either reported or named as a problem
    for i in range(1, len(randoms) + 1):
        assert ident(i) in ids or any(ident(i) in p for p in rep["problems"])
    json.dumps(rep)
    report.to_md(rep), report.to_html(rep), report.to_csv(rep), report.to_buckets_csv(rep)


# ---------------------------------------------------------------- escaping

NAME_CHARS = list("ab/.-_ @,:|*`<>&\"'=+[]()#!\\\t\n\r\x1b\x00\x7f\x85\u202e\u2066é") + \
    ["\udce9", "\udcff"]
NAME = st.text(alphabet=st.sampled_from(NAME_CHARS), min_size=1, max_size=24)
RAW_CTRL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "h4", "p", "span",
        "svg", "g", "text", "rect", "table", "thead", "tbody", "tr", "th", "td", "code", "a",
        "section", "ul", "li", "pre", "em", "br", "script"}


class Tags(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)


def printable(name):
    return [c for c in name if c.isalnum()]


def subsequence(needle, hay):
    it = iter(hay)
    return all(c in it for c in needle)


@settings(max_examples=60)
@given(NAME, NAME)
def test_names_escaped_in_every_format(tmp_path_factory, name, skipped_name):
    d = tmp_path_factory.mktemp("res")
    path = "/in/" + name
    write_result(d, result(0, path, "bad-dump", error="bad " + name))
    (d / "skipped.json").write_text(json.dumps(
        {"files": [{"path": "/in/" + skipped_name, "reason": "r " + skipped_name}]}))
    outs = {k: d / f"r.{k}" for k in ("csv", "md", "html")}
    report.main([str(d)] + [a for k, p in outs.items() for a in (f"--{k}", str(p))])
    texts = {k: p.read_bytes().decode("utf-8") for k, p in outs.items()}   # valid UTF-8
    for k, t in texts.items():
        body = t.replace("\r\n", "\n") if k == "csv" else t
        bad = RAW_CTRL.search(body.replace("\t", " ") if k != "md" else body)
        assert not bad, (k, repr(bad.group()))
    # CSV: one header and one row, every row as wide as the header; the
    # name's letters survive in its cell
    rows = list(csv.reader(io.StringIO(texts["csv"])))
    assert len(rows) == 2 and len(rows[1]) == len(rows[0])
    cell = rows[1][rows[0].index("path")]
    assert subsequence(printable(path), cell)
    assert cell[:1] not in ("=", "+", "-", "@")
    srows = list(csv.reader(io.StringIO((d / "r.skipped.csv").read_text())))
    assert len(srows) == 2 and len(srows[1]) == 2
    # Markdown: each table row is one line with as many unescaped pipes
    # as its header row; no raw HTML
    lines = texts["md"].split("\n")
    for i, line in enumerate(lines):
        if line.startswith("| path | reason |") or line.startswith("| dump | status |"):
            want = len(re.findall(r"(?<!\\)\|", line))
            row = lines[i + 2]
            assert len(re.findall(r"(?<!\\)\|", row)) == want, row
    assert "<" not in re.sub(r'<a id="d-[0-9a-f]{12}"></a>', "", texts["md"])
    # HTML: no element the template does not make; one script
    tp = Tags()
    tp.feed(texts["html"])
    assert set(tp.tags) <= TAGS, set(tp.tags) - TAGS
    assert tp.tags.count("script") == 1


# ---------------------------------------------------------------- tenant (issue 13)

def triage_with_tenant(line):
    return {"verdict": "OVS_PICKTX_LOCKUP", "signature": "ovs-unregister-picktx-lockup",
            "summary": "s", "confidence": 95, "evidence": [], "caveats": [], "fixes": [],
            "spin": {"cpu": 0, "netdev": {"name": "p2", "address": "0x1"}},
            "tenant": {"line": line, "victim_name": "p2"}}


def test_tenant_column_from_triage(tmp_path):
    """triage -j's tenant line is the dump's tenant in every format; a
    tenant that is not an object, or a line that is not a string, is none."""
    line = "victim p2 <-> vB in netns B (pid 168 nginx, cgroup /kubepods/burstable/pod0f3c/4e8f)"
    write_result(tmp_path, result(0, "/in/a", triage=triage_with_tenant(line), verdict="OVS_PICKTX_LOCKUP"))
    write_result(tmp_path, result(1, "/in/b", triage={"tenant": ["not", "an", "object"]}))
    write_result(tmp_path, result(2, "/in/c", triage=triage_with_tenant(42)))
    rep = report.build([str(tmp_path)])
    by = {d["path"]: d for d in rep["dumps"]}
    assert by["/in/a"]["tenant"] == line
    assert by["/in/b"]["tenant"] is None and by["/in/c"]["tenant"] is None
    rows = list(csv.reader(io.StringIO(report.to_csv(rep))))
    col = rows[0].index("tenant")
    assert [r[col] for r in rows[1:] if line in r[col]] == [line]
    mdrow = next(ln for ln in report.to_md(rep).split("\n") if "| vB in netns" not in ln and "nginx" in ln
                 and ln.startswith("| ["))
    assert report.md(line) in mdrow
    assert f"<td>{report.h(line)}</td>" in report.to_html(rep)
    assert json.loads(json.dumps(rep))["dumps"][0]["tenant"] in (line, None)


@settings(max_examples=60)
@given(NAME)
def test_tenant_escaped_in_every_format(tmp_path_factory, name):
    """A tenant line holding a hostile name (a namespace or cgroup path
    is untrusted): no raw control byte, markup or extra table cell."""
    d = tmp_path_factory.mktemp("res")
    write_result(d, result(0, "/in/x", triage=triage_with_tenant(f"victim p2 <-> {name} in netns {name}")))
    rep = report.build([str(d)])
    # as ovscrash-report writes them (shown(): a lone surrogate as \\xNN)
    texts = {"csv": report.shown(report.to_csv(rep)), "md": report.shown(report.to_md(rep)),
             "html": report.shown(report.to_html(rep))}
    for k, t in texts.items():
        body = t.replace("\r\n", "\n") if k == "csv" else t
        bad = RAW_CTRL.search(body.replace("\t", " ") if k != "md" else body)
        assert not bad, (k, repr(bad.group()))
    rows = list(csv.reader(io.StringIO(texts["csv"])))
    assert len(rows) == 2 and len(rows[1]) == len(rows[0])
    assert subsequence(printable(name), rows[1][rows[0].index("tenant")])
    lines = texts["md"].split("\n")
    i = next(i for i, ln in enumerate(lines) if ln.startswith("| dump | status |"))
    assert len(re.findall(r"(?<!\\)\|", lines[i + 2])) == len(re.findall(r"(?<!\\)\|", lines[i]))
    tp = Tags()
    tp.feed(texts["html"])
    assert set(tp.tags) <= TAGS and tp.tags.count("script") == 1

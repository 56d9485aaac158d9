"""ovscrash-report: merge ovscrash-batch result directories into reports.

    ovscrash-report RESULTS_DIR... [--json F] [--csv F] [--md F] [--html F]

Results with the same dump identity in several directories (shards, reruns)
are merged: an `ok` result wins over a failed one, then the newest.  Dumps
of the Open vSwitch lockup (and other netdev_pick_tx spins) are grouped by
their signature; every other verdict by its panic bucket (the stable id of
the panic report: kind, function, first frames); dumps without a verdict
(neither from crash nor from their logs) by their status.

Every string that came from a dump or a file name is untrusted: control
characters are shown as \\xNN in CSV/Markdown/HTML, HTML is escaped, CSV is
quoted (and cells that a spreadsheet would run as a formula are prefixed
with '), Markdown metacharacters are backslash-escaped or turned into
entities.  No network: the HTML has inline CSS, SVG and JS only.
"""
import argparse
import csv
import html
import io
import json
import os
import re
import sys
import time

from .shard import check_shards

SCHEMA = "ovscrash-report/1"
ID_RE = re.compile(r"^([0-9a-f]{64})\.json$")
RANK = {"ok": 0, "bad-dump": 1, "unmatched": 2, "no-crash": 3, "timeout": 4, "crash-failed": 5,
        "too-large": 6, "incomplete": 7, "not-a-dump": 8, "log-only": 9}
SKIPPED_FILE = "skipped.json"     # ovscrash-batch's files that are evidently not dumps
BUCKET_RE = re.compile(r"^[0-9a-f]{16}$")
WHERE_RE = re.compile(r"^(\S+?)(?:\+0x[0-9a-fA-F]+(?:/0x[0-9a-fA-F]+)?)?(?:\s+(\[[^\]]*\]))?\s*$")
CTRL_RE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible(s):
    """Control, C1 and bidi-override characters as \\xNN / \\uNNNN."""
    if s is None:
        return ""
    s = str(s)
    return CTRL_RE.sub(lambda m: ("\\x%02x" % ord(m.group()) if ord(m.group()) < 0x100
                                  else "\\u%04x" % ord(m.group())), s)


def h(s):
    return html.escape(visible(s), quote=True)


MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")


def md(s):
    s = visible(s)
    s = MD_SPECIAL.sub(r"\\\1", s)
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def csv_cell(s):
    s = visible(s)
    if s[:1] in ("=", "+", "-", "@"):
        s = "'" + s
    return s


def load(dirs, notes=None):
    """({id: merged result}, {id: dir it came from}, problems).  An
    identity with results in several directories (shards that overlap, a
    rerun into another directory) is merged as the module says, and a
    line in NOTES names the directories and which one was kept."""
    merged, sources = {}, {}
    problems = []
    seen = {}
    for d in dirs:
        if not os.path.isdir(d):
            problems.append(f"{d}: not a directory")
            continue
        for fn in sorted(os.listdir(d)):
            m = ID_RE.match(fn)
            if not m:
                continue
            p = os.path.join(d, fn)
            try:
                with open(p, encoding="utf-8") as f:
                    r = json.load(f)
            except (OSError, ValueError) as e:
                problems.append(f"{p}: unreadable result: {e}")
                continue
            why = malformed(r, m.group(1))
            if why:
                problems.append(f"{p}: {why}; left out of the report")
                continue
            seen.setdefault(r["id"], []).append((d, r.get("status"), r.get("shard")))
            old = merged.get(r["id"])
            key = (-RANK.get(r.get("status"), 9), r.get("finished") or "")
            if old is None or key > (-RANK.get(old.get("status"), 9), old.get("finished") or ""):
                if old is not None:
                    r = dict(r, paths=sorted(set(r.get("paths") or []) | set(old.get("paths") or [])))
                merged[r["id"]] = r
                sources[r["id"]] = d
            else:
                old["paths"] = sorted(set(r.get("paths") or []) | set(old.get("paths") or []))
    for i, where in seen.items():
        if len(where) > 1 and notes is not None:
            each = "; ".join(f"{d} ({st}" + (f", shard {sh}" if isinstance(sh, str) else "") + ")"
                             for d, st, sh in where)
            notes.append(f"{merged[i]['input']['path'] if isinstance(merged[i].get('input'), dict) else i} "
                         f"(id {i[:16]}) has a result in {len(where)} directories: {each}; "
                         f"kept {sources[i]}'s (ok first, then the newest)")
    return merged, sources, problems


JSON_TYPE = {list: "an array", str: "a string", int: "a number", float: "a number",
             bool: "a boolean", type(None): "null"}


def malformed(r, ident):
    """Why a parsed result file cannot go into the report, or None: not a
    JSON object, an id that is not its file name's, or fields of the
    wrong type (the result is tried through every output format)."""
    if not isinstance(r, dict):
        return f"not a result: the file holds {JSON_TYPE.get(type(r), 'no object')}, not a JSON object"
    if r.get("id") != ident:
        return "id field does not match the file name"
    if not isinstance(r.get("status"), (str, type(None))) or \
            not isinstance(r.get("finished"), (str, type(None))) or \
            not isinstance(r.get("paths") or [], list) or \
            not all(isinstance(x, str) for x in r.get("paths") or []):
        return "malformed result: status, finished or paths of the wrong type"
    try:
        rep = report_of({ident: r}, [], [], [])
        json.dumps(rep)
        to_csv(rep), to_buckets_csv(rep), to_md(rep), to_html(rep), summary_lines(rep)
    except (AttributeError, TypeError, ValueError, KeyError, IndexError) as e:
        return f"malformed result ({type(e).__name__}: {str(e)[:200]})"
    return None


def load_skipped(dirs, problems):
    """[{path, reason}] of every result dir's skipped.json, each path once."""
    files = {}
    for d in dirs:
        p = os.path.join(d, SKIPPED_FILE)
        if not os.path.isfile(p):
            continue
        try:
            with open(p, encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            problems.append(f"{p}: unreadable skipped-files list: {e}")
            continue
        for e in (doc.get("files") if isinstance(doc, dict) else None) or []:
            if isinstance(e, dict) and isinstance(e.get("path"), str):
                files.setdefault(e["path"], e.get("reason") if isinstance(e.get("reason"), str) else None)
    return [{"path": k, "reason": files[k]} for k in sorted(files)]


def text(v):
    return v if isinstance(v, str) and v else None


def bucket_of(r):
    b = r.get("bucket")
    return b if isinstance(b, str) and BUCKET_RE.match(b) else None


def spin_verdict(v):
    return v == "OVS_PICKTX_LOCKUP" or v.startswith("PICKTX_SPIN")


def group_key(r):
    """(key, signature, verdict, pc_function, bucket).  The lockup and
    other netdev_pick_tx spins group by signature; every other verdict by
    its bucket ("bucket:<id>"); no verdict by status ("status:<status>")."""
    v, sig = text(r.get("verdict")), text(r.get("signature"))
    if v:
        if spin_verdict(v):
            return (sig or v, sig or v, v, text(r.get("pc_function")), None)
        b = bucket_of(r)
        if b:
            return (f"bucket:{b}", sig or v, v, None, b)
        return (f"verdict:{v}:{sig or '-'}", sig or v, v, text(r.get("pc_function")), None)
    return (f"status:{r.get('status')}", r.get("status"), None, None, None)


def where_function(where):
    """"func [module]" of a "func+0xoff/0xlen [module]" location."""
    if not isinstance(where, str) or not where:
        return None
    m = WHERE_RE.match(where)
    if not m:
        return where
    return m.group(1) + (f" {m.group(2)}" if m.group(2) else "")


def verdict_doc(r):
    """The triage-shaped document the verdict came from."""
    if r.get("verdict_source") == "log" and isinstance(r.get("log_triage"), dict):
        return r["log_triage"]
    t = r.get("triage")
    return t if isinstance(t, dict) else {}


def dump_entry(r):
    t = verdict_doc(r)
    spin = t.get("spin") or {}
    nd = spin.get("netdev") or (t.get("vport") or {}).get("netdev") or {}
    vp = t.get("vport") or {}
    m = r.get("match") or {}
    dump = r.get("dump") or {}
    c = r.get("crash") or {}
    argv = c.get("argv") or []
    session = None
    # the crash session reproduces crash's evidence, not a log verdict's
    if len(argv) >= 4 and r.get("verdict_source") != "log":
        session = {"start": " ".join(shq(a) for a in argv),
                   "note": ("the dump is an archive member (archive!member): extract it first"
                            if c.get("in_archive") else None),
                   "extend": f"extend {c.get('extension')}",
                   "env": f"OVSCRASH_DEBUG_PATH={shq(c.get('debug_path') or '')}"}
    lr = r.get("log_run") if isinstance(r.get("log_run"), dict) else {}
    log_session = None
    if r.get("verdict_source") == "log" and lr.get("argv"):
        log_session = " ".join(shq(a) for a in lr["argv"])
    ev = []
    for e in t.get("evidence") or []:
        if isinstance(e, dict):
            ev.append({"text": e.get("text"), "command": e.get("command")})
    gk = group_key(r)
    # whose the victim is (triage's "tenant" object, issue 13): its line
    tn = t.get("tenant")
    tenant = text(tn.get("line")) if isinstance(tn, dict) else None
    return {
        "id": r.get("id"),
        "status": r.get("status"),
        "group": gk[0],
        "signature": gk[1],
        "verdict_source": r.get("verdict_source"),
        # crash, log (crash could not triage it) or log-fast-path (no crash needed)
        "method": r.get("method"),
        "bucket": bucket_of(r),
        "panic_kind": r.get("panic_kind"),
        "panic_where": r.get("panic_where"),
        "bucket_functions": r.get("bucket_functions"),
        "log_file": lr.get("used"),
        "log_error": lr.get("error"),
        "log_session": log_session,
        "verdict": r.get("verdict"),
        "pc_function": r.get("pc_function"),
        "pc_symbol": spin.get("pc_symbol"),
        "cpu": spin.get("cpu"),
        "summary": t.get("summary"),
        "confidence": t.get("confidence"),
        "panic": t.get("panic"),
        "netdev": nd.get("name"),
        "netdev_address": nd.get("address"),
        "tenant": tenant,
        "datapath": vp.get("datapath"),
        "port_no": vp.get("port_no"),
        "hash": spin.get("hash"),
        "qcount": spin.get("qcount"),
        "fixes": t.get("fixes") or [],
        "fixes_in_kernel": t.get("fixes_in_kernel"),
        "caveats": t.get("caveats") or [],
        # sort and count keys across results: strings or None only
        "path": text((r.get("input") or {}).get("path")),
        "paths": r.get("paths") or [],
        "size": (r.get("input") or {}).get("size"),
        "format": dump.get("format"),
        "arch": text(r.get("arch")) or text(dump.get("arch")) or text(t.get("arch")),
        "crash_binary": c.get("binary"),
        "crash_target": c.get("target"),
        "extension": c.get("extension"),
        "release": dump.get("release") or t.get("kernel_release"),
        "build_id": dump.get("build_id"),
        "vmlinux": m.get("vmlinux"),
        "match": m.get("how") or m.get("reason"),
        "side_files": r.get("side_files") or [],
        "error": r.get("error"),
        "session": session,
        "evidence": ev,
    }


def shq(s):
    s = str(s)
    if re.fullmatch(r"[A-Za-z0-9_./:=@%+,-]+", s):
        return s
    return "'" + s.replace("'", "'\\''") + "'"


def build(dirs):
    notes = []
    merged, _sources, problems = load(dirs, notes)
    skipped = load_skipped(dirs, problems)
    shards = check_shards(dirs, set(merged), problems, notes)
    return report_of(merged, dirs, problems, skipped, shards, notes)


def report_of(merged, dirs, problems, skipped, shards=None, notes=None):
    """The report document of merged results {id: result}; SHARDS: what
    shard.check_shards found, NOTES: lines worth showing that are no
    problem (duplicates merged)."""
    dumps = [dump_entry(r) for r in merged.values()]
    groups = {}
    arch_of = {d["id"]: d["arch"] for d in dumps}
    members = {}
    for r in merged.values():
        key, sig, verdict, pcf, bucket = group_key(r)
        g = groups.setdefault(key, {"key": key, "signature": sig, "verdict": verdict,
                                    "pc_function": pcf, "bucket": bucket, "count": 0, "dumps": [],
                                    "arches": {}, "sources": {}, "fixes": []})
        members.setdefault(key, []).append(r)
        g["count"] += 1
        g["dumps"].append(r["id"])
        a = arch_of.get(r["id"])
        if a:
            g["arches"][a] = g["arches"].get(a, 0) + 1
        src = r.get("verdict_source")
        if src in ("vmcore", "log"):
            g["sources"][src] = g["sources"].get(src, 0) + 1
        for fx in verdict_doc(r).get("fixes") or []:
            if isinstance(fx, dict) and fx not in g["fixes"]:
                g["fixes"].append(fx)
    glist = sorted(groups.values(), key=lambda g: (g["key"].startswith("status:"),
                                                   g["verdict"] == "NOT_THIS_BUG", -g["count"], g["key"]))
    for g in glist:
        g["dumps"].sort()
        g["arches"] = dict(sorted(g["arches"].items()))
        g["sources"] = dict(sorted(g["sources"].items()))
        # one example per group: a dump crash triaged if there is one
        ex = min(members[g["key"]], key=lambda r: (r.get("verdict_source") != "vmcore",
                                                   r.get("status") != "ok", r["id"]))
        g["example"] = ex["id"]
        g["panic_kind"] = text(ex.get("panic_kind"))
        g["where"] = where_function(ex.get("panic_where"))
        g["buckets"] = sorted({b for b in (bucket_of(r) for r in members[g["key"]]) if b})
        if g["verdict"] and not spin_verdict(g["verdict"]) and g["panic_kind"]:
            g["label"] = g["panic_kind"] + (f" in {g['where']}" if g["where"] else "")
        else:
            g["label"] = g["signature"]
    gorder = {g["key"]: i for i, g in enumerate(glist)}
    dumps.sort(key=lambda d: (gorder[d["group"]], d["path"] or "", d["id"]))
    by_status, by_arch = {}, {}
    for d in dumps:
        by_status[d["status"]] = by_status.get(d["status"], 0) + 1
        if d["arch"]:
            by_arch[d["arch"]] = by_arch.get(d["arch"], 0) + 1
    return {
        "schema": SCHEMA,
        "generated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "sources": [os.path.abspath(d) for d in dirs],
        "problems": problems,
        "total": len(dumps),
        "by_status": dict(sorted(by_status.items())),
        "by_arch": dict(sorted(by_arch.items())),
        "groups": glist,
        "buckets": [bucket_row(g) for g in glist if g["verdict"]],
        "dumps": dumps,
        "skipped_total": len(skipped),
        "skipped": skipped,
        "shards": shards or [],
        "notes": notes or [],
    }


def bucket_row(g):
    """The bucket table's row of a group that has a verdict."""
    return {k: g[k] for k in ("key", "label", "bucket", "buckets", "verdict", "signature",
                              "panic_kind", "where", "count", "arches", "sources", "example")}


def arches_str(m):
    return ", ".join(f"{k} {v}" for k, v in (m or {}).items())


SHOWN_MISSING = 50      # entries without a result listed in the Markdown and HTML


def shard_lines(rep):
    """Plain lines on the shards merged (one per shard count seen in the
    manifests); each renderer escapes them."""
    out = []
    for s in rep.get("shards") or []:
        n = s["of"]
        line = (f"{len(s['done'])} of {n} shard{'s' if n != 1 else ''} done ({s['entries']} entries"
                + (f" of {', '.join(s['inputs'])}" if s.get("inputs") else "")
                + (f"; hosts {', '.join(s['hosts'])}" if s.get("hosts") else "") + ")")
        if s["missing"]:
            line += "; MISSING: " + ", ".join(f"{k}/{n}" for k in s["missing"])
        if s["unfinished"]:
            line += "; NOT FINISHED: " + ", ".join(f"{k}/{n}" for k in s["unfinished"])
        if s["without_result"]:
            line += f"; {len(s['without_result'])} entries without a result"
        out.append(line)
    return out


def summary_lines(rep):
    out = [f"{rep['total']} results: " + ", ".join(f"{k} {v}" for k, v in rep["by_status"].items())
           + (f"; dumps by arch: {arches_str(rep['by_arch'])}" if rep.get("by_arch") else "")]
    for g in rep["groups"]:
        out.append(f"  {g['count']:>4}  {g['label']}" +
                   (f"  ({g['verdict']} @ {g['pc_function'] or '-'})" if g["verdict"] and not g["bucket"]
                    else f"  ({g['verdict']}, bucket {g['bucket']})" if g["verdict"] else "") +
                   (f"  sources: {arches_str(g['sources'])}" if g.get("sources") else "") +
                   (f"  [{arches_str(g['arches'])}]" if g.get("arches") else "") +
                   (f"  fixes: {', '.join(f['commit'] for f in g['fixes'])}" if g["fixes"] else ""))
    if rep.get("skipped"):
        out.append(f"skipped files (not dumps, no result): {rep['skipped_total']}")
    out += [f"shards: {x}" for x in shard_lines(rep)]
    out += [f"note: {x}" for x in rep.get("notes") or []]
    return out


# ------------------------------------------------------------ CSV

CSV_COLS = ["id", "status", "signature", "verdict", "verdict_source", "method", "group", "bucket", "panic_kind",
            "panic_where", "pc_symbol", "confidence", "netdev", "tenant", "datapath",
            "port_no", "release", "arch", "build_id", "format", "path", "vmlinux", "crash_binary",
            "crash_target", "extension", "log_file", "fixes", "summary", "error"]
BUCKET_COLS = ["key", "label", "verdict", "signature", "bucket", "panic_kind", "where", "count",
               "arches", "sources", "example"]


def to_csv(rep):
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    w.writerow(CSV_COLS)
    for d in rep["dumps"]:
        row = []
        for c in CSV_COLS:
            v = d.get(c)
            if c == "fixes":
                v = " ".join(f["commit"] for f in v)
            row.append(csv_cell("" if v is None else v))
        w.writerow(row)
    return buf.getvalue()


def to_skipped_csv(rep):
    """The skipped files: evidently not dumps, given no result."""
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    w.writerow(["path", "reason"])
    for e in rep["skipped"]:
        w.writerow([csv_cell(e["path"]), csv_cell("" if e["reason"] is None else e["reason"])])
    return buf.getvalue()


def to_buckets_csv(rep):
    """The bucket table: one row per group with a verdict."""
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    w.writerow(BUCKET_COLS)
    for b in rep["buckets"]:
        row = []
        for c in BUCKET_COLS:
            v = b.get(c)
            if c in ("arches", "sources"):
                v = arches_str(v)
            elif c == "bucket":
                v = v or " ".join(b.get("buckets") or [])
            row.append(csv_cell("" if v is None else v))
        w.writerow(row)
    return buf.getvalue()


# ------------------------------------------------------------ Markdown

def to_md(rep):
    L = ["# ovscrash batch report", "",
         f"{rep['total']} dumps from {len(rep['sources'])} result director"
         f"{'y' if len(rep['sources']) == 1 else 'ies'}; generated {rep['generated']}."
         + (f" Dumps by architecture: {md(arches_str(rep.get('by_arch')))}." if rep.get("by_arch") else ""),
         "", "## Signatures", "", "| count | signature | verdict @ PC function | arches | fixes |",
         "|---:|---|---|---|---|"]
    for g in rep["groups"]:
        vf = (f"{md(g['verdict'])}, bucket {md(g['bucket'])}" if g["bucket"] else
              f"{md(g['verdict'])} @ {md(g['pc_function'] or '-')}" if g["verdict"] else "\\-")
        fx = ", ".join(md(f["commit"]) for f in g["fixes"]) or "\\-"
        ar = md(arches_str(g.get("arches"))) or "\\-"
        L.append(f"| {g['count']} | {md(g['label'])} | {vf} | {ar} | {fx} |")
    L += ["", "## Buckets", "",
          "Dumps with a verdict, grouped: the Open vSwitch lockup and other netdev\\_pick\\_tx "
          "spins by signature, everything else by panic bucket. One example dump each.", "",
          "| count | group | verdict | panic kind | where (example) | bucket | arches | sources | example |",
          "|---:|---|---|---|---|---|---|---|---|"]
    for b in rep["buckets"]:
        bid = b["bucket"] or " ".join(b.get("buckets") or [])
        cells = [md(b["panic_kind"]), md(b["where"]), md(bid), md(arches_str(b["arches"])),
                 md(arches_str(b["sources"]))]
        cells = " | ".join(c or "\\-" for c in cells)
        ex = md(b["example"][:12])
        L.append(f"| {b['count']} | {md(b['label'])} | {md(b['verdict'])} | {cells} | [{ex}](#d-{ex}) |")
    L += ["", "## Dumps", "",
          "| dump | status | signature | source | bucket | device | tenant | arch | release | path |",
          "|---|---|---|---|---|---|---|---|---|---|"]
    for d in rep["dumps"]:
        L.append(f"| [{d['id'][:12]}](#d-{d['id'][:12]}) | {md(d['status'])} | {md(d['signature'])} | "
                 f"{md(d['verdict_source'])} | {md(d['bucket'])} | "
                 f"{md(d['netdev'])} | {md(d['tenant'])} | {md(d['arch'])} | {md(d['release'])} | "
                 f"{md(d['path'])} |")
    L += ["", "## Skipped files", "",
          f"{rep['skipped_total']} files are evidently not dumps (manifests, logs, READMEs, "
          "kexec\\_cmd, lock files) or could not be taken from an archive; they have no result.", ""]
    if rep["skipped"]:
        L += ["| path | reason |", "|---|---|"]
        for e in rep["skipped"]:
            L.append(f"| {md(e['path'])} | {md(e['reason'])} |")
    L += ["", "## Shards", ""]
    L += [f"- {md(x)}" for x in shard_lines(rep)] or ["No shard manifests (results of an older batch)."]
    for sh in rep.get("shards") or []:
        for e in sh["without_result"][:SHOWN_MISSING]:
            L.append(f"- no result: {md(e['path'])} (shard {e['shard']}/{sh['of']}, id {e['id'][:16]})")
        if len(sh["without_result"]) > SHOWN_MISSING:
            L.append(f"- and {len(sh['without_result']) - SHOWN_MISSING} more without a result "
                     f"(the JSON report lists all)")
    L += [f"- note: {md(x)}" for x in rep.get("notes") or []]
    L += ["", "## Details", ""]
    for d in rep["dumps"]:
        L += [f'<a id="d-{d["id"][:12]}"></a>', "", f"### {d['id'][:12]}: {md(d['signature'])}", "",
              f"- path: {md(d['path'])}", f"- status: {md(d['status'])}"]
        for k in ("verdict_source", "method", "summary", "tenant", "panic", "panic_kind", "panic_where", "bucket",
                  "bucket_functions", "arch", "release", "build_id", "vmlinux", "match", "crash_binary",
                  "crash_target", "extension", "log_file", "log_session", "log_error", "error"):
            if d.get(k):
                L.append(f"- {k}: {md(d[k])}")
        if d["fixes"]:
            L.append("- fixes: " + "; ".join(f"{md(f['commit'])} {md(f['subject'])}" for f in d["fixes"]))
        for c in d["caveats"]:
            L.append(f"- caveat: {md(c)}")
        for s in d["side_files"]:
            L.append(f"- {md(s['kind'])}: {md(s['path'])}" + (f" — {md(s['panic_line'])}" if s.get("panic_line") else ""))
        if d["evidence"]:
            L += ["", "Evidence (crash command that shows it):", ""]
            if d["session"]:
                L.append(f"- session: {md(d['session']['env'])} {md(d['session']['start'])}, then "
                         f"{md(d['session']['extend'])}"
                         + (f" ({md(d['session']['note'])})" if d['session'].get('note') else ""))
            for e in d["evidence"]:
                cmd = f"crash\\> {md(e['command'])}" if e.get("command") else "(no single command)"
                L.append(f"- {md(e['text'])} — {cmd}")
        L.append("")
    return "\n".join(L) + "\n"


# ------------------------------------------------------------ HTML

CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#eee;cursor:pointer;user-select:none}th.asc:after{content:" \\25B2"}th.desc:after{content:" \\25BC"}
code,pre{font:12px ui-monospace,monospace;background:#f5f5f5}pre{padding:6px;white-space:pre-wrap}
.st-ok{color:#070}.st-bad-dump,.st-crash-failed,.st-timeout{color:#b00}.st-unmatched,.st-no-crash,.st-incomplete,.st-too-large{color:#a60}.st-not-a-dump{color:#777}
section.dump{border-top:1px solid #ccc;margin-top:1em}
"""

JS = r"""
(function(){
  var t=document.getElementById('dumps'); if(!t) return;
  var ths=t.tHead.rows[0].cells;
  for (var i=0;i<ths.length;i++) (function(i){
    ths[i].addEventListener('click',function(){
      var asc=!this.classList.contains('asc');
      for (var j=0;j<ths.length;j++) ths[j].classList.remove('asc','desc');
      this.classList.add(asc?'asc':'desc');
      var num=this.getAttribute('data-type')==='num';
      var rows=Array.prototype.slice.call(t.tBodies[0].rows);
      rows.sort(function(a,b){
        var x=a.cells[i].getAttribute('data-v')||a.cells[i].textContent;
        var y=b.cells[i].getAttribute('data-v')||b.cells[i].textContent;
        if(num){x=parseFloat(x)||-1;y=parseFloat(y)||-1;return asc?x-y:y-x;}
        return asc?x.localeCompare(y):y.localeCompare(x);
      });
      rows.forEach(function(r){t.tBodies[0].appendChild(r);});
    });
  })(i);
})();
"""


def svg_chart(groups):
    bar_h, gap, label_w, width = 22, 6, 360, 900
    maxc = max([g["count"] for g in groups] or [1])
    hgt = len(groups) * (bar_h + gap) + gap
    out = [f'<svg id="chart" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{hgt}" '
           f'role="img" aria-label="dumps per signature">']
    for i, g in enumerate(groups):
        y = gap + i * (bar_h + gap)
        w = max(2, int((width - label_w - 60) * g["count"] / maxc))
        color = "#c0392b" if g["verdict"] and g["verdict"] != "NOT_THIS_BUG" else (
            "#7f8c8d" if g["key"].startswith("status:") else "#2e86c1")
        label = g["label"] + (f" ({g['pc_function']})" if g["pc_function"] else "")
        if len(label) > 50:     # the <title> keeps the full key; the bar keeps its room
            label = "…" + label[-49:]
        out.append(f'<g class="bar"><title>{h(g["key"])}: {g["count"]}</title>'
                   f'<text x="{label_w - 6}" y="{y + bar_h - 6}" text-anchor="end" font-size="13">{h(label)}</text>'
                   f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h}" fill="{color}"/>'
                   f'<text x="{label_w + w + 6}" y="{y + bar_h - 6}" font-size="13">{g["count"]}</text></g>')
    out.append("</svg>")
    return "\n".join(out)


def to_html(rep):
    P = ['<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
         '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
         'style-src \'unsafe-inline\'; script-src \'unsafe-inline\'; img-src data:">',
         "<title>ovscrash batch report</title>", f"<style>{CSS}</style></head><body>",
         "<h1>ovscrash batch report</h1>",
         f"<p>{rep['total']} dumps; " + ", ".join(f'<span class="st-{h(k)}">{h(k)} {v}</span>'
                                                   for k, v in rep["by_status"].items()) +
         (f"; by architecture: {h(arches_str(rep.get('by_arch')))}" if rep.get("by_arch") else "") +
         f"; generated {h(rep['generated'])}.</p>"]
    for p in rep["problems"]:
        P.append(f'<p class="st-crash-failed">{h(p)}</p>')
    P += ["<h2>Signatures</h2>", svg_chart(rep["groups"]),
          '<table id="groups"><thead><tr><th>count</th><th>signature</th><th>verdict @ PC function</th>'
          "<th>arches</th><th>fixing commits</th></tr></thead><tbody>"]
    for g in rep["groups"]:
        vf = (f"{h(g['verdict'])}, bucket <code>{h(g['bucket'])}</code>" if g["bucket"] else
              f"{h(g['verdict'])} @ {h(g['pc_function'] or '-')}" if g["verdict"] else "-")
        fx = "<br>".join(f"<code>{h(f['commit'])}</code> {h(f['subject'])}" for f in g["fixes"]) or "-"
        P.append(f"<tr><td>{g['count']}</td><td>{h(g['label'])}</td><td>{vf}</td>"
                 f"<td>{h(arches_str(g.get('arches'))) or '-'}</td><td>{fx}</td></tr>")
    P += ["</tbody></table>", "<h2>Buckets</h2>",
          "<p>Dumps with a verdict, grouped: the Open vSwitch lockup and other netdev_pick_tx spins "
          "by signature, everything else by panic bucket. One example dump each.</p>",
          '<table id="buckets"><thead><tr><th>count</th><th>group</th><th>verdict</th><th>panic kind</th>'
          "<th>where (example)</th><th>bucket</th><th>arches</th><th>sources</th><th>example</th>"
          "</tr></thead><tbody>"]
    for b in rep["buckets"]:
        bid = b["bucket"] or " ".join(b.get("buckets") or [])
        P.append(f'<tr class="bucket"><td>{b["count"]}</td><td>{h(b["label"])}</td><td>{h(b["verdict"])}</td>'
                 f'<td>{h(b["panic_kind"]) or "-"}</td><td><code>{h(b["where"])}</code></td>'
                 f'<td><code>{h(bid)}</code></td><td>{h(arches_str(b["arches"])) or "-"}</td>'
                 f'<td>{h(arches_str(b["sources"])) or "-"}</td>'
                 f'<td><a href="#d-{h(b["example"])}"><code>{h(b["example"][:12])}</code></a></td></tr>')
    P += ["</tbody></table>", "<h2>Dumps</h2><p>Click a column header to sort.</p>",
          '<table id="dumps"><thead><tr><th>dump</th><th>status</th><th>signature</th><th>source</th>'
          '<th>bucket</th><th>PC</th>'
          '<th>device</th><th>tenant</th><th>datapath:port</th><th data-type="num">confidence</th><th>arch</th>'
          '<th>release</th><th data-type="num">size</th><th>path</th></tr></thead><tbody>']
    for d in rep["dumps"]:
        dp = f"{d['datapath']}:{d['port_no']}" if d["datapath"] is not None else ""
        P.append(f'<tr class="row"><td><a href="#d-{d["id"]}"><code>{d["id"][:12]}</code></a></td>'
                 f'<td class="st-{h(d["status"])}">{h(d["status"])}</td><td>{h(d["signature"])}</td>'
                 f'<td>{h(d["verdict_source"])}</td><td><code>{h(d["bucket"])}</code></td>'
                 f'<td>{h(d["pc_symbol"])}</td><td>{h(d["netdev"])}</td><td>{h(d["tenant"])}</td><td>{h(dp)}</td>'
                 f'<td data-v="{d["confidence"] if d["confidence"] is not None else ""}">{h(d["confidence"])}</td>'
                 f'<td>{h(d["arch"])}</td>'
                 f'<td>{h(d["release"])}</td><td data-v="{d["size"] or 0}">{h(d["size"])}</td>'
                 f'<td>{h(d["path"])}</td></tr>')
    P += ["</tbody></table>", "<h2>Skipped files</h2>",
          f"<p>{rep['skipped_total']} files are evidently not dumps (manifests, logs, READMEs, "
          "kexec_cmd, lock files) or could not be taken from an archive; they have no result.</p>"]
    if rep["skipped"]:
        P.append('<table id="skipped"><thead><tr><th>path</th><th>reason</th></tr></thead><tbody>')
        for e in rep["skipped"]:
            P.append(f'<tr class="skipped"><td><code>{h(e["path"])}</code></td><td>{h(e["reason"])}</td></tr>')
        P.append("</tbody></table>")
    P.append('<h2>Shards</h2><ul id="shards">')
    P += [f"<li>{h(x)}</li>" for x in shard_lines(rep)] or [
        "<li>No shard manifests (results of an older batch).</li>"]
    for sh in rep.get("shards") or []:
        for e in sh["without_result"][:SHOWN_MISSING]:
            P.append(f'<li class="st-crash-failed">no result: <code>{h(e["path"])}</code> '
                     f'(shard {e["shard"]}/{sh["of"]}, id <code>{h(e["id"][:16])}</code>)</li>')
        if len(sh["without_result"]) > SHOWN_MISSING:
            P.append(f"<li>and {len(sh['without_result']) - SHOWN_MISSING} more without a result "
                     f"(the JSON report lists all)</li>")
    P += [f'<li class="note">note: {h(x)}</li>' for x in rep.get("notes") or []]
    P.append("</ul>")
    P.append("<h2>Details</h2>")
    for d in rep["dumps"]:
        P.append(f'<section class="dump" id="d-{d["id"]}"><h3><code>{d["id"][:12]}</code> '
                 f'<span class="st-{h(d["status"])}">{h(d["status"])}</span> {h(d["signature"])}</h3><ul>')
        P.append(f"<li>path: <code>{h(d['path'])}</code>" +
                 (f" (also {', '.join('<code>' + h(p) + '</code>' for p in d['paths'] if p != d['path'])})"
                  if len(d["paths"]) > 1 else "") + "</li>")
        for k in ("verdict_source", "method", "summary", "tenant", "panic", "panic_kind", "panic_where", "bucket",
                  "bucket_functions", "arch", "release", "build_id", "vmlinux", "match", "crash_binary",
                  "crash_target", "extension", "log_file", "log_session", "log_error", "error"):
            if d.get(k):
                val = h(d[k])
                P.append(f"<li>{k}: " + (f"<pre>{val}</pre>" if k in ("error", "log_error") else val) + "</li>")
        for f in d["fixes"]:
            P.append(f"<li>fix: <code>{h(f['commit'])}</code> {h(f['subject'])}</li>")
        for c in d["caveats"]:
            P.append(f"<li>caveat: {h(c)}</li>")
        for s in d["side_files"]:
            P.append(f"<li>{h(s['kind'])}: <code>{h(s['path'])}</code>" +
                     (f" — {h(s['panic_line'])}" if s.get("panic_line") else "") + "</li>")
        P.append("</ul>")
        if d["evidence"]:
            P.append("<h4>Evidence</h4>")
            if d["session"]:
                P.append(f"<p>Reproduce: <code>{h(d['session']['env'])} {h(d['session']['start'])}</code>, "
                         f"then <code>crash&gt; {h(d['session']['extend'])}</code> and:"
                         + (f" <em>({h(d['session']['note'])})</em>" if d['session'].get('note') else "")
                         + "</p>")
            P.append('<table class="evidence"><thead><tr><th>finding</th><th>crash command</th></tr></thead><tbody>')
            for e in d["evidence"]:
                cmd = f"<code>crash&gt; {h(e['command'])}</code>" if e.get("command") else "(no single command)"
                P.append(f"<tr><td>{h(e['text'])}</td><td>{cmd}</td></tr>")
            P.append("</tbody></table>")
        P.append("</section>")
    P.append(f"<script>{JS}</script></body></html>")
    return "\n".join(P) + "\n"


def shown(text):
    """A file name that is not UTF-8 reaches us with its bad bytes as lone
    surrogates (Python's surrogateescape): show each as \\xNN, never write
    it raw or fail on it."""
    return re.sub("[\ud800-\udfff]", lambda m: (
        f"\\x{ord(m.group()) - 0xdc00:02x}" if 0xdc80 <= ord(m.group()) <= 0xdcff
        else f"\\u{ord(m.group()):04x}"), text)


def write(path, text):
    tmp = f"{path}.tmp.{os.getpid()}"
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as f:
            f.write(shown(text))
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="ovscrash-report",
                                 description="Merge ovscrash-batch result dirs into JSON/CSV/Markdown/HTML.")
    ap.add_argument("dirs", nargs="+", metavar="RESULTS_DIR")
    ap.add_argument("--json")
    ap.add_argument("--csv")
    ap.add_argument("--md")
    ap.add_argument("--html")
    ap.add_argument("--buckets-csv", metavar="FILE",
                    help="the bucket table as CSV (default with --csv X.csv: X.buckets.csv)")
    ap.add_argument("--skipped-csv", metavar="FILE",
                    help="the skipped files as CSV (default with --csv X.csv: X.skipped.csv)")
    a = ap.parse_args(argv)
    rep = build(a.dirs)
    if a.json:
        write(a.json, json.dumps(rep, indent=2) + "\n")
    if a.csv:
        write(a.csv, to_csv(rep))
    bcsv = a.buckets_csv or (re.sub(r"(\.csv)?$", ".buckets.csv", a.csv, count=1) if a.csv else None)
    if bcsv:
        write(bcsv, to_buckets_csv(rep))
    scsv = a.skipped_csv or (re.sub(r"(\.csv)?$", ".skipped.csv", a.csv, count=1) if a.csv else None)
    if scsv:
        write(scsv, to_skipped_csv(rep))
    if a.md:
        write(a.md, to_md(rep))
    if a.html:
        write(a.html, to_html(rep))
    for p in rep["problems"]:
        sys.stderr.write(f"ovscrash-report: {p}\n")
    for line in summary_lines(rep):
        print(visible(line))
    return 1 if rep["problems"] or not rep["total"] else 0


"""What crash's `triage -j` and `ovscrash-log -j` print, read into a
result's fields (pure functions of their text)."""
import json
import re


# crash start-up noise that is not a sign of a bad dump (every arm64 QEMU dump)
HARMLESS_RE = re.compile(r"^.*WARNING: cpu \d+: (invalid|cannot find) NT_PRSTATUS note.*$", re.M)
# crash's words for a dump it cannot read
BAD_DUMP_RE = re.compile(r"(not a supported file format|read error|invalid|truncated|"
                         r"cannot determine|seek error|incomplete)", re.I)
BUCKET_RE = re.compile(r"^[0-9a-f]{16}$")
MAX_LOGS = 8              # logs handed to ovscrash-log per dump
MAX_LOG_REPORTS = 64      # panic reports of a log kept in a result


def failed_status(out):
    """The status of a crash run that printed no triage JSON: bad-dump
    when its output (less the start-up warnings every arm64 QEMU dump
    gives) says the dump is unreadable, else crash-failed."""
    return "bad-dump" if BAD_DUMP_RE.search(HARMLESS_RE.sub("", out)) else "crash-failed"


def find_json(out):
    dec = json.JSONDecoder()
    for m in re.finditer(r"^\{", out, re.M):
        try:
            doc, _ = dec.raw_decode(out, m.start())
        except ValueError:
            continue
        if isinstance(doc, dict) and "verdict" in doc:
            return doc
    return None


def _str(v, limit=512):
    return v[:limit] if isinstance(v, str) and v else None


def verdict_fields(doc):
    """The record's flat verdict fields from a triage-shaped document
    (crash's `triage -j`, or one file of `ovscrash-log -j`)."""
    ps = doc.get("panic_signature")
    ps = ps if isinstance(ps, dict) else {}
    bucket = _str(ps.get("bucket"), 64)
    where = _str(ps.get("where"))
    verdict = _str(doc.get("verdict"), 64)
    pcs = (doc.get("spin") or {}).get("pc_symbol") if isinstance(doc.get("spin"), dict) else None
    pcf = pcs.split("+")[0] if isinstance(pcs, str) and pcs else None
    if pcf is None and where and verdict and (verdict == "OVS_PICKTX_LOCKUP"
                                              or verdict.startswith("PICKTX_SPIN")):
        # a log verdict has no spin frame: the report's PC is where it spins
        pcf = re.split(r"[+\s]", where, 1)[0] or None
    return {"signature": _str(doc.get("signature"), 128), "verdict": verdict, "pc_function": pcf,
            "bucket": bucket if bucket and BUCKET_RE.match(bucket) else None,
            "panic_kind": _str(ps.get("kind"), 32), "panic_where": where,
            "bucket_functions": _str(ps.get("bucket_functions"), 1024)}


def parse_log_doc(out):
    """ovscrash-log -j's one document, {"command": "ovscrash-log",
    "files": [...]}, or None."""
    dec = json.JSONDecoder()
    for m in re.finditer(r"^\{", out or "", re.M):
        try:
            doc, _ = dec.raw_decode(out, m.start())
        except ValueError:
            continue
        if isinstance(doc, dict) and isinstance(doc.get("files"), list):
            return doc
    return None


def pick_log_entry(doc, reals):
    """(path, entry) of the best file of an ovscrash-log document, in the
    order the files were given (most specific log first): the first with
    a panic signature, else the first with a verdict; None if none has."""
    entries = [e for e in doc["files"][:len(reals) + 4] if isinstance(e, dict)]
    pairs = []
    for i, e in enumerate(entries):
        f = e.get("file")
        if f in reals:
            real = f
        elif len(entries) == len(reals):
            real = reals[i]     # the tool normalised the path: same order
        else:
            continue
        if isinstance(e.get("verdict"), str):
            pairs.append((reals.index(real), real, e))
    pairs.sort(key=lambda x: x[0])
    for _i, real, e in pairs:
        if isinstance(e.get("panic_signature"), dict):
            return real, e
    return (pairs[0][1], pairs[0][2]) if pairs else None


def rename_text(text, shown):
    for real, name in shown.items():
        text = text.replace(real, name)
    return text


def rename_paths(v, shown, depth=0):
    """The document with extraction-scratch paths replaced by the names the
    user gave (archive!member): results do not depend on where a run
    extracted its archives."""
    if depth > 32:
        return None
    if isinstance(v, str):
        return rename_text(v, shown)
    if isinstance(v, list):
        return [rename_paths(x, shown, depth + 1) for x in v]
    if isinstance(v, dict):
        return {k: rename_paths(x, shown, depth + 1) for k, x in v.items()}
    return v

"""Walking the inputs: every file found (archives extracted), sniffed,
side files attached to their dumps, skipped files listed."""
import json
import os
import re
import shutil
import stat
import tempfile

from .common import host_error, write_atomic, DEFAULT_MAX_DECOMPRESSED, MIB
from .formats import sniff, DUMP_NAME_RE, KDUMP_DMESG_RE
from .archive import extract_archive


SKIPPED_FILE = "skipped.json"


def discover(inputs, scratch, errors, notes=None, cap=DEFAULT_MAX_DECOMPRESSED):
    """(files, skipped): files holds (path, display, source, kind, detail)
    for every file under the inputs, archives extracted (also archives
    found inside trees or archives, one level); skipped holds (display,
    reason) of the files given no result.  Lines worth a log line but
    no error (an archive holding two members of one name) go to NOTES.
    An archive member larger than CAP bytes is not extracted."""
    files = []
    skipped = []
    notes = [] if notes is None else notes

    def add_tree(root, source, shown_root, depth):
        if os.path.isfile(root):
            consider(root, shown_root, source, depth)
            return
        for dp, dns, fns in os.walk(root):
            dns.sort()
            for fn in sorted(fns):
                p = os.path.join(dp, fn)
                rel = os.path.relpath(p, root)
                consider(p, os.path.join(shown_root, rel) if shown_root else rel, source, depth)

    def consider(p, shown, source, depth):
        try:
            st = os.stat(p)
        except OSError as e:
            skipped.append((shown, f"unreadable: {e}"))
            return
        if not stat.S_ISREG(st.st_mode):
            skipped.append((shown, "not a regular file"))
            return
        try:
            kind, detail = sniff(p)
        except OSError as e:
            skipped.append((shown, f"unreadable: {e}"))
            return
        if kind == "archive" and depth < 2:
            dest = tempfile.mkdtemp(prefix="x-", dir=scratch)
            try:
                members = extract_archive(p, detail, dest, skipped, shown, notes, cap)
            except RuntimeError as e:
                shutil.rmtree(dest, ignore_errors=True)
                he = host_error(e)
                if he:
                    # the scratch disk, not the archive: no result, so
                    # that a rerun (with space) extracts it
                    errors.append(f"cannot extract {shown} into {scratch}: {he}")
                    return
                files.append((p, shown, source, "other", f"{detail} file that is neither a readable "
                              f"tar archive nor a compressed dump ({e})"))
                return
            for out, what in members:
                consider(out, what, shown + "!", depth + 1)
            return
        files.append((p, shown, source, kind, detail))

    for inp in inputs:
        if not os.path.exists(inp):
            errors.append(f"input {inp} does not exist")
            continue
        a = os.path.abspath(inp)
        add_tree(a, a, a if os.path.isfile(a) else a + "/", 0)
    return files, skipped


def write_skipped(out, skipped):
    """OUT/skipped.json: every file that was not given a result (evidently
    not a dump, unsafe or unreadable archive members), merged with the list
    of earlier runs into the same OUT; ovscrash-report lists them once."""
    p = os.path.join(out, SKIPPED_FILE)
    files = {}
    try:
        with open(p) as f:
            for e in json.load(f).get("files") or []:
                if isinstance(e, dict) and isinstance(e.get("path"), str):
                    files[e["path"]] = str(e.get("reason"))
    except (OSError, ValueError, AttributeError):
        pass
    for shown, why in skipped:
        files[shown] = why
    doc = {"schema": "ovscrash-batch-skipped/1",
           "files": [{"path": k, "reason": files[k]} for k in sorted(files)]}
    write_atomic(p, (json.dumps(doc, indent=2) + "\n").encode())


def log_rank(side, dump_name):
    """How specific a log is to a dump (lower is better): <dump>.dmesg,
    kdump-tools' dmesg.<stamp> of the dump's stamp, vmcore-dmesg.txt,
    other dmesg files, console captures."""
    fn, kind = side["name"], side["kind"]
    if kind == "dump-dmesg":
        return 0
    if kind == "kdump-dmesg":
        m = KDUMP_DMESG_RE.match(fn)
        return 1 if m and m.group(1) in dump_name else 2
    if kind == "vmcore-dmesg":
        return 3 if fn.lower().startswith("vmcore-dmesg") else 4
    return 5


def attach_side_files(files):
    """({dump path: [(log path, side dict)] best first}, [(input, [(log
    path, side dict)]) per dump-less group]).  A side file goes to the dumps of
    its directory (files with dump magic, or named like a dump:
    dump.<stamp>*, vmcore*); <X>.dmesg only to X, kdump-tools'
    dmesg.<stamp> to the dump of the same stamp when there is one.  Side
    files that reach no dump are grouped by directory (and stamp)."""
    by_dir = {}
    for p, shown, source, kind, detail in files:
        if kind not in ("side", "skip"):
            by_dir.setdefault(os.path.dirname(p), []).append((p, kind))
    attached, loose = {}, {}
    for p, shown, source, kind, detail in files:
        if kind != "side":
            continue
        fn = os.path.basename(p)
        try:
            size = os.path.getsize(p)
        except OSError:
            continue
        sd = {"path": shown, "kind": detail, "size": size, "panic_line": panic_line(p)}
        meta = {"name": fn, "kind": detail, "source": source}
        peers = by_dir.get(os.path.dirname(p), [])
        dumps = [q for q, k in peers if k in ("dump", "cdump", "incomplete")
                 or DUMP_NAME_RE.search(os.path.basename(q))]
        m = KDUMP_DMESG_RE.match(fn)
        if detail == "dump-dmesg":
            targets = [q for q, _k in peers if os.path.basename(q) == fn[:-len(".dmesg")]]
        elif m:
            targets = [q for q in dumps if m.group(1) in os.path.basename(q)] or dumps
        else:
            targets = dumps
        for q in targets:
            attached.setdefault(q, []).append((p, sd, meta))
        if not targets:
            key = (os.path.dirname(p), m.group(1) if m else None)
            loose.setdefault(key, []).append((p, sd, meta))
    out = {}
    for q, lst in attached.items():
        lst.sort(key=lambda x: (log_rank(x[2], os.path.basename(q)), x[1]["path"]))
        out[q] = [(p, sd) for p, sd, _m in lst]
    groups = []
    for (d, stamp), lst in sorted(loose.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        lst.sort(key=lambda x: (log_rank(x[2], f"dump.{stamp}" if stamp else ""), x[1]["path"]))
        groups.append((lst[0][2]["source"], [(p, sd) for p, sd, _m in lst]))
    return out, groups


def panic_line(p):
    """The last panic/oops line of a console log or vmcore-dmesg, if any."""
    try:
        with open(p, "rb") as f:
            f.seek(max(0, os.path.getsize(p) - 4 * MIB))
            text = f.read().decode("utf-8", "replace")
    except OSError:
        return None
    hits = re.findall(r"^.*(?:Kernel panic - not syncing|watchdog: BUG: soft lockup|BUG: |Oops).*$",
                      text, re.M)
    return hits[-1].strip()[:300] if hits else None

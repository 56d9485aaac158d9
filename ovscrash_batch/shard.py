"""Shards: one batch split over hosts or Slurm array tasks, and put back
together by ovscrash-report.

The split.  Shard K of N (K counts from 0) takes the entries whose
identity gives int(id[:16], 16) % N == K.  The identity is a hash of the
dump's bytes (common.identity), so the split does not depend on the
order in which files were found, on the file system, the host or the
path a dump has there, and a dump seen by two shards under two names is
still in exactly one of them.  Each shard still walks (and extracts)
every input: that is how it knows the identities.

The manifest.  Each run writes OUT/shard-K-of-N.json (an unsharded run is
shard 0 of 1): the state ("running" at the start, "done" at the end),
which shard, where it ran, and the identity and shown path of every entry
the batch found, in every shard.  A merge of result directories reads
the manifests: a shard of N without a manifest is missing, and the entry
list of any other shard names the dumps it would have done; a manifest
still "running" is a shard that has not finished (or died).  The file
names of manifests and results never collide, so shards may share one
output directory or each have its own.
"""
import json
import os
import re
import socket
import time

from .common import write_atomic, ID_RE, VERSION

SHARD_SCHEMA = "ovscrash-batch-shard/1"
SCHEME = "int(id[:16], 16) % N"
MANIFEST_RE = re.compile(r"^shard-(\d+)-of-(\d+)\.json$")
MAX_SHARDS = 100000
PROBLEM_LINES = 10     # "no result for" lines per shard; the rest are counted


class ShardSpecError(ValueError):
    """A --shard value that names no shard; the message is one line."""


def shard_of(ident, n):
    """The shard (0 .. n-1) of a dump identity (64 hex digits)."""
    return int(ident[:16], 16) % n


def parse_spec(spec, env=None):
    """(K, N) of a --shard value, K from 0.  Accepted: "K/N" with
    0 <= K < N (so `--shard $SLURM_ARRAY_TASK_ID/N` with --array=0-(N-1)),
    and "slurm": K and N from the array task's environment
    (SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN, SLURM_ARRAY_TASK_COUNT),
    whatever the array's first index.  Raises ShardSpecError."""
    env = os.environ if env is None else env
    s = spec.strip()
    if s == "slurm":
        names = ("SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_MAX",
                 "SLURM_ARRAY_TASK_COUNT")
        vals = {}
        for n in names:
            v = env.get(n, "")
            if not re.fullmatch(r"\d{1,9}", v):
                raise ShardSpecError(f"--shard slurm: ${n} is {v!r}, not a number "
                                     f"(not inside a Slurm array task?)")
            vals[n] = int(v)
        tid, lo, hi, cnt = (vals[n] for n in names)
        if hi - lo + 1 != cnt:
            raise ShardSpecError(f"--shard slurm: the array {lo}-{hi} has {cnt} tasks, not "
                                 f"{hi - lo + 1}: use a contiguous --array=A-B without a step")
        return tid - lo, cnt
    m = re.fullmatch(r"(\d{1,9})/(\d{1,9})", s)
    if not m:
        raise ShardSpecError(f"--shard wants K/N (K from 0) or slurm, got {spec!r}")
    k, n = int(m.group(1)), int(m.group(2))
    if not 1 <= n <= MAX_SHARDS:
        raise ShardSpecError(f"--shard {spec}: N must be 1 .. {MAX_SHARDS}")
    if k >= n:
        hint = (f"; shards count from 0: a Slurm array 1-{n} needs --shard slurm"
                if k == n else "")
        raise ShardSpecError(f"--shard {spec}: K must be 0 .. {n - 1}{hint}")
    return k, n


def manifest_name(k, n):
    return f"shard-{k}-of-{n}.json"


def write_manifest(out, k, n, inputs, entries, mine, state, **extra):
    """Write OUT/shard-K-of-N.json atomically.  INPUTS: the batch's inputs
    (absolute paths; the shards of one batch are given the same);
    ENTRIES: every (id, shown path) the batch found, in all shards; MINE:
    how many are this shard's."""
    doc = {"schema": SHARD_SCHEMA, "shard": k, "of": n, "scheme": SCHEME, "state": state,
           "inputs": list(inputs),
           "host": socket.gethostname(), "pid": os.getpid(),
           "slurm_job": os.environ.get("SLURM_ARRAY_JOB_ID") or os.environ.get("SLURM_JOB_ID"),
           "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
           "tool": f"ovscrash-batch {VERSION}",
           "total": len(entries), "mine": mine,
           "entries": [{"id": i, "path": p} for i, p in sorted(entries)]}
    doc.update(extra)
    write_atomic(os.path.join(out, manifest_name(k, n)),
                 (json.dumps(doc, indent=1) + "\n").encode())


def read_manifests(dirs, problems):
    """[(dir, manifest)] of every shard manifest in DIRS; an unreadable or
    malformed one is a line in PROBLEMS."""
    found = []
    for d in dirs:
        try:
            names = sorted(os.listdir(d))
        except OSError:
            continue     # the report names a missing directory already
        for fn in names:
            m = MANIFEST_RE.match(fn)
            if not m:
                continue
            p = os.path.join(d, fn)
            try:
                with open(p, encoding="utf-8") as f:
                    doc = json.load(f)
            except (OSError, ValueError) as e:
                problems.append(f"{p}: unreadable shard manifest: {e}")
                continue
            why = bad_manifest(doc, int(m.group(1)), int(m.group(2)))
            if why:
                problems.append(f"{p}: {why}; shard manifest left out")
                continue
            found.append((d, doc))
    return found


def bad_manifest(doc, k, n):
    """Why a parsed manifest cannot be used, or None."""
    if not isinstance(doc, dict) or doc.get("schema") != SHARD_SCHEMA:
        return f"not a {SHARD_SCHEMA} document"
    if doc.get("shard") != k or doc.get("of") != n or not 0 <= k < n:
        return "shard and of fields do not match the file name"
    if doc.get("state") not in ("running", "done"):
        return "state is neither running nor done"
    ents = doc.get("entries")
    if not isinstance(ents, list) or not all(
            isinstance(e, dict) and isinstance(e.get("id"), str) and ID_RE.match(e["id"])
            and isinstance(e.get("path"), str) for e in ents):
        return "entries is not a list of {id, path}"
    return None


def check_shards(dirs, have, problems, notes=None):
    """The report's "shards" part: per batch (the same N and the same
    inputs), which shards are there, missing and unfinished, and the
    expected entries that have no result.  HAVE: the identities with a
    result in the merged directories.  Each entry without a result, each
    missing or unfinished shard that has one, and each disagreement on
    the input set is also a line in PROBLEMS; a missing or unfinished
    shard whose every entry has a result (from another run) is a line in
    NOTES."""
    notes = [] if notes is None else notes
    sets = {}
    for d, doc in read_manifests(dirs, problems):
        inputs = doc.get("inputs")
        key = (doc["of"], tuple(str(x) for x in inputs) if isinstance(inputs, list) else ())
        sets.setdefault(key, []).append((d, doc))
    out = []
    for (n, inputs) in sorted(sets):
        docs = sets[(n, inputs)]
        by_k = {}
        for d, doc in docs:
            # the same shard in two directories: the finished one counts
            old = by_k.get(doc["shard"])
            if old is None or (old[1]["state"] != "done" and doc["state"] == "done"):
                by_k[doc["shard"]] = (d, doc)
        expected = {}
        for _d, doc in docs:
            for e in doc["entries"]:
                expected.setdefault(e["id"], e["path"])
        totals = sorted({doc["total"] for _d, doc in docs if isinstance(doc.get("total"), int)})
        s = {"of": n, "inputs": list(inputs), "present": sorted(by_k),
             "done": sorted(k for k, (_d, doc) in by_k.items() if doc["state"] == "done"),
             "missing": [k for k in range(n) if k not in by_k],
             "unfinished": sorted(k for k, (_d, doc) in by_k.items() if doc["state"] != "done"),
             "hosts": sorted({str(doc.get("host")) for _d, doc in by_k.values()}),
             "entries": len(expected), "without_result": []}
        which = f" (inputs {', '.join(inputs)})" if inputs else ""
        if len(totals) > 1:
            problems.append(f"shards of {n} disagree on the input set: they found "
                            f"{' / '.join(str(t) for t in totals)} entries "
                            f"(the union, {len(expected)}, is expected){which}")
        lacking = {}
        for i in expected:
            if i not in have:
                lacking[shard_of(i, n)] = lacking.get(shard_of(i, n), 0) + 1
        for k in s["missing"]:
            mine = sum(1 for i in expected if shard_of(i, n) == k)
            line = (f"shard {k}/{n} is missing: no shard-{k}-of-{n}.json in "
                    f"{', '.join(dirs)}; it holds {mine} of the {len(expected)} entries")
            if lacking.get(k):
                problems.append(line + which)
            else:
                notes.append(line + ", each with a result from another run" + which)
        for k in s["unfinished"]:
            d, doc = by_k[k]
            line = (f"shard {k}/{n} did not finish: {os.path.join(d, manifest_name(k, n))} "
                    f"is still 'running' (host {doc.get('host')}, pid {doc.get('pid')})")
            if lacking.get(k):
                problems.append(line + "; rerun the shard")
            else:
                notes.append(line + "; each of its entries has a result")
        named = {}
        for i in sorted(expected, key=lambda i: (shard_of(i, n), expected[i], i)):
            if i not in have:
                k = shard_of(i, n)
                s["without_result"].append({"id": i, "path": expected[i], "shard": k})
                named[k] = named.get(k, 0) + 1
                if named[k] <= PROBLEM_LINES:
                    problems.append(f"no result for {expected[i]} (id {i[:16]}, shard {k}/{n})")
        for k in sorted(named):
            if named[k] > PROBLEM_LINES:
                problems.append(f"shard {k}/{n}: {named[k] - PROBLEM_LINES} more entries without "
                                f"a result (all in the report's shards.without_result)")
        out.append(s)
    return out

"""The fast path: a dump whose own kernel log shows that it cannot be
the OVS netdev_pick_tx lockup gets its verdict from that log, without a
crash start-up.  Everything else goes to crash as before.

The log is the dump's side file (the best one discovery attached), or
the log `makedumpfile --dump-dmesg` extracts from the dump itself.  It
is classified by `ovscrash-log -j` (the rules of log-only triage, never
repeated here); this module only decides whether that classification is
safe to keep (see RULE and docs/batch.md, "Fast path").
"""
import os
import re
import shutil
import signal
import time

from .common import HOST_ARCH, MIB, tail
from .verdicts import parse_log_doc

MAX_LOG = 16 * MIB          # a kernel log ring is a few MiB at most
EXTRACT_TIMEOUT = 30        # seconds for makedumpfile --dump-dmesg (also <= --timeout)
LOG_TIMEOUT = 30            # seconds for ovscrash-log on the logs

# panics of a definite kind that is not a CPU stuck somewhere: a NULL
# dereference, page fault, GPF, BUG(), WARN() (panic_on_warn), panic()
DEFINITE_KINDS = ("null-deref", "page-fault", "gpf", "bug", "warn", "panic")
# reports a CPU spinning in netdev_pick_tx can cause on other CPUs before
# its own soft lockup report (or with the watchdog off): a log holding
# one of them goes to crash, whatever caused the panic
STUCK_KINDS = ("soft-lockup", "hard-lockup", "rcu-stall", "hung-task", "oom", "sysrq")
STUCK_WHY = {
    "sysrq": "a machine hung by a spinning CPU is often crashed by hand",
    "oom": "a CPU spinning under rcu_read_lock() stops memory from being freed",
    None: "it can be a symptom of a CPU spinning in netdev_pick_tx",
}
STUCK_MSG_RE = re.compile(r"lockup|hung|stall|watchdog|NMI|sysrq|blocked|deadlock|memory", re.I)
# any mention of the spin's functions sends the dump to crash
VETO_RE = re.compile(rb"netdev_pick_tx|skb_tx_hash|netdev_core_pick_tx")
BANNER_RE = re.compile(rb"Linux version (\S+)")
TAINT_RE = re.compile(rb"(?:Not tainted|Tainted:[A-Z ]*?) +(\S+) +#\d")
# the RTC driver's boot line: "[    1.05] rtc-pl031 ...: setting system
# clock to 2026-11-26T17:13:01 UTC (1795713181)"
CLOCK_RE = re.compile(rb"^\[ *(\d+\.\d+)\][^\n]*setting system clock to [^\n]*\((\d+)\)", re.M)
STAMP_RE = re.compile(rb"^\[ *(\d+\.\d+)\]", re.M)
# how far the log's dating of its panic may be from CRASHTIME: the RTC's
# one-second steps, plus 1000 ppm of the uptime for the drift between
# printk's clock and the NTP-disciplined wall clock.  The fixture dumps
# agree within 0.5 s; two fixture boots are 20 s or more apart.
CLOCK_SLACK = 10
CLOCK_PPM = 1000

RULE = ("NOT_THIS_BUG from ovscrash-log; the report that caused the panic is a "
        + "/".join(DEFINITE_KINDS) + " with a location and a call trace; no report of kind "
        + "/".join(STUCK_KINDS) + " anywhere in the log; no line naming netdev_pick_tx, "
        "skb_tx_hash or netdev_core_pick_tx; the log names the dump's kernel release and no other")


def log_facts(path):
    """(facts, None) or (None, why) for a log file: its size, the kernel
    releases it names, whether it names the spin's functions.  Reads at
    most MAX_LOG bytes; a larger file is refused."""
    try:
        size = os.path.getsize(path)
    except OSError as e:
        return None, f"unreadable: {e.strerror}"
    if size > MAX_LOG:
        return None, f"{size} bytes, more than the fast path's {MAX_LOG} byte bound"
    if size == 0:
        return None, "empty"
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_LOG + 1)
    except OSError as e:
        return None, f"unreadable: {e.strerror}"
    releases = {m.decode("utf-8", "replace") for m in BANNER_RE.findall(data)}
    releases |= {m.decode("utf-8", "replace") for m in TAINT_RE.findall(data)}
    clock = CLOCK_RE.search(data)
    stamps = STAMP_RE.findall(data[-65536:])
    panic_wall = uptime = None
    if clock and stamps:
        # boot wall clock + seconds from that line to the log's last line
        uptime = float(stamps[-1])
        panic_wall = int(clock.group(2)) + uptime - float(clock.group(1))
    return {"size": len(data), "releases": sorted(releases), "veto": bool(VETO_RE.search(data)),
            "panic_wall": panic_wall, "uptime": uptime}, None


def time_check(facts, crash_time):
    """(None, slack) when the log's panic time (its boot clock line plus
    printk seconds) is within the slack of the dump's CRASHTIME, else
    (why not, slack)."""
    if crash_time is None:
        return "the dump has no vmcoreinfo CRASHTIME", None
    if facts["panic_wall"] is None:
        return "the log has no `setting system clock` line to date its panic", None
    slack = CLOCK_SLACK + facts["uptime"] * CLOCK_PPM / 1e6
    d = facts["panic_wall"] - crash_time
    if abs(d) > slack:
        return (f"the log dates its panic {d:+.1f}s from the dump's CRASHTIME {crash_time} "
                f"(more than {slack:.1f}s)"), slack
    return None, slack


def release_check(facts, release):
    """None when the log names the dump's release and no other, else why not."""
    if not release:
        return "the dump's header gives no kernel release to check the log against"
    if not facts["releases"]:
        return "the log names no kernel release (no `Linux version` banner, no report header)"
    other = [r for r in facts["releases"] if r != release]
    if other:
        return f"the log names kernel release {other[0][:80]}, the dump is {release}"
    return None


def resolvable(entry, facts):
    """None when the ovscrash-log entry of a log, by RULE, shows a dump
    that cannot be this bug; else why it goes to crash."""
    if not isinstance(entry, dict):
        return "no ovscrash-log entry for the log"
    if entry.get("error") or entry.get("warning"):
        return f"ovscrash-log: {entry.get('error') or entry.get('warning')}"
    if facts["veto"]:
        return "the log names netdev_pick_tx/skb_tx_hash"
    if entry.get("verdict") != "NOT_THIS_BUG":
        return f"ovscrash-log's verdict is {entry.get('verdict')}"
    reps = [r for r in entry.get("reports") or [] if isinstance(r, dict)]
    stuck = [r.get("kind") for r in reps if r.get("kind") in STUCK_KINDS]
    if stuck:
        return f"the log holds a {stuck[0]} report: {STUCK_WHY.get(stuck[0], STUCK_WHY[None])}"
    cause = [r for r in reps if r.get("caused_panic")]
    ps = entry.get("panic_signature")
    if not cause or not isinstance(ps, dict):
        return "no report in the log caused the panic"
    c = cause[-1]
    if c.get("kind") not in DEFINITE_KINDS or ps.get("kind") != c.get("kind"):
        return f"the panic is of kind {c.get('kind')}, not one of {', '.join(DEFINITE_KINDS)}"
    if not c.get("where") or not c.get("frames"):
        return "the report that caused the panic has no location or no call trace"
    msg = " ".join(str(x) for x in (entry.get("panic_message"), c.get("message")) if x)
    if STUCK_MSG_RE.search(msg):
        return f"the panic message speaks of a stuck system: {msg[:120]}"
    return None


def same_panic(a, b):
    """Whether two ovscrash-log entries describe the same panic (the
    fields a verdict rests on)."""
    def key(e):
        ps = e.get("panic_signature") if isinstance(e.get("panic_signature"), dict) else {}
        cause = [(r.get("kind"), r.get("message"), r.get("where"), r.get("bucket"))
                 for r in e.get("reports") or [] if isinstance(r, dict) and r.get("caused_panic")]
        return (e.get("verdict"), e.get("signature"), e.get("panic_message"),
                ps.get("kind"), ps.get("where"), ps.get("bucket"), cause[-1:] or None)
    return key(a) == key(b)


def extract(b, item, dump_path, scratch):
    """(path of the dump's own log, None) or (None, why not):
    `makedumpfile --dump-dmesg` with its output file bounded to MAX_LOG
    (prlimit --fsize) and its time to EXTRACT_TIMEOUT."""
    arch = (item.get("dump") or {}).get("arch")
    if arch != HOST_ARCH:
        return None, (f"makedumpfile reads dumps of its host's architecture ({HOST_ARCH}) only, "
                      f"this dump is {arch}")
    for tool in ("makedumpfile", "prlimit"):
        if not shutil.which(tool):
            return None, f"no {tool} (scripts/install-deps.sh installs it)"
    out = os.path.join(scratch, f"dmesg-{item['id'][:16]}.txt")
    try:
        os.unlink(out)
    except OSError:
        pass
    link = b.links.route(dump_path, "vmcore") if b.links else dump_path
    rc, text, dt = b.spawn(["prlimit", f"--fsize={MAX_LOG}", "makedumpfile", "--dump-dmesg",
                            link, out], timeout=min(EXTRACT_TIMEOUT, b.a.timeout))
    why = None
    if rc is None:
        why = f"makedumpfile --dump-dmesg exceeded {min(EXTRACT_TIMEOUT, b.a.timeout)}s"
    elif rc == -signal.SIGXFSZ:
        why = f"makedumpfile --dump-dmesg wrote more than the {MAX_LOG} byte bound (SIGXFSZ)"
    elif rc != 0 or not os.path.isfile(out):
        why = " / ".join(ln for ln in tail(text, 3).splitlines() if ln.strip())
        why = f"makedumpfile --dump-dmesg exit {rc}: {why[:200]}"
    if why:
        try:
            os.unlink(out)      # a part of a log is not the log
        except OSError:
            pass
        return None, why
    return out, None


def run_log_tool(b, paths):
    """ovscrash-log -j on PATHS: ({path: entry}, None) or (None, why)."""
    rc, out, _dt = b.spawn([b.logtool, "-j"] + paths, timeout=min(LOG_TIMEOUT, b.a.timeout),
                           stderr_to=[])
    if rc is None:
        return None, "ovscrash-log exceeded its time bound"
    doc = parse_log_doc(out)
    if not doc:
        return None, f"ovscrash-log exit {rc}, no JSON document"
    ent = [e for e in doc["files"] if isinstance(e, dict)]
    if len(ent) != len(paths):
        return None, f"ovscrash-log gave {len(ent)} entries for {len(paths)} logs"
    return dict(zip(paths, ent)), None


def try_fast_path(b, item, dump_path, scratch):
    """The fast path's decision on one dump crash could read.  Returns
    {decided, reason, source, log, checks, seconds, rule, entry}: when
    `decided`, `entry` is the ovscrash-log document that gives the
    result; otherwise `reason` says why the dump goes to crash."""
    t0 = time.time()
    fp = {"decided": False, "reason": None, "source": None, "log": None, "checks": [],
          "seconds": None, "rule": RULE, "entry": None, "real": None}

    def done(reason=None):
        fp["reason"] = reason
        fp["seconds"] = round(time.time() - t0, 3)
        return fp

    if not b.logtool:
        return done(f"no log triage tool: {b.logtool_why}")
    release = (item.get("dump") or {}).get("release")
    crash_time = (item.get("dump") or {}).get("crash_time")
    logs = []       # (real path, shown name, source kind, facts)
    side = (item.get("logs") or [])[:1]
    for real, sd in side:
        facts, why = log_facts(real)
        if not why:
            why = release_check(facts, release)
        if why:
            fp["checks"].append(f"side file {sd['path']}: not used: {why}")
        else:
            logs.append((real, sd["path"], "side file", facts))
            fp["checks"].append(f"side file {sd['path']}: names release {release}")
    own, why = extract(b, item, dump_path, scratch)
    made = own
    try:
        if own:
            facts, why = log_facts(own)
            if not why:
                why = release_check(facts, release)
            if why:
                fp["checks"].append(f"the dump's own log (makedumpfile --dump-dmesg): not used: {why}")
                own = None
            else:
                logs.append((own, "makedumpfile --dump-dmesg", "dump", facts))
        else:
            fp["checks"].append(f"the dump's own log: not extracted: {why}")
        if not logs:
            return done("no usable log (" + "; ".join(fp["checks"]) + ")")
        ents, why = run_log_tool(b, [real for real, *_r in logs])
        if not ents:
            return done(why)
        pick = logs[0]
        if len(logs) == 2:
            if same_panic(ents[logs[0][0]], ents[logs[1][0]]):
                fp["checks"].append("the side file's panic is the one in the dump's own log")
            else:
                fp["checks"].append("the side file's panic is not the one in the dump's own "
                                    "log: the side file is not used")
                pick = logs[1]
        elif pick[2] == "side file":
            # no log of the dump's own to compare with: the panic's time
            why, slack = time_check(pick[3], crash_time)
            if why:
                return done(f"side file {pick[1]} does not match the dump: {why}")
            fp["checks"].append(f"side file {pick[1]}: its panic time matches the dump's "
                                f"CRASHTIME {crash_time} within {slack:.1f}s")
        real, shown, kind, facts = pick
        fp["source"], fp["log"] = kind, shown
        why = resolvable(ents[real], facts)
        if why:
            return done(why)
        fp["decided"] = True
        fp["entry"], fp["real"] = ents[real], real
        return done()
    finally:
        if made:
            try:
                os.unlink(made)
            except OSError:
                pass

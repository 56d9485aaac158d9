"""The batch run: one job per dump, crash (or ovscrash-log) in its own
process group, one result file each."""
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

from .common import (
    host_error, identity, kill_group, log, pause_at, printable, pdeath_wrap, pid_alive,
    space_limit, tail, write_atomic,
    ARCH_TARGET, CACHE, MACHINE_ARCH, MIB, SCHEMA, TMP_RE, VERSION)
from .progress import DEFAULT_EVERY, Progress
from .formats import (
    close_decompressed, dump_magic, open_decompressed, probe_dump, BadDump, COMP_CLI)
from .symbols import SymIndex, SymbolStore
from .reassembly import ReassemblyCache
from .tools import crash_argv, crash_target, default_crash, default_ext, default_logtool, ext_where
from .verdicts import (
    failed_status, find_json, parse_log_doc, pick_log_entry, rename_paths, rename_text,
    verdict_fields, MAX_LOGS, MAX_LOG_REPORTS)
from .links import debug_safe, link_name
from .discover import attach_side_files, discover, write_skipped, SKIPPED_FILE
from .shard import shard_of, write_manifest
from .fastpath import try_fast_path


class PrepFail(Exception):
    """A dump could not be made readable for crash: (status, one-line reason)."""

    def __init__(self, status, reason):
        super().__init__(reason)
        self.status = status


# statuses that say crash (not the input) failed: the run exits 1
RUN_FAILURES = ("crash-failed", "timeout")


def clean_tmpdirs(root, alive=lambda pid: not pid_alive(pid)):
    """Remove ROOT/.tmp-<this host>-<pid>-* (index and reassembly caches'
    entries being built) whose pid passes `alive` (default: is dead)."""
    host = socket.gethostname()
    try:
        names = os.listdir(root)
    except OSError:
        return
    for fn in names:
        m = re.match(r"^\.tmp-(.+)-(\d+)-", fn)
        if m and m.group(1) == host and alive(int(m.group(2))):
            shutil.rmtree(os.path.join(root, fn), ignore_errors=True)


def clean_own(b, scratch):
    """What this process has half-written, for the signal handler: its
    scratch dir, its result temp files, its index and reassembly builds.
    Takes no lock (see Batch.kill_all)."""
    shutil.rmtree(scratch, ignore_errors=True)
    links = getattr(b, "links", None)
    if links is not None:
        links.remove_now()
    me, host = os.getpid(), socket.gethostname()
    for d in (b.out, os.path.join(b.out, "logs")):
        try:
            names = os.listdir(d)
        except OSError:
            continue
        for fn in names:
            m = TMP_RE.match(fn)
            if m and m.group(1) == host and int(m.group(2)) == me:
                try:
                    os.unlink(os.path.join(d, fn))
                except OSError:
                    pass
    for root in (b.symindex.root if b.symindex else None, b.recache.root):
        if root:
            clean_tmpdirs(root, lambda pid: pid == me)


def clean_stale(out):
    """Temp files and scratch dirs of this host's runs that died (SIGKILL,
    power off); another host's (shards sharing OUT) are left alone."""
    host = socket.gethostname()
    for d in (out, os.path.join(out, "logs")):
        if not os.path.isdir(d):
            continue
        for fn in os.listdir(d):
            m = TMP_RE.match(fn)
            if m and m.group(1) in (host, None) and not pid_alive(int(m.group(2))):
                try:
                    os.unlink(os.path.join(d, fn))
                except OSError:
                    pass
    sd = os.path.join(out, ".scratch")
    if os.path.isdir(sd):
        for fn in os.listdir(sd):
            m = re.match(r"^(.+)-(\d+)-", fn)
            if m and m.group(1) == host and not pid_alive(int(m.group(2))):
                shutil.rmtree(os.path.join(sd, fn), ignore_errors=True)


class Batch:
    def __init__(self, args):
        self.a = args
        self.out = os.path.abspath(args.out)
        self.lock = threading.Lock()
        self.results = {}   # id -> status written this run
        self.total = 0
        self.done = 0
        self.failures = 0
        self.skipped_done = 0
        self.t0 = time.time()
        self.tty = sys.stderr.isatty() and not args.no_progress_bar
        self.prog = Progress(sys.stderr, self.tty,
                             every=getattr(args, "progress_every", None) or DEFAULT_EVERY)
        self.running = 0
        self.crash_cache = {}
        self.tools_lock = threading.Lock()
        self.procs = set()
        self.stopping = False
        self.logtool = None         # ovscrash-log, resolved by run() when a log is attached
        self.logtool_why = "ovscrash-log not looked for"
        self.symindex = None if args.no_index else SymIndex(
            args.index_cache or os.path.join(CACHE, "symindex"), self.spawn)
        self.recache = ReassemblyCache(args.reassembly_cache or os.path.join(self.out, "reassembled"))
        self.prep_counts = {}       # reassembly state -> dumps (run summary)
        self.store = None           # SymbolStore, set by run()
        self.links = None           # LinkDir for crash's paths, set by the caller
        self.no_result = {}         # id -> why it has no result (a fault of this host's disks)
        self.out_error = None       # why results cannot be written in OUT: the batch stops

    # --- tool selection per architecture
    def tools(self, arch):
        """(crash, ext, target, why-not) for a dump architecture; resolved
        once per arch (run() resolves every arch before the workers start)."""
        with self.tools_lock:
            if arch not in self.crash_cache:
                self.crash_cache[arch] = self._tools(arch)
            return self.crash_cache[arch]

    def _tools(self, arch):
        if arch not in ARCH_TARGET:
            return None, None, None, (f"no crash for this dump: its architecture is unknown "
                                      f"(supported: {', '.join(ARCH_TARGET)})")
        crash = self.a.crash.get(arch)
        ext = self.a.ext.get(arch)
        how = "--crash" if crash else "default"
        if not crash:
            crash, why = default_crash(arch)
            if not crash:
                return None, None, None, why
        if not os.path.isfile(crash) or not os.access(crash, os.X_OK):
            return None, None, None, (f"no crash for {arch}: {crash} ({how}) is not an executable "
                                      f"file; pass --crash {arch}=PATH")
        target = crash_target(crash)
        if target and target != ARCH_TARGET[arch]:
            return None, None, target, (f"no crash for {arch}: {crash} is built for target {target}, "
                                        f"an {arch} dump needs one built with target={ARCH_TARGET[arch]}; "
                                        f"pass --crash {arch}=PATH")
        if not ext:
            ext = default_ext(arch)
            if not ext:
                return None, None, target, (f"no ovscrash extension for {arch} "
                                            f"({ext_where(arch)}); pass --ext {arch}=PATH")
        if not os.path.isfile(ext):
            return None, None, target, f"no ovscrash extension for {arch}: {ext} does not exist"
        return crash, ext, target, None

    def progress(self, line=None):
        """LINE: a dump finished (printed with the figures); None: the
        main thread's periodic tick (redraw, or a plain summary line)."""
        with self.lock:
            figs = (self.done, self.total, self.failures, self.running)
        if line:
            self.prog.finished(printable(line), *figs)
        else:
            self.prog.tick(*figs)

    def record(self, item, status, error=None, **extra):
        if self.stopping and status != "ok":
            # the batch is stopping (a signal, a full OUT): a failure now
            # is most likely the stop's own doing (the handler killed the
            # children: gdb-add-index, crash), not the dump's; no result,
            # so that a rerun does the dump
            return
        res = {
            "schema": SCHEMA,
            "id": item["id"],
            "status": status,
            "error": error,
            "input": {"path": item["display"], "name": os.path.basename(item["display"]),
                      "size": item["size"], "source": item["source"]},
            "paths": item["paths"],
            "side_files": item.get("side", []),
            "arch": (item.get("dump") or {}).get("arch"),
            "dump": item.get("dump"),
            "match": item.get("match"),
            "signature": None, "verdict": None, "pc_function": None,
            "verdict_source": None, "bucket": None, "panic_kind": None, "panic_where": None,
            "bucket_functions": None,
            "crash": None, "triage": None, "log_run": None, "log_triage": None,
            "method": None, "fast_path": item.get("fast_path"),
            "shard": self.a.shard_str,
            "host": socket.gethostname(),
            "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "tool": f"ovscrash-batch {VERSION}",
        }
        res.update(extra)
        t, lt = res.get("triage"), res.get("log_triage")
        if status == "ok" and isinstance(t, dict):
            res.update(verdict_fields(t), verdict_source="vmcore")
        elif isinstance(lt, dict) and isinstance(lt.get("verdict"), str):
            res.update(verdict_fields(lt), verdict_source="log")
            # a log without a dump: the arch the log's decode saw, if any
            la = lt.get("arch") or (lt.get("decode") if isinstance(lt.get("decode"), dict) else {}).get("arch")
            if status == "log-only" and MACHINE_ARCH.get(str(la)):
                res["arch"] = MACHINE_ARCH[str(la)]
        if not res["method"]:
            res["method"] = {"vmcore": "crash", "log": "log"}.get(res["verdict_source"])
        try:
            write_atomic(os.path.join(self.out, item["id"] + ".json"),
                         (json.dumps(res, indent=2, sort_keys=False) + "\n").encode())
        except OSError as e:
            if host_error(e):
                # OUT is full or read-only: no later result can be kept
                # either; the workers stop, a rerun does the rest
                if not self.out_error:
                    self.out_error = f"cannot write results in {self.out}: {e.strerror}"
                self.stopping = True
            raise
        with self.lock:
            self.results[item["id"]] = status
            self.done += 1
            if status != "ok" and status != "not-a-dump":
                self.failures += 1
        msg = f"{status:<12} {item['display']}"
        if res.get("signature"):
            msg += f"  {res['signature']}"
        if res.get("bucket"):
            msg += f"  bucket {res['bucket']}"
        if res["method"] == "log-fast-path":
            msg += "  (fast path: verdict from the log, no crash)"
        elif res.get("verdict_source") == "log":
            msg += "  (verdict from the log)"
        if error and status != "ok":
            msg += f"  ({error.splitlines()[0][:160]})"
        self.progress(msg)

    # --- log triage: the verdict of a dump that crash could not give one
    def finish(self, item, status, error=None, **extra):
        """record(), after asking the logs beside a dump that got no triage
        (bad-dump, unmatched, no-crash, crash-failed, timeout, not-a-dump
        with a dump's name, log-only) for a verdict; status and error stay."""
        if status != "ok" and item.get("logs") and not self.stopping:
            try:
                extra["log_run"], extra["log_triage"] = self.log_triage(item)
            except (OSError, ValueError) as e:
                extra["log_run"] = {"tool": self.logtool, "error": f"log triage failed: {e!r}"}
        self.record(item, status, error, **extra)

    def log_triage(self, item):
        """(log_run, log_triage document or None): ovscrash-log -j on the
        logs attached to the item, best first; the first file with a panic
        signature (else the first with a verdict) gives the verdict."""
        logs = item["logs"][:MAX_LOGS]
        shown = {real: side["path"] for real, side in logs}
        run = {"tool": self.logtool, "files": [side["path"] for _r, side in logs],
               "used": None, "vmlinux": None, "argv": None, "seconds": None, "exit": None,
               "error": None, "notes": []}
        if not self.logtool:
            run["error"] = self.logtool_why
            return run, None
        vml = (item.get("match") or {}).get("vmlinux") or item.get("log_vmlinux")
        tries = [vml, None] if vml else [None]
        for v in tries:
            argv = [self.logtool] + (["--vmlinux", v] if v else []) + ["-j"] + [r for r, _s in logs]
            errs = []
            rc, out, dt = self.spawn(argv, timeout=self.a.timeout, stderr_to=errs)
            run.update(vmlinux=v, seconds=round(dt, 2), exit=rc,
                       argv=[self.logtool] + (["--vmlinux", v] if v else []) + ["-j"]
                       + [shown[r] for r, _s in logs])
            if rc is None:
                run["error"] = f"ovscrash-log exceeded {self.a.timeout}s; process group killed"
                return run, None
            doc = parse_log_doc(out)
            pick = pick_log_entry(doc, [r for r, _s in logs]) if doc else None
            if pick is not None:
                real, entry = pick
                run["used"] = shown[real]
                run["error"] = None
                if errs and errs[0].strip():
                    run["notes"].append(rename_text("stderr: " + tail(errs[0], 4), shown))
                entry = dict(entry)
                reps = entry.get("reports")
                if isinstance(reps, list) and len(reps) > MAX_LOG_REPORTS:
                    # a log can hold thousands of reports: the result keeps the first ones
                    entry["reports"] = reps[:MAX_LOG_REPORTS]
                    entry["reports_total"] = len(reps)
                return run, rename_paths(entry, shown)
            why = (f"ovscrash-log exit {rc}, " + ("no verdict in its JSON" if doc else
                                                   "no JSON document") + ": "
                   + tail((out or "") + "\n" + (errs[0] if errs else ""), 6))
            run["error"] = rename_text(why, shown)
            if v:
                run["notes"].append(f"with --vmlinux: {run['error']}; retried without it")
        return run, None

    # --- the fast path: no crash for a dump its log shows is not this bug
    def fast_path(self, item, path, scratch):
        """True when the dump's own kernel log gave its result without
        crash (fastpath.py); else item["fast_path"] says why not, and the
        dump goes to crash."""
        fp = try_fast_path(self, item, path, scratch)
        entry, real = fp.pop("entry"), fp.pop("real")
        item["fast_path"] = fp
        if not fp["decided"]:
            return False
        entry = rename_paths(dict(entry, file=real), {real: fp["log"]})
        reps = entry.get("reports")
        if isinstance(reps, list) and len(reps) > MAX_LOG_REPORTS:
            entry["reports"] = reps[:MAX_LOG_REPORTS]
            entry["reports_total"] = len(reps)
        notes = list(fp["checks"])
        argv = [self.logtool, "-j", fp["log"]]
        if fp["source"] == "dump":
            # no file to name: how to get the same log again
            argv = None
            notes.append(f"reproduce: makedumpfile --dump-dmesg {item['display']} dmesg.txt; "
                         f"{self.logtool} -j dmesg.txt")
        run = {"tool": self.logtool, "files": [fp["log"]], "used": fp["log"], "vmlinux": None,
               "argv": argv, "seconds": fp["seconds"], "exit": 0, "error": None, "notes": notes}
        self.record(item, "ok", None, method="log-fast-path", log_run=run, log_triage=entry)
        return True

    # --- header facts and the vmlinux match
    def classify(self, it, path, fmt):
        """Read the dump's header facts and match a vmlinux.  None when
        crash can run (it["match"], it["image"], it["debug_path"] set),
        else (status, error)."""
        try:
            it["dump"] = probe_dump(path, fmt)
        except (BadDump, OSError) as e:
            it["dump"] = {"format": fmt}
            facts = getattr(e, "facts", None)
            if facts:
                # read from a damaged header: not trusted as the dump's
                # facts, only to find a vmlinux for the log triage
                it["dump"]["unverified"] = facts
                if it["logs"] and facts.get("build_id"):
                    img, _how = self.store.match(facts)
                    if img:
                        it["log_vmlinux"] = img["path"]
            # the reason names the file as the user knows it, not as
            # extracted into scratch (gone after the run)
            return "bad-dump", str(e).replace(path, it["display"])
        img, how = self.store.match(it["dump"])
        if not img:
            it["match"] = {"vmlinux": None, "reason": how}
            return "unmatched", how
        it["match"] = {"vmlinux": img["path"], "build_id": img["build_id"],
                       "release": img["release"], "how": how}
        it["debug_path"] = self.store.module_paths(img, os.path.dirname(it["path"]))
        it["image"] = img
        return None

    # --- decompression and reassembly
    def prepare(self, item, scratch):
        """(path crash reads, reassembly info, temp dir to remove or None)
        for a flattened and/or compressed dump; raises PrepFail.  Flattened
        dumps are reassembled once into the cache (a hit costs nothing);
        a compressed dump that is not flattened is decompressed into
        scratch for this run only."""
        comp = item.get("comp")
        inner = item.get("inner") or item["detail"]
        flat = inner == "flattened"
        info = {"state": None, "cache": self.recache.root if flat else None, "path": None,
                "source_format": inner, "compression": comp, "seconds": None,
                "decompressed_bytes": None, "reason": None}
        t0 = time.time()
        if flat:
            vm, meta = self.recache.lookup(item["id"])
            if vm:
                return vm, dict(info, state="cached", path=vm, seconds=0.0,
                                built_seconds=meta.get("seconds")), None
            if not shutil.which("makedumpfile"):
                raise PrepFail("crash-failed", "flattened dump needs `makedumpfile -R` "
                                               "(apt-get install makedumpfile)")
        tmp = None
        try:
            if flat:
                try:
                    tmp = self.recache.tmpdir()
                except OSError as e:
                    # no cache: reassemble into scratch for this run only
                    info["reason"] = f"reassembly cache {self.recache.root}: {e}"
                    tmp = tempfile.mkdtemp(prefix="re-", dir=scratch)
            else:
                tmp = tempfile.mkdtemp(prefix="dc-", dir=scratch)
            out = os.path.join(tmp, "vmcore")
            limit, why = space_limit(tmp, self.a.max_decompressed)
            if comp:
                info["decompressed_bytes"] = self.decompress(item["path"], comp, out, flat,
                                                             limit, why, tmp)
            else:
                if item["size"] > limit:
                    raise PrepFail("too-large", f"reassembling needs about {item['size']} bytes, "
                                                f"more than {why}")
                rc, o, _dt = self.spawn(["makedumpfile", "-R", out], stdin_path=item["path"],
                                        timeout=self.a.timeout)
                if rc is None:
                    raise PrepFail("timeout", f"makedumpfile -R exceeded {self.a.timeout}s")
                if rc != 0 or not os.path.isfile(out):
                    raise PrepFail("bad-dump", "makedumpfile -R failed: " + tail(o))
            with open(out, "rb") as f:
                dm = dump_magic(f.read(512))
            what = "reassembled" if flat else "decompressed"
            if not dm or dm[0] != "dump" or dm[1] == "flattened":
                raise PrepFail("bad-dump", f"{what} dump has no kdump-compressed or ELF core magic")
            try:
                probe_dump(out, dm[1])
            except BadDump as e:
                raise PrepFail("bad-dump", f"{what} dump: {e}")
            info["seconds"] = round(time.time() - t0, 2)
            if not flat:
                info.update(state="decompressed", path=out)
                t, tmp = tmp, None
                return out, info, t
            if info["reason"]:
                info.update(state="uncached", path=out)
                t, tmp = tmp, None
                return out, info, t
            meta = {"id": item["id"], "size": os.path.getsize(out), "source": item["display"],
                    "source_size": item["size"], "compression": comp,
                    "seconds": info["seconds"], "host": socket.gethostname(),
                    "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
            vm = self.recache.commit(tmp, item["id"], meta)
            tmp = None
            return vm, dict(info, state="built", path=vm), None
        finally:
            if tmp:
                shutil.rmtree(tmp, ignore_errors=True)

    def decompress(self, src, comp, out, flat, limit, why, tmp):
        """Stream SRC's decompressed bytes into OUT (or, for a flattened
        dump, into `makedumpfile -R OUT`), 4 MiB at a time; stops at LIMIT
        bytes or the --timeout.  Returns the decompressed byte count."""
        import lzma
        import zlib
        deadline = time.time() + self.a.timeout
        total = 0
        sink_proc = None
        try:
            f, proc = open_decompressed(src, comp)
        except RuntimeError as e:
            raise PrepFail("crash-failed", str(e))
        try:
            if flat:
                wrap = pdeath_wrap()
                with open(os.path.join(tmp, "makedumpfile.log"), "wb") as logf:
                    sink_proc = subprocess.Popen(wrap + ["makedumpfile", "-R", out],
                                                 stdin=subprocess.PIPE, stdout=logf,
                                                 stderr=subprocess.STDOUT, start_new_session=True)
                with self.lock:
                    self.procs.add(sink_proc)
                sink = sink_proc.stdin
            else:
                sink = open(out, "wb")
            try:
                while True:
                    try:
                        b = f.read(4 * MIB)
                    except (EOFError, OSError, lzma.LZMAError, zlib.error, ValueError) as e:
                        raise PrepFail("bad-dump", f"{comp} stream unreadable after {total} "
                                                   f"decompressed bytes: {e}")
                    if not b:
                        break
                    total += len(b)
                    if total > limit:
                        raise PrepFail("too-large", f"decompressed {comp} data passed {limit} bytes, "
                                                    f"the limit set by {why}; not decompressed further "
                                                    f"(raise the limit, then --retry too-large)")
                    if time.time() > deadline:
                        raise PrepFail("timeout", f"decompressing exceeded {self.a.timeout}s "
                                                  f"({total} bytes)")
                    try:
                        sink.write(b)
                    except BrokenPipeError:
                        break   # makedumpfile -R stopped reading: its exit says why
            finally:
                try:
                    sink.close()
                except BrokenPipeError:
                    pass
            if proc is not None:
                rc = proc.wait()
                if rc != 0:
                    raise PrepFail("bad-dump", f"{' '.join(COMP_CLI[comp][:2])} exit {rc} after "
                                               f"{total} decompressed bytes: a damaged {comp} stream")
            if sink_proc is not None:
                try:
                    rc = sink_proc.wait(timeout=max(1, deadline - time.time()))
                except subprocess.TimeoutExpired:
                    raise PrepFail("timeout", f"makedumpfile -R exceeded {self.a.timeout}s")
                if rc != 0:
                    with open(os.path.join(tmp, "makedumpfile.log"), "rb") as lf:
                        msg = lf.read()[-4000:].decode("utf-8", "replace")
                    raise PrepFail("bad-dump", f"makedumpfile -R failed on the decompressed "
                                               f"stream ({total} bytes): " + tail(msg, 3).replace("\n", " / "))
            return total
        finally:
            close_decompressed(f, proc)
            if sink_proc is not None:
                if sink_proc.poll() is None:
                    kill_group(sink_proc)
                    sink_proc.wait()
                with self.lock:
                    self.procs.discard(sink_proc)

    # --- the per-dump job
    def run_one(self, item, scratch):
        try:
            self._run_one(item, scratch)
        except PrepFail as e:
            with self.lock:
                self.prep_counts["failed"] = self.prep_counts.get("failed", 0) + 1
            if item.get("comp") and not item.get("dump"):
                item["dump"] = {"format": item["inner"], "compression": item["comp"]}
            self.finish(item, e.status, str(e))

    def _prepared(self, item, scratch):
        path, prep, tmpd = self.prepare(item, scratch)
        with self.lock:
            self.prep_counts[prep["state"]] = self.prep_counts.get(prep["state"], 0) + 1
        return path, prep, tmpd

    def _run_one(self, item, scratch):
        path = item["path"]
        prep = tmpd = None
        try:
            if item.get("comp"):
                # compressed: the header facts come from the prepared bytes
                path, prep, tmpd = self._prepared(item, scratch)
                with open(path, "rb") as f:
                    fmt = dump_magic(f.read(512))[1]
                v = self.classify(item, path, fmt)
                item["dump"]["format"] = item["inner"]
                item["dump"]["compression"] = item["comp"]
                if v:
                    self.finish(item, *v)
                    return
            dump = item["dump"]
            arch = dump.get("arch")
            crash, ext, target, why = self.tools(arch)
            if why:
                self.finish(item, "no-crash", why,
                            crash={"arch": arch, "binary": None, "extension": None, "target": target})
                return
            if not item.get("comp") and dump["format"] == "flattened":
                path, prep, tmpd = self._prepared(item, scratch)
            if not self.a.full and self.fast_path(item, path, scratch):
                return
            orig = item["match"]["vmlinux"]
            if self.symindex:
                vml, idx = self.symindex.get(item["image"])
            else:
                vml, idx = orig, {"state": "disabled", "reason": "--no-index"}
            dbg = list(item["debug_path"])
            # every path crash reads, as crash can read it (links.py)
            c_vml = self.links.route(vml, "vmlinux")
            c_dump = self.links.route(path, "vmcore")
            c_ext = self.links.route(ext, link_name(ext, "ovscrash.so"))
            if c_vml != orig:
                # the extension also looks for openvswitch.ko next to the
                # vmlinux: keep the original's directory in its search path
                dbg.append(os.path.dirname(orig))
            dbg += [p for p in os.environ.get("OVSCRASH_DEBUG_PATH", "").split(":") if p]
            env = dict(os.environ)
            env["OVSCRASH_DEBUG_PATH"] = ":".join(
                self.links.route(p, link_name(p, "dir"), safe=debug_safe) for p in dbg)
            # triage's own time bound, well inside this dump's timeout
            # (crash's start-up comes first): a third of it, so a verdict,
            # partial if need be, beats the kill.  A user's
            # $OVSCRASH_BUDGET stands.
            env.setdefault("OVSCRASH_BUDGET", f",{max(0.001, self.a.timeout / 3):.3f}")
            cmdf = os.path.join(scratch, f"cmd-{item['id'][:16]}")
            with open(cmdf, "w") as f:
                f.write(f"extend {c_ext}\ntriage -j\n")
            # crash splits its -i argument at blanks too
            argv = crash_argv(crash, c_vml, c_dump, self.links.route(cmdf, "cmd"))
            rc, out, dt = self.spawn(argv, env=env, timeout=self.a.timeout)
            logrel = os.path.join("logs", item["id"] + ".log")
            log_error = None
            try:
                write_atomic(os.path.join(self.out, logrel), out.encode("utf-8", "replace"))
            except OSError as e:
                # the verdict is still worth keeping (it is smaller)
                logrel, log_error = None, f"crash's output not kept: {e}"
            # what a person reruns: the input as named (archive!member for
            # archive members, which must be extracted first); crash reads
            # flattened dumps itself, the reassembly only spares it the work
            shown_dbg = [p for p in dbg if not p.startswith(scratch)]
            # crash cannot read a compressed dump: a person reruns on the
            # cached reassembly (or decompresses the input first)
            shown_dump = (prep["path"] if item.get("comp") and prep and prep["state"] in
                          ("built", "cached") else item["display"])
            info = {"arch": arch, "target": target, "binary": crash, "extension": ext,
                    "argv": crash_argv(crash, vml, shown_dump),
                    "vmlinux": vml, "indexed": vml != orig, "index": idx,
                    "in_archive": item["display"] != item["path"] and "!" in item["display"],
                    "reassembled": dump["format"] == "flattened", "reassembly": prep,
                    "commands": [f"extend {ext}", "triage -j"],
                    "debug_path": ":".join(shown_dbg),
                    "seconds": round(dt, 2), "exit": rc, "log": logrel}
            if log_error:
                info["log_error"] = log_error
            if rc is None:
                self.finish(item, "timeout", f"crash exceeded {self.a.timeout}s; process group killed",
                            crash=info)
                return
            doc = find_json(out)
            if doc is None and rc is not None and rc < 0:
                # killed from outside (the OOM killer, an operator): not
                # the dump's fault, whatever crash printed before
                try:
                    sig = signal.Signals(-rc).name
                except ValueError:
                    sig = f"signal {-rc}"
                self.finish(item, "crash-failed", f"crash killed by {sig} after {dt:.1f}s; "
                            f"no triage JSON (rerun with --retry crash-failed): " + tail(out, 3),
                            crash=info)
                return
            if doc is None:
                self.finish(item, failed_status(out), f"crash exit {rc}, no triage JSON: " + tail(out), crash=info)
                return
            self.record(item, "ok", None, crash=info, triage=doc)
        finally:
            if tmpd:
                shutil.rmtree(tmpd, ignore_errors=True)

    def spawn(self, argv, env=None, timeout=300, stdin_path=None, stderr_to=None):
        """Run in its own process group (killed whole on timeout); the
        parent-death signal ends it if this batch is SIGKILLed.  stderr
        goes with stdout, or, given a list `stderr_to`, is appended to it."""
        wrap = pdeath_wrap()
        stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
        t0 = time.time()
        try:
            p = subprocess.Popen(wrap + argv, stdin=stdin, stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT if stderr_to is None else subprocess.PIPE,
                                 env=env, start_new_session=True)
        finally:
            if stdin_path:
                stdin.close()
        with self.lock:
            self.procs.add(p)
        try:
            out, err = p.communicate(timeout=timeout)
            rc = p.returncode
        except subprocess.TimeoutExpired:
            kill_group(p)
            out, err = p.communicate()
            rc = None
        finally:
            with self.lock:
                self.procs.discard(p)
        if stderr_to is not None:
            stderr_to.append((err or b"").decode("utf-8", "replace"))
        return rc, out.decode("utf-8", "replace"), time.time() - t0

    def kill_all(self):
        """SIGKILL every child's process group.  Takes no lock: it runs in
        the signal handler, which interrupts the main thread anywhere --
        inside `with self.lock` in progress() too (a threading.Lock is
        not reentrant: Ctrl-C on a terminal hung the batch).  tuple() of
        the set is one C-level copy under the GIL; a child started after
        it dies with this process (setpriv --pdeathsig KILL)."""
        for p in tuple(self.procs):
            kill_group(p)


def run(a, b, out, scratch, retry):
    errors = []
    notes = []
    files, skipped = discover(a.inputs, scratch, errors, notes, a.max_decompressed)
    skipped += [(shown, detail) for _p, shown, _s, kind, detail in files if kind == "skip"]
    for shown, why in skipped:
        log(f"skipped {shown}: {why}")
    for n in notes:
        log(n)
    for e in errors:
        log(e)
    try:
        write_skipped(out, skipped)
    except OSError as e:
        errors.append(f"cannot write {os.path.join(out, SKIPPED_FILE)}: {e}")

    attached, log_groups = attach_side_files(files)

    items = {}
    order = []
    for p, shown, source, kind, detail in files:
        if kind in ("side", "skip"):
            continue
        try:
            ident = identity(p)
        except OSError as e:
            errors.append(f"cannot read {shown}: {e}")
            continue
        if ident in items:
            items[ident]["paths"].append(shown)
            continue
        logs = attached.get(p, [])
        it = {"id": ident, "path": p, "display": shown, "source": source, "paths": [shown],
              "size": os.path.getsize(p), "kind": kind, "detail": detail,
              "side": [sd for _r, sd in logs], "logs": logs}
        items[ident] = it
        order.append(it)
    # logs whose dump is missing: one entry per directory (per stamp for
    # kdump-tools' dmesg.<stamp>), triaged from its best log alone
    for source, logs in log_groups:
        real, sd = logs[0]
        try:
            ident = identity(real)
        except OSError as e:
            errors.append(f"cannot read {sd['path']}: {e}")
            continue
        if ident in items:
            items[ident]["paths"].append(sd["path"])
            continue
        it = {"id": ident, "path": real, "display": sd["path"], "source": source,
              "paths": [sd["path"]], "size": sd["size"], "kind": "log",
              "detail": sd["kind"], "side": [x for _r, x in logs], "logs": logs}
        items[ident] = it
        order.append(it)

    mine = [it for it in order if shard_of(it["id"], a.shard_n) == a.shard_i]
    entries = [(it["id"], it["display"]) for it in order]

    def manifest(state, **extra):
        """OUT/shard-K-of-N.json (shard.py): what ovscrash-report checks
        a set of shards against."""
        try:
            write_manifest(out, a.shard_i, a.shard_n, [os.path.abspath(i) for i in a.inputs],
                           entries, len(mine), state, **extra)
        except OSError as e:
            errors.append(f"cannot write the shard manifest in {out}: {e}")
            log(errors[-1])

    manifest("running")
    todo = []
    for it in mine:
        rp = os.path.join(out, it["id"] + ".json")
        if os.path.exists(rp):
            try:
                with open(rp) as f:
                    prev = json.load(f).get("status")
            except (OSError, ValueError):
                prev = None  # unreadable: redo
            if prev and prev not in retry:
                b.skipped_done += 1
                continue
        todo.append(it)
    b.total = len(todo)
    log(f"{len(order)} files ({sum(1 for i in order if i['kind'] in ('dump', 'cdump'))} with dump "
        f"signatures, {sum(1 for i in order if i['kind'] == 'cdump')} of them compressed, "
        f"{sum(1 for i in order if i['kind'] == 'log')} logs without a dump, "
        f"{sum(1 for i in order if i['kind'] == 'incomplete')} incomplete) in "
        f"{len(a.inputs)} input(s); {len(skipped)} skipped files; {len(mine)} in this shard; "
        f"{b.skipped_done} already done; "
        f"{len(todo)} to do with {a.jobs} worker(s)")
    if any(it["logs"] for it in todo) or (todo and not a.full):
        if a.ovscrash_log:
            b.logtool = os.path.abspath(a.ovscrash_log)
            if not (os.path.isfile(b.logtool) and os.access(b.logtool, os.X_OK)):
                b.logtool, b.logtool_why = None, (f"--ovscrash-log {a.ovscrash_log} is not an "
                                                  f"executable file: no verdict from the logs")
        else:
            b.logtool, b.logtool_why = default_logtool()
        log(f"log triage: {b.logtool}" if b.logtool else f"log triage: {b.logtool_why}")

    store = b.store = SymbolStore(a.symbols) if todo else None
    if store:
        for n in store.notes:
            log(n)
        log("symbol index: off (--no-index)" if a.no_index else
            f"symbol index cache: {b.symindex.root}")
    jobs = []

    def settle(it, status, error):
        """A result decided without crash: recorded now, or, when logs
        are attached, by a worker after the log triage."""
        if it["logs"]:
            it["pre"] = (status, error)
            jobs.append(it)
            return
        try:
            b.record(it, status, error)
        except OSError as e:
            b.no_result[it["id"]] = f"result not written: {e}"
            log(f"cannot write result for {it['display']}: {e}")

    for it in todo:
        if b.stopping:
            break
        if it["kind"] == "log":
            settle(it, "log-only", "no dump beside this log: the verdict comes from the log alone")
            continue
        if it["kind"] == "incomplete":
            settle(it, "incomplete", it["detail"])
            continue
        if it["kind"] == "cdump":
            # decompressed (and reassembled) by a worker, then probed
            it["comp"], it["inner"] = it["detail"]
            it["dump"] = None
            jobs.append(it)
            continue
        if it["kind"] != "dump":
            settle(it, "not-a-dump", it["detail"])
            continue
        pause_at("probe")
        v = b.classify(it, it["path"], it["detail"])
        if v:
            settle(it, *v)
            continue
        jobs.append(it)

    # pick crash + extension per architecture once, before the workers
    crash_jobs = [it for it in jobs if not it.get("pre") and it.get("dump")]
    for arch in sorted({it["dump"].get("arch") or "" for it in crash_jobs}):
        n = sum(1 for it in crash_jobs if (it["dump"].get("arch") or "") == arch)
        crash, ext, target, why = b.tools(arch or None)
        if why:
            log(f"{arch or 'unknown arch'} ({n} dump(s)): {why}")
        else:
            log(f"{arch} ({n} dump(s)): crash {crash}" + (f" (target {target})" if target else "")
                + f", extension {ext}")

    q = queue.Queue()
    for it in jobs:
        q.put(it)

    def worker():
        while not b.stopping:
            try:
                it = q.get_nowait()
            except queue.Empty:
                return
            with b.lock:
                b.running += 1
            try:
                if it.get("pre"):
                    b.finish(it, *it["pre"])
                else:
                    b.run_one(it, scratch)
            except Exception as e:  # noqa: BLE001 - every dump gets a result
                he = host_error(e)
                if he:
                    # a full or read-only scratch or OUT: no result, so
                    # that a rerun (with space) does this dump
                    b.no_result[it["id"]] = str(he)
                    log(f"no result for {it['display']}: {he}")
                    continue
                try:
                    b.record(it, "crash-failed", f"ovscrash-batch internal error: {e!r}")
                except OSError as e2:
                    b.no_result[it["id"]] = f"result not written: {e2}"
                    log(f"cannot write result for {it['display']}: {e2}")
            finally:
                with b.lock:
                    b.running -= 1

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(min(a.jobs, max(1, len(jobs))))]
    for t in threads:
        t.start()
    for t in threads:
        while t.is_alive():
            t.join(0.5)
            b.progress()
    b.prog.end()

    # every identity of this shard must now have a result file
    missing = [it for it in mine if not os.path.exists(os.path.join(out, it["id"] + ".json"))]
    counts = {}
    for s in b.results.values():
        counts[s] = counts.get(s, 0) + 1
    summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "nothing new"
    prep = ", ".join(f"{k} {v}" for k, v in sorted(b.prep_counts.items()))
    log(f"done in {time.time() - b.t0:.1f}s: {summary}; {b.skipped_done} skipped (already done); "
        f"{len(skipped)} skipped files (not dumps; {SKIPPED_FILE}); "
        f"reassembly: {prep or 'none'} (cache {b.recache.root}); results in {out}")
    if b.out_error:
        log(f"stopped early: {b.out_error}")
    for it in missing:
        why = b.no_result.get(it["id"]) or (
            "not started: " + (b.out_error or "the batch stopped") if b.out_error else "")
        log(f"NO RESULT for {it['display']}" + (f": {why}" if why else ""))
    failed = sum(n for s, n in counts.items() if s in RUN_FAILURES)
    if failed:
        log(f"{failed} dump(s) that crash could not triage this run "
            f"({', '.join(f'{s} {counts[s]}' for s in RUN_FAILURES if s in counts)}); "
            f"their results say why; rerun with --retry {','.join(RUN_FAILURES)}")
    manifest("done", exit=1 if missing or errors or failed else 0, results_this_run=counts,
             without_result=len(missing), seconds=round(time.time() - b.t0, 1))
    if missing or errors or failed:
        log(f"exit 1: {len(missing)} without a result, {len(errors)} input error(s), "
            f"{failed} crash failure(s)")
        return 1
    return 0

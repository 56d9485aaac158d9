#!/usr/bin/python3
"""The cluster engine on a real Slurm (issue 12, item 6).

A single-node Slurm cluster is started on this machine (munged with its
own key, slurmctld and slurmd on 127.0.0.1, all state in --work), a
4-task job array of scripts/ovscrash-array.sbatch triages an archive of
real fixture dumps (both arches, one dump twice under two names), and
ovscrash-report merges the shards.  The merge must equal the
single-machine run over the same archive:

- the same result per dump identity: status, signature, verdict,
  verdict source, pc_function, bucket, panic kind and place, arch,
  paths, dump facts, vmlinux match and the whole triage document;
- the same report, but for what says where and when it ran: the JSON
  report with "generated", "sources" and "shards" left out, the
  Markdown report with its first paragraph (result directories and
  time) and its "## Shards" section left out.

Independently of the batch: each result's shard is the one the
documented split gives (int(id[:16], 16) % 4, the identity computed
here), every verdict is the fixture manifest's, a merge without one
shard names it and exactly the dumps of it, and GNU parallel running
the documented recipe (one directory per shard) merges to the same
report.  Prints PASS/FAIL lines and `cluster: N passed, M failed`; the
cluster is torn down at the end, on failure too (run.sh also kills
what is left by pid file).
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tarfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from suite import Suite, eq, true  # noqa: E402

MIB = 1 << 20
SHARDS = 4
# the archive: (fixture set arch, scenario); small dumps, both arches, a
# lockup, a spin that is not this bug and panics that are not
DUMPS = [("amd64", "lockup"), ("amd64", "healthy"), ("amd64", "oops-null"),
         ("amd64", "softlockup-other"), ("amd64", "mirred"),
         ("arm64", "lockup"), ("arm64", "healthy"), ("arm64", "oops-null")]
ARCH = {"amd64": "x86_64", "arm64": "arm64"}
# per-dump result fields that must be the same in both runs
SAME = ("status", "error", "signature", "verdict", "verdict_source", "pc_function", "bucket",
        "panic_kind", "panic_where", "bucket_functions", "arch", "paths", "input", "side_files",
        "dump", "match", "triage", "log_triage")
DONE = ("COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY",
        "BOOT_FAIL", "DEADLINE", "PREEMPTED")
JOB_BOUND = int(os.environ.get("OVSCRASH_CLUSTER_TIMEOUT", "900"))


def ident(path):
    """The identity docs/batch.md gives: sha256 over size, first and last MiB."""
    size = os.path.getsize(path)
    h = hashlib.sha256()
    h.update(b"ovscrash-id-v1\0%d\0" % size)
    with open(path, "rb") as f:
        h.update(f.read(min(size, MIB)))
        f.seek(max(0, size - MIB))
        h.update(f.read(MIB))
    return h.hexdigest()


def results(*dirs):
    out = {}
    for d in dirs:
        for fn in os.listdir(d):
            if re.fullmatch(r"[0-9a-f]{64}\.json", fn):
                with open(os.path.join(d, fn)) as f:
                    r = json.load(f)
                true(r["id"] not in out, f"{r['id'][:16]} has a result in two shard directories")
                out[r["id"]] = dict(r, _dir=d)
    return out


def first_diff(a, b, path="$"):
    if type(a) is not type(b):
        return f"{path}: {a!r:.200} != {b!r:.200}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return f"{path}.{k}: only on one side"
            d = first_diff(a[k], b[k], f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} vs {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_diff(x, y, f"{path}[{i}]")
            if d:
                return d
        return None
    return None if a == b else f"{path}: {a!r:.200} != {b!r:.200}"


def stable_json(path):
    with open(path) as f:
        rep = json.load(f)
    for k in ("generated", "sources", "shards"):
        rep.pop(k, None)
    return rep


def stable_md(path):
    """The Markdown report without its first paragraph (directories,
    time) and its Shards section."""
    with open(path) as f:
        lines = f.read().split("\n")
    out, skip = [], False
    for i, line in enumerate(lines):
        if line.startswith("## "):
            skip = line == "## Shards"
        if i == 2 and re.match(r"^\d+ dumps from \d+ result director", line):
            continue
        if not skip:
            out.append(line)
    return "\n".join(out)


def free_port(taken):
    while True:
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        p = s.getsockname()[1]
        s.close()
        if p not in taken:
            return p


class Slurm:
    """munged + slurmctld + slurmd of this test, everything under DIR."""

    def __init__(self, d):
        self.d = d
        self.run = os.path.join(d, "run")
        self.conf = os.path.join(d, "slurm.conf")
        self.sock = os.path.join(self.run, "munge.sock")
        self.env = dict(os.environ, SLURM_CONF=self.conf)
        self.logs = {n: os.path.join(d, f"{n}.log") for n in ("munged", "slurmctld", "slurmd")}

    def pidfile(self, name):
        return os.path.join(self.run, f"{name}.pid")

    def fail(self, what, names):
        tails = []
        for n in names:
            try:
                with open(self.logs[n], errors="replace") as f:
                    tails.append(f"--- {self.logs[n]} (end):\n" + "".join(f.readlines()[-25:]))
            except OSError as e:
                tails.append(f"--- {self.logs[n]}: {e}")
        raise AssertionError(f"{what}\n" + "\n".join(tails))

    def start(self):
        for tool in ("munged", "slurmctld", "slurmd", "sbatch", "scontrol", "scancel"):
            true(shutil.which(tool), f"{tool} not found: scripts/install-deps.sh installs "
                                     f"slurm-wlm and munge")
        keyd = os.path.join(self.d, "munge")
        for sub, mode in ((keyd, 0o700), (self.run, 0o755), (os.path.join(self.d, "state"), 0o755),
                          (os.path.join(self.d, "spool"), 0o755)):
            os.makedirs(sub, exist_ok=True)
            os.chmod(sub, mode)
        # munged checks that the socket's directory and its parents are
        # searchable by all and not writable by others
        os.chmod(self.d, 0o755)
        key = os.path.join(keyd, "munge.key")
        with open(key, "wb") as f:
            f.write(os.urandom(1024))
        os.chmod(key, 0o400)
        rc = subprocess.run(["munged", f"--key-file={key}", f"--socket={self.sock}",
                             f"--pid-file={self.pidfile('munged')}", f"--log-file={self.logs['munged']}",
                             f"--seed-file={os.path.join(keyd, 'seed')}"],
                            capture_output=True, text=True)
        if rc.returncode != 0:
            self.fail(f"munged did not start: {rc.stderr.strip()}", ["munged"])
        host = socket.gethostname().split(".")[0]
        ports = set()
        for _ in range(2):
            ports.add(free_port(ports))
        cport, dport = sorted(ports)
        with open(self.conf, "w") as f:
            f.write(f"""# generated by tests/cluster/check.py
ClusterName=ovscrashtest
SlurmctldHost={host}(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort={cport}
SlurmdPort={dport}
AuthType=auth/munge
AuthInfo=socket={self.sock}
CredType=cred/munge
StateSaveLocation={self.d}/state
SlurmdSpoolDir={self.d}/spool
SlurmctldPidFile={self.pidfile('slurmctld')}
SlurmdPidFile={self.pidfile('slurmd')}
SlurmctldLogFile={self.logs['slurmctld']}
SlurmdLogFile={self.logs['slurmd']}
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
MailProg=/bin/true
NodeName={host} NodeAddr=127.0.0.1 CPUs={os.cpu_count() or 1} RealMemory=1000 State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
""")
        for daemon in ("slurmctld", "slurmd"):
            rc = subprocess.run([daemon, "-f", self.conf], env=self.env, capture_output=True, text=True)
            if rc.returncode != 0:
                self.fail(f"{daemon} did not start (exit {rc.returncode}): {rc.stderr.strip()}",
                          [daemon])
            if daemon == "slurmctld":
                self.wait_for(lambda: subprocess.run(["scontrol", "ping"], env=self.env,
                                                     capture_output=True, text=True).stdout,
                              lambda o: "UP" in o, 30, "slurmctld answering `scontrol ping`",
                              ["slurmctld"])
        self.wait_for(lambda: subprocess.run(["sinfo", "-h", "-o", "%T"], env=self.env,
                                             capture_output=True, text=True).stdout.strip(),
                      lambda o: o in ("idle", "mixed", "allocated"), 30,
                      "the node idle in sinfo", ["slurmctld", "slurmd"])

    def wait_for(self, probe, ok, bound, what, logs):
        t0 = time.time()
        last = None
        while time.time() - t0 < bound:
            last = probe()
            if ok(last):
                return last
            time.sleep(0.5)
        self.fail(f"no {what} within {bound}s (last: {last!r})", logs)

    def sbatch(self, argv, cwd):
        p = subprocess.run(["sbatch", "--parsable"] + argv, env=self.env, cwd=cwd,
                           capture_output=True, text=True)
        if p.returncode != 0:
            self.fail(f"sbatch failed: {p.stderr.strip()}", ["slurmctld"])
        return p.stdout.strip().split(";")[0]

    def tasks(self, job):
        """{array task id: (state, exit code)} from `scontrol show job`."""
        p = subprocess.run(["scontrol", "-o", "show", "job", job], env=self.env,
                           capture_output=True, text=True)
        out = {}
        for line in p.stdout.splitlines():
            f = dict(kv.split("=", 1) for kv in line.split() if "=" in kv)
            if "ArrayTaskId" in f and re.fullmatch(r"\d+", f["ArrayTaskId"]):
                out[int(f["ArrayTaskId"])] = (f.get("JobState"), f.get("ExitCode"))
        return out

    def wait_job(self, job, n, bound):
        t0 = time.time()
        while time.time() - t0 < bound:
            t = self.tasks(job)
            if len(t) == n and all(s in DONE for s, _e in t.values()):
                return t
            time.sleep(1)
        subprocess.run(["scancel", job], env=self.env)
        self.fail(f"job {job} not done within {bound}s: {self.tasks(job)}", ["slurmctld", "slurmd"])

    def stop(self):
        """Cancel every job, stop the daemons (slurmd, slurmctld, munged)
        by the pids in their pid files, and wait for them to go."""
        if os.path.exists(self.conf):
            subprocess.run(["scancel", "--full", "--user=root"], env=self.env, capture_output=True,
                           timeout=30)
        for name in ("slurmd", "slurmctld", "munged"):
            try:
                with open(self.pidfile(name)) as f:
                    pid = int(f.read().strip())
            except (OSError, ValueError):
                continue
            # only the daemon this test started: a daemon that died
            # leaves a pid file whose pid may be another process's by now
            if not self.is_daemon(pid, name):
                continue
            try:
                os.kill(pid, 15)
            except ProcessLookupError:
                continue
            for _ in range(100):
                if not self.is_daemon(pid, name):
                    break
                time.sleep(0.1)
            else:
                os.kill(pid, 9)

    @staticmethod
    def is_daemon(pid, name):
        """PID is a live (not zombie) process named NAME."""
        try:
            with open(f"/proc/{pid}/stat") as f:
                st = f.read()
        except OSError:
            return False
        comm, state = st[st.find("(") + 1:st.rfind(")")], st[st.rfind(")") + 2:][:1]
        return comm == name and state != "Z"


class Cluster:
    def __init__(self, a):
        self.a = a
        self.top = a.top
        self.w = a.work
        self.batch = os.path.join(self.top, "scripts", "ovscrash-batch")
        self.report = os.path.join(self.top, "scripts", "ovscrash-report")
        self.idx = os.path.join(self.w, "symindex")
        self.env = dict(os.environ, PATH=os.path.join(self.top, "scripts") + ":" + os.environ["PATH"])
        self.env.pop("DEBUGINFOD_URLS", None)
        self.times = {}

    def common_args(self):
        return ["--crash", f"x86_64={self.a.crash}", "--ext", f"x86_64={self.a.ext}",
                "--crash", f"arm64={self.a.crash_arm64}", "--ext", f"arm64={self.a.ext_arm64}",
                "--symbols", self.sym, "--index-cache", self.idx, "--no-progress-bar"]

    def t_inputs(self):
        stage = os.path.join(self.w, "stage", "dumps")
        self.man = {}
        self.expect = {}      # identity -> (name, manifest)
        sa = os.path.join(self.w, "symbols")
        boot = os.path.join(sa, "usr/lib/debug/boot")
        os.makedirs(boot)
        for arch, scen in DUMPS:
            src = os.path.join(self.a.fixtures[arch], scen)
            true(os.path.isfile(os.path.join(src, "vmcore")), f"fixture {src}/vmcore missing")
            with open(os.path.join(src, "manifest.json")) as f:
                m = json.load(f)
            d = os.path.join(stage, f"{arch}-{scen}")
            os.makedirs(d)
            for fn in ("vmcore", "vmcore-dmesg.txt", "manifest.json"):
                if os.path.exists(os.path.join(src, fn)):
                    shutil.copy(os.path.join(src, fn), d)
            self.expect[ident(os.path.join(d, "vmcore"))] = (f"{arch}-{scen}", m)
            rel = m["kernel_release"]
            if not os.path.exists(os.path.join(boot, f"vmlinux-{rel}")):
                os.symlink(os.path.realpath(os.path.join(src, "vmlinux")),
                           os.path.join(boot, f"vmlinux-{rel}"))
                mods = os.path.join(sa, f"usr/lib/debug/lib/modules/{rel}/kernel/net/openvswitch")
                os.makedirs(mods)
                os.symlink(os.path.realpath(os.path.join(src, "openvswitch.ko.debug")),
                           os.path.join(mods, "openvswitch.ko"))
        # the same dump again under another name: one result, two paths
        os.makedirs(os.path.join(stage, "again"))
        shutil.copy(os.path.join(stage, "amd64-lockup", "vmcore"),
                    os.path.join(stage, "again", "vmcore.copy"))
        self.sym = sa
        self.archive = os.path.join(self.w, "archive.tar.zst")
        tarp = os.path.join(self.w, "archive.tar")
        with tarfile.open(tarp, "w") as t:
            t.add(stage, arcname="dumps")
        subprocess.run(["zstd", "-q", "-1", "--rm", "-o", self.archive, tarp], check=True)
        shutil.rmtree(os.path.join(self.w, "stage"))
        eq(len(self.expect), len(DUMPS), "distinct dump identities in the archive")
        parts = {k: sum(1 for i in self.expect if int(i[:16], 16) % SHARDS == k) for k in range(SHARDS)}
        print(f"split of the {len(self.expect)} dumps over {SHARDS} shards: {parts}", flush=True)

    def run_batch(self, out, *extra):
        argv = [self.batch, "--out", out] + self.common_args() + list(extra) + [self.archive]
        t0 = time.time()
        p = subprocess.run(argv, env=self.env, capture_output=True, text=True)
        with open(os.path.join(self.a.out, "batch-runs.log"), "a") as f:
            f.write(f"$ {' '.join(argv)}\n{p.stderr}\n")
        if p.returncode != 0:
            raise AssertionError(f"ovscrash-batch exit {p.returncode}: {p.stderr[-2000:]}")
        return time.time() - t0

    def run_report(self, dirs, name, rc=0):
        o = {k: os.path.join(self.a.out, f"{name}.{k}") for k in ("json", "md")}
        p = subprocess.run([self.report] + dirs + ["--json", o["json"], "--md", o["md"]],
                           env=self.env, capture_output=True, text=True)
        if p.returncode != rc:
            raise AssertionError(f"ovscrash-report {name}: exit {p.returncode}, expected {rc}: "
                                 f"{p.stderr[-1500:]}")
        o["stderr"] = p.stderr
        return o

    def t_single(self):
        # the symbol index of both kernels is built by this run (and
        # read by every run after it): its build time is taken out of
        # the single run's time the array is compared with
        self.single = os.path.join(self.w, "single")
        self.times["single"] = self.run_batch(self.single, "-j", "2")
        self.single_r = results(self.single)
        eq(set(self.single_r), set(self.expect), "identities with a result (single run)")
        self.times["index-builds"] = sum(
            float(((r.get("crash") or {}).get("index") or {}).get("build_seconds") or 0)
            for r in self.single_r.values()
            if ((r.get("crash") or {}).get("index") or {}).get("state") == "built")
        self.single_rep = self.run_report([self.single], "single")

    def t_verdicts(self):
        for i, r in self.single_r.items():
            name, m = self.expect[i]
            eq(r["status"], "ok", f"{name}: status")
            eq(r["verdict"], m["expected"]["verdict_kind"], f"{name}: verdict (manifest)")
            eq(r["arch"], ARCH[m["arch"]], f"{name}: arch (manifest)")
        lock = [i for i, (n, _m) in self.expect.items() if n == "amd64-lockup"][0]
        eq(sorted(p.split("!", 1)[-1] for p in self.single_r[lock]["paths"]),
           ["/dumps/again/vmcore.copy", "/dumps/amd64-lockup/vmcore"],
           "the dump copied under a second name: paths of its one result (archive members)")

    def t_cluster_up(self):
        self.slurm = Slurm(os.path.join(self.w, "slurm"))
        self.slurm.start()

    def t_array(self):
        self.arr = os.path.join(self.w, "array")
        os.makedirs(self.arr)
        env_line = f"OVSCRASH_BATCH={self.batch}"
        t0 = time.time()
        job = self.slurm.sbatch([f"--array=0-{SHARDS - 1}", "--cpus-per-task=1",
                                 f"--output={self.w}/slurm-%A_%a.log", f"--export=ALL,{env_line}",
                                 os.path.join(self.top, "scripts", "ovscrash-array.sbatch"),
                                 "--out", self.arr] + self.common_args() + [self.archive],
                                cwd=self.w)
        tasks = self.slurm.wait_job(job, SHARDS, JOB_BOUND)
        self.times["array"] = time.time() - t0
        logs = {}
        for k in range(SHARDS):
            try:
                with open(os.path.join(self.w, f"slurm-{job}_{k}.log"), errors="replace") as f:
                    logs[k] = f.read()
            except OSError as e:
                logs[k] = f"(no log: {e})"
        every = "".join(f"--- task {k}:\n{v[-1500:]}\n" for k, v in logs.items())
        with open(os.path.join(self.a.out, "array-tasks.log"), "w") as f:
            f.write(every)
        bad = {k: v for k, v in tasks.items() if v != ("COMPLETED", "0:0")}
        true(not bad, f"array tasks not COMPLETED with exit 0: {bad}\n{every}")
        for k in range(SHARDS):
            n = sum(1 for i in self.expect if int(i[:16], 16) % SHARDS == k)
            true(re.search(rf"\b{n} in this shard\b", logs[k]),
                 f"task {k}'s log does not say `{n} in this shard`:\n{logs[k][-1500:]}")
            with open(os.path.join(self.arr, f"shard-{k}-of-{SHARDS}.json")) as f:
                m = json.load(f)
            eq((m["shard"], m["of"], m["state"], m["exit"]), (k, SHARDS, "done", 0),
               f"shard-{k}-of-{SHARDS}.json")
            eq(m["slurm_job"], job, f"shard {k}: the Slurm array job id in its manifest")

    def t_array_split(self):
        r = results(self.arr)
        eq(set(r), set(self.expect), "identities with a result (array)")
        for i, x in r.items():
            eq(x["shard"], f"{int(i[:16], 16) % SHARDS}/{SHARDS}",
               f"{self.expect[i][0]}: its shard (int(id[:16], 16) % {SHARDS})")
        self.arr_r = r

    def same_results(self, got, what):
        for i, s in self.single_r.items():
            for k in SAME:
                d = first_diff(s.get(k), got[i].get(k))
                true(d is None, f"{what}: {self.expect[i][0]}: {k} differs from the single run at {d}")

    def t_array_same_results(self):
        self.same_results(self.arr_r, "array")

    def t_array_report(self):
        rep = self.run_report([self.arr], "array")
        self.same_report(rep, "array")
        with open(rep["json"]) as f:
            sh = json.load(f)["shards"]
        eq([(s["of"], s["done"], s["missing"], s["unfinished"], s["without_result"]) for s in sh],
           [(SHARDS, list(range(SHARDS)), [], [], [])], "the merged report's shards")

    def same_report(self, rep, what):
        d = first_diff(stable_json(self.single_rep["json"]), stable_json(rep["json"]))
        true(d is None, f"{what}: merged JSON report differs from the single run's at {d}")
        a, b = stable_md(self.single_rep["md"]), stable_md(rep["md"])
        if a != b:
            al, bl = a.split("\n"), b.split("\n")
            n = next((i for i, (x, y) in enumerate(zip(al, bl)) if x != y), min(len(al), len(bl)))
            raise AssertionError(f"{what}: Markdown report differs from the single run's at line "
                                 f"{n + 1}: {al[n] if n < len(al) else None!r} vs "
                                 f"{bl[n] if n < len(bl) else None!r}")

    def t_missing_shard(self):
        """The merge of the array's results without one shard (its
        results and manifest moved away): exit 1, the shard named, and
        exactly its dumps listed without a result."""
        k = max(range(SHARDS), key=lambda k: sum(1 for i in self.expect if int(i[:16], 16) % SHARDS == k))
        part = os.path.join(self.w, "array-minus-one")
        shutil.copytree(self.arr, part, ignore=shutil.ignore_patterns("logs", ".scratch", "reassembled"))
        os.unlink(os.path.join(part, f"shard-{k}-of-{SHARDS}.json"))
        lost = set()
        for i in self.expect:
            if int(i[:16], 16) % SHARDS == k:
                os.unlink(os.path.join(part, f"{i}.json"))
                lost.add(i)
        rep = self.run_report([part], "array-minus-one", rc=1)
        true(f"shard {k}/{SHARDS} is missing" in rep["stderr"], f"stderr names shard {k}: {rep['stderr']}")
        with open(rep["json"]) as f:
            (s,) = json.load(f)["shards"]
        eq(s["missing"], [k], "missing shards")
        eq({e["id"] for e in s["without_result"]}, lost, f"the dumps of shard {k} without a result")
        with open(rep["md"]) as f:
            true(f"MISSING: {k}/{SHARDS}" in f.read(), "the Markdown report names the missing shard")

    def t_parallel(self):
        true(shutil.which("parallel"), "GNU parallel not found: scripts/install-deps.sh installs parallel")
        base = os.path.join(self.w, "par")
        os.makedirs(base)
        # the recipe of docs/batch.md: one directory per shard
        argv = ["parallel", "--will-cite", "--halt", "never", "-j", "2",
                self.batch, "--shard", "{}/" + str(SHARDS), "-j", "1", "--out", base + "/shard-{}"] + \
            self.common_args() + [self.archive, ":::"] + [str(k) for k in range(SHARDS)]
        t0 = time.time()
        p = subprocess.run(argv, env=self.env, capture_output=True, text=True)
        self.times["parallel"] = time.time() - t0
        true(p.returncode == 0, f"parallel exit {p.returncode}: {p.stderr[-2000:]}")
        dirs = [os.path.join(base, f"shard-{k}") for k in range(SHARDS)]
        r = results(*dirs)
        eq(set(r), set(self.expect), "identities with a result (GNU parallel)")
        for i, x in r.items():
            eq(x["_dir"], dirs[int(i[:16], 16) % SHARDS], f"{self.expect[i][0]}: its shard directory")
        self.same_results(r, "GNU parallel")
        self.same_report(self.run_report(dirs, "parallel"), "GNU parallel")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--top", required=True)
    ap.add_argument("--crash", required=True)
    ap.add_argument("--ext", required=True)
    ap.add_argument("--crash-arm64", required=True)
    ap.add_argument("--ext-arm64", required=True)
    ap.add_argument("--fixtures-amd64", required=True)
    ap.add_argument("--fixtures-arm64", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    a.fixtures = {"amd64": a.fixtures_amd64, "arm64": a.fixtures_arm64}
    os.makedirs(a.out, exist_ok=True)
    open(os.path.join(a.out, "batch-runs.log"), "w").close()
    c = Cluster(a)
    s = Suite()
    try:
        s.check("archive-of-fixture-dumps", c.t_inputs)
        if s.failed:
            return s.summary("cluster")
        s.check("single-machine-run", c.t_single)
        if hasattr(c, "single_rep"):
            s.check("single-run-verdicts-match-manifests", c.t_verdicts)
        s.check("slurm-cluster-up", c.t_cluster_up)
        if hasattr(c, "single_rep") and not s.failed:
            s.check("slurm-4-task-array", c.t_array)
            if hasattr(c, "arr"):
                s.check("array-split-by-identity", c.t_array_split)
            if hasattr(c, "arr_r"):
                s.check("array-results-equal-single-run", c.t_array_same_results)
                s.check("array-merged-report-equals-single-run", c.t_array_report)
                s.check("merge-without-one-shard-names-it", c.t_missing_shard)
        if hasattr(c, "single_rep"):
            s.check("gnu-parallel-recipe", c.t_parallel)
    finally:
        if hasattr(c, "slurm"):
            c.slurm.stop()
    t = c.times
    if t:
        line = ", ".join(f"{k} {v:.1f}s" for k, v in t.items())
        print(f"timing: {line} ({len(DUMPS)} dumps + 1 copy; array: {SHARDS} tasks of -j 1 on "
              f"{os.cpu_count()} CPUs; single: -j 2)")
        with open(os.path.join(a.out, "timings.json"), "w") as f:
            json.dump(t, f)
    return s.summary("cluster")


if __name__ == "__main__":
    sys.exit(main())

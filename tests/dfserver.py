"""A real debuginfod server (Debian's `debuginfod`, elfutils) for the
integration and e2e suites: started on 127.0.0.1 on a free port, waited on
until it serves the build-ids the test needs, stopped at the end (also when
the test fails), plus the two ways a server fails a client: no server on a
port (connection refused) and a port that accepts but never answers.

The server indexes .deb files laid out as Debian's linux-image-*-dbg
package (usr/lib/debug/...), repacked from the fixture kernel's extracted
debug files (see docs/fixtures.md for why not the 283 MB original)."""
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_dbg_deb(path, package, version, arch, files):
    """A .deb of `files` {path in the package (usr/lib/debug/...): source
    file}, uncompressed (-Znone: building and indexing it costs a copy)."""
    root = path + ".d"
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(os.path.join(root, "DEBIAN"))
    with open(os.path.join(root, "DEBIAN", "control"), "w") as f:
        f.write(f"Package: {package}\nVersion: {version}\nArchitecture: {arch}\n"
                "Maintainer: ovscrash tests <root@localhost>\n"
                "Description: fixture kernel debug files, repacked for a test debuginfod\n")
    for rel, src in files.items():
        dst = os.path.join(root, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copyfile(os.path.realpath(src), dst)
    subprocess.run(["dpkg-deb", "-Znone", "--root-owner-group", "--build", root, path],
                   check=True, capture_output=True)
    shutil.rmtree(root)
    return path


def fetch(url, timeout=5):
    """HTTP status of a GET (0 when nothing answers)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            while r.read(1 << 20):
                pass
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except (OSError, urllib.error.URLError):
        return 0


class Debuginfod:
    """`with Debuginfod(work, debs=[...], ready=[build-id, ...]) as d:`
    d.url is the server; d.index_seconds how long until every build-id in
    `ready` was served."""

    def __init__(self, work, debs=(), dirs=(), ready=(), wait=120):
        self.work, self.debs, self.dirs, self.ready, self.wait = work, debs, dirs, ready, wait
        self.proc = None
        self.index_seconds = None

    def __enter__(self):
        os.makedirs(self.work, exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        scan = os.path.join(self.work, "scan")
        os.makedirs(scan, exist_ok=True)
        for p in self.debs:
            dst = os.path.join(scan, os.path.basename(p))
            if not os.path.exists(dst):
                os.link(p, dst) if os.stat(p).st_dev == os.stat(scan).st_dev else shutil.copyfile(p, dst)
        argv = ["debuginfod", "-p", str(self.port), "-d", os.path.join(self.work, "db.sqlite"),
                "-t", "0", "-g", "0", "-c", "2"]
        if self.debs:
            argv += ["-U", scan]
        for d in self.dirs:
            argv += ["-F", d]
        self.log = open(os.path.join(self.work, "debuginfod.log"), "w")
        t0 = time.time()
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self.log,
                                     stderr=subprocess.STDOUT)
        try:
            pending = list(self.ready)
            while True:
                if self.proc.poll() is not None:
                    raise AssertionError(f"debuginfod exited {self.proc.returncode}: "
                                         f"{open(self.log.name).read()[-800:]}")
                pending = [b for b in pending
                           if fetch(f"{self.url}/buildid/{b}/debuginfo") != 200]
                if fetch(f"{self.url}/metrics") == 200 and not pending:
                    break
                if time.time() - t0 > self.wait:
                    with open(self.log.name, errors="replace") as f:
                        said = [ln.strip() for ln in f if " GET /" not in ln and "not found" not in ln]
                    raise AssertionError(f"debuginfod on {self.url} did not serve {pending} "
                                         f"within {self.wait} s (needs bsdtar from libarchive-tools "
                                         f"for .deb); its log ends: {' | '.join(said[-3:])}")
                time.sleep(0.5)
        except BaseException:
            self.stop()
            raise
        self.index_seconds = time.time() - t0
        return self

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
        if getattr(self, "log", None):
            self.log.close()

    def __exit__(self, *exc):
        self.stop()
        return False


class Blackhole:
    """A port that accepts connections (the kernel's backlog) and never
    answers: a server that hangs."""

    def __enter__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        return self

    def __exit__(self, *exc):
        self.sock.close()
        return False

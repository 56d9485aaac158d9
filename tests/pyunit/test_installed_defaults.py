"""Which crash, extension and ovscrash-log the batch picks by default
(issue 14, deb): installed (no scripts/build-crash.sh beside the
package), the private crash per arch and the extension built for it
under /usr/lib/ovscrash (OVSCRASH_LIBEXEC here), ovscrash-log from PATH;
in the source tree, the tree's own choices, never the installed layout.
The layouts are crafted by the tests."""
import os

from ovscrash_batch import tools
from ovscrash_batch.common import HOST_ARCH

OTHER = {"x86_64": "arm64", "arm64": "x86_64"}[HOST_ARCH]


def exe(path, text="#!/bin/sh\nexit 0\n"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, 0o755)
    return str(path)


def installed(tmp_path, monkeypatch):
    """A package directory with no scripts/ beside it, and an installed
    layout under tmp_path/libexec; returns the libexec path."""
    site = tmp_path / "dist-packages"
    site.mkdir()
    monkeypatch.setattr(tools, "TOP", str(site))
    monkeypatch.setattr(tools, "SCRIPTS", str(site / "scripts"))
    lx = tmp_path / "libexec"
    monkeypatch.setenv("OVSCRASH_LIBEXEC", str(lx))
    return lx


def test_installed_crash_and_ext_per_arch(tmp_path, monkeypatch):
    lx = installed(tmp_path, monkeypatch)
    host_crash = exe(lx / "crash")
    other_crash = exe(lx / f"crash-{OTHER}")
    exts = {a: exe(lx / "extensions" / a / "ovscrash.so") for a in (HOST_ARCH, OTHER)}
    assert not tools.source_tree()
    assert tools.default_crash(HOST_ARCH) == (host_crash, None)
    assert tools.default_crash(OTHER) == (other_crash, None)
    assert tools.default_ext(HOST_ARCH) == exts[HOST_ARCH]
    assert tools.default_ext(OTHER) == exts[OTHER]


def test_installed_missing_crash_names_the_path(tmp_path, monkeypatch):
    lx = installed(tmp_path, monkeypatch)
    exe(lx / "crash")
    path, why = tools.default_crash(OTHER)
    assert path is None
    assert str(lx / f"crash-{OTHER}") in why and f"--crash {OTHER}=PATH" in why
    # never the project's cache or a crash on PATH in place of the layout's
    assert tools.default_ext(OTHER) is None
    # the runner's message names where the extension was looked for
    assert tools.ext_where(OTHER) == str(lx / "extensions" / OTHER / "ovscrash.so")


def test_installed_logtool_is_on_path_not_beside_package(tmp_path, monkeypatch):
    installed(tmp_path, monkeypatch)
    exe(tmp_path / "dist-packages" / "tools" / "ovscrash-log")
    bindir = tmp_path / "bin"
    onpath = exe(bindir / "ovscrash-log")
    monkeypatch.setenv("PATH", str(bindir))
    assert tools.default_logtool() == (onpath, None)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    path, why = tools.default_logtool()
    assert path is None and "on PATH" in why


def test_source_tree_ignores_installed_layout(tmp_path, monkeypatch):
    lx = tmp_path / "libexec"
    monkeypatch.setenv("OVSCRASH_LIBEXEC", str(lx))
    exe(lx / "crash")
    exe(lx / "extensions" / HOST_ARCH / "ovscrash.so")
    assert tools.source_tree()
    path, _ = tools.default_crash(HOST_ARCH)
    assert path is None or not path.startswith(str(lx))
    ext = tools.default_ext(HOST_ARCH)
    assert ext is None or not ext.startswith(str(lx))


def test_installed_under_a_prefix_finds_its_libexec(tmp_path, monkeypatch):
    """`make install PREFIX=P`: the package in P/lib/python3/dist-packages,
    the crashes in P/lib/ovscrash, no OVSCRASH_LIBEXEC."""
    site = tmp_path / "lib" / "python3" / "dist-packages"
    site.mkdir(parents=True)
    monkeypatch.setattr(tools, "TOP", str(site))
    monkeypatch.setattr(tools, "SCRIPTS", str(site / "scripts"))
    monkeypatch.delenv("OVSCRASH_LIBEXEC", raising=False)
    host_crash = exe(tmp_path / "lib" / "ovscrash" / "crash")
    assert tools.libexec() == str(tmp_path / "lib" / "ovscrash")
    assert tools.default_crash(HOST_ARCH) == (host_crash, None)
    # no such directory beside the package: the Debian package's place
    monkeypatch.setattr(tools, "TOP", str(tmp_path / "elsewhere" / "dist-packages"))
    assert tools.libexec() == "/usr/lib/ovscrash"

"""The test harness both Python suites (integration, e2e) share: named
checks that print PASS/FAIL lines and are counted for the closing
"<suite>: N passed, M failed" line."""
import os
import traceback


def host_line(m):
    """Whether a fixture manifest is of the host's own kernel line (Debian
    6.1; manifests older than the kernel lines carry none)."""
    return m.get("kernel_line") in (None, "bookworm")


def kernel_version(m):
    """"5.10" of a manifest's kernel_release 5.10.0-32-cloud-amd64"""
    return ".".join(m["kernel_release"].split(".")[:2])


def fixture_label(m):
    """A fixture's name in check titles: its arch, plus its kernel version
    off the host's own line (amd64/5.10, amd64/6.12)."""
    return m["arch"] if host_line(m) else f"{m['arch']}/{kernel_version(m)}"


def eq(a, b, what):
    """Assert a == b, naming what was compared and both values."""
    if a != b:
        raise AssertionError(f"{what}: got {a!r}, expected {b!r}")


def true(c, what):
    """Assert c, with what failed as the message."""
    if not c:
        raise AssertionError(what)


class Suite:
    def __init__(self):
        self.passed = self.failed = self.skipped = 0

    def skip(self, name, why):
        """A check that cannot run here (its fixture is not built): said
        so, counted apart, never as passed."""
        self.skipped += 1
        print(f"SKIP {name}: {why}", flush=True)

    def check(self, name, fn):
        try:
            fn()
        except Exception as e:  # noqa: BLE001 - report every failure
            self.failed += 1
            print(f"FAIL {name}: {e}", flush=True)
            if os.environ.get("OVSCRASH_TEST_VERBOSE"):
                traceback.print_exc()
        else:
            self.passed += 1
            print(f"PASS {name}", flush=True)

    def summary(self, suite):
        print(f"{suite}: {self.passed} passed, {self.failed} failed"
              + (f", {self.skipped} skipped" if self.skipped else ""), flush=True)
        return 1 if self.failed else 0

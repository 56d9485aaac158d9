"""The test harness both Python suites (integration, e2e) share: named
checks that print PASS/FAIL lines and are counted for the closing
"<suite>: N passed, M failed" line."""
import os
import traceback


class Suite:
    def __init__(self):
        self.passed = self.failed = 0

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
        print(f"{suite}: {self.passed} passed, {self.failed} failed", flush=True)
        return 1 if self.failed else 0

"""Pure functions that read crash's output into a result."""
from ovscrash_batch.verdicts import failed_status, find_json

ARM64_START = ("WARNING: cpu 1: cannot find NT_PRSTATUS note\n"
               "WARNING: cpu 0: invalid NT_PRSTATUS note (n_type != NT_PRSTATUS)\n")


def test_failed_status():
    assert failed_status("crash: vmcore: not a supported file format\n") == "bad-dump"
    assert failed_status("crash: read error: kernel virtual address: ffff\n") == "bad-dump"
    # the NT_PRSTATUS warnings of every arm64 QEMU dump say "invalid":
    # not a sign of a bad dump on their own
    assert failed_status(ARM64_START + "crash: cannot resolve \"init_task\"\n") == "crash-failed"
    assert failed_status(ARM64_START) == "crash-failed"
    assert failed_status("") == "crash-failed"


def test_find_json_takes_the_triage_document():
    out = ('noise {"x": 1}\n{"not": "triage"}\n{"verdict": "NOT_THIS_BUG", "a": [1]}\n'
           '{"verdict": "second"}\n')
    assert find_json(out) == {"verdict": "NOT_THIS_BUG", "a": [1]}
    assert find_json('{"verdict": "cut') is None
    assert find_json("[1, 2]\n{bad json\n") is None

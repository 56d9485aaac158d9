"""ovscrash_batch: triage many Linux vmcores with crash + ovscrash.so, and
report on the results (the package behind scripts/ovscrash-batch and
scripts/ovscrash-report).

    common      constants, dump identity, atomic writes, the log line
    formats     dump magic and headers (kdump-compressed, flattened, ELF),
                vmcoreinfo, single-file decompression
    archive     tar extraction into scratch
    discover    walking the inputs, side files, the skipped-files list
    symbols     the symbol store, debuginfod, the gdb-index cache
    reassembly  the cache of flattened dumps reassembled by makedumpfile -R
    tools       which crash, extension and ovscrash-log a dump is given
    verdicts    crash's and ovscrash-log's JSON read into result fields
    runner      the batch run: jobs, workers, crash invocation, results
    cli         ovscrash-batch's command line
    report      ovscrash-report: results merged into JSON/CSV/Markdown/HTML

Python 3 standard library only.
"""
from .common import VERSION

__all__ = ["VERSION"]

"""pytest set-up for the batch's unit tests: the package from this tree,
and one Hypothesis profile (fixed seed via derandomize, no deadline) so
that CI runs the same examples every time."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile(
    "ci", max_examples=int(os.environ.get("OVSCRASH_HYPOTHESIS_EXAMPLES", "150")),
    deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.function_scoped_fixture])
settings.load_profile("ci")

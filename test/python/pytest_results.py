"""pytest plugin: every test's outcome as JSON, for the vitest suites that run pytest.

Loaded with ``-p pytest_results``; writes ``{nodeid: {outcome, message}}`` to
the file named by RLSGEN_PYTEST_RESULTS when the session ends.
"""

import json
import os

_results = {}


def pytest_runtest_logreport(report):
    entry = _results.setdefault(report.nodeid, {"outcome": "passed", "message": ""})
    if entry["outcome"] != "passed":
        return  # the first failure or skip of a test is its outcome
    if report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        entry.update(outcome="skipped", message=reason[len("Skipped: "):] if reason.startswith("Skipped: ") else reason)
    elif report.failed:
        entry.update(outcome="failed", message=f"{report.when}: {report.longreprtext}")


def pytest_sessionfinish(session, exitstatus):
    path = os.environ.get("RLSGEN_PYTEST_RESULTS")
    if path:
        with open(path, "w", encoding="utf-8") as out:
            json.dump(_results, out)

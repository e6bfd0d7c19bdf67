"""Fixtures of the accessibility checks: what the suite produced, and where artefacts go.

`suite_output` is what the platform fakes recorded in this session when the whole suite ran
(the gates run last: tests/a11y/plugin.py); for any partial run it is produced afresh by a
child pytest that runs just the producing tests, so a gate never checks a partial set.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.a11y.collect import COLLECTED, SuiteOutput
from tests.a11y.plugin import DUMP, PRODUCE_ONLY, TESTS_ROOT, whole_suite_ran

ARTIFACTS = TESTS_ROOT.parent / "test-artifacts" / "a11y"


@pytest.fixture(scope="session")
def suite_output(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> SuiteOutput:
    if whole_suite_ran(request.config):
        return COLLECTED
    dump = tmp_path_factory.mktemp("a11y") / "produced.json"
    env = {**os.environ, PRODUCE_ONLY: "1", DUMP: str(dump)}
    command = [sys.executable, "-m", "pytest", str(TESTS_ROOT), "-q", "-p", "no:cacheprovider"]
    child = subprocess.run(
        command, cwd=TESTS_ROOT.parent, env=env, capture_output=True, text=True, check=False
    )
    if child.returncode != 0 or not dump.exists():
        pytest.fail(f"the producing tests failed in the child run:\n{child.stdout[-6000:]}")
    return SuiteOutput.load(dump)


@pytest.fixture(scope="session")
def artifacts() -> Iterator[Path]:
    """test-artifacts/a11y/ (git-ignored): screenshots and the counts of the last run."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield ARTIFACTS

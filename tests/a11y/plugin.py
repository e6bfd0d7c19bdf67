"""Pytest hooks that let the accessibility checks see every payload the suite produces,
whatever order or subset of tests is run.

Why this design: the checks call Node once for all cards (a process per card would be slow),
so they cannot run inside each producing test the way the JSON-schema check does. Instead:

- The platform fakes record every payload into the session's `COLLECTED` (tests/a11y/collect.py).
- Tests marked `a11y_gate` are moved to the very end of the session, after every producer.
- When the session ran the whole suite (nothing deselected, every argument covers tests/), the
  gates check what was recorded. Otherwise (`pytest tests/a11y`, `-k`, one file, …) the
  recording is partial, so the gates run the producing tests themselves, once, in a child
  pytest (`SAMVERKAN_A11Y_PRODUCE_ONLY`: only tests that use a platform fake, SQLite only, as
  the payloads do not depend on the database) that dumps its recording for them to read.

Either way the gates see the same payloads, and no ordering of the tests can hide one.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.a11y.collect import COLLECTED

TESTS_ROOT = Path(__file__).resolve().parents[1]
PRODUCE_ONLY = "SAMVERKAN_A11Y_PRODUCE_ONLY"
DUMP = "SAMVERKAN_A11Y_DUMP"
# A test that uses one of these fixtures talks to a platform fake, so it may produce payloads.
PRODUCER_FIXTURES = frozenset({"connector", "fake_slack"})
GATE = "a11y_gate"


class _State:
    deselected = 0


STATE = _State()


def pytest_deselected(items: list[pytest.Item]) -> None:
    STATE.deselected += len(items)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    if os.environ.get(PRODUCE_ONLY):
        kept = [item for item in items if _produces(item)]
        dropped = [item for item in items if not _produces(item)]
        items[:] = kept
        config.hook.pytest_deselected(items=dropped)
        return
    gates = [item for item in items if item.get_closest_marker(GATE)]
    items[:] = [item for item in items if not item.get_closest_marker(GATE)] + gates


def _produces(item: pytest.Item) -> bool:
    uses = set(getattr(item, "fixturenames", ()))
    if item.get_closest_marker(GATE) or not PRODUCER_FIXTURES & uses:
        return False
    callspec = getattr(item, "callspec", None)
    params = callspec.params.values() if callspec is not None else ()
    return "postgresql" not in params


def whole_suite_ran(config: pytest.Config) -> bool:
    """True when this session collected every test and deselected none."""
    if STATE.deselected or os.environ.get(PRODUCE_ONLY):
        return False
    if config.args_source is pytest.Config.ArgsSource.TESTPATHS:
        return True  # plain `pytest`: the configured test paths, which are tests/
    base = Path(config.invocation_params.dir)
    for arg in config.args:
        if "::" in arg:
            return False
        path = (base / arg).resolve()
        if not (path == TESTS_ROOT or path in TESTS_ROOT.parents):
            return False
    return True


def pytest_sessionfinish(session: pytest.Session) -> None:
    target = os.environ.get(DUMP)
    if target:
        COLLECTED.dump(Path(target))

"""Running the Node side of the accessibility checks: one process per batch, JSON in and out.

Node, the npm packages (`npm ci --prefix tests/a11y`) and Chromium are tools of the test
machine, not of the bot. On a developer machine without them the checks skip and say what to
install; under CI=true they fail instead, so CI can never pass without running them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any, NoReturn

import pytest

HERE = Path(__file__).resolve().parent
SCRIPTS = HERE / "js"
NODE_MODULES = HERE / "node_modules"
PACKAGES = ("adaptivecards", "axe-core", "playwright-core")
CHROMIUM_NAMES = ("chromium", "chromium-browser")
# axe-core's tags for WCAG 2.1 level A and AA (2.0's rules carry the 2.0 tags).
WCAG_21_AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def unavailable(reason: str) -> NoReturn:
    """Skip on a developer machine; fail in CI, where the tools must be installed."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: .ci/run installs it, so this is a broken setup)")
    pytest.skip(reason)


def node() -> str:
    """The `node` binary, with the pinned npm packages installed beside the scripts."""
    found = shutil.which("node")
    if found is None:
        unavailable("Node.js is not installed (apt-get install nodejs npm)")
    missing = [name for name in PACKAGES if not (NODE_MODULES / name / "package.json").exists()]
    if missing:
        unavailable(f"npm packages {', '.join(missing)} missing: run `npm ci --prefix tests/a11y`")
    return found


def chromium() -> str:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found is not None:
            return found
    unavailable("Chromium is not installed (apt-get install chromium)")


def run(script: str, payload: dict[str, Any]) -> dict[str, Any]:
    """Run `js/<script>` with the payload on stdin; its JSON answer, or a failure with stderr."""
    completed = subprocess.run(
        [node(), str(SCRIPTS / script)],
        input=json.dumps(payload, ensure_ascii=False),
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=HERE,
        check=False,
    )
    if completed.returncode != 0:
        pytest.fail(f"node {script} failed ({completed.returncode}):\n{completed.stderr[-4000:]}")
    answer: dict[str, Any] = json.loads(completed.stdout)
    return answer

"""The systemd units in deploy/systemd/ pass `systemd-analyze verify` (where systemd exists).

`verify` checks every key and value and that the command exists; it reports problems on its
output but exits 0, so any output at all fails the test. The units name the install path of
docs/operations.md (/opt/samverkan/venv); here that path is replaced by this environment's
`samverkan`, which must exist for `verify` to pass.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.deploy.helpers import DEPLOY

INSTALLED = "/opt/samverkan/venv/bin/samverkan"
UNITS = {"samverkan-serve@.service": "samverkan-serve@3978.service",
         "samverkan-worker@.service": "samverkan-worker@1.service"}  # fmt: skip


def _verify(units: Path, *names: str) -> subprocess.CompletedProcess[str]:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed on this machine")
    return subprocess.run(
        [analyze, "verify", *(str(units / name) for name in names)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def _units_here(tmp_path: Path) -> Path:
    samverkan = Path(sys.executable).with_name("samverkan")
    assert samverkan.is_file(), "the samverkan command of this environment"
    for template in UNITS:
        text = (DEPLOY / "systemd" / template).read_text(encoding="utf-8")
        assert INSTALLED in text, f"{template} runs {INSTALLED}"
        (tmp_path / template).write_text(text.replace(INSTALLED, str(samverkan)), encoding="utf-8")
    return tmp_path


def test_the_units_verify_cleanly(tmp_path: Path) -> None:
    result = _verify(_units_here(tmp_path), *UNITS.values())

    assert result.returncode == 0
    assert result.stdout + result.stderr == ""


def test_verify_would_report_a_broken_unit(tmp_path: Path) -> None:
    units = _units_here(tmp_path)
    serve = units / "samverkan-serve@.service"
    serve.write_text(serve.read_text(encoding="utf-8").replace("Type=exec", "Type=exce"))

    result = _verify(units, UNITS["samverkan-serve@.service"])

    assert "exce" in result.stdout + result.stderr


def test_the_server_unit_stops_gracefully_before_systemd_kills_it() -> None:
    text = (DEPLOY / "systemd" / "samverkan-serve@.service").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert "KillSignal=SIGTERM" in lines
    (timeout,) = [line.split("=")[1] for line in lines if line.startswith("TimeoutStopSec=")]
    grace = 25  # SAMVERKAN_SHUTDOWN_GRACE_SECONDS' default, see docs/operations.md
    assert int(timeout.removesuffix("s")) > grace
    assert "Environment=SAMVERKAN_PORT=%i" in lines  # the instance name is the port

"""The benchmark's memory reference imports what the bot imported, and says what it could not."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench.run import imported_modules
from bench.servers import import_modules


def test_import_log_gives_the_modules_in_order_without_our_own_code() -> None:
    log = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-c",
            "import bot.common.ids, json, bot.common.ids, colorsys",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stderr

    modules = imported_modules(log)

    assert "json" in modules and "colorsys" in modules
    assert modules.index("json") < modules.index("colorsys")
    assert not [name for name in modules if name.split(".")[0] in {"bot", "adapters", "storage"}]
    assert len(modules) == len(set(modules))
    assert "package" not in modules  # the log's header line is not a module


def test_reference_counts_missing_and_broken_modules_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bench_broken_module.py").write_text("raise RuntimeError('only on Windows')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    listing = tmp_path / "modules.txt"
    listing.write_text("colorsys\nno_such_module_here\nbench_broken_module\ncolorsys\n")

    import_modules(str(listing))

    assert "colorsys" in sys.modules
    report = capsys.readouterr().err.strip()
    assert report == "imported 1 of 3; 1 not installed; failed: bench_broken_module"

"""The wheel carries everything `samverkan manifest teams` needs, and works outside the repository.

The wheel is built offline from a copy of the sources (`--no-build-isolation`: the dev extras
hold the build backend), installed without dependencies into a fresh venv in a temporary
directory that borrows this environment's installed libraries, and run from there. The copy of
the sources is deleted before the installed command runs, so only the wheel's files can answer.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from importlib.metadata import version
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APP_ID = "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
LEFT_OUT = shutil.ignore_patterns(
    ".git", ".venv", "*.egg-info", "build", "dist", "__pycache__", ".*_cache", "*.sqlite3", ".env"
)


def _run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    result = subprocess.run(
        [str(arg) for arg in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with only the wheel installed in it (plus this env's libraries); its bin."""
    work = tmp_path_factory.mktemp("wheel")
    source, wheels, venv = work / "source", work / "wheels", work / "venv"
    shutil.copytree(ROOT, source, ignore=LEFT_OUT)
    pip = (sys.executable, "-m", "pip")
    _run(
        *pip,
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "--no-index",
        "-w",
        wheels,
        source,
        cwd=work,
    )
    shutil.rmtree(source)
    (wheel,) = wheels.glob("samverkan_bot-*.whl")
    _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=work)
    python = venv / "bin" / "python"
    _run(*pip, "--python", python, "install", "--no-deps", "--no-index", wheel, cwd=work)
    # The dependencies come from this environment: listed after the venv's own site-packages,
    # so the wheel's modules win; its .pth files (the editable install's) are not processed.
    where = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    purelib = _run(python, "-c", where, cwd=work).stdout.strip()
    (Path(purelib) / "borrowed-libraries.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    return venv / "bin"


def test_the_wheel_holds_the_templates_icons_and_schemas(installed: Path) -> None:
    where = (
        "import adapters, bot, manifest; print(bot.__file__, manifest.__file__, adapters.__file__)"
    )
    found = _run(installed / "python", "-c", where, cwd=installed).stdout.split()
    assert all(Path(path).is_relative_to(installed.parent) for path in found), found
    for page in ("privacy.sv.html", "privacy.en.html", "terms.sv.html", "terms.en.html"):
        assert (Path(found[2]).parent / "page_templates" / page).is_file(), page
    package = Path(found[1]).parent
    for name in (
        "teams/manifest.template.json",
        "teams/en.template.json",
        "teams/color.png",
        "teams/outline.png",
        "slack/manifest.yaml",
        "schemas/teams-manifest-1.30.schema.json",
        "schemas/adaptive-card-1.5.schema.json",
        "schemas/adaptive-card-1.6.schema.json",
        "schemas/slack-manifest-1.0.0.schema.json",
        "schemas/SOURCES.md",
    ):
        assert (package / name).is_file(), name


def test_manifest_teams_runs_from_the_installed_wheel_outside_the_repo(
    installed: Path, tmp_path: Path
) -> None:
    out = tmp_path / "teams.zip"
    arguments = ("manifest", "teams", "--app-id", APP_ID, "--url", "https://bot.example.org")

    _run(installed / "samverkan", *arguments, "--out", out, cwd=tmp_path)
    given = tmp_path / "given.zip"
    _run(installed / "samverkan", *arguments, "--out", given, "--version", "3.1.4", cwd=tmp_path)

    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == [
            "color.png",
            "en.json",
            "manifest.json",
            "outline.png",
        ]
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["version"] == version("samverkan-bot")
    assert manifest["developer"]["privacyUrl"] == "https://bot.example.org/privacy"
    with zipfile.ZipFile(given) as archive:
        assert json.loads(archive.read("manifest.json"))["version"] == "3.1.4"

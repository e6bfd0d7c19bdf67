"""The Teams app package: built from the registry, valid against the Teams schema, complete."""

from __future__ import annotations

import io
import json
import zipfile
from importlib.metadata import version
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from app.cli.main import main
from app.cli.manifest_teams import build_package, package_version, schema_errors
from bot.features import default_catalog
from tests.teams.conftest import teams_registry

APP_ID = "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"


def _build(tmp_path: Path, *extra: str) -> tuple[int, str, Path]:
    out = tmp_path / "teams.zip"
    result = CliRunner().invoke(
        main,
        [
            "manifest",
            "teams",
            "--app-id",
            APP_ID,
            "--url",
            "https://bot.example.org",
            "--out",
            str(out),
            *extra,
        ],
    )
    return result.exit_code, result.output, out


def test_the_built_package_validates_and_holds_exactly_its_files(tmp_path: Path) -> None:
    code, output, out = _build(tmp_path)

    assert code == 0, output
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == [
            "color.png",
            "en.json",
            "manifest.json",
            "outline.png",
        ]
        manifest = json.loads(archive.read("manifest.json"))
        english = json.loads(archive.read("en.json"))
        colour = Image.open(io.BytesIO(archive.read("color.png")))
        outline = Image.open(io.BytesIO(archive.read("outline.png")))
    assert schema_errors(manifest) == []
    assert manifest["id"] == manifest["bots"][0]["botId"] == APP_ID
    assert manifest["validDomains"] == ["bot.example.org"]
    assert manifest["localizationInfo"]["defaultLanguageTag"] == "sv-se"
    assert manifest["localizationInfo"]["additionalLanguages"] == [
        {"languageTag": "en-us", "file": "en.json"}
    ]
    assert english["description.short"] != manifest["description"]["short"]
    assert colour.size == (192, 192)
    assert outline.size == (32, 32) and outline.mode == "RGBA"
    pixels = [outline.getpixel((x, y)) for x in range(32) for y in range(32)]
    assert any(alpha == 0 for *_rgb, alpha in pixels)  # transparent background
    assert {tuple(rgb) for *rgb, alpha in pixels if alpha == 255} == {(255, 255, 255)}  # white


def test_the_command_list_is_the_registry_featured_commands_in_both_languages() -> None:
    registry = default_catalog().registry
    files = build_package(APP_ID, "https://bot.example.org", registry)
    manifest = json.loads(files["manifest.json"])
    english = json.loads(files["en.json"])

    (command_list,) = manifest["bots"][0]["commandLists"]
    titles = [c["title"] for c in command_list["commands"]]
    assert titles == [c.name("sv") for c in registry.featured()][:10]
    assert "hjälp" in titles
    for index, command in enumerate(registry.featured()[:10]):
        assert english[f"bots[0].commandLists[0].commands[{index}].title"] == command.name("en")
    assert all(len(c["description"]) <= 128 for c in command_list["commands"])
    assert len(command_list["commands"]) <= 12


def test_an_invalid_manifest_is_not_written(tmp_path: Path) -> None:
    files = build_package(APP_ID, "https://bot.example.org", teams_registry())
    manifest = json.loads(files["manifest.json"])
    manifest["accentColor"] = "blue"
    manifest["bots"][0]["scopes"] = ["everywhere"]

    problems = schema_errors(manifest)

    assert any(p.startswith("accentColor") for p in problems)
    assert any(p.startswith("bots/0/scopes/0") for p in problems)


@pytest.mark.parametrize(
    ("app_id", "url"),
    [("not-a-guid", "https://bot.example.org"), (APP_ID, "http://bot.example.org")],
)
def test_bad_app_id_or_url_is_refused(tmp_path: Path, app_id: str, url: str) -> None:
    out = tmp_path / "teams.zip"
    result = CliRunner().invoke(
        main, ["manifest", "teams", "--app-id", app_id, "--url", url, "--out", str(out)]
    )

    assert result.exit_code != 0
    assert not out.exists()


def _manifest_in(out: Path) -> dict[str, object]:
    with zipfile.ZipFile(out) as archive:
        manifest: dict[str, object] = json.loads(archive.read("manifest.json"))
    return manifest


def test_the_version_is_the_installed_packages_unless_given(tmp_path: Path) -> None:
    code, output, out = _build(tmp_path)
    assert code == 0, output
    assert _manifest_in(out)["version"] == package_version() == version("samverkan-bot")

    code, output, out = _build(tmp_path, "--version", "2.4.1")
    assert code == 0, output
    assert _manifest_in(out)["version"] == "2.4.1"


def test_a_version_teams_would_refuse_is_not_written(tmp_path: Path) -> None:
    code, output, out = _build(tmp_path, "--version", "2.4")

    assert code != 0
    assert "version" in output
    assert not out.exists()


def test_another_schema_file_can_be_given(tmp_path: Path) -> None:
    stricter = tmp_path / "stricter.schema.json"
    stricter.write_text(json.dumps({"required": ["notAField"]}), encoding="utf-8")

    code, output, out = _build(tmp_path, "--schema", str(stricter))

    assert code != 0
    assert "notAField" in output
    assert not out.exists()

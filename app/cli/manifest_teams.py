"""`samverkan manifest teams`: the uploadable Teams app package, checked before it is written.

The manifest template, icons and English localization template live in `manifest/teams/` and
the Teams schema in `manifest/schemas/`, all package data, so this works from an installed
wheel in any directory. The bot's command list is the registry's featured commands with their
catalog summaries, so the list users see in Teams never drifts from `hjälp`.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from uuid import UUID
from zoneinfo import ZoneInfo

import click
import regex
from jsonschema import Draft7Validator, ValidationError, validators

from bot.common.i18n import Language, Translator
from bot.core.registry import Registry
from bot.core.usage import usage_line
from bot.features import default_catalog
from manifest import load_schema, resource

SCHEMA = "teams-manifest-1.30.schema.json"  # bundled in manifest/schemas/
PACKAGE_FILES = ("manifest.json", "color.png", "outline.png", "en.json")
# Teams wants MAJOR.MINOR.PATCH and nothing more; the schema itself only says "semver".
VERSION_FORM = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")
MAX_COMMANDS = 10  # Teams shows at most ten per list in its menu (the schema allows twelve)


class ManifestInvalid(click.ClickException):
    """The built manifest breaks the Teams schema; nothing is written."""


def _pattern(
    validator: Any, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    """JSON Schema `pattern` with Unicode classes (`\\p{L}`), which Python's `re` lacks."""
    if isinstance(instance, str) and not regex.search(pattern, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_TeamsValidator = validators.extend(Draft7Validator, {"pattern": _pattern})  # type: ignore[no-untyped-call]


def schema_errors(manifest: dict[str, Any], schema_path: Path | None = None) -> list[str]:
    """Every way the manifest breaks the schema (the bundled v1.30 one unless a file is given)."""
    if schema_path is None:
        schema = load_schema(SCHEMA)
    else:
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
    found = _TeamsValidator(schema).iter_errors(manifest)
    return sorted(f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in found)


def _fill(template: str, values: dict[str, str]) -> dict[str, Any]:
    """Put values into a JSON template's `{{NAME}}` placeholders, JSON-escaped."""

    def value(match: re.Match[str]) -> str:
        return json.dumps(values[match.group(1)])[1:-1]

    filled: dict[str, Any] = json.loads(re.sub(r"\{\{([A-Z_]+)\}\}", value, template))
    return filled


def package_version() -> str:
    """The installed distribution's version: the Teams package's version unless told otherwise."""
    try:
        return version("samverkan-bot")
    except PackageNotFoundError:
        return "0.1.0"


def _commands(registry: Registry, t: Translator) -> list[dict[str, str]]:
    commands = []
    for command in registry.featured()[:MAX_COMMANDS]:
        commands.append(
            {
                "title": command.name(t.language)[:32],
                "description": f"{usage_line(t, command)} – {t(f'cmd.{command.key}.summary')}"[
                    :128
                ],
            }
        )
    return commands


def build_package(
    app_id: str, url: str, registry: Registry | None = None, app_version: str | None = None
) -> dict[str, bytes]:
    """The package's files by name: manifest (Swedish), English localization, two icons."""
    registry = registry or default_catalog().registry
    parsed = urlparse(url.rstrip("/"))
    if parsed.scheme != "https" or not parsed.hostname:
        raise click.BadParameter("the bot's public URL must be https://…", param_hint="--url")
    zone = ZoneInfo("Europe/Stockholm")
    texts: dict[Language, Translator] = {"sv": Translator("sv", zone), "en": Translator("en", zone)}
    documents: dict[str, dict[str, Any]] = {}
    names: tuple[tuple[str, Language], ...] = (("manifest", "sv"), ("en", "en"))
    for name, language in names:
        t = texts[language]
        documents[name] = _fill(
            resource("teams", f"{name}.template.json").read_text(encoding="utf-8"),
            {
                "APP_ID": app_id,
                "URL": f"{parsed.scheme}://{parsed.netloc}{parsed.path}",
                "DOMAIN": parsed.hostname,
                "VERSION": app_version or package_version(),
                "SHORT_DESCRIPTION": t("manifest.teams.short_description"),
                "FULL_DESCRIPTION": t("manifest.teams.full_description"),
                "DRAFT_FROM_MESSAGE_TITLE": t("threads.shortcut.from_message"),
                "DRAFT_FROM_MESSAGE_DESCRIPTION": t("threads.extension.description"),
            },
        )
    manifest, english = documents["manifest"], documents["en"]
    scopes = ["personal", "team", "groupChat"]
    manifest["bots"][0]["commandLists"] = [
        {"scopes": scopes, "commands": _commands(registry, texts["sv"])}
    ]
    for index, command in enumerate(_commands(registry, texts["en"])):
        prefix = f"bots[0].commandLists[0].commands[{index}]"
        english[f"{prefix}.title"] = command["title"]
        english[f"{prefix}.description"] = command["description"]
    # The message action ("Gemensamt utkast" on a post's menu) in English too.
    extension = "composeExtensions[0].commands[0]"
    english[f"{extension}.title"] = texts["en"]("threads.shortcut.from_message")
    english[f"{extension}.description"] = texts["en"]("threads.extension.description")
    return {
        "manifest.json": json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"),
        "en.json": json.dumps(english, ensure_ascii=False, indent=2).encode("utf-8"),
        "color.png": resource("teams", "color.png").read_bytes(),
        "outline.png": resource("teams", "outline.png").read_bytes(),
    }


def zip_package(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in PACKAGE_FILES:
            archive.writestr(name, files[name])
    return buffer.getvalue()


# Ignored by git (`.gitignore`), like any `samverkansboten-teams*.zip` written beside it.
DEFAULT_OUTPUT = Path("samverkansboten-teams.zip")


@click.command("teams")
@click.option("--app-id", required=True, help="The Azure Bot's Microsoft App ID (a GUID).")
@click.option(
    "--url", required=True, help="The bot's public https URL, e.g. https://bot.example.org"
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_OUTPUT,
    show_default=True,
    help="Where to write the package.",
)
@click.option(
    "--schema",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A Teams manifest JSON schema to validate against [default: the bundled v1.30].",
)
@click.option(
    "--version",
    "app_version",
    default=None,
    help="The app package's version, x.y.z; raise it for each upload"
    " [default: the installed samverkan-bot version].",
)
def teams(app_id: str, url: str, out: Path, schema: Path | None, app_version: str | None) -> None:
    """Build the Teams app package (zip) and validate it before writing."""
    try:
        UUID(app_id)
    except ValueError:
        raise click.BadParameter("must be a GUID", param_hint="--app-id") from None
    app_version = app_version or package_version()
    if not VERSION_FORM.fullmatch(app_version):
        raise click.BadParameter(
            f"{app_version!r}: Teams needs MAJOR.MINOR.PATCH, e.g. 1.4.0", param_hint="--version"
        )
    files = build_package(app_id, url, app_version=app_version)
    problems = schema_errors(json.loads(files["manifest.json"]), schema)
    if problems:
        raise ManifestInvalid("the manifest breaks the Teams schema:\n" + "\n".join(problems))
    out.write_bytes(zip_package(files))
    click.echo(f"Wrote {out} ({', '.join(PACKAGE_FILES)}); upload it in Teams admin center.")

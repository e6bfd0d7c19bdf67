"""`samverkan manifest slack`: write (and print) the Slack app manifest."""

from __future__ import annotations

from pathlib import Path

import click
import yaml

from adapters.slack.manifest import build_manifest
from app.cli.common import settings_from
from bot.common.i18n import Translator

DEFAULT_OUTPUT = Path("manifest/slack/manifest.yaml")


@click.command("slack")
@click.option("--url", help="The bot's public base URL, e.g. https://bot.example.org.")
@click.option("--socket-mode", is_flag=True, help="For Socket Mode: no request URLs.")
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=DEFAULT_OUTPUT,
    show_default=True,
    help="Where to write the manifest.",
)
@click.pass_context
def slack(ctx: click.Context, url: str | None, socket_mode: bool, output: Path) -> None:
    """Write the Slack app manifest (paste it at api.slack.com/apps)."""
    if not socket_mode and not url:
        raise click.UsageError("give --url https://… (or --socket-mode)")
    if url and not url.startswith(("https://", "http://")):
        raise click.UsageError("--url must start with https://")
    translator = Translator("sv", settings_from(ctx).tz)  # the description is in Swedish
    manifest = build_manifest(translator, url, socket_mode)
    text = yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False, width=100)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    click.echo(text, nl=False)
    click.echo(f"# written to {output}", err=True)

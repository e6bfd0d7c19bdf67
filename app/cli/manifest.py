"""`samverkan manifest …`: the platforms' app manifests, built from the command registry."""

from __future__ import annotations

import click

from app.cli.manifest_slack import slack
from app.cli.manifest_teams import teams


@click.group()
def manifest() -> None:
    """Write the Slack app manifest or the Teams app package."""


manifest.add_command(slack)
manifest.add_command(teams)

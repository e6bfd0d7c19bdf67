"""`samverkan manifest …`: the platforms' app manifests, built from the command registry."""

from __future__ import annotations

import click


@click.group()
def manifest() -> None:
    """Write the Slack app manifest or the Teams app package."""

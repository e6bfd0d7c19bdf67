"""The platforms' app manifests and the official schemas they are checked against.

A package (not only a folder) so that an installed wheel carries the Teams package's templates
and icons and the schemas as package data: `samverkan manifest teams` then works from any
directory, and nothing is read from beside the repository. Where each schema comes from is in
`schemas/SOURCES.md`.
"""

from __future__ import annotations

import json
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

SCHEMAS = (
    "teams-manifest-1.30.schema.json",
    "adaptive-card-1.5.schema.json",
    "adaptive-card-1.6.schema.json",
    "slack-manifest-1.0.0.schema.json",
)


def resource(*parts: str) -> Traversable:
    """A file of this package, e.g. `resource("teams", "color.png")`, wherever it is installed."""
    found = files(__name__)
    for part in parts:
        found = found / part
    return found


def load_schema(name: str) -> dict[str, Any]:
    """One of the bundled official schemas (see `SCHEMAS`), parsed."""
    if name not in SCHEMAS:
        raise KeyError(f"no bundled schema {name!r}; bundled: {', '.join(SCHEMAS)}")
    schema: dict[str, Any] = json.loads(resource("schemas", name).read_text(encoding="utf-8"))
    return schema

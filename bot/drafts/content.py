"""What a draft's version says, and what is wrong with it before anything is saved."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from bot.drafts.checks import MAX_TEXT, MAX_TITLE, TARGETS


@dataclass(frozen=True)
class Content:
    """What a version says and where it goes."""

    title: str
    text: str
    targets: list[str]
    planned_at: datetime | None = None

    def digest(self) -> str:
        """SHA-256 of the content, for the public record: same content, same hash."""
        canonical = json.dumps(
            {
                "title": self.title,
                "text": self.text,
                "targets": self.targets,
                "planned_at": self.planned_at.isoformat() if self.planned_at else None,
            },
            ensure_ascii=False,
            sort_keys=True,
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Problem:
    """One thing wrong with submitted content: the form field and a message key."""

    field: str
    key: str
    values: dict[str, object]


def problems(content: Content) -> list[Problem]:
    """Empty or too long text, too long title, no target channel left."""
    found: list[Problem] = []
    if not content.text.strip():
        found.append(Problem("text", "drafts.error.empty", {}))
    elif len(content.text) > MAX_TEXT:
        found.append(
            Problem(
                "text", "drafts.error.too_long", {"length": len(content.text), "limit": MAX_TEXT}
            )
        )
    if len(content.title) > MAX_TITLE:
        found.append(Problem("title", "drafts.error.title_too_long", {"limit": MAX_TITLE}))
    if not [t for t in content.targets if t in TARGETS]:
        found.append(Problem("targets", "drafts.error.no_targets", {}))
    return found

"""Where free text is stored: each table and field the scan reads and the redaction may change.

A field is named `table:id:field` (the REF the data-protection officer uses); JSON fields (the
audit log's before/after, a job's payload) are read string by string.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.models import (
    ActionItem,
    Approval,
    AuditEvent,
    Base,
    DraftVersion,
    Job,
    Meeting,
    MeetingSeries,
    Person,
)
from storage.models_lifecycle import (
    BasisDocument,
    Commitment,
    CommitmentEvent,
    CycleCheck,
    Renewal,
)
from storage.models_privacy import REDACTABLE


def _forum_of(row: Any) -> str | None:
    forum = getattr(row, "forum", None)
    return str(forum.key) if forum is not None else None


def _audit_forum(row: Any) -> str | None:
    return str(row.entity_id) if row.entity_type == "forum" else None


@dataclass(frozen=True)
class Source:
    """One model and the free-text fields it holds."""

    model: type[Base]
    fields: tuple[str, ...]
    date: str | None
    forum: Callable[[Any], str | None] = _forum_of

    @property
    def table(self) -> str:
        return str(self.model.__tablename__)

    @property
    def append_only(self) -> bool:
        return self.table in REDACTABLE


SOURCES: tuple[Source, ...] = (
    Source(ActionItem, ("text",), "created_at"),
    Source(Job, ("payload",), "created_at", lambda _row: None),
    Source(DraftVersion, ("title", "text"), "created_at", lambda _row: None),
    Source(Approval, ("comment",), "at", lambda _row: None),
    Source(Meeting, ("place",), "starts_at"),
    Source(MeetingSeries, ("place",), "created_at", lambda _row: None),
    Source(Person, ("title",), None, lambda _row: None),
    Source(BasisDocument, ("summary",), "created_at", lambda _row: None),
    Source(Commitment, ("text",), "created_at", lambda _row: None),
    Source(CommitmentEvent, ("comment",), "at", lambda _row: None),
    Source(CycleCheck, ("comment",), "at", lambda _row: None),
    Source(Renewal, ("extension_note",), "updated_at", lambda _row: None),
    Source(AuditEvent, ("before", "after"), "at", _audit_forum),
)
BY_TABLE = {source.table: source for source in SOURCES}


def strings_in(value: object) -> Iterator[str]:
    """Every string in a value (a JSON document's values, never its keys)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def replace_strings(value: object, change: Callable[[str], str]) -> object:
    """The value with `change` applied to each of its strings (a JSON document's values)."""
    if isinstance(value, str):
        return change(value)
    if isinstance(value, dict):
        return {key: replace_strings(item, change) for key, item in value.items()}
    if isinstance(value, list):
        return [replace_strings(item, change) for item in value]
    return value


def date_of(source: Source, row: Any) -> datetime | None:
    return getattr(row, source.date) if source.date else None

"""Stored texts that look like they hold a personnummer, for the data-protection officer.

Each hit has a stable REF (`table:id:field`), its forum and date when known, and an excerpt
in which every such number is masked: the scan never shows a whole number.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.common.privacy import find_identity_numbers
from bot.personal_data.sources import SOURCES, Source, date_of, strings_in

EXCERPT_SPAN = 30
MASK = "X"


@dataclass(frozen=True)
class Hit:
    """One stored field holding at least one personnummer-like text."""

    ref: str
    table: str
    row_id: int
    field: str
    forum: str | None
    at: datetime | None
    count: int
    excerpt: str
    append_only: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "table": self.table,
            "id": self.row_id,
            "field": self.field,
            "forum": self.forum,
            "date": self.at.isoformat() if self.at else None,
            "count": self.count,
            "excerpt": self.excerpt,
            "append_only": self.append_only,
        }


def mask(text: str) -> str:
    """The text with every digit of each personnummer-like number replaced by `X`."""
    chars = list(text)
    for finding in find_identity_numbers(text):
        for index in range(finding.start, finding.end):
            if chars[index].isdigit():
                chars[index] = MASK
    return "".join(chars)


def excerpt(text: str) -> str:
    """A masked stretch of text around the first number, on one line."""
    found = find_identity_numbers(text)
    first = found[0]
    start = max(0, first.start - EXCERPT_SPAN)
    end = min(len(text), first.end + EXCERPT_SPAN)
    piece = mask(text)[start:end]
    piece = " ".join(piece.split())
    return ("…" if start else "") + piece + ("…" if end < len(text) else "")


def numbers_in(value: object) -> list[str]:
    """The personnummer-like numbers in a value, as written, in order."""
    return [
        text[f.start : f.end] for text in strings_in(value) for f in find_identity_numbers(text)
    ]


def hit_of(source: Source, row: Any, field: str) -> Hit | None:
    texts = [text for text in strings_in(getattr(row, field)) if find_identity_numbers(text)]
    if not texts:
        return None
    return Hit(
        ref=f"{source.table}:{row.id}:{field}",
        table=source.table,
        row_id=int(row.id),
        field=field,
        forum=source.forum(row),
        at=date_of(source, row),
        count=sum(len(find_identity_numbers(text)) for text in texts),
        excerpt=excerpt(texts[0]),
        append_only=source.append_only,
    )


async def _rows(session: AsyncSession, source: Source) -> AsyncIterator[Any]:
    query = select(source.model).order_by(source.model.id)  # type: ignore[attr-defined]
    result = await session.stream_scalars(query.execution_options(yield_per=500))
    async for row in result:
        yield row


async def scan(session: AsyncSession) -> list[Hit]:
    """Every stored field, live tables and the audit log, that holds such a number."""
    hits: list[Hit] = []
    for source in SOURCES:
        async for row in _rows(session, source):
            for field in source.fields:
                hit = hit_of(source, row, field)
                if hit is not None:
                    hits.append(hit)
    return hits

"""Remove a personnummer-like text from where it is stored, under a recorded decision.

A live field is rewritten with every such number replaced by the marker. The same numbers in
the audit log (and in the append-only draft versions and decisions, when the REF names one)
are replaced through the one path migration 0009 allows: an `audit_redaction` row declaring
the new value, then the UPDATE the triggers check against it. An audit row `privacy.redact`
records who, when, which REF and which decision, never the text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.common.privacy import find_identity_numbers
from bot.personal_data.scan import numbers_in
from bot.personal_data.sources import BY_TABLE, Source, replace_strings
from storage.audit import Actor, record
from storage.models import AuditEvent
from storage.models_privacy import REDACTED_MARKER, AuditRedaction

MAX_DECISION = 200


class RedactError(ValueError):
    """A REF or decision that cannot be used: `key` is the message, `values` its fields."""

    def __init__(self, key: str, **values: Any) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass(frozen=True)
class Ref:
    table: str
    row_id: int
    field: str

    def __str__(self) -> str:
        return f"{self.table}:{self.row_id}:{self.field}"


def parse_ref(text: str) -> Ref:
    """`table:id:field`, as `privacy scan` prints it; anything else is refused clearly."""
    parts = text.strip().split(":")
    if len(parts) != 3 or not parts[1].isdigit():
        raise RedactError("privacy_scan.bad_ref", ref=text[:80])
    table, number, name = parts
    source = BY_TABLE.get(table)
    if source is None or name not in source.fields:
        raise RedactError("privacy_scan.bad_ref", ref=text[:80])
    return Ref(table, int(number), name)


def without_numbers(text: str, numbers: set[str] | None = None) -> str:
    """The text with each personnummer-like number (or only those in `numbers`) replaced."""
    pieces: list[str] = []
    last = 0
    for finding in find_identity_numbers(text):
        if finding.start < last:
            continue  # an overlapping candidate of one already replaced
        if numbers is not None and text[finding.start : finding.end] not in numbers:
            continue
        pieces.append(text[last : finding.start])
        pieces.append(REDACTED_MARKER)
        last = finding.end
    pieces.append(text[last:])
    return "".join(pieces)


@dataclass
class Redaction:
    """What a redaction changed: the REFs rewritten."""

    refs: list[str] = field(default_factory=list)


def _redacted(value: object, numbers: set[str] | None) -> object:
    return replace_strings(value, lambda text: without_numbers(text, numbers))


async def _append_only_change(
    session: AsyncSession,
    source: Source,
    row_id: int,
    column: str,
    value: object,
    decision: str,
    actor: Actor,
    now: datetime,
) -> None:
    """Declare the new value (the one path the triggers allow), then write it."""
    session.add(
        AuditRedaction(
            ref=f"{source.table}:{row_id}:{column}",
            table_name=source.table,
            row_id=row_id,
            column_name=column,
            new_value=json.dumps(value),
            decision=decision,
            actor=actor.label,
            at=now,
        )
    )
    await session.flush()
    model: Any = source.model
    await session.execute(
        update(model)
        .where(model.id == row_id)
        .values({column: value})
        .execution_options(synchronize_session=False)
    )


async def rewrite(
    session: AsyncSession,
    source: Source,
    row_id: int,
    column: str,
    value: object,
    decision: str,
    actor: Actor,
    now: datetime,
) -> None:
    """Write a new value into one stored field; in an append-only table, by the declared path."""
    if source.append_only:
        await _append_only_change(session, source, row_id, column, value, decision, actor, now)
        return
    model: Any = source.model
    await session.execute(
        update(model)
        .where(model.id == row_id)
        .values({column: value})
        .execution_options(synchronize_session=False)
    )


async def _audit_rows_with(session: AsyncSession, numbers: set[str]) -> list[AuditEvent]:
    """Audit rows whose before or after holds one of the numbers (checked exactly below)."""
    return await audit_rows_containing(session, {n[-4:] for n in numbers})


async def audit_rows_containing(session: AsyncSession, pieces: set[str]) -> list[AuditEvent]:
    """Audit rows whose before or after, as stored text, holds one of the pieces."""
    conditions = [
        or_(
            cast(AuditEvent.before, String).contains(tail, autoescape=True),
            cast(AuditEvent.after, String).contains(tail, autoescape=True),
        )
        for tail in pieces
    ]
    query = select(AuditEvent).where(or_(*conditions)).order_by(AuditEvent.id)
    return list((await session.scalars(query)).all())


async def redact(
    session: AsyncSession, ref_text: str, decision: str, actor: Actor, now: datetime
) -> Redaction:
    """Redact the field a REF names, and the same numbers wherever the audit log holds them."""
    decision = " ".join(decision.split())
    if not decision:
        raise RedactError("privacy_scan.decision_missing")
    if len(decision) > MAX_DECISION:
        raise RedactError("privacy_scan.decision_too_long", limit=MAX_DECISION)
    ref = parse_ref(ref_text)
    source = BY_TABLE[ref.table]
    row = await session.get(source.model, ref.row_id)
    if row is None:
        raise RedactError("privacy_scan.not_found", ref=str(ref))
    value = getattr(row, ref.field)
    numbers = set(numbers_in(value))
    if not numbers:
        raise RedactError("privacy_scan.nothing_there", ref=str(ref))
    done = Redaction()
    await rewrite(
        session, source, ref.row_id, ref.field, _redacted(value, None), decision, actor, now
    )
    done.refs.append(str(ref))
    audit = BY_TABLE["audit_event"]
    for event in await _audit_rows_with(session, numbers):
        for column in audit.fields:
            old = getattr(event, column)
            if not numbers & set(numbers_in(old)):
                continue
            key = f"audit_event:{event.id}:{column}"
            if key == str(ref):
                continue
            new = _redacted(old, numbers)
            await rewrite(session, audit, event.id, column, new, decision, actor, now)
            done.refs.append(key)
    record(
        session,
        actor=actor,
        at=now,
        action="privacy.redact",
        entity_type=ref.table,
        entity_id=str(ref),
        after={"decision": decision, "refs": done.refs},
    )
    return done

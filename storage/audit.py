"""The append-only audit log, written in the same transaction as the change it records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEvent, Person


@dataclass(frozen=True)
class Actor:
    """Who made a change: a Person from chat, or a named operator on the command line."""

    label: str
    platform: str
    person_id: int | None = None

    @classmethod
    def of(cls, person: Person, platform: str) -> Actor:
        return cls(label=person.name, platform=platform, person_id=person.id)


def snapshot(obj: object, *fields: str) -> dict[str, Any]:
    """The named attributes of a row as JSON-friendly values, for before/after."""
    values: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, name)
        values[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return values


def record(
    session: AsyncSession,
    *,
    actor: Actor,
    at: datetime,
    action: str,
    entity_type: str,
    entity_id: object,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add one audit row to the session; it commits or rolls back with the change itself."""
    event = AuditEvent(
        at=at,
        actor_person_id=actor.person_id,
        actor=actor.label,
        platform=actor.platform,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        before=before,
        after=after,
    )
    session.add(event)
    return event


@dataclass(frozen=True)
class AuditTrail:
    """One actor's audit writer for a batch of changes (seed, import) in one session."""

    session: AsyncSession
    actor: Actor
    at: datetime

    def __call__(
        self,
        action: str,
        entity_type: str,
        entity_id: object,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        record(
            self.session,
            actor=self.actor,
            at=self.at,
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            before=before,
            after=after,
        )

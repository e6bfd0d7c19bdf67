"""What a command gets to work with: the request, the asker, a session, words and time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.common.clock import Clock
from bot.common.config import Settings
from bot.common.i18n import Translator
from bot.core.catalog import Catalog
from bot.core.registry import Registry
from bot.core.reply import Reply
from bot.core.request import Request
from bot.directory.cache import Directory
from bot.directory.views import PersonView
from bot.scheduler.settings import SchedulerSettings
from storage.audit import Actor, AuditTrail
from storage.models import Channel, Person


class CommandError(Exception):
    """A refusal or a bad argument: its message key is shown to the user, and nothing is saved."""

    def __init__(self, key: str, **values: Any) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


class FieldErrors(Exception):
    """A submitted form with invalid fields: field name → message (already translated)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Outgoing:
    """A message for another channel than the asker's, sent once the transaction commits."""

    channel: Channel
    reply: Reply
    # A card whose copies are tracked (e.g. `draft:7`): posting remembers where it went, and
    # an update is sent only if `revision` is newer than what that copy already shows.
    card: str | None = None
    revision: int = 0
    # Set to replace this earlier message (the platform's id) instead of posting a new one.
    message_id: str | None = None


@dataclass
class Context:
    request: Request
    session: AsyncSession
    person: Person | None
    t: Translator
    clock: Clock
    settings: Settings
    registry: Registry
    catalog: Catalog
    scheduler: SchedulerSettings
    outbox: list[Outgoing] = field(default_factory=list)
    # What is running, for metrics and logs even when it fails half-way.
    label: str = "none"

    @property
    def language(self) -> str:
        return self.t.language

    def post_to(self, channel: Channel, reply: Reply) -> None:
        """Queue a post to a stored channel; nothing is sent if the command fails."""
        self.outbox.append(Outgoing(channel, reply))

    def queue(self, item: Outgoing) -> None:
        """Queue a tracked card post or an update of an earlier message, sent after commit."""
        self.outbox.append(item)

    def now(self) -> datetime:
        return self.clock.now()

    def require_person(self) -> Person:
        if self.person is None:
            raise CommandError("error.not_registered")
        return self.person

    def actor(self) -> Actor:
        person = self.require_person()
        return Actor.of(person, self.request.user.platform)

    def audit(
        self,
        action: str,
        entity_type: str,
        entity_id: object,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        """Record a change in the same transaction as the change itself."""
        AuditTrail(self.session, self.actor(), self.now())(
            action, entity_type, entity_id, before, after
        )


@dataclass
class DirectoryContext:
    """What a directory command gets: the asker and the directory in memory, and no session.

    Such a command only reads, so the core answers it without a transaction or an event claim,
    and it cannot save anything by mistake.
    """

    request: Request
    person: PersonView | None
    directory: Directory
    t: Translator
    registry: Registry

    @property
    def language(self) -> str:
        return self.t.language

    def require_person(self) -> PersonView:
        if self.person is None:
            raise CommandError("error.not_registered")
        return self.person

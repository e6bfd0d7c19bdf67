"""The neutral request every adapter builds from its platform's event."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class PlatformUser:
    """Who is asking, as the platform knows them; the core resolves this to a Person."""

    platform: str
    user_id: str
    workspace: str = ""
    email: str | None = None
    display_name: str | None = None
    locale: str | None = None


@dataclass(frozen=True)
class ChannelRef:
    """Where the request came from; `is_direct` for a 1:1 chat with the bot."""

    platform: str
    channel_id: str
    workspace: str = ""
    name: str | None = None
    is_direct: bool = False


@dataclass(frozen=True)
class ButtonPress:
    """A pressed button or submitted form: which button route, with its payload."""

    name: str
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Request:
    """One message or button press. Exactly one of `text` and `press` is meaningful.

    `person_id` is set only by in-process adapters (the terminal) that already know the
    Person; platform adapters leave it empty and the core resolves `user` through identities.
    """

    user: PlatformUser
    channel: ChannelRef
    text: str = ""
    press: ButtonPress | None = None
    person_id: int | None = None
    event_id: str | None = None

"""What the core needs from a platform to speak first: post, update, and message a person.

Each platform adapter implements this; the scheduler and the workflows (meeting cards, drafts,
digests) use it without knowing which platform a channel is on.
"""

from __future__ import annotations

from typing import Protocol

from bot.core.reply import Reply
from storage.models import Channel, Identity


class Messenger(Protocol):
    platform: str

    async def post(self, channel: Channel, reply: Reply) -> str | None:
        """Post to a stored channel; return the platform's id of the message, if any."""
        ...

    async def update(self, channel: Channel, message_id: str, reply: Reply) -> None:
        """Replace a message posted earlier, so everyone in the channel sees the new state."""
        ...

    async def send_direct(self, identity: Identity, reply: Reply) -> str | None:
        """Send to one person in their 1:1 chat with the bot."""
        ...


class ConversationGone(Exception):
    """The bot was removed from the conversation (or the person left): do not try again."""


class RateLimited(Exception):
    """The platform said slow down (HTTP 429); try again after `retry_after` seconds."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"rate limited, retry after {retry_after}s")
        self.retry_after = retry_after

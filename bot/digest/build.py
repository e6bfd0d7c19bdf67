"""The weekly digest: one message built from the sections the feature packages declare.

Each feature package that has something to say declares a `DigestSection(order, build)` in its
`digest_section.py`, listed in its `Feature` (`bot/features.py`); a new feature never edits this
module. Sections are short in the posted digest and complete behind its "full lists" button.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.audience import EVERYONE, Audience
from bot.common.i18n import Translator
from bot.core.reply import Button, Reply, Section
from bot.digest.names import FULL_LISTS_ROUTE

SHORT_LIST = 6


@dataclass(frozen=True)
class DigestContext:
    """What a section needs: a session, the reader's words, the week being summarised, and
    who reads it (a channel's audience, or a person's for a private preview): sections show a
    restricted forum's items only when `ForumTree.shows(forum_id, audience)`."""

    session: AsyncSession
    t: Translator
    now: datetime
    tz: ZoneInfo
    full: bool = False
    audience: Audience = EVERYONE

    @property
    def today(self) -> date:
        return self.now.astimezone(self.tz).date()

    @property
    def week_start(self) -> date:
        return self.today - timedelta(days=self.today.weekday())

    @property
    def week_end(self) -> date:
        return self.week_start + timedelta(days=6)

    def shorten(self, items: list[str]) -> list[str]:
        """At most SHORT_LIST lines in the posted digest, with how many more there are."""
        if self.full or len(items) <= SHORT_LIST:
            return items
        rest = len(items) - SHORT_LIST
        return [*items[:SHORT_LIST], self.t("digest.more", count=rest)]


@dataclass(frozen=True)
class DigestSection:
    order: int
    build: Callable[[DigestContext], Awaitable[Section | None]]


async def compose(context: DigestContext, sections: Sequence[DigestSection]) -> Reply:
    """The digest as one neutral reply, sections in their declared order."""
    t = context.t
    built = [section for s in sections if (section := await s.build(context)) is not None]
    week = context.today.isocalendar().week
    return Reply(
        heading=t("digest.heading", week=week),
        sections=built,
        text="" if built else t("digest.empty"),
        buttons=[] if context.full else [Button(t("digest.full_button"), FULL_LISTS_ROUTE)],
    )

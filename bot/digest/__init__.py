"""The weekly digest: one message built from section functions, one module per feature.

Each module in `bot/digest/sections/` defines `SECTION…` = DigestSection(order, build); a new
feature (meetings, drafts) adds a module and never edits this one. Sections are short in the
posted digest and complete behind its "full lists" button.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from bot.reply import Button, Reply, Section

SHORT_LIST = 6
FULL_ACTION = "digest.full"


@dataclass(frozen=True)
class DigestContext:
    """What a section needs: a session, the reader's words, and the week being summarised."""

    session: AsyncSession
    t: Translator
    now: datetime
    tz: ZoneInfo
    full: bool = False

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


@cache
def section_list(package: str = "bot.digest.sections") -> tuple[DigestSection, ...]:
    root = importlib.import_module(package)
    found: list[DigestSection] = []
    for info in pkgutil.iter_modules(root.__path__):
        module = importlib.import_module(f"{package}.{info.name}")
        for name in dir(module):
            section = getattr(module, name)
            if name.startswith("SECTION") and isinstance(section, DigestSection):
                found.append(section)
    return tuple(sorted(found, key=lambda s: s.order))


async def compose(context: DigestContext) -> Reply:
    """The digest as one neutral reply, sections in their declared order."""
    t = context.t
    built = [section for s in section_list() if (section := await s.build(context)) is not None]
    week = context.today.isocalendar().week
    return Reply(
        heading=t("digest.heading", week=week),
        sections=built,
        text="" if built else t("digest.empty"),
        buttons=[] if context.full else [Button(t("digest.full_button"), FULL_ACTION)],
    )

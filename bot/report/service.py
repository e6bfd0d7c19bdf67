"""Build a report for a reader: which period, which forums they may see, and the figures.

The chat command and `samverkan report` both come through here, so the rule for need-to-know
forums and the default period are decided once.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.agreement.in_force import agreement_in_force
from bot.channels.audience import EVERYONE, ForumTree, audience_of_person, load_tree
from bot.common.text import fold
from bot.directory.forums import ForumIndex, load_forum_index
from bot.report.figures import Report
from bot.report.gather import Scope, Visible, gather
from bot.report.period import AGREEMENT_WORDS, ReportPeriod, default_period, parse_report_period
from storage.models import Forum, Person


class BadPeriod(ValueError):
    """The period could not be read (or names the agreement when none is registered)."""


async def resolve_period(
    session: AsyncSession, text: str, now: datetime, tz: ZoneInfo
) -> ReportPeriod:
    """The period staff wrote, or the default one (see `default_period`)."""
    today = now.astimezone(tz).date()
    if not text.strip():
        return default_period(today)
    agreement = None
    if fold(text.strip()) in {fold(word) for word in AGREEMENT_WORDS}:
        current, upcoming = await agreement_in_force(session, today)
        agreement = current or upcoming
    period = parse_report_period(text, agreement)
    if period is None:
        raise BadPeriod(text)
    return period


def public_forums(tree: ForumTree) -> Visible:
    """For a report that leaves the circle of members (the CLI's default): no restricted forum."""
    return lambda forum: tree.shows(forum.id, EVERYONE)


async def build_report(
    session: AsyncSession,
    period: ReportPeriod,
    tz: ZoneInfo,
    now: datetime,
    *,
    visible: Visible | None = None,
    index: ForumIndex[Forum] | None = None,
) -> Report:
    """The figures; `visible` says which forums the reader may see (default: the public ones)."""
    if index is None:
        index = await load_forum_index(session)
    if visible is None:
        visible = public_forums(await load_tree(session))
    scope = Scope(period, tz, now, visible)
    return await gather(session, index, scope)


async def visible_to(
    session: AsyncSession, person: Person | None, index: ForumIndex[Forum]
) -> Visible:
    """The one audience rule (`bot/channels/audience.py`), for this person."""
    tree = await load_tree(session)
    audience = await audience_of_person(session, person)
    return lambda forum: tree.shows(forum.id, audience)


async def person_report(
    session: AsyncSession, person: Person, period_text: str, tz: ZoneInfo, now: datetime
) -> Report:
    """The report as this person may see it (for a signed link opened later)."""
    index = await load_forum_index(session)
    period = await resolve_period(session, period_text, now, tz)
    visible = await visible_to(session, person, index)
    return await build_report(session, period, tz, now, visible=visible, index=index)

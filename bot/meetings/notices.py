"""Notices on a booked meeting's day: a weekend, a Swedish public holiday, or a day the same
forum already meets. The meeting is booked all the same; the notice only makes a slip visible.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.common.i18n import Translator
from bot.meetings.service import SCHEDULED, meeting_id
from storage.models import Forum, Meeting


@cache
def _public_holidays(year: int, language: str) -> dict[date, str]:
    # Imported on first use: the holiday tables cost start-up time and memory in every process.
    import holidays

    names = holidays.country_holidays(
        "SE", years=year, language="sv" if language == "sv" else "en_US"
    )
    # Sundays are "Söndag" in the Swedish table; a Sunday is said as a weekend instead.
    return {day: name for day, name in names.items() if name.casefold() not in ("söndag", "sunday")}


def public_holiday(day: date, language: str) -> str | None:
    """The name of the Swedish public holiday on the day, if it is one."""
    return _public_holidays(day.year, language).get(day)


def calendar_notices(t: Translator, day: date) -> list[str]:
    """A weekend or a public holiday, in words."""
    notices = []
    holiday = public_holiday(day, t.language)
    if holiday is not None:
        notices.append(t("dates.notice.holiday", date=t.date(day, weekday=True), name=holiday))
    elif day.weekday() >= 5:
        notices.append(t("dates.notice.weekend", date=t.date(day, weekday=True)))
    return notices


async def same_day(
    session: AsyncSession, forum: Forum, day: date, tz: ZoneInfo, but: int | None
) -> list[Meeting]:
    """The forum's other scheduled meetings on the local day."""
    start = datetime.combine(day, time(0, 0), tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=tz)
    query = (
        select(Meeting)
        .where(
            Meeting.forum_id == forum.id,
            Meeting.status == SCHEDULED,
            Meeting.starts_at >= start,
            Meeting.starts_at < end,
        )
        .order_by(Meeting.starts_at, Meeting.id)
    )
    if but is not None:
        query = query.where(Meeting.id != but)
    return list((await session.scalars(query)).all())


async def day_notices(
    session: AsyncSession, t: Translator, forum: Forum, meeting: Meeting, tz: ZoneInfo
) -> list[str]:
    """Every notice about a newly booked meeting's day."""
    day = meeting.starts_at.astimezone(tz).date()
    notices = calendar_notices(t, day)
    others = await same_day(session, forum, day, tz, meeting.id)
    if others:
        listed = ", ".join(f"{meeting_id(m)} ({t.datetime(m.starts_at)})" for m in others)
        notices.append(t("dates.notice.same_day", meetings=listed))
    return notices

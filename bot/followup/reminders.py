"""Personal reminders: reading `<när> <text>`, quiet hours, and the personnummer rule.

The time is read by `bot.common.when` (the one date parser); this module only finds where the time
ends and the text begins, by trying the longest leading run of words `bot.common.when` understands.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.bindings import PURPOSE_FORUM
from bot.common.privacy import forbids_personal_text
from bot.common.when import WhenProblem, has_time, localise, normalise, parse_local_date
from bot.core import personal_text
from bot.core.context import Context
from bot.followup.names import REMINDER_KIND
from bot.scheduler.jobs import Target, pending_for, schedule
from bot.scheduler.settings import SchedulerSettings
from bot.scheduler.workdays import within_working_hours
from storage.models import Channel, Forum, Job

MAX_WHEN_WORDS = 8


@dataclass(frozen=True)
class Split:
    moment: datetime
    text: str
    when_text: str = ""


def split_when(words_text: str, now: datetime, tz: ZoneInfo, morning: time) -> Split | WhenProblem:
    """`i morgon kl 9 ring Anna` → (tomorrow 09:00, `ring Anna`); a day alone means its morning."""
    words = words_text.split()
    for count in range(min(len(words) - 1, MAX_WHEN_WORDS), 0, -1):
        head = " ".join(words[:count])
        naive = parse_local_date(head, now, tz)
        if naive is None:
            continue
        if not has_time(normalise(head)) and naive.time() == time(0, 0):
            naive = naive.replace(hour=morning.hour, minute=morning.minute)
        moment = localise(naive, tz)
        if isinstance(moment, WhenProblem):
            return moment
        return Split(moment, " ".join(words[count:]), head)
    return WhenProblem("when.unreadable", {"text": " ".join(words[:4])[:60]})


def held_moment(moment: datetime, tz: ZoneInfo, settings: SchedulerSettings) -> datetime:
    """Evenings, nights and weekends wait for the next working morning (if so configured)."""
    if not settings.hold_personal:
        return moment
    return within_working_hours(moment, tz, settings.morning, settings.working_hours_end)


async def no_personal_text(session: AsyncSession, forum: Forum | None) -> bool:
    """Whether the forum (or the forum its group belongs to) allows no text about individuals."""
    if forum is None or forum.no_personal_text or forum.parent_id is None:
        return forbids_personal_text(forum)
    return forbids_personal_text(forum, await session.get(Forum, forum.parent_id))


async def needs_personnummer_hold(context: Context, text: str, forum: Forum | None) -> bool:
    """A personnummer-like text is held for its author's confirmation; in a forum with no free
    text about individuals (this one or the asker's channel's) it is refused outright."""
    return await personal_text.check(context, {"text": text}, [forum])


def forum_of_channel(channel: Channel | None) -> Forum | None:
    """The one forum a channel is bound to, if exactly one."""
    if channel is None:
        return None
    forums = [b.forum for b in channel.bindings if b.purpose == PURPOSE_FORUM and b.forum]
    return forums[0] if len(forums) == 1 else None


def reminder_numbers(jobs: list[Job]) -> dict[int, int]:
    """Job id → the number the person sees (`påminnelser ta bort 2`).

    The number is kept on the reminder when it is made, so removing one never renumbers the
    others; reminders from before numbers were kept get the next free ones, in due order."""
    numbers = {job.id: int(job.payload["number"]) for job in jobs if "number" in job.payload}
    following = max(numbers.values(), default=0)
    for job in jobs:
        if job.id not in numbers:
            following += 1
            numbers[job.id] = following
    return numbers


async def add_reminder(
    session: AsyncSession, person_id: int, due: datetime, text: str, now: datetime
) -> int:
    """Schedule the reminder; its number, one more than the highest the person has now."""
    mine = await pending_for(session, REMINDER_KIND, (Target.PERSON, person_id))
    number = max(reminder_numbers(mine).values(), default=0) + 1
    await schedule(
        session,
        REMINDER_KIND,
        due,
        {"text": text, "asked_at": now.isoformat(), "number": number},
        (Target.PERSON, person_id),
        f"{REMINDER_KIND}:{person_id}:{secrets.token_hex(8)}",
        now,
    )
    return number

"""`serie M14` / `series M14`: a meeting series; `flytta`/`move` or `ställ in`/`cancel` one.

Moving or cancelling changes that one meeting only; the rest of the series stays as it was.
It works on any meeting, in a series or not. The forum's members and admins may do it.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.agreement.names import MOVE_YEAR_ROUTE
from bot.agreement.year_check import confirmed_day, year_question
from bot.common.text import fold, split_first
from bot.common.when import WhenProblem, parse_when
from bot.core.context import CommandError, Context
from bot.core.registry import ButtonRoute, Command, Param
from bot.core.reply import Reply, Section, Visibility
from bot.directory.forums import forum_name
from bot.meetings.notices import day_notices
from bot.meetings.planner import plan as plan_meeting_reminders
from bot.meetings.rhythm_words import rhythm_words
from bot.meetings.service import (
    CANCELLED,
    Viewer,
    meeting_id,
    private,
    refresh_cards,
    visible_meeting,
)
from bot.scheduler.planning import plan_soon
from storage.models import Meeting, MeetingSeries

_MOVE = ("flytta", "move")
_CANCEL = ("stall in", "installa", "cancel", "stryk")


async def run(context: Context, args: dict[str, str]) -> Reply:
    details = args.get("details", "").strip()
    viewer = await Viewer.load(context)
    folded = fold(details)
    cancel = next((w for w in _CANCEL if folded.startswith(w + " ")), None)
    if cancel is not None:
        token, _rest = split_first(details.split(maxsplit=len(cancel.split()))[-1])
        return await cancel_one(context, viewer, token)
    first, rest = split_first(details)
    if fold(first) in _MOVE:
        token, when = split_first(rest)
        return await move_one(context, viewer, token, when)
    return await show(context, viewer, first)


async def show(context: Context, viewer: Viewer, token: str) -> Reply:
    t = context.t
    meeting = await visible_meeting(viewer, token)
    if meeting.series_id is None:
        raise CommandError("series.not_in_series", id=meeting_id(meeting))
    series = await context.session.get(MeetingSeries, meeting.series_id)
    rows = (
        await context.session.scalars(
            select(Meeting)
            .where(Meeting.series_id == meeting.series_id)
            .order_by(Meeting.starts_at, Meeting.id)
        )
    ).all()
    lines = []
    for row in rows:
        note = ""
        if row.status == CANCELLED:
            note = " – " + t("series.cancelled_note")
        elif row.moved_from is not None:
            note = " – " + t("series.moved_note", time=t.datetime(row.moved_from))
        lines.append(f"`{meeting_id(row)}` {t.datetime(row.starts_at)}{note}")
    return Reply(
        heading=t("series.heading", forum=forum_name(meeting.forum, context.language)),
        text=t("dates.series_rule", rule=_rhythm(context, series)),
        sections=[Section(None, lines)],
        context=t("series.footer"),
        visibility=Visibility.ONLY_TO_YOU,
    )


def _rhythm(context: Context, series: MeetingSeries | None) -> str:
    if series is None:
        return "–"
    return rhythm_words(context.t, series.rrule, series.local_start.time())


async def move_one(
    context: Context, viewer: Viewer, token: str, when: str, confirmed: date | None = None
) -> Reply:
    t = context.t
    meeting = await visible_meeting(viewer, token)
    _may_change(context, viewer, meeting)
    parsed = parse_when(when, context.now(), context.settings.tz)
    if isinstance(parsed, WhenProblem):
        problem = t(parsed.key, **parsed.values) + "\n" + t("when.examples")
        raise CommandError("meeting.when_problem", problem=problem)
    if parsed.moment < context.now():
        raise CommandError("meeting.in_past", time=t.datetime(parsed.moment))
    day = parsed.moment.astimezone(context.settings.tz).date()
    carried: dict[str, object] = {"meeting": meeting_id(meeting), "when": when}
    question = await year_question(context, when, day, MOVE_YEAR_ROUTE, carried, confirmed)
    if question is not None:
        return question
    before = meeting.starts_at
    if meeting.moved_from is None:
        meeting.moved_from = before
    meeting.starts_at = parsed.moment
    context.audit(
        "meeting.move",
        "meeting",
        meeting_id(meeting),
        before={"starts_at": before.isoformat()},
        after={"starts_at": parsed.moment.isoformat()},
    )
    await refresh_cards(context, meeting, viewer.index)
    await plan_soon(
        context.session,
        context.now(),
        context.settings.tz,
        context.scheduler,
        plan_meeting_reminders,
    )
    text = t(
        "series.moved",
        id=meeting_id(meeting),
        before=t.datetime(before),
        after=t.datetime(parsed.moment),
    )
    notices = await day_notices(context.session, t, meeting.forum, meeting, context.settings.tz)
    return private(text + "".join("\n" + notice for notice in notices))


async def confirm_move_year(context: Context, payload: dict[str, object]) -> Reply:
    """`Ja` on "Menar du 1 november 2027?": the same move, with that day confirmed."""
    day = confirmed_day(payload)
    token, when = payload.get("meeting"), payload.get("when")
    if day is None or not isinstance(token, str) or not isinstance(when, str):
        raise CommandError("dates.stale_question")
    viewer = await Viewer.load(context)
    reply = await move_one(context, viewer, token, when, confirmed=day)
    reply.replace_original = True
    return reply


async def cancel_one(context: Context, viewer: Viewer, token: str) -> Reply:
    t = context.t
    meeting = await visible_meeting(viewer, token)
    _may_change(context, viewer, meeting)
    if meeting.status == CANCELLED:
        return private(t("series.already_cancelled", id=meeting_id(meeting)))
    meeting.status = CANCELLED
    context.audit(
        "meeting.cancel",
        "meeting",
        meeting_id(meeting),
        before={"status": "scheduled"},
        after={"status": CANCELLED},
    )
    await refresh_cards(context, meeting, viewer.index)
    return private(
        t("series.cancelled", id=meeting_id(meeting), time=t.datetime(meeting.starts_at))
    )


def _may_change(context: Context, viewer: Viewer, meeting: Meeting) -> None:
    if not viewer.belongs(meeting.forum):
        raise CommandError("meeting.not_member", forum=forum_name(meeting.forum, context.language))


COMMAND = Command(
    key="series",
    names_sv=("serie",),
    names_en=("series",),
    handler=run,
    params=(Param("details", greedy=True),),
)
ROUTES = [ButtonRoute(MOVE_YEAR_ROUTE, confirm_move_year)]

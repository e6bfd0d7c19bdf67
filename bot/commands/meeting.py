"""`möte <forum> <när> [plats: …]` / `meeting <forum> <when> [place: …]`: schedule a meeting.

The forum is the longest forum or group name at the start, the time is what follows up to
`plats:`. A rhythm (`varannan tisdag 13:30 till 2027-06-30`) makes a series. The understood
time is always echoed in full, so a misreading is visible at once. Without arguments the
command opens a form with the same fields; the buttons on the card (RSVP) live here too.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.agreement.names import MEETING_YEAR_ROUTE
from bot.agreement.year_check import confirmed_day, year_question
from bot.common.when import ParsedWhen, WhenProblem, parse_when
from bot.core import personal_text
from bot.core.context import CommandError, Context, FieldErrors
from bot.core.registry import ButtonRoute, Command, Param
from bot.core.reply import Form, FormField, Reply, Visibility
from bot.directory.forums import forum_name
from bot.meetings.names import RSVP_ROUTE, SCHEDULE_ROUTE
from bot.meetings.notices import day_notices
from bot.meetings.planner import plan as plan_meeting_reminders
from bot.meetings.recurrence import looks_like_series, parse_series
from bot.meetings.rhythm_words import rhythm_words
from bot.meetings.school_holidays import (
    meets_in_term_time,
    series_notices,
    skip_school_holidays,
    term_time_choice,
)
from bot.meetings.service import (
    SCHEDULED,
    Viewer,
    meeting_id,
    post_card,
    private,
    refresh_cards,
    visible_meeting,
)
from bot.scheduler.planning import plan_soon
from storage.models import Forum, Meeting, MeetingSeries, Rsvp

_PLACE = re.compile(r"\s(?:plats|place|lokal|where)\s*:\s*(.*)$", re.IGNORECASE)
_PAST = re.compile(r"(?:^|\s)(?:--efterhand|--past|efterhand)(?=\s|$)", re.IGNORECASE)


def split_details(text: str) -> tuple[str, str | None, bool]:
    """The words before `plats:`, the place, and whether `--efterhand` was given."""
    past = _PAST.search(" " + text) is not None
    text = _PAST.sub(" ", " " + text).strip()
    place_match = _PLACE.search(" " + text)
    place = None
    if place_match is not None:
        place = place_match.group(1).strip()[:200] or None
        text = (" " + text)[: place_match.start()].strip()
    return text, place, past


def _when_problem(context: Context, problem: WhenProblem) -> str:
    t = context.t
    return t(problem.key, **problem.values) + "\n" + t("when.examples")


async def schedule(
    context: Context,
    forum: Forum,
    viewer: Viewer,
    when: str,
    place: str | None,
    past: bool,
    confirmed: date | None = None,
) -> Reply:
    """Schedule one meeting or a series; raise a CommandError for anything unclear.

    A day whose year was guessed far ahead (or past the agreement's end) is asked about first;
    `confirmed` is the day a `Ja` press carried back.
    """
    t = context.t
    carried: dict[str, object] = {"forum": forum.key, "when": when, "place": place, "past": past}
    person = context.require_person()
    if not viewer.belongs(forum):
        raise CommandError("meeting.not_member", forum=forum_name(forum, context.language))
    if await personal_text.check(context, {"place": place}, [forum]):
        # A place is never the spot for someone's identity: refused everywhere, and in a
        # closed forum the refusal is audited (by `personal_text`).
        raise CommandError("meeting.place_personal")
    now = context.now()
    tz = context.settings.tz
    if looks_like_series(when):
        return await _schedule_series(context, forum, viewer, when, place, carried, confirmed)
    parsed = parse_when(when, now, tz, past=past)
    if isinstance(parsed, WhenProblem):
        raise CommandError("meeting.when_problem", problem=_when_problem(context, parsed))
    _check_not_past(context, parsed, past)
    if not past:
        day = parsed.moment.astimezone(tz).date()
        question = await year_question(context, when, day, MEETING_YEAR_ROUTE, carried, confirmed)
        if question is not None:
            return question
    meeting = _new_meeting(forum, parsed.moment, place, person.id, now, None)
    meeting.recorded_afterwards = past
    context.session.add(meeting)
    await context.session.flush()
    context.audit("meeting.create", "meeting", meeting_id(meeting), after=_audit(meeting))
    posted = 0 if past else await post_card(context, meeting, viewer.index)
    if not past:
        await plan_soon(context.session, now, tz, context.scheduler, plan_meeting_reminders)
    key = "meeting.recorded" if past else "meeting.scheduled"
    text = t(
        key,
        id=meeting_id(meeting),
        forum=forum_name(forum, context.language),
        time=t.datetime(meeting.starts_at),
    )
    if not past:
        text += "\n" + (
            t("meeting.card_posted", count=posted) if posted else t("meeting.no_channel")
        )
        notices = await day_notices(context.session, t, forum, meeting, tz)
        text += "".join("\n" + notice for notice in notices)
    return private(text)


async def _schedule_series(
    context: Context,
    forum: Forum,
    viewer: Viewer,
    when: str,
    place: str | None,
    carried: dict[str, object],
    confirmed: date | None,
) -> Reply:
    """A rhythm: every meeting stored, school holidays skipped where asked, said in words."""
    t = context.t
    person = context.require_person()
    now = context.now()
    tz = context.settings.tz
    term_time, when = term_time_choice(when)
    series = parse_series(when, now, tz)
    if isinstance(series, WhenProblem):
        raise CommandError("meeting.when_problem", problem=_when_problem(context, series))
    if series.until is not None and series.until_text is not None:
        question = await year_question(
            context, series.until_text, series.until, MEETING_YEAR_ROUTE, carried, confirmed
        )
        if question is not None:
            return question
    skip = term_time if term_time is not None else meets_in_term_time(context, forum)
    kept, skipped = (
        skip_school_holidays(context, series.occurrences) if skip else (series.occurrences, [])
    )
    if not kept:
        raise CommandError("dates.series_all_in_holidays")
    row = MeetingSeries(
        forum_id=forum.id,
        rrule=series.rule,
        local_start=series.local_start,
        place=place,
        created_by_person_id=person.id,
        created_at=now,
    )
    context.session.add(row)
    await context.session.flush()
    meetings = [_new_meeting(forum, moment, place, person.id, now, row.id) for moment in kept]
    context.session.add_all(meetings)
    await context.session.flush()
    context.audit(
        "meeting_series.create", "meeting_series", row.id, after=_series_audit(row, meetings)
    )
    for meeting in meetings[:1]:
        await post_card(context, meeting, viewer.index)
    await plan_soon(context.session, now, tz, context.scheduler, plan_meeting_reminders)
    first, last = meetings[0], meetings[-1]
    text = t(
        "meeting.series_created",
        count=len(meetings),
        forum=forum_name(forum, context.language),
        first=t.datetime(first.starts_at),
        last=t.datetime(last.starts_at),
        first_id=meeting_id(first),
        last_id=meeting_id(last),
    )
    rhythm = rhythm_words(t, row.rrule, row.local_start.time())
    text += "\n" + t("dates.series_rhythm", rhythm=rhythm)
    text += "".join("\n" + line for line in series_notices(context, kept, skipped))
    return private(text)


def _check_not_past(context: Context, parsed: ParsedWhen, past: bool) -> None:
    t = context.t
    if parsed.moment < context.now() and not past:
        raise CommandError("meeting.in_past", time=t.datetime(parsed.moment))
    if parsed.moment > context.now() and past:
        raise CommandError("meeting.not_in_past", time=t.datetime(parsed.moment))


def _new_meeting(
    forum: Forum,
    moment: datetime,
    place: str | None,
    person_id: int,
    now: datetime,
    series_id: int | None,
) -> Meeting:
    return Meeting(
        forum_id=forum.id,
        forum=forum,
        series_id=series_id,
        starts_at=moment,
        duration_minutes=60,
        place=place,
        status=SCHEDULED,
        recorded_afterwards=False,
        created_by_person_id=person_id,
        created_at=now,
    )


def _audit(meeting: Meeting) -> dict[str, object]:
    return {
        "forum": meeting.forum.key,
        "starts_at": meeting.starts_at.isoformat(),
        "place": meeting.place,
        "recorded_afterwards": meeting.recorded_afterwards,
    }


def _series_audit(row: MeetingSeries, meetings: list[Meeting]) -> dict[str, object]:
    return {"rrule": row.rrule, "meetings": [meeting_id(m) for m in meetings], "place": row.place}


async def run(context: Context, args: dict[str, str]) -> Reply:
    details = args.get("details", "").strip()
    viewer = await Viewer.load(context)
    if not details:
        return _form(context, viewer)
    text, place, past = split_details(details)
    found = viewer.index.match_prefix(text)
    if found is None:
        raise CommandError("meeting.unknown_forum", forums=viewer.forum_list())
    forum, when = found
    if not when.strip():
        raise CommandError("meeting.no_when", examples=context.t("when.examples"))
    return await schedule(context, forum, viewer, when, place, past)


def _form(context: Context, viewer: Viewer) -> Reply:
    t = context.t
    options = [
        (forum.key, forum_name(forum, context.language))
        for forum in viewer.index.forums
        if viewer.belongs(forum)
    ]
    form = Form(
        title=t("meeting.form.title"),
        submit_label=t("meeting.form.submit"),
        route=SCHEDULE_ROUTE,
        fields=[
            FormField(
                "forum",
                t("meeting.form.forum"),
                kind="choice",
                options=options,
                hint=t("meeting.form.forum_hint"),
                error=t("meeting.form.pick_forum"),
            ),
            FormField(
                "when",
                t("meeting.form.when"),
                hint=t("meeting.form.when_hint"),
                error=t("meeting.form.when_missing"),
            ),
            FormField(
                "place", t("meeting.form.place"), required=False, hint=t("meeting.form.place_hint")
            ),
        ],
    )
    return Reply(text=t("meeting.form.intro"), form=form, visibility=Visibility.ONLY_TO_YOU)


async def submit(context: Context, payload: dict[str, object]) -> Reply:
    """The form's submission: the same rules, with errors shown next to each field."""
    t = context.t
    viewer = await Viewer.load(context)
    key = str(payload.get("forum") or "")
    forum = next((f for f in viewer.index.forums if f.key == key), None)
    errors: dict[str, str] = {}
    if forum is None:
        errors["forum"] = t("meeting.form.pick_forum")
    when = str(payload.get("when") or "").strip()
    if not when:
        errors["when"] = t("when.examples")
    if errors or forum is None:
        raise FieldErrors(errors)
    place = str(payload.get("place") or "").strip() or None
    try:
        return await schedule(context, forum, viewer, when, place, past=False)
    except CommandError as refusal:
        if refusal.key in ("meeting.when_problem", "meeting.in_past"):
            raise FieldErrors({"when": t(refusal.key, **refusal.values)}) from None
        raise


async def confirm_year(context: Context, payload: dict[str, object]) -> Reply:
    """`Ja` on "Menar du 1 november 2027?": the same booking, with that day confirmed."""
    viewer = await Viewer.load(context)
    key = str(payload.get("forum") or "")
    forum = next((f for f in viewer.index.forums if f.key == key), None)
    day = confirmed_day(payload)
    if forum is None or day is None:
        raise CommandError("dates.stale_question")
    place = payload.get("place")
    reply = await schedule(
        context,
        forum,
        viewer,
        str(payload.get("when") or ""),
        str(place) if place else None,
        bool(payload.get("past")),
        confirmed=day,
    )
    reply.replace_original = True
    return reply


async def rsvp(context: Context, payload: dict[str, object]) -> Reply:
    """ "Jag kommer" / "Kan inte": one answer per person, the latest wins; not attendance."""
    t = context.t
    person = context.require_person()
    viewer = await Viewer.load(context)
    meeting = await _meeting_from(viewer, payload)
    coming = bool(payload.get("coming"))
    await upsert_rsvp(context.session, meeting.id, person.id, coming, context.now())
    await refresh_cards(context, meeting, viewer.index)
    key = "meeting.rsvp_yes" if coming else "meeting.rsvp_no"
    return private(t(key, id=meeting_id(meeting), time=t.datetime(meeting.starts_at)))


async def upsert_rsvp(
    session: AsyncSession, meeting_pk: int, person_id: int, coming: bool, now: datetime
) -> None:
    """Insert or change the answer atomically, so a double click cannot fail on the key."""
    dialect = session.get_bind().dialect.name
    values = {
        "meeting_id": meeting_pk,
        "person_id": person_id,
        "coming": coming,
        "answered_at": now,
    }
    if dialect == "postgresql":
        pg = postgresql.insert(Rsvp).values(**values)
        await session.execute(
            pg.on_conflict_do_update(
                index_elements=["meeting_id", "person_id"],
                set_={"coming": coming, "answered_at": now},
            )
        )
    else:
        lite = sqlite.insert(Rsvp).values(**values)
        await session.execute(
            lite.on_conflict_do_update(
                index_elements=["meeting_id", "person_id"],
                set_={"coming": coming, "answered_at": now},
            )
        )


async def _meeting_from(viewer: Viewer, payload: dict[str, object]) -> Meeting:
    raw = payload.get("meeting")
    return await visible_meeting(viewer, f"M{raw}" if isinstance(raw, int | str) else "")


COMMAND = Command(
    key="meeting",
    names_sv=("möte",),
    names_en=("meeting",),
    handler=run,
    params=(Param("details", required=False, greedy=True),),
)

ROUTES = [
    ButtonRoute(SCHEDULE_ROUTE, submit),
    ButtonRoute(RSVP_ROUTE, rsvp),
    ButtonRoute(MEETING_YEAR_ROUTE, confirm_year),
]

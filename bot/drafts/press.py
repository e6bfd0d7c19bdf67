"""Press conferences: a joint invitation that both parties approve like any draft.

A press conference is a draft of kind `press_conference` carrying its time and place, so it is
approved, edited, withdrawn and published by the drafts' own rules and card; the follow-up
report lists them with `press_conferences_between`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.common.i18n import Translator
from bot.common.privacy import looks_like_personnummer
from bot.common.when import ParsedWhen, WhenProblem, parse_when
from bot.core.context import CommandError, Context
from bot.drafts import service
from bot.drafts.checks import MAX_TITLE
from bot.drafts.content import Content
from bot.drafts.service import PRESS_CONFERENCE, draft_ref
from storage.models import Draft, DraftVersion

MAX_WHEN_WORDS = 8
MAX_PLACE = 200
_PLACE = re.compile(r"\s(?:plats|place|lokal|where)\s*:\s*(.*)$", re.IGNORECASE)
_WHEN = re.compile(r"\s(?:när|nar|when|tid|time)\s*:\s*", re.IGNORECASE)


@dataclass(frozen=True)
class PressRequest:
    topic: str
    starts_at: datetime
    place: str | None


def _split_when(text: str, now: datetime, tz: ZoneInfo) -> tuple[str, datetime]:
    """`Trygghetsvandring i Broby 10 december kl 10` → the topic and the time.

    `när:` marks where the time starts; without it, the longest run of last words that reads as
    a time (with a clock time) is the time, and at least one word is left for the topic.
    """
    marked = _WHEN.search(" " + text)
    if marked is not None:
        topic = (" " + text)[: marked.start()].strip()
        found = parse_when((" " + text)[marked.end() :].strip(), now, tz)
        if isinstance(found, WhenProblem):
            raise CommandError(found.key, **found.values)
        return topic, found.moment
    words = text.split()
    problem: WhenProblem | None = None
    for count in range(min(len(words) - 1, MAX_WHEN_WORDS), 0, -1):
        found = parse_when(" ".join(words[-count:]), now, tz)
        if isinstance(found, ParsedWhen):
            return " ".join(words[:-count]), found.moment
        if found.key in ("when.nonexistent", "when.ambiguous"):
            problem = found
    if problem is not None:
        raise CommandError(problem.key, **problem.values)
    raise CommandError("press.error.usage")


def parse_request(text: str, now: datetime, tz: ZoneInfo) -> PressRequest:
    """The topic, the time (in the future) and the place of `pressträff …`."""
    text = " ".join(text.split())
    place = None
    place_match = _PLACE.search(" " + text)
    if place_match is not None:
        place = place_match.group(1).strip() or None
        text = (" " + text)[: place_match.start()].strip()
    if not text:
        raise CommandError("press.error.usage")
    topic, starts_at = _split_when(text, now, tz)
    if not any(c.isalpha() for c in topic):
        raise CommandError("press.error.usage")
    if len(topic) > MAX_TITLE:
        raise CommandError("press.error.topic_too_long", limit=MAX_TITLE)
    if place is not None and len(place) > MAX_PLACE:
        raise CommandError("press.error.place_too_long", limit=MAX_PLACE)
    if looks_like_personnummer(f"{topic} {place or ''}"):
        raise CommandError("press.error.personnummer")
    if starts_at <= now:
        raise CommandError("press.error.past")
    return PressRequest(topic, starts_at, place)


def invitation(t: Translator, request: PressRequest) -> str:
    """The invitation's text, in the language of the joint channel; the author may edit it."""
    lines = [
        t("press.invitation.intro", topic=request.topic),
        t("press.invitation.when", when=t.datetime(request.starts_at)),
    ]
    if request.place:
        lines.append(t("press.invitation.place", place=request.place))
    lines.append(t("press.invitation.welcome"))
    return "\n".join(lines)


async def create_press_conference(context: Context, request: PressRequest, text: str) -> Draft:
    """A draft of kind `press_conference`, approved by both parties like any draft."""
    policy = await service.policy_for(context)
    content = Content(title=request.topic, text=text, targets=list(policy.default_targets))
    return await service.create(
        context,
        content,
        PRESS_CONFERENCE,
        event_at=request.starts_at,
        event_place=request.place,
    )


@dataclass(frozen=True)
class PressConferenceRecord:
    """One press conference as the follow-up report lists it."""

    draft_id: int
    draft_ref: str
    topic: str
    starts_at: datetime
    place: str | None
    state: str
    approved_at: datetime | None


async def press_conferences_between(
    session: AsyncSession, start: datetime, end: datetime
) -> list[PressConferenceRecord]:
    """Press conferences held (or planned) in [start, end), oldest first, in one query."""
    query = (
        select(Draft.id, DraftVersion.title, Draft.event_at, Draft.event_place, Draft.state)
        .add_columns(Draft.approved_at)
        .join(
            DraftVersion,
            (DraftVersion.draft_id == Draft.id) & (DraftVersion.number == Draft.current_version),
        )
        .where(
            Draft.kind == PRESS_CONFERENCE,
            Draft.event_at >= start,
            Draft.event_at < end,
        )
        .order_by(Draft.event_at, Draft.id)
    )
    return [
        PressConferenceRecord(number, draft_ref(number), title, at, place, state, approved)
        for number, title, at, place, state, approved in (await session.execute(query)).all()
    ]

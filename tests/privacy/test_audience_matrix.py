"""The audience matrix: a marker planted in each restricted forum, through every entry path,
never reaches anyone outside it, and does reach its member (so the test can fail).

Restricted forums of the bundled agreement: the exit programme (need-to-know, no free text),
the joint inspections (meetings need-to-know), Spindel (no free text) and one of its groups.
Entry paths: a meeting's place, a series' place, a meeting recorded afterwards, an action item,
a personal reminder. Drafts have no forum (a joint message is written to be published under
both names), so they are not an entry path for a forum's text.

Views of an outsider (a registered member of Brå only): every list and lookup command, the
Home tab, the digest and every other post in a general channel, direct messages, every ICS
calendar, and the exports meant for all. SQLite and PostgreSQL (the `bot` fixture).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from adapters.console import ConsoleMessenger
from app.cli.calendar import attendance_rows
from bot.channels.audience import Audience
from bot.common.clock import FixedClock
from bot.core.engine import Bot
from bot.core.home import build_home
from bot.core.reply import Reply, Visibility
from bot.core.request import ChannelRef, PlatformUser, Request
from bot.drafts.export import history, to_json
from bot.meetings.ics import NoCalendar, forum_calendar
from bot.scheduler.dispatcher import Dispatcher
from bot.scheduler.planning import ensure_planned
from bot.scheduler.settings import SchedulerSettings
from storage.models import ActionItem, Forum, Job, Meeting
from tests.conftest import Chat
from tests.scheduler.helpers import job_kinds, person_id, run_until

OUTSIDER = "Erik Holm"  # Brå only, not an admin
ADMIN = "Anna Lindqvist"
GENERAL = "allmant"
SETTINGS = SchedulerSettings(rates={})  # type: ignore[call-arg]
PATHS = ("place", "series", "afterwards", "action", "reminder")


@dataclass(frozen=True)
class Case:
    key: str  # the forum's key
    word: str  # how staff name it
    member: str


CASES = [
    Case("avhopp", "avhopp", "Peter Wallin"),
    Case("tillsyn", "tillsyn", "Lars Persson"),
    Case("spindel", "spindel", "Ahmed Karimi"),
    Case("spindel.broby", "broby", "Sara Nilsson"),
]

# Every planted marker and every leak found, over all cases and both databases.
TALLY = {"planted": 0, "leaks": 0}


def _text(replies: list[Reply]) -> str:
    return "\n".join(r.plain_text() for r in replies)


async def _plant(chat: Chat, case: Case, forum_channel: str) -> dict[str, str]:
    """Each path's marker, written by the forum's member."""
    markers = {path: f"MARK{path.upper()}{secrets.token_hex(5)}" for path in PATHS}
    member, word = case.member, case.word
    said = [
        (f"möte {word} 2026-12-01 10:00 plats: {markers['place']}", forum_channel),
        (
            f"möte {word} varannan onsdag 14:00 till 2027-01-15 plats: {markers['series']}",
            forum_channel,
        ),
        (f"möte {word} 2026-11-20 10:00 plats: {markers['afterwards']} --efterhand", GENERAL),
        # Typed in a general channel: the confirmation must not be shown to the channel.
        (f"åtgärd {markers['action']} ansvarig mig senast 2026-12-02 forum {word}", GENERAL),
        (f"påminn mig 2026-12-01 08:00 {markers['reminder']}", forum_channel),
    ]
    for text, channel in said:
        replies = await chat.ask(member, text, channel=channel)
        if channel == GENERAL:
            shown = [r for r in replies if r.visibility == Visibility.CHANNEL]
            assert not any(m in _text(shown) for m in markers.values()), _text(replies)
    async with chat.bot.database.sessions() as session:
        places = set((await session.scalars(select(Meeting.place))).all())
        texts = set((await session.scalars(select(ActionItem.text))).all())
        reminders = [str(j.payload) for j in (await session.scalars(select(Job))).all()]
        past = await session.scalar(select(Meeting.id).where(Meeting.recorded_afterwards))
    # Every marker was stored: the member could write them all.
    assert {markers["place"], markers["series"], markers["afterwards"]} <= places
    assert markers["action"] in texts
    assert any(markers["reminder"] in payload for payload in reminders)
    assert "registrerad" in await chat.text(member, f"närvaro M{past}", channel=forum_channel)
    return markers


async def _outsider_views(chat: Chat, case: Case) -> dict[str, str]:
    """What the outsider can ask, in a general channel; every answer by its question."""
    async with chat.bot.database.sessions() as session:
        meeting_ids = (await session.scalars(select(Meeting.id))).all()
        item_ids = (await session.scalars(select(ActionItem.id))).all()
    questions = [
        "möten",
        f"möten {case.word}",
        "åtgärder",
        "påminnelser",
        "forum",
        "representation",
        f"representation {case.word}",
        "årshjul",
        "sammanfattning",
        "utkast",
        f"vem {case.member}",
        f"kontakter {case.word}",
        *(f"serie M{n}" for n in meeting_ids),
        *(f"närvaro M{n}" for n in meeting_ids),
        *(f"åtgärd Följ upp ansvarig mig senast 2026-12-20 möte M{n}" for n in meeting_ids),
        *(f"klar A{n}" for n in item_ids),
    ]
    views = {}
    for question in questions:
        views[question] = _text(await chat.ask(OUTSIDER, question, channel=GENERAL))
    # Buttons the outsider got (the digest's full lists, say) are pressed too.
    session = await chat.session(OUTSIDER, GENERAL)
    for number in range(1, len(session.choices) + 1):
        views[f"button {number}"] = _text(await session.press(number))
    return views


async def _home(bot: Bot, name: str) -> str:
    pid = await person_id(bot.database, name)
    request = Request(
        user=PlatformUser(platform="console", user_id=str(pid)),
        channel=ChannelRef(platform="console", channel_id="home", is_direct=True),
        person_id=pid,
    )
    return _text(await build_home(bot, request))


async def _calendars(bot: Bot) -> dict[str, str]:
    """Every forum's calendar as a feed or `export ics` would give it."""
    found = {}
    async with bot.database.sessions() as session:
        keys = (await session.scalars(select(Forum.key))).all()
        for key in keys:
            try:
                _forum, body = await forum_calendar(session, key)
            except NoCalendar:
                continue
            found[f"calendar {key}"] = body.decode()
    return found


@pytest.mark.parametrize("case", CASES, ids=[c.key for c in CASES])
async def test_a_restricted_forums_markers_reach_only_its_members(
    bot: Bot, chat: Chat, clock: FixedClock, case: Case
) -> None:
    forum_channel = f"forum-{case.key}"
    member = await person_id(bot.database, case.member)
    outsider = await person_id(bot.database, OUTSIDER)
    assert "är nu" in await chat.text(ADMIN, f"kanal forum {case.word}", channel=forum_channel)
    await chat.text(ADMIN, "kanal sammanfattning", channel=forum_channel)
    await chat.text(ADMIN, "kanal sammanfattning", channel=GENERAL)
    await chat.text(ADMIN, "kanal gemensam", channel=GENERAL)
    markers = await _plant(chat, case, forum_channel)
    TALLY["planted"] += len(markers)

    # A week of the scheduler: the digests on Monday, the meeting and personal reminders, the
    # action item's due-date notice.
    messenger = bot.messengers["console"]
    assert isinstance(messenger, ConsoleMessenger)
    await ensure_planned(bot.database, clock.now(), bot.settings.tz)
    await run_until(
        Dispatcher(bot, SETTINGS, kinds=job_kinds()), clock, datetime(2026, 12, 2, 12, tzinfo=UTC)
    )
    posted: dict[str, list[str]] = {}
    for where, reply in messenger.posted:
        posted.setdefault(where, []).append(reply.plain_text())

    outside: dict[str, str] = {
        **{f"post in {w}": "\n".join(t) for w, t in posted.items() if w != forum_channel},
        **await _outsider_views(chat, case),
        "home of the outsider": await _home(bot, OUTSIDER),
        **await _calendars(bot),
    }
    outside.pop(f"post in direct:{member}", None)  # the member's own direct messages
    async with bot.database.sessions() as session:
        rows = await attendance_rows(
            session, datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 2, 1, tzinfo=UTC)
        )
        everyone_forums = {row["forum"] for row in rows}
        members_rows = await attendance_rows(
            session,
            datetime(2026, 1, 1, tzinfo=UTC),
            datetime(2027, 2, 1, tzinfo=UTC),
            Audience(admin=True),
        )
        drafts = to_json(
            await history(
                session, datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 2, 1, tzinfo=UTC)
            )
        )
    outside["export attendance"] = "\n".join(str(r) for r in rows)
    outside["export drafts"] = drafts

    leaks = [
        (where, path) for where, text in outside.items() for path, m in markers.items() if m in text
    ]
    TALLY["leaks"] += len(leaks)
    assert leaks == []
    assert case.key not in everyone_forums  # no meeting of the forum in the export for all

    # The member does see them: the forum channel's card and digest, their own lists and
    # direct messages, the export for the forum's own use.
    in_forum_channel = "\n".join(posted.get(forum_channel, []))
    assert markers["place"] in in_forum_channel
    assert markers["series"] in in_forum_channel
    assert markers["action"] in in_forum_channel  # the digest of the forum's own channel
    assert markers["reminder"] in "\n".join(posted.get(f"direct:{member}", []))
    assert markers["reminder"] not in "\n".join(posted.get(f"direct:{outsider}", []))
    assert markers["action"] in await chat.text(case.member, "åtgärder")
    assert markers["series"] in await chat.text(case.member, "möten")
    assert case.key in {row["forum"] for row in members_rows}
    # An admin may see them privately.
    assert markers["series"] in await chat.text(ADMIN, "möten")


def test_tally_is_reported() -> None:
    """Runs after the matrix (file order): the counts for the closing note."""
    print(f"\naudience matrix: {TALLY['planted']} markers planted, {TALLY['leaks']} leaks found")
    assert TALLY["leaks"] == 0

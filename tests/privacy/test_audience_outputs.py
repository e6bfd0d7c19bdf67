"""The audience rule (`bot/channels/audience.py`) at each output it guards: the rule itself, the
digest per channel (job and `samverkan digest`), the private preview, action items written in
a general channel, and the attendance export. SQLite and PostgreSQL where data is involved."""

from __future__ import annotations

import asyncio
import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime

from click.testing import CliRunner
from sqlalchemy import select

from adapters.console import ConsoleMessenger
from app.cli.main import main
from bot.channels.audience import EVERYONE, Audience, ForumTree, channel_audience, load_tree
from bot.common.clock import FixedClock
from bot.common.config import Settings
from bot.core.reply import Visibility
from bot.digest.build import DigestContext, compose
from bot.meetings.names import DAY_BEFORE_KIND
from bot.scheduler.dispatcher import Dispatcher
from bot.scheduler.planning import ensure_planned
from bot.scheduler.settings import SchedulerSettings
from storage.models import Channel, Forum
from tests.conftest import Chat
from tests.scheduler.helpers import add_action_item, job_kinds, jobs, run_until

SCHEDULER = SchedulerSettings(rates={})  # type: ignore[call-arg]


@dataclass(frozen=True)
class Row:
    id: int
    parent_id: int | None
    no_personal_text: bool = False
    meetings_need_to_know: bool = False
    contacts_need_to_know: bool = False


TREE = ForumTree(
    [
        Row(1, None),  # open
        Row(2, None, no_personal_text=True),  # Spindel-like
        Row(3, 2),  # its group
        Row(4, 2),  # another group
        Row(5, None, meetings_need_to_know=True),
        Row(6, None, contacts_need_to_know=True),
    ]
)


def test_the_rule() -> None:
    assert TREE.shows(None, EVERYONE) and TREE.shows(1, EVERYONE)
    for forum in (2, 3, 4, 5, 6, 99):  # 99: unknown, so treated as restricted
        assert not TREE.shows(forum, EVERYONE), forum
        assert TREE.shows(forum, Audience(admin=True)), forum
    group_member = Audience(frozenset({3}))
    assert TREE.shows(3, group_member) and TREE.shows(2, group_member)  # its group, its forum
    assert not TREE.shows(4, group_member)  # not the other group
    forum_member = Audience(frozenset({2}))
    assert TREE.shows(3, forum_member) and TREE.shows(4, forum_member)
    assert not TREE.shows(5, forum_member)


async def _channel(chat: Chat, name: str) -> Channel:
    async with chat.bot.database.sessions() as session:
        found = await session.scalar(select(Channel).where(Channel.channel_id == name))
        assert found is not None
        return found


async def _digest(chat: Chat, audience: Audience) -> str:
    async with chat.bot.database.sessions() as session:
        context = DigestContext(
            session,
            chat.bot.translator("sv"),
            chat.bot.clock.now(),
            chat.bot.settings.tz,
            audience=audience,
        )
        return (await compose(context, chat.bot.catalog.digest_sections)).plain_text()


async def test_a_spindel_action_item_stays_out_of_the_general_digest(chat: Chat) -> None:
    """The reported leak: a Spindel action item in the digest of the general channel."""
    await add_action_item(
        chat.bot, "Följ upp skolfrånvaro", "Sara Nilsson", date(2026, 11, 27), "spindel.broby"
    )
    await add_action_item(chat.bot, "Boka lokal", "Erik Holm", date(2026, 11, 27), "bra")
    await chat.text("Anna Lindqvist", "kanal sammanfattning", channel="allmant")
    await chat.text("Anna Lindqvist", "kanal forum broby", channel="broby")
    await chat.text("Anna Lindqvist", "kanal sammanfattning", channel="broby")
    general = await _digest(chat, channel_audience(await _channel(chat, "allmant")))
    assert "Boka lokal" in general and "skolfrånvaro" not in general
    broby = await _digest(chat, channel_audience(await _channel(chat, "broby")))
    assert "Boka lokal" in broby and "skolfrånvaro" in broby
    # The private preview follows the asker.
    assert "skolfrånvaro" not in await chat.text("Erik Holm", "sammanfattning")
    assert "skolfrånvaro" in await chat.text("Sara Nilsson", "sammanfattning")
    assert "skolfrånvaro" in await chat.text("Anna Lindqvist", "sammanfattning")  # admin


async def test_the_cli_digest_gives_each_channel_its_own(chat: Chat) -> None:
    await add_action_item(chat.bot, "Tillsynsplan", "Lars Persson", date(2026, 11, 27), "tillsyn")
    await add_action_item(chat.bot, "Boka lokal", "Erik Holm", date(2026, 11, 27), "bra")
    await chat.text("Anna Lindqvist", "kanal sammanfattning", channel="allmant")
    await chat.text("Anna Lindqvist", "kanal forum tillsyn", channel="tillsyn")
    await chat.text("Anna Lindqvist", "kanal sammanfattning", channel="tillsyn")
    settings = Settings(DATABASE_URL=chat.bot.database.url)  # type: ignore[call-arg]

    def run(*args: str) -> str:
        result = CliRunner().invoke(main, list(args), obj={"settings": settings})
        assert result.exit_code == 0, result.output
        return result.output

    general = await asyncio.to_thread(run, "digest", "--dry-run", "--channel", "allmant")
    assert "Boka lokal" in general and "Tillsynsplan" not in general
    forum = await asyncio.to_thread(run, "digest", "--dry-run", "--channel", "tillsyn")
    assert "Boka lokal" in forum and "Tillsynsplan" in forum


async def test_an_action_item_in_a_general_channel_is_answered_privately(chat: Chat) -> None:
    await chat.text("Anna Lindqvist", "kanal forum tillsyn", channel="tillsyn")
    [reply] = await chat.ask(
        "Lars Persson",
        "åtgärd Kontrollera Krogen ansvarig mig senast 2026-12-10 forum tillsyn",
        channel="allmant",
    )
    assert "Kontrollera Krogen" in reply.text and reply.visibility == Visibility.ONLY_TO_YOU
    [reply] = await chat.ask(
        "Lars Persson", "åtgärd Kontrollera Baren ansvarig mig senast 2026-12-10", channel="tillsyn"
    )
    assert "Kontrollera Baren" in reply.text and reply.visibility == Visibility.CHANNEL
    [reply] = await chat.ask("Lars Persson", "klar A1", channel="allmant")
    assert "Kontrollera Krogen" in reply.text and reply.visibility == Visibility.ONLY_TO_YOU
    [reply] = await chat.ask(
        "Erik Holm", "åtgärd Boka lokal ansvarig mig senast 2026-12-10 forum brå", channel="allmant"
    )
    assert reply.visibility == Visibility.CHANNEL  # an open forum's item is for everyone


async def test_a_restricted_forums_item_is_written_by_and_given_to_members_only(
    chat: Chat,
) -> None:
    text = await chat.text(
        "Erik Holm", "åtgärd Titta på planen ansvarig mig senast 2026-12-10 forum tillsyn"
    )
    assert "Bara medlemmar i Lagstadgad tillsynsverksamhet i samverkan" in text
    text = await chat.text(
        "Anna Lindqvist", "åtgärd Ring krögaren ansvarig Erik Holm senast 2026-12-10 forum tillsyn"
    )
    assert "Erik Holm är inte medlem i Lagstadgad tillsynsverksamhet i samverkan" in text
    text = await chat.text(
        "Anna Lindqvist",
        "åtgärd Ring krögaren ansvarig Lars Persson senast 2026-12-10 forum tillsyn",
    )
    assert "A1 Ring krögaren" in text
    # A restricted forum's meeting is "not found" for an outsider's action item.
    assert "M1" in await chat.text("Lars Persson", "möte tillsyn 2026-12-08 19:00")
    text = await chat.text("Erik Holm", "åtgärd Följ upp ansvarig mig senast 2026-12-10 möte M1")
    assert "Jag hittar inget möte M1" in text
    async with chat.bot.database.sessions() as session:
        tree = await load_tree(session)
        tillsyn = await session.scalar(select(Forum.id).where(Forum.key == "tillsyn"))
    assert tree.restricted(tillsyn)


async def test_the_attendance_export_for_all_leaves_restricted_forums_out(chat: Chat) -> None:
    assert "M1" in await chat.text("Anna Lindqvist", "möte brå 2026-11-20 10:00 --efterhand")
    assert "M2" in await chat.text("Lars Persson", "möte tillsyn 2026-11-21 19:00 --efterhand")
    await chat.text("Anna Lindqvist", "närvaro M1")
    await chat.text("Lars Persson", "närvaro M2")
    settings = Settings(DATABASE_URL=chat.bot.database.url)  # type: ignore[call-arg]
    args = ["export", "attendance", "--from", "2026-11-01", "--to", "2026-11-30"]

    def run(*extra: str) -> list[dict[str, str]]:
        result = CliRunner().invoke(main, args + list(extra), obj={"settings": settings})
        assert result.exit_code == 0, result.output
        return list(csv.DictReader(io.StringIO(result.output)))

    everyone = await asyncio.to_thread(run)
    assert [(r["meeting"], r["forum"]) for r in everyone] == [("M1", "bra")]
    members = await asyncio.to_thread(run, "--include-restricted")
    assert [(r["meeting"], r["forum"]) for r in members] == [("M1", "bra"), ("M2", "tillsyn")]


async def test_a_reminder_is_not_posted_where_the_forum_is_no_longer_bound(
    chat: Chat, clock: FixedClock
) -> None:
    for channel in ("tillsyn-a", "tillsyn-b"):
        await chat.text("Anna Lindqvist", "kanal forum tillsyn", channel=channel)
    assert "M1" in await chat.text("Lars Persson", "möte tillsyn 2026-12-01 19:00")
    await ensure_planned(chat.bot.database, clock.now(), chat.bot.settings.tz)
    dispatcher = Dispatcher(chat.bot, SCHEDULER, kinds=job_kinds())
    await run_until(dispatcher, clock, datetime(2026, 11, 26, 12, tzinfo=UTC))
    planned = [j.target_id for j in await jobs(chat.bot.database) if j.kind == DAY_BEFORE_KIND]
    assert len(planned) == 2  # one for each channel
    # Then one of them is no longer the forum's channel.
    await chat.text("Anna Lindqvist", "kanal ta bort forum tillsyn", channel="tillsyn-b")
    messenger = chat.bot.messengers["console"]
    assert isinstance(messenger, ConsoleMessenger)
    await run_until(dispatcher, clock, datetime(2026, 12, 1, 12, tzinfo=UTC))
    reminders = [where for where, reply in messenger.posted if reply.heading == "Möte i morgon"]
    assert reminders == ["tillsyn-a"]

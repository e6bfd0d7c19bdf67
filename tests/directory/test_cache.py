"""The directory in memory: one statement per question, and never stale after a change.

Every test runs on SQLite and PostgreSQL, because the version counter is kept by database
triggers that each dialect declares in its own way (migration 0007).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.console import ConsoleMessenger
from bench.dataset import build_dataset
from bot.common.clock import FixedClock
from bot.common.config import Settings
from bot.core.engine import Bot
from bot.core.request import ChannelRef, PlatformUser, Request
from storage.db import Database
from storage.models import DirectoryVersion, Forum, ForumMember, Organization, Person
from tests.conftest import NOW, Chat
from tests.meeting_support import counting_queries


async def version_of(database: Database) -> int:
    async with database.sessions() as session:
        return int(await session.scalar(select(DirectoryVersion.version)) or 0)


async def _add_org(session: AsyncSession) -> None:
    session.add(
        Organization(
            key="region", name="Region Skåne", short_name="Regionen", sender_name="Region Skåne"
        )
    )


async def _rename_forum(session: AsyncSession) -> None:
    await session.execute(update(Forum).where(Forum.key == "bra").values(name_en="Crime council"))


async def _deactivate_person(session: AsyncSession) -> None:
    await session.execute(update(Person).where(Person.name == "Johan Berg").values(active=False))


async def _remove_memberships(session: AsyncSession) -> None:
    johan = select(Person.id).where(Person.name == "Johan Berg").scalar_subquery()
    await session.execute(delete(ForumMember).where(ForumMember.person_id == johan))


@pytest.mark.parametrize(
    "change", [_add_org, _rename_forum, _deactivate_person, _remove_memberships]
)
async def test_every_change_to_a_directory_table_moves_the_version(
    seeded: Database, change: Callable[[AsyncSession], Awaitable[None]]
) -> None:
    before = await version_of(seeded)
    async with seeded.transaction() as session:
        await change(session)
    assert await version_of(seeded) > before


async def test_a_rolled_back_change_leaves_the_version(seeded: Database) -> None:
    before = await version_of(seeded)
    with pytest.raises(RuntimeError):
        async with seeded.transaction() as session:
            await _rename_forum(session)
            raise RuntimeError("refused")
    assert await version_of(seeded) == before


async def test_a_directory_answer_costs_one_statement_once_loaded(chat: Chat) -> None:
    first = await chat.text("Sara Nilsson", "kontakter brå")
    with counting_queries(chat.bot.database) as statements:
        again = await chat.text("Sara Nilsson", "kontakter brå")
        await chat.text("Sara Nilsson", "hjälp")
        await chat.text("Sara Nilsson", "kontakter fikarummet")  # unknown forum: a refusal
        who = await chat.text("Sara Nilsson", "vem Anna Lindqvist")
    assert again == first and "Ahmed Karimi" in again
    assert "Brå-samordnare" in who
    assert len(statements) == 4, statements
    assert all("directory_version" in s for s in statements)


async def test_loading_the_directory_takes_the_same_statements_at_ten_times_the_size(
    chat: Chat,
) -> None:
    later = NOW + timedelta(days=182)
    await chat.session("Sara Nilsson")  # the terminal finds the person once, before counting

    statements_seen: list[list[str]] = []

    async def reload_count() -> int:
        with counting_queries(chat.bot.database) as statements:
            await chat.text("Sara Nilsson", "kontakter brå")
        statements_seen.append(statements)
        return len(statements)

    async with chat.bot.database.transaction() as session:
        await build_dataset(session, end=later, years=1, people=12, density=0.1, seed_value=1)
    small = await reload_count()
    async with chat.bot.database.transaction() as session:
        await build_dataset(session, end=later, years=1, people=120, density=1.0, seed_value=2)
    loads_before = chat.bot.directory.loads
    large = await reload_count()
    assert chat.bot.directory.loads == loads_before + 1
    # The version check, then the version again, organisations, people, forums, members.
    assert small == large == 6, [[x[:70] for x in s] for s in statements_seen]


async def test_another_replica_sees_a_new_member_at_once(
    bot: Bot, seeded: Database, settings: Settings, clock: FixedClock
) -> None:
    """Two bot processes on one database: a change through one is in the other's next answer."""
    replica = Bot(seeded, settings, clock)
    replica.messengers["console"] = ConsoleMessenger()
    here, there = Chat(bot), Chat(replica)
    assert "visas bara" in await there.text("Sara Nilsson", "kontakter avhopp")
    await here.ask("Anna Lindqvist", "medlem avhopp Sara Nilsson ersättare")
    assert "Peter Wallin" in await there.text("Sara Nilsson", "kontakter avhopp")
    await here.ask("Anna Lindqvist", "medlem avhopp Sara Nilsson ta bort")
    assert "visas bara" in await there.text("Sara Nilsson", "kontakter avhopp")


async def test_a_change_made_outside_the_bot_is_seen(chat: Chat) -> None:
    assert "Johan Berg" in await chat.text("Sara Nilsson", "kontakter spindelgrupp knislinge")
    async with chat.bot.database.transaction() as session:
        await _deactivate_person(session)  # e.g. an import, or an administrator in psql
    assert "Johan Berg" not in await chat.text("Sara Nilsson", "kontakter spindelgrupp knislinge")


async def test_a_lower_version_after_a_restore_reloads_too(chat: Chat) -> None:
    await chat.text("Sara Nilsson", "kontakter brå")
    loads = chat.bot.directory.loads
    async with chat.bot.database.transaction() as session:
        await session.execute(text("UPDATE directory_version SET version = 0 WHERE id = 1"))
    await chat.text("Sara Nilsson", "kontakter brå")
    assert chat.bot.directory.loads == loads + 1


async def test_many_questions_after_a_change_reload_once(chat: Chat) -> None:
    await chat.text("Sara Nilsson", "kontakter brå")
    async with chat.bot.database.transaction() as session:
        await _rename_forum(session)
    loads = chat.bot.directory.loads
    answers = await asyncio.gather(*(chat.text("Sara Nilsson", "kontakter brå") for _ in range(8)))
    assert chat.bot.directory.loads == loads + 1
    assert all("Ahmed Karimi" in a for a in answers)


SLACK_CHANNEL = ChannelRef(platform="slack", channel_id="C1", workspace="T1")


def slack_request(text_: str, event_id: str) -> Request:
    user = PlatformUser(platform="slack", workspace="T1", user_id="U1", locale="sv-SE")
    return Request(user=user, channel=SLACK_CHANNEL, text=text_, event_id=event_id)


async def test_a_question_stores_no_event_and_a_repeat_gets_no_second_answer(
    bot: Bot, seeded: Database
) -> None:
    first = await bot.handle(slack_request("hjälp", "Ev1"))
    repeat = await bot.handle(slack_request("hjälp", "Ev1"))
    assert first and first[0].heading and repeat == []
    async with seeded.sessions() as session:
        stored = await session.scalar(text("SELECT count(*) FROM processed_event"))
    assert stored == 0


async def test_an_unknown_user_with_a_known_email_is_linked_then_answered(
    bot: Bot, seeded: Database
) -> None:
    user = PlatformUser(
        platform="slack",
        workspace="T1",
        user_id="U2",
        locale="sv-SE",
        email="sara.nilsson@example.org",
    )
    replies = await bot.handle(Request(user=user, channel=SLACK_CHANNEL, text="kontakter brå"))
    assert "Ahmed Karimi" in replies[0].plain_text()
    async with seeded.sessions() as session:
        linked = await session.scalar(
            select(func.count()).select_from(text("identity")).where(text("user_id = 'U2'"))
        )
    assert linked == 1

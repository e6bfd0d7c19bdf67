"""The core's promises: refusals save nothing, errors never show a stack trace, replays are
harmless, and posts to other channels go out only after the change is committed."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select

from bot.core.context import CommandError, Context
from bot.core.dedupe import RecentEvents
from bot.core.engine import Bot
from bot.core.registry import Access, Command, Param
from bot.core.reply import Reply
from bot.core.request import ChannelRef, PlatformUser, Request
from bot.features import default_catalog
from storage.db import Database
from storage.models import Channel, Person, ProcessedEvent
from tests.conftest import Chat


async def test_too_long_message_is_refused_clearly(chat: Chat) -> None:
    text = await chat.text("Sara Nilsson", "vem " + "x" * 8001)
    assert "Meddelandet är för långt (8005 tecken). Högst 8000 tecken" in text


async def test_unknown_command_suggests_and_points_to_help(chat: Chat) -> None:
    text = await chat.text("Sara Nilsson", "överenskomelse")
    assert "Jag känner inte till kommandot ”överenskomelse”." in text
    assert (
        "Menade du `överenskommelse [forum|kommunikation|uppföljning|organisation|budget]`?" in text
    )
    assert "Skriv `hjälp`" in text


async def _people(database: Database) -> int:
    async with database.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Person)) or 0)


def _extra_bot(bot: Bot, handler: object, name: str = "testa") -> Bot:
    registry = default_catalog().registry
    registry.add(
        Command(
            "test_only",
            (name,),
            (name + "-en",),
            handler,  # type: ignore[arg-type]
            params=(Param("what", required=False, greedy=True),),
            access=Access.REGISTERED,
        )
    )
    return Bot(bot.database, bot.settings, bot.clock, registry=registry, metrics=bot.metrics)


def _request(person_id: int, text: str, event_id: str | None = None) -> Request:
    return Request(
        user=PlatformUser("console", str(person_id)),
        channel=ChannelRef("console", "terminal"),
        text=text,
        person_id=person_id,
        event_id=event_id,
    )


async def test_a_refusal_rolls_back_everything_the_command_did(chat: Chat) -> None:
    async def half_done(context: Context, _args: dict[str, str]) -> Reply:
        org_id = context.require_person().organization_id
        context.session.add(Person(name="Halvfärdig", organization_id=org_id, roles=[]))
        await context.session.flush()
        raise CommandError("person.nothing_to_change")

    bot = _extra_bot(chat.bot, half_done)
    before = await _people(bot.database)
    sara = (await chat.session("Sara Nilsson")).person
    replies = await bot.handle(_request(sara.id, "testa"))
    assert "Ange vad som ska ändras" in replies[0].text
    assert await _people(bot.database) == before


async def test_an_unexpected_error_becomes_an_apology_with_a_reference(
    chat: Chat, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(_context: Context, _args: dict[str, str]) -> Reply:
        raise RuntimeError("kaboom in the database layer")

    bot = _extra_bot(chat.bot, broken)
    sara = (await chat.session("Sara Nilsson")).person
    with caplog.at_level(logging.ERROR, logger="samverkan.core"):
        replies = await bot.handle(_request(sara.id, "testa"))
    text = replies[0].text
    assert "Något gick fel hos mig" in text
    assert "kaboom" not in text and "Traceback" not in text
    reference = text.split("referens ")[1].split(" ")[0]
    # The log has the reference, the type and the place; not the message, which may quote
    # what a user wrote (issue 15).
    [logged] = [r.getMessage() for r in caplog.records if reference in r.getMessage()]
    assert "RuntimeError at " in logged and "in broken" in logged
    assert "kaboom" not in caplog.text
    metrics = bot.metrics.render().decode()
    assert 'samverkan_commands_total{command="test_only",outcome="error"} 1.0' in metrics


async def test_an_unreachable_database_is_an_apology_not_a_crash(settings: object) -> None:
    bot = Bot(Database("postgresql+asyncpg://postgres@127.0.0.1:1/nowhere"), settings)  # type: ignore[arg-type]
    replies = await bot.handle(_request(1, "hjälp"))
    assert "Något gick fel hos mig" in replies[0].text
    await bot.database.dispose()


async def test_a_replayed_event_has_no_second_effect(chat: Chat) -> None:
    anna = (await chat.session("Anna Lindqvist")).person
    first = await chat.bot.handle(
        _request(anna.id, "person ny Eva Strand, organisation: polis", "ev-1")
    )
    assert "Eva Strand är tillagd." in first[0].text
    again = await chat.bot.handle(
        _request(anna.id, "person ny Eva Strand, organisation: polis", "ev-1")
    )
    assert again == []
    async with chat.bot.database.sessions() as session:
        evas = await session.scalar(
            select(func.count()).select_from(Person).where(Person.name == "Eva Strand")
        )
        events = await session.scalar(select(func.count()).select_from(ProcessedEvent))
    assert (evas, events) == (1, 1)


async def test_a_replayed_refusal_is_not_answered_again(chat: Chat) -> None:
    # A replay is the same event again (a platform's retry, or someone resending it); a user
    # who tries again sends a new one. The refusal changed nothing but the event's claim.
    sara = (await chat.session("Sara Nilsson")).person
    refused = await chat.bot.handle(_request(sara.id, "kanal gemensam", "ev-2"))
    assert "bara administratörer" in refused[0].text
    chat.bot.recent = RecentEvents()  # as another replica, or after a restart
    assert await chat.bot.handle(_request(sara.id, "kanal gemensam", "ev-2")) == []
    async with chat.bot.database.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(ProcessedEvent)) == 1


async def test_posts_to_other_channels_go_out_only_after_commit(chat: Chat) -> None:
    async def announce(context: Context, args: dict[str, str]) -> Reply:
        channel = Channel(
            platform="console", workspace="", channel_id="bra-kanalen", active=True, bindings=[]
        )
        context.session.add(channel)
        await context.session.flush()
        context.post_to(channel, Reply(text="Nytt möte i Brå"))
        if args.get("what") == "fail":
            raise CommandError("person.nothing_to_change")
        return Reply(text="ok")

    bot = _extra_bot(chat.bot, announce)
    messenger = chat.bot.messengers["console"]
    bot.messengers["console"] = messenger
    anna = (await chat.session("Anna Lindqvist")).person
    await bot.handle(_request(anna.id, "testa fail"))
    assert messenger.posted == []  # type: ignore[attr-defined]
    await bot.handle(_request(anna.id, "testa"))
    assert [(c, r.text) for c, r in messenger.posted] == [("bra-kanalen", "Nytt möte i Brå")]  # type: ignore[attr-defined]


async def test_every_reply_says_which_language_it_was_written_in(chat: Chat) -> None:
    """Adapters add words of their own beside an answer (Teams' note); they take its language."""
    person = await chat.session("Sara Nilsson")
    swedish = await chat.bot.handle(_request(person.person.id, "hjälp"))
    async with chat.bot.database.transaction() as session:
        sara = await session.get(Person, person.person.id)
        assert sara is not None
        sara.language = "en"
    english = await chat.bot.handle(_request(person.person.id, "help", event_id="e2"))
    unknown = await chat.bot.handle(_request(person.person.id, "överenskomelse"))

    assert swedish and {reply.language for reply in swedish} == {"sv"}
    assert english and {reply.language for reply in english} == {"en"}
    assert "Cooperation bot – help" in english[0].plain_text()
    assert unknown and {reply.language for reply in unknown} == {"en"}

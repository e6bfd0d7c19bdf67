"""Nothing vanishes without a word: reminders for people the bot cannot reach yet wait."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from adapters.console import ConsoleMessenger
from app.cli.chat import deliver_due_to_terminal
from bot.common.clock import FixedClock
from bot.core.engine import Bot
from bot.core.request import ChannelRef, PlatformUser, Request
from bot.followup.names import REMINDER_KIND
from bot.scheduler.dispatcher import Dispatcher
from bot.scheduler.jobs import Status
from bot.scheduler.reach import UNREACHABLE
from storage.models import Identity, Job, Person
from tests.conftest import Chat


async def _person(bot: Bot, name: str) -> Person:
    async with bot.database.sessions() as session:
        person = await session.scalar(select(Person).where(Person.name == name))
        assert person is not None
        return person


async def _give_identity(bot: Bot, name: str, platform: str, conversation: bool) -> None:
    person = await _person(bot, name)
    async with bot.database.transaction() as session:
        session.add(
            Identity(
                person_id=person.id,
                platform=platform,
                user_id=f"U-{person.id}",
                direct_conversation={"conversation": {"id": "a:1"}} if conversation else None,
            )
        )


async def _reminders(bot: Bot) -> list[Job]:
    async with bot.database.sessions() as session:
        query = select(Job).where(Job.kind == REMINDER_KIND).order_by(Job.id)
        return list((await session.scalars(query)).all())


def _posted(bot: Bot) -> list[str]:
    messenger = bot.messengers["console"]
    assert isinstance(messenger, ConsoleMessenger)
    return [f"{where}:{reply.text}" for where, reply in messenger.posted]


async def test_the_creator_is_told_at_once_how_to_fix_it(chat: Chat) -> None:
    text = await chat.text("Sara Nilsson", "påminn mig 1/12 kl 10 ring skolan")
    assert "Jag påminner dig" in text
    assert "Skriv till mig en gång i Teams" in text


async def test_an_action_for_someone_unreachable_tells_the_assigner(chat: Chat) -> None:
    text = await chat.text(
        "Anna Lindqvist", "åtgärd Boka lokal ansvarig Johan Berg senast 10/12 forum brå"
    )
    assert "A" in text and "Be Johan skriva till mig en gång i Teams" in text


async def test_no_warning_for_someone_with_a_conversation(chat: Chat, bot: Bot) -> None:
    await _give_identity(bot, "Sara Nilsson", "teams", conversation=True)
    await _give_identity(bot, "Johan Berg", "slack", conversation=False)
    assert "Skriv till mig" not in await chat.text("Sara Nilsson", "påminn mig 1/12 kl 10 ring")
    text = await chat.text("Anna Lindqvist", "åtgärd Boka lokal ansvarig Johan Berg senast 10/12")
    assert "skriva till mig" not in text


async def test_a_teams_account_without_a_conversation_is_not_enough(chat: Chat, bot: Bot) -> None:
    await _give_identity(bot, "Sara Nilsson", "teams", conversation=False)
    assert "Skriv till mig" in await chat.text("Sara Nilsson", "påminn mig 1/12 kl 10 ring")


async def test_at_send_time_it_waits_stays_listed_and_goes_when_a_conversation_appears(
    chat: Chat, bot: Bot, clock: FixedClock
) -> None:
    await chat.ask("Sara Nilsson", "påminn mig 1/12 kl 10 ring skolan")
    clock.advance(timedelta(days=6))
    dispatcher = Dispatcher(bot)  # a server: no terminal to fall back on
    await dispatcher.run_once()
    [job] = await _reminders(bot)
    assert job.status == Status.PENDING and job.last_error == UNREACHABLE
    assert _posted(bot) == []
    listed = await chat.text("Sara Nilsson", "påminnelser")
    assert "ring skolan" in listed and "kan inte nå dig ännu" in listed
    # Sara writes to the bot from a platform for the first time: linked by e-mail, woken.
    sara = await _person(bot, "Sara Nilsson")
    await bot.handle(
        Request(
            user=PlatformUser(
                platform="console", user_id="sara-1", display_name="Sara", email=sara.email
            ),
            channel=ChannelRef(platform="console", channel_id="dm", name="dm"),
            text="hej",
        )
    )
    await dispatcher.run_once()
    [job] = await _reminders(bot)
    assert job.status == Status.DONE
    assert _posted(bot) == [f"direct:{sara.id}:ring skolan"]


async def test_the_terminal_delivers_waiting_messages_to_its_person(
    chat: Chat, bot: Bot, clock: FixedClock
) -> None:
    await chat.ask("Sara Nilsson", "påminn mig 1/12 kl 10 ring skolan")
    clock.advance(timedelta(days=6))
    await Dispatcher(bot).run_once()
    [job] = await _reminders(bot)
    assert job.last_error == UNREACHABLE  # waiting, its next look is minutes away
    sara = await _person(bot, "Sara Nilsson")
    await deliver_due_to_terminal(bot, sara.id)
    [job] = await _reminders(bot)
    assert job.status == Status.DONE
    assert _posted(bot) == [f"direct:{sara.id}:ring skolan"]


async def test_the_author_of_a_draft_hears_which_signers_cannot_be_nudged(
    chat: Chat, bot: Bot
) -> None:
    await _give_identity(bot, "Merete Tillman", "slack", conversation=False)
    text = await chat.text("Erik Holm", "utkast Välkomna till trygghetsvandringen i Broby")
    assert "Jag kan inte skicka påminnelser om att godkänna till" in text
    assert "Niklas Årcén" in text and "Veronica Gustafsson" in text
    assert "Merete Tillman" not in text

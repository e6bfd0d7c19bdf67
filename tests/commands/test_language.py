from __future__ import annotations

from sqlalchemy import select

from storage.models import AuditEvent, Person
from tests.conftest import Chat


async def test_a_stored_choice_wins_over_the_platform_locale(chat: Chat) -> None:
    session = await chat.session("Sara Nilsson")
    session.locale = "sv-SE"
    assert "Done! I will answer you in English" in await chat.text("Sara Nilsson", "språk engelska")
    assert "Cooperation forums" in await chat.text("Sara Nilsson", "forum")
    assert "Klart! Jag svarar dig på svenska" in await chat.text("Sara Nilsson", "language swedish")
    async with chat.bot.database.sessions() as db:
        sara = await db.scalar(select(Person).where(Person.name == "Sara Nilsson"))
        assert sara is not None and sara.language == "sv"
        changes = (
            await db.scalars(select(AuditEvent).where(AuditEvent.action == "person.language"))
        ).all()
        assert [(c.before, c.after) for c in changes] == [
            ({"language": None}, {"language": "en"}),
            ({"language": "en"}, {"language": "sv"}),
        ]


async def test_the_platform_locale_is_the_first_guess(chat: Chat) -> None:
    session = await chat.session("Sara Nilsson")
    session.locale = "en-GB"
    assert "Cooperation forums" in await chat.text("Sara Nilsson", "forum")
    session.locale = "de-DE"
    assert "Forum för samverkan" in await chat.text("Sara Nilsson", "forum")


async def test_an_unknown_language_is_refused(chat: Chat) -> None:
    assert "inte ”finska”" in await chat.text("Sara Nilsson", "språk finska")

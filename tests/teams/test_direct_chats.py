"""A person's 1:1 reference is stored when it changes, after the answer, once per change."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import select

from adapters.teams import store
from storage.models import Identity
from tests.teams.conftest import MEGAN_AAD, TENANT, Teams
from tests.teams.fakes import Call

CHAT = "a:megan-and-the-bot"


async def _stored(teams: Teams) -> dict[str, Any] | None:
    async with teams.bot.database.sessions() as session:
        found = await session.scalar(
            select(Identity.direct_conversation).where(Identity.user_id == MEGAN_AAD)
        )
    return found


def _personal(teams: Teams, number: int, chat: str = CHAT) -> dict[str, Any]:
    activity = teams.message("hälsa", name="personal_message", id=f"m{number}")
    activity["conversation"] = {**activity["conversation"], "id": chat}
    return activity


@pytest.fixture
def writes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The conversation ids written to the database, in order."""
    written: list[str] = []
    real = store.remember_direct

    async def counting(database: Any, tenant: str, user_id: str, ref: dict[str, Any]) -> bool:
        written.append(ref["conversation"]["id"])
        return await real(database, tenant, user_id, ref)

    monkeypatch.setattr(store, "remember_direct", counting)
    return written


async def test_an_unchanged_1to1_reference_is_written_once(teams: Teams, writes: list[str]) -> None:
    for number in range(3):
        status, _ = await teams.post(_personal(teams, number))
        assert status == 201

    assert writes == [CHAT]  # the first message linked Megan; the others change nothing
    stored = await _stored(teams)
    assert stored is not None and stored["conversation"]["id"] == CHAT


async def test_a_changed_1to1_reference_replaces_the_stored_one(
    teams: Teams, writes: list[str]
) -> None:
    await teams.post(_personal(teams, 1))
    await teams.post(_personal(teams, 2, chat="a:another-chat"))

    assert writes == [CHAT, "a:another-chat"]
    stored = await _stored(teams)
    assert stored is not None and stored["conversation"]["id"] == "a:another-chat"


async def test_the_answer_goes_out_before_the_reference_is_stored(teams: Teams) -> None:
    await teams.post(_personal(teams, 1))  # linked, reference stored
    seen_at_reply: list[str | None] = []

    async def look(call: Call) -> None:
        stored = await _stored(teams)
        seen_at_reply.append(stored["conversation"]["id"] if stored else None)

    teams.connector.on_call = look
    await teams.post(_personal(teams, 2, chat="a:another-chat"))

    assert seen_at_reply == [CHAT]  # the reply did not wait for the new reference
    stored = await _stored(teams)
    assert stored is not None and stored["conversation"]["id"] == "a:another-chat"


async def test_concurrent_changes_write_the_newest_and_skip_the_replaced(
    teams: Teams, writes: list[str]
) -> None:
    await teams.post(_personal(teams, 1))
    chats = teams.adapter.messenger.direct_chats
    references = [{"conversation": {"id": f"a:chat-{n}"}} for n in range(10)]

    await asyncio.gather(*(chats.remember(TENANT, MEGAN_AAD, ref) for ref in references))

    assert writes == [CHAT, "a:chat-0", "a:chat-9"]  # 1..8 were replaced while they waited
    stored = await _stored(teams)
    assert stored == {"conversation": {"id": "a:chat-9"}}


async def test_a_reference_asked_for_during_a_write_is_not_lost(
    teams: Teams, writes: list[str]
) -> None:
    await teams.post(_personal(teams, 1))
    chats = teams.adapter.messenger.direct_chats
    first = {"conversation": {"id": CHAT}}
    await chats.remember(TENANT, MEGAN_AAD, first)
    other = {"conversation": {"id": "a:other"}}

    # while `other` is being written, the first reference (what was stored) is asked for again
    await asyncio.gather(
        chats.remember(TENANT, MEGAN_AAD, other), chats.remember(TENANT, MEGAN_AAD, first)
    )

    assert await _stored(teams) == first


def _private_sends(teams: Teams) -> list[Call]:
    return [c for c in teams.connector.of("send") if c.conversation.startswith("a:direct-")]


async def test_private_answers_reuse_the_1to1_chat_instead_of_opening_it_each_time(
    teams: Teams,
) -> None:
    for number in range(3):  # `hjälp` in a channel is answered 1:1, with a note in the channel
        await teams.post(teams.message("hjälp", locale="sv-SE", id=f"c{number}"))

    assert len(teams.connector.of("create")) == 1
    assert len(_private_sends(teams)) == 3
    assert all("Samverkansboten – hjälp" in call.text for call in _private_sends(teams))


async def test_a_stored_1to1_chat_teams_refuses_is_opened_anew(teams: Teams) -> None:
    await teams.post(teams.message("hjälp", locale="sv-SE", id="c1"))
    teams.connector.fail("send", 403)  # the stored chat is gone (say, the app was reinstalled)

    await teams.post(teams.message("hjälp", locale="sv-SE", id="c2"))

    assert len(teams.connector.of("create")) == 2
    delivered = [c for c in _private_sends(teams) if c.answered_id]
    assert len(delivered) == 2
    notes = teams.connector.of("reply")
    assert all("Svar skickat privat" in note.text for note in notes)

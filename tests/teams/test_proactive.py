"""The bot added and removed, and speaking first: to a channel, to a person, despite 429."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from bot.core.reply import Reply
from storage.models import Channel, Identity, Person
from tests.teams.conftest import MEGAN, MEGAN_AAD, TEAM, TENANT, Teams
from tests.teams.fakes import SAMPLES


async def _channel(teams: Teams, channel_id: str = TEAM) -> Channel:
    async with teams.bot.database.sessions() as session:
        channel = await session.scalar(select(Channel).where(Channel.channel_id == channel_id))
    assert channel is not None
    return channel


async def _stored_channel(teams: Teams) -> Channel:
    """A channel as a conversationUpdate would have stored it (the shared sample reference)."""
    reference: dict[str, Any] = json.loads((SAMPLES / "conversation_reference.json").read_text())
    reference.pop("_comment")
    reference["serviceUrl"] = teams.connector.url
    async with teams.bot.database.transaction() as session:
        channel = Channel(
            platform="teams",
            workspace=TENANT,
            channel_id=reference["conversation"]["id"].split(";")[0],
            conversation_ref=reference,
            active=True,
            bindings=[],
        )
        session.add(channel)
    return channel


async def test_bot_added_to_a_team_stores_the_reference_and_welcomes(teams: Teams) -> None:
    status, _ = await teams.post(teams.activity("conversation_update_bot_installed_team"))

    assert status == 201
    channel = await _channel(teams)
    assert channel.active and channel.workspace == TENANT and channel.name == "Finance"
    assert channel.conversation_ref is not None
    assert channel.conversation_ref["serviceUrl"] == teams.connector.url
    assert channel.conversation_ref["conversation"]["id"] == TEAM
    (welcome,) = teams.connector.of("send")
    assert welcome.conversation == TEAM
    assert "Samverkansboten" in welcome.text and "hjälp" in welcome.text


async def test_a_redelivered_install_welcomes_once(teams: Teams) -> None:
    install = teams.activity("conversation_update_bot_installed_team")

    await teams.post(install)
    await teams.post(install)

    assert len(teams.connector.of("send")) == 1


async def test_bot_removed_marks_the_channel_inactive_and_sends_nothing_more(
    teams: Teams,
) -> None:
    await teams.post(teams.activity("conversation_update_bot_installed_team"))
    removal = teams.activity("conversation_update_bot_installed_team", id="f:removed")
    removal["membersRemoved"] = removal.pop("membersAdded")
    removal["channelData"]["eventType"] = "teamMemberRemoved"

    status, _ = await teams.post(removal)

    assert status == 201
    channel = await _channel(teams)
    assert not channel.active
    calls = len(teams.connector.calls)
    assert await teams.adapter.messenger.post(channel, Reply(text="Påminnelse")) is None
    assert len(teams.connector.calls) == calls


async def test_proactive_post_to_a_channel_goes_top_level(teams: Teams) -> None:
    channel = await _stored_channel(teams)

    message_id = await teams.bot.messengers["teams"].post(channel, Reply(text="Påminnelse: Brå"))

    (sent,) = teams.connector.calls
    assert sent.method == "send"  # a new message, not a reply in the old thread
    assert sent.conversation == "19:d9d3c3a0b1e84f0c9f3a1b2c3d4e5f60@thread.tacv2"
    assert "Påminnelse: Brå" in sent.text
    assert sent.body is not None and sent.body["summary"] == "Påminnelse: Brå"
    assert message_id == "msg-1"


async def test_proactive_update_replaces_a_posted_card(teams: Teams) -> None:
    channel = await _stored_channel(teams)

    await teams.bot.messengers["teams"].update(channel, "msg-7", Reply(text="Ny status"))

    (update,) = teams.connector.of("update")
    assert update.path.endswith("/activities/msg-7") and "Ny status" in update.text


async def test_proactive_message_to_a_person_opens_a_1to1_and_remembers_it(
    teams: Teams,
) -> None:
    await _stored_channel(teams)  # the tenant's service URL is known from it
    async with teams.bot.database.transaction() as session:
        anna = await session.scalar(select(Person).where(Person.name == "Anna Lindqvist"))
        assert anna is not None
        identity = Identity(person_id=anna.id, platform="teams", workspace=TENANT, user_id=MEGAN)
        session.add(identity)

    first = await teams.bot.messengers["teams"].send_direct(identity, Reply(text="Möte i morgon"))

    (create,) = teams.connector.of("create")
    assert create.body is not None
    assert create.body["members"] == [{"id": MEGAN}]
    assert create.body["tenantID"] == TENANT
    assert create.body["channelData"] == {"tenant": {"id": TENANT}}
    (sent,) = teams.connector.of("send")
    assert sent.conversation == f"a:direct-{MEGAN}" and "Möte i morgon" in sent.text
    assert first == "msg-2"
    async with teams.bot.database.sessions() as session:
        stored = await session.get(Identity, identity.id)
    assert stored is not None and stored.direct_conversation is not None

    await teams.bot.messengers["teams"].send_direct(stored, Reply(text="Igen"))
    assert len(teams.connector.of("create")) == 1  # the stored 1:1 is reused
    assert teams.connector.of("send")[-1].conversation == f"a:direct-{MEGAN}"


async def test_403_from_the_connector_marks_the_channel_inactive(teams: Teams) -> None:
    channel = await _stored_channel(teams)
    teams.connector.fail("send", 403)

    assert await teams.bot.messengers["teams"].post(channel, Reply(text="Hej")) is None

    assert not (await _channel(teams, channel.channel_id)).active
    assert len(teams.connector.of("send")) == 1  # not retried


async def test_429_and_5xx_are_retried_until_the_message_goes_through(teams: Teams) -> None:
    channel = await _stored_channel(teams)
    teams.connector.fail("send", 429, **{"Retry-After": "0"})
    teams.connector.fail("send", 502)
    teams.connector.fail("send", 504)

    message_id = await teams.bot.messengers["teams"].post(channel, Reply(text="Hej"))

    assert len(teams.connector.of("send")) == 4
    assert message_id == "msg-1"
    assert (await _channel(teams, channel.channel_id)).active


async def test_a_long_answer_is_split_into_cards_under_the_size_limit(teams: Teams) -> None:
    channel = await _stored_channel(teams)
    lines = "\n".join(f"Rad {n}: " + "text " * 30 for n in range(400))

    await teams.bot.messengers["teams"].post(channel, Reply(heading="Lång", text=lines))

    sent = teams.connector.of("send")
    assert len(sent) > 1
    assert all(len(json.dumps(c.body).encode()) < 28_000 for c in sent)
    assert "Rad 399" in sent[-1].text and "Rad 0:" in sent[0].text


async def test_installed_personally_the_chat_is_kept_on_the_person(teams: Teams) -> None:
    await teams.post(teams.message("hälsa", name="personal_message", id="first"))  # linked now
    install = teams.activity("conversation_update_bot_installed_team", id="f:personal")
    install["conversation"] = {"conversationType": "personal", "tenantId": TENANT, "id": "a:1to1"}

    await teams.post(install)

    async with teams.bot.database.sessions() as session:
        identity = await session.scalar(select(Identity).where(Identity.user_id == MEGAN_AAD))
        channels = (await session.scalars(select(Channel))).all()
    assert identity is not None and identity.direct_conversation is not None
    assert identity.direct_conversation["conversation"]["id"] == "a:1to1"
    assert [c.channel_id for c in channels] == []
    print([(c.method, c.conversation[:12]) for c in teams.connector.calls])
    assert teams.connector.of("send")[-1].conversation == "a:1to1"  # welcomed there

"""Messages through the real CloudAdapter: mentions, personal chat, only-to-you, replays."""

from __future__ import annotations

from sqlalchemy import func, select, update

from adapters.teams.store import KnownChannels
from bot.core.reply import Reply
from storage.models import Channel, Identity, Person, ProcessedEvent
from tests.meeting_support import counting_queries
from tests.teams.conftest import ADELE_AAD, CHANNEL, MEGAN, MEGAN_AAD, TENANT, Teams


async def test_channel_mention_round_trip_in_swedish(teams: Teams) -> None:
    status, _ = await teams.post(teams.message("hälsa hej alla", locale="sv-SE"))

    assert status == 201
    (reply,) = teams.connector.of("reply")
    assert reply.conversation.startswith(CHANNEL)
    assert reply.path.endswith("/activities/1715682093123")  # in the mention's thread
    assert "Samverkansboten – hjälp" in reply.text
    assert "hej alla" in reply.text
    assert "ApprovalBot" not in reply.text  # the mention was stripped before parsing


async def test_channel_mention_round_trip_in_english(teams: Teams) -> None:
    await teams.post(teams.message("greet hello", locale="en-US"))

    (reply,) = teams.connector.of("reply")
    assert "Cooperation bot – help" in reply.text
    assert "Samverkansboten – hjälp" not in reply.text


async def test_stored_language_choice_wins_over_the_teams_locale(teams: Teams) -> None:
    async with teams.bot.database.transaction() as session:
        anna = await session.scalar(select(Person).where(Person.name == "Anna Lindqvist"))
        assert anna is not None
        anna.language = "sv"

    await teams.post(teams.message("greet", locale="en-US"))

    (reply,) = teams.connector.of("reply")
    assert "Samverkansboten – hjälp" in reply.text


async def test_first_contact_links_the_person_by_teams_email(teams: Teams) -> None:
    await teams.post(teams.message("hälsa"))

    (lookup,) = teams.connector.of("member")
    assert lookup.path.endswith("/members/" + MEGAN)
    async with teams.bot.database.sessions() as session:
        identity = await session.scalar(select(Identity).where(Identity.user_id == MEGAN_AAD))
        assert identity is not None
        person = await session.get(Person, identity.person_id)
    assert person is not None and person.name == "Anna Lindqvist"
    assert (identity.platform, identity.workspace) == ("teams", TENANT)

    await teams.post(teams.message("hälsa", id="second-message"))
    assert len(teams.connector.of("member")) == 1  # linked users are not looked up again


async def test_personal_chat_answers_in_the_chat_and_remembers_it(teams: Teams) -> None:
    status, _ = await teams.post(teams.message("hjälp", name="personal_message", locale="sv-SE"))

    assert status == 201
    (reply,) = teams.connector.of("reply")
    assert reply.conversation.startswith("a:17I0kl9")
    assert "Samverkansboten – hjälp" in reply.text
    assert teams.connector.of("create") == []  # already private: no 1:1 to open
    async with teams.bot.database.sessions() as session:
        identity = await session.scalar(select(Identity).where(Identity.user_id == MEGAN_AAD))
    assert identity is not None and identity.direct_conversation is not None
    assert identity.direct_conversation["conversation"]["id"].startswith("a:17I0kl9")


async def test_only_to_you_in_a_channel_goes_1to1_with_a_note(teams: Teams) -> None:
    await teams.post(teams.message("hjälp", locale="sv-SE"))

    (create,) = teams.connector.of("create")
    assert create.body is not None
    assert create.body["members"][0]["id"].startswith("29:1XJK")
    private = [c for c in teams.connector.calls if c.conversation.startswith("a:direct-")]
    assert len(private) == 1 and "Samverkansboten – hjälp" in private[0].text
    (note,) = teams.connector.of("reply")
    assert note.conversation.startswith(CHANNEL)
    assert "Svar skickat privat" in note.text
    assert "Samverkansboten – hjälp" not in note.text
    async with teams.bot.database.sessions() as session:
        identity = await session.scalar(select(Identity).where(Identity.user_id == MEGAN_AAD))
    assert identity is not None and identity.direct_conversation is not None
    assert identity.direct_conversation["conversation"]["id"] == f"a:direct-{MEGAN}"


async def test_the_private_note_speaks_the_answers_language_without_asking_again(
    teams: Teams,
) -> None:
    await teams.post(teams.message("hälsa", id="first"))  # linked, the channel kept
    async with teams.bot.database.transaction() as session:
        anna = await session.scalar(select(Person).where(Person.name == "Anna Lindqvist"))
        assert anna is not None
        anna.language = "en"  # her choice wins over the Swedish Teams client
    with counting_queries(teams.bot.database) as statements:
        await teams.post(teams.message("hjälp", id="second", locale="sv-SE"))

    private = [c for c in teams.connector.calls if c.conversation.startswith("a:direct-")]
    assert len(private) == 1 and "Cooperation bot – help" in private[0].text
    note = teams.connector.of("reply")[-1]
    assert note.conversation.startswith(CHANNEL)
    assert "Answer sent privately" in note.text and "Svar skickat privat" not in note.text
    assert not [s for s in statements if " ".join(s.split()).startswith("SELECT person.language")]


async def test_only_to_you_without_a_personal_chat_gives_a_hint_and_no_content(
    teams: Teams,
) -> None:
    teams.connector.fail("create", 403)

    await teams.post(teams.message("hjälp", locale="sv-SE"))

    (hint,) = teams.connector.of("reply")
    assert "Lägg till appen" in hint.text
    assert "Samverkansboten – hjälp" not in hint.text
    assert not [c for c in teams.connector.calls if c.conversation.startswith("a:direct-")]


async def test_user_text_cannot_inject_markup_or_mentions(teams: Teams) -> None:
    await teams.post(teams.message("hälsa [klicka](https://evil.example) **fet** <at>Alla</at>"))

    (reply,) = teams.connector.of("reply")
    assert "\\[klicka\\](https://evil.example)" in reply.text
    assert "\\*\\*fet\\*\\*" in reply.text
    assert "\\<at\\>Alla\\</at\\>" in reply.text


async def test_a_replayed_activity_has_no_second_effect(teams: Teams) -> None:
    activity = teams.message("hälsa en gång")

    await teams.post(activity)
    await teams.post(activity)

    assert len(teams.connector.of("reply")) == 1
    async with teams.bot.database.sessions() as session:
        handled = await session.scalar(select(func.count()).select_from(ProcessedEvent))
    assert handled == 1


async def test_a_tenant_outside_the_allow_list_is_ignored(teams: Teams) -> None:
    activity = teams.message("hälsa", name="personal_message")
    activity["conversation"]["tenantId"] = "00000000-0000-0000-0000-000000000000"
    activity["channelData"]["tenant"]["id"] = "00000000-0000-0000-0000-000000000000"

    status, _ = await teams.post(activity)

    assert status == 200
    assert teams.connector.calls == []
    async with teams.bot.database.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(ProcessedEvent)) == 0
        assert await session.scalar(select(func.count()).select_from(Identity)) == 0


async def test_group_chat_reaches_the_same_command(teams: Teams) -> None:
    activity = teams.message("hälsa grupp", name="personal_message")
    activity["conversation"] = {
        "isGroup": True,
        "conversationType": "groupChat",
        "tenantId": TENANT,
        "id": "19:meeting_groupchat@thread.v2",
    }
    activity["from"]["aadObjectId"] = ADELE_AAD

    await teams.post(activity)

    (reply,) = teams.connector.of("reply")
    assert reply.conversation == "19:meeting_groupchat@thread.v2"
    assert "hälsa" not in reply.text and "grupp" in reply.text


async def test_an_unknown_user_is_looked_up_once_not_on_every_message(teams: Teams) -> None:
    teams.connector.members.clear()  # Teams knows no e-mail for them: nobody to link

    await teams.post(teams.message("hälsa", id="m1"))
    await teams.post(teams.message("hälsa", id="m2"))

    assert len(teams.connector.of("member")) == 1
    assert len(teams.connector.of("reply")) == 2


def _flat(statements: list[str]) -> list[str]:
    return [" ".join(statement.split()) for statement in statements]


async def test_a_channel_seen_lately_costs_no_statement(teams: Teams) -> None:
    await teams.post(teams.message("hälsa", id="first"))  # the channel is kept now
    with counting_queries(teams.bot.database) as statements:
        await teams.post(teams.message("hälsa", id="second"))

    assert len(teams.connector.of("reply")) == 2
    assert not [s for s in _flat(statements) if "FROM channel" in s]


async def test_a_kept_channel_new_to_this_process_is_checked_without_loading_it(
    teams: Teams,
) -> None:
    await teams.post(teams.message("hälsa", id="first"))
    teams.adapter.handler.messenger.known_channels = KnownChannels()  # a restart, a replica
    with counting_queries(teams.bot.database) as statements:
        await teams.post(teams.message("hälsa", id="second"))

    assert len(teams.connector.of("reply")) == 2
    reads = [s for s in _flat(statements) if "FROM channel" in s]
    assert len(reads) == 1 and reads[0].startswith(
        "SELECT channel.active, channel.conversation_ref"
    )


async def test_a_channel_marked_inactive_elsewhere_is_active_again_once_the_memory_lapses(
    teams: Teams,
) -> None:
    now = [0.0]
    teams.adapter.handler.messenger.known_channels = KnownChannels(clock=lambda: now[0])
    await teams.post(teams.message("hälsa", id="first"))  # noted at 0 s
    async with teams.bot.database.transaction() as session:  # another replica, or psql
        await session.execute(update(Channel).values(active=False))

    now[0] = 10.0
    await teams.post(teams.message("hälsa", id="second"))  # still remembered
    async with teams.bot.database.sessions() as session:
        assert await session.scalar(select(Channel.active)) is False
    now[0] = KnownChannels.TTL + 1
    await teams.post(teams.message("hälsa", id="third"))  # the memory lapsed: checked, put right

    async with teams.bot.database.sessions() as session:
        assert await session.scalar(select(Channel.active)) is True


async def test_a_channel_this_process_marked_inactive_is_active_again_at_its_next_message(
    teams: Teams,
) -> None:
    await teams.post(teams.message("hälsa", id="first"))
    async with teams.bot.database.sessions() as session:
        channel = await session.scalar(select(Channel))
    assert channel is not None
    teams.connector.fail("send", 403)  # the bot was removed, so Teams refuses the post
    assert await teams.bot.messengers["teams"].post(channel, Reply(text="Hej")) is None
    async with teams.bot.database.sessions() as session:
        assert await session.scalar(select(Channel.active)) is False

    await teams.post(teams.message("hälsa", id="second"))  # added back, and asked at once

    async with teams.bot.database.sessions() as session:
        assert await session.scalar(select(Channel.active)) is True

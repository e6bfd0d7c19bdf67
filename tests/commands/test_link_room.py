"""`koppla rum` / `link room`: one-time codes link a Slack channel and a Teams channel."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.commands import link_room
from bot.common.clock import FixedClock
from bot.core.engine import Bot
from bot.core.registry import Command, Param, Registry
from bot.core.reply import Reply, Visibility
from bot.features import default_catalog
from storage.models import AuditEvent, RoomLink
from tests.drafts_helpers import RecordingMessenger, add_channel, press, say, text_of

SLACK = {"platform": "slack", "channel": "C0GEMENSAM"}
TEAMS = {"platform": "teams", "channel": "19:gemensam@thread.tacv2"}


def _code(replies: list[Reply]) -> str:
    words = text_of(replies).split()
    return words[words.index("är" if "är" in words else "is") + 1].rstrip(".")


async def _links(bot: Bot) -> int:
    async with bot.database.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(RoomLink)) or 0)


async def test_link_with_a_code_from_slack_typed_in_teams(bot: Bot) -> None:
    slack, teams = RecordingMessenger("slack"), RecordingMessenger("teams")
    bot.messengers.update(slack=slack, teams=teams)
    asked = await say(bot, "Anna Lindqvist", "koppla rum", **SLACK)
    assert asked[0].visibility is Visibility.ONLY_TO_YOU
    code = _code(asked)
    assert len(code) == 6 and f"`koppla rum {code}`" in text_of(asked)
    linked = await say(bot, "Anna Lindqvist", f"koppla rum {code.lower()}", **TEAMS)
    assert "kopplad med C0GEMENSAM (Slack)" in text_of(linked)
    assert "kopplad med 19:gemensam@thread.tacv2 (Teams)" in slack.posts[0][2].text
    assert await _links(bot) == 1
    async with bot.database.sessions() as session:
        actions = (await session.scalars(select(AuditEvent.action))).all()
    assert "room.link" in actions


async def test_a_code_works_once(bot: Bot) -> None:
    bot.messengers.update(slack=RecordingMessenger("slack"), teams=RecordingMessenger("teams"))
    code = _code(await say(bot, "Anna Lindqvist", "link room", **SLACK, locale="en"))
    await say(bot, "Anna Lindqvist", f"link room {code}", **TEAMS)
    again = await say(bot, "Anna Lindqvist", f"koppla rum {code}", platform="teams", channel="19:x")
    assert "finns inte eller är redan använd" in text_of(again)
    assert await _links(bot) == 1


async def test_a_code_expires(bot: Bot, clock: FixedClock) -> None:
    code = _code(await say(bot, "Anna Lindqvist", "koppla rum", **SLACK))
    clock.advance(timedelta(minutes=16))
    late = await say(bot, "Anna Lindqvist", f"koppla rum {code}", **TEAMS)
    assert "Koden har gått ut" in text_of(late)
    assert await _links(bot) == 0


async def test_same_platform_same_channel_direct_chat_and_non_admins_are_refused(
    bot: Bot,
) -> None:
    code = _code(await say(bot, "Anna Lindqvist", "koppla rum", **SLACK))
    same = await say(bot, "Anna Lindqvist", f"koppla rum {code}", **SLACK)
    assert "inte i samma kanal" in text_of(same)
    other_slack = await say(
        bot, "Anna Lindqvist", f"koppla rum {code}", platform="slack", channel="C2"
    )
    assert "Rum kopplas mellan plattformar" in text_of(other_slack)
    direct = await say(
        bot, "Anna Lindqvist", "koppla rum", platform="slack", channel="D1", is_direct=True
    )
    assert "inte i ett privat samtal" in text_of(direct)
    not_admin = await say(bot, "Veronica Gustafsson", f"koppla rum {code}", **TEAMS)
    assert "bara administratörer" in text_of(not_admin)
    assert await _links(bot) == 0
    # The refusals did not spend the code.
    ok = await say(bot, "Anna Lindqvist", f"koppla rum {code}", **TEAMS)
    assert "kopplad med" in text_of(ok)


async def test_a_draft_reaches_the_linked_room_and_approving_on_teams_updates_slack(
    bot: Bot,
) -> None:
    slack, teams = RecordingMessenger("slack"), RecordingMessenger("teams")
    bot.messengers.update(slack=slack, teams=teams)
    await add_channel(bot.database, "slack", SLACK["channel"], "gemensam", joint=True)
    code = _code(await say(bot, "Anna Lindqvist", "koppla rum", **SLACK))
    await say(bot, "Anna Lindqvist", f"koppla rum {code}", **TEAMS)
    slack.posts.clear()
    teams.posts.clear()
    await say(bot, "Erik Holm", "utkast Gemensamt budskap om julmarknaden.", **SLACK)
    assert len(slack.posts) == 1 and len(teams.posts) == 1
    await press(bot, "Veronica Gustafsson", "draft.approve", {"draft": 1, "version": 1}, **TEAMS)
    assert slack.updates[-1][1] == slack.posts[0][1]
    assert "Polisen: godkänd av Veronica Gustafsson" in slack.updates[-1][2].plain_text()
    await press(bot, "Merete Tillman", "draft.approve", {"draft": 1, "version": 1}, **SLACK)
    assert teams.updates[-1][1] == teams.posts[0][1]
    assert "Godkänd av båda parter" in teams.updates[-1][2].plain_text()


async def test_two_word_name_coexists_with_a_one_word_koppla_command() -> None:
    async def handler(context: object, args: dict[str, str]) -> Reply:
        return Reply(text="person")

    registry = Registry()
    registry.add(
        Command(
            key="link",
            names_sv=("koppla",),
            names_en=("link",),
            handler=handler,  # type: ignore[arg-type]
            params=(Param("user"), Param("person", greedy=True)),
        )
    )
    registry.add(link_room.COMMAND)
    assert registry.lookup(["koppla", "rum", "ABC123"]) == (link_room.COMMAND, 2)
    assert registry.lookup(["link", "room"]) == (link_room.COMMAND, 2)
    found = registry.lookup(["koppla", "<@U1>", "Erik", "Holm"])
    assert found is not None and found[0].key == "link"
    real = default_catalog().registry
    assert real.lookup(["koppla", "rum"]) == (real.get("link_room"), 2)

"""App Home, the Slack Messenger the core speaks first through, and workspace lifecycle."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from bot.channels.bindings import get_or_create_channel
from bot.core.context import Outgoing
from bot.core.engine import Bot
from bot.core.reply import Reply, Section
from bot.core.request import ChannelRef
from storage.models import Channel, Identity
from tests.slack.conftest import ANNA, CHANNEL, NOBODY, SlackDriver
from tests.slack.fake_slack import BOT_USER, TEAM


def home_opened(user: str) -> dict[str, Any]:
    return {
        "type": "app_home_opened",
        "user": user,
        "channel": "D0HOME00001",
        "tab": "home",
        "event_ts": "1764147600.000200",
    }


async def test_app_home_shows_my_forums_contacts_and_days_left(slack: SlackDriver) -> None:
    await slack.event(home_opened(ANNA), "Ev0HOME000001")
    [published] = slack.fake.called("views.publish")
    assert published.args["user_id"] == ANNA
    view = published.args["view"]
    assert view["type"] == "home"
    text = json.dumps(view["blocks"], ensure_ascii=False)
    assert "Mina forum och kontakter" in text
    assert "Lokala Brottsförebyggande rådet (Brå)" in text
    assert "Anna Lindqvist, sekreterare (Kommunen)" in text
    # 26 November → 31 December 2026.
    assert "Gäller 35 dagar till" in text


async def test_app_home_for_someone_unknown_shows_the_registration_hint(
    slack: SlackDriver,
) -> None:
    await slack.event(home_opened(NOBODY), "Ev0HOME000002")
    [published] = slack.fake.called("views.publish")
    assert "inte registrerad" in json.dumps(published.args["view"], ensure_ascii=False)


async def _channel(bot: Bot, channel_id: str = CHANNEL) -> Channel:
    async with bot.database.transaction() as session:
        return await get_or_create_channel(
            session, ChannelRef("slack", channel_id, workspace=TEAM, name="samverkan")
        )


async def test_the_core_posts_to_a_slack_channel_through_the_outbox(
    slack: SlackDriver, bot: Bot
) -> None:
    channel = await _channel(bot)
    reply = Reply(
        heading="Veckosammanfattning",
        sections=[Section(f"Grupp {n}", ["rad"]) for n in range(60)],
    )
    await bot.deliver([Outgoing(channel, reply)])
    posts = slack.fake.called("chat.postMessage")
    assert [p.args["channel"] for p in posts] == [CHANNEL, CHANNEL]  # split in two, in order
    assert posts[0].token == "xoxb-test-token"


async def test_posts_wait_out_a_429_and_succeed(slack: SlackDriver, bot: Bot) -> None:
    channel = await _channel(bot)
    slack.fake.rate_limit_next["chat.postMessage"] = 1
    ts = await slack.adapter.messenger.post(channel, Reply(text="Hej"))
    assert ts is not None
    assert len(slack.fake.called("chat.postMessage")) == 2


async def test_update_and_direct_message(slack: SlackDriver, bot: Bot) -> None:
    channel = await _channel(bot)
    await slack.adapter.messenger.update(channel, "1764147600.000001", Reply(text="Ändrat"))
    [update] = slack.fake.called("chat.update")
    assert update.args["ts"] == "1764147600.000001" and update.args["text"] == "Ändrat"
    identity = Identity(person_id=1, platform="slack", workspace=TEAM, user_id=ANNA)
    await slack.adapter.messenger.send_direct(identity, Reply(text="Påminnelse"))
    [opened] = slack.fake.called("conversations.open")
    assert opened.args["users"] == ANNA
    [direct] = slack.fake.called("chat.postMessage")
    assert direct.args["channel"] == "D" + ANNA[1:]


async def test_uninstall_marks_the_workspace_channels_inactive(
    slack: SlackDriver, bot: Bot
) -> None:
    await _channel(bot, CHANNEL)
    await _channel(bot, "C0OTHER0001")
    await slack.event({"type": "app_uninstalled", "event_ts": "1"}, "Ev0UNINSTALL1")
    async with bot.database.sessions() as session:
        active = (await session.scalars(select(Channel.active))).all()
    assert list(active) == [False, False]


async def test_the_bot_leaving_a_channel_marks_only_that_channel_inactive(
    slack: SlackDriver, bot: Bot
) -> None:
    await _channel(bot, CHANNEL)
    await _channel(bot, "C0OTHER0001")
    event = {"type": "member_left_channel", "user": BOT_USER, "channel": CHANNEL, "team": TEAM}
    await slack.event(event, "Ev0LEFT000001")
    someone = {**event, "user": ANNA, "channel": "C0OTHER0001"}
    await slack.event(someone, "Ev0LEFT000002")
    async with bot.database.sessions() as session:
        rows = (await session.execute(select(Channel.channel_id, Channel.active))).all()
    assert dict(rows) == {CHANNEL: False, "C0OTHER0001": True}


async def test_revoking_only_user_tokens_leaves_channels_active(
    slack: SlackDriver, bot: Bot
) -> None:
    await _channel(bot, CHANNEL)
    user_only = {"type": "tokens_revoked", "tokens": {"oauth": [ANNA], "bot": []}}
    await slack.event(user_only, "Ev0REVOKE0001")
    async with bot.database.sessions() as session:
        assert list((await session.scalars(select(Channel.active))).all()) == [True]
    bot_too = {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": [BOT_USER]}}
    await slack.event(bot_too, "Ev0REVOKE0002")
    async with bot.database.sessions() as session:
        assert list((await session.scalars(select(Channel.active))).all()) == [False]

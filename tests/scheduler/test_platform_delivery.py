"""Jobs reach the real Slack and Teams adapters, and through them the fake platforms, once.

Three dispatchers (on PostgreSQL; one on SQLite) share jobs for Slack and Teams channels and
direct messages; each fake platform sees every message exactly once.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot.common.clock import FixedClock
from bot.core.engine import Bot
from bot.scheduler.dispatcher import Dispatcher
from bot.scheduler.jobs import Target, schedule
from bot.scheduler.settings import SchedulerSettings
from storage.db import Database
from storage.models import Channel, Identity, Job
from tests.scheduler.helpers import job_kinds, person_id
from tests.slack.conftest import SlackDriver
from tests.slack.fake_slack import TEAM as SLACK_TEAM
from tests.teams.conftest import TENANT, start_teams, teams_settings
from tests.teams.fakes import SAMPLES, FakeConnector

CHANNELS = 12  # per platform
PER_CHANNEL = 3


def teams_reference(connector: FakeConnector, conversation: str) -> dict[str, Any]:
    reference: dict[str, Any] = json.loads((SAMPLES / "conversation_reference.json").read_text())
    reference.pop("_comment")
    reference["serviceUrl"] = connector.url
    reference["conversation"]["id"] = conversation
    return reference


async def make_channels(bot: Bot, connector: FakeConnector) -> list[int]:
    async with bot.database.transaction() as session:
        channels = [
            Channel(platform="slack", workspace=SLACK_TEAM, channel_id=f"C{n:08d}", active=True)
            for n in range(CHANNELS)
        ]
        for n in range(CHANNELS):
            conversation = f"19:room{n}@thread.tacv2"
            channels.append(
                Channel(
                    platform="teams",
                    workspace=TENANT,
                    channel_id=conversation,
                    conversation_ref=teams_reference(connector, conversation),
                    active=True,
                )
            )
        session.add_all(channels)
        await session.flush()
        return [c.id for c in channels]


async def test_replicas_deliver_each_job_once_to_fake_slack_and_teams(
    bot: Bot, clock: FixedClock, slack: SlackDriver, connector: FakeConnector
) -> None:
    teams = await start_teams(bot, connector, teams_settings(TEAMS_LOCAL_MODE=True))
    channel_ids = await make_channels(bot, connector)
    sara = await person_id(bot.database, "Sara Nilsson", with_account=False)
    async with bot.database.transaction() as session:
        session.add(
            Identity(person_id=sara, platform="slack", workspace=SLACK_TEAM, user_id="U0SARA")
        )
        for n, channel in enumerate(channel_ids * PER_CHANNEL):
            await schedule(
                session,
                "say",
                clock.now(),
                {"text": f"job {n}"},
                (Target.CHANNEL, channel),
                f"job-{n}",
                clock.now(),
            )
        await schedule(
            session,
            "say",
            clock.now(),
            {"text": "direct"},
            (Target.PERSON, sara),
            "dm",
            clock.now(),
        )
    replicas = 3 if bot.database.dialect == "postgresql" else 1
    extra = [Database(bot.database.url) for _ in range(replicas - 1)]
    bots = [bot] + [Bot(db, bot.settings, clock, registry=bot.registry) for db in extra]
    for other in bots[1:]:
        other.messengers.update(bot.messengers)
    settings = SchedulerSettings(batch_size=5, rates={"slack": 1.0, "teams": 7.0})  # type: ignore[call-arg]
    dispatchers = [
        Dispatcher(b, settings, kinds=job_kinds(), worker=f"r{n}") for n, b in enumerate(bots)
    ]

    async def drain(dispatcher: Dispatcher) -> None:
        while await dispatcher.run_once():
            pass

    try:
        total = len(channel_ids) * PER_CHANNEL + 1
        for _second in range(PER_CHANNEL + 2):  # the limiter lets one per channel per second
            await asyncio.gather(*(drain(d) for d in dispatchers))
            clock.advance(timedelta(seconds=1))
        slack_texts = [c.args.get("text") for c in slack.fake.called("chat.postMessage")]
        teams_texts = [c.text for c in connector.of("send")]
        delivered = Counter(t for t in slack_texts + teams_texts if t)
        assert sum(delivered.values()) == total
        assert set(delivered.values()) == {1}
        assert delivered["direct"] == 1
        assert [c.args["users"] for c in slack.fake.called("conversations.open")] == ["U0SARA"]
    finally:
        for database in extra:
            await database.dispose()
        await teams.client.close()


async def test_a_slack_channel_the_bot_left_is_skipped_and_marked(
    bot: Bot, clock: FixedClock, slack: SlackDriver, connector: FakeConnector
) -> None:
    channel_ids = await make_channels(bot, connector)
    slack.fake.removed_from.add("C00000000")
    async with bot.database.transaction() as session:
        await schedule(
            session,
            "say",
            clock.now(),
            {"text": "x"},
            (Target.CHANNEL, channel_ids[0]),
            "x",
            clock.now(),
        )
    dispatcher = Dispatcher(bot, SchedulerSettings(rates={}), kinds=job_kinds())  # type: ignore[call-arg]
    await dispatcher.run_once()
    async with bot.database.sessions() as session:
        channel = await session.get(Channel, channel_ids[0])
        job = await session.scalar(select(Job))
    assert channel is not None and not channel.active
    assert job is not None and job.status == "skipped" and job.attempts == 0
    assert "not_in_channel" in (job.last_error or "")

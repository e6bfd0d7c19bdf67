"""`samverkan link-channels` and `samverkan export drafts`, run as the registrar would."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from datetime import timedelta

from click.testing import CliRunner, Result
from sqlalchemy import select

from app.cli.main import main
from bot.common.clock import FixedClock
from bot.common.config import Settings
from bot.core.engine import Bot
from storage.models import AuditEvent, RoomLink
from tests.drafts_helpers import RecordingMessenger, add_channel, press, say


async def _run(bot: Bot, *args: str) -> Result:
    settings = Settings(DATABASE_URL=bot.database.url)  # type: ignore[call-arg]
    runner = CliRunner()
    return await asyncio.to_thread(
        runner.invoke, main, list(args), obj={"settings": settings}, catch_exceptions=False
    )


async def test_link_channels_from_the_command_line(bot: Bot) -> None:
    await add_channel(bot.database, "slack", "C0GEMENSAM", "gemensam")
    await add_channel(bot.database, "teams", "19:abc@thread.tacv2", "Gemensam")
    result = await _run(
        bot, "link-channels", "--slack", "C0GEMENSAM", "--teams", "19:abc@thread.tacv2"
    )
    assert result.exit_code == 0, result.output
    assert "linked: slack gemensam ↔ teams Gemensam" in result.output
    again = await _run(
        bot, "link-channels", "--slack", "C0GEMENSAM", "--teams", "19:abc@thread.tacv2"
    )
    assert "already linked" in again.output
    async with bot.database.sessions() as session:
        assert len((await session.scalars(select(RoomLink))).all()) == 1
        audit = (
            await session.scalars(select(AuditEvent).where(AuditEvent.action == "room.link"))
        ).all()
    assert [a.actor for a in audit] == ["samverkan link-channels"]


async def test_link_channels_names_an_unknown_channel(bot: Bot) -> None:
    await add_channel(bot.database, "slack", "C0GEMENSAM", "gemensam")
    result = await _run(bot, "link-channels", "--slack", "C0GEMENSAM", "--teams", "19:nope")
    assert result.exit_code == 1
    assert "the bot is not in teams channel 19:nope" in result.output


async def test_export_drafts_writes_every_version_and_decision(bot: Bot, clock: FixedClock) -> None:
    bot.messengers["console"] = RecordingMessenger("console")
    await add_channel(bot.database, "console", "gemensam", "gemensam", joint=True)
    await say(bot, "Erik Holm", "utkast Första versionen.")
    clock.advance(timedelta(minutes=5))
    await press(
        bot,
        "Veronica Gustafsson",
        "draft.request_changes",
        {"draft": 1, "version": 1, "comment": "Lägg till tid, tack."},
    )
    clock.advance(timedelta(minutes=5))
    await press(
        bot, "Erik Holm", "draft.edit", {"draft": 1, "version": 1, "text": "Andra, kl. 18."}
    )
    clock.advance(timedelta(minutes=5))
    await press(bot, "Merete Tillman", "draft.approve", {"draft": 1, "version": 2})
    clock.advance(timedelta(minutes=5))
    await press(bot, "Niklas Årcén", "draft.approve", {"draft": 1, "version": 2})

    as_json = await _run(
        bot, "export", "drafts", "--from", "2026-11-26", "--to", "2026-11-26", "--format", "json"
    )
    assert as_json.exit_code == 0, as_json.output
    rows = json.loads(as_json.output)
    assert [(r["event"], r["version"], r["person"]) for r in rows] == [
        ("version", 1, "Erik Holm"),
        ("request_changes", 1, "Veronica Gustafsson"),
        ("version", 2, "Erik Holm"),
        ("approve", 2, "Merete Tillman"),
        ("approve", 2, "Niklas Årcén"),
    ]
    assert rows[1]["comment"] == "Lägg till tid, tack."
    assert rows[0]["content_hash"] != rows[2]["content_hash"]
    assert rows[3]["content_hash"] == rows[2]["content_hash"]
    assert {r["state_now"] for r in rows} == {"approved"}

    as_csv = await _run(bot, "export", "drafts", "--from", "2026-11-01", "--to", "2026-11-30")
    parsed = list(csv.DictReader(io.StringIO(as_csv.output)))
    assert [r["event"] for r in parsed] == [r["event"] for r in rows]
    assert parsed[2]["text"] == "Andra, kl. 18."

    before = await _run(
        bot, "export", "drafts", "--from", "2026-11-20", "--to", "2026-11-25", "--format", "json"
    )
    assert json.loads(before.output) == []

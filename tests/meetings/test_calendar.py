"""ICS export and the per-forum calendar feed; the attendance export. SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from click.testing import CliRunner
from icalendar import Calendar
from sqlalchemy import update

from adapters.calendar_feed import CalendarFeed
from app.cli.main import main
from app.server import build_app
from app.setup import configured_adapters
from bot.common.config import Settings
from bot.meetings.ics import NoCalendar, forum_calendar
from bot.meetings.service import feed_key
from storage.models import Forum
from tests.conftest import Chat


async def _schedule(chat: Chat) -> None:
    for who, text in [
        ("Anna Lindqvist", "möte brå 3/12 9.00 plats: Kommunhuset"),
        ("Anna Lindqvist", "möte brå 2027-06-10 13:00"),
        ("Sara Nilsson", "möte broby tisdag 13:30"),
        ("Lars Persson", "möte tillsyn i morgon 19:00 plats: Restaurangen"),
    ]:
        assert "planerat" in await chat.text(who, text)
    assert "inställt" in await chat.text("Anna Lindqvist", "serie ställ in M2")


def _events(body: bytes) -> list[dict[str, object]]:
    calendar = Calendar.from_ical(body)
    return [
        {
            "uid": str(event["UID"]),
            "start": event.decoded("DTSTART"),
            "end": event.decoded("DTEND"),
            "summary": str(event["SUMMARY"]),
            "location": str(event.get("LOCATION", "")),
            "status": str(event["STATUS"]),
        }
        for event in calendar.walk("VEVENT")
    ]


async def test_forum_calendar_parses_back(chat: Chat) -> None:
    await _schedule(chat)
    async with chat.bot.database.sessions() as session:
        _forum, body = await forum_calendar(session, "bra")
    calendar = Calendar.from_ical(body)
    assert str(calendar["VERSION"]) == "2.0"
    events = _events(body)
    assert events == [
        {
            "uid": "meeting-1@samverkansboten",
            "start": datetime(2026, 12, 3, 8, 0, tzinfo=UTC),
            "end": datetime(2026, 12, 3, 9, 0, tzinfo=UTC),
            "summary": "Lokala Brottsförebyggande rådet (Brå) (M1)",
            "location": "Kommunhuset",
            "status": "CONFIRMED",
        },
        {
            "uid": "meeting-2@samverkansboten",
            "start": datetime(2027, 6, 10, 11, 0, tzinfo=UTC),
            "end": datetime(2027, 6, 10, 12, 0, tzinfo=UTC),
            "summary": "Lokala Brottsförebyggande rådet (Brå) (M2)",
            "location": "",
            "status": "CANCELLED",
        },
    ]


async def test_forum_calendar_includes_groups_and_never_restricted_forums(chat: Chat) -> None:
    await _schedule(chat)
    async with chat.bot.database.sessions() as session:
        # Need-to-know, or no free text (Spindel and its groups): no calendar for all.
        for key in ("tillsyn", "avhopp", "spindel", "spindel.broby", "nosuchforum"):
            with pytest.raises(NoCalendar):
                await forum_calendar(session, key)
    async with chat.bot.database.transaction() as session:
        await session.execute(
            update(Forum).where(Forum.key.startswith("spindel")).values(no_personal_text=False)
        )
    async with chat.bot.database.sessions() as session:
        _forum, body = await forum_calendar(session, "spindel", language="en")
        assert [e["summary"] for e in _events(body)] == ["Spider group Broby (M3)"]


def _cli(chat: Chat, tmp_path: Path, *args: str) -> tuple[int, str]:
    settings = Settings(DATABASE_URL=chat.bot.database.url)  # type: ignore[call-arg]
    result = CliRunner().invoke(main, list(args), obj={"settings": settings})
    return result.exit_code, result.output


async def test_cli_export_ics(chat: Chat, tmp_path: Path) -> None:
    await _schedule(chat)
    target = tmp_path / "bra.ics"
    code, _ = await asyncio.to_thread(
        _cli, chat, tmp_path, "export", "ics", "--forum", "bra", "-o", str(target)
    )
    assert code == 0
    assert len(_events(target.read_bytes())) == 2
    code, output = await asyncio.to_thread(
        _cli, chat, tmp_path, "export", "ics", "--forum", "tillsyn"
    )
    assert code != 0 and "need-to-know" in output


async def test_cli_export_attendance_csv_and_json_reproducible(chat: Chat, tmp_path: Path) -> None:
    assert "M1" in await chat.text("Anna Lindqvist", "möte brå idag 10:15 plats: KS-salen")
    await chat.text("Birgitta Holmén", "närvaro M1 Ahmed Karimi, Erik Holm")
    args = ("export", "attendance", "--from", "2026-11-01", "--to", "2026-11-30")
    code, first = await asyncio.to_thread(_cli, chat, tmp_path, *args)
    code2, second = await asyncio.to_thread(_cli, chat, tmp_path, *args)
    assert code == code2 == 0 and first == second
    rows = list(csv.DictReader(io.StringIO(first)))
    assert [(r["meeting"], r["person"], r["organisation_key"], r["role_code"]) for r in rows] == [
        ("M1", "Ahmed Karimi", "polis", "representative"),
        ("M1", "Erik Holm", "kommun", "representative"),
    ]
    assert [(r["organisation"], r["role"], r["status"]) for r in rows] == [
        ("Lokalpolisområde Hässleholm", "representant", "held"),
        ("Östra Göinge kommun", "representant", "held"),
    ]
    assert rows[0]["starts_at_utc"] == "2026-11-26T09:15:00+00:00"
    code, body = await asyncio.to_thread(_cli, chat, tmp_path, *args, "--format", "json")
    assert code == 0 and json.loads(body)[1]["person"] == "Erik Holm"
    code, body = await asyncio.to_thread(
        _cli, chat, tmp_path, "export", "attendance", "--from", "2026-12-01", "--to", "2026-12-31"
    )
    assert body.strip() == ",".join(
        ["meeting", "forum", "starts_at_utc", "status", "person", "organisation", "role",
         "registered_at_utc", "organisation_key", "role_code"]
    )  # fmt: skip


async def test_feed_serves_with_the_right_key_only(chat: Chat) -> None:
    chat.bot.settings.calendar_secret = "feed-secret"
    await _schedule(chat)
    assert any(isinstance(a, CalendarFeed) for a in configured_adapters(chat.bot))
    app = build_app(chat.bot, [CalendarFeed(chat.bot)])
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        good = await client.get("/calendar/bra.ics", params={"key": feed_key("feed-secret", "bra")})
        assert good.status == 200
        assert good.content_type == "text/calendar"
        assert len(_events(await good.read())) == 2
        wrong = await client.get("/calendar/bra.ics", params={"key": feed_key("other", "bra")})
        assert wrong.status == 404
        other_forum = await client.get(
            "/calendar/spindel.ics", params={"key": feed_key("feed-secret", "bra")}
        )
        assert other_forum.status == 404
        missing = await client.get("/calendar/bra.ics")
        assert missing.status == 404
        secret_forum = await client.get(
            "/calendar/tillsyn.ics", params={"key": feed_key("feed-secret", "tillsyn")}
        )
        assert secret_forum.status == 404
        group = await client.get(
            "/calendar/spindel.broby.ics", params={"key": feed_key("feed-secret", "spindel.broby")}
        )
        assert group.status == 404  # a group of a forum with no free text about individuals


async def test_no_feed_without_a_secret(chat: Chat) -> None:
    assert not any(isinstance(a, CalendarFeed) for a in configured_adapters(chat.bot))
    app = build_app(chat.bot, [CalendarFeed(chat.bot)])
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        response = await client.get("/calendar/bra.ics", params={"key": ""})
        assert response.status == 404

"""Hostile input through the real Teams adapter (local mode) and the calendar feed.

A Teams client sends a card's data back itself, so a modified client can send anything there:
each case gets a 4xx or a clear refusal in the user's language, and has no effect.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select

from adapters.calendar_feed import CalendarFeed
from app.server import build_app
from bot.core.engine import Bot
from bot.meetings.service import feed_key
from storage.models import Approval, DraftVersion
from tests.privacy.conftest import teams_click, teams_message
from tests.teams.conftest import ADELE, ADELE_AAD, Teams

STALE = "Den knappen går inte längre att använda"


def bad(records: list[logging.LogRecord]) -> list[str]:
    return [r.getMessage() for r in records if r.levelno >= logging.ERROR or r.exc_info]


async def _approvals(bot: Bot) -> int:
    async with bot.database.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Approval)) or 0)


async def _texts(bot: Bot) -> list[str]:
    async with bot.database.sessions() as session:
        return list((await session.scalars(select(DraftVersion.text))).all())


def _from_adele(activity: dict[str, Any]) -> dict[str, Any]:
    activity["from"] = {"id": ADELE, "name": "Adele Vance", "aadObjectId": ADELE_AAD}
    return activity


async def _draft(teams: Teams) -> None:
    status, _ = await teams.post(teams_message(teams, "utkast Trygghetsvandring", "draft-1"))
    assert status in (200, 201)
    assert await _texts(teams.bot) == ["Trygghetsvandring"]


@pytest.mark.parametrize("depth", [40, 5000])
async def test_deeply_nested_json_is_refused_with_400(teams: Teams, depth: int) -> None:
    activity = teams_message(teams, "hjälp", "deep-1")
    raw = json.dumps(activity).replace('"plain"', "[" * depth + "]" * depth, 1)
    response = await teams.client.post(
        "/api/messages", data=raw, headers={"Content-Type": "application/json"}
    )
    assert response.status == 400
    assert teams.connector.calls == []


@pytest.mark.parametrize(
    "data",
    [
        [1, 2],
        "abc",
        1e20,
        True,
        None,
        {"draft": 1},  # drawn for no version: never the current one by default
        {"draft": "abc", "version": 1},
        {"draft": [1], "version": 1},
        {"draft": 1, "version": 1, "_form": {"title": "x"}},
        {"draft": 1, "version": 1, "_form": {"title": 1, "fields": "abc"}},
    ],
)
async def test_tampered_card_data_is_refused_in_the_users_language(
    teams: Teams, data: object, caplog: pytest.LogCaptureFixture
) -> None:
    await _draft(teams)
    caplog.set_level(logging.INFO)
    status, body = await teams.post(
        _from_adele(teams_click(teams, "draft.approve", data, "click-1"))
    )
    assert status == 200
    assert isinstance(body, dict) and str(body["value"]).startswith(STALE)
    assert await _approvals(teams.bot) == 0
    assert bad(caplog.records) == []


async def test_the_untampered_click_still_approves(teams: Teams) -> None:
    await _draft(teams)
    data = {"draft": 1, "version": 1}
    status, _ = await teams.post(_from_adele(teams_click(teams, "draft.approve", data, "ok-1")))
    assert status == 200
    assert await _approvals(teams.bot) == 1


async def test_a_nul_byte_is_removed_before_the_draft_is_stored(teams: Teams) -> None:
    status, _ = await teams.post(teams_message(teams, "utkast Trygghets\x00vandring", "nul-1"))
    assert status in (200, 201)
    assert await _texts(teams.bot) == ["Trygghetsvandring"]


async def test_a_lone_surrogate_does_not_break_the_turn(teams: Teams) -> None:
    status, _ = await teams.post(teams_message(teams, "utkast Broby \ud800 torsdag", "sur-1"))
    assert status in (200, 201)
    assert await _texts(teams.bot) == ["Broby \ufffd torsdag"]
    sent = [call.text for call in teams.connector.calls if call.method in ("send", "reply")]
    assert any("Utkast U1 är sparat" in text for text in sent)
    unknown = teams_message(teams, "\ud800okänt", "sur-2")
    status, _ = await teams.post(unknown)
    assert status in (200, 201)
    everything = json.dumps([c.body for c in teams.connector.calls], ensure_ascii=True)
    assert "\\ud800" not in everything and "\\ufffd" in everything


async def test_a_replayed_refused_message_is_not_answered_again(teams: Teams) -> None:
    refused = _from_adele(teams.message("kanal gemensam", id="replay-1", locale="sv-SE"))
    status, _ = await teams.post(refused)
    assert status in (200, 201)
    seen = len(teams.connector.calls)
    assert "bara administratörer" in "\n".join(c.text for c in teams.connector.calls)
    status, _ = await teams.post(refused)
    assert status in (200, 201)
    assert len(teams.connector.calls) == seen


@pytest.mark.parametrize(
    ("forum", "key"),
    [("bra", "nyckel-å"), ("bra", "\u00e9" * 32), ("brå", "x"), ("bra", "")],
)
async def test_a_calendar_key_or_forum_with_any_character_is_a_plain_404(
    bot: Bot, forum: str, key: str
) -> None:
    bot.settings.calendar_secret = "feed-secret"
    app = build_app(bot, [CalendarFeed(bot)])
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        response = await client.get(f"/calendar/{forum}.ics", params={"key": key})
        assert response.status == 404
        right = await client.get(
            "/calendar/bra.ics", params={"key": feed_key("feed-secret", "bra")}
        )
        assert right.status == 200

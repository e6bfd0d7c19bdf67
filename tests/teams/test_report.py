"""On Teams the chart is an Image inside the Adaptive Card, by a signed link that expires (or
inline when no link secret is set and it fits), and the PDF is a button to a signed link; the
link serves the file built for that person, and a changed or expired link gets a 404."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from aiohttp.test_utils import TestClient, TestServer

from adapters.report_files import ReportFiles
from adapters.teams.render import CARD_BUDGET
from app.server import build_app
from bot.common.clock import FixedClock
from tests.report.support import build
from tests.teams.conftest import Teams
from tests.teams.fakes import card_errors

SECRET = "test-link-secret-0123456789"


async def _ask(teams: Teams, text: str) -> list[dict[str, Any]]:
    activity = teams.message(text, name="personal_message", id="m-report", locale="sv-SE")
    before = len(teams.connector.calls)
    status, _ = await teams.post(activity)
    assert status in (200, 201)
    return [card for call in teams.connector.calls[before:] for card in call.cards]


def _elements(cards: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    found = []
    for card in cards:
        found += [e for e in card["body"] if e.get("type") == kind]
        found += [a for a in card.get("actions", []) if a.get("type") == kind]
    return found


async def test_the_chart_in_the_card_and_the_pdf_by_a_signed_link(teams: Teams) -> None:
    await build(teams.bot.database)
    teams.bot.settings.calendar_secret = SECRET
    teams.bot.settings.public_url = "https://bot.example.org"
    cards = await _ask(teams, "uppföljning 2026")
    assert cards
    for card in cards:
        assert card_errors(card) == []
        assert len(json.dumps(card, ensure_ascii=False).encode()) <= CARD_BUDGET
    text = json.dumps(cards, ensure_ascii=False)
    assert "Polisen var representerad vid 2 av 5 möten i Brå (40 %)." in text
    [image] = _elements(cards, "Image")
    assert image["url"].startswith("https://bot.example.org/report/")
    assert image["url"].endswith("/uppfoljning-2026.png")
    assert "Brå, Polisen 2 av 5 (40 %)" in image["altText"]
    [download] = _elements(cards, "Action.OpenUrl")
    assert download["url"].endswith("/uppfoljning-2026.pdf")

    client = TestClient(TestServer(build_app(teams.bot, [ReportFiles(teams.bot)])))
    await client.start_server()
    try:
        chart = await client.get(urlsplit(image["url"]).path)
        assert chart.status == 200 and chart.content_type == "image/png"
        assert (await chart.read()).startswith(b"\x89PNG")
        pdf = await client.get(urlsplit(download["url"]).path)
        assert pdf.status == 200 and (await pdf.read()).startswith(b"%PDF-")
        assert "private" in pdf.headers["Cache-Control"]
        path = urlsplit(download["url"]).path
        token = path.split("/")[2]
        changed = path.replace(token, token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))
        assert (await client.get(changed)).status == 404
        assert (await client.get(path.replace(".pdf", ".csv"))).status == 404
        clock = teams.bot.clock
        assert isinstance(clock, FixedClock)
        clock.set(clock.now() + timedelta(hours=25))  # the link has expired
        assert (await client.get(path)).status == 404
    finally:
        await client.close()


async def test_without_a_link_secret_the_chart_is_inline_when_it_fits(teams: Teams) -> None:
    await build(teams.bot.database)
    teams.bot.settings.calendar_secret = None
    cards = await _ask(teams, "uppföljning 2026-T1")
    for card in cards:
        assert len(json.dumps(card, ensure_ascii=False).encode()) <= CARD_BUDGET
        assert card_errors(card) == []
    [image] = _elements(cards, "Image")  # a small palette PNG fits in the card
    assert image["url"].startswith("data:image/png;base64,")
    assert "Brå, Polisen 1 av 1 (100 %)" in image["altText"]
    assert _elements(cards, "Action.OpenUrl") == []

"""`/privacy` and `/terms`: served in Swedish and English, replaceable, accessible HTML5, and
where the Teams app package's links point."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest
from aiohttp.test_utils import TestClient, TestServer

from adapters.pages import Pages, PagesSettings, accepted_languages
from app.cli.manifest_teams import build_package
from app.server import build_app
from app.setup import configured_adapters
from bot.common.config import Settings
from bot.core.engine import Bot
from storage.db import Database

APP_ID = "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
LANDMARKS = ("header", "nav", "main", "footer")


@pytest.fixture
def bot() -> Iterator[Bot]:
    """A bot whose database is never opened: the pages do not read it."""
    settings = Settings(DATABASE_URL="sqlite+aiosqlite://", SAMVERKAN_LOCALE="sv")  # type: ignore[call-arg]
    yield Bot(Database(settings.database_url), settings)


@asynccontextmanager
async def serving(bot: Bot, **settings: object) -> AsyncIterator[TestClient]:  # type: ignore[type-arg]
    pages = Pages(bot, PagesSettings(**settings))  # type: ignore[arg-type]
    async with TestClient(TestServer(build_app(bot, [pages]))) as client:
        yield client


class Outline(HTMLParser):
    """What an accessibility check needs: the document language, title, headings, landmarks
    and links of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.doctype = ""
        self.lang = ""
        self.title = ""
        self.headings: list[tuple[int, str]] = []
        self.landmarks: list[str] = []
        self.links: list[tuple[dict[str, str | None], str]] = []
        self._open: list[tuple[str, dict[str, str | None]]] = []
        self._text: list[str] = []

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang") or ""
        if tag in LANDMARKS:
            self.landmarks.append(tag)
        if tag in ("title", "a", "h1", "h2", "h3", "h4"):
            self._open.append((tag, attributes))
            self._text = []

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if not self._open or self._open[-1][0] != tag:
            return
        _tag, attributes = self._open.pop()
        text = " ".join("".join(self._text).split())
        if tag == "title":
            self.title = text
        elif tag == "a":
            self.links.append((attributes, text))
        else:
            self.headings.append((int(tag[1]), text))


def outline(html: str) -> Outline:
    parsed = Outline()
    parsed.feed(html)
    return parsed


def assert_accessible(html: str, language: str) -> Outline:
    page = outline(html)
    assert page.doctype.lower() == "doctype html"
    assert page.lang == language
    assert page.title
    assert [level for level, _ in page.headings].count(1) == 1
    assert page.headings[0] == (1, page.title)  # the page says what the tab says
    levels = [level for level, _ in page.headings]
    assert all(later - earlier <= 1 for earlier, later in itertools.pairwise(levels))
    assert all(text for _level, text in page.headings)
    assert set(LANDMARKS) <= set(page.landmarks)
    assert page.landmarks.count("main") == 1
    assert all(text for _attributes, text in page.links)  # every link says where it goes
    return page


@pytest.mark.parametrize("path", ["/privacy", "/terms"])
@pytest.mark.parametrize(
    ("query", "header", "language"),
    [
        ("", None, "sv"),
        ("?lang=en", None, "en"),
        ("", "en-GB,en;q=0.9", "en"),
        ("", "de-DE, en;q=0.5, sv;q=0.4", "en"),
        ("", "en;q=0.3, sv-SE;q=0.8", "sv"),
        ("", "fr", "sv"),
        ("?lang=sv", "en-US", "sv"),
        ("?lang=de", "en", "en"),
    ],
)
async def test_each_page_in_the_language_asked_for(
    bot: Bot, path: str, query: str, header: str | None, language: str
) -> None:
    headers = {"Accept-Language": header} if header else {}
    async with serving(bot) as client:
        response = await client.get(path + query, headers=headers)
        html = await response.text()

    assert response.status == 200
    assert response.content_type == "text/html" and response.charset == "utf-8"
    assert response.headers["Content-Language"] == language
    assert "Accept-Language" in response.headers["Vary"]
    page = assert_accessible(html, language)
    other = "en" if language == "sv" else "sv"
    switch = [a for a, _text in page.links if a.get("hreflang") == other]
    assert switch and switch[0]["href"] == f"?lang={other}" and switch[0]["lang"] == other


async def test_the_two_languages_say_different_things(bot: Bot) -> None:
    async with serving(bot) as client:
        swedish = await (await client.get("/privacy")).text()
        english = await (await client.get("/privacy?lang=en")).text()
    assert outline(swedish).title == "Personuppgifter i Samverkansboten"
    assert outline(english).title == "Personal data in Samverkansboten"


async def test_an_english_bot_defaults_to_english(bot: Bot) -> None:
    bot.settings.locale = "en"
    async with serving(bot) as client:
        response = await client.get("/terms")
    assert response.headers["Content-Language"] == "en"


async def test_an_admins_file_replaces_the_bots_own_and_needs_no_restart(
    bot: Bot, tmp_path: Path
) -> None:
    async with serving(bot, SAMVERKAN_PAGES_DIR=tmp_path) as client:
        before = await (await client.get("/privacy")).text()
        (tmp_path / "privacy.sv.html").write_text(
            '<!DOCTYPE html><html lang="sv"><title>Vår egen</title><h1>Vår egen</h1></html>',
            encoding="utf-8",
        )
        after = await (await client.get("/privacy")).text()
        english = await (await client.get("/privacy?lang=en")).text()

    assert outline(before).title == "Personuppgifter i Samverkansboten"
    assert outline(after).title == "Vår egen"
    assert outline(english).title == "Personal data in Samverkansboten"  # not replaced


async def test_a_url_in_the_settings_sends_visitors_there(bot: Bot) -> None:
    elsewhere = "https://www.example.se/personuppgifter"
    async with serving(bot, SAMVERKAN_PRIVACY_URL=elsewhere) as client:
        privacy = await client.get("/privacy?lang=en", allow_redirects=False)
        terms = await client.get("/terms", allow_redirects=False)

    assert privacy.status == 302 and privacy.headers["Location"] == elsewhere
    assert terms.status == 200


def test_accept_language_is_read_by_weight_then_order() -> None:
    assert accepted_languages("sv-SE,sv;q=0.9,en-US;q=0.8,en;q=0.7") == ["sv", "sv", "en", "en"]
    assert accepted_languages("en;q=0.2, sv;q=0.9") == ["sv", "en"]
    assert accepted_languages("en;q=0, sv;q=bad, fi") == ["fi"]
    assert accepted_languages("") == []


async def test_the_teams_package_links_to_the_pages_the_bot_serves(bot: Bot) -> None:
    manifest = json.loads(build_package(APP_ID, "https://bot.example.org")["manifest.json"])
    links = [manifest["developer"]["privacyUrl"], manifest["developer"]["termsOfUseUrl"]]
    assert all(link.startswith("https://bot.example.org/") for link in links)

    app = build_app(bot, configured_adapters(bot))  # what `samverkan serve` mounts
    async with TestClient(TestServer(app)) as client:
        for link in links:
            response = await client.get(urlparse(link).path)
            assert response.status == 200, link
            assert_accessible(await response.text(), "sv")


@pytest.mark.parametrize("path", ["/privacy", "/terms", "/privacy?lang=en", "/terms?lang=en"])
async def test_each_page_passes_axe_core_in_chromium(bot: Bot, path: str) -> None:
    """The same WCAG 2.1 A/AA check in a real browser as the cards get (tests/a11y/axe.py)."""
    from tests.a11y.axe import AxeCheck

    async with serving(bot) as client:
        html = await (await client.get(path)).text()
    await asyncio.to_thread(AxeCheck.assert_accessible, html)

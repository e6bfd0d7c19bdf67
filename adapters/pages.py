"""`GET /privacy` and `GET /terms`: the pages the Teams app package links to.

Swedish or English: `?lang=sv|en` first, then the browser's Accept-Language, then the bot's
configured language. The bot's own texts are package data (`adapters/page_templates/`); an
admin replaces any of them by putting a file of the same name (`privacy.sv.html`, …) in
SAMVERKAN_PAGES_DIR, read at each request so a change needs no restart, or sends visitors to
the organisation's own pages with SAMVERKAN_PRIVACY_URL / SAMVERKAN_TERMS_URL.
"""

from __future__ import annotations

import asyncio
import logging
from importlib.resources import files
from pathlib import Path
from typing import Literal, get_args

from aiohttp import web
from pydantic import Field, HttpUrl
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.common.i18n import DEFAULT_LANGUAGE, language_from_locale
from bot.core.engine import Bot

log = logging.getLogger("samverkan.pages")

Page = Literal["privacy", "terms"]
PageLanguage = Literal["sv", "en"]
LANGUAGES: tuple[PageLanguage, ...] = get_args(PageLanguage)
# Pages change seldom; an hour keeps them cheap without making an admin's edit wait long.
HEADERS = {
    "Cache-Control": "public, max-age=3600",
    "Vary": "Accept-Language",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
}


class PagesSettings(BaseSettings):
    """Where the privacy and terms pages come from; none set: the bot's own texts."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    pages_dir: Path | None = Field(default=None, validation_alias="SAMVERKAN_PAGES_DIR")
    privacy_url: HttpUrl | None = Field(default=None, validation_alias="SAMVERKAN_PRIVACY_URL")
    terms_url: HttpUrl | None = Field(default=None, validation_alias="SAMVERKAN_TERMS_URL")

    def elsewhere(self, page: Page) -> str | None:
        url = self.privacy_url if page == "privacy" else self.terms_url
        return str(url) if url else None


def accepted_languages(header: str) -> list[str]:
    """The primary language tags of an Accept-Language header, most wanted first."""
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and quality > 0:
            weighted.append((-quality, index, tag.split("-")[0].strip().lower()))
    return [tag for _q, _i, tag in sorted(weighted)]


def choose_language(request: web.Request, default: PageLanguage) -> PageLanguage:
    asked = request.query.get("lang", "").lower()
    for candidate in [asked, *accepted_languages(request.headers.get("Accept-Language", ""))]:
        for language in LANGUAGES:
            if candidate == language:
                return language
    return default


class Pages:
    """A small web adapter: the privacy and terms pages, no platform involved."""

    name = "pages"

    def __init__(self, bot: Bot, settings: PagesSettings | None = None) -> None:
        self.bot = bot
        self.settings = settings or PagesSettings()
        configured = language_from_locale(bot.settings.locale) or DEFAULT_LANGUAGE
        self.default: PageLanguage = "en" if configured == "en" else "sv"

    def mount(self, app: web.Application) -> None:
        folder = self.settings.pages_dir
        if folder is not None and not folder.is_dir():
            log.warning("SAMVERKAN_PAGES_DIR=%s is not a directory: the bot's own pages", folder)
        app.router.add_get("/privacy", self.privacy)
        app.router.add_get("/terms", self.terms)

    async def privacy(self, request: web.Request) -> web.StreamResponse:
        return await self.serve(request, "privacy")

    async def terms(self, request: web.Request) -> web.StreamResponse:
        return await self.serve(request, "terms")

    async def serve(self, request: web.Request, page: Page) -> web.StreamResponse:
        elsewhere = self.settings.elsewhere(page)
        if elsewhere:
            raise web.HTTPFound(elsewhere)
        language = choose_language(request, self.default)
        body = await asyncio.to_thread(self.read, page, language)
        return web.Response(
            body=body,
            content_type="text/html",
            charset="utf-8",
            headers={**HEADERS, "Content-Language": language},
        )

    def read(self, page: Page, language: PageLanguage) -> bytes:
        """The admin's file if there is one, else the bot's own text."""
        name = f"{page}.{language}.html"
        if self.settings.pages_dir is not None:
            replaced = self.settings.pages_dir / name
            if replaced.is_file():
                return replaced.read_bytes()
        return (files("adapters") / "page_templates" / name).read_bytes()

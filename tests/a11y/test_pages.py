"""The page check (`axe_page`) fails on a faulty page and passes a sound one, for a string or a
URL on 127.0.0.1. The pages the bot serves today, Slack's install flow, are checked with it in
tests/slack/test_install_pages.py."""

from __future__ import annotations

import pytest
from aiohttp import web

from tests.a11y.axe import AxeCheck
from tests.teams.fakes import ThreadedServer

FAULTY = """<!doctype html>
<html><head><meta charset="utf-8"></head>
<body><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text"></body></html>"""
SOUND = """<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>Integritet</title></head>
<body><main><h1>Integritet</h1>
<p>Boten sparar bara uppgifter i tjänsten.</p>
<label for="q">Sök</label> <input id="q" type="text">
</main></body></html>"""


def test_a_faulty_page_fails_and_a_sound_one_passes(axe_page: AxeCheck) -> None:
    rules = sorted(v["rule"] for v in axe_page.violations(FAULTY))
    assert rules == ["document-title", "html-has-lang", "image-alt", "label"]
    with pytest.raises(AssertionError, match="html-has-lang"):
        axe_page.assert_accessible(FAULTY)
    axe_page.assert_accessible(SOUND)


def test_a_page_served_on_this_machine_is_loaded_by_its_url(axe_page: AxeCheck) -> None:
    async def serve(request: web.Request) -> web.Response:
        return web.Response(
            text=FAULTY if request.path == "/fel" else SOUND, content_type="text/html"
        )

    app = web.Application()
    app.router.add_get("/{name}", serve)
    with ThreadedServer(app) as server:
        axe_page.assert_accessible(f"{server.url}/integritet")
        assert "image-alt" in {v["rule"] for v in axe_page.violations(f"{server.url}/fel")}


def test_only_pages_on_this_machine_are_loaded(axe_page: AxeCheck) -> None:
    with pytest.raises(ValueError, match=r"example\.org"):
        axe_page.violations("https://example.org/")

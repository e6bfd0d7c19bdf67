"""The real Teams adapter (CloudAdapter, handler, messenger) on the real core and database,
talking to a fake Bot Framework connector on 127.0.0.1.

Test-only commands on the test's own registry exercise what the core does not offer yet (a
public answer, a card that refreshes itself, a form that refuses bad input).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from adapters.teams import TeamsAdapter
from adapters.teams.settings import TeamsSettings
from app.server import build_app
from bot.common.clock import FixedClock
from bot.common.config import Settings
from bot.core.context import Context, FieldErrors
from bot.core.engine import Bot
from bot.core.registry import Access, ButtonRoute, Command, Param, Registry
from bot.core.reply import Button, ButtonStyle, Form, FormField, Reply, Visibility
from bot.features import default_catalog
from storage.db import Database
from tests.a11y.collect import record_card
from tests.teams.fakes import FakeConnector, card_errors, iter_cards, sample

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
MEGAN = "29:1XJKJMvc5GBtc2JwZq0oj8tHZmzrQgFmB39ATiQWA85gQtHieVkKilBZ9XHoq9j7Zaqt7CZ-NJWi7me2kHTL3Bw"
MEGAN_AAD = "7faf8ab2-3d56-4244-b585-20c8a42ed2b8"
ADELE = "29:1ZbW9nkJvqX8k4lq0YxWmGqJ2vHUa8uUq8ZyqPk3nTfY7Z0HtM1tXcY-Lq2wzz9Pq0YzQmKpT3s1aWbUq9Vf8Xw"
ADELE_AAD = "d2b6a3a8-4f3c-4a1c-9a2e-0f6f9c3d7e21"
CHANNEL = "19:d9d3c3a0b1e84f0c9f3a1b2c3d4e5f60@thread.tacv2"
TEAM = "19:0a1b2c3d4e5f60718293a4b5c6d7e8f9@thread.tacv2"


async def _greet(context: Context, args: dict[str, str]) -> Reply:
    return Reply(heading=context.t("help.heading"), text=args.get("text", ""))


async def _counter(context: Context, args: dict[str, str]) -> Reply:
    return _count_card(0)


def _count_card(count: int) -> Reply:
    return Reply(
        text=f"Räknare: {count}",
        buttons=[
            Button("Öka", "test.count", {"count": count}, ButtonStyle.PRIMARY, "Öka räknaren")
        ],
        replace_original=True,
    )


async def _count(context: Context, payload: dict[str, object]) -> Reply:
    return _count_card(int(str(payload["count"])) + 1)


MEETING_FORM = Form(
    title="Nytt möte",
    submit_label="Spara",
    route="test.form",
    fields=[
        FormField(
            "title", "Rubrik", hint="Till exempel Trygghetsvandring", error="Skriv en rubrik."
        ),
        FormField("when", "När", kind="datetime"),
        FormField("place", "Plats", kind="choice", options=[("broby", "Broby")], hint="Välj plats"),
        FormField(
            "parties",
            "Parter",
            kind="multichoice",
            options=[("kommun", "Kommunen"), ("polis", "Polisen")],
            initial="kommun,polis",
        ),
    ],
    payload={"forum": "bra", "series": 3},
)


async def _form(context: Context, args: dict[str, str]) -> Reply:
    return Reply(form=MEETING_FORM)


async def _submit(context: Context, payload: dict[str, object]) -> Reply:
    if not str(payload.get("title") or "").strip():
        raise FieldErrors({"title": "Skriv en rubrik."})
    context.audit("test.form", "meeting", 1, after={k: str(v) for k, v in payload.items()})
    return Reply(text=f"Sparat: {payload['title']} {payload['when']}")


async def _secret(context: Context, payload: dict[str, object]) -> Reply:
    return Reply(text="Hemligt: kontaktperson i avhopp", visibility=Visibility.ONLY_TO_YOU)


async def _shared_card(context: Context, args: dict[str, str]) -> Reply:
    return Reply(text="Utkast U7", per_viewer=Button("", "test.view", {"draft": 7}))


async def _view(context: Context, payload: dict[str, object]) -> Reply:
    person = context.require_person()
    buttons = (
        [Button("Godkänn", "test.approve", dict(payload), accessible_label="Godkänn utkast U7")]
        if person.has_role("signer")
        else []
    )
    return Reply(text=f"Utkast U7 – {person.name}", buttons=buttons, replace_original=True)


def teams_registry() -> Registry:
    registry = default_catalog().registry
    registry.add(
        Command(
            "test_greet",
            ("hälsa",),
            ("greet",),
            _greet,
            params=(Param("text", required=False, greedy=True),),
            access=Access.ANYONE,
        )
    )
    registry.add(Command("test_counter", ("räkna",), ("count",), _counter, access=Access.ANYONE))
    registry.add(Command("test_form", ("testformulär",), ("testform",), _form))
    registry.add_route(ButtonRoute("test.count", _count, access=Access.ANYONE))
    registry.add_route(ButtonRoute("test.form", _submit))
    registry.add_route(ButtonRoute("test.secret", _secret, access=Access.ANYONE))
    registry.add(Command("test_shared", ("testkort",), ("testcard",), _shared_card))
    registry.add_route(ButtonRoute("test.view", _view))
    return registry


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    fake = FakeConnector()
    fake.members[MEGAN] = {
        "id": MEGAN,
        "name": "Megan Bowen",
        "aadObjectId": MEGAN_AAD,
        "email": "anna.lindqvist@example.org",
        "userPrincipalName": "anna.lindqvist@example.org",
    }
    fake.members[ADELE] = {
        "id": ADELE,
        "name": "Adele Vance",
        "aadObjectId": ADELE_AAD,
        "email": "erik.holm@example.org",
        "userPrincipalName": "erik.holm@example.org",
    }
    server = TestServer(fake.app(), host="127.0.0.1")
    await server.start_server()
    fake.url = str(server.make_url("/"))
    yield fake
    await server.close()
    assert fake.invalid_cards == [], "the bot sent cards that break the Adaptive Card schema"


@pytest.fixture
def teams_bot(seeded: Database, settings: Settings, clock: FixedClock) -> Bot:
    return Bot(seeded, settings, clock, registry=teams_registry())


def teams_settings(**values: Any) -> TeamsSettings:
    values.setdefault("TEAMS_ALLOWED_TENANTS", TENANT)
    return TeamsSettings(_env_file=None, **values)


@dataclass
class Teams:
    """The running adapter, its HTTP client, and the fake connector's record."""

    bot: Bot
    adapter: TeamsAdapter
    client: TestClient[Any, Any]
    connector: FakeConnector

    def activity(self, name: str, **changes: Any) -> dict[str, Any]:
        return sample(name, self.connector.url, **changes)

    def message(self, text: str, name: str = "channel_mention_message", **changes: Any) -> Any:
        activity = self.activity(name, **changes)
        if name == "channel_mention_message":
            activity["text"] = f"<at>ApprovalBot</at> {text}"
        else:
            activity["text"] = text
        return activity

    async def post(self, activity: dict[str, Any], **headers: str) -> tuple[int, Any]:
        response = await self.client.post("/api/messages", json=activity, headers=headers)
        body = await response.json() if response.content_type == "application/json" else None
        for card in iter_cards(body):  # invoke responses obey the card schema too
            assert card_errors(card) == [], card_errors(card)
            record_card(card, "invoke response")  # and the accessibility checks (tests/a11y)
        return response.status, body


async def start_teams(bot: Bot, connector: FakeConnector, settings: TeamsSettings) -> Teams:
    adapter = TeamsAdapter(bot, settings, credentials_factory=None)
    adapter.messenger.backoff = 0
    client: TestClient[Any, Any] = TestClient(TestServer(build_app(bot, [adapter])))
    await client.start_server()
    return Teams(bot, adapter, client, connector)


@pytest.fixture
async def teams(teams_bot: Bot, connector: FakeConnector) -> AsyncIterator[Teams]:
    harness = await start_teams(teams_bot, connector, teams_settings(TEAMS_LOCAL_MODE=True))
    yield harness
    await harness.client.close()

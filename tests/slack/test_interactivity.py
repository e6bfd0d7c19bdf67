"""Buttons, modals and field errors through the real Bolt app, with a small test registry.

The modal plumbing is tested with test-only commands registered on a test Registry, so it
does not depend on which core commands exist yet.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.common.clock import FixedClock
from bot.common.config import Settings
from bot.core.context import Context, FieldErrors
from bot.core.engine import Bot
from bot.core.registry import Access, ButtonRoute, Command, Registry
from bot.core.reply import Button, Form, FormField, Reply, Visibility
from bot.features import default_catalog
from storage.db import Database
from storage.models import AuditEvent
from tests.slack.conftest import ANNA, CHANNEL, ERIK, SlackDriver, sample, slack_driver
from tests.slack.fake_slack import FakeSlack


async def _button(context: Context, args: dict[str, str]) -> Reply:
    return Reply(
        text="Välj",
        buttons=[Button("Tryck <här>", "test.press", {"n": 7})],
        visibility=Visibility.ONLY_TO_YOU,
    )


async def _press(context: Context, payload: dict[str, object]) -> Reply:
    context.audit("test.press", "test", payload["n"])
    person = context.require_person()
    return Reply(
        text=f"Tryckt {payload['n']} av {person.name}",
        replace_original=True,
        visibility=Visibility.ONLY_TO_YOU,
    )


async def _form(context: Context, args: dict[str, str]) -> Reply:
    return Reply(
        form=Form(
            title="Lägg till en person i samverkan",
            submit_label="Spara",
            route="test.add",
            fields=[
                FormField("name", "Namn", hint="För- och efternamn"),
                FormField("email", "E-post", hint="Adressen i tjänsten"),
                FormField(
                    "org",
                    "Organisation",
                    kind="choice",
                    options=[("kommun", "Kommunen")],
                    hint="Välj organisation",
                ),
                FormField("note", "Anteckning", kind="multiline", required=False, hint="Valfritt"),
            ],
        ),
        visibility=Visibility.ONLY_TO_YOU,
    )


async def _add(context: Context, payload: dict[str, object]) -> Reply:
    context.audit("test.add", "person", str(payload.get("name")))  # written before validation
    if "@" not in str(payload.get("email") or ""):
        raise FieldErrors({"email": "Skriv en e-postadress, till exempel namn@kommun.se."})
    return Reply(text=f"Sparade {payload['name']}", visibility=Visibility.ONLY_TO_YOU)


def make_registry() -> Registry:
    registry = default_catalog().registry
    registry.add(Command("test_button", ("knapp",), ("button",), _button))
    registry.add(Command("test_form", ("formulär",), ("form",), _form, access=Access.ADMIN))
    registry.add_route(ButtonRoute("test.press", _press))
    registry.add_route(ButtonRoute("test.add", _add, access=Access.ADMIN))
    return registry


@pytest.fixture
async def driver(
    seeded: Database, settings: Settings, clock: FixedClock, fake_slack: FakeSlack
) -> AsyncIterator[SlackDriver]:
    bot = Bot(seeded, settings, clock, registry=make_registry())
    async with slack_driver(bot, fake_slack) as slack:
        yield slack


async def audits(driver: SlackDriver, action: str) -> int:
    async with driver.adapter.bot.database.sessions() as session:
        query = select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
        return int(await session.scalar(query) or 0)


def block_actions(driver: SlackDriver, element: dict[str, Any], trigger: str) -> dict[str, Any]:
    payload = dict(sample("block_actions.payload.json"))
    payload.update(
        user={**payload["user"], "id": ANNA},
        response_url=driver.fake.response_url("button"),
        trigger_id=trigger,
        actions=[
            {
                "action_id": element["action_id"],
                "block_id": "b1",
                "text": element["text"],
                "value": element["value"],
                "type": "button",
                "action_ts": "1764147700.000100",
            }
        ],
    )
    return payload


async def test_a_button_click_runs_the_core_action_and_replaces_the_message(
    driver: SlackDriver,
) -> None:
    await driver.command("knapp")
    [shown] = driver.fake.responses
    element = shown["blocks"][-1]["elements"][0]
    assert element["text"]["text"] == "Tryck <här>"  # plain text: shown as typed, never parsed
    trigger = driver.trigger_id()
    response = await driver.interact(block_actions(driver, element, trigger))
    assert response.status == 200
    answer = driver.fake.responses[-1]
    assert answer["_url"] == "button"
    assert answer["replace_original"] is True
    assert answer["text"] == "Tryckt 7 av Anna Lindqvist"
    # Slack delivers the same interaction again: nothing happens twice.
    await driver.interact(block_actions(driver, element, trigger))
    assert len(driver.fake.responses) == 2
    assert await audits(driver, "test.press") == 1


async def _open_form(driver: SlackDriver) -> dict[str, Any]:
    await driver.command("formulär")
    [opened] = driver.fake.called("views.open")
    assert opened.args["trigger_id"].startswith("77123")
    view: dict[str, Any] = opened.args["view"]
    return view


def submission(view: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    payload = dict(sample("view_submission.payload.json"))
    state = {
        "name": {"value": {"type": "plain_text_input", "value": values["name"]}},
        "email": {"value": {"type": "plain_text_input", "value": values["email"]}},
        "org": {"value": {"type": "static_select", "selected_option": {"value": values["org"]}}},
        "note": {"value": {"type": "plain_text_input", "value": None}},
    }
    payload.update(
        user={**payload["user"], "id": ANNA},
        trigger_id=f"7712400{len(values['email'])}.1.aa",
        view={**payload["view"], **view, "state": {"values": state}},
    )
    return payload


async def test_a_form_opens_as_a_modal_and_an_error_is_shown_on_its_field(
    driver: SlackDriver,
) -> None:
    view = await _open_form(driver)
    assert view["callback_id"] == "sv_form"
    assert [b["block_id"] for b in view["blocks"]] == ["name", "email", "org", "note"]
    assert view["title"]["text"].endswith("…") and len(view["title"]["text"]) == 24
    response = await driver.interact(
        submission(view, {"name": "Lisa Ek", "email": "lisa", "org": "kommun"})
    )
    assert response.status == 200
    assert await response.json() == {
        "response_action": "errors",
        "errors": {"email": "Skriv en e-postadress, till exempel namn@kommun.se."},
    }
    assert await audits(driver, "test.add") == 0  # nothing saved
    assert driver.fake.called("chat.postEphemeral") == []


async def test_a_valid_form_closes_the_modal_and_the_answer_is_posted(
    driver: SlackDriver,
) -> None:
    view = await _open_form(driver)
    values = {"name": "Lisa <!here> Ek", "email": "lisa@example.org", "org": "kommun"}
    response = await driver.interact(submission(view, values))
    assert response.status == 200
    assert await response.text() == ""  # an empty acknowledgement closes the modal
    await driver.adapter.settle()
    assert await audits(driver, "test.add") == 1
    [posted] = driver.fake.called("chat.postEphemeral")
    assert posted.args["channel"] == CHANNEL and posted.args["user"] == ANNA
    assert posted.args["text"] == "Sparade Lisa &lt;!here&gt; Ek"


async def test_a_form_for_admins_is_refused_to_others(driver: SlackDriver) -> None:
    await driver.command("formulär", user=ERIK)
    assert driver.fake.called("views.open") == []
    [refusal] = driver.fake.responses
    assert refusal["text"] == "Only administrators may use this command."


async def test_mentions_and_broadcasts_in_user_text_arrive_escaped(driver: SlackDriver) -> None:
    await driver.command("<!channel> <@U0999ZZZZZZ> <https://evil.example|kontakter>")
    [answer] = driver.fake.responses
    everything = json.dumps(answer, ensure_ascii=False)
    for forbidden in ("<!channel>", "<@U0999ZZZZZZ>", "<https://evil"):
        assert forbidden not in everything
    assert "&lt;!channel&gt;" in answer["text"]


async def test_a_button_on_the_home_tab_is_answered_in_the_dm(driver: SlackDriver) -> None:
    await driver.command("knapp")
    element = driver.fake.responses[0]["blocks"][-1]["elements"][0]
    payload = block_actions(driver, element, driver.trigger_id())
    for key in ("channel", "message", "response_url"):
        payload.pop(key)
    payload["container"] = {"type": "view", "view_id": "V0HOME00001"}
    await driver.interact(payload)
    [opened] = driver.fake.called("conversations.open")
    assert opened.args["users"] == ANNA
    [posted] = driver.fake.called("chat.postMessage")
    assert posted.args["channel"] == "D" + ANNA[1:]
    assert posted.args["text"] == "Tryckt 7 av Anna Lindqvist"

"""Hostile input through the real Slack adapter: signed, but not what Slack would send.

Each body is correctly signed (the sender holds the secret, or the body was altered upstream
of the check), so only the body itself can be refused: with a 4xx, or with a clear refusal
in the user's language, and never with an effect, a 500 or a traceback in the log.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from adapters.slack.translate import FormMetadata
from bot.core.engine import Bot
from storage.models import Approval, Draft, DraftVersion
from tests.slack.conftest import ANNA, CHANNEL, SlackDriver, sample, slack_driver
from tests.slack.fake_slack import TEAM, FakeSlack
from tests.slack.messages import blocks_of, buttons
from tests.slack.test_drafts import JOINT, KARIN, _user, bind_joint_channel, click, count, submit

STALE = "Den knappen går inte längre att använda"


@pytest.fixture
async def slack(bot: Bot, fake_slack: FakeSlack) -> AsyncIterator[SlackDriver]:
    fake_slack.users[KARIN] = _user(KARIN, "Karin Öberg", "karin.oberg@example.org")
    async with slack_driver(bot, fake_slack) as driver:
        yield driver


@pytest.fixture
def errors_logged(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """Records at WARNING or above, and any record with a traceback, from this test."""
    caplog.set_level(logging.INFO)
    return caplog.records


def bad(records: list[logging.LogRecord]) -> list[str]:
    return [r.getMessage() for r in records if r.levelno >= logging.ERROR or r.exc_info]


async def _card(slack: SlackDriver) -> dict[str, dict[str, Any]]:
    """A draft's card in the joint channel; its buttons by label."""
    await bind_joint_channel(slack)
    await slack.command("utkast Trygghetsvandring i Broby torsdag", user=ANNA, channel=CHANNEL)
    [posted] = slack.fake.called("chat.postMessage")
    return buttons(blocks_of(posted.args))


def _event_body(event: object) -> bytes:
    body = dict(sample("event_callback_app_mention.json"))
    body.update(event=event, event_id="Ev0HOSTILE001")
    return json.dumps(body).encode()


@pytest.mark.parametrize("depth", [40, 5000])
async def test_deeply_nested_json_is_refused_with_400(slack: SlackDriver, depth: int) -> None:
    nested = "[" * depth + "]" * depth
    raw = _event_body({"type": "app_mention"}).replace(b'"app_mention"', nested.encode(), 1)
    response = await slack.post(raw, "application/json")
    assert response.status == 400
    payload = urlencode({"payload": '{"type": "block_actions", "x": ' + nested + "}"}).encode()
    response = await slack.post(payload, "application/x-www-form-urlencoded")
    assert response.status == 400


@pytest.mark.parametrize(
    "event", ["a string", 42, None, ["app_mention"], {"type": ["app_mention"]}, {"no": "type"}]
)
async def test_an_event_that_is_no_event_object_is_refused_with_400(
    slack: SlackDriver, event: object, errors_logged: list[logging.LogRecord]
) -> None:
    response = await slack.post(_event_body(event), "application/json")
    assert response.status == 400
    assert slack.fake.calls == []
    assert bad(errors_logged) == []


@pytest.mark.parametrize(
    "body",
    [
        {"type": "event_callback", "event": {"type": "app_mention"}, "authorizations": "x"},
        {"type": "event_callback", "event": {"type": "app_mention"}, "team": 5},
        {"type": "block_actions", "user": "U1", "trigger_id": "t"},
        {"type": "view_submission", "user": {"id": "U1"}, "trigger_id": "t", "view": []},
    ],
)
async def test_ids_and_objects_of_the_wrong_type_are_refused_with_400(
    slack: SlackDriver, body: dict[str, Any]
) -> None:
    if body["type"] == "event_callback":
        raw = json.dumps(body).encode()
        response = await slack.post(raw, "application/json")
    else:
        form = urlencode({"payload": json.dumps(body)}).encode()
        response = await slack.post(form, "application/x-www-form-urlencoded")
    assert response.status == 400


async def test_an_unknown_event_type_is_acknowledged_with_200(slack: SlackDriver) -> None:
    response = await slack.event({"type": "reaction_added", "user": ANNA}, "Ev0UNKNOWN001")
    assert response.status == 200
    assert [c.method for c in slack.fake.calls if c.method != "auth.test"] == []


@pytest.mark.parametrize("value", ["[1, 2]", "null", '"abc"', "1e20", "{not json", "true"])
async def test_a_tampered_button_value_is_refused_in_the_users_language(
    slack: SlackDriver, bot: Bot, value: str, errors_logged: list[logging.LogRecord]
) -> None:
    approve = (await _card(slack))["Godkänn"]
    await slack.interact(click(slack, KARIN, {**approve, "value": value}))
    assert slack.fake.responses[-1]["text"].startswith(STALE)
    assert await count(bot, Approval) == 0
    assert bad(errors_logged) == []


@pytest.mark.parametrize(
    "payload",
    [
        {"draft": "abc", "version": 1},
        {"draft": 1e20, "version": 1},
        {"draft": [1], "version": 1},
        {"draft": None, "version": 1},
        {"draft": 1, "version": {"v": 1}},
        {"draft": 1},  # drawn for no version: never the current one by default
    ],
)
async def test_a_tampered_or_versionless_approval_is_refused_and_changes_nothing(
    slack: SlackDriver, bot: Bot, payload: dict[str, Any], errors_logged: list[logging.LogRecord]
) -> None:
    approve = (await _card(slack))["Godkänn"]
    await slack.interact(click(slack, KARIN, {**approve, "value": json.dumps(payload)}))
    assert slack.fake.responses[-1]["text"].startswith(STALE)
    assert await count(bot, Approval) == 0
    assert bad(errors_logged) == []


def _form_submission(slack: SlackDriver, metadata: str, values: dict[str, Any]) -> dict[str, Any]:
    view = {
        "callback_id": "sv_form",
        "private_metadata": metadata,
        "blocks": [
            {"block_id": "text", "element": {"type": "plain_text_input"}},
            {"block_id": "planned_at", "element": {"type": "datetimepicker"}},
        ],
    }
    return submit(slack, ANNA, view, values)


@pytest.mark.parametrize(
    "metadata", ["{not json", "[]", "null", '{"action": 5}', '{"action": ["draft.create"]}', ""]
)
async def test_malformed_private_metadata_is_refused_and_saves_nothing(
    slack: SlackDriver, bot: Bot, metadata: str, errors_logged: list[logging.LogRecord]
) -> None:
    response = await slack.interact(_form_submission(slack, metadata, {"text": "Hej"}))
    assert response.status == 200
    [direct] = slack.fake.called("chat.postMessage")  # no channel to answer in: a DM
    assert direct.args["text"].startswith(STALE)
    assert await count(bot, Draft) == 0
    assert bad(errors_logged) == []


@pytest.mark.parametrize("stamp", [10**30, 1e300, -(10**20), "soon", [1], {"t": 1}, True])
async def test_a_date_picker_value_no_calendar_holds_is_refused_next_to_the_field(
    slack: SlackDriver, bot: Bot, stamp: object, errors_logged: list[logging.LogRecord]
) -> None:
    metadata = FormMetadata("draft.create", CHANNEL).dump()
    values = {"text": "Trygghetsvandring", "planned_at": stamp}
    response = await slack.interact(_form_submission(slack, metadata, values))
    assert response.status == 200
    answer = await response.json()
    assert answer["response_action"] == "errors" and "planned_at" in answer["errors"]
    assert await count(bot, Draft) == 0
    assert bad(errors_logged) == []


async def test_a_nul_byte_is_removed_before_the_draft_is_stored(
    slack: SlackDriver, bot: Bot
) -> None:
    await slack.command("utkast Trygghets\x00vandring i Broby", user=ANNA, channel=CHANNEL)
    assert slack.fake.responses[-1]["text"].startswith("Utkast U1 är sparat")
    async with bot.database.sessions() as session:
        [text] = (await session.scalars(select(DraftVersion.text))).all()
    assert text == "Trygghetsvandring i Broby"


async def test_a_lone_surrogate_is_never_stored_nor_sent_to_slack(
    slack: SlackDriver, bot: Bot
) -> None:
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": "D0ANNA00001",
        "user": ANNA,
        "text": "utkast Broby \ud800 torsdag",
        "ts": "1764147600.000100",
        "team": TEAM,
    }
    response = await slack.event(event, "Ev0SURROGATE1")
    assert response.status == 200
    answers = [c.args["text"] for c in slack.fake.called("chat.postMessage")]
    assert any(text.startswith("Utkast U1 är sparat") for text in answers)
    sent = json.dumps([c.args for c in slack.fake.calls], ensure_ascii=True)
    assert "\\ud800" not in sent
    async with bot.database.sessions() as session:
        [text] = (await session.scalars(select(DraftVersion.text))).all()
    assert text == "Broby \ufffd torsdag"


async def test_a_replayed_refused_command_is_not_answered_again(slack: SlackDriver) -> None:
    fields = dict(sample("slash_command.fields.json"))
    fields.update(
        text="kanal gemensam",
        user_id=KARIN,  # not an admin: refused
        channel_id=JOINT,
        team_id=TEAM,
        response_url=slack.fake.response_url(),
        trigger_id=slack.trigger_id(),
    )
    form = urlencode(fields).encode()
    first = await slack.post(form, "application/x-www-form-urlencoded")
    assert "bara administratörer" in json.dumps(await first.json(), ensure_ascii=False)
    again = await slack.post(form, "application/x-www-form-urlencoded")
    await slack.adapter.settle()
    assert again.status == 200 and await again.text() == ""
    assert slack.fake.responses == []  # nothing sent later through response_url either

"""Fuzzing both endpoints with Hypothesis: signed Slack bodies and Teams activities.

Bodies start from Slack's and Teams' own samples with arbitrary values put where the real
ones sit (ids, events, button values, form state, metadata, card data), or are arbitrary JSON
altogether. Every answer is below 500, nothing escapes into aiohttp's or asyncio's error log,
and every card sent to Teams (or returned in an invoke) is valid Adaptive Card 1.5 — the
fake connector checks each one against the schema.

Outgoing URLs (`response_url`, `serviceUrl`) always point at the fakes: the bot is never made
to call anything but 127.0.0.1.
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.features import default_catalog
from tests.slack.conftest import ANNA, CHANNEL, ERIK, NOBODY, SlackDriver, sample
from tests.slack.fake_slack import TEAM
from tests.teams.conftest import ADELE, MEGAN, Teams

SLACK_BODIES = 150
TEAMS_ACTIVITIES = 150
_checks = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]

_words = st.text(st.characters(blacklist_categories=["Cs"]), max_size=20)
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    _words,
)
_json = st.recursive(
    _scalars,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_words, children, max_size=3),
    max_leaves=10,
)
_ACTIONS = sorted(default_catalog().registry.routes)


def _maybe(values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """The real kind of value most of the time, anything now and then."""
    return st.one_of(values, values, _json)


def _overrides(keys: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional=keys)


# --- Slack ------------------------------------------------------------------------------

_slack_users = _maybe(st.sampled_from([ANNA, ERIK, NOBODY, "U0UNKNOWN01"]))
_slack_text = _maybe(st.one_of(_words, st.sampled_from(["hjälp", "utkast Hej", "kanal gemensam"])))
_event = _overrides(
    {
        "type": _maybe(
            st.sampled_from(
                ["app_mention", "message", "app_home_opened", "app_uninstalled",
                 "tokens_revoked", "member_left_channel", "reaction_added"]
            )
        ),
        "user": _slack_users,
        "text": _slack_text,
        "channel": _maybe(st.sampled_from([CHANNEL, "D0ANNA00001"])),
        "channel_type": _maybe(st.just("im")),
        "subtype": _json,
        "tab": _maybe(st.sampled_from(["home", "messages"])),
        "team": _maybe(st.just(TEAM)),
        "tokens": _json,
    }
)  # fmt: skip
_envelope = _overrides(
    {
        "team_id": _maybe(st.just(TEAM)),
        "event_id": _maybe(_words),
        "authorizations": _json,
        "team": _json,
        "enterprise": _json,
        "is_ext_shared_channel": _json,
    }
)
_button_value = st.one_of(
    _words,
    _json.map(json.dumps),
    st.fixed_dictionaries({"draft": _json, "version": _json}).map(json.dumps),
)
_action = _overrides(
    {
        "action_id": _maybe(st.sampled_from(_ACTIONS).map(lambda a: f"sv|{a}|0")),
        "value": _maybe(_button_value),
        "type": _json,
    }
)
_interaction = _overrides(
    {
        "user": _maybe(st.builds(lambda i: {"id": i, "team_id": TEAM}, _slack_users)),
        "team": _json,
        "channel": _maybe(st.just({"id": CHANNEL, "name": "x"})),
        "container": _json,
        "actions": _maybe(st.lists(_action, max_size=2)),
        "trigger_id": _maybe(_words),
    }
)
_metadata = _maybe(
    st.builds(
        lambda action, payload: json.dumps({"action": action, "channel": CHANNEL, **payload}),
        st.sampled_from(_ACTIONS),
        st.dictionaries(st.just("payload"), _json, max_size=1),
    )
)
_state_element = _overrides(
    {
        "type": _maybe(
            st.sampled_from(
                ["plain_text_input", "datetimepicker", "static_select", "checkboxes",
                 "multi_users_select", "users_select"]
            )
        ),
        "value": _json,
        "selected_date_time": _json,
        "selected_option": _json,
        "selected_options": _json,
        "selected_users": _json,
        "selected_user": _json,
    }
)  # fmt: skip
_view = _overrides(
    {
        "private_metadata": _metadata,
        "state": _maybe(
            st.builds(
                lambda values: {"values": values},
                st.dictionaries(_words, st.dictionaries(_words, _state_element, max_size=1)),
            )
        ),
        "callback_id": _maybe(st.just("sv_form")),
    }
)


def _slack_body(kind: str, override: dict[str, Any], inner: dict[str, Any]) -> tuple[bytes, str]:
    if kind == "event":
        body = {**sample("event_callback_app_mention.json"), **override}
        if isinstance(body.get("event"), dict):
            body["event"] = {**body["event"], **inner}
        return json.dumps(body).encode(), "application/json"
    if kind in ("action", "view"):
        name = "block_actions.payload.json" if kind == "action" else "view_submission.payload.json"
        payload = {**sample(name), **override}
        if kind == "view" and isinstance(payload.get("view"), dict):
            payload["view"] = {**payload["view"], **inner}
        payload.pop("response_url", None)  # never a URL of the fuzzer's choosing
        return urlencode(
            {"payload": json.dumps(payload)}
        ).encode(), "application/x-www-form-urlencoded"
    return json.dumps(override).encode(), "application/json"


@pytest.fixture
def escaped(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """Records of exceptions that got away: aiohttp's 500s, asyncio's lost task errors."""
    caplog.set_level(logging.ERROR)
    return caplog.records


def _got_away(records: list[logging.LogRecord]) -> list[str]:
    return [r.getMessage() for r in records if r.name in ("aiohttp.server", "asyncio")]


@settings(max_examples=SLACK_BODIES, deadline=None, suppress_health_check=_checks)
@given(
    kind=st.sampled_from(["event", "action", "view", "command", "anything"]),
    event_override=_envelope,
    event=_event,
    interaction=_interaction,
    view=_view,
    text=_slack_text,
    user=_slack_users,
    anything=_json,
)
async def test_arbitrary_signed_slack_bodies_never_give_a_500(
    slack: SlackDriver,
    escaped: list[logging.LogRecord],
    kind: str,
    event_override: dict[str, Any],
    event: dict[str, Any],
    interaction: dict[str, Any],
    view: dict[str, Any],
    text: Any,
    user: Any,
    anything: Any,
) -> None:
    if kind == "command":
        fields = {
            **sample("slash_command.fields.json"),
            "text": text,
            "user_id": user,
            "response_url": slack.fake.response_url(),
            "trigger_id": slack.trigger_id(),
        }
        raw, content_type = urlencode(fields).encode(), "application/x-www-form-urlencoded"
    elif kind == "event":
        raw, content_type = _slack_body(kind, event_override, event)
    elif kind == "anything":
        raw, content_type = _slack_body(kind, anything if isinstance(anything, dict) else {}, {})
    else:
        raw, content_type = _slack_body(kind, interaction, view)
    response = await slack.post(raw, content_type)
    await slack.adapter.settle()
    assert response.status < 500, raw[:300]
    assert _got_away(escaped) == []


# --- Teams ------------------------------------------------------------------------------

EXECUTE = "adaptiveCard/action"
_TEAMS_SAMPLES = [
    "personal_message",
    "channel_mention_message",
    "action_execute_invoke",
    "action_submit_message",
    "conversation_update_bot_installed_team",
]
_execute_value = st.builds(
    lambda verb, data, trigger: {
        "action": {"type": "Action.Execute", "verb": verb, "data": data},
        "trigger": trigger,
    },
    _maybe(st.sampled_from(_ACTIONS)),
    _maybe(st.fixed_dictionaries({"draft": _json, "version": _json, "_form": _json})),
    _maybe(st.sampled_from(["manual", "automatic"])),
)
_activity = _overrides(
    {
        "type": _maybe(st.sampled_from(["message", "invoke", "conversationUpdate", "typing"])),
        "name": _maybe(st.just(EXECUTE)),
        "id": _maybe(_words),
        "text": _maybe(
            st.one_of(_words, st.sampled_from(["hjälp", "utkast Hej", "<at>ApprovalBot</at> x"]))
        ),
        "value": _maybe(_execute_value),
        "from": _maybe(st.builds(lambda i: {"id": i}, st.sampled_from([MEGAN, ADELE, "29:x"]))),
        "conversation": _json,
        "recipient": _json,
        "entities": _json,
        "channelData": _json,
        "locale": _maybe(st.sampled_from(["sv-SE", "en-US"])),
        "replyToId": _json,
        "membersAdded": _json,
        "attachments": _json,
    }
)


@settings(max_examples=TEAMS_ACTIVITIES, deadline=None, suppress_health_check=_checks)
@given(name=st.sampled_from(_TEAMS_SAMPLES), override=_activity)
async def test_arbitrary_teams_activities_never_give_a_500(
    teams: Teams, escaped: list[logging.LogRecord], name: str, override: dict[str, Any]
) -> None:
    activity = {**teams.activity(name), **override}
    activity["serviceUrl"] = teams.connector.url  # never a URL of the fuzzer's choosing
    status, _body = await teams.post(activity)  # checks any card in an invoke response
    # An invoke the bot does not implement gets botbuilder's 501, as the protocol asks.
    unimplemented = activity.get("type") == "invoke" and activity.get("name") != EXECUTE
    assert status < 500 or (status == 501 and unimplemented), json.dumps(activity)[:300]
    assert _got_away(escaped) == []

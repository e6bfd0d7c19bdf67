"""Slack payloads → the core's neutral `Request`.

Slack escapes `&`, `<` and `>` in what users type; the core gets the text as typed, except
that Slack's own mention syntax (`<@U123>`) stays as it is, because `koppla`/`link` reads it.
The bot's own mention is removed so `@Samverkansboten kontakter brå` reads `kontakter brå`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.common.untrusted import UNREADABLE_ACTION, button_payload
from bot.core.request import ButtonPress, ChannelRef, PlatformUser, Request

PLATFORM = "slack"
# Every button and form of ours carries this prefix, so Bolt routes them to one listener.
ACTION_PREFIX = "sv|"
FORM_CALLBACK_ID = "sv_form"
# A text longer than one Slack input holds is offered in parts: `text`, `text__part2`, …
PART_SUFFIX = "__part"
# A mention or DM carries no trigger to open a modal with, so a form is offered as a button
# that runs the same text again, this time with the button's trigger.
RERUN_ACTION = "slack.rerun"


@dataclass(frozen=True)
class SlackUser:
    """What users.info told us about a person; `email` only when it may be used for linking."""

    user_id: str
    team_id: str
    email: str | None = None
    locale: str | None = None
    name: str | None = None


def unescape(text: str) -> str:
    """What the user typed: Slack's escaping undone (`&amp;` last, so `&amp;lt;` stays `&lt;`),
    and user mentions in the one form the core reads, `<@U123>` (not `<@U123|anna>`)."""
    text = re.sub(r"<@([UW][A-Z0-9]+)\|[^>]*>", r"<@\1>", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def strip_mention(text: str, bot_user_id: str | None) -> str:
    """Remove the bot's own `<@BOTID>` (with or without `|name`) and the spaces around it."""
    if bot_user_id:
        text = re.sub(rf"<@{re.escape(bot_user_id)}(\|[^>]*)?>", " ", text)
    return text.strip()


def is_direct_channel(channel_id: str) -> bool:
    return channel_id.startswith("D")


def platform_user(user: SlackUser) -> PlatformUser:
    return PlatformUser(
        platform=PLATFORM,
        user_id=user.user_id,
        workspace=user.team_id,
        email=user.email,
        display_name=user.name,
        locale=user.locale,
    )


def channel_ref(channel_id: str, team_id: str, name: str | None = None) -> ChannelRef:
    return ChannelRef(
        platform=PLATFORM,
        channel_id=channel_id,
        workspace=team_id,
        name=name,
        is_direct=is_direct_channel(channel_id),
    )


def command_request(body: dict[str, Any], user: SlackUser) -> Request:
    """`/samverkan kontakter brå`; the trigger id is unique per invocation: the event id."""
    return Request(
        user=platform_user(user),
        channel=channel_ref(body["channel_id"], body.get("team_id", ""), body.get("channel_name")),
        text=unescape(body.get("text", "")).strip(),
        event_id=f"command:{body['trigger_id']}",
    )


def message_request(body: dict[str, Any], user: SlackUser, bot_user_id: str | None) -> Request:
    """A mention in a channel or a direct message; Slack's event_id survives its retries."""
    event = body["event"]
    text = strip_mention(event.get("text", ""), bot_user_id)
    return Request(
        user=platform_user(user),
        channel=channel_ref(event["channel"], body.get("team_id", "")),
        text=unescape(text),
        event_id=body.get("event_id"),
    )


def thread_of(event: dict[str, Any]) -> str | None:
    """The thread a message (or a button's message) was written in; None at the top level.

    A message event carries `thread_ts` only inside a thread (the parent's own `ts`); a
    button's `container` carries it when its message sits in one.
    """
    thread = event.get("thread_ts")
    return thread if isinstance(thread, str) and thread else None


def encode_action_id(action: str, index: int) -> str:
    return f"{ACTION_PREFIX}{action}|{index}"


def decode_action_id(action_id: str) -> str:
    return action_id[len(ACTION_PREFIX) :].rsplit("|", 1)[0]


def action_request(
    body: dict[str, Any], action: dict[str, Any], user: SlackUser, channel_id: str
) -> Request:
    """A pressed button: the core action name is in action_id, its payload JSON in value.

    A value that is no JSON object (altered on the way) becomes the unreadable action, which
    the core refuses in the asker's language.
    """
    payload = button_payload(action.get("value"))
    team_id = _team_of(body) or user.team_id
    name = decode_action_id(action["action_id"])
    if payload is None:
        name, payload = UNREADABLE_ACTION, {}
    elif name == RERUN_ACTION:
        return Request(
            user=platform_user(user),
            channel=channel_ref(channel_id, team_id),
            text=str(payload.get("text", "")),
            event_id=f"action:{body['trigger_id']}",
        )
    return Request(
        user=platform_user(user),
        channel=channel_ref(channel_id, team_id),
        press=ButtonPress(name, payload),
        event_id=f"action:{body['trigger_id']}",
    )


# The core's route that opens the draft form (bot.drafts.names.NEW_FORM_ROUTE), with the
# text it starts from; a shortcut asks it as a button would.
DRAFT_FORM_ROUTE = "draft.new"


def shortcut_request(body: dict[str, Any], user: SlackUser) -> Request:
    """A message shortcut (the message's text and channel) or a global one (neither)."""
    message = body.get("message")
    text = message.get("text") if isinstance(message, dict) else None
    channel = body.get("channel")
    channel_id = channel.get("id") if isinstance(channel, dict) else None
    payload = {"text": unescape(text)} if isinstance(text, str) and text else {}
    return Request(
        user=platform_user(user),
        channel=channel_ref(str(channel_id or ""), _team_of(body) or user.team_id),
        press=ButtonPress(DRAFT_FORM_ROUTE, payload),
        event_id=f"shortcut:{body['trigger_id']}",
    )


def _team_of(body: dict[str, Any]) -> str | None:
    team = body.get("team")
    found = team.get("id") if isinstance(team, dict) else None
    return str(found) if found else None


def form_values(view: dict[str, Any]) -> dict[str, Any]:
    """Field name → submitted value from a modal's state; block ids are the field names.

    A text offered in several inputs (`text`, `text__part2`, …) comes back as one value,
    its parts joined as typed; every text is then stripped of surrounding blanks.
    """
    values: dict[str, Any] = {}
    parts: dict[str, dict[int, str]] = {}
    for block_id, elements in ((view.get("state") or {}).get("values") or {}).items():
        for element in elements.values():
            value = _element_value(element)
            base, _, number = block_id.rpartition(PART_SUFFIX)
            if base and number.isascii() and number.isdigit() and isinstance(value, str | None):
                parts.setdefault(base, {})[int(number)] = value or ""
            else:
                values[block_id] = value
    for base, more in parts.items():
        first = values.get(base)
        if isinstance(first, str | None):
            values[base] = (first or "") + "".join(more[n] for n in sorted(more))
    return {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}


def _element_value(element: dict[str, Any]) -> Any:
    """The value of one input, read without trusting its shape: what does not read as that
    kind of input is passed on as text, for the core to refuse next to the field."""
    kind = element.get("type")
    if kind == "static_select":
        return _option_value(element.get("selected_option"))
    if kind in ("multi_static_select", "checkboxes"):
        return [_option_value(o) for o in _listed(element.get("selected_options"))]
    if kind == "multi_users_select":
        return [str(user) for user in _listed(element.get("selected_users"))]  # core's `users`
    if kind == "users_select":
        user = element.get("selected_user")
        return str(user) if user else None
    if kind == "datetimepicker":
        return _moment(element.get("selected_date_time"))
    return element.get("value")


def _listed(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _option_value(option: object) -> str | None:
    value = option.get("value") if isinstance(option, dict) else None
    return str(value) if value is not None else None


def _moment(stamp: object) -> str | None:
    """A date picker's Unix time as ISO text; one no calendar holds stays as given."""
    if stamp is None or stamp == "":
        return None
    if isinstance(stamp, int | float) and not isinstance(stamp, bool):
        try:
            return datetime.fromtimestamp(stamp, UTC).isoformat()
        except (OverflowError, OSError, ValueError):
            pass
    return str(stamp)[:40]


@dataclass(frozen=True)
class FormMetadata:
    """What a modal remembers between opening and submission (Slack's private_metadata):
    the core action, the channel to answer in, and the form's own payload (which draft, which
    version), which the core gets back merged with the submitted values."""

    action: str
    channel_id: str
    payload: dict[str, Any] = field(default_factory=dict)

    def dump(self) -> str:
        data: dict[str, Any] = {"action": self.action, "channel": self.channel_id}
        if self.payload:
            data["payload"] = self.payload
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def load(cls, raw: object) -> FormMetadata:
        """What `dump` wrote; anything else is the unreadable action (refused by the core)."""
        data = button_payload(raw) if isinstance(raw, str) else None
        action = data.get("action") if data is not None else None
        if data is None or not isinstance(action, str) or not action:
            return cls(action=UNREADABLE_ACTION, channel_id="")
        channel, payload = data.get("channel"), data.get("payload")
        return cls(
            action=action,
            channel_id=channel if isinstance(channel, str) else "",
            payload=dict(payload) if isinstance(payload, dict) else {},
        )


def submission_request(body: dict[str, Any], user: SlackUser) -> Request:
    view = body["view"]
    metadata = FormMetadata.load(view.get("private_metadata", ""))
    team_id = _team_of(body) or user.team_id
    return Request(
        user=platform_user(user),
        channel=channel_ref(metadata.channel_id, team_id),
        press=ButtonPress(metadata.action, {**metadata.payload, **form_values(view)}),
        event_id=f"view:{body['trigger_id']}",
    )

"""Reading what the bot sent to the fake Slack, and clicking its buttons as Slack would."""

from __future__ import annotations

import json
from typing import Any

from tests.slack.conftest import SlackDriver, sample


def blocks_of(call_args: dict[str, Any]) -> list[dict[str, Any]]:
    """The blocks of a recorded Web API call, whether sent as JSON text or as a list."""
    blocks = call_args["blocks"]
    loaded: list[dict[str, Any]] = json.loads(blocks) if isinstance(blocks, str) else blocks
    return loaded


def buttons(blocks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Button label → element, from a message's blocks."""
    return {
        element["text"]["text"]: element
        for block in blocks
        if block["type"] == "actions"
        for element in block["elements"]
    }


def mrkdwn_texts(blocks: list[dict[str, Any]]) -> list[str]:
    """Every text Slack would parse for mentions and links."""
    texts: list[str] = []
    for block in blocks:
        if "text" in block and block["text"]["type"] == "mrkdwn":
            texts.append(block["text"]["text"])
        texts += [f["text"] for f in block.get("fields", [])]
        texts += [e["text"] for e in block.get("elements", []) if e.get("type") == "mrkdwn"]
    return texts


def button_click(
    slack: SlackDriver,
    user: str,
    element: dict[str, Any],
    *,
    channel: str,
    channel_name: str,
    ts: str = "",
    trigger: str | None = None,
    ephemeral: bool = False,
) -> dict[str, Any]:
    """A block_actions payload as Slack sends it for a button on a message in a channel."""
    payload = dict(sample("block_actions.payload.json"))
    payload.update(
        user={**payload["user"], "id": user, "username": user.lower()},
        container={
            "type": "message",
            "message_ts": ts,
            "channel_id": channel,
            "is_ephemeral": ephemeral,
        },
        channel={"id": channel, "name": channel_name},
        message={**payload["message"], "ts": ts},
        response_url=slack.fake.response_url(user.lower()),
        trigger_id=trigger or slack.trigger_id(),
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

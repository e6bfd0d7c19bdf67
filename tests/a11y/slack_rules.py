"""What a screen reader needs from a Block Kit payload, checked on its JSON.

- A message keeps its plain-text `text`: Slack reads it out and shows it in notifications.
- Every image (block or element) has `alt_text`.
- A modal's inputs have a label and a hint.
- An `accessibility_label` fits Slack's 75 characters.
The ambiguous-button rule (tests/a11y/buttons.py) needs every payload at once: `slack_buttons`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from tests.a11y.buttons import SeenButton

MAX_ACCESSIBILITY_LABEL = 75


def _objects(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for inner in value.values():
            yield from _objects(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _objects(inner)


def _text(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("text") or "").strip()
    return str(value or "").strip()


def views(payload: dict[str, Any]) -> list[dict[str, Any]]:
    view = payload.get("view")
    return [view] if isinstance(view, dict) else []


def slack_problems(payload: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    if "blocks" in payload and not _text(payload.get("text")):
        problems.append("a message with blocks but no plain-text `text` fallback")
    for item in _objects(payload):
        if item.get("type") == "image" and not _text(item.get("alt_text")):
            problems.append(f"image {str(item.get('image_url'))[:60]!r} has no alt_text")
        if item.get("type") == "button":
            spoken = _text(item.get("accessibility_label"))
            if len(spoken) > MAX_ACCESSIBILITY_LABEL:
                problems.append(f"accessibility_label over {MAX_ACCESSIBILITY_LABEL}: {spoken!r}")
    for view in views(payload):
        for block in view.get("blocks") or []:
            if block.get("type") != "input":
                continue
            name = block.get("block_id")
            if not _text(block.get("label")):
                problems.append(f"input {name!r} has no label")
            if not _text(block.get("hint")):
                problems.append(f"input {name!r} has no hint")
    return problems


def slack_buttons(payload: dict[str, Any], origin: str) -> Iterator[SeenButton]:
    for item in _objects(payload):
        if item.get("type") == "button":
            target = json.dumps([item.get("action_id"), item.get("value")], ensure_ascii=False)
            text = _text(item.get("text"))
            yield SeenButton(text, target, item.get("accessibility_label"), origin)

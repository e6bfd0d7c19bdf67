"""Block Kit's limits, checked independently of our renderer (the fake Slack uses this)."""

from __future__ import annotations

import json
from typing import Any

LIMITS = {
    "message_blocks": 50,
    "view_blocks": 100,
    "section_text": 3000,
    "header_text": 150,
    "fields": 10,
    "field_text": 2000,
    "button_text": 75,
    "action_id": 255,
    "button_value": 2000,
    "actions_elements": 25,
    "context_elements": 10,
    "modal_title": 24,
    "text_input": 3000,  # a plain_text_input's max_length, and so its initial_value
}


def _load(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def block_kit_problems(args: dict[str, Any]) -> list[str]:
    """Every limit the payload breaks (empty when Slack would accept it)."""
    problems: list[str] = []
    if "blocks" in args:
        blocks = _load(args["blocks"]) or []
        if len(blocks) > LIMITS["message_blocks"]:
            problems.append(f"{len(blocks)} blocks in a message")
        if not str(args.get("text") or "").strip():
            problems.append("no text fallback")
        problems += _blocks_problems(blocks)
    if "view" in args:
        view = _load(args["view"])
        blocks = view.get("blocks", [])
        if len(blocks) > LIMITS["view_blocks"]:
            problems.append(f"{len(blocks)} blocks in a view")
        if view.get("type") == "modal":
            for key in ("title", "submit", "close"):
                if key in view and len(view[key]["text"]) > LIMITS["modal_title"]:
                    problems.append(f"modal {key} too long")
        problems += _blocks_problems(blocks)
    if "errors" in args:
        problems += [f"error for {k} too long" for k, v in args["errors"].items() if len(v) > 2000]
    return problems


def _blocks_problems(blocks: list[dict[str, Any]]) -> list[str]:
    problems: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "header" and len(block["text"]["text"]) > LIMITS["header_text"]:
            problems.append("header too long")
        if kind == "section":
            text = block.get("text", {}).get("text", "")
            if len(text) > LIMITS["section_text"]:
                problems.append(f"section text of {len(text)} characters")
            fields = block.get("fields", [])
            if len(fields) > LIMITS["fields"]:
                problems.append(f"{len(fields)} fields in a section")
            problems += ["field too long" for f in fields if len(f["text"]) > LIMITS["field_text"]]
            if not text and not fields:
                problems.append("empty section")
        if kind == "actions":
            elements = block["elements"]
            if len(elements) > LIMITS["actions_elements"]:
                problems.append(f"{len(elements)} elements in actions")
            for element in elements:
                if len(element["text"]["text"]) > LIMITS["button_text"]:
                    problems.append("button text too long")
                if len(element["action_id"]) > LIMITS["action_id"]:
                    problems.append("action_id too long")
                if len(element.get("value", "")) > LIMITS["button_value"]:
                    problems.append("button value too long")
        if kind == "context" and len(block["elements"]) > LIMITS["context_elements"]:
            problems.append("too many context elements")
        element = block.get("element") or {}
        if kind == "input" and element.get("type") == "plain_text_input":
            limit = element.get("max_length", LIMITS["text_input"])
            if limit > LIMITS["text_input"]:
                problems.append(f"text input max_length {limit}")
            if len(element.get("initial_value", "")) > min(limit, LIMITS["text_input"]):
                problems.append("text input initial_value longer than its max_length")
    return problems

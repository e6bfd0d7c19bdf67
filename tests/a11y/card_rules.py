"""What Microsoft's validator and axe cannot see in an Adaptive Card, checked on its JSON.

- The version: 1.5 (what Teams renders), or 1.6 only for Teams' dynamic people search.
- Every input has a label; a required one an error message; one that shows a placeholder has
  one, and it differs from the label (a placeholder vanishes on typing, so it is never the label).
- Every image has alt text.
- Nothing is said by colour alone: an element given a colour says its point in words.
- Every card has a text fallback.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from tests.a11y.buttons import SeenButton

INPUTS = ("Input.Text", "Input.Number", "Input.Date", "Input.Time", "Input.Toggle")
FORM_KEY = "_form"  # a form's submit action carries its form (adapters/teams/render.py)
_WORD = re.compile(r"[^\W\d_]{2,}")


def elements(value: Any) -> Iterator[dict[str, Any]]:
    """Every object with a `type` inside a card, the card itself included."""
    if isinstance(value, dict):
        if isinstance(value.get("type"), str):
            yield value
        for inner in value.values():
            yield from elements(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from elements(inner)


def uses_people_search(card: dict[str, Any]) -> bool:
    return any(
        isinstance(e.get("choices.data"), dict) and e["choices.data"].get("type") == "Data.Query"
        for e in elements(card)
        if e["type"] == "Input.ChoiceSet"
    )


def expected_version(card: dict[str, Any]) -> str:
    return "1.6" if uses_people_search(card) else "1.5"


def _shows_placeholder(element: dict[str, Any]) -> bool:
    kind = element["type"]
    if kind == "Input.ChoiceSet":
        return element.get("style") != "expanded" and not element.get("isMultiSelect")
    return kind in ("Input.Text", "Input.Number")


def _input_problems(element: dict[str, Any]) -> list[str]:
    name = f"{element['type']} {element.get('id')!r}"
    label = str(element.get("label") or "").strip()
    problems = [] if label else [f"{name} has no label"]
    if element.get("isRequired") and not str(element.get("errorMessage") or "").strip():
        problems.append(f"{name} is required but has no error message")
    if _shows_placeholder(element):
        placeholder = str(element.get("placeholder") or "").strip()
        if not placeholder:
            problems.append(f"{name} has no placeholder")
        elif placeholder.casefold() == label.casefold():
            problems.append(f"{name}'s placeholder only repeats its label")
    return problems


def card_problems(card: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    if card.get("version") != expected_version(card):
        problems.append(f"version {card.get('version')} where {expected_version(card)} is due")
    if not str(card.get("fallbackText") or "").strip():
        problems.append("no fallbackText")
    for element in elements(card):
        kind = element["type"]
        if kind in INPUTS or kind == "Input.ChoiceSet":
            problems.extend(_input_problems(element))
        if kind == "Image" and not str(element.get("altText") or "").strip():
            problems.append(f"image {str(element.get('url'))[:60]!r} has no altText")
        colour = str(element.get("color") or "default").lower()
        if colour != "default" and not _WORD.search(str(element.get("text") or "")):
            problems.append(f"{kind} says something by colour ({colour}) without words")
    return problems


def card_buttons(card: dict[str, Any], origin: str) -> Iterator[SeenButton]:
    """The card's visible buttons (not its invisible refresh), for the ambiguity rule.

    A form's submit button is left out: a card holds at most one form, headed by its title.
    """
    shown = {key: value for key, value in card.items() if key != "refresh"}
    for action in (e for e in elements(shown) if e["type"].startswith("Action.")):
        data = action.get("data") or {}
        if FORM_KEY in data:
            continue
        target = json.dumps([action.get("verb"), data], sort_keys=True, ensure_ascii=False)
        yield SeenButton(str(action.get("title") or ""), target, action.get("tooltip"), origin)

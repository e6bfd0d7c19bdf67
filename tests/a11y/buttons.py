"""Buttons whose visible text is ambiguous out of context must say what they act on.

A screen reader user moving from button to button hears "Godkänn" on every draft card in a
channel. The rule used here: a visible text that, somewhere in what the suite produced, acts on
two different things (action and payload) is ambiguous, so every button with that text carries
an accessible label (Slack's `accessibility_label`, Teams' `tooltip`) that says more than the
text itself ("Godkänn utkast U7").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class SeenButton:
    text: str
    target: str  # what it acts on: the action and its payload, as one string
    accessible: str | None
    origin: str


def unnamed_ambiguous(buttons: Iterable[SeenButton]) -> list[str]:
    by_text: dict[str, list[SeenButton]] = defaultdict(list)
    for button in buttons:
        by_text[button.text.strip()].append(button)
    problems: list[str] = []
    for text, group in sorted(by_text.items()):
        if len({b.target for b in group}) < 2:
            continue
        for button in group:
            spoken = (button.accessible or "").strip()
            if not spoken or spoken.casefold() == text.casefold():
                problems.append(
                    f"button {text!r} acts on different things but has no accessible label "
                    f"saying which ({button.target[:80]}; from {button.origin})"
                )
    return sorted(set(problems))

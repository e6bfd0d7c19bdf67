"""Every Adaptive Card the suite produced passes Microsoft's validator, our rules, and axe.

The cards are those the fake connector received and those in invoke responses, in every test
of the suite (how they are gathered whatever the test order: tests/a11y/plugin.py). Each check
runs one Node process for all of them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.a11y.buttons import unnamed_ambiguous
from tests.a11y.card_rules import card_buttons, card_problems, expected_version
from tests.a11y.collect import Produced, SuiteOutput
from tests.a11y.node import HERE, WCAG_21_AA, chromium, run

pytestmark = pytest.mark.a11y_gate
HOST_CONFIG = HERE / "host-config.json"
# The cards to look at as a person would: (file name, a verb on the card, a word in its text).
SCREENSHOTS = (
    ("draft-card.png", "draft.approve", "Utkast"),
    ("meeting-card.png", "meeting.rsvp", "Möte"),
    ("digest.png", "digest.full", "Veckosammanfattning"),
)


def numbered(output: SuiteOutput) -> dict[str, Produced]:
    produced = {f"card-{n:04d}": p for n, p in enumerate(output.cards.values(), start=1)}
    assert produced, "no card was recorded: the fakes no longer report what they receive"
    return produced


def note(artifacts: Path, **counts: int) -> None:
    """Counts of the last run, kept beside the screenshots (test-artifacts/a11y/counts.json)."""
    path = artifacts / "counts.json"
    known = json.loads(path.read_text()) if path.exists() else {}
    path.write_text(json.dumps({**known, **counts}, indent=2, sort_keys=True))


def where(produced: Produced) -> str:
    return f"{produced.origin or '?'} ({produced.where})"


def test_every_card_passes_microsofts_adaptive_cards_validator(
    suite_output: SuiteOutput, artifacts: Path
) -> None:
    cards = numbered(suite_output)
    batch = [{"id": key, "card": p.payload} for key, p in cards.items()]
    answer = run("validate_cards.mjs", {"cards": batch})
    problems = []
    for result in answer["results"]:
        produced = cards[result["id"]]
        wanted = expected_version(produced.payload)
        if result["version"] != wanted:
            problems.append(f"{where(produced)}: validated at {result['version']}, not {wanted}")
        for event in result["parse"] + result["warnings"]:
            element = f"{event.get('element', 'card')} {event.get('elementId') or ''}".strip()
            problems.append(f"{where(produced)}: {element}: {event['message']}")
    note(artifacts, cards=len(cards))
    assert len(answer["results"]) == len(cards)
    assert problems == [], f"adaptivecards {answer['sdk']}:\n" + "\n".join(sorted(set(problems)))


def test_every_card_labels_its_inputs_and_needs_no_colour(suite_output: SuiteOutput) -> None:
    cards = numbered(suite_output)
    problems = [
        f"{where(p)}: {problem}" for p in cards.values() for problem in card_problems(p.payload)
    ]
    buttons = [b for p in cards.values() for b in card_buttons(p.payload, where(p))]
    assert problems + unnamed_ambiguous(buttons) == []


def _subject(cards: dict[str, Produced], verb: str, word: str) -> str:
    """The smallest card with that button and word: the same one in every run."""
    found = [
        (len(json.dumps(p.payload, sort_keys=True)), key)
        for key, p in cards.items()
        if verb in {a.get("verb") for a in p.payload.get("actions") or []}
        and word in str(p.payload.get("fallbackText"))
    ]
    assert found, f"no card with {verb} and {word!r}: the suite no longer sends one"
    return min(found)[1]


def _as_drawn(card: dict[str, Any]) -> dict[str, Any]:
    """The card as axe can judge it. Teams draws a people search (`choices.data`, Data.Query)
    with its own people picker; the JS SDK has no such control and draws a bare typeahead
    input without its label, whatever the card says. So a search is checked as the static
    choice set it is until the search answers; every other element as sent."""
    if "Data.Query" not in json.dumps(card):
        return card
    drawn = json.loads(json.dumps(card))
    stack: list[Any] = [drawn]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("choices.data"), dict):
                node.pop("choices.data")
                node.pop("style", None)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return drawn


def test_every_card_passes_axe_in_chromium_in_swedish(
    suite_output: SuiteOutput, artifacts: Path
) -> None:
    browser = chromium()
    cards = numbered(suite_output)
    shots = {_subject(cards, verb, word): str(artifacts / name) for name, verb, word in SCREENSHOTS}
    payload: dict[str, Any] = {
        "chromium": browser,
        "tags": list(WCAG_21_AA),
        "lang": "sv",
        "title": "Samverkansboten i Teams",
        "hostConfig": json.loads(HOST_CONFIG.read_text(encoding="utf-8")),
        "cards": [{"id": key, "card": _as_drawn(p.payload)} for key, p in cards.items()],
        "screenshots": shots,
    }
    answer = run("axe_check.mjs", payload)
    problems = []
    for result in answer["results"]:
        produced = cards[result["id"]]
        if not result["drawn"]:
            problems.append(f"{where(produced)}: the SDK drew nothing")
        for violation in result["violations"]:
            targets = ", ".join(node["target"] for node in violation["nodes"][:3])
            problems.append(
                f"{where(produced)}: {violation['rule']}: {violation['help']} ({targets})"
            )
    assert len(answer["results"]) == len(cards)
    assert problems == [], f"axe {answer['axe']} in {answer['browser']}:\n" + "\n".join(problems)
    assert all(Path(path).stat().st_size > 0 for path in shots.values())

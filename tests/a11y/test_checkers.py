"""The checks themselves can fail: each is shown a payload with the fault it looks for."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tests.a11y.buttons import SeenButton, unnamed_ambiguous
from tests.a11y.card_rules import card_problems, expected_version
from tests.a11y.node import HERE, WCAG_21_AA, chromium, run
from tests.a11y.plugin import TESTS_ROOT, whole_suite_ran
from tests.a11y.slack_rules import slack_problems

PIXEL = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAC"
    "hwGA60e6kgAAAABJRU5ErkJggg=="
)
PEOPLE_SEARCH = {
    "type": "Input.ChoiceSet",
    "id": "people",
    "label": "Närvarande",
    "isRequired": True,
    "errorMessage": "Välj minst en person.",
    "choices": [],
    "choices.data": {"type": "Data.Query", "dataset": "graph.microsoft.com/users"},
}


def card(*body: dict[str, Any], version: str = "1.5", **extra: Any) -> dict[str, Any]:
    return {"type": "AdaptiveCard", "version": version, "body": list(body), **extra}


def validate(*cards: dict[str, Any]) -> list[dict[str, Any]]:
    batch = [{"id": str(n), "card": c} for n, c in enumerate(cards)]
    results: list[dict[str, Any]] = run("validate_cards.mjs", {"cards": batch})["results"]
    return results


def messages(result: dict[str, Any]) -> list[str]:
    return [event["message"] for event in result["parse"] + result["warnings"]]


def test_the_sdk_validator_reports_an_unlabelled_required_time_input() -> None:
    [result] = validate(card({"type": "Input.Time", "id": "when__time", "isRequired": True}))
    assert messages(result) == [
        "Required inputs should have a label",
        "Required inputs should have an error message",
    ]


def test_people_search_is_checked_at_1_6_and_only_there_may_have_no_static_choices() -> None:
    at_15, at_16, static = validate(
        card(PEOPLE_SEARCH),
        card(PEOPLE_SEARCH, version="1.6"),
        card({**PEOPLE_SEARCH, "choices.data": None}, version="1.6"),
    )
    assert at_15["version"] == "1.5" and any("version 1.6" in m for m in messages(at_15))
    assert at_16["version"] == "1.6" and messages(at_16) == []
    assert messages(static) == ["An Input.ChoiceSet must have at least one choice defined."]
    assert expected_version(card(PEOPLE_SEARCH)) == "1.6"
    assert expected_version(card({"type": "TextBlock", "text": "Hej"}, version="1.6")) == "1.5"


def test_the_card_rules_find_each_fault() -> None:
    faulty = card(
        {"type": "Input.Text", "id": "a", "isRequired": True},
        {"type": "Input.Text", "id": "b", "label": "Plats", "placeholder": "Plats"},
        {"type": "Image", "url": PIXEL},
        {"type": "TextBlock", "text": "✔", "color": "Good"},
    )
    assert card_problems(faulty) == [
        "no fallbackText",
        "Input.Text 'a' has no label",
        "Input.Text 'a' is required but has no error message",
        "Input.Text 'a' has no placeholder",
        "Input.Text 'b''s placeholder only repeats its label",
        f"image {PIXEL[:60]!r} has no altText",
        "TextBlock says something by colour (good) without words",
    ]
    fixed = card(
        {
            "type": "Input.Text",
            "id": "a",
            "label": "Rubrik",
            "isRequired": True,
            "errorMessage": "x",
        }
        | {"placeholder": "Till exempel Trygghetsvandring"},
        {"type": "Image", "url": PIXEL, "altText": "Kommunens logotyp"},
        {"type": "TextBlock", "text": "Godkänt av båda parter", "color": "Good"},
        fallbackText="Utkast U7",
    )
    assert card_problems(fixed) == []


def test_a_label_ambiguous_across_things_needs_an_accessible_label() -> None:
    def seen(text: str, target: str, spoken: str | None = None) -> SeenButton:
        return SeenButton(text, target, spoken, "test")

    assert unnamed_ambiguous([seen("Godkänn", "U7"), seen("Godkänn", "U7")]) == []
    assert len(unnamed_ambiguous([seen("Godkänn", "U7"), seen("Godkänn", "U8")])) == 2
    repeated = [seen("Godkänn", "U7", "Godkänn"), seen("Godkänn", "U8", "godkänn")]
    assert len(unnamed_ambiguous(repeated)) == 2
    named = [seen("Godkänn", "U7", "Godkänn utkast U7"), seen("Godkänn", "U8", "Godkänn utkast U8")]
    assert unnamed_ambiguous(named) == []


def test_the_slack_rules_find_each_fault() -> None:
    message = {
        "text": " ",
        "blocks": [
            {"type": "image", "image_url": "https://example.org/a.png", "alt_text": ""},
            {
                "type": "actions",
                "elements": [
                    {"type": "button", "text": {"type": "plain_text", "text": "Godkänn"}}
                    | {"accessibility_label": "x" * 76}
                ],
            },
        ],
    }
    modal = {"view": {"type": "modal", "blocks": [{"type": "input", "block_id": "name"}]}}
    assert slack_problems(message) == [
        "a message with blocks but no plain-text `text` fallback",
        "image 'https://example.org/a.png' has no alt_text",
        f"accessibility_label over 75: {'x' * 76!r}",
    ]
    assert slack_problems(modal) == ["input 'name' has no label", "input 'name' has no hint"]


def test_axe_in_chromium_finds_what_a_screen_reader_would_miss_on_a_card() -> None:
    bad = card(
        {"type": "Image", "url": PIXEL},
        {"type": "Input.Time", "id": "t"},
        actions=[{"type": "Action.Execute", "title": "", "verb": "v"}],
    )
    good = card(
        {"type": "Image", "url": PIXEL, "altText": "Logotyp"},
        {"type": "Input.Time", "id": "t", "label": "När – klockslag"},
        actions=[{"type": "Action.Execute", "title": "Spara", "verb": "v"}],
    )
    answer = run(
        "axe_check.mjs",
        {
            "chromium": chromium(),
            "tags": list(WCAG_21_AA),
            "lang": "sv",
            "title": "Kort",
            "hostConfig": json.loads((HERE / "host-config.json").read_text(encoding="utf-8")),
            "cards": [{"id": "bad", "card": bad}, {"id": "good", "card": good}],
        },
    )
    found = {r["id"]: sorted(v["rule"] for v in r["violations"]) for r in answer["results"]}
    assert found == {"bad": ["button-name", "image-alt", "label"], "good": []}


@pytest.mark.parametrize(
    ("source", "args", "deselected", "whole"),
    [
        ("TESTPATHS", [], 0, True),
        ("ARGS", [str(TESTS_ROOT)], 0, True),
        ("ARGS", [str(TESTS_ROOT.parent)], 0, True),
        ("ARGS", [str(TESTS_ROOT)], 3, False),  # -k, -m, --lf: something left out
        ("ARGS", [str(TESTS_ROOT / "a11y")], 0, False),
        ("ARGS", [f"{TESTS_ROOT / 'teams' / 'test_render.py'}::test_x"], 0, False),
    ],
)
def test_the_gates_use_the_sessions_recording_only_after_the_whole_suite(
    monkeypatch: pytest.MonkeyPatch, source: str, args: list[str], deselected: int, whole: bool
) -> None:
    from tests.a11y import plugin

    monkeypatch.setattr(plugin.STATE, "deselected", deselected)
    monkeypatch.delenv(plugin.PRODUCE_ONLY, raising=False)
    config = SimpleNamespace(
        args_source=getattr(pytest.Config.ArgsSource, source),
        args=args,
        invocation_params=SimpleNamespace(dir=Path("/")),
    )
    assert whole_suite_ran(config) is whole  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("ci", "outcome"), [("", pytest.skip.Exception), ("true", pytest.fail.Exception)]
)
def test_missing_tools_skip_on_a_developer_machine_and_fail_in_ci(
    monkeypatch: pytest.MonkeyPatch, ci: str, outcome: type[BaseException]
) -> None:
    from tests.a11y import node

    monkeypatch.setenv("CI", ci)
    monkeypatch.setattr(node.shutil, "which", lambda _name: None)
    with pytest.raises(outcome, match="Chromium is not installed"):
        node.chromium()
    with pytest.raises(outcome, match=r"Node\.js is not installed"):
        node.node()

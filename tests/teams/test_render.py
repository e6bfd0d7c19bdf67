"""Adaptive Card rendering of the neutral Reply: schema-valid, escaped, split when long."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft6Validator

from adapters.teams import render as render_module
from adapters.teams.render import CARD_BUDGET, escape, form_values, render
from bot.core.reply import Button, ButtonStyle, FieldItem, Form, FormField, Reply, Section
from manifest import load_schema
from tests.teams.fakes import card_errors

EVERYTHING = Reply(
    heading="Möte M12 – Brå",
    text="Skriv `hjälp` för mer.\nAndra raden",
    fields=[FieldItem("När", "torsdag 3 december 2026 kl. 09.00"), FieldItem("Var", "Broby")],
    sections=[Section("Kommunen", ["Anna Lindqvist", "Erik Holm"]), Section(None, ["utan rubrik"])],
    buttons=[
        Button("Jag kommer", "meeting.attend", {"meeting": 12}, ButtonStyle.PRIMARY),
        Button("Dra tillbaka", "draft.withdraw", {"draft": 7}, ButtonStyle.DANGER),
    ],
    form=Form(
        "Nytt möte",
        "Spara",
        "meeting.add",
        [
            FormField("title", "Rubrik"),
            FormField("notes", "Anteckningar", kind="multiline", required=False),
            FormField(
                "forum", "Forum", kind="choice", options=[("bra", "Brå"), ("tillsyn", "Tillsyn")]
            ),
            FormField("who", "Vilka", kind="users"),
            FormField("when", "När", kind="datetime", initial="2026-12-03T09:00"),
        ],
    ),
    context="Registrerat av Anna Lindqvist",
    field_errors={"title": "Skriv en rubrik."},
)


def test_every_part_of_a_reply_renders_to_a_valid_card() -> None:
    (card,) = render(EVERYTHING)

    assert card_errors(card) == []
    assert card["version"] == "1.6"  # its form has a people field (Teams' people search)
    kinds = [a["type"] for a in card["actions"]]
    assert kinds == ["Action.Execute"] * 3
    assert [a.get("style") for a in card["actions"]] == ["positive", "destructive", "positive"]
    assert card["actions"][0]["verb"] == "meeting.attend"
    assert card["actions"][0]["data"] == {"meeting": 12}
    dates = {e["id"]: e.get("value") for e in card["body"] if "id" in e}
    assert dates["when__date"] == "2026-12-03" and dates["when__time"] == "09:00"
    assert "**hjälp**" in card["body"][1]["text"]  # the core's command names in bold
    assert card["fallbackText"].startswith("Möte M12")


def test_form_values_join_date_and_time_for_the_core() -> None:
    assert EVERYTHING.form is not None
    data = {"title": "Brå", "when__date": "2026-12-03", "when__time": "09:30", "forum": "bra"}

    assert form_values(EVERYTHING.form, data) == {
        "title": "Brå",
        "forum": "bra",
        "when": "2026-12-03T09:30",
    }


def test_a_long_reply_is_paged_into_cards_under_the_budget_with_buttons_last() -> None:
    long = Reply(
        heading="Alla kontakter",
        sections=[
            Section(f"Forum {n}", [f"Person {n}.{m} " + "x" * 90 for m in range(60)])
            for n in range(12)
        ],
        buttons=[Button("Mer", "contacts.more")],
    )

    cards = render(long)

    assert len(cards) > 1
    assert all(len(json.dumps(c, ensure_ascii=False).encode()) <= CARD_BUDGET for c in cards)
    assert all(card_errors(c) == [] for c in cards)
    assert "actions" not in cards[0] and cards[-1]["actions"][0]["verb"] == "contacts.more"
    text = json.dumps(cards, ensure_ascii=False)
    assert "Person 0.0" in text and "Person 11.59" in text


@given(st.text(max_size=300))
def test_any_user_text_renders_valid_and_is_shown_literally(text: str) -> None:
    (card,) = render(Reply(text=text, sections=[Section(text or None, [text])]))

    assert card_errors(card) == []
    escaped = escape(text)
    assert re.sub(r"\\(.)", r"\1", escaped, flags=re.DOTALL) == text  # nothing lost
    unescaped_specials = re.findall(r"(?<!\\)(?:\\\\)*[\[\]*_<>`~]", escaped)
    assert unescaped_specials == []


def test_people_fields_are_teams_people_search_on_a_1_6_card_and_others_stay_1_5() -> None:
    form = Form(
        "Ny åtgärd",
        "Spara",
        "action.create",
        [
            FormField("people", "Närvarande", kind="users"),
            FormField("owner", "Ansvarig", kind="user", hint="Sök på namn"),
        ],
    )
    [card] = render(Reply(form=form))
    people, owner = (e for e in card["body"] if e.get("id") in ("people", "owner"))
    for picker in (people, owner):
        assert picker["type"] == "Input.ChoiceSet" and picker["choices"] == []
        assert picker["choices.data"] == {"type": "Data.Query", "dataset": "samverkan.people"}
    assert people["isMultiSelect"] is True and "isMultiSelect" not in owner
    assert owner["placeholder"] == "Sök på namn"
    assert card["version"] == "1.6" and card_errors(card) == []  # the 1.6 schema
    # The same card claiming 1.5 breaks the 1.5 schema: why only picker cards say 1.6.
    assert (
        Draft6Validator(load_schema("adaptive-card-1.5.schema.json")).is_valid(
            {**card, "version": "1.5"}
        )
        is False
    )
    [plain] = render(Reply(form=Form("Nytt", "Spara", "x", [FormField("t", "Rubrik")])))
    assert plain["version"] == "1.5"


def test_a_reply_that_fits_one_card_is_weighed_whole_not_element_by_element(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reply = Reply(
        text="x", sections=[Section(f"S{n}", [f"rad {m}" for m in range(20)]) for n in range(8)]
    )
    weighed: list[object] = []
    real = render_module._size

    def counting(value: object) -> int:
        weighed.append(value)
        return real(value)

    monkeypatch.setattr(render_module, "_size", counting)
    (card,) = render(reply)

    assert len(weighed) == 3  # the actions, the tail and the body: one json.dumps each
    body = render_module._body(reply)
    assert card["body"] == render_module._pages(body, 600)[0]  # as element by element

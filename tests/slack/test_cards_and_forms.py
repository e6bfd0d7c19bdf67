"""Cards as one message, long text kept whole, multichoice and time fields, form metadata."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from adapters.slack.render import MAX_PRIVATE_METADATA, render, render_form, render_single
from adapters.slack.translate import FormMetadata, SlackUser, form_values, submission_request
from bot.core.reply import Button, Form, FormField, Reply, Section
from tests.slack.limits import block_kit_problems

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def test_a_long_paragraph_is_split_into_sections_and_nothing_is_lost() -> None:
    words = " ".join(f"ord{n}&<>" for n in range(1500))  # one line, far over 3000 escaped
    [message] = render(Reply(text=words))
    assert block_kit_problems(message.as_kwargs()) == []
    shown = " ".join(b["text"]["text"] for b in message.blocks)
    assert "ord0&amp;&lt;&gt;" in shown and "ord1499&amp;&lt;&gt;" in shown
    assert shown.count("ord") == 1500


def test_a_line_without_spaces_is_never_cut_inside_an_entity() -> None:
    [message] = render(Reply(text="&" * 2000))
    for block in message.blocks:
        text = block["text"]["text"]
        assert len(text) <= 3000 and text.replace("&amp;", "") == ""


def test_a_card_with_buttons_over_50_blocks_stays_one_message() -> None:
    reply = Reply(
        heading="Utkast U1",
        sections=[Section(f"Del {n}", [f"rad {n}"]) for n in range(80)],
        context="U1 · version 1",
        buttons=[Button("Godkänn", "draft.approve", {"draft": 1, "version": 1})],
    )
    assert len(render(reply)) == 2  # an answer would be split…
    single = render_single(reply)  # …a card is cut in the middle instead
    assert single is not None
    assert block_kit_problems(single.as_kwargs()) == []
    kinds = [b["type"] for b in single.blocks]
    assert len(kinds) == 50
    assert kinds[0] == "header" and kinds[-2:] == ["context", "actions"]
    assert single.blocks[-3]["elements"][0]["text"] == "…"


def test_multichoice_is_checkboxes_for_a_few_options_and_a_multi_select_for_many() -> None:
    few = FormField("targets", "Kanaler", "multichoice", options=[("x", "X"), ("web", "Webb")])
    many = FormField(
        "forums", "Forum", "multichoice", options=[(f"f{n}", f"Forum {n}") for n in range(12)]
    )
    form = Form("Utkast", "Spara", "draft.create", [few, many])
    view = render_form(form, FormMetadata("draft.create", "C1"))
    assert block_kit_problems({"view": view}) == []
    first, second = (b["element"] for b in view["blocks"])
    assert first["type"] == "checkboxes" and "initial_options" not in first
    assert second["type"] == "multi_static_select"
    chosen = FormField("targets", "Kanaler", "multichoice", options=few.options, initial="web, x")
    element = render_form(Form("U", "S", "a", [chosen]), FormMetadata("a", "C1"))["blocks"][0]
    assert [o["value"] for o in element["element"]["initial_options"]] == ["x", "web"]


def test_submitted_multichoice_values_arrive_as_a_list() -> None:
    view = {
        "state": {
            "values": {
                "targets": {
                    "value": {
                        "type": "checkboxes",
                        "selected_options": [{"value": "x"}, {"value": "web"}],
                    }
                },
                "forums": {"value": {"type": "multi_static_select", "selected_options": []}},
            }
        }
    }
    assert form_values(view) == {"targets": ["x", "web"], "forums": []}


def test_an_initial_time_without_offset_is_the_bots_local_time() -> None:
    field = FormField("planned_at", "Planerad", "datetime", initial="2026-12-03T18:00")
    form = Form("Utkast", "Spara", "draft.edit", [field])
    element = render_form(form, FormMetadata("draft.edit", "C1"), STOCKHOLM)["blocks"][0]
    expected = datetime(2026, 12, 3, 17, 0, tzinfo=UTC).timestamp()
    assert element["element"]["initial_date_time"] == int(expected)


def test_the_forms_payload_comes_back_with_the_submitted_values() -> None:
    form = Form(
        "Begär ändring i U7",
        "Skicka",
        "draft.request_changes",
        [FormField("comment", "Vad behöver ändras?", "multiline")],
        payload={"draft": 7, "version": 2},
    )
    view = render_form(form, FormMetadata(form.route, "C0GEMENSAM1", form.payload))
    body = {
        "trigger_id": "1.2.3",
        "team": {"id": "T1"},
        "view": {
            **view,
            "state": {
                "values": {"comment": {"value": {"type": "plain_text_input", "value": " Ny tid "}}}
            },
        },
    }
    request = submission_request(body, SlackUser("U1", "T1"))
    assert request.press is not None
    assert request.press.name == "draft.request_changes"
    assert request.press.payload == {"draft": 7, "version": 2, "comment": "Ny tid"}
    assert request.channel.channel_id == "C0GEMENSAM1"


def test_a_payload_too_large_for_private_metadata_is_refused_not_sent() -> None:
    huge = {"note": "x" * MAX_PRIVATE_METADATA}
    form = Form("T", "S", "a", [FormField("n", "N")], payload=huge)
    with pytest.raises(ValueError):
        render_form(form, FormMetadata("a", "C1", huge))
    assert json.loads(FormMetadata("a", "C1", {"å": 1}).dump())["payload"] == {"å": 1}

"""What the renderers make of the neutral model's accessibility parts, on Teams and Slack."""

from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

from adapters.slack.render import render as render_slack
from adapters.slack.render import render_form
from adapters.slack.translate import FormMetadata
from adapters.teams.render import form_from_data, render
from bot.common.i18n import Translator
from bot.core.reply import Button, Form, FormField, Reply
from bot.drafts.card import approve_buttons, edit_button
from storage.models import Draft

FORM = Form(
    "Nytt möte",
    "Spara",
    "meeting.add",
    [
        FormField(
            "title", "Rubrik", hint="Till exempel Trygghetsvandring", error="Skriv en rubrik."
        ),
        FormField("notes", "Anteckningar", required=False, hint="Valfritt"),
        FormField("forum", "Forum", kind="choice", options=[("bra", "Brå")], hint="Välj forum"),
        FormField("parts", "Parter", kind="multichoice", options=[("k", "Kommunen")], hint="x"),
        FormField("when", "När", kind="datetime"),
    ],
)


def inputs(reply: Reply) -> dict[str, dict[str, object]]:
    (card,) = render(reply)
    return {e["id"]: e for e in card["body"] if str(e["type"]).startswith("Input.")}


def test_teams_inputs_have_labels_placeholders_and_error_messages() -> None:
    found = inputs(Reply(form=FORM, language="sv"))
    assert found["title"]["label"] == "Rubrik"
    assert found["title"]["placeholder"] == "Till exempel Trygghetsvandring"
    assert found["title"]["errorMessage"] == "Skriv en rubrik."
    assert "errorMessage" not in found["notes"]  # optional: nothing to say
    assert found["forum"]["errorMessage"] == "Fyll i ”Forum”."  # the generic one
    assert found["forum"]["placeholder"] == "Välj forum"
    assert "placeholder" not in found["parts"]  # check boxes show none
    assert found["when__date"]["label"] == "När – datum"
    assert found["when__time"]["label"] == "När – klockslag"
    assert found["when__time"]["errorMessage"] == "Välj ett klockslag för ”När”."


def test_teams_words_follow_the_replys_language() -> None:
    found = inputs(Reply(form=FORM, language="en"))
    assert found["forum"]["errorMessage"] == "Fill in “Forum”."
    assert found["when__time"]["label"] == "När – time"


def test_a_refused_form_is_drawn_again_with_its_hints_and_errors() -> None:
    (card,) = render(Reply(form=FORM))
    [submit] = [a for a in card["actions"] if a["verb"] == "meeting.add"]
    assert form_from_data(submit["data"]) == FORM


def test_a_form_only_card_keeps_a_text_fallback() -> None:
    (card,) = render(Reply(form=FORM))
    assert card["fallbackText"] == "Nytt möte"


def test_an_accessible_label_is_slacks_accessibility_label_and_teams_tooltip() -> None:
    button = Button("Godkänn", "draft.approve", {"draft": 7}, accessible_label="Godkänn utkast U7")
    (card,) = render(Reply(text="U7", buttons=[button]))
    assert card["actions"][0]["tooltip"] == "Godkänn utkast U7"
    long = Button("Ta bort", "x", accessible_label="Ta bort påminnelse " + "lång " * 30)
    [message] = render_slack(Reply(text="U7", buttons=[button, long]))
    elements = message.blocks[-1]["elements"]
    assert elements[0]["accessibility_label"] == "Godkänn utkast U7"
    assert len(elements[1]["accessibility_label"]) == 75


def test_slack_modal_inputs_carry_their_hints() -> None:
    view = render_form(FORM, FormMetadata("meeting.add", "C1", {}), UTC)
    hints = {b["block_id"]: b.get("hint", {}).get("text") for b in view["blocks"]}
    assert hints["title"] == "Till exempel Trygghetsvandring"
    assert hints["when"] is None  # no hint given, none invented


def test_a_drafts_buttons_name_the_draft() -> None:
    t = Translator("sv", ZoneInfo("Europe/Stockholm"))
    draft = Draft(id=7, current_version=2)
    approve, change = approve_buttons(t, draft)
    assert (approve.label, approve.accessible_label) == ("Godkänn", "Godkänn utkast U7")
    assert change.accessible_label == "Begär ändring i utkast U7"
    assert edit_button(t, draft).accessible_label == "Redigera utkast U7"
    assert approve.payload == {"draft": 7, "version": 2}

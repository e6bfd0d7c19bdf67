"""Universal Actions: Action.Execute invokes answered with the refreshed card, forms."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import select

from adapters.teams.render import FORM_KEY
from storage.models import AuditEvent, Person
from tests.teams.conftest import ADELE, ADELE_AAD, CHANNEL, MEGAN, MEGAN_AAD, Teams
from tests.teams.fakes import card_errors, card_texts, iter_cards


def _execute(teams: Teams, verb: str, data: dict[str, Any], **changes: Any) -> dict[str, Any]:
    activity = teams.activity("action_execute_invoke", **changes)
    activity["value"]["action"]["verb"] = verb
    activity["value"]["action"]["data"] = data
    return activity


def _submit_action(card: dict[str, Any]) -> dict[str, Any]:
    (action,) = [a for a in card.get("actions", []) if a["type"] == "Action.Execute"]
    return action


async def test_execute_answers_with_the_refreshed_card_and_updates_it_in_place(
    teams: Teams,
) -> None:
    await teams.post(teams.message("räkna", locale="sv-SE"))
    (posted,) = teams.connector.of("reply")
    button = _submit_action(posted.cards[0])
    assert (button["verb"], button["data"]) == ("test.count", {"count": 0})

    status, body = await teams.post(_execute(teams, button["verb"], button["data"]))

    assert status == 200  # not botbuilder 4.17.1's 500 from serialising the body twice
    assert body["statusCode"] == 200
    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    assert card_errors(body["value"]) == []
    assert "Räknare: 1" in "\n".join(card_texts(body["value"]))
    (update,) = teams.connector.of("update")
    assert update.path.endswith("/activities/1715682094555")  # the card that was clicked
    assert "Räknare: 1" in update.text
    assert _submit_action(update.cards[0])["data"] == {"count": 1}


async def test_a_replayed_invoke_changes_nothing_twice(teams: Teams) -> None:
    invoke = _execute(teams, "test.count", {"count": 4})

    await teams.post(invoke)
    status, body = await teams.post(invoke)

    assert status == 200
    assert len(teams.connector.of("update")) == 1
    assert body["type"] == "application/vnd.microsoft.activity.message"


async def test_form_with_invalid_input_is_drawn_again_with_the_error_and_saves_nothing(
    teams: Teams,
) -> None:
    await teams.post(teams.message("testformulär", name="personal_message", locale="sv-SE"))
    (posted,) = teams.connector.of("reply")
    form_card = posted.cards[0]
    submit = _submit_action(form_card)
    assert FORM_KEY in submit["data"]
    inputs = {e["id"]: e["type"] for e in form_card["body"] if "id" in e}
    assert inputs == {
        "title": "Input.Text",
        "when__date": "Input.Date",
        "when__time": "Input.Time",
        "place": "Input.ChoiceSet",
        "parties": "Input.ChoiceSet",
    }
    parties = next(e for e in form_card["body"] if e.get("id") == "parties")
    assert parties["isMultiSelect"] is True and parties["value"] == "kommun,polis"

    typed = {"title": "  ", "when__date": "2026-12-03", "when__time": "09:30", "place": "broby"}
    status, body = await teams.post(
        _execute(teams, submit["verb"], {**submit["data"], **typed}, locale="sv-SE")
    )

    assert status == 200 and body["type"] == "application/vnd.microsoft.card.adaptive"
    card = body["value"]
    assert card_errors(card) == []
    elements = card["body"]
    title_at = next(i for i, e in enumerate(elements) if e.get("id") == "title")
    assert elements[title_at + 1]["text"] == "Skriv en rubrik."  # right below its field
    assert elements[title_at + 1]["color"] == "Attention"
    values = {e["id"]: e.get("value") for e in elements if "id" in e}
    assert values["when__date"] == "2026-12-03" and values["when__time"] == "09:30"
    assert teams.connector.of("update") == []
    async with teams.bot.database.sessions() as session:
        saved = await session.scalar(select(AuditEvent).where(AuditEvent.action == "test.form"))
    assert saved is None


async def test_a_valid_form_submission_reaches_the_core_with_its_inputs(teams: Teams) -> None:
    await teams.post(teams.message("testformulär", name="personal_message", locale="sv-SE"))
    submit = _submit_action(teams.connector.of("reply")[0].cards[0])
    typed = {
        "title": "Brå",
        "when__date": "2026-12-03",
        "when__time": "09:30",
        "place": "broby",
        "parties": "polis",
    }

    status, body = await teams.post(
        _execute(teams, submit["verb"], {**submit["data"], **typed}, locale="sv-SE")
    )

    assert status == 200
    assert "Sparat: Brå 2026-12-03T09:30" in "\n".join(card_texts(body["value"]))
    async with teams.bot.database.sessions() as session:
        saved = await session.scalar(select(AuditEvent).where(AuditEvent.action == "test.form"))
    assert saved is not None and saved.after is not None
    assert saved.after == {
        "title": "Brå",
        "when": "2026-12-03T09:30",
        "place": "broby",
        "parties": "polis",
        "forum": "bra",  # the form's own payload came back with the submission
        "series": "3",
    }


async def test_an_unknown_action_is_answered_privately_without_touching_the_card(
    teams: Teams,
) -> None:
    status, body = await teams.post(_execute(teams, "no.such.action", {}, locale="sv-SE"))

    assert status == 200
    assert body["type"] == "application/vnd.microsoft.activity.message"
    assert teams.connector.of("update") == []
    assert list(iter_cards(body)) == []


async def test_the_real_person_form_refuses_bad_input_then_adds_the_person(teams: Teams) -> None:
    # Megan's Teams e-mail is Anna Lindqvist's, an admin: `person ny` alone opens the form.
    await teams.post(teams.message("person ny", name="personal_message", locale="sv-SE"))
    (posted,) = teams.connector.of("reply")
    form_card = posted.cards[0]
    assert card_errors(form_card) == []
    submit = _submit_action(form_card)
    assert submit["verb"] == "person.add"

    megan = {"from": {"id": MEGAN, "name": "Megan Bowen", "aadObjectId": MEGAN_AAD}}
    bad = {"name": "", "organisation": "polis", "email": "inte-en-adress"}
    status, body = await teams.post(
        _execute(teams, submit["verb"], {**submit["data"], **bad}, locale="sv-SE", **megan)
    )

    assert status == 200
    elements = body["value"]["body"]
    errors = {
        elements[i - 1]["id"]: e["text"]
        for i, e in enumerate(elements)
        if e.get("color") == "Attention" and "id" in elements[i - 1]
    }
    assert errors == {
        "name": "Skriv personens namn.",
        "email": "Det ser inte ut som en e-postadress.",
    }
    async with teams.bot.database.sessions() as session:
        assert await session.scalar(select(Person).where(Person.name == "Nils Nyström")) is None

    good = {"name": "Nils Nyström", "organisation": "polis", "email": "nils@example.org"}
    status, body = await teams.post(
        _execute(
            teams, submit["verb"], {**submit["data"], **good}, id="f:2", locale="sv-SE", **megan
        )
    )

    assert status == 200
    assert "Nils Nyström är tillagd." in "\n".join(card_texts(body["value"]))
    async with teams.bot.database.sessions() as session:
        added = await session.scalar(select(Person).where(Person.name == "Nils Nyström"))
    assert added is not None and added.email == "nils@example.org"


async def test_a_slow_action_is_acknowledged_at_once_and_answered_later(teams: Teams) -> None:
    teams.adapter.handler.invoke_budget = 0  # the core cannot finish within no time at all

    status, body = await teams.post(_execute(teams, "test.count", {"count": 9}, locale="sv-SE"))

    assert status == 200
    assert body["type"] == "application/vnd.microsoft.activity.message"
    assert body["value"] == "Jag arbetar på det – svaret kommer strax."
    for _ in range(200):  # wait for the late answer; the bound only stops a hang
        if teams.connector.of("send"):
            break
        await asyncio.sleep(0.01)
    (late,) = teams.connector.of("send")
    assert "Räknare: 10" in late.text
    # in the clicked post's thread, as an answer within the turn would be
    assert late.conversation == CHANNEL + ";messageid=1715682093123"


async def test_a_slow_private_answer_goes_1to1_never_into_the_channel(teams: Teams) -> None:
    teams.adapter.handler.invoke_budget = 0

    status, _ = await teams.post(_execute(teams, "test.secret", {}, locale="sv-SE"))

    assert status == 200
    for _ in range(200):  # wait for the late answer; the bound only stops a hang
        if teams.connector.of("send"):
            break
        await asyncio.sleep(0.01)
    (late,) = teams.connector.of("send")
    assert late.conversation.startswith("a:direct-") and "Hemligt" in late.text
    assert all("Hemligt" not in c.text for c in teams.connector.calls if c is not late)


async def test_slow_private_answers_reuse_the_1to1_chat_opened_for_the_first(
    teams: Teams,
) -> None:
    teams.adapter.handler.invoke_budget = 0

    for event in ("f:s1", "f:s2"):
        status, _ = await teams.post(_execute(teams, "test.secret", {}, id=event, locale="sv-SE"))
        assert status == 200
        for _ in range(200):  # wait for this late answer; the bound only stops a hang
            if len(teams.connector.of("send")) == int(event[-1]):
                break
            await asyncio.sleep(0.01)

    first, second = teams.connector.of("send")
    assert first.conversation == second.conversation and first.conversation.startswith("a:")
    assert "Hemligt" in first.text and "Hemligt" in second.text
    assert len(teams.connector.of("create")) == 1  # the second answer opened nothing


async def test_a_private_answer_to_a_click_is_shown_only_to_the_clicker(teams: Teams) -> None:
    status, body = await teams.post(_execute(teams, "test.secret", {}, locale="sv-SE"))

    assert status == 200
    assert body["type"] == "application/vnd.microsoft.activity.message"
    assert body["value"] == "Hemligt: kontaktperson i avhopp"
    assert [c.method for c in teams.connector.calls] == ["member"]  # nothing sent anywhere


async def test_a_per_viewer_card_is_refreshed_for_each_viewer_without_changing_it_for_all(
    teams: Teams,
) -> None:
    await teams.post(teams.message("testkort", locale="sv-SE"))
    (posted,) = teams.connector.of("reply")
    refresh = posted.cards[0]["refresh"]["action"]
    assert (refresh["type"], refresh["verb"], refresh["data"]) == (
        "Action.Execute",
        "test.view",
        {"draft": 7},
    )

    # Adele is Erik Holm (a signer); Megan is Anna Lindqvist (not a signer).
    views = {}
    for who, aad, event in ((ADELE, ADELE_AAD, "f:a"), (MEGAN, MEGAN_AAD, "f:m")):
        invoke = _execute(teams, refresh["verb"], refresh["data"], id=event, locale="sv-SE")
        invoke["from"] = {"id": who, "aadObjectId": aad}
        invoke["value"]["trigger"] = "automatic"
        status, body = await teams.post(invoke)
        assert status == 200 and body["type"] == "application/vnd.microsoft.card.adaptive"
        views[who] = body["value"]

    assert [a["title"] for a in views[ADELE].get("actions", [])] == ["Godkänn"]
    assert "actions" not in views[MEGAN]
    assert "Erik Holm" in "\n".join(card_texts(views[ADELE]))
    assert teams.connector.of("update") == []  # each viewer's view stays theirs

"""A draft card on Teams shows approve and request changes only to those who may use them.

The card everyone sees holds the state; its `refresh` names the signers and the author, and
Teams asks the bot for each viewer's own card (`adaptiveCard/action`, the refresh verb). A
signer's card has the buttons; anyone else's, asked by hand from the card's menu, has none.
Nothing about the shared card changes for everyone when someone asks for their own view.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from storage.models import Identity, Person
from tests.teams.conftest import ADELE, ADELE_AAD, CHANNEL, MEGAN, MEGAN_AAD, TENANT, Teams
from tests.teams.fakes import card_texts

TEXT = "Välkommen på trygghetsvandring i Knislinge tisdag kl. 18.00."
VERONICA, VERONICA_AAD = "29:veronica", "5c1d9a2e-0000-4000-8000-00000000beef"
SARA, SARA_AAD = "29:sara", "5c1d9a2e-0000-4000-8000-00000000cafe"


def _as(who: str, aad: str) -> dict[str, Any]:
    return {"from": {"id": who, "aadObjectId": aad}}


async def _link(teams: Teams, name: str, aad: str) -> None:
    async with teams.bot.database.transaction() as session:
        person = await session.scalar(select(Person).where(Person.name == name))
        assert person is not None
        session.add(
            Identity(
                person_id=person.id,
                platform="teams",
                workspace=TENANT,
                user_id=aad,
                linked_by="admin",
            )
        )


def _titles(card: dict[str, Any]) -> list[str]:
    return [action["title"] for action in card.get("actions", [])]


async def _posted_card(teams: Teams) -> tuple[dict[str, Any], str]:
    """Veronica (police signer) and Sara (no signer) are linked; Erik (Adele, municipality
    signer) writes the draft in the channel Anna (Megan, admin) bound as joint."""
    await _link(teams, "Veronica Gustafsson", VERONICA_AAD)
    await _link(teams, "Sara Nilsson", SARA_AAD)
    # The police signer never wrote to the bot here: Teams' roster gives her member id.
    teams.connector.members[VERONICA] = {"id": VERONICA, "aadObjectId": VERONICA_AAD}
    sv = {"locale": "sv-SE"}
    await teams.post(teams.message("kanal gemensam", id="m1", **sv, **_as(MEGAN, MEGAN_AAD)))
    await teams.post(teams.message(f"utkast {TEXT}", id="m2", **sv, **_as(ADELE, ADELE_AAD)))
    (posted,) = [c for c in teams.connector.of("send") if c.conversation == CHANNEL]
    assert posted.answered_id is not None
    return posted.cards[-1], posted.answered_id


async def _view(
    teams: Teams, card: dict[str, Any], card_id: str, who: str, aad: str, trigger: str
) -> dict[str, Any]:
    refresh = card["refresh"]["action"]
    event = f"f:{who}:{len(teams.connector.calls)}"  # each view is an activity of its own
    invoke = teams.activity("action_execute_invoke", id=event, replyToId=card_id)
    invoke.update(_as(who, aad), locale="sv-SE")
    invoke["value"]["action"].update(verb=refresh["verb"], data=refresh["data"])
    invoke["value"]["trigger"] = trigger
    status, body = await teams.post(invoke)
    assert status == 200 and body["type"] == "application/vnd.microsoft.card.adaptive", body
    view: dict[str, Any] = body["value"]
    return view


async def test_the_shared_draft_card_shows_the_state_and_names_its_viewers(teams: Teams) -> None:
    card, _ = await _posted_card(teams)

    assert _titles(card) == []  # no approve, request changes, edit or withdraw for everyone
    assert "Kommunen: väntar" in "\n".join(card_texts(card))
    refresh = card["refresh"]
    action = refresh["action"]
    assert (action["type"], action["verb"]) == ("Action.Execute", "draft.view")
    # The signers of both parties and the author, as Teams knows them: Erik from his own
    # message, Veronica from the roster; Sara and Anna are neither.
    assert set(refresh["userIds"]) == {ADELE, VERONICA}
    assert all(user.startswith("29:") for user in refresh["userIds"])


async def test_a_signer_and_a_non_signer_get_different_cards(teams: Teams) -> None:
    card, card_id = await _posted_card(teams)
    updates_before = len(teams.connector.of("update"))

    signer = await _view(teams, card, card_id, VERONICA, VERONICA_AAD, "automatic")
    other = await _view(teams, card, card_id, SARA, SARA_AAD, "manual")

    assert _titles(signer) == ["Godkänn", "Begär ändring"]
    assert [a["verb"] for a in signer["actions"]] == ["draft.approve", "draft.request_changes"]
    assert _titles(other) == []
    # Both show the same draft and state, and keep asking for each viewer's card.
    assert TEXT.replace(".", "") in "\n".join(card_texts(other)).replace(".", "")
    assert signer["refresh"]["action"]["verb"] == other["refresh"]["action"]["verb"] == "draft.view"
    # Asking for one's own view changes nobody else's card, even by hand.
    assert len(teams.connector.of("update")) == updates_before


async def test_the_author_gets_edit_and_withdraw_and_approves_through_the_same_route(
    teams: Teams,
) -> None:
    card, card_id = await _posted_card(teams)

    author = await _view(teams, card, card_id, ADELE, ADELE_AAD, "automatic")

    assert _titles(author) == ["Godkänn", "Begär ändring", "Redigera", "Dra tillbaka"]
    approve = author["actions"][0]
    invoke = teams.activity("action_execute_invoke", id="f:approve", replyToId=card_id)
    invoke.update(_as(ADELE, ADELE_AAD), locale="sv-SE")
    invoke["value"]["action"].update(verb=approve["verb"], data=approve["data"])
    status, body = await teams.post(invoke)
    assert status == 200
    assert "Du har godkänt version 1 av U1" in "\n".join(card_texts(body["value"]))
    # Once the municipality has approved, its signer's own card no longer offers it.
    again = await _view(teams, card, card_id, ADELE, ADELE_AAD, "automatic")
    assert "Godkänn" not in _titles(again)

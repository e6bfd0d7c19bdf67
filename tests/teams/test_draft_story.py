"""One story, as on the terminal: a joint message drafted and co-signed, here through Teams.

An admin binds the channel as *gemensam*; the author drafts; one signer from each party
approves on the card in the channel. Every copy of the card is updated in place.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from storage.models import Identity, Person
from tests.teams.conftest import ADELE, ADELE_AAD, CHANNEL, MEGAN, MEGAN_AAD, TENANT, Teams

TEXT = "Välkommen på trygghetsvandring i Broby torsdag 3 december kl. 18.00."
VERONICA = "29:veronica"
VERONICA_AAD = "5c1d9a2e-0000-4000-8000-00000000beef"


def _as(who: str, aad: str) -> dict[str, Any]:
    return {"from": {"id": who, "aadObjectId": aad}}


async def _link_veronica(teams: Teams) -> None:
    """The police's signer has no e-mail in the directory: an admin linked her by hand."""
    async with teams.bot.database.transaction() as session:
        veronica = await session.scalar(select(Person).where(Person.name == "Veronica Gustafsson"))
        assert veronica is not None
        session.add(
            Identity(
                person_id=veronica.id,
                platform="teams",
                workspace=TENANT,
                user_id=VERONICA_AAD,
                linked_by="admin",
            )
        )


async def test_a_draft_is_co_signed_on_its_card_in_a_teams_channel(teams: Teams) -> None:
    await _link_veronica(teams)
    sv = {"locale": "sv-SE"}
    await teams.post(teams.message("kanal gemensam", id="m1", **sv, **_as(MEGAN, MEGAN_AAD)))
    await teams.post(teams.message(f"utkast {TEXT}", id="m2", **sv, **_as(ADELE, ADELE_AAD)))

    posted = [c for c in teams.connector.of("send") if c.conversation == CHANNEL]
    assert len(posted) == 1, "the draft card goes top-level into the joint channel"
    card = posted[0].cards[0]
    assert TEXT.replace(".", "") in posted[0].text.replace(".", "")
    assert "actions" not in card  # each signer gets the buttons on their own card
    card_id = posted[0].answered_id
    assert card_id is not None

    for who, aad, event in ((ADELE, ADELE_AAD, "f:1"), (VERONICA, VERONICA_AAD, "f:2")):
        view = teams.activity("action_execute_invoke", id=event + "v", replyToId=card_id, **sv)
        view.update(_as(who, aad))
        view["value"]["action"].update(card["refresh"]["action"])
        view["value"]["trigger"] = "automatic"
        _, own = await teams.post(view)
        approve = next(a for a in own["value"]["actions"] if a["title"] == "Godkänn")
        invoke = teams.activity("action_execute_invoke", id=event, replyToId=card_id, **sv)
        invoke.update(_as(who, aad))
        invoke["value"]["action"].update(verb=approve["verb"], data=approve["data"])
        status, body = await teams.post(invoke)
        assert status == 200, body
        # The card as everyone now sees it, with the signer's own answer below it.
        assert body["type"] == "application/vnd.microsoft.card.adaptive"
        assert body["value"]["body"][-1]["text"].startswith("Du har godkänt version 1 av U1")

    updates = [u for u in teams.connector.of("update") if u.conversation == CHANNEL]
    assert updates and all(u.path.endswith("/activities/" + card_id) for u in updates)
    assert "godkänd av båda parter" in updates[-1].text.lower()
    announced = [c for c in teams.connector.of("send") if c.conversation == CHANNEL][-1]
    assert "kan publiceras" in announced.text

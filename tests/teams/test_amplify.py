"""`förstärk` through Teams: the request card in the joint channel and its "Jag har delat"
button as an Adaptive Card action, answered in place through the real botbuilder turn."""

from __future__ import annotations

from sqlalchemy import func, select

from storage.models_publications import Amplification
from tests.teams.conftest import ADELE, ADELE_AAD, CHANNEL, MEGAN, MEGAN_AAD, Teams
from tests.teams.test_draft_story import VERONICA, VERONICA_AAD, _as, _link_veronica

POST = "https://www.facebook.com/polisenhassleholm/posts/1234"


async def test_the_municipality_shares_the_police_post_from_the_card(teams: Teams) -> None:
    await _link_veronica(teams)
    sv = {"locale": "sv-SE"}
    await teams.post(teams.message("kanal gemensam", id="m1", **sv, **_as(MEGAN, MEGAN_AAD)))
    await teams.post(
        teams.message(f"förstärk {POST}", id="m2", **sv, **_as(VERONICA, VERONICA_AAD))
    )
    posted = [c for c in teams.connector.of("send") if c.conversation == CHANNEL]
    request = next(p for p in posted if "ber er dela ett inlägg" in p.text)
    card = request.cards[0]
    shared = next(a for a in card["actions"] if a["title"] == "Jag har delat")
    card_id = request.answered_id
    assert card_id is not None

    invoke = teams.activity("action_execute_invoke", id="f:1", replyToId=card_id, **sv)
    invoke.update(_as(ADELE, ADELE_AAD))  # Erik Holm, the municipality
    invoke["value"]["action"].update(verb=shared["verb"], data=shared["data"])
    status, body = await teams.post(invoke)
    assert status == 200, body
    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    assert body["value"]["body"][-1]["text"] == "Tack! Det är sparat att du delade inlägget i F1."
    async with teams.bot.database.sessions() as session:
        assert await session.scalar(select(func.count(Amplification.id))) == 1
    # The card everyone sees names who shared it.
    assert "Delat av Erik Holm" in str(body["value"])

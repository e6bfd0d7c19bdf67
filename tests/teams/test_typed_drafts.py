"""Approving by writing in a Teams channel, through the real botbuilder turn (issue 18).

Two equal drafts: the police signer presses "Godkänn" on U1's card and writes `@bot godkänn U2`
in the channel. Each card is updated in place the same way, and the typed answer names the
version and the start of its text.
"""

from __future__ import annotations

import re

from tests.teams.conftest import ADELE, ADELE_AAD, CHANNEL, MEGAN, MEGAN_AAD, Teams
from tests.teams.test_draft_story import TEXT, VERONICA, VERONICA_AAD, _as, _link_veronica
from tests.teams.test_draft_viewers import _view


def _same(text: str) -> str:
    return re.sub(r"\bU[12]\b", "U#", text)


async def test_typed_approve_in_teams_updates_the_card_as_the_button_does(teams: Teams) -> None:
    await _link_veronica(teams)
    sv = {"locale": "sv-SE"}
    await teams.post(teams.message("kanal gemensam", id="m1", **sv, **_as(MEGAN, MEGAN_AAD)))
    for n in (2, 3):
        await teams.post(teams.message(f"utkast {TEXT}", id=f"m{n}", **sv, **_as(ADELE, ADELE_AAD)))
    first, second = [c for c in teams.connector.of("send") if c.conversation == CHANNEL][:2]
    # Everyone's card has no approve button on Teams: the signer's own card (its refresh) has.
    own = await _view(
        teams, first.cards[0], str(first.answered_id), VERONICA, VERONICA_AAD, "manual"
    )
    approve = next(a for a in own["actions"] if a["title"] == "Godkänn")

    invoke = teams.activity("action_execute_invoke", id="f:1", replyToId=first.answered_id, **sv)
    invoke.update(_as(VERONICA, VERONICA_AAD))
    invoke["value"]["action"].update(verb=approve["verb"], data=approve["data"])
    status, body = await teams.post(invoke)
    assert status == 200, body
    pressed_answer = body["value"]["body"][-1]["text"]

    await teams.post(teams.message("godkänn U2", id="m4", **sv, **_as(VERONICA, VERONICA_AAD)))

    updates = [u for u in teams.connector.of("update") if u.conversation == CHANNEL]
    on_first = [u for u in updates if u.path.endswith("/activities/" + str(first.answered_id))]
    on_second = [u for u in updates if u.path.endswith("/activities/" + str(second.answered_id))]
    assert on_first and on_second
    assert _same(on_second[-1].text) == _same(on_first[-1].text)
    assert "Polisen: godkänd av Veronica Gustafsson" in on_second[-1].text
    sent = " ".join(c.text for c in teams.connector.of("send"))
    assert pressed_answer == "Du har godkänt version 1 av U1 för Polisen."
    assert "Du har godkänt version 1 av U2 för Polisen." in sent
    assert "Version 1 börjar: ”Välkommen på trygghetsvandring i Broby torsdag 3 december …”" in sent

"""A Teams newcomer stays linked when their very first command is refused.

Teams gives no e-mail with a message: the adapter asks the connector for it on first contact
(at most once an hour per user), and the core links the person by it. That link used to be
rolled back with a refused command, leaving the person "not registered" for an hour.
"""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Identity
from tests.teams.conftest import ADELE, ADELE_AAD, Teams


def _from_adele(teams: Teams, text: str, event: str) -> dict[str, object]:
    activity = teams.message(text, id=event, locale="sv-SE")
    activity["from"] = {"id": ADELE, "name": "Adele Vance", "aadObjectId": ADELE_AAD}
    return activity


async def test_the_link_made_on_first_contact_survives_a_refused_first_command(
    teams: Teams,
) -> None:
    # Erik Holm (Adele in Teams) is no admin: binding a channel is refused.
    status, _ = await teams.post(_from_adele(teams, "kanal gemensam", "first-1"))
    assert status in (200, 201)
    assert "bara administratörer" in "\n".join(c.text for c in teams.connector.calls)
    async with teams.bot.database.sessions() as session:
        linked = await session.scalar(select(Identity).where(Identity.user_id == ADELE_AAD))
    assert linked is not None and linked.linked_by == "email"

    looked_up, seen = len(teams.connector.of("member")), len(teams.connector.calls)
    status, _ = await teams.post(_from_adele(teams, "vem Erik Holm", "first-2"))
    assert status in (200, 201)
    answer = "\n".join(c.text for c in teams.connector.calls[seen:])
    assert "inte registrerad" not in answer and "Kommunikatör" in answer
    assert len(teams.connector.of("member")) == looked_up  # known now: not asked again

"""Teams' people search in forms, answered by the bot from its directory (real botbuilder).

As a keeper types in a people field, Teams sends `application/search` invokes naming the
card's dataset; the bot answers with the directory's people (name, organisation, title) to
registered staff only, and the chosen names come back with the form.
"""

from __future__ import annotations

from typing import Any

from tests.teams.conftest import ADELE, ADELE_AAD, MEGAN, MEGAN_AAD, Teams

SEARCH_RESPONSE = "application/vnd.microsoft.search.searchResponse"


def _search(teams: Teams, text: str, who: str, aad: str, **value: Any) -> dict[str, Any]:
    activity = teams.activity("action_execute_invoke", id=f"s:{who}:{text}", locale="sv-SE")
    activity.update(name="application/search", **{"from": {"id": who, "aadObjectId": aad}})
    activity["value"] = {
        "queryText": text,
        "queryOptions": {"skip": 0, "top": 15},
        "dataset": "samverkan.people",
        **value,
    }
    return activity


async def _known(teams: Teams, who: str, aad: str) -> None:
    """The bot links a Teams user by work e-mail when they first write to it."""
    await teams.post(
        teams.message("hälsa", id=f"hello:{who}", **{"from": {"id": who, "aadObjectId": aad}})
    )


async def _results(teams: Teams, activity: dict[str, Any]) -> list[dict[str, str]]:
    status, body = await teams.post(activity)
    assert status == 200 and body["type"] == SEARCH_RESPONSE, body
    results: list[dict[str, str]] = body["value"]["results"]
    return results


async def test_staff_find_colleagues_of_both_parties_by_the_start_of_a_name(teams: Teams) -> None:
    await _known(teams, MEGAN, MEGAN_AAD)
    results = await _results(teams, _search(teams, "sara", MEGAN, MEGAN_AAD))

    assert [r["value"] for r in results] == ["Sara Nilsson"]
    assert results[0]["title"].startswith("Sara Nilsson (Kommunen")
    # A surname and a name without its diacritics are found too, of either organisation.
    by_surname = await _results(teams, _search(teams, "oberg", MEGAN, MEGAN_AAD))
    assert [r["value"] for r in by_surname] == ["Karin Öberg"]
    assert "Polisen" in by_surname[0]["title"]


async def test_at_most_the_asked_number_and_nothing_for_another_dataset(teams: Teams) -> None:
    await _known(teams, MEGAN, MEGAN_AAD)
    few = _search(teams, "", MEGAN, MEGAN_AAD)
    few["value"]["queryOptions"]["top"] = 2
    assert len(await _results(teams, few)) == 2

    other = _search(teams, "sara", MEGAN, MEGAN_AAD, dataset="graph.microsoft.com/users")
    assert await _results(teams, other) == []


async def test_someone_the_bot_does_not_know_finds_nobody(teams: Teams) -> None:
    stranger = _search(teams, "sara", "29:stranger", "00000000-0000-4000-8000-00000000dead")
    assert await _results(teams, stranger) == []
    # …while a linked colleague does (Adele is Erik Holm, linked by e-mail on first contact).
    await _known(teams, ADELE, ADELE_AAD)
    assert await _results(teams, _search(teams, "sara", ADELE, ADELE_AAD)) != []

"""Forum meetings and attendance end to end from Teams, through the real CloudAdapter.

As on Slack (tests/slack/test_meetings.py): an admin binds the Brå channel, the secretary
schedules in her 1:1 chat, the card is posted to the channel, RSVP and attendance clicks
(Action.Execute) answer with the refreshed card and update the posted one for everyone, a
keeper registers several people by name on the form, and need-to-know meetings never reach
an outsider's list.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from bot.common.clock import FixedClock
from storage.models import Attendance, Meeting, PostedMessage, Rsvp
from tests.teams.conftest import ADELE, ADELE_AAD, CHANNEL, MEGAN, MEGAN_AAD, Teams
from tests.teams.fakes import Call, card_errors, card_texts

CARD_TYPE = "application/vnd.microsoft.card.adaptive"
WHEN = "torsdag 3 december 2026 kl. 09.00"
KARIN, KARIN_AAD = "29:karin", "0b8e7f6d-1111-4000-8000-0000000ca41e"
SARA, SARA_AAD = "29:sara", "3a4b5c6d-2222-4000-8000-00000005a2a0"
MARIA, MARIA_AAD = "29:maria", "6e7f8091-3333-4000-8000-0000000ea21a"
# Megan is Anna Lindqvist (admin, Brå's secretary); Adele is Erik Holm (the municipality).
WHO = {
    MEGAN: (MEGAN_AAD, "Megan Bowen"),
    ADELE: (ADELE_AAD, "Adele Vance"),
    KARIN: (KARIN_AAD, "Karin Öberg"),
    SARA: (SARA_AAD, "Sara Nilsson"),
    MARIA: (MARIA_AAD, "Maria Ek"),
}
EMAILS = {KARIN: "karin.oberg@example.org", SARA: "sara.nilsson@example.org"}
EMAILS[MARIA] = "maria.ek@example.org"


def _add_people(teams: Teams) -> None:
    for member, email in EMAILS.items():
        aad, name = WHO[member]
        teams.connector.members[member] = {
            "id": member,
            "name": name,
            "aadObjectId": aad,
            "email": email,
            "userPrincipalName": email,
        }


def _sender(member: str) -> dict[str, Any]:
    aad, name = WHO[member]
    return {"id": member, "name": name, "aadObjectId": aad}


async def in_channel(teams: Teams, member: str, text: str, event: str) -> None:
    activity = teams.message(text, id=event, locale="sv-SE")
    activity["from"] = _sender(member)
    await teams.post(activity)


async def in_private(teams: Teams, member: str, text: str, event: str) -> str:
    """A message in the member's 1:1 chat; the bot's answer there, as text."""
    chat = f"a:personal-{member}"
    activity = teams.message(text, name="personal_message", id=event, locale="sv-SE")
    activity["from"] = _sender(member)
    activity["conversation"] = {**activity["conversation"], "id": chat}
    before = len(teams.connector.calls)
    await teams.post(activity)
    answers = [c for c in teams.connector.calls[before:] if c.conversation == chat]
    assert answers, f"no answer to {text!r}"
    return "\n".join(c.text for c in answers)


async def click(
    teams: Teams, member: str, action: dict[str, Any], card_id: str, event: str
) -> dict[str, Any]:
    """An Action.Execute invoke from a card in the channel; the invoke response body."""
    invoke = teams.activity("action_execute_invoke", id=event, replyToId=card_id, locale="sv-SE")
    invoke["from"] = _sender(member)
    invoke["value"]["action"].update(verb=action["verb"], data=action["data"])
    status, body = await teams.post(invoke)
    assert status == 200, body
    assert isinstance(body, dict)
    return body


def text_of(body: dict[str, Any]) -> str:
    return "\n".join(card_texts(body["value"])) if body["type"] == CARD_TYPE else body["value"]


def buttons(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {a["title"]: a for a in card.get("actions", []) if a["type"] == "Action.Execute"}


def channel_updates(teams: Teams, card_id: str) -> list[Call]:
    return [
        c
        for c in teams.connector.of("update")
        if c.conversation == CHANNEL and c.path.endswith("/activities/" + card_id)
    ]


async def count(teams: Teams, model: type[Meeting] | type[Attendance] | type[Rsvp]) -> int:
    async with teams.bot.database.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def attendees(teams: Teams) -> list[str]:
    async with teams.bot.database.sessions() as session:
        return sorted(row.person.name for row in (await session.scalars(select(Attendance))))


async def schedule_bra(teams: Teams) -> tuple[str, dict[str, dict[str, Any]]]:
    """Bind the channel to Brå and schedule M1; the posted card's id and its buttons."""
    _add_people(teams)
    await in_channel(teams, MEGAN, "kanal forum brå", "k1")
    scheduled = await in_private(teams, MEGAN, "möte brå 3/12 9.00 plats: Kommunhuset", "k2")
    assert f"Mötet M1 i Lokala Brottsförebyggande rådet (Brå) är planerat: {WHEN}." in scheduled
    [posted] = [c for c in teams.connector.of("send") if c.conversation == CHANNEL]
    assert posted.answered_id is not None
    return posted.answered_id, buttons(posted.cards[-1])


def advance_to_meeting(teams: Teams) -> None:
    """To 08.45 local on 3 December: the attendance window opened a quarter of an hour ago."""
    assert isinstance(teams.bot.clock, FixedClock)
    teams.bot.clock.advance(timedelta(days=7) - timedelta(minutes=75))


async def test_rsvp_and_attendance_clicks_refresh_the_card_for_everyone(teams: Teams) -> None:
    card_id, on_card = await schedule_bra(teams)
    [posted] = [c for c in teams.connector.of("send") if c.conversation == CHANNEL]
    assert WHEN in posted.text and "Kommunhuset" in posted.text and "Möte M1" in posted.text
    assert [card_errors(card) for card in posted.cards] == [[]]  # Adaptive Card 1.5 schema
    assert list(on_card) == ["Jag kommer", "Kan inte", "Registrera närvaro", "Registrera flera"]
    async with teams.bot.database.sessions() as session:
        [copy] = (await session.scalars(select(PostedMessage))).all()
    assert copy.message_id == card_id

    # "Jag kommer": the clicker gets the refreshed card with her answer; everyone the update.
    body = await click(teams, KARIN, on_card["Jag kommer"], card_id, "f:1")
    assert body["type"] == CARD_TYPE
    assert "Kommer: 1. Kan inte: 0." in text_of(body)
    assert f"Noterat: du kommer till M1 ({WHEN})." in text_of(body)
    [first] = channel_updates(teams, card_id)
    assert "Kommer: 1. Kan inte: 0." in first.text and "Noterat" not in first.text
    # Teams delivers the same invoke again: no second effect.
    again = await click(teams, KARIN, on_card["Jag kommer"], card_id, "f:1")
    assert again["type"] != CARD_TYPE
    assert len(channel_updates(teams, card_id)) == 1 and await count(teams, Rsvp) == 1

    body = await click(teams, SARA, on_card["Kan inte"], card_id, "f:2")
    assert "Kommer: 1. Kan inte: 1." in channel_updates(teams, card_id)[-1].text
    assert await count(teams, Attendance) == 0  # an RSVP is not attendance

    # Too early: refused to Karin alone, nothing written, the card unchanged.
    body = await click(teams, KARIN, on_card["Registrera närvaro"], card_id, "f:3")
    assert "kan registreras från torsdag 3 december 2026 kl. 08.30" in text_of(body)
    assert len(channel_updates(teams, card_id)) == 2 and await count(teams, Attendance) == 0

    advance_to_meeting(teams)
    body = await click(teams, KARIN, on_card["Registrera närvaro"], card_id, "f:4")
    assert (
        "Närvaro registrerad på M1: Karin Öberg (ej medlem i forumet – räknas för Polisen)."
        in text_of(body)
    )
    latest = channel_updates(teams, card_id)[-1].text
    assert "Närvarande från Polisen" in latest and "Karin Öberg" in latest
    assert "Kommer: 1. Kan inte: 1." in latest
    changes = len(channel_updates(teams, card_id))
    await click(teams, KARIN, on_card["Registrera närvaro"], card_id, "f:4")  # a retry
    assert len(channel_updates(teams, card_id)) == changes
    body = await click(teams, KARIN, on_card["Registrera närvaro"], card_id, "f:5")
    assert (
        "Redan registrerad på M1: Karin Öberg (ej medlem i forumet – räknas för Polisen)."
        in text_of(body)
    )
    assert await attendees(teams) == ["Karin Öberg"]


async def test_keeper_registers_two_by_name_on_the_form(teams: Teams) -> None:
    card_id, on_card = await schedule_bra(teams)
    advance_to_meeting(teams)
    for n, member in enumerate((SARA, KARIN)):  # first contact links them by e-mail
        await in_private(teams, member, "möten", f"p{n}")

    # Only the forum's chair or secretary (or an admin) gets the form.
    refused = await click(teams, SARA, on_card["Registrera flera"], card_id, "g:1")
    assert text_of(refused).startswith("Bara ordförande eller sekreterare")

    form = await click(teams, MEGAN, on_card["Registrera flera"], card_id, "g:2")
    assert form["type"] == CARD_TYPE
    [people] = [e for e in form["value"]["body"] if e.get("id") == "people"]
    # Teams' people search, fed by the bot: an Adaptive Card 1.6 feature, declared as such.
    assert (people["type"], people["label"], people["isMultiSelect"]) == (
        "Input.ChoiceSet",
        "Närvarande",
        True,
    )
    assert people["choices.data"] == {"type": "Data.Query", "dataset": "samverkan.people"}
    assert form["value"]["version"] == "1.6"
    [submit] = buttons(form["value"]).values()

    # An unknown name is shown on the field and nothing is saved.
    # The picker sends the chosen names comma-separated; a name it could not have offered
    # (altered on the way) is refused like a typed one.
    data = {**submit["data"], "people": "Sara Nilsson,Gustav Okänd"}
    body = await click(teams, MEGAN, {**submit, "data": data}, card_id, "g:3")
    assert body["type"] == CARD_TYPE
    elements = body["value"]["body"]
    at = next(i for i, e in enumerate(elements) if e.get("id") == "people")
    assert "Gustav Okänd" in elements[at + 1]["text"] and elements[at + 1]["color"] == "Attention"
    assert elements[at]["value"] == "Sara Nilsson,Gustav Okänd"  # what she chose, kept
    assert await count(teams, Attendance) == 0 and channel_updates(teams, card_id) == []

    data = {**submit["data"], "people": "Sara Nilsson,Karin Öberg"}
    body = await click(teams, MEGAN, {**submit, "data": data}, card_id, "g:4")
    assert (
        "Närvaro registrerad på M1: Sara Nilsson (ej medlem i forumet – räknas för Kommunen), "
        "Karin Öberg (ej medlem i forumet – räknas för Polisen)." in text_of(body)
    )
    assert "Möte M1" in text_of(body)  # the form gives way to the refreshed card
    card = channel_updates(teams, card_id)[-1].text
    assert "Närvarande från Kommunen" in card and "Sara Nilsson" in card
    assert "Närvarande från Polisen" in card and "Karin Öberg" in card
    assert await attendees(teams) == ["Karin Öberg", "Sara Nilsson"]


async def test_need_to_know_meeting_reaches_no_outsider(teams: Teams) -> None:
    _add_people(teams)
    await in_channel(teams, MEGAN, "kanal gemensam", "n1")
    scheduled = await in_private(teams, MARIA, "möte avhopp 4/12 13.00 plats: Kommunhuset", "n2")
    assert "M1" in scheduled and "inte publicerat någonstans" in scheduled
    assert [c for c in teams.connector.of("send") if c.conversation == CHANNEL] == []
    assert await count(teams, Meeting) == 1

    assert "M1" in await in_private(teams, MARIA, "möten", "n3")
    for n, outsider in enumerate((SARA, KARIN)):
        listed = await in_private(teams, outsider, "möten", f"n4{n}")
        assert "M1" not in listed and "Avhopp" not in listed and "Kommunhuset" not in listed
    refused = await in_private(teams, SARA, "närvaro M1", "n5")
    assert refused.startswith("Jag hittar inget möte M1")


async def test_english_for_a_user_who_chose_english(teams: Teams) -> None:
    card_id, on_card = await schedule_bra(teams)
    chosen = await in_private(teams, ADELE, "language english", "e1")
    assert "I will answer you in English from now on." in chosen

    body = await click(teams, ADELE, on_card["Jag kommer"], card_id, "e:2")
    assert "Noted: you are coming to M1 (Thursday 3 December 2026" in text_of(body)
    assert "Kommer: 1. Kan inte: 0." in text_of(body)  # the shared card stays Swedish
    assert "Kommer: 1. Kan inte: 0." in channel_updates(teams, card_id)[-1].text
    listed = await in_private(teams, ADELE, "meetings", "e3")
    assert listed.startswith("Upcoming meetings") and "M1" in listed

"""Mentions from Teams reach the core in the neutral `<@AADOBJECTID>` form.

Teams writes `<at>Name</at>` in the text and names the user in the activity's entities, by
Teams id and sometimes by AAD object id too; the adapter looks the AAD id up when it is missing.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot.common.clock import FixedClock
from storage.models import Attendance, Identity, Person
from tests.teams.conftest import ADELE, ADELE_AAD, MEGAN, MEGAN_AAD, TENANT, Teams

BOT = "28:c9e8c047-2a74-40a2-b28a-b162d5f5327c"
VERONICA = "29:veronica"
VERONICA_AAD = "5c1d9a2e-0000-4000-8000-00000000beef"
KARIN = "29:karin"
KARIN_AAD = "0b8e7f6d-1111-4000-8000-0000000ca41e"


def mention(user_id: str, name: str, aad: str | None = None) -> dict[str, Any]:
    mentioned = {"id": user_id, "name": name}
    if aad:
        mentioned["aadObjectId"] = aad
    return {"type": "mention", "mentioned": mentioned, "text": f"<at>{name}</at>"}


def said(teams: Teams, text: str, mentions: list[dict[str, Any]], event: str) -> dict[str, Any]:
    """Megan (Anna Lindqvist, admin) mentions the bot and others in the channel."""
    activity = teams.message(text, id=event, locale="sv-SE")
    activity["from"] = {"id": MEGAN, "name": "Megan Bowen", "aadObjectId": MEGAN_AAD}
    activity["entities"] = [mention(BOT, "ApprovalBot"), *mentions]
    return activity


async def person_of(teams: Teams, aad: str) -> str | None:
    async with teams.bot.database.sessions() as session:
        person = await session.scalar(
            select(Person)
            .join(Identity, Identity.person_id == Person.id)
            .where(Identity.user_id == aad)
        )
        return person.name if person else None


async def test_link_by_mention_uses_the_mentioned_users_aad_object_id(teams: Teams) -> None:
    teams.connector.members[VERONICA] = {
        "id": VERONICA,
        "name": "Anna",
        "aadObjectId": VERONICA_AAD,
    }
    text = "koppla <at>Anna</at> Veronica Gustafsson"
    await teams.post(said(teams, text, [mention(VERONICA, "Anna")], "l1"))

    assert await person_of(teams, VERONICA_AAD) == "Veronica Gustafsson"
    async with teams.bot.database.sessions() as session:
        identity = await session.scalar(select(Identity).where(Identity.user_id == VERONICA_AAD))
        assert identity is not None
        assert (identity.platform, identity.workspace, identity.linked_by) == (
            "teams",
            TENANT,
            "admin",
        )
    answers = [c.text for c in teams.connector.calls if c.method in ("send", "reply")]
    assert any("Veronica Gustafsson" in a for a in answers), answers


async def test_attendance_by_mention_registers_the_mentioned_people(teams: Teams) -> None:
    # Karin's mention carries her AAD id; Adele's does not and is looked up.
    link = "koppla <at>Karin</at> Karin Öberg"
    await teams.post(said(teams, link, [mention(KARIN, "Karin", KARIN_AAD)], "a1"))
    assert await person_of(teams, KARIN_AAD) == "Karin Öberg"
    adele_first = teams.message("möten", id="a2", locale="sv-SE")
    adele_first["from"] = {"id": ADELE, "name": "Adele Vance", "aadObjectId": ADELE_AAD}
    await teams.post(adele_first)  # first contact: linked by e-mail as Erik Holm
    await teams.post(said(teams, "möte brå 3/12 9.00", [], "a3"))
    assert isinstance(teams.bot.clock, FixedClock)
    teams.bot.clock.advance(timedelta(days=7) - timedelta(minutes=75))

    text = "närvaro M1 <at>Adele Vance</at> <at>Karin</at>"
    mentions = [mention(ADELE, "Adele Vance"), mention(KARIN, "Karin", KARIN_AAD)]
    await teams.post(said(teams, text, mentions, "a4"))

    async with teams.bot.database.sessions() as session:
        rows = (await session.scalars(select(Attendance))).all()
        assert sorted(row.person.name for row in rows) == ["Erik Holm", "Karin Öberg"]
    answers = "\n".join(c.text for c in teams.connector.calls if c.method in ("send", "reply"))
    assert (
        "Närvaro registrerad på M1: Erik Holm (Kommunen), "
        "Karin Öberg (ej medlem i forumet – räknas för Polisen)." in answers
    )


async def test_an_unknown_mentioned_user_is_named_by_the_neutral_mention(teams: Teams) -> None:
    await teams.post(said(teams, "möte brå 3/12 9.00", [], "u1"))
    assert isinstance(teams.bot.clock, FixedClock)
    teams.bot.clock.advance(timedelta(days=7) - timedelta(minutes=75))
    teams.connector.members["29:stranger"] = {"id": "29:stranger", "aadObjectId": "aad-stranger"}
    text = "närvaro M1 <at>Okänd</at>"
    await teams.post(said(teams, text, [mention("29:stranger", "Okänd")], "u2"))

    answers = "\n".join(c.text for c in teams.connector.calls if c.method in ("send", "reply"))
    assert "aad-stranger" in answers and "<at>" not in answers
    async with teams.bot.database.sessions() as session:
        assert (await session.scalars(select(Attendance))).all() == []


async def test_a_tag_mention_stays_its_name_and_the_bots_own_is_stripped(teams: Teams) -> None:
    tag = {"id": "19:tag-alla@thread.tacv2", "name": "Alla"}
    text = "hälsa <at>Alla</at> ApprovalBot"  # the bot's name as a plain word stays
    entity = {"type": "mention", "mentioned": tag, "text": "<at>Alla</at>"}
    await teams.post(said(teams, text, [entity], "t1"))

    (reply,) = teams.connector.of("reply")
    assert "Alla ApprovalBot" in reply.text and "at\\>" not in reply.text
    looked_up = [c.path for c in teams.connector.of("member")]
    assert not [path for path in looked_up if "tag-alla" in path]  # a tag is no member

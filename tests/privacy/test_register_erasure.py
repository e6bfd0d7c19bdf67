"""A staff member's data rights: the register extract (art. 15) and erasure (art. 17).

`samverkan person export NAME` shows everything held about them; `person ta bort` (after its
confirmation button) and `samverkan person remove NAME` erase their contact details,
identities, RSVPs and messages, also in the audit log, and keep who approved which joint
message, and when, with the name only.
"""

from __future__ import annotations

import json

from sqlalchemy import func, select, text

from bot.core.engine import Bot
from storage.models import Approval, Channel, Identity, Job, Person, Rsvp
from tests.conftest import Chat
from tests.drafts_helpers import add_channel, press, text_of
from tests.privacy.cli_helpers import cli

ERIK_EMAIL = "erik.holm@example.org"
ERIK_PHONE = "070-174 06 06"  # as shown
ERIK_PHONE_STORED = "+46701740606"  # as stored (E.164)


async def _person(bot: Bot, name: str) -> Person:
    async with bot.database.sessions() as session:
        found = await session.scalar(select(Person).where(Person.name == name))
    assert found is not None
    return found


async def _give_identity(bot: Bot, name: str) -> None:
    person = await _person(bot, name)
    async with bot.database.transaction() as session:
        session.add(
            Identity(
                person_id=person.id,
                platform="teams",
                workspace="tenant-1",
                user_id="29:erik",
                linked_by="email",
                direct_conversation={"conversation": {"id": "a:1on1-erik"}},
            )
        )
        # The 1:1 chat as a stored channel (it is, once he has written there).
        session.add(
            Channel(
                platform="teams",
                workspace="tenant-1",
                channel_id="a:1on1-erik",
                name=None,
                conversation_ref={"conversation": {"id": "a:1on1-erik"}},
                bindings=[],
            )
        )


async def _life_of_erik(chat: Chat, bot: Bot) -> None:
    """A draft approved by Erik, a meeting he answered, a reminder and an action item."""
    await add_channel(bot.database, "console", "gemensam", "gemensam", joint=True)
    await _give_identity(bot, "Erik Holm")
    created = await chat.ask("Erik Holm", "utkast Trygghetsvandring i Broby på torsdag.")
    assert "U1" in text_of(created)
    approved = await press(bot, "Erik Holm", "draft.approve", {"draft": 1, "version": 1})
    assert "U1" in text_of(approved)
    assert "M1" in await chat.text("Erik Holm", "möte brå 3/12 kl 10")
    answered = await press(bot, "Erik Holm", "meeting.rsvp", {"meeting": 1, "coming": True})
    assert answered
    assert "Jag påminner dig" in await chat.text("Erik Holm", "påminn mig i morgon kl 9 ring Brå")
    assert "A1" in await chat.text("Erik Holm", "åtgärd Boka lokal ansvarig mig senast 3/12")


async def _dump(bot: Bot) -> str:
    async with bot.database.engine.connect() as connection:
        rows = []
        for table in ("person", "identity", "audit_event", "job", "rsvp", "channel"):
            result = await connection.execute(text(f"SELECT * FROM {table}"))
            rows += [dict(r._mapping) for r in result]
    return json.dumps(rows, default=str, ensure_ascii=False)


async def test_export_lists_everything_held_about_a_person_in_swedish_and_json(
    chat: Chat, bot: Bot
) -> None:
    await _life_of_erik(chat, bot)
    result = await cli(bot.database, "person", "export", "Erik Holm")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("Registerutdrag för Erik Holm (GDPR artikel 15)")
    for expected in (
        f"e-post: {ERIK_EMAIL}",
        f"telefon: {ERIK_PHONE}",
        "Forum där personen är medlem (1)",
        "forum: bra",
        "Konton i Teams och Slack (1)",
        "användar-id: 29:erik",
        "Svar på mötesinbjudningar (1)",
        "kommer: ja",
        "text: ring Brå",
        "nr: A1; text: Boka lokal",
        "text: Trygghetsvandring i Broby på torsdag.",
        "beslut: approve",
    ):
        assert expected in out, expected
    data = json.loads(
        (await cli(bot.database, "person", "export", "Erik Holm", "--format", "json")).output
    )
    assert data["person"][0]["email"] == ERIK_EMAIL
    assert [m["forum"] for m in data["memberships"]] == ["bra"]
    assert [d["decision"] for d in data["decisions"]] == ["approve"]
    assert {j["kind"] for j in data["jobs"]} == {"reminder", "action_due", "action_overdue"}
    assert {a["action"] for a in data["audit"]} >= {
        "draft.create",
        "draft.approve",
        "reminder.create",
    }
    # Nobody else's rows: Sara's membership is not in Erik's extract.
    assert all(m["forum"] != "spindel.broby" for m in data["memberships"])
    english = await cli(bot.database, "person", "export", "Erik Holm", locale="en")
    assert english.output.startswith("Register extract for Erik Holm")
    unknown = await cli(bot.database, "person", "export", "Ingen Alls")
    assert unknown.exit_code == 1 and "hittar ingen som heter" in unknown.output


async def test_person_ta_bort_offers_erasure_which_keeps_the_decision_trail_by_name(
    chat: Chat, bot: Bot
) -> None:
    await _life_of_erik(chat, bot)
    assert ERIK_EMAIL in await _dump(bot) and ERIK_PHONE_STORED in await _dump(bot)
    admin = await chat.session("Anna Lindqvist")
    removed = await admin.say("person ta bort Erik Holm")
    assert "Radera personuppgifter" in [b.label for b in removed[0].buttons]
    # Only an admin may press it (a forwarded or altered press by anyone else is refused).
    erik = await _person(bot, "Erik Holm")
    refused = await press(bot, "Sara Nilsson", "person.erase", {"person": erik.id})
    assert "administratör" in text_of(refused)
    assert ERIK_EMAIL in await _dump(bot)
    done = await admin.press(1)
    assert (
        "Personuppgifterna för Erik Holm är raderade: 1 konton, 1 forummedlemskap, 1 mötessvar"
        in done[0].text
    )
    dump = await _dump(bot)
    assert ERIK_EMAIL not in dump and ERIK_PHONE_STORED not in dump and ERIK_PHONE not in dump
    assert "1on1-erik" not in dump
    async with bot.database.sessions() as session:
        person = await session.get(Person, erik.id)
        identities = await session.scalar(
            select(func.count()).select_from(Identity).where(Identity.person_id == erik.id)
        )
        rsvps = await session.scalar(select(func.count()).select_from(Rsvp))
        jobs = await session.scalar(
            select(func.count())
            .select_from(Job)
            .where(Job.target_kind == "person", Job.target_id == erik.id)
        )
        approvals = (await session.scalars(select(Approval))).all()
    assert person is not None and (person.name, person.email, person.phone, person.active) == (
        "Erik Holm",
        None,
        None,
        False,
    )
    assert (identities, rsvps, jobs) == (0, 0, 0)
    assert [(a.person.name, a.decision) for a in approvals] == [("Erik Holm", "approve")]
    # The extract now shows what is left: the name and the decisions.
    left = json.loads(
        (await cli(bot.database, "person", "export", "Erik Holm", "--format", "json")).output
    )
    assert left["identities"] == [] and left["rsvps"] == [] and left["jobs"] == []
    assert [d["decision"] for d in left["decisions"]] == ["approve"]


async def test_an_admin_cannot_erase_themselves_in_chat(chat: Chat, bot: Bot) -> None:
    anna = await _person(bot, "Anna Lindqvist")
    refused = await press(bot, "Anna Lindqvist", "person.erase", {"person": anna.id})
    assert "egna personuppgifter" in text_of(refused)
    assert "anna.lindqvist" in (await _dump(bot)).lower()


async def test_samverkan_person_remove_erases_from_the_command_line(chat: Chat, bot: Bot) -> None:
    await _life_of_erik(chat, bot)
    result = await cli(
        bot.database, "person", "remove", "Erik Holm", "--yes", "--decision", "KS 2027/3"
    )
    assert result.exit_code == 0, result.output
    assert "Personuppgifterna för Erik Holm är raderade" in result.output
    assert "Kvar finns namnet i beslutsspåret" in result.output
    assert ERIK_EMAIL not in await _dump(bot)
    async with bot.database.engine.connect() as connection:
        decisions = (
            (await connection.execute(text("SELECT decision FROM audit_redaction"))).scalars().all()
        )
    assert decisions and set(decisions) == {"KS 2027/3"}
    unknown = await cli(bot.database, "person", "remove", "Ingen Alls", "--yes")
    assert unknown.exit_code == 1 and "hittar ingen" in unknown.output
